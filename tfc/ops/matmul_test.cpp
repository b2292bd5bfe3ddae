// matmul (all transpose combinations, batched) and the fused dense op: gradient checks in
// float64, float32 forward against an explicit triple loop, and error messages.
#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using testing::check_gradients;
using testing::random_f64;

// Logical [m, k] operand stored transposed when `t`.
Shape operand(std::int64_t batch, std::int64_t rows, std::int64_t cols, bool t) {
    Shape s = t ? Shape{cols, rows} : Shape{rows, cols};
    if (batch > 0) s.insert(s.begin(), batch);
    return s;
}

TEST(MatmulGrad, AllTransposesAndBatched) {
    int seed = 1;
    for (std::int64_t batch : {0, 3}) {
        for (bool ta : {false, true}) {
            for (bool tb : {false, true}) {
                Tensor a = random_f64(operand(batch, 4, 3, ta), -1, 1, seed++);
                Tensor b = random_f64(operand(batch, 3, 5, tb), -1, 1, seed++);
                EXPECT_TRUE(check_gradients(
                    [ta, tb](const std::vector<Tensor>& in) {
                        return matmul(in[0], in[1], ta, tb);
                    },
                    {a, b}))
                    << "batch " << batch << " ta " << ta << " tb " << tb;
            }
        }
    }
}

TEST(MatmulGrad, Dense) {
    Tensor k = random_f64({4, 3}, -1, 1, 10);
    Tensor bias = random_f64({3}, -1, 1, 11);
    for (const Shape& xs : {Shape{5, 4}, Shape{2, 3, 4}, Shape{4}}) {
        Tensor x = random_f64(xs, -1, 1, 12);
        EXPECT_TRUE(check_gradients(
            [](const std::vector<Tensor>& in) { return dense(in[0], in[1], in[2]); }, {x, k, bias}))
            << shape_str(xs);
        EXPECT_TRUE(check_gradients(
            [](const std::vector<Tensor>& in) { return dense(in[0], in[1], Tensor()); }, {x, k}))
            << shape_str(xs);
    }
}

void naive(const std::vector<double>& a,
           const std::vector<double>& b,
           std::vector<double>& c,
           std::int64_t m,
           std::int64_t n,
           std::int64_t k,
           bool ta,
           bool tb) {
    c.assign(m * n, 0.0);
    for (std::int64_t i = 0; i < m; ++i) {
        for (std::int64_t j = 0; j < n; ++j) {
            for (std::int64_t l = 0; l < k; ++l) {
                c[i * n + j] +=
                    (ta ? a[l * m + i] : a[i * k + l]) * (tb ? b[j * k + l] : b[l * n + j]);
            }
        }
    }
}

TEST(Matmul, Float32ForwardMatchesNaiveLoop) {
    const std::int64_t m = 7, n = 5, k = 9;
    int seed = 20;
    for (bool ta : {false, true}) {
        for (bool tb : {false, true}) {
            Tensor a = random_f64(operand(2, m, k, ta), -1, 1, seed++);
            Tensor b = random_f64(operand(2, k, n, tb), -1, 1, seed++);
            Tensor c = matmul(a.astype(DType::float32), b.astype(DType::float32), ta, tb);
            ASSERT_EQ(c.shape(), (Shape{2, m, n}));
            const auto av = a.to_doubles(), bv = b.to_doubles(), cv = c.to_doubles();
            for (int bi = 0; bi < 2; ++bi) {
                std::vector<double> ab(av.begin() + bi * m * k, av.begin() + (bi + 1) * m * k);
                std::vector<double> bb(bv.begin() + bi * k * n, bv.begin() + (bi + 1) * k * n);
                std::vector<double> ref;
                naive(ab, bb, ref, m, n, k, ta, tb);
                for (std::int64_t i = 0; i < m * n; ++i) {
                    EXPECT_NEAR(cv[bi * m * n + i], ref[i], 1e-5);
                }
            }
        }
    }
}

TEST(Matmul, DenseForwardMatchesMatmulPlusBias) {
    Tensor x = random_f64({2, 3, 4}, -1, 1, 30);
    Tensor k = random_f64({4, 6}, -1, 1, 31);
    Tensor b = random_f64({6}, -1, 1, 32);
    for (auto dt : {DType::float64, DType::float32}) {
        Tensor y = dense(x.astype(dt), k.astype(dt), b.astype(dt));
        ASSERT_EQ(y.shape(), (Shape{2, 3, 6}));
        Tensor ref = add(matmul(reshape(x, {6, 4}), k), b);
        const auto yv = y.to_doubles(), rv = ref.to_doubles();
        for (std::size_t i = 0; i < yv.size(); ++i) EXPECT_NEAR(yv[i], rv[i], 1e-5);
    }
    // Zero-width input: every output is the bias.
    Tensor y0 = dense(Tensor::zeros({3, 0}), Tensor::zeros({0, 2}), Tensor::ones({2}));
    EXPECT_EQ(y0.to_doubles(), (std::vector<double>(6, 1.0)));
}

TEST(Matmul, Errors) {
    try {
        matmul(Tensor::zeros({2, 3}), Tensor::zeros({4, 5}));
        FAIL();
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("[matmul] inner dimensions differ. Got (2, 3) . (4, 5)."),
                  std::string::npos)
            << m;
        EXPECT_NE(m.find("Fix:"), std::string::npos);
    }
    EXPECT_THROW(matmul(Tensor::zeros({2, 3}), Tensor::zeros({2, 3, 4})), Error);
    EXPECT_THROW(matmul(Tensor::zeros({2, 2, 3}), Tensor::zeros({3, 3, 4})), Error);
    EXPECT_THROW(matmul(Tensor::zeros({2, 3}), Tensor::zeros({3, 4}, DType::float64)), Error);
    EXPECT_THROW(dense(Tensor::zeros({2, 3}), Tensor::zeros({4, 5}), Tensor()), Error);
    EXPECT_THROW(dense(Tensor::zeros({2, 4}), Tensor::zeros({4, 5}), Tensor::zeros({4})), Error);
    EXPECT_THROW(
        dense(Tensor::zeros({2, 4}), Tensor::zeros({4, 5}), Tensor::zeros({5}, DType::float64)),
        Error);
}

}  // namespace
}  // namespace tfc::ops
