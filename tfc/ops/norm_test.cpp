// Batch and layer normalisation ops: float64 finite-difference gradient checks (training and
// inference, with and without gamma/beta, last and inner axes), the oneDNN / vectorised float32
// kernels against the reference loops, and bad-input errors.
#include "tfc/ops/norm.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/kernels/cpu/batchnorm_dnnl.h"
#include "tfc/kernels/ref/norm.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using testing::check_gradients;
using testing::random_f64;

TEST(NormGrad, BatchNormTraining) {
    for (const auto& [shape, axis] : std::vector<std::pair<Shape, int>>{
             {{6, 4}, -1}, {{2, 3, 3, 3}, -1}, {{3, 4, 2}, 1}, {{2, 3, 4}, 0}}) {
        const std::int64_t c = shape[axis < 0 ? shape.size() + axis : axis];
        const Tensor x = random_f64(shape, -2, 2, 1);
        const Tensor gamma = random_f64({c}, 0.5, 1.5, 2), beta = random_f64({c}, -1, 1, 3);
        EXPECT_TRUE(check_gradients(
            [axis = axis](const std::vector<Tensor>& in) {
                return batch_norm_training(in[0], in[1], in[2], axis).output;
            },
            {x, gamma, beta}))
            << shape_str(shape);
        EXPECT_TRUE(check_gradients(
            [axis = axis](const std::vector<Tensor>& in) {
                return batch_norm_training(in[0], Tensor(), in[1], axis, 1e-5).output;
            },
            {x, beta}));
        EXPECT_TRUE(check_gradients(
            [axis = axis](const std::vector<Tensor>& in) {
                return batch_norm_training(in[0], in[1], Tensor(), axis).output;
            },
            {x, gamma}));
        EXPECT_TRUE(check_gradients(
            [axis = axis](const std::vector<Tensor>& in) {
                return batch_norm_training(in[0], Tensor(), Tensor(), axis).output;
            },
            {x}));
    }
}

TEST(NormGrad, BatchNormInferenceIncludingStatistics) {
    const Tensor x = random_f64({5, 3, 4}, -2, 2, 10);
    const Tensor mean = random_f64({4}, -0.5, 0.5, 11), var = random_f64({4}, 0.5, 1.5, 12);
    const Tensor gamma = random_f64({4}, 0.5, 1.5, 13), beta = random_f64({4}, -1, 1, 14);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return batch_norm_inference(in[0], in[1], in[2], in[3], in[4]);
        },
        {x, mean, var, gamma, beta}));
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) {
            return batch_norm_inference(in[0], in[1], in[2], Tensor(), Tensor());
        },
        {x, mean, var}));
    const Tensor m3 = random_f64({3}, -0.5, 0.5, 15), v3 = random_f64({3}, 0.5, 1.5, 16);
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) {
            return batch_norm_inference(in[0], m3, v3, in[1], Tensor(), 1);
        },
        {x, m3.clone()}));
}

TEST(NormGrad, LayerNorm) {
    for (const auto& [shape, axis] :
         std::vector<std::pair<Shape, int>>{{{3, 5}, -1}, {{2, 3, 6}, -1}, {{2, 4, 3}, 1}}) {
        const std::int64_t c = shape[axis < 0 ? shape.size() + axis : axis];
        const Tensor x = random_f64(shape, -2, 2, 20);
        const Tensor gamma = random_f64({c}, 0.5, 1.5, 21), beta = random_f64({c}, -1, 1, 22);
        EXPECT_TRUE(check_gradients(
            [axis = axis](const std::vector<Tensor>& in) {
                return layer_norm(in[0], in[1], in[2], axis);
            },
            {x, gamma, beta}));
        EXPECT_TRUE(check_gradients(
            [axis = axis](const std::vector<Tensor>& in) {
                return layer_norm(in[0], Tensor(), Tensor(), axis, 1e-5);
            },
            {x}));
    }
}

TEST(NormOps, TrainingStatisticsAreBatchMeanAndBiasedVariance) {
    const Tensor x = random_f64({7, 3}, -2, 2, 30);
    const BatchNormTrainingResult r = batch_norm_training(x, Tensor(), Tensor());
    const std::vector<double> xv = x.to_doubles();
    for (int c = 0; c < 3; ++c) {
        double m = 0, v = 0;
        for (int i = 0; i < 7; ++i) m += xv[i * 3 + c] / 7;
        for (int i = 0; i < 7; ++i) v += (xv[i * 3 + c] - m) * (xv[i * 3 + c] - m) / 7;
        EXPECT_NEAR(r.mean.at(c), m, 1e-12);
        EXPECT_NEAR(r.variance.at(c), v, 1e-12);
        EXPECT_NEAR(r.output.at(c), (xv[c] - m) / std::sqrt(v + 1e-3), 1e-12);
    }
}

// ---- fast float32 kernels against the reference loops ----

std::vector<float> random_vec(std::int64_t n, double lo, double hi, std::uint64_t seed) {
    const Tensor t = random_f64({n}, lo, hi, seed);
    std::vector<float> v(n);
    for (std::int64_t i = 0; i < n; ++i) v[i] = static_cast<float>(t.at(i));
    return v;
}

void expect_close(const std::vector<float>& a, const std::vector<float>& b, float tol,
                  const char* what) {
    ASSERT_EQ(a.size(), b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_NEAR(a[i], b[i], tol * (1 + std::fabs(b[i]))) << what << " at " << i;
    }
}

TEST(NormCpuVsRef, BatchNorm) {
    std::uint64_t seed = 40;
    for (const kernels::NormGeometry g :
         {kernels::NormGeometry{.outer = 32, .c = 8, .inner = 1, .epsilon = 1e-3},
          kernels::NormGeometry{.outer = 6, .c = 5, .inner = 7, .epsilon = 1e-5},
          kernels::NormGeometry{.outer = 200, .c = 64, .inner = 1, .epsilon = 1e-3}}) {
        const std::int64_t n = g.outer * g.c * g.inner;
        const auto x = random_vec(n, -3, 3, seed++), gd = random_vec(n, -1, 1, seed++);
        const auto gamma = random_vec(g.c, 0.5, 1.5, seed++), beta = random_vec(g.c, -1, 1, seed++);
        for (bool affine : {true, false}) {
            const float* gp = affine ? gamma.data() : nullptr;
            const float* bp = affine ? beta.data() : nullptr;
            std::vector<float> y(n), yr(n), m(g.c), v(g.c), mr(g.c), vr(g.c);
            kernels::cpu::batch_norm_training_forward(g, x.data(), gp, bp, y.data(), m.data(),
                                                      v.data());
            kernels::ref::batch_norm_stats(g, x.data(), mr.data(), vr.data());
            kernels::ref::batch_norm_forward(g, x.data(), mr.data(), vr.data(), gp, bp, yr.data());
            expect_close(m, mr, 1e-5f, "mean");
            expect_close(v, vr, 1e-5f, "variance");
            expect_close(y, yr, 1e-4f, "train output");
            kernels::cpu::batch_norm_inference_forward(g, x.data(), mr.data(), vr.data(), gp, bp,
                                                       y.data());
            expect_close(y, yr, 1e-5f, "inference output");
            for (bool batch_stats : {true, false}) {
                std::vector<float> gx(n), gxr(n), gg(g.c), ggr(g.c), gb(g.c), gbr(g.c);
                kernels::cpu::batch_norm_backward(g, x.data(), mr.data(), vr.data(), gp, affine,
                                                  gd.data(), batch_stats, gx.data(),
                                                  affine ? gg.data() : nullptr,
                                                  affine ? gb.data() : nullptr);
                kernels::ref::batch_norm_backward(g, x.data(), mr.data(), vr.data(), gp, gd.data(),
                                                  batch_stats, gxr.data(), ggr.data(), gbr.data());
                expect_close(gx, gxr, 1e-4f, "grad x");
                if (affine) {
                    expect_close(gg, ggr, 1e-4f, "grad gamma");
                    expect_close(gb, gbr, 1e-4f, "grad beta");
                }
            }
        }
    }
    const std::size_t cached = kernels::cpu::batch_norm_cache_size();
    const kernels::NormGeometry g{.outer = 32, .c = 8, .inner = 1, .epsilon = 1e-3};
    std::vector<float> x(256, 1.0f), y(256), m(8), v(8);
    kernels::cpu::batch_norm_training_forward(g, x.data(), nullptr, nullptr, y.data(), m.data(),
                                              v.data());
    EXPECT_EQ(kernels::cpu::batch_norm_cache_size(), cached);
}

TEST(NormCpuVsRef, LayerNorm) {
    std::uint64_t seed = 70;
    for (const kernels::NormGeometry g :
         {kernels::NormGeometry{.outer = 9, .c = 33, .inner = 1, .epsilon = 1e-3},
          kernels::NormGeometry{.outer = 3000, .c = 16, .inner = 1, .epsilon = 1e-5},
          kernels::NormGeometry{.outer = 4, .c = 6, .inner = 5, .epsilon = 1e-3}}) {
        const std::int64_t n = g.outer * g.c * g.inner;
        const auto x = random_vec(n, -3, 3, seed++), gd = random_vec(n, -1, 1, seed++);
        const auto gamma = random_vec(g.c, 0.5, 1.5, seed++), beta = random_vec(g.c, -1, 1, seed++);
        std::vector<float> y(n), yr(n), gx(n), gxr(n), gg(g.c), ggr(g.c), gb(g.c), gbr(g.c);
        kernels::cpu::layer_norm_forward(g, x.data(), gamma.data(), beta.data(), y.data());
        kernels::ref::layer_norm_forward(g, x.data(), gamma.data(), beta.data(), yr.data());
        expect_close(y, yr, 1e-5f, "output");
        kernels::cpu::layer_norm_backward(g, x.data(), gamma.data(), gd.data(), gx.data(),
                                          gg.data(), gb.data());
        kernels::ref::layer_norm_backward(g, x.data(), gamma.data(), gd.data(), gxr.data(),
                                          ggr.data(), gbr.data());
        expect_close(gx, gxr, 1e-4f, "grad x");
        expect_close(gg, ggr, 2e-4f, "grad gamma");
        expect_close(gb, gbr, 2e-4f, "grad beta");
    }
}

TEST(NormErrors, BadInputs) {
    const Tensor x = Tensor::zeros({4, 3});
    EXPECT_THROW(batch_norm_training(x, Tensor::ones({4}), Tensor()), Error);  // gamma size
    EXPECT_THROW(batch_norm_training(x, Tensor(), Tensor(), 2), Error);        // axis
    EXPECT_THROW(batch_norm_training(Tensor::zeros({4, 3}, DType::int32), Tensor(), Tensor()),
                 Error);
    EXPECT_THROW(batch_norm_inference(x, Tensor(), Tensor::ones({3}), Tensor(), Tensor()), Error);
    EXPECT_THROW(batch_norm_inference(x, Tensor::zeros({3}), Tensor::ones({3}, DType::float64),
                                      Tensor(), Tensor()),
                 Error);
    EXPECT_THROW(layer_norm(x, Tensor(), Tensor(), -1, 0.0), Error);  // epsilon
    EXPECT_THROW(layer_norm(x, Tensor(), Tensor::zeros({3, 1}), -1), Error);
}

}  // namespace
}  // namespace tfc::ops
