// softmax family, dropout and the cross-entropies with logits: gradient checks, forward values
// against the defining formulas, and errors.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using testing::check_gradients;
using testing::random_f64;

TEST(NnGrad, SoftmaxAndLogSoftmaxOnEveryAxis) {
    Tensor x = random_f64({2, 3, 4}, -2, 2, 1);
    for (int axis : {-1, 0, 1, 2}) {
        EXPECT_TRUE(check_gradients(
            [axis](const std::vector<Tensor>& in) { return softmax(in[0], axis); }, {x}))
            << axis;
        EXPECT_TRUE(check_gradients(
            [axis](const std::vector<Tensor>& in) { return log_softmax(in[0], axis); }, {x}))
            << axis;
    }
}

TEST(Nn, SoftmaxForward) {
    Tensor x = random_f64({3, 4}, -30, 30, 2);
    const auto xv = x.to_doubles();
    for (auto dt : {DType::float64, DType::float32}) {
        const auto s = softmax(x.astype(dt), 0).to_doubles();
        const auto ls = log_softmax(x.astype(dt)).to_doubles();
        for (int c = 0; c < 4; ++c) {  // axis 0
            double z = 0;
            for (int r = 0; r < 3; ++r) z += std::exp(xv[r * 4 + c]);
            for (int r = 0; r < 3; ++r) {
                EXPECT_NEAR(s[r * 4 + c], std::exp(xv[r * 4 + c]) / z, 1e-6);
            }
        }
        for (int r = 0; r < 3; ++r) {  // last axis
            double z = 0;
            for (int c = 0; c < 4; ++c) z += std::exp(xv[r * 4 + c]);
            for (int c = 0; c < 4; ++c)
                EXPECT_NEAR(ls[r * 4 + c], xv[r * 4 + c] - std::log(z), 1e-4);
        }
    }
    // Large logits stay finite (max subtraction).
    Tensor big = Tensor::from_vector(std::vector<float>{1000, 1001}, {1, 2});
    EXPECT_NEAR(softmax(big).at(1), 1 / (1 + std::exp(-1.0)), 1e-6);
}

TEST(NnGrad, DropoutWithFixedSeed) {
    Tensor x = random_f64({4, 6}, -1, 1, 3);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            set_random_seed(42);
            return dropout(in[0], 0.4);
        },
        {x}));
}

TEST(Nn, DropoutStatistics) {
    set_random_seed(7);
    const double rate = 0.3;
    Tensor x = Tensor::ones({100000});
    const auto y = dropout(x, rate).to_doubles();
    std::int64_t zeros = 0;
    for (double v : y) {
        if (v == 0)
            ++zeros;
        else
            EXPECT_NEAR(v, 1.0 / (1.0 - rate), 1e-6);
    }
    // Binomial(1e5, 0.3): sd = 145, so 5 sd is 725 elements.
    EXPECT_NEAR(static_cast<double>(zeros), 30000.0, 725.0);
    EXPECT_TRUE(dropout(x, 0.0).same_as(x));
    EXPECT_THROW(dropout(x, 1.0), Error);
    EXPECT_THROW(dropout(x, -0.1), Error);
}

TEST(NnGrad, CrossEntropiesWithLogits) {
    Tensor logits = random_f64({4, 5}, -3, 3, 4);
    Tensor probs = softmax(random_f64({4, 5}, -1, 1, 5));
    Tensor raw = random_f64({4, 5}, 0, 2, 6);  // rows not summing to 1: exact derivative
    for (const Tensor& labels : {probs, raw}) {
        EXPECT_TRUE(check_gradients(
            [](const std::vector<Tensor>& in) {
                return softmax_cross_entropy_with_logits(in[0], in[1]);
            },
            {labels, logits}));
    }
    Tensor bin = random_f64({4, 5}, 0, 1, 7);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return sigmoid_cross_entropy_with_logits(in[0], in[1]);
        },
        {bin, logits}));
    Tensor ids = Tensor::from_vector(std::vector<std::int64_t>{0, 4, 2, 4}, {4});
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return sparse_softmax_cross_entropy_with_logits(in[1], in[0]);
        },
        {logits, ids}));
    Tensor l3 = random_f64({2, 3, 4}, -3, 3, 8);
    Tensor ids3 = Tensor::from_vector(std::vector<std::int32_t>{0, 1, 2, 3, 3, 0}, {2, 3});
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return sparse_softmax_cross_entropy_with_logits(in[1], in[0]);
        },
        {l3, ids3}));
}

TEST(Nn, CrossEntropyForwardMatchesDefinitions) {
    Tensor z = random_f64({3, 4}, -40, 40, 9);
    Tensor y = softmax(random_f64({3, 4}, -1, 1, 10));
    const auto zv = z.to_doubles(), yv = y.to_doubles();
    const auto ce = softmax_cross_entropy_with_logits(y, z).to_doubles();
    const auto bce = sigmoid_cross_entropy_with_logits(y, z).to_doubles();
    for (int r = 0; r < 3; ++r) {
        double mx = -1e300, s = 0, want = 0;
        for (int c = 0; c < 4; ++c) mx = std::max(mx, zv[r * 4 + c]);
        for (int c = 0; c < 4; ++c) s += std::exp(zv[r * 4 + c] - mx);
        for (int c = 0; c < 4; ++c) want -= yv[r * 4 + c] * (zv[r * 4 + c] - mx - std::log(s));
        EXPECT_NEAR(ce[r], want, 1e-10);
        for (int c = 0; c < 4; ++c) {
            const double zz = zv[r * 4 + c], yy = yv[r * 4 + c];
            // -y log(sigmoid(z)) - (1 - y) log(1 - sigmoid(z)), written with log1p for range.
            const double ref = yy * std::log1p(std::exp(-zz)) + (1 - yy) * std::log1p(std::exp(zz));
            EXPECT_NEAR(bce[r * 4 + c], ref, 1e-9);
        }
    }
    // Sparse with float class ids equals the dense form with one-hot labels.
    Tensor ids = Tensor::from_vector(std::vector<float>{3, 0, 1}, {3, 1});
    Tensor dense_y =
        one_hot(Tensor::from_vector(std::vector<std::int64_t>{3, 0, 1}, {3}), 4, DType::float64);
    const auto sp = sparse_softmax_cross_entropy_with_logits(ids, z).to_doubles();
    const auto dn = softmax_cross_entropy_with_logits(dense_y, z).to_doubles();
    for (int r = 0; r < 3; ++r) EXPECT_NEAR(sp[r], dn[r], 1e-12);
}

TEST(Nn, Errors) {
    Tensor z = Tensor::zeros({2, 3});
    EXPECT_THROW(softmax(Tensor::scalar(1.0)), Error);
    EXPECT_THROW(softmax(z, 2), Error);
    EXPECT_THROW(softmax_cross_entropy_with_logits(Tensor::zeros({2, 4}), z), Error);
    EXPECT_THROW(sigmoid_cross_entropy_with_logits(Tensor::zeros({3}), z), Error);
    EXPECT_THROW(sparse_softmax_cross_entropy_with_logits(
                     Tensor::from_vector(std::vector<std::int64_t>{0, 3}, {2}), z),
                 Error);
    EXPECT_THROW(sparse_softmax_cross_entropy_with_logits(
                     Tensor::from_vector(std::vector<std::int64_t>{0, 1, 2}, {3}), z),
                 Error);
}

}  // namespace
}  // namespace tfc::ops
