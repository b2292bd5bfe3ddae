// Gradient checks (float64 finite differences) and forward semantics of the binary ops, where,
// broadcast_to and sum_to.
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
using Fn2 = Tensor (*)(const Tensor&, const Tensor&);

struct ShapePair {
    Shape a, b;
};

// Broadcasting in both directions, scalars and rank mismatch.
const ShapePair kShapePairs[] = {
    {{2, 3}, {2, 3}}, {{2, 3}, {3}},       {{3}, {2, 3}},    {{2, 3}, {}},     {{}, {2, 3}},
    {{4, 1}, {1, 3}}, {{2, 1, 3}, {4, 1}}, {{2, 3}, {2, 1}}, {{1}, {2, 2, 2}}, {{2, 4, 3}, {4, 3}},
};

void check_binary(Fn2 fn, double lo_a, double hi_a, double lo_b, double hi_b) {
    int seed = 1;
    for (const auto& sp : kShapePairs) {
        Tensor a = random_f64(sp.a, lo_a, hi_a, seed++);
        Tensor b = random_f64(sp.b, lo_b, hi_b, seed++);
        EXPECT_TRUE(check_gradients(
            [fn](const std::vector<Tensor>& in) { return fn(in[0], in[1]); }, {a, b}))
            << shape_str(sp.a) << " with " << shape_str(sp.b);
    }
}

TEST(ElementwiseGrad, Add) {
    check_binary([](const Tensor& a, const Tensor& b) { return add(a, b); }, -1, 1, -1, 1);
}
TEST(ElementwiseGrad, Sub) {
    check_binary([](const Tensor& a, const Tensor& b) { return sub(a, b); }, -1, 1, -1, 1);
}
TEST(ElementwiseGrad, Mul) {
    check_binary([](const Tensor& a, const Tensor& b) { return mul(a, b); }, -1, 1, -1, 1);
}
TEST(ElementwiseGrad, Div) {
    check_binary([](const Tensor& a, const Tensor& b) { return div(a, b); }, -1, 1, 0.5, 2);
}
TEST(ElementwiseGrad, Pow) {
    check_binary([](const Tensor& a, const Tensor& b) { return pow(a, b); }, 0.5, 2, -1.5, 1.5);
}
// maximum/minimum: operands drawn from disjoint-ish ranges are still mixed per element; ties are
// avoided because random doubles never coincide.
TEST(ElementwiseGrad, Maximum) {
    check_binary([](const Tensor& a, const Tensor& b) { return maximum(a, b); }, -1, 1, -1, 1);
}
TEST(ElementwiseGrad, Minimum) {
    check_binary([](const Tensor& a, const Tensor& b) { return minimum(a, b); }, -1, 1, -1, 1);
}

TEST(ElementwiseGrad, ScalarConveniences) {
    Tensor x = random_f64({3, 2}, 0.5, 2.0, 3);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return add(rsub(2.0, div(mul(sub(add(in[0], 1.5), 0.25), 3.0), 2.0)), in[0]);
        },
        {x}));
}

TEST(ElementwiseGrad, SameTensorTwice) {
    Tensor x = random_f64({5}, -1, 1, 4);
    EXPECT_TRUE(
        check_gradients([](const std::vector<Tensor>& in) { return mul(in[0], in[0]); }, {x}));
}

TEST(ElementwiseGrad, MaximumTiesGoToFirstOperand) {
    // TF's Maximum/Minimum gradients route ties to x (x >= y mask).
    Tensor a = Tensor::from_vector(std::vector<double>{1.0, 2.0}, {2});
    Tensor b = Tensor::from_vector(std::vector<double>{1.0, 3.0}, {2});
    for (bool is_max : {true, false}) {
        autograd::GradientTape tape;
        tape.watch(a);
        tape.watch(b);
        Tensor y = is_max ? maximum(a, b) : minimum(a, b);
        auto g = tape.gradient(sum(y), {a, b});
        EXPECT_EQ(g[0].to_doubles()[0], 1.0);
        EXPECT_EQ(g[1].to_doubles()[0], 0.0);
        EXPECT_EQ(g[0].to_doubles()[1], is_max ? 0.0 : 1.0);
        EXPECT_EQ(g[1].to_doubles()[1], is_max ? 1.0 : 0.0);
    }
}

TEST(ElementwiseGrad, Where) {
    Tensor c = greater(random_f64({2, 3}, -1, 1, 5), Tensor::scalar(0.0, DType::float64));
    Tensor ccol = greater(random_f64({2, 1}, -1, 1, 6), Tensor::scalar(0.0, DType::float64));
    struct Case {
        Tensor cond;
        Shape a, b;
    };
    const Case cases[] = {{c, {2, 3}, {2, 3}},
                          {c, {3}, {}},
                          {c, {2, 1}, {1, 3}},
                          {ccol, {2, 3}, {3}},
                          {ccol, {4, 1, 1}, {2, 3}}};
    int seed = 10;
    for (const auto& cs : cases) {
        Tensor a = random_f64(cs.a, -1, 1, seed++);
        Tensor b = random_f64(cs.b, -1, 1, seed++);
        Tensor cond = cs.cond;
        EXPECT_TRUE(check_gradients(
            [cond](const std::vector<Tensor>& in) { return where(cond, in[0], in[1]); }, {a, b}))
            << shape_str(cs.a) << " " << shape_str(cs.b);
    }
}

TEST(ElementwiseGrad, BroadcastToAndSumTo) {
    Tensor x = random_f64({3, 1}, -1, 1, 20);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return broadcast_to(in[0], {2, 3, 4});
        },
        {x}));
    Tensor s = random_f64({}, -1, 1, 21);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return broadcast_to(in[0], {2, 2});
        },
        {s}));
    Tensor g = random_f64({2, 3, 4}, -1, 1, 22);
    for (const Shape& target : {Shape{3, 1}, Shape{4}, Shape{}, Shape{1, 3, 4}, Shape{2, 1, 1}}) {
        EXPECT_TRUE(check_gradients(
            [target](const std::vector<Tensor>& in) { return sum_to(in[0], target); }, {g}))
            << shape_str(target);
    }
}

// Forward values against an element-by-element evaluation of the broadcast formula.
TEST(Elementwise, BroadcastForwardMatchesIndexFormula) {
    Tensor a = random_f64({2, 1, 3}, -1, 1, 30);
    Tensor b = random_f64({4, 1}, 0.5, 1, 31);
    const auto av = a.to_doubles(), bv = b.to_doubles();
    for (auto dt : {DType::float64, DType::float32}) {
        Tensor y = div(a.astype(dt), b.astype(dt));
        ASSERT_EQ(y.shape(), (Shape{2, 4, 3}));
        const auto yv = y.to_doubles();
        for (int i = 0; i < 2; ++i) {
            for (int j = 0; j < 4; ++j) {
                for (int k = 0; k < 3; ++k) {
                    EXPECT_NEAR(yv[(i * 4 + j) * 3 + k], av[i * 3 + k] / bv[j], 1e-6);
                }
            }
        }
    }
}

TEST(Elementwise, WhereAndBroadcastToForward) {
    Tensor cond = Tensor::from_vector(std::vector<std::uint8_t>{1, 0}, {2, 1}).astype(DType::bool_);
    Tensor a = Tensor::from_vector(std::vector<float>{1, 2, 3}, {3});
    Tensor b = Tensor::scalar(-1.0);
    Tensor y = where(cond, a, b);
    EXPECT_EQ(y.shape(), (Shape{2, 3}));
    EXPECT_EQ(y.to_doubles(), (std::vector<double>{1, 2, 3, -1, -1, -1}));
    Tensor ids = Tensor::from_vector(std::vector<std::int64_t>{7, 8}, {2, 1});
    EXPECT_EQ(broadcast_to(ids, {2, 3}).to_doubles(), (std::vector<double>{7, 7, 7, 8, 8, 8}));
    EXPECT_EQ(broadcast_to(a, {2, 3}).to_doubles(), (std::vector<double>{1, 2, 3, 1, 2, 3}));
}

TEST(Elementwise, IntegerAndBoolRules) {
    Tensor i = Tensor::from_vector(std::vector<std::int32_t>{1, 5}, {2});
    Tensor j = Tensor::from_vector(std::vector<std::int32_t>{3, 2}, {2});
    EXPECT_EQ(add(i, j).to_doubles(), (std::vector<double>{4, 7}));
    EXPECT_EQ(maximum(i, j).to_doubles(), (std::vector<double>{3, 5}));
    EXPECT_EQ(greater(i, j).dtype(), DType::bool_);
    try {
        div(i, j);
        FAIL() << "integer division must throw";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("[div]"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("Fix:"), std::string::npos) << e.what();
    }
    Tensor t = greater(i, j);
    EXPECT_THROW(add(t, t), Error);
    EXPECT_EQ(maximum(t, less(i, j)).to_doubles(), (std::vector<double>{1, 1}));
}

TEST(Elementwise, ErrorMessages) {
    Tensor a = Tensor::zeros({2, 3});
    Tensor b = Tensor::zeros({4});
    try {
        add(a, b);
        FAIL();
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("[add] shapes do not broadcast. Got (2, 3) and (4,)."), std::string::npos)
            << m;
        EXPECT_NE(m.find("Fix:"), std::string::npos);
    }
    EXPECT_THROW(add(a, Tensor::zeros({2, 3}, DType::float64)), Error);  // dtype mismatch
    EXPECT_THROW(add(a, Tensor()), Error);
    EXPECT_THROW(where(a, a, a), Error);  // cond not bool
    EXPECT_THROW(broadcast_to(a, {3, 3}), Error);
    EXPECT_THROW(broadcast_to(a, {3}), Error);
    EXPECT_THROW(sum_to(a, {2, 2}), Error);
    EXPECT_THROW(sum_to(a, {3, 2}), Error);  // same element count, not a broadcast
}

}  // namespace
}  // namespace tfc::ops
