// Pooling, padding, cropping and up-sampling ops: float64 finite-difference gradient checks,
// oneDNN float32 kernels against the reference loops, and bad-input errors.
#include "tfc/ops/pool.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/kernels/cpu/pool_dnnl.h"
#include "tfc/kernels/ref/pool.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using testing::check_gradients;
using testing::random_f64;

struct Pool2DCase {
    Shape shape;
    Size2 pool, strides;
    const char* padding;
};

const std::vector<Pool2DCase> kPool2D = {
    {{2, 5, 6, 3}, {2, 2}, {2, 2}, "valid"}, {{2, 7, 6, 2}, {3, 3}, {2, 2}, "valid"},
    {{2, 5, 5, 3}, {2, 2}, {2, 2}, "same"},  {{1, 4, 5, 2}, {3, 3}, {1, 1}, "same"},
    {{2, 5, 4, 2}, {3, 2}, {2, 1}, "same"},  {{1, 3, 3, 1}, {2, 2}, {2, 2}, "same"},
    {{1, 5, 5, 2}, {2, 2}, {3, 3}, "same"},  {{1, 6, 6, 1}, {1, 1}, {2, 2}, "valid"},
};

TEST(PoolGrad, MaxAndAvg2D) {
    std::uint64_t seed = 1;
    for (const auto& c : kPool2D) {
        const Tensor x = random_f64(c.shape, -1, 1, seed++);
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) {
                return max_pool2d(in[0], c.pool, c.strides, c.padding);
            },
            {x}))
            << "max " << shape_str(c.shape) << " " << c.padding;
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) {
                return avg_pool2d(in[0], c.pool, c.strides, c.padding);
            },
            {x}))
            << "avg " << shape_str(c.shape) << " " << c.padding;
    }
}

// relu -> max_pool2d: the pool zeroes its gradient where relu's output is 0 and relu passes it
// on unmasked (autograd::only_positive_cells_matter). The gradient must equal the unfused one,
// taken by also asking for the gradient of relu's output (a source is never fused).
TEST(PoolGrad, MaxPoolAfterReluGradientIsExact) {
    std::uint64_t seed = 40;
    for (const auto& c : kPool2D) {
        const Tensor x64 = random_f64(c.shape, -1, 1, seed++);
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) {
                return max_pool2d(relu(in[0]), c.pool, c.strides, c.padding);
            },
            {x64}));
        for (DType dt : {DType::float32, DType::float64}) {
            std::vector<double> dx[2];
            for (int with_y = 0; with_y < 2; ++with_y) {
                const Tensor x = x64.astype(dt);
                autograd::GradientTape tape;
                tape.watch(x);
                const Tensor y = relu(x);
                const Tensor p = max_pool2d(y, c.pool, c.strides, c.padding);
                const Tensor r = random_f64(p.shape(), -1, 1, 99).astype(dt);
                std::vector<Tensor> sources{x};
                if (with_y) sources.push_back(y);
                dx[with_y] = tape.gradient(sum(mul(p, r)), sources)[0].to_doubles();
            }
            EXPECT_EQ(dx[0], dx[1]) << shape_str(c.shape) << " " << c.padding << " "
                                    << dtype_name(dt);
        }
    }
}

TEST(PoolGrad, MaxAndAvg1D) {
    const Tensor x = random_f64({2, 7, 3}, -1, 1, 20);
    for (const char* padding : {"valid", "same"}) {
        for (auto [k, s] : std::vector<std::pair<int, int>>{{2, 2}, {3, 1}, {3, 2}, {4, 3}}) {
            EXPECT_TRUE(check_gradients(
                [&](const std::vector<Tensor>& in) { return max_pool1d(in[0], k, s, padding); },
                {x}));
            EXPECT_TRUE(check_gradients(
                [&](const std::vector<Tensor>& in) { return avg_pool1d(in[0], k, s, padding); },
                {x}));
        }
    }
}

TEST(PoolGrad, GlobalPoolingAndMask) {
    const Tensor x3 = random_f64({3, 5, 4}, -1, 1, 30);
    const Tensor x4 = random_f64({2, 3, 4, 3}, -1, 1, 31);
    for (bool keep : {false, true}) {
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) { return global_avg_pool(in[0], keep); }, {x3}));
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) { return global_max_pool(in[0], keep); }, {x3}));
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) { return global_avg_pool(in[0], keep); }, {x4}));
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) { return global_max_pool(in[0], keep); }, {x4}));
        const Tensor mask = Tensor::from_vector(
            std::vector<std::uint8_t>{1, 1, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 1}, {3, 5})
                                .astype(DType::bool_);
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) {
                return global_avg_pool1d_masked(in[0], mask, keep);
            },
            {x3}));
    }
}

TEST(PoolOps, MaskedAverageIsMeanOfUnmaskedSteps) {
    const Tensor x = random_f64({2, 4, 3}, -1, 1, 40);
    const Tensor mask = Tensor::from_vector(std::vector<float>{1, 0, 1, 0, 0, 0, 0, 1}, {2, 4});
    const std::vector<double> y = global_avg_pool1d_masked(x, mask).to_doubles();
    const std::vector<double> xv = x.to_doubles();
    for (int c = 0; c < 3; ++c) {
        EXPECT_NEAR(y[c], (xv[0 * 3 + c] + xv[2 * 3 + c]) / 2, 1e-12);
        EXPECT_NEAR(y[3 + c], xv[(4 + 3) * 3 + c], 1e-12);
    }
}

TEST(PoolGrad, PadCropUpsample) {
    const Tensor x = random_f64({2, 3, 4, 2}, -1, 1, 50);
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) { return zero_pad2d(in[0], 1, 0, 2, 3); }, {x}));
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) { return crop2d(in[0], 1, 1, 0, 2); }, {x}));
    EXPECT_TRUE(check_gradients(
        [](const std::vector<Tensor>& in) { return upsample2d_nearest(in[0], {2, 3}); }, {x}));
    const std::vector<double> up = upsample2d_nearest(x, {2, 3}).to_doubles();
    const std::vector<double> xv = x.to_doubles();
    // out[n, i, j, c] = x[n, i / 2, j / 3, c] on the (2, 6, 12, 2) output.
    for (int n = 0; n < 2; ++n)
        for (int i = 0; i < 6; ++i)
            for (int j = 0; j < 12; ++j)
                for (int c = 0; c < 2; ++c)
                    ASSERT_EQ(up[((n * 6 + i) * 12 + j) * 2 + c],
                              xv[((n * 3 + i / 2) * 4 + j / 3) * 2 + c]);
    // Padding then cropping the same amounts is the identity, for any dtype.
    const Tensor ints = Tensor::from_vector(std::vector<std::int32_t>{1, 2, 3, 4, 5, 6}, {1, 2, 3, 1});
    EXPECT_EQ(crop2d(zero_pad2d(ints, 2, 1, 0, 3), 2, 1, 0, 3).to_doubles(), ints.to_doubles());
}

// ---- fast (vectorised max, oneDNN average) against reference kernels, float32 ----

std::vector<float> random_vec(std::int64_t n, std::uint64_t seed) {
    const Tensor t = random_f64({n}, -1, 1, seed);
    std::vector<float> v(n);
    for (std::int64_t i = 0; i < n; ++i) v[i] = static_cast<float>(t.at(i));
    return v;
}

kernels::PoolGeometry geometry(const Pool2DCase& c) {
    const bool same = std::string(c.padding) == "same";
    kernels::PoolGeometry g{.n = c.shape[0], .h = c.shape[1], .w = c.shape[2], .c = c.shape[3]};
    g.kh = c.pool[0];
    g.kw = c.pool[1];
    g.sh = c.strides[0];
    g.sw = c.strides[1];
    const auto axis = [&](std::int64_t n, std::int64_t k, std::int64_t s, std::int64_t& out,
                          std::int64_t& before, std::int64_t& after) {
        out = same ? (n + s - 1) / s : (n - k) / s + 1;
        const std::int64_t total = same ? std::max<std::int64_t>(0, (out - 1) * s + k - n) : 0;
        before = total / 2;
        after = total - before;
    };
    axis(g.h, g.kh, g.sh, g.oh, g.pad_top, g.pad_bottom);
    axis(g.w, g.kw, g.sw, g.ow, g.pad_left, g.pad_right);
    return g;
}

TEST(PoolCpuVsRef, ForwardAndBackward) {
    std::vector<Pool2DCase> cases = kPool2D;
    cases.push_back({{4, 17, 13, 19}, {3, 3}, {2, 2}, "same"});  // vectorised channel blocks
    cases.push_back({{3, 16, 16, 32}, {2, 2}, {2, 2}, "valid"});
    cases.push_back({{32, 26, 26, 32}, {2, 2}, {2, 2}, "valid"});  // the cnn bench's pool (threads)
    cases.push_back({{2, 9, 9, 5}, {3, 3}, {1, 1}, "same"});       // overlapping windows
    cases.push_back({{2, 20, 34, 3}, {16, 17}, {4, 5}, "same"});   // 272 positions: 16-bit workspace
    cases.push_back({{2, 11, 11, 12}, {2, 2}, {2, 2}, "valid"});  // tiled, last row/column unused
    cases.push_back({{2, 7, 9, 9}, {3, 3}, {3, 3}, "same"});      // tiled with padding, 9 channels
    std::uint64_t seed = 60;
    for (std::size_t k = 0; k < cases.size(); ++k) {
        const auto& c = cases[k];
        const kernels::PoolGeometry g = geometry(c);
        const std::int64_t ns = g.n * g.h * g.w * g.c, nd = g.n * g.oh * g.ow * g.c;
        std::vector<float> src = random_vec(ns, seed++);
        const std::vector<float> gd = random_vec(nd, seed++);
        // Every other case takes values from a small set: ties go to the window's first maximum.
        if (k % 2) for (float& v : src) v = std::round(v * 2.0f);
        std::vector<float> fast(nd), ref(nd), gfast(ns), gref(ns);
        // max, training (workspace) and inference
        std::vector<unsigned char> ws(kernels::cpu::max_pool_workspace_size(g));
        kernels::cpu::max_pool_forward(g, src.data(), fast.data(), ws.data());
        kernels::ref::max_pool_forward(g, src.data(), ref.data());
        EXPECT_EQ(fast, ref) << shape_str(c.shape);
        std::vector<float> inf(nd);
        kernels::cpu::max_pool_forward(g, src.data(), inf.data(), nullptr);
        EXPECT_EQ(inf, ref);
        kernels::cpu::max_pool_backward(g, gd.data(), ws.data(), gfast.data());
        kernels::ref::max_pool_backward(g, src.data(), gd.data(), gref.data());
        for (std::int64_t i = 0; i < ns; ++i) ASSERT_NEAR(gfast[i], gref[i], 1e-6) << i;
        // average
        kernels::cpu::avg_pool_forward(g, src.data(), fast.data());
        kernels::ref::avg_pool_forward(g, src.data(), ref.data());
        for (std::int64_t i = 0; i < nd; ++i) ASSERT_NEAR(fast[i], ref[i], 1e-6) << i;
        kernels::cpu::avg_pool_backward(g, gd.data(), gfast.data());
        kernels::ref::avg_pool_backward(g, gd.data(), gref.data());
        for (std::int64_t i = 0; i < ns; ++i) ASSERT_NEAR(gfast[i], gref[i], 1e-6) << i;
    }
    const std::size_t cached = kernels::cpu::pool_cache_size();
    const kernels::PoolGeometry g = geometry(cases[0]);
    std::vector<float> src(g.n * g.h * g.w * g.c, 0.5f), dst(g.n * g.oh * g.ow * g.c);
    kernels::cpu::avg_pool_forward(g, src.data(), dst.data());
    EXPECT_EQ(kernels::cpu::pool_cache_size(), cached);  // reused, not re-created
}

TEST(PoolOps, Float32MatchesFloat64ThroughTheTape) {
    for (const auto& c : kPool2D) {
        const Tensor x64 = random_f64(c.shape, -1, 1, 90);
        const Tensor x32 = x64.astype(DType::float32);
        for (bool is_max : {true, false}) {
            std::vector<Tensor> g32, g64;
            Tensor y32, y64;
            {
                autograd::GradientTape tape;
                tape.watch(x32);
                y32 = is_max ? max_pool2d(x32, c.pool, c.strides, c.padding)
                             : avg_pool2d(x32, c.pool, c.strides, c.padding);
                g32 = tape.gradient(sum(mul(y32, y32)), {x32});
            }
            {
                autograd::GradientTape tape;
                tape.watch(x64);
                y64 = is_max ? max_pool2d(x64, c.pool, c.strides, c.padding)
                             : avg_pool2d(x64, c.pool, c.strides, c.padding);
                g64 = tape.gradient(sum(mul(y64, y64)), {x64});
            }
            const auto a = g32[0].to_doubles(), b = g64[0].to_doubles();
            for (std::size_t i = 0; i < a.size(); ++i) ASSERT_NEAR(a[i], b[i], 1e-5);
        }
    }
}

// ---- errors ----

TEST(PoolErrors, BadInputs) {
    const Tensor x = Tensor::zeros({1, 3, 3, 2});
    EXPECT_THROW(max_pool2d(Tensor::zeros({3, 3, 2}), {2, 2}, {2, 2}), Error);  // rank 3
    EXPECT_THROW(max_pool1d(x, 2, 2), Error);                                  // rank 4
    EXPECT_THROW(avg_pool2d(x, {4, 2}, {1, 1}, "valid"), Error);  // pool larger than input
    EXPECT_NO_THROW(avg_pool2d(x, {4, 2}, {1, 1}, "same"));
    EXPECT_THROW(max_pool2d(x, {2, 2}, {2, 2}, "full"), Error);
    EXPECT_THROW(max_pool2d(x, {0, 2}, {2, 2}), Error);
    EXPECT_THROW(max_pool2d(x, {2, 2}, {2, 0}), Error);
    EXPECT_THROW(max_pool2d(Tensor::zeros({1, 3, 3, 2}, DType::int32), {2, 2}, {2, 2}), Error);
    try {
        max_pool1d(Tensor::zeros({2, 3, 4}), 5, 1, "valid");
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[max_pool1d]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
    const Tensor seq = Tensor::zeros({2, 4, 3});
    EXPECT_THROW(global_avg_pool1d_masked(seq, Tensor::ones({2, 5}), false), Error);
    EXPECT_THROW(global_avg_pool1d_masked(seq, Tensor::ones({2, 4, 1}), false), Error);
    EXPECT_THROW(global_avg_pool(Tensor::zeros({2, 3}), false), Error);
    EXPECT_THROW(zero_pad2d(seq, 1, 1, 1, 1), Error);
    EXPECT_THROW(zero_pad2d(x, -1, 0, 0, 0), Error);
    EXPECT_THROW(crop2d(x, 2, 2, 0, 0), Error);
    EXPECT_THROW(upsample2d_nearest(x, {0, 2}), Error);
}

}  // namespace
}  // namespace tfc::ops
