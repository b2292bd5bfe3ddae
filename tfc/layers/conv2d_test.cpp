// Conv2D: Keras defaults, weight layout and parameter counts, output shapes
// (conv_utils.conv_output_length), float64 gradient checks through the layer, and input errors.
#include "tfc/layers/conv2d.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

using testing::use_f64_weights;

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(Conv2D, DefaultsWeightsAndParamCount) {
    Conv2D c(32, {3, 3}, {.activation = "relu", .input_shape = {28, 28, 1}});
    EXPECT_EQ(c.class_name(), "Conv2D");
    EXPECT_EQ(c.declared_input_shape(), (Shape{28, 28, 1}));
    EXPECT_EQ(c.options().strides, Size2(1, 1));
    EXPECT_EQ(c.options().padding, "valid");
    EXPECT_EQ(c.options().dilation_rate, Size2(1));
    EXPECT_EQ(c.options().groups, 1);
    EXPECT_TRUE(c.options().use_bias);
    c.build({-1, 28, 28, 1});
    auto ws = c.weights();
    ASSERT_EQ(ws.size(), 2u);
    EXPECT_EQ(ws[0]->name, "kernel");
    EXPECT_EQ(ws[0]->value.shape(), (Shape{3, 3, 1, 32}));
    EXPECT_EQ(ws[1]->name, "bias");
    EXPECT_EQ(c.count_params(), 3 * 3 * 1 * 32 + 32);  // 320, as Keras's summary
    // glorot_uniform with conv fans: fan_in = 9 * 1, fan_out = 9 * 32.
    const double limit = std::sqrt(6.0 / (9 * 1 + 9 * 32));
    double max_abs = 0;
    for (double v : c.kernel().to_doubles()) max_abs = std::max(max_abs, std::fabs(v));
    EXPECT_LE(max_abs, limit * (1 + 1e-6));
    EXPECT_GE(max_abs, 0.9 * limit);
    EXPECT_EQ(c.bias().to_doubles(), std::vector<double>(32, 0.0));

    Conv2D g(64, 3, {.groups = 4, .use_bias = false});
    g.build({-1, 10, 10, 32});
    EXPECT_EQ(g.kernel().shape(), (Shape{3, 3, 8, 64}));
    EXPECT_EQ(g.count_params(), 3 * 3 * 8 * 64);
    EXPECT_FALSE(g.bias().defined());
}

TEST(Conv2D, DefaultNames) {
    Conv2D a(1, 1), b(1, 1);
    EXPECT_EQ(a.name().rfind("conv2d", 0), 0u);
    EXPECT_NE(a.name(), b.name());
    EXPECT_EQ(Conv2D(1, 1, {.name = "features"}).name(), "features");
}

TEST(Conv2D, OutputShapes) {
    EXPECT_EQ(Conv2D(32, 3).compute_output_shape({-1, 28, 28, 1}), (Shape{-1, 26, 26, 32}));
    EXPECT_EQ(Conv2D(8, 3, {.padding = "same"}).compute_output_shape({4, 28, 28, 1}),
              (Shape{4, 28, 28, 8}));
    EXPECT_EQ(Conv2D(8, {4, 3}, {.strides = 2, .padding = "same"})
                  .compute_output_shape({-1, 7, 6, 2}),
              (Shape{-1, 4, 3, 8}));
    EXPECT_EQ(Conv2D(8, 3, {.strides = {2, 3}}).compute_output_shape({-1, 8, 9, 2}),
              (Shape{-1, 3, 3, 8}));
    EXPECT_EQ(Conv2D(8, 3, {.dilation_rate = 2}).compute_output_shape({-1, 7, -1, 2}),
              (Shape{-1, 3, -1, 8}));
    EXPECT_EQ(Conv2D(8, 3, {.padding = "SAME"}).options().padding, "same");
    // The layer's output agrees with compute_output_shape.
    Conv2D c(5, {3, 2}, {.strides = 2, .padding = "same"});
    EXPECT_EQ(c(Tensor::zeros({2, 9, 7, 3})).shape(), (Shape{2, 5, 4, 5}));
}

TEST(Conv2D, GradientChecks) {
    struct Case {
        Conv2DOptions opts;
        Size2 k;
        Shape x;
    };
    std::vector<Case> cases;
    cases.push_back({{.padding = "same", .activation = "tanh"}, {3, 3}, {2, 5, 4, 3}});
    cases.push_back({{.strides = 2, .padding = "same"}, {4, 3}, {1, 7, 6, 2}});
    cases.push_back({{.dilation_rate = {2, 1}}, {2, 2}, {1, 6, 5, 2}});
    cases.push_back({{.padding = "same", .groups = 2, .activation = "sigmoid"}, {3, 3}, {2, 4, 4, 4}});
    cases.push_back({{.use_bias = false}, {1, 1}, {2, 3, 3, 3}});
    std::uint64_t seed = 10;
    for (auto& c : cases) {
        Conv2D layer(4, c.k, c.opts);
        Shape in = c.x;
        in[0] = -1;
        layer.build(in);
        std::vector<Tensor> inputs{testing::random_f64(c.x, -1, 1, seed)};
        for (auto& w : use_f64_weights(layer, seed + 1)) inputs.push_back(w);
        seed += 10;
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>& v) { return layer(v[0]); }, inputs))
            << layer.name();
    }
}

TEST(Conv2D, Errors) {
    // Kernel larger than the input with valid padding.
    std::string msg = error_of([] { Conv2D(4, 5).build({-1, 3, 8, 1}); });
    EXPECT_NE(msg.find("<= 0"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    EXPECT_THROW(Conv2D(4, 5)(Tensor::zeros({1, 4, 4, 1})), Error);
    EXPECT_THROW(Conv2D(4, 3, {.dilation_rate = 3}).compute_output_shape({-1, 6, 6, 1}), Error);
    EXPECT_NO_THROW(Conv2D(4, 5, {.padding = "same"}).build({-1, 3, 3, 1}));
    // Conv2D on 3-D data (a batch of grey images without the channel axis).
    Conv2D c(4, 3);
    msg = error_of([&] { c(Tensor::zeros({2, 28, 28})); });
    EXPECT_NE(msg.find("wrong rank"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(None, 28, 28)"), std::string::npos) << msg;
    EXPECT_FALSE(c.built());
    // Channels not divisible by groups.
    msg = error_of([] { Conv2D(4, 3, {.groups = 2}).build({-1, 8, 8, 3}); });
    EXPECT_NE(msg.find("divisible by the number of groups"), std::string::npos) << msg;
    EXPECT_THROW(Conv2D(3, 3, {.groups = 2}), Error);  // filters not divisible
    // Bad arguments.
    EXPECT_THROW(Conv2D(0, 3), Error);
    EXPECT_THROW(Conv2D(4, {3, 0}), Error);
    EXPECT_THROW(Conv2D(4, 3, {.strides = 0}), Error);
    EXPECT_THROW(Conv2D(4, 3, {.padding = "causal"}), Error);
    EXPECT_THROW(Conv2D(4, 3, {.padding = "full"}), Error);
    EXPECT_THROW(Conv2D(4, 3, {.data_format = "channels_first"}), Error);
    EXPECT_THROW(Conv2D(4, 3, {.strides = 2, .dilation_rate = 2}), Error);
    EXPECT_THROW(Conv2D(4, 3, {.activation = "rellu"}), Error);
    // Channels differ from the built ones.
    Conv2D d(2, 3);
    d.build({-1, 5, 5, 3});
    EXPECT_THROW(d(Tensor::zeros({1, 5, 5, 2})), Error);
    EXPECT_THROW(d.compute_output_shape({-1, 5, 5, 4}), Error);
}

TEST(Conv2D, CastsIntegerImages) {
    Conv2D c(1, 2, {.kernel_initializer = "ones"});
    const Tensor x = Tensor::from_vector(std::vector<std::uint8_t>{1, 2, 3, 4}, {1, 2, 2, 1});
    const Tensor y = c(x);
    EXPECT_EQ(y.dtype(), DType::float32);
    EXPECT_EQ(y.to_doubles(), std::vector<double>{10.0});
}

}  // namespace
}  // namespace tfc
