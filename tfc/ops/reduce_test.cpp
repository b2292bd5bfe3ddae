// Reductions: gradient checks over axis sets and keepdims, tie splitting for max/min, forward
// values against explicit loops, argmax and error messages.
#include <gtest/gtest.h>

#include <cmath>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using testing::check_gradients;
using testing::random_f64;

const std::vector<std::vector<int>> kAxisSets = {{},     {0},    {1},    {2},    {-1},
                                                 {0, 2}, {0, 1}, {1, 2}, {2, 0}, {0, 1, 2}};

TEST(ReduceGrad, AllKindsAxesAndKeepdims) {
    using RFn = Tensor (*)(const Tensor&, std::vector<int>, bool);
    const std::pair<const char*, RFn> ops[] = {
        {"sum", sum}, {"mean", mean}, {"max", max}, {"min", min}};
    Tensor x = random_f64({2, 3, 4}, -1, 1, 1);
    for (const auto& [name, fn] : ops) {
        for (const auto& axes : kAxisSets) {
            for (bool keep : {false, true}) {
                EXPECT_TRUE(check_gradients(
                    [fn = fn, axes, keep](const std::vector<Tensor>& in) {
                        return fn(in[0], axes, keep);
                    },
                    {x}))
                    << name << " axes size " << axes.size() << " keepdims " << keep;
            }
        }
    }
}

TEST(ReduceGrad, MaxTiesSplitTheGradient) {
    // TF's reduce_max gradient divides by the number of tied maxima.
    Tensor x = Tensor::from_vector(std::vector<double>{3, 1, 3, 3, 2, 5}, {2, 3});
    autograd::GradientTape tape;
    tape.watch(x);
    Tensor y = max(x, {1});
    auto g = tape.gradient(y, {x});
    EXPECT_EQ(g[0].to_doubles(), (std::vector<double>{0.5, 0, 0.5, 0, 0, 1}));
    autograd::GradientTape t2;
    t2.watch(x);
    auto g2 = t2.gradient(min(x), {x});
    EXPECT_EQ(g2[0].to_doubles(), (std::vector<double>{0, 1, 0, 0, 0, 0}));
    autograd::GradientTape t3;
    t3.watch(x);
    auto g3 = t3.gradient(max(x, {0}), {x});  // column 0 ties: 3 and 3
    EXPECT_EQ(g3[0].to_doubles(), (std::vector<double>{0.5, 0, 0, 0.5, 1, 1}));
}

TEST(Reduce, ForwardMatchesLoops) {
    Tensor x64 = random_f64({3, 4, 5}, -2, 2, 2);
    const auto v = x64.to_doubles();
    for (auto dt : {DType::float64, DType::float32}) {
        Tensor x = x64.astype(dt);
        const double tol = dt == DType::float32 ? 1e-5 : 1e-12;
        Tensor s = sum(x, {0, 2}, true);
        Tensor m = max(x, {1});
        Tensor n = min(x, {0});
        Tensor mu = mean(x, {2});
        ASSERT_EQ(s.shape(), (Shape{1, 4, 1}));
        ASSERT_EQ(m.shape(), (Shape{3, 5}));
        for (int j = 0; j < 4; ++j) {
            double acc = 0;
            for (int i = 0; i < 3; ++i) {
                for (int k = 0; k < 5; ++k) acc += v[(i * 4 + j) * 5 + k];
            }
            EXPECT_NEAR(s.at(j), acc, tol * 10);
        }
        for (int i = 0; i < 3; ++i) {
            for (int k = 0; k < 5; ++k) {
                double mx = -1e300;
                for (int j = 0; j < 4; ++j) mx = std::max(mx, v[(i * 4 + j) * 5 + k]);
                EXPECT_NEAR(m.at(i * 5 + k), mx, tol);
            }
        }
        for (int j = 0; j < 4; ++j) {
            for (int k = 0; k < 5; ++k) {
                double mn = 1e300;
                for (int i = 0; i < 3; ++i) mn = std::min(mn, v[(i * 4 + j) * 5 + k]);
                EXPECT_NEAR(n.at(j * 5 + k), mn, tol);
            }
        }
        for (int r = 0; r < 12; ++r) {
            double acc = 0;
            for (int k = 0; k < 5; ++k) acc += v[r * 5 + k];
            EXPECT_NEAR(mu.at(r), acc / 5, tol);
        }
        EXPECT_NEAR(
            sum(x).item(),
            [&] {
                double a = 0;
                for (double e : v) a += e;
                return a;
            }(),
            tol * 100);
    }
}

TEST(Reduce, NanPropagatesThroughMax) {
    for (auto dt : {DType::float32, DType::float64}) {
        Tensor x = Tensor::from_doubles({1, NAN, 3, 4, 5, 6}, {3, 2}, dt);
        Tensor m = max(x, {0});
        EXPECT_TRUE(std::isnan(m.at(1)));
        EXPECT_EQ(m.at(0), 5);
        EXPECT_TRUE(std::isnan(max(x, {1}).at(0)));
    }
}

TEST(Reduce, ArgmaxFirstMaximumWins) {
    Tensor x = Tensor::from_vector(std::vector<float>{1, 3, 3, 0, 7, 2, 7, 1}, {2, 4});
    Tensor a = argmax(x);
    EXPECT_EQ(a.dtype(), DType::int64);
    EXPECT_EQ(a.to_doubles(), (std::vector<double>{1, 0}));
    EXPECT_EQ(argmax(x, 0).to_doubles(), (std::vector<double>{1, 0, 1, 1}));
    Tensor ties = Tensor::from_vector(std::vector<double>{2, 5, 5, 5}, {2, 2});
    EXPECT_EQ(argmax(ties, 0).to_doubles(), (std::vector<double>{1, 0}));
}

TEST(Reduce, Errors) {
    Tensor x = Tensor::zeros({2, 3});
    EXPECT_THROW(sum(x, {2}), Error);
    EXPECT_THROW(sum(x, {-3}), Error);
    EXPECT_THROW(max(Tensor::zeros({2, 0}), {1}), Error);
    EXPECT_THROW(sum(Tensor::zeros({2}, DType::int64)), Error);
    EXPECT_THROW(argmax(Tensor::zeros({3, 0}), 1), Error);
    EXPECT_EQ(sum(Tensor::zeros({2, 0}), {1}).to_doubles(), (std::vector<double>{0, 0}));
}

}  // namespace
}  // namespace tfc::ops
