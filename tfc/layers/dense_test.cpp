// Dense: weights and shapes as Keras lays them out, forward values against plain loops,
// gradients (input, kernel, bias) by finite differences in float64, and input errors.
#include "tfc/layers/dense.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"

namespace tfc {
namespace {

using testing::use_f64_weights;

// y[r, u] = act(sum_i x[r, i] k[i, u] + b[u]) over the flattened leading axes.
std::vector<double> dense_ref(const Tensor& x, const Tensor& k, const Tensor& b) {
    const std::vector<double> xs = x.to_doubles(), ks = k.to_doubles();
    const std::vector<double> bs = b.defined() ? b.to_doubles() : std::vector<double>();
    const std::int64_t in = k.dim(0), units = k.dim(1), rows = x.size() / in;
    std::vector<double> y(static_cast<std::size_t>(rows * units));
    for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t u = 0; u < units; ++u) {
            double s = bs.empty() ? 0.0 : bs[u];
            for (std::int64_t i = 0; i < in; ++i) s += xs[r * in + i] * ks[i * units + u];
            y[r * units + u] = s;
        }
    }
    return y;
}

int name_suffix(const std::string& name, const std::string& base) {
    if (name == base) return 0;
    EXPECT_EQ(name.rfind(base + "_", 0), 0u) << name;
    return std::stoi(name.substr(base.size() + 1));
}

TEST(Dense, WeightsShapesAndParamCount) {
    Dense d(128, {.activation = "relu"});
    EXPECT_EQ(d.class_name(), "Dense");
    EXPECT_FALSE(d.built());
    EXPECT_EQ(d.compute_output_shape({-1, 784}), (Shape{-1, 128}));
    d.build({-1, 784});
    ASSERT_TRUE(d.built());
    auto ws = d.weights();
    ASSERT_EQ(ws.size(), 2u);
    EXPECT_EQ(ws[0]->name, "kernel");
    EXPECT_EQ(ws[0]->value.shape(), (Shape{784, 128}));
    EXPECT_EQ(ws[1]->name, "bias");
    EXPECT_EQ(ws[1]->value.shape(), (Shape{128}));
    EXPECT_EQ(d.count_params(), 784 * 128 + 128);
    EXPECT_TRUE(d.kernel().requires_grad());
    // glorot_uniform kernel, zeros bias (Keras defaults).
    const double limit = std::sqrt(6.0 / (784 + 128));
    double max_abs = 0;
    for (double v : d.kernel().to_doubles()) max_abs = std::max(max_abs, std::fabs(v));
    EXPECT_LE(max_abs, limit * (1 + 1e-6));
    EXPECT_GE(max_abs, 0.99 * limit);
    EXPECT_EQ(d.bias().to_doubles(), std::vector<double>(128, 0.0));

    Dense nb(4, {.use_bias = false});
    nb.build({-1, 3});
    EXPECT_EQ(nb.count_params(), 12);
    EXPECT_FALSE(nb.bias().defined());
    EXPECT_EQ(nb.weights().size(), 1u);
}

TEST(Dense, OptionsTakeInitializerNamesAndObjects) {
    Dense a(3, {.kernel_initializer = "ones", .bias_initializer = Constant(0.5)});
    a.build({-1, 2});
    EXPECT_EQ(a.kernel().to_doubles(), std::vector<double>(6, 1.0));
    EXPECT_EQ(a.bias().to_doubles(), std::vector<double>(3, 0.5));
    Dense s1(5, {.kernel_initializer = GlorotUniform(7)});
    Dense s2(5, {.kernel_initializer = GlorotUniform(7)});
    s1.build({-1, 4});
    s2.build({-1, 4});
    EXPECT_EQ(s1.kernel().to_doubles(), s2.kernel().to_doubles());
    EXPECT_THROW(Dense(3, {.kernel_initializer = "glorot"}), Error);
    EXPECT_THROW(Dense(3, {.activation = "rellu"}), Error);
    EXPECT_THROW(Dense(0), Error);
}

TEST(Dense, DefaultNamesCountPerClass) {
    Dense a(1), b(1);
    EXPECT_EQ(name_suffix(b.name(), "dense"), name_suffix(a.name(), "dense") + 1);
    Dense named(1, {.name = "logits"});
    EXPECT_EQ(named.name(), "logits");
}

TEST(Dense, ForwardMatchesLoops2DAnd3D) {
    set_random_seed(21);
    Dense d(5, {.bias_initializer = "random_normal"});
    const Tensor x2 = testing::random_f64({4, 3}, -1, 1, 1).astype(DType::float32);
    const Tensor y2 = d(x2);
    EXPECT_EQ(y2.shape(), (Shape{4, 5}));
    EXPECT_EQ(y2.dtype(), DType::float32);
    std::vector<double> want = dense_ref(x2, d.kernel(), d.bias());
    std::vector<double> got = y2.to_doubles();
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5);
    // Rank 3: only the last axis is contracted (Keras tensordot), e.g. after LSTM sequences.
    const Tensor x3 = testing::random_f64({2, 6, 3}, -1, 1, 2).astype(DType::float32);
    const Tensor y3 = d(x3);
    EXPECT_EQ(y3.shape(), (Shape{2, 6, 5}));
    EXPECT_EQ(d.compute_output_shape({-1, 6, 3}), (Shape{-1, 6, 5}));
    want = dense_ref(x3, d.kernel(), d.bias());
    got = y3.to_doubles();
    for (std::size_t i = 0; i < want.size(); ++i) EXPECT_NEAR(got[i], want[i], 1e-5);
}

TEST(Dense, CastsNonFloatInputLikeKeras) {
    Dense d(2, {.kernel_initializer = "ones"});
    const Tensor x = Tensor::from_vector(std::vector<std::uint8_t>{1, 2, 3, 4, 5, 6}, {2, 3});
    const Tensor y = d(x);
    EXPECT_EQ(y.dtype(), DType::float32);
    EXPECT_EQ(y.to_doubles(), (std::vector<double>{6, 6, 15, 15}));
}

TEST(Dense, ActivationAppliedAndLogitsAttached) {
    Dense d(3, {.activation = "softmax", .bias_initializer = "random_uniform"});
    const Tensor x = testing::random_f64({2, 4}, -1, 1, 3).astype(DType::float32);
    const Tensor y = d(x);
    const Tensor logits = y.keras_logits("softmax");
    ASSERT_TRUE(logits.defined());
    const std::vector<double> z = dense_ref(x, d.kernel(), d.bias()), p = y.to_doubles();
    for (int r = 0; r < 2; ++r) {
        double s = 0;
        for (int c = 0; c < 3; ++c) s += std::exp(z[r * 3 + c]);
        for (int c = 0; c < 3; ++c) EXPECT_NEAR(p[r * 3 + c], std::exp(z[r * 3 + c]) / s, 1e-6);
    }
    Dense r(3, {.activation = "relu"});
    const std::vector<double> yr = r(x).to_doubles();
    for (double v : yr) EXPECT_GE(v, 0.0);
    Dense sg(1, {.activation = "sigmoid"});
    EXPECT_TRUE(sg(x).keras_logits("sigmoid").defined());
}

TEST(Dense, GradientCheck2D) {
    Dense d(3, {.activation = "tanh"});
    d.build({-1, 4});
    std::vector<Tensor> w = use_f64_weights(d, 100);
    const Tensor x = testing::random_f64({5, 4}, -1, 1, 4);
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>& in) { return d(in[0]); }, {x, w[0], w[1]}));
}

TEST(Dense, GradientCheck3DAndNoBias) {
    Dense d(4);
    d.build({-1, 3, 2});
    std::vector<Tensor> w = use_f64_weights(d, 200);
    const Tensor x = testing::random_f64({2, 3, 2}, -1, 1, 5);
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>& in) { return d(in[0]); }, {x, w[0], w[1]}));

    Dense nb(2, {.activation = "sigmoid", .use_bias = false});
    nb.build({-1, 3});
    std::vector<Tensor> wn = use_f64_weights(nb, 300);
    const Tensor x2 = testing::random_f64({3, 3}, -1, 1, 6);
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>& in) { return nb(in[0]); }, {x2, wn[0]}));
}

TEST(Dense, InputErrors) {
    Dense d(3);
    // Rank-1 input (Keras: input_spec min_ndim=2).
    try {
        d.build({-1});
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[" + d.name() + "]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Got (None,)"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
    EXPECT_THROW(d.compute_output_shape({5}), Error);
    EXPECT_THROW(d.build({-1, -1}), Error);  // unknown last dimension
    EXPECT_FALSE(d.built());
    EXPECT_THROW(d(Tensor::zeros({4})), Error);
    d.build({-1, 4});
    EXPECT_THROW(d(Tensor::zeros({2, 5})), Error);  // last dimension differs from the kernel
    EXPECT_THROW(d.compute_output_shape({-1, 5}), Error);
}

TEST(Dense, MovesIntoHandles) {
    Dense d(7, {.name = "moved"});
    d.build({-1, 2});
    LayerHandle h(std::move(d));
    EXPECT_EQ(h.get()->name(), "moved");
    EXPECT_EQ(h.get()->count_params(), 21);
    LayerHandle h2(Dense(2));
    EXPECT_EQ(h2.get()->class_name(), "Dense");
}

}  // namespace
}  // namespace tfc
