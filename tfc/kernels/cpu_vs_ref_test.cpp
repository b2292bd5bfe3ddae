// Fast float32 kernels (kernels/cpu, oneDNN) against the reference kernels (kernels/ref), run
// on the same float32 inputs. Tolerances are relative to float32 rounding: a few ulps for
// element-wise work, sqrt(k) * eps * sum|a||b| for dot products.
#include <gtest/gtest.h>
#include <omp.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>
#include <type_traits>
#include <vector>

#include "tfc/core/random.h"
#include "tfc/kernels/cpu/conv_dnnl.h"
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/cpu/rnn_kernels.h"
#include "tfc/kernels/ref/broadcast.h"
#include "tfc/kernels/ref/conv.h"
#include "tfc/kernels/ref/elementwise.h"

namespace tfc::kernels {
namespace {

constexpr float kEps = std::numeric_limits<float>::epsilon();

std::vector<float> random_vec(std::int64_t n, double lo, double hi, std::uint64_t seed) {
    Generator g(seed);
    std::vector<float> v(n);
    for (auto& x : v) x = static_cast<float>(g.uniform(lo, hi));
    return v;
}

// ---- matmul ----

struct MatmulCase {
    std::int64_t m, n, k, batch;
};

void check_matmul(const MatmulCase& c, bool ta, bool tb, bool with_bias, bool acc) {
    const auto a = random_vec(c.batch * c.m * c.k, -1, 1, 1);
    const auto b = random_vec(c.batch * c.k * c.n, -1, 1, 2);
    const auto bias = random_vec(c.n, -1, 1, 3);
    const auto init = random_vec(c.batch * c.m * c.n, -1, 1, 4);
    std::vector<float> fast = init, ref = init;
    cpu::matmul(a.data(), b.data(), with_bias ? bias.data() : nullptr, fast.data(), c.m, c.n, c.k,
                ta, tb, acc, c.batch);
    for (std::int64_t i = 0; i < c.batch; ++i) {
        float* r = ref.data() + i * c.m * c.n;
        // Reference: dst = (acc ? dst : 0) + A.B + bias, with the bias added by hand.
        std::vector<float> prod(c.m * c.n);
        ref::matmul(a.data() + i * c.m * c.k, b.data() + i * c.k * c.n, prod.data(), c.m, c.n, c.k,
                    ta, tb, false);
        for (std::int64_t j = 0; j < c.m * c.n; ++j) {
            r[j] = (acc ? r[j] : 0.0f) + prod[j] + (with_bias ? bias[j % c.n] : 0.0f);
        }
    }
    // |a|,|b| <= 1, so each dot product's magnitude bound is k; add 3 for bias and accumulate.
    const float tol = 4 * kEps * (static_cast<float>(c.k) + 3) + 1e-7f;
    for (std::size_t j = 0; j < fast.size(); ++j) {
        ASSERT_NEAR(fast[j], ref[j], tol)
            << "m" << c.m << " n" << c.n << " k" << c.k << " batch " << c.batch << " ta " << ta
            << " tb " << tb << " bias " << with_bias << " acc " << acc << " at " << j;
    }
}

TEST(CpuVsRef, MatmulAllVariants) {
    const MatmulCase cases[] = {{1, 1, 1, 1},    {33, 17, 65, 1}, {4, 5, 0, 1}, {7, 3, 9, 3},
                                {64, 64, 64, 1}, {1, 100, 7, 2},  {0, 3, 4, 1}};
    for (const auto& c : cases) {
        for (bool ta : {false, true}) {
            for (bool tb : {false, true}) {
                for (bool bias : {false, true}) {
                    for (bool acc : {false, true}) check_matmul(c, ta, tb, bias, acc);
                }
            }
        }
    }
}

TEST(CpuVsRef, MatmulPrimitiveCacheIsReused) {
    const auto a = random_vec(6, -1, 1, 5);
    std::vector<float> d(4);
    cpu::matmul(a.data(), a.data(), nullptr, d.data(), 2, 2, 3, false, true, false);
    const std::size_t n = cpu::matmul_cache_size();
    for (int i = 0; i < 5; ++i) {
        cpu::matmul(a.data(), a.data(), nullptr, d.data(), 2, 2, 3, false, true, false);
    }
    EXPECT_EQ(cpu::matmul_cache_size(), n);
}

// ---- binary ----

TEST(CpuVsRef, BinaryEveryFastPathAndGeneralBroadcast) {
    struct Case {
        Shape a, b;
    };
    const Case cases[] = {
        {{1000}, {1000}},
        {{40000}, {40000}},
        {{7, 9}, {}},
        {{}, {7, 9}},
        {{5, 6, 7}, {6, 7}},
        {{300, 200}, {200}},
        {{8, 1}, {8, 5}},
        {{8, 5}, {8, 1}},
        {{4, 1, 6}, {1, 3, 1}},
        {{3, 1}, {1, 4}},
        {{2, 3, 4, 5}, {3, 1, 5}},
        {{1}, {2, 1}},
        {{400, 100}, {400, 1}},
        {{0, 3}, {3}},
        {{2, 1, 1}, {1, 1, 1}},
    };
    const BinaryKind kinds[] = {BinaryKind::add, BinaryKind::sub,     BinaryKind::mul,
                                BinaryKind::div, BinaryKind::maximum, BinaryKind::minimum};
    std::uint64_t seed = 10;
    for (const auto& c : cases) {
        const Shape out = broadcast_shapes(c.a, c.b, "test");
        const auto a = random_vec(num_elements(c.a), -2, 2, seed++);
        const auto b = random_vec(num_elements(c.b), 0.5, 2, seed++);
        for (BinaryKind k : kinds) {
            std::vector<float> fast(num_elements(out), -7.0f), ref(num_elements(out), -9.0f);
            ASSERT_TRUE(cpu::binary(k, a.data(), c.a, b.data(), c.b, fast.data(), out));
            ref::binary(k, a.data(), c.a, b.data(), c.b, ref.data(), out);
            for (std::size_t i = 0; i < fast.size(); ++i) {
                ASSERT_NEAR(fast[i], ref[i], 2 * kEps * std::fabs(ref[i]))
                    << shape_str(c.a) << " op " << shape_str(c.b) << " kind " << static_cast<int>(k)
                    << " at " << i;
            }
        }
    }
    std::vector<float> dst(1);
    EXPECT_FALSE(cpu::binary(BinaryKind::pow, dst.data(), {1}, dst.data(), {1}, dst.data(), {1}));
}

// ---- unary ----

TEST(CpuVsRef, UnaryAndBackwardEveryKindBothSidesOfTheThreadThreshold) {
    const UnaryKind kinds[] = {
        UnaryKind::neg,      UnaryKind::abs,        UnaryKind::exp,          UnaryKind::log,
        UnaryKind::sqrt,     UnaryKind::square,     UnaryKind::sign,         UnaryKind::relu,
        UnaryKind::sigmoid,  UnaryKind::tanh,       UnaryKind::elu,          UnaryKind::selu,
        UnaryKind::softplus, UnaryKind::softsign,   UnaryKind::gelu,         UnaryKind::gelu_tanh,
        UnaryKind::swish,    UnaryKind::leaky_relu, UnaryKind::hard_sigmoid, UnaryKind::clip};
    const UnaryParams p{0.3, -0.5, 0.8};
    for (std::int64_t n : {1, 1000, 32767, 32768, 100003}) {
        for (UnaryKind k : kinds) {
            const bool pos = k == UnaryKind::log || k == UnaryKind::sqrt;
            const auto x = random_vec(n, pos ? 0.01 : -6, 6, 20 + n);
            const auto g = random_vec(n, -1, 1, 21 + n);
            std::vector<float> yf(n), yr(n), df(n), dr(n);
            cpu::unary(k, p, x.data(), yf.data(), n);
            ref::unary(k, p, x.data(), yr.data(), n);
            cpu::unary_backward(k, p, x.data(), yr.data(), g.data(), df.data(), n);
            ref::unary_backward(k, p, x.data(), yr.data(), g.data(), dr.data(), n);
            for (std::int64_t i = 0; i < n; ++i) {
                ASSERT_NEAR(yf[i], yr[i], 4 * kEps * std::fabs(yr[i]) + 1e-30f)
                    << "kind " << static_cast<int>(k) << " n " << n << " x " << x[i];
                ASSERT_NEAR(df[i], dr[i], 4 * kEps * std::fabs(dr[i]) + 1e-30f)
                    << "backward kind " << static_cast<int>(k) << " n " << n << " x " << x[i];
            }
        }
    }
}

// ---- reductions ----

TEST(CpuVsRef, ReduceAxis) {
    struct Case {
        std::int64_t outer, n, inner;
    };
    const Case cases[] = {{1, 1, 1},    {7, 13, 1},    {300, 200, 1}, {5, 9, 11},
                          {3, 500, 40}, {1, 70000, 1}, {4, 0, 3},     {64, 64, 16}};
    for (const auto& c : cases) {
        const auto x = random_vec(c.outer * c.n * c.inner, -1, 1, 30 + c.n);
        for (ReduceKind k : {ReduceKind::sum, ReduceKind::max, ReduceKind::min}) {
            if (c.n == 0 && k != ReduceKind::sum) continue;
            std::vector<float> f(c.outer * c.inner, 5.0f), r(c.outer * c.inner, 6.0f);
            cpu::reduce_axis(k, x.data(), f.data(), c.outer, c.n, c.inner);
            ref::reduce_axis(k, x.data(), r.data(), c.outer, c.n, c.inner);
            // Summation order differs: bound by n * eps * max|x| (|x| <= 1).
            const float tol = k == ReduceKind::sum ? 2 * kEps * static_cast<float>(c.n) : 0.0f;
            for (std::size_t i = 0; i < f.size(); ++i) {
                ASSERT_NEAR(f[i], r[i], tol) << "kind " << static_cast<int>(k) << " outer "
                                             << c.outer << " n " << c.n << " inner " << c.inner;
            }
        }
    }
}

TEST(CpuVsRef, SoftmaxRows) {
    for (auto [rows, cols] : {std::pair<std::int64_t, std::int64_t>{1, 1},
                              {3, 10},
                              {500, 100},
                              {2, 40000},
                              {1000, 3}}) {
        const auto x = random_vec(rows * cols, -20, 20, 40 + cols);
        for (bool log : {false, true}) {
            std::vector<float> f(rows * cols), r(rows * cols);
            cpu::softmax_rows(x.data(), f.data(), rows, cols, log);
            ref::softmax_rows(x.data(), r.data(), rows, cols, log);
            for (std::size_t i = 0; i < f.size(); ++i) {
                ASSERT_NEAR(f[i], r[i], 4 * kEps * std::fabs(r[i]) + 1e-30f);
            }
        }
    }
}

// ---- broadcast copy kernels vs ref::binary (x + 0 broadcasts x) ----

TEST(CpuVsRef, BroadcastCopyAndSelectMatchBinaryBroadcast) {
    struct Case {
        Shape c, a, b;
    };
    const Case cases[] = {{{2, 3}, {2, 3}, {2, 3}},
                          {{2, 1}, {3}, {}},
                          {{1, 4, 1}, {2, 1, 3}, {4, 3}},
                          {{}, {5}, {5}},
                          {{3, 1, 2}, {1, 2}, {3, 4, 1}}};
    std::uint64_t seed = 50;
    for (const auto& cs : cases) {
        const Shape out = broadcast_shapes(broadcast_shapes(cs.c, cs.a, "t"), cs.b, "t");
        const auto cf = random_vec(num_elements(cs.c), -1, 1, seed++);
        std::vector<std::uint8_t> cond(cf.size());
        for (std::size_t i = 0; i < cf.size(); ++i) cond[i] = cf[i] > 0;
        const auto a = random_vec(num_elements(cs.a), -1, 1, seed++);
        const auto b = random_vec(num_elements(cs.b), -1, 1, seed++);
        const std::vector<float> zeros(num_elements(out), 0.0f);
        const std::vector<std::uint8_t> zc(num_elements(out), 0);
        std::vector<float> ab(zeros.size()), bb(zeros.size()), got(zeros.size()), sel(zeros.size());
        std::vector<std::uint8_t> cb(zeros.size());
        ref::binary(BinaryKind::add, a.data(), cs.a, zeros.data(), out, ab.data(), out);
        ref::binary(BinaryKind::add, b.data(), cs.b, zeros.data(), out, bb.data(), out);
        ref::binary(BinaryKind::maximum, cond.data(), cs.c, zc.data(), out, cb.data(), out);
        ref::broadcast_copy(a.data(), cs.a, got.data(), out, sizeof(float));
        EXPECT_EQ(got, ab);
        ref::select(cond.data(), cs.c, a.data(), cs.a, b.data(), cs.b, sel.data(), out,
                    sizeof(float));
        for (std::size_t i = 0; i < sel.size(); ++i) {
            ASSERT_EQ(sel[i], cb[i] ? ab[i] : bb[i]) << i;
        }
        std::vector<double> a64(a.begin(), a.end()), got64(zeros.size());
        ref::broadcast_copy(a64.data(), cs.a, got64.data(), out, sizeof(double));
        for (std::size_t i = 0; i < got64.size(); ++i) ASSERT_EQ(got64[i], double(ab[i]));
    }
}

// ---- convolution weight gradient ----

// The AVX2 weight-gradient kernel against the reference loops: input channels beyond one
// 6-channel tile, output channels beyond one 16-channel tile and with 8-lane tails, strides,
// dilations, asymmetric padding, and sizes large enough to run on every thread.
namespace conv_test {

struct G {
    std::int64_t n, ih, iw, ic, oc, kh, kw, sh, sw, dh, dw, pt, pb, pl, pr;
};

ConvGeometry geometry(const G& c) {
    ConvGeometry g;
    g.n = c.n;
    g.ih = c.ih;
    g.iw = c.iw;
    g.ic = c.ic;
    g.oc = c.oc;
    g.kh = c.kh;
    g.kw = c.kw;
    g.sh = c.sh;
    g.sw = c.sw;
    g.dh = c.dh;
    g.dw = c.dw;
    g.pad_top = c.pt;
    g.pad_bottom = c.pb;
    g.pad_left = c.pl;
    g.pad_right = c.pr;
    g.oh = (g.ih + c.pt + c.pb - (g.kh - 1) * g.dh - 1) / g.sh + 1;
    g.ow = (g.iw + c.pl + c.pr - (g.kw - 1) * g.dw - 1) / g.sw + 1;
    return g;
}

// Geometries for the weight-gradient kernel: channel counts beyond one register tile and with
// 8-lane tails, strides, dilations, asymmetric padding, sizes large enough to use every thread,
// and one with no position where all taps are inside (the tap-by-tap walks only).
const G kCases[] = {G{3, 12, 11, 13, 40, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},
                    G{2, 17, 9, 7, 29, 5, 2, 2, 1, 1, 2, 2, 2, 1, 1},
                    G{4, 30, 30, 3, 16, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1},
                    G{2, 9, 14, 1, 5, 2, 4, 3, 2, 2, 1, 0, 1, 3, 0},
                    G{8, 26, 26, 32, 64, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0},
                    G{2, 11, 13, 9, 21, 3, 3, 1, 1, 2, 1, 2, 2, 1, 1},
                    G{3, 10, 10, 16, 12, 2, 3, 1, 1, 1, 1, 0, 1, 1, 1},
                    // No output position with every tap inside the image (dilated 3x3 on 3x4).
                    G{2, 3, 4, 5, 11, 3, 3, 1, 1, 2, 2, 2, 2, 2, 2}};

// |fast - want| within float32 rounding of a sum of `terms` products of values in [-1, 1].
void expect_close(const std::vector<float>& fast, const std::vector<double>& want,
                  std::int64_t terms, const char* what, const ConvGeometry& g) {
    ASSERT_EQ(fast.size(), want.size());
    const double tol = 16 * kEps * std::sqrt(static_cast<double>(terms));
    for (std::size_t i = 0; i < want.size(); ++i) {
        ASSERT_NEAR(fast[i], want[i], tol * (1 + std::fabs(want[i])))
            << what << ": ic " << g.ic << " oc " << g.oc << " kh " << g.kh << " at " << i;
    }
}

}  // namespace conv_test

TEST(CpuVsRef, ConvWeightsGradientDirectMatchesReference) {
    using namespace conv_test;
    for (const G& c : kCases) {
        const ConvGeometry g = geometry(c);
        const auto x = random_vec(g.src_size(), -1, 1, 41);
        const auto dy = random_vec(g.dst_size(), -1, 1, 42);
        // Overwritten, not accumulated.
        std::vector<float> fast(g.weights_size(), 7.0f), fast_b(g.oc, 7.0f);
        ASSERT_TRUE(cpu::conv_backward_weights_direct(g, x.data(), dy.data(), fast.data(),
                                                      fast_b.data()));
        const std::vector<double> x64(x.begin(), x.end()), dy64(dy.begin(), dy.end());
        std::vector<double> want(g.weights_size()), want_b(g.oc);
        ref::conv_backward_weights<double>(g, x64.data(), dy64.data(), want.data(),
                                           want_b.data());
        expect_close(fast, want, g.n * g.oh * g.ow, "weight gradient", g);
        expect_close(fast_b, want_b, g.n * g.oh * g.ow, "bias gradient", g);
        // Without a bias the weights are the same; the public entry point takes this path.
        std::vector<float> no_bias(g.weights_size()), via(g.weights_size()), via_b(g.oc);
        ASSERT_TRUE(cpu::conv_backward_weights_direct(g, x.data(), dy.data(), no_bias.data()));
        EXPECT_EQ(no_bias, fast);
        cpu::conv_backward_weights(g, x.data(), dy.data(), via.data(), via_b.data());
        EXPECT_EQ(via, fast);
        EXPECT_EQ(via_b, fast_b);
    }
}

// ---- recurrent kernels ----

namespace rnn_test {

// Distance in float32 ulps (of the larger magnitude) between a float and the exact value.
double ulps(float got, double want) {
    const double scale = std::max(std::fabs(want), 1e-30);
    const double ulp = std::ldexp(1.0, std::ilogb(static_cast<float>(scale)) - 23);
    return std::fabs(static_cast<double>(got) - want) / ulp;
}

}  // namespace rnn_test

TEST(CpuVsRef, RnnGateActivationsWithinTwoUlps) {
    // 2^20 points spread over every binade in [-30, 30], plus both sides of the tanh branch
    // point and the clamps.
    std::vector<float> xs;
    const std::uint32_t top = std::bit_cast<std::uint32_t>(30.0f);
    for (std::uint32_t u = 0; u <= top; u += top / (1u << 19)) {
        const float x = std::bit_cast<float>(u);
        xs.push_back(x);
        xs.push_back(-x);
    }
    for (float x : {0.0f, -0.0f, 0.5f, -0.5f, std::nextafter(0.5f, 0.0f), 88.0f, -88.0f, 1e-20f,
                    -1e-30f, 100.0f, -100.0f}) {
        xs.push_back(x);
    }
    std::vector<float> th = xs, sg = xs;
    cpu::rnn_activate(RnnActivation::tanh, th.data(), static_cast<std::int64_t>(th.size()));
    cpu::rnn_activate(RnnActivation::sigmoid, sg.data(), static_cast<std::int64_t>(sg.size()));
    double worst_tanh = 0, worst_sigmoid = 0;
    for (std::size_t i = 0; i < xs.size(); ++i) {
        const double x = xs[i];
        worst_tanh = std::max(worst_tanh, rnn_test::ulps(th[i], std::tanh(x)));
        const double s = 1.0 / (1.0 + std::exp(-x));
        // Below 1e-30 only the absolute error matters (subnormal territory for the exact value).
        if (s > 1e-30) worst_sigmoid = std::max(worst_sigmoid, rnn_test::ulps(sg[i], s));
        ASSERT_FALSE(std::isnan(th[i]) || std::isnan(sg[i])) << "x = " << x;
    }
    EXPECT_LE(worst_tanh, 2.5);
    EXPECT_LE(worst_sigmoid, 2.5);
}

TEST(CpuVsRef, RnnForwardMatchesReferenceForEveryCell) {
    struct Case {
        RnnCellKind cell;
        bool reset_after;
    };
    for (const Case c : {Case{RnnCellKind::simple_rnn, false}, Case{RnnCellKind::lstm, false},
                         Case{RnnCellKind::gru, true}, Case{RnnCellKind::gru, false}}) {
        RnnDesc d;
        d.cell = c.cell;
        d.reset_after = c.reset_after;
        d.batch = 3;
        d.time = 5;
        d.input = 4;
        d.units = 6;
        const std::int64_t GU = d.gates() * d.units, B = d.batch, U = d.units;
        const auto x = random_vec(B * d.time * d.input, -2, 2, 11);
        const auto k = random_vec(d.input * GU, -1, 1, 12);
        const auto rk = random_vec(U * GU, -1, 1, 13);
        const auto bias = random_vec(2 * GU, -1, 1, 14);
        std::vector<float> seq_f(B * d.time * U), seq_r(seq_f.size()), h_f(B * U), h_r(B * U),
            c_f(B * U), c_r(B * U), ws_f(rnn_workspace_size(d)), ws_r(ws_f.size());
        RnnForwardArgs<float> a;
        a.x = x.data();
        a.kernel = k.data();
        a.recurrent_kernel = rk.data();
        a.bias = bias.data();
        a.seq = seq_f.data();
        a.h_last = h_f.data();
        a.c_last = c_f.data();
        a.workspace = ws_f.data();
        cpu::rnn_forward(d, a);
        a.seq = seq_r.data();
        a.h_last = h_r.data();
        a.c_last = c_r.data();
        a.workspace = ws_r.data();
        ref::rnn_forward<float>(d, a);
        for (std::size_t i = 0; i < seq_f.size(); ++i) {
            ASSERT_NEAR(seq_f[i], seq_r[i], 1e-5f) << "cell " << int(c.cell) << " at " << i;
        }
    }
}

// Splitting the batch over threads (RnnDesc::batch_chunks) must not change any result: the
// chunked forward and backward against the float64 reference kernels on the same inputs, with a
// batch that does not divide evenly, masks, initial states, recurrent dropout and go_backwards.
TEST(CpuVsRef, RnnBatchChunksMatchReferenceForwardAndBackward) {
    struct Case {
        RnnCellKind cell;
        bool reset_after;
        bool go_backwards;
    };
    for (const Case c :
         {Case{RnnCellKind::simple_rnn, false, false}, Case{RnnCellKind::lstm, false, true},
          Case{RnnCellKind::gru, true, false}, Case{RnnCellKind::gru, false, true}}) {
        RnnDesc d;
        d.cell = c.cell;
        d.reset_after = c.reset_after;
        d.go_backwards = c.go_backwards;
        d.batch = 7;
        d.time = 6;
        d.input = 3;
        d.units = 5;
        const std::int64_t B = d.batch, TT = d.time, U = d.units, GU = d.gates() * U;
        const std::int64_t nbias = (c.cell == RnnCellKind::gru && c.reset_after ? 2 : 1) * GU;
        const auto x = random_vec(B * TT * d.input, -2, 2, 21);
        const auto k = random_vec(d.input * GU, -1, 1, 22);
        const auto rk = random_vec(U * GU, -1, 1, 23);
        const auto bias = random_vec(nbias, -1, 1, 24);
        const auto h0 = random_vec(B * U, -1, 1, 25);
        const auto c0 = random_vec(B * U, -1, 1, 26);
        const auto scale = random_vec(B * U, 0, 2, 27);
        const auto d_seq = random_vec(B * TT * U, -1, 1, 28);
        const auto d_h = random_vec(B * U, -1, 1, 29);
        const auto d_c = random_vec(B * U, -1, 1, 30);
        std::vector<std::uint8_t> mask(B * TT);
        for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = (i * 7 + i / 5) % 4 != 0;

        struct Out {
            std::vector<double> seq, h, c, dx, dk, drk, db, dh0, dc0;
        };
        // Runs forward then backward in T with `chunks`, returning everything as double.
        auto run = [&]<typename T>(T, std::int64_t chunks) {
            auto cv = [](const std::vector<float>& v) {
                return std::vector<T>(v.begin(), v.end());
            };
            const auto xt = cv(x), kt = cv(k), rkt = cv(rk), bt = cv(bias), h0t = cv(h0),
                       c0t = cv(c0), st = cv(scale), dst = cv(d_seq), dht = cv(d_h), dct = cv(d_c);
            RnnDesc dd = d;
            dd.batch_chunks = chunks;
            std::vector<T> seq(B * TT * U), h(B * U), cl(B * U), ws(rnn_workspace_size(dd));
            std::vector<T> dx(xt.size()), dk(kt.size()), drk(rkt.size()), db(bt.size()), dh0(B * U),
                dc0(B * U);
            RnnForwardArgs<T> f;
            f.x = xt.data();
            f.kernel = kt.data();
            f.recurrent_kernel = rkt.data();
            f.bias = bt.data();
            f.h0 = h0t.data();
            f.c0 = c0t.data();
            f.mask = mask.data();
            f.recurrent_scale = st.data();
            f.seq = seq.data();
            f.h_last = h.data();
            f.c_last = cl.data();
            f.workspace = ws.data();
            RnnBackwardArgs<T> b;
            b.x = xt.data();
            b.kernel = kt.data();
            b.recurrent_kernel = rkt.data();
            b.has_bias = true;
            b.mask = mask.data();
            b.recurrent_scale = st.data();
            b.workspace = ws.data();
            b.d_seq = dst.data();
            b.d_h_last = dht.data();
            b.d_c_last = dct.data();
            b.dx = dx.data();
            b.d_kernel = dk.data();
            b.d_recurrent_kernel = drk.data();
            b.d_bias = db.data();
            b.d_h0 = dh0.data();
            b.d_c0 = dc0.data();
            if constexpr (std::is_same_v<T, float>) {
                cpu::rnn_forward(dd, f);
                cpu::rnn_backward(dd, b);
            } else {
                ref::rnn_forward<T>(dd, f);
                ref::rnn_backward<T>(dd, b);
            }
            auto dv = [](const std::vector<T>& v) {
                return std::vector<double>(v.begin(), v.end());
            };
            return Out{dv(seq), dv(h), dv(cl), dv(dx), dv(dk), dv(drk), dv(db), dv(dh0), dv(dc0)};
        };
        const Out want = run(0.0, 1);
        for (std::int64_t chunks : {1, 2, 3, 7}) {
            const Out got = run(0.0f, chunks);
            auto near = [&](const std::vector<double>& g, const std::vector<double>& w,
                            const char* what) {
                ASSERT_EQ(g.size(), w.size());
                for (std::size_t i = 0; i < g.size(); ++i) {
                    ASSERT_NEAR(g[i], w[i], 2e-4 * (1 + std::fabs(w[i])))
                        << what << "[" << i << "], cell " << int(c.cell) << ", chunks " << chunks;
                }
            };
            near(got.seq, want.seq, "seq");
            near(got.h, want.h, "h_last");
            near(got.dx, want.dx, "dx");
            near(got.dk, want.dk, "d_kernel");
            near(got.drk, want.drk, "d_recurrent_kernel");
            near(got.db, want.db, "d_bias");
            near(got.dh0, want.dh0, "d_h0");
            if (c.cell == RnnCellKind::lstm) {
                near(got.c, want.c, "c_last");
                near(got.dc0, want.dc0, "d_c0");
            }
        }
    }
}

TEST(CpuVsRef, RnnBatchChunksFollowTheThreadCount) {
    EXPECT_EQ(cpu::rnn_batch_chunks(1), 1);
    EXPECT_EQ(cpu::rnn_batch_chunks(cpu::kRnnMinChunkRows - 1), 1);
    const std::int64_t threads = omp_get_max_threads();
    EXPECT_EQ(cpu::rnn_batch_chunks(1024), threads);
    EXPECT_LE(cpu::rnn_batch_chunks(2 * cpu::kRnnMinChunkRows), 2);
}

}  // namespace
}  // namespace tfc::kernels
