// DepthwiseConv2D and SeparableConv2D: Keras weight names, layouts and parameter counts, output
// shapes, float64 gradient checks through the layers, and input errors.
#include "tfc/layers/depthwise_conv2d.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/layers/separable_conv2d.h"

namespace tfc {
namespace {

std::vector<Tensor> inputs_with_f64_weights(Layer& layer, const Shape& x, std::uint64_t seed) {
    std::vector<Tensor> out{testing::random_f64(x, -1, 1, seed)};
    for (const Tensor& w : testing::use_f64_weights(layer, seed + 1)) out.push_back(w);
    return out;
}

TEST(DepthwiseConv2D, WeightsAndShapes) {
    DepthwiseConv2D d(3, {.padding = "same", .depth_multiplier = 2});
    EXPECT_EQ(d.class_name(), "DepthwiseConv2D");
    EXPECT_EQ(d.name().rfind("depthwise_conv2d", 0), 0u);
    d.build({-1, 8, 8, 5});
    auto ws = d.weights();
    ASSERT_EQ(ws.size(), 2u);
    EXPECT_EQ(ws[0]->name, "depthwise_kernel");
    EXPECT_EQ(ws[0]->value.shape(), (Shape{3, 3, 5, 2}));
    EXPECT_EQ(ws[1]->value.shape(), (Shape{10}));
    EXPECT_EQ(d.count_params(), 9 * 5 * 2 + 10);
    EXPECT_EQ(d.compute_output_shape({-1, 8, 8, 5}), (Shape{-1, 8, 8, 10}));
    EXPECT_EQ(DepthwiseConv2D({3, 2}, {.strides = 2}).compute_output_shape({-1, 7, 7, 2}),
              (Shape{-1, 3, 3, 2}));
}

TEST(DepthwiseConv2D, GradientChecks) {
    DepthwiseConv2D a(3, {.padding = "same", .depth_multiplier = 2, .activation = "tanh"});
    a.build({-1, 5, 4, 3});
    auto in = inputs_with_f64_weights(a, {2, 5, 4, 3}, 1);
    EXPECT_TRUE(
        testing::check_gradients([&](const std::vector<Tensor>& v) { return a(v[0]); }, in));
    DepthwiseConv2D b({2, 3}, {.strides = 2, .use_bias = false});
    b.build({-1, 7, 6, 2});
    in = inputs_with_f64_weights(b, {1, 7, 6, 2}, 20);
    EXPECT_TRUE(
        testing::check_gradients([&](const std::vector<Tensor>& v) { return b(v[0]); }, in));
}

TEST(DepthwiseConv2D, Errors) {
    EXPECT_THROW(DepthwiseConv2D(5).build({-1, 4, 8, 2}), Error);
    EXPECT_THROW(DepthwiseConv2D(3)(Tensor::zeros({2, 8, 8})), Error);
    EXPECT_THROW(DepthwiseConv2D(3, {.depth_multiplier = 0}), Error);
    EXPECT_THROW(DepthwiseConv2D(3, {.padding = "causal"}), Error);
}

TEST(SeparableConv2D, WeightsAndShapes) {
    SeparableConv2D s(16, 3, {.padding = "same", .depth_multiplier = 2});
    EXPECT_EQ(s.class_name(), "SeparableConv2D");
    EXPECT_EQ(s.name().rfind("separable_conv2d", 0), 0u);
    s.build({-1, 10, 10, 4});
    auto ws = s.weights();
    ASSERT_EQ(ws.size(), 3u);
    EXPECT_EQ(ws[0]->name, "depthwise_kernel");
    EXPECT_EQ(ws[0]->value.shape(), (Shape{3, 3, 4, 2}));
    EXPECT_EQ(ws[1]->name, "pointwise_kernel");
    EXPECT_EQ(ws[1]->value.shape(), (Shape{1, 1, 8, 16}));
    EXPECT_EQ(ws[2]->name, "bias");
    EXPECT_EQ(s.count_params(), 9 * 4 * 2 + 8 * 16 + 16);
    EXPECT_EQ(s.compute_output_shape({-1, 10, 10, 4}), (Shape{-1, 10, 10, 16}));
    EXPECT_EQ(SeparableConv2D(3, 3, {.strides = 2}).compute_output_shape({-1, 8, 7, 2}),
              (Shape{-1, 3, 3, 3}));
}

TEST(SeparableConv2D, GradientChecks) {
    SeparableConv2D a(3, 3, {.padding = "same", .depth_multiplier = 2, .activation = "tanh"});
    a.build({-1, 5, 4, 2});
    auto in = inputs_with_f64_weights(a, {2, 5, 4, 2}, 30);
    EXPECT_TRUE(
        testing::check_gradients([&](const std::vector<Tensor>& v) { return a(v[0]); }, in));
    SeparableConv2D b(2, {3, 2}, {.dilation_rate = 2});
    b.build({-1, 7, 6, 3});
    in = inputs_with_f64_weights(b, {1, 7, 6, 3}, 40);
    EXPECT_TRUE(
        testing::check_gradients([&](const std::vector<Tensor>& v) { return b(v[0]); }, in));
}

TEST(SeparableConv2D, Errors) {
    EXPECT_THROW(SeparableConv2D(4, 5).build({-1, 4, 8, 2}), Error);
    EXPECT_THROW(SeparableConv2D(4, 3)(Tensor::zeros({2, 8, 8})), Error);
    EXPECT_THROW(SeparableConv2D(0, 3), Error);
    EXPECT_THROW(SeparableConv2D(4, 3, {.strides = 2, .dilation_rate = 2}), Error);
}

}  // namespace
}  // namespace tfc
