// Convolution ops: TensorFlow padding geometry, finite-difference gradient checks (input, kernel,
// bias) in float64 across padding / stride / dilation / groups / causal / depthwise cases, the
// oneDNN float32 kernels against the reference loops (forward, backward data, backward weights),
// primitive caching, and input errors.
#include "tfc/ops/conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/kernels/cpu/conv_dnnl.h"
#include "tfc/kernels/ref/conv.h"
#include "tfc/ops/ops.h"
#include "tfc/ops/pool.h"

namespace tfc::ops {
namespace {

using kernels::ConvGeometry;
using testing::check_gradients;
using testing::random_f64;

struct Case2D {
    std::string name;
    Shape x;       // [N, H, W, C]
    Shape kernel;  // [kh, kw, C / groups, F]
    Size2 strides;
    std::string padding;
    Size2 dilation;
    std::int64_t groups;
    bool bias;
};

void PrintTo(const Case2D& c, std::ostream* os) { *os << c.name; }

std::vector<Case2D> cases_2d() {
    return {
        {"valid_3x3", {2, 5, 6, 3}, {3, 3, 3, 4}, 1, "valid", 1, 1, true},
        {"same_3x3", {2, 5, 6, 3}, {3, 3, 3, 4}, 1, "same", 1, 1, true},
        {"same_even_kernel", {1, 5, 5, 2}, {2, 4, 2, 3}, 1, "same", 1, 1, true},
        {"same_stride2", {2, 7, 6, 2}, {3, 3, 2, 3}, 2, "same", 1, 1, true},
        {"valid_stride_2x3", {1, 8, 9, 2}, {3, 2, 2, 2}, {2, 3}, "valid", 1, 1, false},
        {"valid_dilation2", {1, 7, 8, 2}, {3, 3, 2, 3}, 1, "valid", 2, 1, true},
        {"same_dilation_2x3", {1, 6, 8, 2}, {2, 3, 2, 2}, 1, "same", {2, 3}, 1, true},
        {"groups2", {2, 5, 5, 4}, {3, 3, 2, 6}, 1, "same", 1, 2, true},
        {"groups3_stride2", {1, 6, 7, 6}, {2, 2, 2, 3}, 2, "valid", 1, 3, true},
        {"pointwise", {2, 3, 4, 5}, {1, 1, 5, 3}, 1, "valid", 1, 1, true},
        {"stride_and_dilation", {1, 9, 9, 2}, {3, 3, 2, 2}, 2, "same", 2, 1, true},
    };
}

// Builds the geometry the way the op does, from the reference formulas.
ConvGeometry geometry(const Case2D& c) {
    ConvGeometry g;
    g.n = c.x[0];
    g.ih = c.x[1];
    g.iw = c.x[2];
    g.ic = c.x[3];
    g.kh = c.kernel[0];
    g.kw = c.kernel[1];
    g.oc = c.kernel[3];
    g.groups = c.groups;
    g.sh = c.strides.h;
    g.sw = c.strides.w;
    g.dh = c.dilation.h;
    g.dw = c.dilation.w;
    g.oh = conv_output_length(g.ih, g.kh, c.padding, g.sh, g.dh);
    g.ow = conv_output_length(g.iw, g.kw, c.padding, g.sw, g.dw);
    const ConvPads ph = conv_pads(g.ih, g.kh, c.padding, g.sh, g.dh);
    const ConvPads pw = conv_pads(g.iw, g.kw, c.padding, g.sw, g.dw);
    g.pad_top = ph.before;
    g.pad_bottom = ph.after;
    g.pad_left = pw.before;
    g.pad_right = pw.after;
    return g;
}

double max_rel_diff(const std::vector<double>& a, const std::vector<double>& b) {
    EXPECT_EQ(a.size(), b.size());
    double scale = 1e-3, diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) scale = std::max(scale, std::fabs(b[i]));
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
        diff = std::max(diff, std::fabs(a[i] - b[i]));
    }
    return diff / scale;
}

TEST(ConvGeometry, KerasOutputLengths) {
    // keras/utils/conv_utils.py conv_output_length.
    EXPECT_EQ(conv_output_length(28, 3, "valid", 1), 26);
    EXPECT_EQ(conv_output_length(28, 3, "same", 1), 28);
    EXPECT_EQ(conv_output_length(7, 3, "same", 2), 4);
    EXPECT_EQ(conv_output_length(8, 3, "valid", 3), 2);
    EXPECT_EQ(conv_output_length(7, 3, "valid", 1, 2), 3);
    EXPECT_EQ(conv_output_length(10, 4, "causal", 1, 2), 10);
    EXPECT_EQ(conv_output_length(5, 3, "full", 1), 7);
    EXPECT_EQ(conv_output_length(-1, 3, "valid", 1), -1);
    EXPECT_LE(conv_output_length(2, 3, "valid", 1), 0);
    EXPECT_LE(conv_output_length(2, 5, "valid", 2), 0);
    EXPECT_THROW(conv_output_length(5, 3, "reflect", 1), Error);
}

TEST(ConvGeometry, SamePadsExtraBottomRight) {
    // TF: total = max(0, (out - 1) * s + d * (k - 1) + 1 - n), before = total / 2.
    EXPECT_EQ(conv_pads(5, 3, "same", 1).before, 1);
    EXPECT_EQ(conv_pads(5, 3, "same", 1).after, 1);
    EXPECT_EQ(conv_pads(5, 2, "same", 1).before, 0);  // k = 2: pads (0, 1)
    EXPECT_EQ(conv_pads(5, 2, "same", 1).after, 1);
    EXPECT_EQ(conv_pads(5, 4, "same", 1).before, 1);  // k = 4: pads (1, 2)
    EXPECT_EQ(conv_pads(5, 4, "same", 1).after, 2);
    EXPECT_EQ(conv_pads(6, 3, "same", 2).before, 0);  // out 3: total 1 -> (0, 1)
    EXPECT_EQ(conv_pads(6, 3, "same", 2).after, 1);
    EXPECT_EQ(conv_pads(9, 3, "same", 1, 2).before, 2);
    EXPECT_EQ(conv_pads(9, 3, "causal", 1, 2).before, 4);
    EXPECT_EQ(conv_pads(9, 3, "causal", 1, 2).after, 0);
    EXPECT_EQ(conv_pads(9, 3, "valid", 1).after, 0);
}

TEST(Conv2D, SameEqualsExplicitPaddingThenValid) {
    // A 5x5 input with a 2x4 kernel pads rows (0, 1) and columns (1, 2); build that padded input
    // by hand and compare with a valid convolution of it.
    const Tensor x = random_f64({1, 5, 5, 2}, -1, 1, 1);
    const Tensor k = random_f64({2, 4, 2, 3}, -1, 1, 2);
    const Tensor same = conv2d(x, k, Tensor(), 1, "same");
    Tensor padded = Tensor::zeros({1, 6, 8, 2}, DType::float64);
    const double* xs = x.data<double>();
    double* ps = padded.data<double>();
    for (int r = 0; r < 5; ++r) {
        for (int c = 0; c < 5; ++c) {
            for (int ch = 0; ch < 2; ++ch) ps[(r * 8 + c + 1) * 2 + ch] = xs[(r * 5 + c) * 2 + ch];
        }
    }
    const Tensor valid = conv2d(padded, k, Tensor(), 1, "valid");
    ASSERT_EQ(same.shape(), (Shape{1, 5, 5, 3}));
    ASSERT_EQ(valid.shape(), same.shape());
    EXPECT_LT(max_rel_diff(same.to_doubles(), valid.to_doubles()), 1e-14);
}

TEST(Conv2D, ForwardAgainstDirectSum) {
    // One output element written out as its defining sum (no kernel code involved).
    const Tensor x = random_f64({1, 4, 4, 2}, -1, 1, 3);
    const Tensor k = random_f64({3, 3, 2, 2}, -1, 1, 4);
    const Tensor b = random_f64({2}, -1, 1, 5);
    const Tensor y = conv2d(x, k, b, 1, "same");
    // y[0, 0, 1, 1]: pads (1, 1), so tap (ky, kx) reads x[ky - 1, 1 + kx - 1].
    double want = b.at(1);
    for (int ky = 0; ky < 3; ++ky) {
        for (int kx = 0; kx < 3; ++kx) {
            const int iy = ky - 1, ix = kx;
            if (iy < 0 || iy >= 4 || ix >= 4) continue;
            for (int c = 0; c < 2; ++c) {
                want += x.at((iy * 4 + ix) * 2 + c) * k.at(((ky * 3 + kx) * 2 + c) * 2 + 1);
            }
        }
    }
    EXPECT_NEAR(y.at((0 * 4 + 1) * 2 + 1), want, 1e-14);
}

class Conv2DCases : public ::testing::TestWithParam<Case2D> {};

TEST_P(Conv2DCases, GradientCheckInputKernelBias) {
    const Case2D& c = GetParam();
    const Tensor x = random_f64(c.x, -1, 1, 11);
    const Tensor k = random_f64(c.kernel, -1, 1, 12);
    std::vector<Tensor> inputs{x, k};
    if (c.bias) inputs.push_back(random_f64({c.kernel[3]}, -1, 1, 13));
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) {
            return conv2d(in[0], in[1], c.bias ? in[2] : Tensor(), c.strides, c.padding, c.dilation,
                          c.groups);
        },
        inputs));
}

TEST_P(Conv2DCases, OneDnnMatchesReference) {
    const Case2D& c = GetParam();
    const ConvGeometry g = geometry(c);
    const Tensor x = random_f64(c.x, -1, 1, 21).astype(DType::float32);
    const Tensor k = random_f64(c.kernel, -1, 1, 22).astype(DType::float32);
    const Tensor b = random_f64({g.oc}, -1, 1, 23).astype(DType::float32);
    const Tensor dy = random_f64({g.n, g.oh, g.ow, g.oc}, -1, 1, 24).astype(DType::float32);
    const float* bias = c.bias ? b.data<float>() : nullptr;
    std::vector<float> fast(g.dst_size()), ref(g.dst_size());
    kernels::cpu::conv_forward(g, x.data<float>(), k.data<float>(), bias, fast.data());
    kernels::ref::conv_forward(g, x.data<float>(), k.data<float>(), bias, ref.data());
    EXPECT_LT(max_rel_diff({fast.begin(), fast.end()}, {ref.begin(), ref.end()}), 1e-5);

    std::vector<float> dx_fast(g.src_size()), dx_ref(g.src_size());
    kernels::cpu::conv_backward_data(g, dy.data<float>(), k.data<float>(), dx_fast.data());
    kernels::ref::conv_backward_data(g, dy.data<float>(), k.data<float>(), dx_ref.data());
    EXPECT_LT(max_rel_diff({dx_fast.begin(), dx_fast.end()}, {dx_ref.begin(), dx_ref.end()}), 1e-5);

    std::vector<float> dk_fast(g.weights_size()), dk_ref(g.weights_size());
    std::vector<float> db_fast(g.oc), db_ref(g.oc);
    kernels::cpu::conv_backward_weights(g, x.data<float>(), dy.data<float>(), dk_fast.data(),
                                        c.bias ? db_fast.data() : nullptr);
    kernels::ref::conv_backward_weights(g, x.data<float>(), dy.data<float>(), dk_ref.data(),
                                        c.bias ? db_ref.data() : nullptr);
    EXPECT_LT(max_rel_diff({dk_fast.begin(), dk_fast.end()}, {dk_ref.begin(), dk_ref.end()}), 1e-5);
    if (c.bias) {
        EXPECT_LT(max_rel_diff({db_fast.begin(), db_fast.end()}, {db_ref.begin(), db_ref.end()}),
                  1e-5);
    }
}

TEST_P(Conv2DCases, Float32OpMatchesFloat64Op) {
    // The whole op (forward + tape backward) in float32 against the float64 reference path.
    const Case2D& c = GetParam();
    const Tensor x64 = random_f64(c.x, -1, 1, 31), k64 = random_f64(c.kernel, -1, 1, 32);
    const Tensor b64 = random_f64({c.kernel[3]}, -1, 1, 33);
    auto run = [&](DType dt) {
        Tensor x = x64.astype(dt), k = k64.astype(dt), b = c.bias ? b64.astype(dt) : Tensor();
        autograd::GradientTape tape;
        tape.watch(x);
        tape.watch(k);
        if (c.bias) tape.watch(b);
        Tensor y = conv2d(x, k, b, c.strides, c.padding, c.dilation, c.groups);
        Tensor r = random_f64(y.shape(), -1, 1, 34).astype(dt);
        std::vector<Tensor> src{x, k};
        if (c.bias) src.push_back(b);
        std::vector<Tensor> out{y};
        for (auto& t : tape.gradient(sum(mul(y, r)), src)) out.push_back(t);
        return out;
    };
    const std::vector<Tensor> f = run(DType::float32), d = run(DType::float64);
    ASSERT_EQ(f.size(), d.size());
    for (std::size_t i = 0; i < f.size(); ++i) {
        EXPECT_EQ(f[i].shape(), d[i].shape());
        EXPECT_LT(max_rel_diff(f[i].to_doubles(), d[i].to_doubles()), 1e-5) << "output " << i;
    }
}

// fuse_relu: relu(conv) as one op. Float64 finite differences through the fused op, and in
// float32 and float64 the values and the gradients of x, kernel and bias equal those of conv
// followed by ops::relu on the tape.
// Copies of `ts` in dtype `dt` that the tape watches (as weights are).
std::vector<Tensor> trainable_copies(const std::vector<Tensor>& ts, DType dt) {
    std::vector<Tensor> out;
    for (const Tensor& t : ts) {
        Tensor v = t.astype(dt);
        v.set_requires_grad(true);
        out.push_back(v);
    }
    return out;
}

TEST_P(Conv2DCases, FusedReluEqualsConvThenRelu) {
    const Case2D& c = GetParam();
    const Tensor x64 = random_f64(c.x, -1, 1, 61), k64 = random_f64(c.kernel, -1, 1, 62);
    const Tensor b64 = random_f64({c.kernel[3]}, -1, 1, 63);
    auto op = [&](const std::vector<Tensor>& in, bool fused) {
        const Tensor b = c.bias ? in[2] : Tensor();
        if (fused) return conv2d(in[0], in[1], b, c.strides, c.padding, c.dilation, c.groups, true);
        return relu(conv2d(in[0], in[1], b, c.strides, c.padding, c.dilation, c.groups));
    };
    std::vector<Tensor> in64{x64, k64};
    if (c.bias) in64.push_back(b64);
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& in) { return op(in, true); }, in64));
    for (DType dt : {DType::float32, DType::float64}) {
        std::vector<std::vector<double>> results[2];
        for (int fused = 0; fused < 2; ++fused) {
            const std::vector<Tensor> in = trainable_copies(in64, dt);
            autograd::GradientTape tape;
            const Tensor y = op(in, fused == 1);
            const Tensor r = random_f64(y.shape(), -1, 1, 64).astype(dt);
            results[fused].push_back(y.to_doubles());
            for (const Tensor& gt : tape.gradient(sum(mul(y, r)), in)) {
                results[fused].push_back(gt.to_doubles());
            }
        }
        ASSERT_EQ(results[0].size(), results[1].size());
        const double tol = dt == DType::float32 ? 1e-5 : 1e-12;
        for (std::size_t k = 0; k < results[0].size(); ++k) {
            EXPECT_LT(max_rel_diff(results[1][k], results[0][k]), tol)
                << (k == 0 ? "output" : "gradient " + std::to_string(k - 1)) << ", "
                << dtype_name(dt);
        }
    }
}

// Max pooling after a fused ReLU zeroes its gradient where the conv output is 0 and the conv's
// rule skips its mask (autograd::only_positive_cells_matter). The gradients must be exactly those
// of the unfused path, taken by also asking for the gradient of the conv output (a source is
// never fused). The inputs are shifted down so that whole pooling windows are 0.
TEST_P(Conv2DCases, FusedReluThenMaxPoolGradientsAreExact) {
    const Case2D& c = GetParam();
    const Tensor x64 = random_f64(c.x, -1, 1, 71), k64 = random_f64(c.kernel, -1, 1, 72);
    const Tensor b64 = random_f64({c.kernel[3]}, -1.5, 0.5, 73);
    std::vector<Tensor> in64{x64, k64};
    if (c.bias) in64.push_back(b64);
    const auto op = [&](const std::vector<Tensor>& in) {
        const Tensor b = c.bias ? in[2] : Tensor();
        return conv2d(in[0], in[1], b, c.strides, c.padding, c.dilation, c.groups, true);
    };
    EXPECT_TRUE(check_gradients(
        [&](const std::vector<Tensor>& in) { return max_pool2d(op(in), 2, 2, "same"); }, in64));
    int zero_cells_with_gradient = 0;  // where fused and exact gradients of y differ
    for (DType dt : {DType::float32, DType::float64}) {
        for (const auto& [pool, stride] : std::vector<std::pair<Size2, Size2>>{{2, 2}, {3, 1}}) {
            std::vector<std::vector<double>> results[2];
            for (int with_y = 0; with_y < 2; ++with_y) {
                const std::vector<Tensor> in = trainable_copies(in64, dt);
                autograd::GradientTape tape;
                const Tensor y = op(in);
                const Tensor p = max_pool2d(y, pool, stride, "same");
                const Tensor r = random_f64(p.shape(), -1, 1, 74).astype(dt);
                std::vector<Tensor> sources = in;
                if (with_y) sources.push_back(y);
                const std::vector<Tensor> grads = tape.gradient(sum(mul(p, r)), sources);
                for (std::size_t k = 0; k < in.size(); ++k)
                    results[with_y].push_back(grads[k].to_doubles());
                if (!with_y) continue;
                // The gradient of a source is the exact one, also in windows that are all 0: as
                // max pooling's gradient on a copy of y that no ReLU produced.
                const Tensor y_leaf = y.clone();
                autograd::GradientTape leaf_tape;
                leaf_tape.watch(y_leaf);
                const Tensor p_leaf = max_pool2d(y_leaf, pool, stride, "same");
                const Tensor want = leaf_tape.gradient(sum(mul(p_leaf, r)), {y_leaf})[0];
                const std::vector<double> got = grads.back().to_doubles(), yv = y.to_doubles();
                EXPECT_EQ(got, want.to_doubles()) << dtype_name(dt) << ", pool " << pool.h;
                for (std::size_t i = 0; i < got.size(); ++i)
                    zero_cells_with_gradient += yv[i] == 0 && got[i] != 0;
            }
            for (std::size_t k = 0; k < results[0].size(); ++k) {
                EXPECT_EQ(results[0][k], results[1][k])
                    << "gradient " << k << ", " << dtype_name(dt) << ", pool " << pool.h;
            }
        }
    }
    EXPECT_GT(zero_cells_with_gradient, 0)
        << "no all-zero window: the case does not test the fusion";
}

INSTANTIATE_TEST_SUITE_P(Cases, Conv2DCases, ::testing::ValuesIn(cases_2d()),
                         [](const auto& info) { return info.param.name; });

TEST(Conv1D, GradientChecks) {
    struct C1 {
        Shape x, k;
        std::int64_t s;
        std::string padding;
        std::int64_t d, groups;
    };
    for (const C1& c : std::vector<C1>{{{2, 9, 3}, {3, 3, 4}, 1, "valid", 1, 1},
                                       {{2, 9, 3}, {4, 3, 2}, 1, "same", 1, 1},
                                       {{2, 9, 3}, {3, 3, 2}, 1, "causal", 1, 1},
                                       {{1, 10, 2}, {3, 2, 3}, 1, "causal", 2, 1},
                                       {{1, 11, 2}, {2, 2, 3}, 2, "causal", 1, 1},
                                       {{2, 8, 4}, {3, 2, 4}, 2, "same", 1, 2},
                                       {{1, 12, 2}, {3, 2, 2}, 1, "valid", 3, 1}}) {
        const Tensor x = random_f64(c.x, -1, 1, 41), k = random_f64(c.k, -1, 1, 42);
        const Tensor b = random_f64({c.k[2]}, -1, 1, 43);
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) {
                return conv1d(in[0], in[1], in[2], c.s, c.padding, c.d, c.groups);
            },
            {x, k, b}))
            << c.padding << " d=" << c.d << " s=" << c.s;
        // Fused ReLU: finite differences, and the same values as conv1d then relu.
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) {
                return conv1d(in[0], in[1], in[2], c.s, c.padding, c.d, c.groups, true);
            },
            {x, k, b}))
            << "fused relu, " << c.padding << " d=" << c.d << " s=" << c.s;
        for (DType dt : {DType::float32, DType::float64}) {
            const Tensor xf = x.astype(dt), kf = k.astype(dt), bf = b.astype(dt);
            EXPECT_LT(
                max_rel_diff(conv1d(xf, kf, bf, c.s, c.padding, c.d, c.groups, true).to_doubles(),
                             relu(conv1d(xf, kf, bf, c.s, c.padding, c.d, c.groups)).to_doubles()),
                1e-6);
        }
    }
}

TEST(Conv1D, CausalSeesOnlyThePast) {
    const Tensor k = random_f64({3, 2, 2}, -1, 1, 51);
    Tensor x = random_f64({1, 10, 2}, -1, 1, 52);
    const Tensor y0 = conv1d(x, k, Tensor(), 1, "causal", 2);
    ASSERT_EQ(y0.shape(), (Shape{1, 10, 2}));
    x.data<double>()[6 * 2] += 1.0;  // change step 6
    const Tensor y1 = conv1d(x, k, Tensor(), 1, "causal", 2);
    for (int t = 0; t < 10; ++t) {
        const bool changed = y0.at(t * 2) != y1.at(t * 2) || y0.at(t * 2 + 1) != y1.at(t * 2 + 1);
        EXPECT_EQ(changed, t == 6 || t == 8) << "t=" << t;  // taps at t, t-2, t-4
    }
    // Causal = left padding by d (k - 1) then valid.
    Tensor padded = Tensor::zeros({1, 14, 2}, DType::float64);
    for (int i = 0; i < 20; ++i) padded.data<double>()[8 + i] = x.at(i);
    EXPECT_LT(
        max_rel_diff(conv1d(padded, k, Tensor(), 1, "valid", 2).to_doubles(), y1.to_doubles()),
        1e-14);
}

TEST(Conv1D, MatchesConv2DOnOneRow) {
    const Tensor x = random_f64({2, 9, 3}, -1, 1, 61), k = random_f64({4, 3, 5}, -1, 1, 62);
    const Tensor b = random_f64({5}, -1, 1, 63);
    const Tensor y1 = conv1d(x.astype(DType::float32), k.astype(DType::float32),
                             b.astype(DType::float32), 2, "same");
    const Tensor y2 = conv2d(x.reshaped({2, 1, 9, 3}), k.reshaped({1, 4, 3, 5}), b, {1, 2}, "same");
    EXPECT_EQ(y1.shape(), (Shape{2, 5, 5}));
    EXPECT_LT(max_rel_diff(y1.to_doubles(), y2.to_doubles()), 1e-5);
}

TEST(DepthwiseConv2D, EqualsGroupedConvAndGradChecks) {
    const Tensor x = random_f64({2, 6, 5, 3}, -1, 1, 71);
    const Tensor k = random_f64({3, 3, 3, 2}, -1, 1, 72);  // depth_multiplier 2
    const Tensor b = random_f64({6}, -1, 1, 73);
    const Tensor y = depthwise_conv2d(x, k, b, 1, "same");
    ASSERT_EQ(y.shape(), (Shape{2, 6, 5, 6}));
    // Channel c * 2 + m = input channel c convolved with kernel[:, :, c, m].
    const Tensor grouped = conv2d(x, k.reshaped({3, 3, 1, 6}), b, 1, "same", 1, 3);
    EXPECT_LT(max_rel_diff(y.to_doubles(), grouped.to_doubles()), 1e-14);
    const Tensor xc = ops::slice(x, {0, 0, 0, 1}, {-1, -1, -1, 1});
    const Tensor kc = ops::slice(k, {0, 0, 1, 1}, {-1, -1, 1, 1});
    const Tensor one = conv2d(xc, kc, Tensor(), 1, "same");
    const Tensor yc = ops::slice(y, {0, 0, 0, 3}, {-1, -1, -1, 1});
    EXPECT_LT(max_rel_diff(ops::add(one, b.at(3)).to_doubles(), yc.to_doubles()), 1e-14);

    for (const auto& [s, pad, d] : std::vector<std::tuple<Size2, std::string, Size2>>{
             {1, "same", 1}, {2, "valid", 1}, {1, "valid", {2, 1}}, {{2, 1}, "same", 1}}) {
        EXPECT_TRUE(check_gradients(
            [&](const std::vector<Tensor>& in) {
                return depthwise_conv2d(in[0], in[1], in[2], s, pad, d);
            },
            {x, k, b}))
            << pad;
    }
    // float32 (oneDNN) against float64 (reference).
    const Tensor y32 = depthwise_conv2d(x.astype(DType::float32), k.astype(DType::float32),
                                        b.astype(DType::float32), 2, "same");
    EXPECT_LT(max_rel_diff(y32.to_doubles(), depthwise_conv2d(x, k, b, 2, "same").to_doubles()),
              1e-5);
}

TEST(Conv2D, OnlyRequestedGradientsAndUnwatchedInput) {
    // The input is not watched (first layer): the tape gives kernel and bias gradients only.
    const Tensor x = random_f64({2, 5, 5, 1}, -1, 1, 81).astype(DType::float32);
    Tensor k = random_f64({3, 3, 1, 4}, -1, 1, 82).astype(DType::float32);
    Tensor b = Tensor::zeros({4});
    k.set_requires_grad(true);
    b.set_requires_grad(true);
    autograd::GradientTape tape;
    const Tensor y = conv2d(x, k, b);
    auto g = tape.gradient(sum(y), {k, b});
    ASSERT_EQ(g.size(), 2u);
    EXPECT_EQ(g[0].shape(), k.shape());
    // d sum(y) / d b = number of output positions per filter.
    for (double v : g[1].to_doubles()) EXPECT_NEAR(v, 2 * 3 * 3, 1e-5);
}

TEST(Conv2D, PrimitivesAreCachedPerShape) {
    const Tensor x = random_f64({3, 7, 7, 2}, -1, 1, 91).astype(DType::float32);
    const Tensor k = random_f64({3, 3, 2, 5}, -1, 1, 92).astype(DType::float32);
    const Tensor b = Tensor::zeros({5});
    conv2d(x, k, b, 1, "same");
    const std::size_t n = kernels::cpu::conv_cache_size();
    for (int i = 0; i < 3; ++i) conv2d(x, k, b, 1, "same");
    EXPECT_EQ(kernels::cpu::conv_cache_size(), n);
    conv2d(x, k, b, 2, "same");
    EXPECT_EQ(kernels::cpu::conv_cache_size(), n + 1);
    const auto info = kernels::cpu::conv_impl_info(
        geometry({"info", {3, 7, 7, 2}, {3, 3, 2, 5}, 1, "same", 1, 1, true}));
    EXPECT_NE(std::string(info.forward), "");
}

TEST(Conv2D, EmptyBatch) {
    const Tensor x = Tensor::zeros({0, 5, 5, 2});
    const Tensor k = Tensor::ones({3, 3, 2, 4});
    EXPECT_EQ(conv2d(x, k, Tensor(), 1, "same").shape(), (Shape{0, 5, 5, 4}));
}

void expect_error(const std::function<void()>& f, const std::string& fragment) {
    try {
        f();
        ADD_FAILURE() << "expected tfc::Error containing " << fragment;
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find(fragment), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
}

TEST(ConvErrors, BadInputsThrow) {
    const Tensor x = Tensor::zeros({1, 4, 4, 2});
    const Tensor k = Tensor::zeros({3, 3, 2, 3});
    expect_error([&] { conv2d(Tensor::zeros({4, 4, 2}), k, Tensor()); }, "[conv2d]");
    expect_error([&] { conv2d(x, Tensor::zeros({5, 5, 2, 3}), Tensor()); }, "larger than");
    expect_error([&] { conv2d(x, Tensor::zeros({3, 3, 3, 3}), Tensor()); }, "channels");
    expect_error(
        [&] {
            conv2d(x, Tensor::zeros({3, 3, 1, 3}), Tensor(), 1, "same", 1, 2);
        },
        "groups");
    expect_error(
        [&] {
            conv2d(Tensor::zeros({1, 4, 4, 3}), Tensor::zeros({3, 3, 1, 3}), Tensor(), 1, "same", 1,
                   2);
        },
        "channels");
    expect_error([&] { conv2d(x, k, Tensor::zeros({2})); }, "bias");
    expect_error([&] { conv2d(x, k, Tensor(), 0); }, "strides");
    expect_error([&] { conv2d(x, k, Tensor(), 1, "valid", 0); }, "dilation");
    expect_error([&] { conv2d(x, k, Tensor(), 1, "causal"); }, "padding");
    expect_error([&] { conv2d(x, k.astype(DType::float64), Tensor()); }, "dtype");
    expect_error([&] { conv2d(x, k, Tensor(), 1, "valid", 2); }, "larger than");
    expect_error(
        [&] {
            conv1d(Tensor::zeros({1, 4}), Tensor::zeros({2, 1, 1}), Tensor());
        },
        "rank 3");
    expect_error(
        [&] {
            conv1d(Tensor::zeros({1, 2, 1}), Tensor::zeros({3, 1, 1}), Tensor());
        },
        "larger than");
    expect_error([&] { depthwise_conv2d(x, Tensor::zeros({3, 3, 3, 1}), Tensor()); }, "channels");
    expect_error([&] { conv2d(x.astype(DType::int32), k, Tensor()); }, "floating");
}

}  // namespace
}  // namespace tfc::ops
