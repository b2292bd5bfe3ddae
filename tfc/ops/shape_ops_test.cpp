// Shape and indexing ops: gradient checks, forward semantics and error messages.
#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using testing::check_gradients;
using testing::random_f64;

TEST(ShapeOpsGrad, ReshapeExpandSqueeze) {
    Tensor x = random_f64({2, 3, 4}, -1, 1, 1);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return reshape(in[0], {4, -1});
        },
        {x}));
    EXPECT_TRUE(
        check_gradients([](const std::vector<Tensor>& in) { return expand_dims(in[0], -1); }, {x}));
    EXPECT_TRUE(
        check_gradients([](const std::vector<Tensor>& in) { return expand_dims(in[0], 1); }, {x}));
    Tensor y = random_f64({2, 1, 4}, -1, 1, 2);
    EXPECT_TRUE(
        check_gradients([](const std::vector<Tensor>& in) { return squeeze(in[0], 1); }, {y}));
}

TEST(ShapeOpsGrad, Transpose) {
    Tensor x = random_f64({2, 3, 4}, -1, 1, 3);
    for (const std::vector<int>& perm : std::vector<std::vector<int>>{
             {}, {0, 2, 1}, {1, 0, 2}, {2, 0, 1}, {1, 2, 0}, {0, 1, 2}, {-1, 0, 1}}) {
        EXPECT_TRUE(check_gradients(
            [perm](const std::vector<Tensor>& in) { return transpose(in[0], perm); }, {x}));
    }
}

TEST(ShapeOps, TransposeForwardMatchesIndexFormula) {
    Tensor x = random_f64({2, 3, 4, 5}, -1, 1, 4);
    const auto xv = x.to_doubles();
    const std::vector<std::vector<int>> perms = {
        {3, 2, 1, 0}, {0, 2, 1, 3}, {1, 0, 2, 3}, {0, 1, 3, 2}, {2, 3, 0, 1}};
    const Shape s = x.shape();
    for (const auto& perm : perms) {
        for (auto dt : {DType::float64, DType::float32, DType::uint8}) {
            Tensor src =
                dt == DType::uint8 ? mul(x, 100.0).astype(DType::int64).astype(dt) : x.astype(dt);
            const auto sv = src.to_doubles();
            Tensor y = transpose(src, perm);
            const Shape& ys = y.shape();
            const auto yv = y.to_doubles();
            std::int64_t flat = 0;
            std::vector<std::int64_t> o(4);
            for (o[0] = 0; o[0] < ys[0]; ++o[0]) {
                for (o[1] = 0; o[1] < ys[1]; ++o[1]) {
                    for (o[2] = 0; o[2] < ys[2]; ++o[2]) {
                        for (o[3] = 0; o[3] < ys[3]; ++o[3], ++flat) {
                            std::vector<std::int64_t> in(4);
                            for (int d = 0; d < 4; ++d) in[perm[d]] = o[d];
                            const std::int64_t src_flat =
                                ((in[0] * s[1] + in[1]) * s[2] + in[2]) * s[3] + in[3];
                            ASSERT_EQ(yv[flat], sv[src_flat]);
                        }
                    }
                }
            }
        }
    }
}

TEST(ShapeOpsGrad, SliceConcat) {
    Tensor x = random_f64({4, 5, 3}, -1, 1, 5);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return slice(in[0], {1, 0, 1}, {2, -1, 2});
        },
        {x}));
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return slice(in[0], {0, 2, 0}, {4, 0, 3});
        },
        {x}));
    Tensor a = random_f64({2, 3}, -1, 1, 6);
    Tensor b = random_f64({2, 1}, -1, 1, 7);
    Tensor c = random_f64({2, 4}, -1, 1, 8);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return concat({in[0], in[1], in[2]}, -1);
        },
        {a, b, c}));
    Tensor d = random_f64({3, 3}, -1, 1, 9);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return concat({in[0], in[1], in[0]}, 0);
        },
        {a, d}));
}

TEST(ShapeOpsGrad, GatherRepeatedIndicesAccumulate) {
    Tensor p = random_f64({5, 3}, -1, 1, 10);
    Tensor idx = Tensor::from_vector(std::vector<std::int64_t>{4, 0, 4, 2, 4, 0}, {2, 3});
    EXPECT_TRUE(check_gradients([](const std::vector<Tensor>& in) { return gather(in[0], in[1]); },
                                {p, idx}));
    autograd::GradientTape tape;
    tape.watch(p);
    auto g = tape.gradient(sum(gather(p, idx)), {p});
    EXPECT_EQ(g[0].to_doubles(),
              (std::vector<double>{2, 2, 2, 0, 0, 0, 1, 1, 1, 0, 0, 0, 3, 3, 3}));
    Tensor v = random_f64({6}, -1, 1, 11);
    Tensor i32 = Tensor::from_vector(std::vector<std::int32_t>{5, 5, 1}, {3});
    EXPECT_TRUE(check_gradients([](const std::vector<Tensor>& in) { return gather(in[0], in[1]); },
                                {v, i32}));
}

TEST(ShapeOpsGrad, CastBetweenFloatTypes) {
    Tensor x = random_f64({3, 2}, -1, 1, 12);
    // float64 -> float32 -> float64 rounds to float32 precision, so check the exact path only.
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) { return mul(cast(in[0], DType::float64), in[0]); },
        {x}));
    autograd::GradientTape tape;
    tape.watch(x);
    Tensor y = sum(cast(x, DType::float32));
    auto g = tape.gradient(y, {x});
    EXPECT_EQ(g[0].dtype(), DType::float64);
    EXPECT_EQ(g[0].to_doubles(), std::vector<double>(6, 1.0));
}

TEST(ShapeOps, StopGradient) {
    Tensor x = random_f64({3}, -1, 1, 13);
    autograd::GradientTape tape;
    tape.watch(x);
    auto g = tape.gradient(sum(mul(stop_gradient(x), x)), {x});
    EXPECT_EQ(g[0].to_doubles(), x.to_doubles());
}

TEST(ShapeOps, ForwardValues) {
    Tensor x = Tensor::from_vector(std::vector<float>{0, 1, 2, 3, 4, 5}, {2, 3});
    EXPECT_EQ(slice(x, {0, 1}, {2, 2}).to_doubles(), (std::vector<double>{1, 2, 4, 5}));
    EXPECT_EQ(concat({x, x}, 0).shape(), (Shape{4, 3}));
    EXPECT_EQ(concat({x, slice(x, {0, 0}, {2, 1})}, 1).to_doubles(),
              (std::vector<double>{0, 1, 2, 0, 3, 4, 5, 3}));
    EXPECT_EQ(take_rows(x, {1, 1, 0}).to_doubles(),
              (std::vector<double>{3, 4, 5, 3, 4, 5, 0, 1, 2}));
    Tensor ids = Tensor::from_vector(std::vector<std::int32_t>{2, 0}, {2});
    EXPECT_EQ(one_hot(ids, 3).to_doubles(), (std::vector<double>{0, 0, 1, 1, 0, 0}));
    EXPECT_EQ(reshape(x, {-1}).shape(), (Shape{6}));
    EXPECT_EQ(reshape(x, {3, -1, 1}).shape(), (Shape{3, 2, 1}));
    EXPECT_EQ(transpose(Tensor::scalar(3.0)).item(), 3.0);
}

std::string message_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(ShapeOps, ErrorMessages) {
    Tensor x = Tensor::zeros({2, 3});
    std::string m = message_of([&] { reshape(x, {4, -1}); });
    EXPECT_NE(m.find("[reshape] cannot infer the -1 dimension. Got (2, 3) -> (4, -1)."),
              std::string::npos)
        << m;
    EXPECT_NE(m.find("Fix:"), std::string::npos);
    EXPECT_NE(message_of([&] {
                  reshape(x, {-1, -1});
              }).find("more than one -1"),
              std::string::npos);
    EXPECT_NE(message_of([&] {
                  reshape(x, {-2, -3});
              }).find("negative dimension"),
              std::string::npos);
    EXPECT_NE(message_of([&] { reshape(x, {5}); }).find("element count"), std::string::npos);
    m = message_of([&] { slice(x, {1, 1}, {2, 1}); });
    EXPECT_NE(m.find("[slice] slice out of bounds on axis 0. Got begin 1, size 2 on (2, 3)."),
              std::string::npos)
        << m;
    EXPECT_FALSE(message_of([&] { slice(x, {0, -1}, {1, 1}); }).empty());
    EXPECT_FALSE(message_of([&] { slice(x, {0}, {1}); }).empty());
    Tensor idx = Tensor::from_vector(std::vector<std::int64_t>{0, 2}, {2});
    m = message_of([&] { gather(x, idx); });
    EXPECT_NE(
        m.find("[gather] index out of range. Got 2 at position 1. Expected an index in [0, 2)."),
        std::string::npos)
        << m;
    Tensor neg_idx = Tensor::from_vector(std::vector<std::int32_t>{-1}, {1});
    EXPECT_FALSE(message_of([&] { gather(x, neg_idx); }).empty());
    EXPECT_FALSE(message_of([&] { gather(x, Tensor::zeros({1})); }).empty());  // float indices
    EXPECT_FALSE(message_of([&] { take_rows(x, {2}); }).empty());
    EXPECT_FALSE(message_of([&] { one_hot(idx, 2); }).empty());
    EXPECT_FALSE(message_of([&] { transpose(x, {0, 0}); }).empty());
    EXPECT_FALSE(message_of([&] { transpose(x, {0}); }).empty());
    EXPECT_FALSE(message_of([&] { squeeze(x, 0); }).empty());
    EXPECT_FALSE(message_of([&] { concat({x, Tensor::zeros({3, 3})}, 1); }).empty());
    EXPECT_FALSE(message_of([&] { concat({}, 0); }).empty());
    EXPECT_FALSE(message_of([&] { expand_dims(x, 4); }).empty());
}

}  // namespace
}  // namespace tfc::ops
