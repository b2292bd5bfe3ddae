// The Keras Fashion-MNIST classifier (TF "Basic classification" tutorial):
//   Flatten(input_shape=(28, 28)) -> Dense(128, relu) -> Dropout(0.2) -> Dense(10, softmax)
// Output shapes and parameter counts as model.summary() reports them: 0, 100480, 0, 1290;
// total 101,770 (= 784*128 + 128 + 128*10 + 10).
#include <gtest/gtest.h>

#include <vector>

#include "tfc/core/random.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

TEST(FashionMnistStack, OutputShapesAndParamCounts) {
    std::vector<LayerHandle> stack = {Flatten({.input_shape = {28, 28}}),
                                      Dense(128, {.activation = "relu"}), Dropout(0.2),
                                      Dense(10, {.activation = "softmax"})};
    Shape shape{-1};
    const Shape& declared = stack.front().get()->declared_input_shape();
    shape.insert(shape.end(), declared.begin(), declared.end());
    const std::vector<Shape> want_shapes = {{-1, 784}, {-1, 128}, {-1, 128}, {-1, 10}};
    const std::vector<std::int64_t> want_params = {0, 100480, 0, 1290};
    std::int64_t total = 0;
    for (std::size_t i = 0; i < stack.size(); ++i) {
        Layer& layer = *stack[i].get();
        layer.build(shape);
        shape = layer.compute_output_shape(shape);
        EXPECT_EQ(shape, want_shapes[i]) << layer.name();
        EXPECT_EQ(layer.count_params(), want_params[i]) << layer.name();
        total += layer.count_params();
    }
    EXPECT_EQ(total, 101770);

    // A forward pass through the built stack gives probabilities per row.
    set_random_seed(1);
    Tensor x = Tensor::zeros({3, 28, 28});
    for (auto& h : stack) x = (*h.get())(x, true);
    EXPECT_EQ(x.shape(), (Shape{3, 10}));
    for (int r = 0; r < 3; ++r) {
        double s = 0;
        for (int c = 0; c < 10; ++c) s += x.at(r * 10 + c);
        EXPECT_NEAR(s, 1.0, 1e-5);
    }
    EXPECT_TRUE(x.keras_logits("softmax").defined());
}

TEST(FashionMnistStack, InputLayerFirst) {
    std::vector<LayerHandle> stack = {Input({28, 28}), Flatten(), Dense(10)};
    Shape shape = static_cast<InputLayer&>(*stack[0].get()).batch_input_shape();
    for (auto& h : stack) {
        h.get()->build(shape);
        shape = h.get()->compute_output_shape(shape);
    }
    EXPECT_EQ(shape, (Shape{-1, 10}));
    EXPECT_EQ(stack[2].get()->count_params(), 7850);
}

}  // namespace
}  // namespace tfc
