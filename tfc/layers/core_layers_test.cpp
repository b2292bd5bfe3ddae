// The weightless core layers: Activation, Flatten, Reshape, RepeatVector, Dropout, Rescaling, LeakyReLU, ReLU,
// Softmax, InputLayer. Values against plain formulas (Keras 2.15 sources named per test),
// shapes, gradients by finite differences in float64, and input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

using testing::check_gradients;
using testing::random_f64;
using testing::random_f64_away_from_zero;

::testing::AssertionResult grad_ok(Layer& layer, const Tensor& x, bool training = false) {
    return check_gradients([&](const std::vector<Tensor>& in) { return layer(in[0], training); },
                           {x});
}

int name_suffix(const std::string& name, const std::string& base) {
    if (name == base) return 0;
    EXPECT_EQ(name.rfind(base + "_", 0), 0u) << name;
    return std::stoi(name.substr(base.size() + 1));
}

TEST(CoreLayers, ClassAndDefaultNames) {
    // Keras's names: the class name in snake case (generic_utils.to_snake_case).
    const int a1 = name_suffix(Activation("relu").name(), "activation");
    const int a2 = name_suffix(Activation("relu").name(), "activation");
    EXPECT_EQ(a2, a1 + 1);
    const int f1 = name_suffix(Flatten().name(), "flatten");
    const int f2 = name_suffix(Flatten().name(), "flatten");
    EXPECT_EQ(f2, f1 + 1);
    name_suffix(Reshape({2}).name(), "reshape");
    name_suffix(Dropout(0.1).name(), "dropout");
    name_suffix(Rescaling(2.0).name(), "rescaling");
    name_suffix(LeakyReLU().name(), "leaky_re_lu");
    name_suffix(ReLU().name(), "re_lu");
    name_suffix(Softmax().name(), "softmax");
    const std::string in1 = InputLayer({.input_shape = {3}}).name();
    const std::string in2 = Input({3}).name();
    EXPECT_EQ(in1.rfind("input_", 0), 0u);
    EXPECT_EQ(std::stoi(in2.substr(6)), std::stoi(in1.substr(6)) + 1);  // 1-based counter
    EXPECT_EQ(Activation("relu").class_name(), "Activation");
    EXPECT_EQ(Flatten().class_name(), "Flatten");
    EXPECT_EQ(Reshape({2}).class_name(), "Reshape");
    EXPECT_EQ(Dropout(0.1).class_name(), "Dropout");
    EXPECT_EQ(Rescaling(1.0).class_name(), "Rescaling");
    EXPECT_EQ(LeakyReLU().class_name(), "LeakyReLU");
    EXPECT_EQ(ReLU().class_name(), "ReLU");
    EXPECT_EQ(Softmax().class_name(), "Softmax");
    EXPECT_EQ(Input({3}).class_name(), "InputLayer");
    EXPECT_EQ(Flatten({.name = "f"}).name(), "f");
}

TEST(CoreLayers, DeclaredInputShapeAndNoParams) {
    Flatten f({.input_shape = {28, 28}});
    EXPECT_EQ(f.declared_input_shape(), (Shape{28, 28}));
    InputLayer in({.input_shape = {28, 28}});
    EXPECT_EQ(in.declared_input_shape(), (Shape{28, 28}));
    EXPECT_EQ(in.batch_input_shape(), (Shape{-1, 28, 28}));
    EXPECT_EQ(Input({5, -1}).declared_input_shape(), (Shape{5, -1}));
    for (LayerHandle h : {LayerHandle(Activation("tanh")), LayerHandle(Flatten()),
                          LayerHandle(Reshape({-1})), LayerHandle(Dropout(0.5)),
                          LayerHandle(Rescaling(0.5)), LayerHandle(LeakyReLU()),
                          LayerHandle(ReLU()), LayerHandle(Softmax()), LayerHandle(Input({4}))}) {
        h.get()->build({-1, 4});
        EXPECT_EQ(h.get()->count_params(), 0) << h.get()->class_name();
        EXPECT_TRUE(h.get()->weights().empty());
    }
}

TEST(Activation, AppliesNamedActivation) {
    Activation a("sigmoid");
    EXPECT_EQ(a.activation(), "sigmoid");
    const Tensor x = random_f64({3, 4}, -3, 3, 1);
    const Tensor y = a(x);
    const std::vector<double> xs = x.to_doubles(), ys = y.to_doubles();
    for (std::size_t i = 0; i < xs.size(); ++i) {
        EXPECT_NEAR(ys[i], 1 / (1 + std::exp(-xs[i])), 1e-14);
    }
    EXPECT_TRUE(y.keras_logits("sigmoid").same_as(x));
    EXPECT_EQ(a.compute_output_shape({-1, 4}), (Shape{-1, 4}));
    EXPECT_TRUE(grad_ok(a, x));
    Activation e("elu");
    EXPECT_TRUE(grad_ok(e, x));
    EXPECT_THROW(Activation("sigmoidal"), Error);
}

TEST(Flatten, RowMajorAndShapes) {
    Flatten f;
    EXPECT_EQ(f.compute_output_shape({-1, 28, 28}), (Shape{-1, 784}));
    EXPECT_EQ(f.compute_output_shape({-1, 3, 4, 5}), (Shape{-1, 60}));
    EXPECT_EQ(f.compute_output_shape({-1, -1, 4}), (Shape{-1, -1}));
    EXPECT_EQ(f.compute_output_shape({-1}), (Shape{-1, 1}));  // Keras expands rank-1 input
    const Tensor x = random_f64({2, 3, 4}, -1, 1, 2);
    const Tensor y = f(x);
    EXPECT_EQ(y.shape(), (Shape{2, 12}));
    EXPECT_EQ(y.to_doubles(), x.to_doubles());  // channels_last: plain row-major order
    EXPECT_EQ(f(Tensor::zeros({3})).shape(), (Shape{3, 1}));
    Flatten g;
    EXPECT_TRUE(grad_ok(g, x));
    EXPECT_THROW(Flatten().build({}), Error);
}

TEST(Reshape, TargetsAndInference) {
    Reshape r({7, 7, 16});
    EXPECT_EQ(r.compute_output_shape({-1, 784}), (Shape{-1, 7, 7, 16}));
    Reshape inferred({-1, 4});
    EXPECT_EQ(inferred.compute_output_shape({-1, 3, 8}), (Shape{-1, 6, 4}));
    EXPECT_EQ(inferred.compute_output_shape({-1, -1}), (Shape{-1, -1, 4}));
    const Tensor x = random_f64({2, 3, 8}, -1, 1, 3);
    const Tensor y = inferred(x);
    EXPECT_EQ(y.shape(), (Shape{2, 6, 4}));
    EXPECT_EQ(y.to_doubles(), x.to_doubles());
    // The course's expand_dims idiom: Reshape to (steps, 1).
    Reshape expand({-1, 1});
    EXPECT_EQ(expand(Tensor::zeros({5, 20})).shape(), (Shape{5, 20, 1}));
    Reshape g({4, 6});
    EXPECT_TRUE(grad_ok(g, x));
}

TEST(Reshape, Errors) {
    EXPECT_THROW(Reshape({-1, -1}), Error);
    EXPECT_THROW(Reshape({0, 3}), Error);
    EXPECT_THROW(Reshape({-2}), Error);
    Reshape r({5, 5});
    try {
        r.build({-1, 28, 28});
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("total size"), std::string::npos) << msg;
        EXPECT_NE(msg.find("784"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
    EXPECT_THROW(Reshape({-1, 5}).compute_output_shape({-1, 12}), Error);  // 12 % 5 != 0
    Reshape ok({-1, 3});
    EXPECT_THROW(ok(Tensor::zeros({2, 4})), Error);
}

TEST(RepeatVector, RepeatsEachSampleAndSumsTheGradient) {
    RepeatVector r(3);
    EXPECT_EQ(r.class_name(), "RepeatVector");
    name_suffix(r.name(), "repeat_vector");
    EXPECT_EQ(r.compute_output_shape({-1, 4}), (Shape{-1, 3, 4}));
    const Tensor x = random_f64({2, 4}, -1, 1, 9);
    const Tensor y = r(x);
    ASSERT_EQ(y.shape(), (Shape{2, 3, 4}));
    const auto xv = x.to_doubles(), yv = y.to_doubles();
    for (std::size_t b = 0; b < 2; ++b) {
        for (std::size_t t = 0; t < 3; ++t) {
            for (std::size_t f = 0; f < 4; ++f) EXPECT_EQ(yv[(b * 3 + t) * 4 + f], xv[b * 4 + f]);
        }
    }
    RepeatVector g(2);
    EXPECT_TRUE(grad_ok(g, x));
}

TEST(RepeatVector, Errors) {
    EXPECT_THROW(RepeatVector(0), Error);
    RepeatVector r(2);
    try {
        r(Tensor::zeros({2, 3, 4}));
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("(None, 3, 4)"), std::string::npos) << msg;
        EXPECT_NE(msg.find("rank 2"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
}

TEST(Dropout, InferenceIsIdentity) {
    Dropout d(0.5);
    const Tensor x = random_f64({4, 5}, -1, 1, 4);
    EXPECT_TRUE(d(x).same_as(x));
    EXPECT_TRUE(d(x, false).same_as(x));
    EXPECT_EQ(d.compute_output_shape({-1, 5}), (Shape{-1, 5}));
    Dropout zero(0.0);
    EXPECT_TRUE(zero(x, true).same_as(x));
}

// Keras/TF inverted dropout: each element is kept with probability 1 - rate, scaled by
// 1 / (1 - rate). The kept fraction is Binomial(n, 1 - rate) / n.
void check_dropout_statistics(Dropout& d, double rate) {
    const std::int64_t n = 200000;
    const Tensor x = Tensor::ones({400, 500});
    const std::vector<double> y = d(x, true).to_doubles();
    const double scale = 1.0 / (1.0 - rate);
    std::int64_t kept = 0;
    for (double v : y) {
        if (v != 0.0) {
            ++kept;
            EXPECT_NEAR(v, scale, 1e-6 * scale);
        }
    }
    const double p = 1.0 - rate;
    const double sd = std::sqrt(p * (1 - p) / static_cast<double>(n));
    EXPECT_NEAR(static_cast<double>(kept) / n, p, 5 * sd) << "rate " << rate;
}

TEST(Dropout, TrainingScalesAndKeepsTheRightFraction) {
    set_random_seed(31);
    for (double rate : {0.2, 0.5, 0.8}) {
        Dropout d(rate);
        check_dropout_statistics(d, rate);
        Dropout seeded(rate, {.seed = 9});
        check_dropout_statistics(seeded, rate);
    }
}

TEST(Dropout, SeededLayersAreReproducible) {
    const Tensor x = Tensor::ones({10, 10});
    Dropout a(0.4, {.seed = 5}), b(0.4, {.seed = 5});
    const std::vector<double> a1 = a(x, true).to_doubles(), a2 = a(x, true).to_doubles();
    EXPECT_EQ(a1, b(x, true).to_doubles());
    EXPECT_EQ(a2, b(x, true).to_doubles());
    EXPECT_NE(a1, a2);  // each call draws a new mask
    set_random_seed(3);
    Dropout c(0.4);
    const std::vector<double> c1 = c(x, true).to_doubles();
    set_random_seed(3);
    EXPECT_EQ(c1, c(x, true).to_doubles());
}

TEST(Dropout, GradientInTrainingIsTheMask) {
    const Tensor x = random_f64({6, 7}, -1, 1, 6);
    // A fresh seeded layer per evaluation gives the same mask for every finite difference.
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) { return Dropout(0.3, {.seed = 11})(in[0], true); },
        {x}));
    Dropout d(0.3);
    EXPECT_TRUE(grad_ok(d, x, false));
}

TEST(Dropout, Errors) {
    EXPECT_THROW(Dropout(1.0), Error);
    EXPECT_THROW(Dropout(-0.1), Error);
    Dropout d(0.5);
    EXPECT_THROW(d(Tensor::zeros({2, 2}, DType::int32), true), Error);
}

TEST(Rescaling, ScaleOffsetAndIntegerImages) {
    Rescaling r(1.0 / 255);
    const Tensor img = Tensor::from_vector(std::vector<std::uint8_t>{0, 51, 255, 102}, {1, 2, 2});
    const Tensor y = r(img);
    EXPECT_EQ(y.dtype(), DType::float32);
    const std::vector<double> ys = y.to_doubles();
    const std::vector<double> want = {0.0, 0.2, 1.0, 0.4};
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(ys[i], want[i], 1e-7);
    Rescaling centred(1.0 / 127.5, {.offset = -1.0});
    EXPECT_EQ(centred.offset(), -1.0);
    const std::vector<double> c = centred(img).to_doubles();
    for (int i = 0; i < 4; ++i) EXPECT_NEAR(c[i], want[i] * 2.0 - 1.0, 1e-6);
    const Tensor x = random_f64({3, 4}, -1, 1, 7);
    EXPECT_EQ(centred(x).dtype(), DType::float64);
    EXPECT_TRUE(grad_ok(centred, x));
}

TEST(LeakyReLU, Keras2DefaultAlpha) {
    LeakyReLU l;
    EXPECT_EQ(l.alpha(), 0.3);
    const Tensor x = random_f64_away_from_zero({4, 5}, 0.05, 8);
    const std::vector<double> xs = x.to_doubles(), ys = l(x).to_doubles();
    for (std::size_t i = 0; i < xs.size(); ++i) {
        EXPECT_DOUBLE_EQ(ys[i], xs[i] > 0 ? xs[i] : 0.3 * xs[i]);
    }
    LeakyReLU custom({.alpha = 0.1});
    const std::vector<double> yc = custom(x).to_doubles();
    for (std::size_t i = 0; i < xs.size(); ++i) {
        EXPECT_DOUBLE_EQ(yc[i], xs[i] > 0 ? xs[i] : 0.1 * xs[i]);
    }
    EXPECT_TRUE(grad_ok(l, x));
}

// keras/backend.py `relu` as a scalar function.
double relu_ref(double x, std::optional<double> max_value, double slope, double threshold) {
    double y = x >= threshold ? x : slope * (x - threshold);
    if (max_value && y > *max_value) y = *max_value;
    return y;
}

TEST(ReLU, AllOptionCombinations) {
    const Tensor x = random_f64_away_from_zero({6, 8}, 0.05, 9);
    const Tensor x3 = Tensor::from_doubles([&] {
        std::vector<double> v = x.to_doubles();
        for (double& e : v) e *= 4;  // spread so the threshold and cap are crossed
        return v;
    }(), {6, 8}, DType::float64);
    const std::vector<double> xs = x3.to_doubles();
    struct Case {
        std::optional<double> max_value;
        double slope, threshold;
    };
    for (const Case& c : {Case{std::nullopt, 0.0, 0.0}, Case{6.0, 0.0, 0.0}, Case{2.0, 0.0, 0.0},
                          Case{std::nullopt, 0.2, 0.0}, Case{std::nullopt, 0.0, 1.0},
                          Case{2.5, 0.1, 1.0}, Case{std::nullopt, 0.3, 0.5}}) {
        ReLU r({.max_value = c.max_value, .negative_slope = c.slope, .threshold = c.threshold});
        const std::vector<double> ys = r(x3).to_doubles();
        for (std::size_t i = 0; i < xs.size(); ++i) {
            EXPECT_NEAR(ys[i], relu_ref(xs[i], c.max_value, c.slope, c.threshold), 1e-14)
                << xs[i] << " max " << c.max_value.value_or(-1) << " slope " << c.slope
                << " threshold " << c.threshold;
        }
        // Probe points must avoid the kinks at threshold and max_value.
        bool near_kink = false;
        for (double v : xs) {
            near_kink |= std::fabs(v - c.threshold) < 1e-3 ||
                         (c.max_value && std::fabs(v - *c.max_value) < 1e-3);
        }
        ASSERT_FALSE(near_kink);
        EXPECT_TRUE(grad_ok(r, x3));
    }
}

TEST(ReLU, Errors) {
    EXPECT_THROW(ReLU({.max_value = -1.0}), Error);
    EXPECT_THROW(ReLU({.negative_slope = -0.1}), Error);
    EXPECT_THROW(ReLU({.threshold = -1.0}), Error);
}

TEST(Softmax, AxisAndLogits) {
    const Tensor x = random_f64({2, 3, 4}, -2, 2, 10);
    const std::vector<double> xs = x.to_doubles();
    Softmax last;
    const Tensor y = last(x);
    EXPECT_TRUE(y.keras_logits("softmax").same_as(x));
    Softmax middle({.axis = 1});
    const Tensor ym = middle(x);
    EXPECT_FALSE(ym.keras_logits("softmax").defined());
    const std::vector<double> yl = y.to_doubles(), yms = ym.to_doubles();
    for (int b = 0; b < 2; ++b) {
        for (int i = 0; i < 3; ++i) {
            double s = 0;
            for (int j = 0; j < 4; ++j) s += std::exp(xs[(b * 3 + i) * 4 + j]);
            for (int j = 0; j < 4; ++j) {
                const int k = (b * 3 + i) * 4 + j;
                EXPECT_NEAR(yl[k], std::exp(xs[k]) / s, 1e-14);
            }
        }
        for (int j = 0; j < 4; ++j) {
            double s = 0;
            for (int i = 0; i < 3; ++i) s += std::exp(xs[(b * 3 + i) * 4 + j]);
            for (int i = 0; i < 3; ++i) {
                const int k = (b * 3 + i) * 4 + j;
                EXPECT_NEAR(yms[k], std::exp(xs[k]) / s, 1e-14);
            }
        }
    }
    EXPECT_TRUE(grad_ok(last, x));
    EXPECT_TRUE(grad_ok(middle, x));
    EXPECT_THROW(Softmax({.axis = 3}).build({-1, 3, 4}), Error);
}

TEST(InputLayer, ChecksShapesAndPassesThrough) {
    InputLayer in = Input({28, 28});
    const Tensor x = Tensor::zeros({5, 28, 28});
    EXPECT_TRUE(in(x).same_as(x));
    EXPECT_EQ(in.compute_output_shape({-1, 28, 28}), (Shape{-1, 28, 28}));
    try {
        in(Tensor::zeros({5, 28, 27}));
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("Got (5, 28, 27)"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Expected (None, 28, 28)"), std::string::npos) << msg;
    }
    EXPECT_THROW(in(Tensor::zeros({28, 28})), Error);
    InputLayer var = Input({-1, 3});
    EXPECT_EQ(var(Tensor::zeros({2, 9, 3})).shape(), (Shape{2, 9, 3}));
    EXPECT_THROW(Input({0, 3}), Error);
}

}  // namespace
}  // namespace tfc
