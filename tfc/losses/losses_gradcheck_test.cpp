// Finite-difference gradient checks (float64) of every loss: the probability path away from the
// clip bounds, the from_logits path and the logits shortcut, with sample weights.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/losses/losses.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {
namespace {

using tfc::testing::check_gradients;
using tfc::testing::random_f64;
using tfc::testing::random_f64_away_from_zero;

constexpr std::int64_t kBatch = 5;

Tensor binary_labels(const Shape& shape, std::uint64_t seed) {
    std::vector<double> v = random_f64(shape, 0.0, 1.0, seed).to_doubles();
    for (double& x : v) x = x < 0.5 ? 0.0 : 1.0;
    return Tensor::from_vector(v, shape);
}

Tensor one_hot_labels(std::int64_t classes) {
    return ops::one_hot(Tensor::from_vector(std::vector<std::int32_t>{0, 2, 1, 2, 0}, {kBatch}),
                        classes, DType::float64);
}

Tensor weights() {
    return Tensor::from_vector(std::vector<double>{1.0, 0.5, 0.0, 2.0, 1.5}, {kBatch});
}

// y_pred as a Keras activation produces it: with its logits attached.
Tensor activation_output(const Tensor& logits, const char* kind) {
    Tensor y = std::string(kind) == "sigmoid" ? ops::sigmoid(logits) : ops::softmax(logits);
    y.set_keras_logits(logits, kind);
    return y;
}

TEST(LossGradients, BinaryCrossentropyProbabilities) {
    const Tensor y = binary_labels({kBatch, 3}, 1);
    const BinaryCrossentropy loss({.label_smoothing = 0.1});
    EXPECT_TRUE(
        check_gradients([&](const std::vector<Tensor>& in) { return loss(y, in[0], weights()); },
                        {random_f64({kBatch, 3}, 0.05, 0.95, 2)}));
}

TEST(LossGradients, BinaryCrossentropyLogits) {
    const Tensor y = random_f64({kBatch, 2}, 0.0, 1.0, 3);  // soft labels
    const BinaryCrossentropy loss({.from_logits = true});
    EXPECT_TRUE(
        check_gradients([&](const std::vector<Tensor>& in) { return loss(y, in[0], weights()); },
                        {random_f64({kBatch, 2}, -4.0, 4.0, 4)}));
}

TEST(LossGradients, BinaryCrossentropyShortcut) {
    const Tensor y = binary_labels({kBatch, 1}, 5);
    const BinaryCrossentropy loss;
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) {
            return loss(y, activation_output(in[0], "sigmoid"), weights());
        },
        {random_f64({kBatch, 1}, -25.0, 25.0, 6)}));
}

TEST(LossGradients, CategoricalCrossentropyProbabilities) {
    const Tensor y = one_hot_labels(3);
    const CategoricalCrossentropy loss({.label_smoothing = 0.2});
    // Unnormalised positive scores: the loss renormalises them first.
    EXPECT_TRUE(
        check_gradients([&](const std::vector<Tensor>& in) { return loss(y, in[0], weights()); },
                        {random_f64({kBatch, 3}, 0.1, 1.0, 8)}));
}

TEST(LossGradients, CategoricalCrossentropyLogits) {
    const Tensor y = one_hot_labels(3);
    const CategoricalCrossentropy loss({.from_logits = true});
    EXPECT_TRUE(
        check_gradients([&](const std::vector<Tensor>& in) { return loss(y, in[0], weights()); },
                        {random_f64({kBatch, 3}, -3.0, 3.0, 10)}));
}

TEST(LossGradients, CategoricalCrossentropyShortcut) {
    const Tensor y = one_hot_labels(3);
    const CategoricalCrossentropy loss;
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) {
            return loss(y, activation_output(in[0], "softmax"), weights());
        },
        {random_f64({kBatch, 3}, -20.0, 20.0, 12)}));
}

TEST(LossGradients, SparseCategoricalCrossentropyProbabilities) {
    const Tensor y = Tensor::from_vector(std::vector<std::int32_t>{0, 2, 1, 3, 0}, {kBatch, 1});
    const SparseCategoricalCrossentropy loss;
    EXPECT_TRUE(
        check_gradients([&](const std::vector<Tensor>& in) { return loss(y, in[0], weights()); },
                        {random_f64({kBatch, 4}, 0.05, 0.9, 13)}));
}

TEST(LossGradients, SparseCategoricalCrossentropyLogits) {
    const Tensor y = Tensor::from_vector(std::vector<double>{0, 2, 1, 3, 0}, {kBatch});
    const SparseCategoricalCrossentropy loss({.from_logits = true});
    EXPECT_TRUE(
        check_gradients([&](const std::vector<Tensor>& in) { return loss(y, in[0], weights()); },
                        {random_f64({kBatch, 4}, -3.0, 3.0, 14)}));
}

TEST(LossGradients, SparseCategoricalCrossentropyShortcut) {
    const Tensor y = Tensor::from_vector(std::vector<std::int64_t>{3, 2, 1, 0, 0}, {kBatch});
    const SparseCategoricalCrossentropy loss;
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) {
            return loss(y, activation_output(in[0], "softmax"), weights());
        },
        {random_f64({kBatch, 4}, -20.0, 20.0, 15)}));
}

TEST(LossGradients, MeanSquaredError) {
    const Tensor y = random_f64({kBatch, 3}, -2.0, 2.0, 16);
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) { return MeanSquaredError()(y, in[0], weights()); },
        {random_f64({kBatch, 3}, -2.0, 2.0, 17)}));
}

TEST(LossGradients, MeanAbsoluteError) {
    const Tensor y = random_f64({kBatch, 3}, -2.0, 2.0, 18);
    const Tensor y_pred = ops::add(y, random_f64_away_from_zero({kBatch, 3}, 0.01, 19));
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) { return MeanAbsoluteError()(y, in[0], weights()); },
        {y_pred}));
}

TEST(LossGradients, Huber) {
    const Tensor y = random_f64({kBatch, 4}, -2.0, 2.0, 20);
    // Errors on both sides of delta = 0.5, none within 0.01 of a kink.
    std::vector<double> e = random_f64_away_from_zero({kBatch, 4}, 0.01, 21).to_doubles();
    for (std::size_t i = 0; i < e.size(); ++i) e[i] *= (i % 2 ? 0.45 : 2.0);
    const Tensor y_pred = ops::add(y, Tensor::from_vector(e, {kBatch, 4}));
    const Huber loss({.delta = 0.5});
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) { return loss(y, in[0], weights()); }, {y_pred}));
}

}  // namespace
}  // namespace tfc::losses
