// The SimpleRNN / LSTM / GRU step loops, forward and BPTT. See rnn.h for layouts.
//
// Per processing step s (time index t = go_backwards ? T-1-s : s):
//   hin = h * recurrent_scale                        (recurrent dropout; hin = h without it)
//   SimpleRNN  h' = act(xw_t + hin.U)
//   LSTM       [i f g o] = [ra ra act ra](xw_t + hin.U); c' = f c + i g; h' = o act(c')
//   GRU, reset_after:  rz = hin.U + rb;  z, r = ra(xw_z,r + rz_z,r);  hh = act(xw_h + r rz_h)
//   GRU, reset_before: z, r = ra(xw_z,r + hin.U_zr);  hh = act(xw_h + (r hin).U_h)
//   GRU        h' = z h + (1 - z) hh
// xw = x.kernel + input bias is one matmul over all B*T rows before the loop; the weight
// gradients are one matmul each after the backward loop.
#include "tfc/kernels/ref/rnn.h"

#include <algorithm>
#include <cmath>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/kernels/ref/elementwise.h"

namespace tfc::kernels {

std::int64_t rnn_workspace_size(const RnnDesc& d) {
    const std::int64_t rows = d.batch * d.time;
    return rows * d.gates() * d.units + 3 * rows * d.units;
}

namespace ref {
namespace {

template <typename T>
inline T activate(RnnActivation a, T x) {
    switch (a) {
        case RnnActivation::tanh:
            return std::tanh(x);
        case RnnActivation::sigmoid:
            return T(1) / (T(1) + std::exp(-x));
        case RnnActivation::hard_sigmoid:
            return std::min(T(1), std::max(T(0), T(0.2) * x + T(0.5)));
        case RnnActivation::hard_sigmoid_keras3:
            return std::min(T(6), std::max(T(0), x + T(3))) / T(6);
        case RnnActivation::relu:
            return x > T(0) ? x : T(0);
        case RnnActivation::linear:
            return x;
    }
    return x;
}

// f'(x) expressed through y = f(x).
template <typename T>
inline T activate_grad(RnnActivation a, T y) {
    switch (a) {
        case RnnActivation::tanh:
            return T(1) - y * y;
        case RnnActivation::sigmoid:
            return y * (T(1) - y);
        case RnnActivation::hard_sigmoid:
            return (y > T(0) && y < T(1)) ? T(0.2) : T(0);
        case RnnActivation::hard_sigmoid_keras3:
            return (y > T(0) && y < T(1)) ? T(1) / T(6) : T(0);
        case RnnActivation::relu:
            return y > T(0) ? T(1) : T(0);
        case RnnActivation::linear:
            return T(1);
    }
    return T(1);
}

// out[i] = f'(x_i) through y_i, the switch outside the loop so that the loop vectorises.
template <typename T>
void activate_grad_block(RnnActivation a, const T* y, T* out, std::int64_t n) {
    switch (a) {
        case RnnActivation::tanh:
            for (std::int64_t i = 0; i < n; ++i) out[i] = T(1) - y[i] * y[i];
            return;
        case RnnActivation::sigmoid:
            for (std::int64_t i = 0; i < n; ++i) out[i] = y[i] * (T(1) - y[i]);
            return;
        default:
            for (std::int64_t i = 0; i < n; ++i) out[i] = activate_grad(a, y[i]);
    }
}

// Per-thread buffers that keep their memory between calls (slot k holds one array): the
// backward pass runs every training step, and fresh vectors of a few hundred KB came from mmap
// and faulted in every page each time. One call at a time per thread, as the kernels run.
template <typename T>
T* scratch(int slot, std::int64_t n) {
    thread_local std::vector<T> buffers[4];
    auto& v = buffers[slot];
    if (static_cast<std::int64_t>(v.size()) < n) v.resize(static_cast<std::size_t>(n));
    std::fill(v.begin(), v.begin() + n, T(0));
    return v.data();
}

template <typename T>
void scalar_activate(RnnActivation kind, T* x, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) x[i] = activate(kind, x[i]);
}

template <typename T>
void naive_gemm(const T* a, const T* b, T* dst, std::int64_t m, std::int64_t n, std::int64_t k,
                bool ta, bool tb, bool acc) {
    matmul<T>(a, b, dst, m, n, k, ta, tb, acc);
}

// Copies columns [c0, c0 + n) of a [rows, cols] matrix into a contiguous [rows, n] one.
template <typename T>
std::vector<T> columns(const T* src, std::int64_t rows, std::int64_t cols, std::int64_t c0,
                       std::int64_t n) {
    std::vector<T> out(static_cast<std::size_t>(rows * n));
    for (std::int64_t r = 0; r < rows; ++r) {
        std::copy(src + r * cols + c0, src + r * cols + c0 + n, out.data() + r * n);
    }
    return out;
}

// Workspace views.
template <typename T>
struct Ws {
    T* gates;  // [B, T, G*U] batch-major: post-activation gates (SimpleRNN: h')
    T* hin;    // [T, B, U]: h * recurrent_scale entering step s
    T* sprev;  // [T, B, U]: LSTM c entering step s; GRU h entering step s
    T* aux;    // [T, B, U]: LSTM act(c'); GRU reset_after rz_h; GRU reset_before r * hin
};

template <typename T>
Ws<T> views(const RnnDesc& d, T* w) {
    const std::int64_t rows = d.batch * d.time;
    Ws<T> v;
    v.gates = w;
    v.hin = v.gates + rows * d.gates() * d.units;
    v.sprev = v.hin + rows * d.units;
    v.aux = v.sprev + rows * d.units;
    return v;
}

inline bool step_used(const std::uint8_t* mask, std::int64_t b, std::int64_t t, std::int64_t T) {
    return mask == nullptr || mask[b * T + t] != 0;
}

}  // namespace

template <typename T>
void rnn_forward(const RnnDesc& d, const RnnForwardArgs<T>& a, RnnGemm<T> gemm,
                 RnnActivate<T> activate_block) {
    if (gemm == nullptr) gemm = &naive_gemm<T>;
    if (activate_block == nullptr) activate_block = &scalar_activate<T>;
    const std::int64_t B = d.batch, TT = d.time, I = d.input, U = d.units;
    const std::int64_t G = d.gates(), GU = G * U;
    const RnnActivation act = d.activation, ra = d.recurrent_activation;
    Ws<T> ws = views(d, a.workspace);

    // xw = x . kernel (+ input bias), all timesteps at once.
    gemm(a.x, a.kernel, ws.gates, B * TT, GU, I, false, false, false);
    if (a.bias) {
        for (std::int64_t r = 0; r < B * TT; ++r) {
            T* row = ws.gates + r * GU;
#pragma omp simd
            for (std::int64_t j = 0; j < GU; ++j) row[j] += a.bias[j];
        }
    }
    const T* rbias =
        (d.cell == RnnCellKind::gru && d.reset_after && a.bias) ? a.bias + GU : nullptr;
    std::vector<T> u_zr, u_h;  // GRU reset_before: the two column blocks of recurrent_kernel
    if (d.gru_reset_before()) {
        u_zr = columns(a.recurrent_kernel, U, GU, 0, 2 * U);
        u_h = columns(a.recurrent_kernel, U, GU, 2 * U, U);
    }
    std::vector<T> h(B * U, T(0)), c(B * U, T(0)), out(B * U, T(0)), rec(B * GU), hnew(B * U),
        cnew(B * U);
    if (a.h0) std::copy(a.h0, a.h0 + B * U, h.begin());
    if (a.c0 && d.cell == RnnCellKind::lstm) std::copy(a.c0, a.c0 + B * U, c.begin());

    for (std::int64_t s = 0; s < TT; ++s) {
        const std::int64_t t = d.go_backwards ? TT - 1 - s : s;
        T* hin = ws.hin + s * B * U;
        T* sprev = ws.sprev + s * B * U;
        T* aux = ws.aux + s * B * U;
        for (std::int64_t i = 0; i < B * U; ++i) {
            hin[i] = a.recurrent_scale ? h[i] * a.recurrent_scale[i] : h[i];
        }
        std::copy(d.cell == RnnCellKind::lstm ? c.begin() : h.begin(),
                  d.cell == RnnCellKind::lstm ? c.end() : h.end(), sprev);
        if (d.gru_reset_before()) {
            gemm(hin, u_zr.data(), rec.data(), B, 2 * U, U, false, false, false);
        } else {
            gemm(hin, a.recurrent_kernel, rec.data(), B, GU, U, false, false, false);
        }
        for (std::int64_t b = 0; b < B; ++b) {
            T* g = ws.gates + (b * TT + t) * GU;  // holds xw_t; becomes the activated gates
            const T* r = rec.data() + b * GU;
            T* hn = hnew.data() + b * U;
            const T* hp = h.data() + b * U;
            // Pre-activations first, then each activation over a whole gate block (one call
            // per block, so a vectorised activation sees contiguous runs of U or 2U values).
            switch (d.cell) {
                case RnnCellKind::simple_rnn:
                    for (std::int64_t j = 0; j < U; ++j) g[j] += r[j];
                    activate_block(act, g, U);
                    std::copy(g, g + U, hn);
                    break;
                case RnnCellKind::lstm: {
                    T* cn = cnew.data() + b * U;
                    const T* cp = c.data() + b * U;
                    T* ax = aux + b * U;
                    for (std::int64_t j = 0; j < GU; ++j) g[j] += r[j];
                    activate_block(ra, g, 2 * U);       // i, f
                    activate_block(act, g + 2 * U, U);  // g
                    activate_block(ra, g + 3 * U, U);   // o
                    for (std::int64_t j = 0; j < U; ++j)
                        cn[j] = g[U + j] * cp[j] + g[j] * g[2 * U + j];
                    std::copy(cn, cn + U, ax);
                    activate_block(act, ax, U);
                    for (std::int64_t j = 0; j < U; ++j) hn[j] = g[3 * U + j] * ax[j];
                    break;
                }
                case RnnCellKind::gru: {
                    T* ax = aux + b * U;
                    if (d.reset_after) {
                        if (rbias) {
                            for (std::int64_t j = 0; j < 2 * U; ++j) g[j] = g[j] + r[j] + rbias[j];
                            for (std::int64_t j = 0; j < U; ++j)
                                ax[j] = r[2 * U + j] + rbias[2 * U + j];
                        } else {
                            for (std::int64_t j = 0; j < 2 * U; ++j) g[j] = g[j] + r[j] + T(0);
                            for (std::int64_t j = 0; j < U; ++j) ax[j] = r[2 * U + j] + T(0);
                        }
                        activate_block(ra, g, 2 * U);  // z, r
                        for (std::int64_t j = 0; j < U; ++j) g[2 * U + j] += g[U + j] * ax[j];
                        activate_block(act, g + 2 * U, U);  // hh
                        for (std::int64_t j = 0; j < U; ++j) {
                            hn[j] = g[j] * hp[j] + (T(1) - g[j]) * g[2 * U + j];
                        }
                    } else {
                        const T* rr = rec.data() + b * 2 * U;  // [B, 2U] for reset_before
                        for (std::int64_t j = 0; j < 2 * U; ++j) g[j] += rr[j];
                        activate_block(ra, g, 2 * U);  // z, r
                        for (std::int64_t j = 0; j < U; ++j) ax[j] = g[U + j] * hin[b * U + j];
                    }
                    break;
                }
            }
        }
        if (d.gru_reset_before()) {  // hh needs (r * hin) . U_h for the whole batch
            gemm(aux, u_h.data(), rec.data(), B, U, U, false, false, false);
            for (std::int64_t b = 0; b < B; ++b) {
                T* g = ws.gates + (b * TT + t) * GU;
                const T* r = rec.data() + b * U;
                const T* hp = h.data() + b * U;
                T* hn = hnew.data() + b * U;
                for (std::int64_t j = 0; j < U; ++j) g[2 * U + j] += r[j];
                activate_block(act, g + 2 * U, U);
                for (std::int64_t j = 0; j < U; ++j) {
                    hn[j] = g[j] * hp[j] + (T(1) - g[j]) * g[2 * U + j];
                }
            }
        }
        // Masking: a used step takes the new state; a masked one keeps the old state and
        // repeats the previous output (or outputs zeros).
        for (std::int64_t b = 0; b < B; ++b) {
            T* o = a.seq + (b * TT + s) * U;
            if (step_used(a.mask, b, t, TT)) {
                std::copy(hnew.begin() + b * U, hnew.begin() + (b + 1) * U, h.begin() + b * U);
                if (d.cell == RnnCellKind::lstm) {
                    std::copy(cnew.begin() + b * U, cnew.begin() + (b + 1) * U, c.begin() + b * U);
                }
                std::copy(hnew.begin() + b * U, hnew.begin() + (b + 1) * U, out.begin() + b * U);
            } else if (d.zero_output_for_mask) {
                std::fill(out.begin() + b * U, out.begin() + (b + 1) * U, T(0));
            }
            std::copy(out.begin() + b * U, out.begin() + (b + 1) * U, o);
        }
    }
    std::copy(h.begin(), h.end(), a.h_last);
    if (d.cell == RnnCellKind::lstm && a.c_last) std::copy(c.begin(), c.end(), a.c_last);
}

template <typename T>
void rnn_backward(const RnnDesc& d, const RnnBackwardArgs<T>& a, RnnGemm<T> gemm) {
    if (gemm == nullptr) gemm = &naive_gemm<T>;
    const std::int64_t B = d.batch, TT = d.time, I = d.input, U = d.units;
    const std::int64_t G = d.gates(), GU = G * U;
    const RnnActivation act = d.activation, ra = d.recurrent_activation;
    const bool rb = d.gru_reset_before();
    Ws<T> ws = views(d, const_cast<T*>(a.workspace));

    // dA: gradient of the input-side pre-activations, [B, T, GU] (rows match x).
    // dR: gradient of the recurrent-side pre-activations, [T, B, RC] per step;
    //     RC = GU, or 2U for GRU reset_before, whose h block goes to dRh [T, B, U].
    const std::int64_t RC = rb ? 2 * U : GU;
    T* const dA = scratch<T>(0, B * TT * GU);
    T* const dR = scratch<T>(1, TT * B * RC);
    T* const dRh = scratch<T>(2, rb ? TT * B * U : 0);
    T* const deriv = scratch<T>(3, GU + U);  // one row's f'(gate) values, then f'(aux)
    std::vector<T> dh(B * U, T(0)), dc(B * U, T(0)), dout(B * U, T(0)), dhin(B * U),
        drhin(rb ? B * U : 0);
    if (a.d_h_last) std::copy(a.d_h_last, a.d_h_last + B * U, dh.begin());
    if (a.d_c_last && d.cell == RnnCellKind::lstm) {
        std::copy(a.d_c_last, a.d_c_last + B * U, dc.begin());
    }
    std::vector<T> u_zr, u_h;
    if (rb) {
        u_zr = columns(a.recurrent_kernel, U, GU, 0, 2 * U);
        u_h = columns(a.recurrent_kernel, U, GU, 2 * U, U);
    }
    std::vector<std::uint8_t> used(B);

    for (std::int64_t s = TT - 1; s >= 0; --s) {
        const std::int64_t t = d.go_backwards ? TT - 1 - s : s;
        const T* hin = ws.hin + s * B * U;
        const T* sprev = ws.sprev + s * B * U;
        const T* aux = ws.aux + s * B * U;
        T* dr_s = dR + s * B * RC;
        for (std::int64_t b = 0; b < B; ++b) {
            used[b] = step_used(a.mask, b, t, TT) ? 1 : 0;
            T* go = dout.data() + b * U;  // becomes the gradient of this step's output
            if (a.d_seq) {
                const T* ds = a.d_seq + (b * TT + s) * U;
                for (std::int64_t j = 0; j < U; ++j) go[j] += ds[j];
            }
            if (!used[b]) {
                // State passes through unchanged; the output repeated the previous one.
                if (d.zero_output_for_mask) std::fill(go, go + U, T(0));
                continue;
            }
            const T* g = ws.gates + (b * TT + t) * GU;
            T* da = dA + (b * TT + t) * GU;
            T* dr = dr_s + b * RC;
            T* dhb = dh.data() + b * U;  // in: dL/dh'; out: direct part of dL/dh_prev
            for (std::int64_t j = 0; j < U; ++j) dhb[j] += go[j];
            std::fill(go, go + U, T(0));
            switch (d.cell) {
                case RnnCellKind::simple_rnn:
                    for (std::int64_t j = 0; j < U; ++j) {
                        da[j] = dhb[j] * activate_grad(act, g[j]);
                        dr[j] = da[j];
                        dhb[j] = T(0);
                    }
                    break;
                case RnnCellKind::lstm: {
                    T* dcb = dc.data() + b * U;
                    const T* cp = sprev + b * U;
                    const T* tc = aux + b * U;
                    // f' of the four gates (i, f, c, o) and of tanh(c), then one vectorised pass.
                    activate_grad_block(ra, g, deriv, 2 * U);
                    activate_grad_block(act, g + 2 * U, deriv + 2 * U, U);
                    activate_grad_block(ra, g + 3 * U, deriv + 3 * U, U);
                    activate_grad_block(act, tc, deriv + GU, U);
                    const T* d_i = deriv;
                    const T* d_f = deriv + U;
                    const T* d_c = deriv + 2 * U;
                    const T* d_o = deriv + 3 * U;
                    const T* d_tc = deriv + GU;
                    for (std::int64_t j = 0; j < U; ++j) {
                        const T ig = g[j], fg = g[U + j], gg = g[2 * U + j], og = g[3 * U + j];
                        const T dcn = dcb[j] + dhb[j] * og * d_tc[j];
                        da[j] = dcn * gg * d_i[j];
                        da[U + j] = dcn * cp[j] * d_f[j];
                        da[2 * U + j] = dcn * ig * d_c[j];
                        da[3 * U + j] = dhb[j] * tc[j] * d_o[j];
                        dcb[j] = dcn * fg;
                        dhb[j] = T(0);
                    }
                    std::copy(da, da + GU, dr);
                    break;
                }
                case RnnCellKind::gru: {
                    const T* hp = sprev + b * U;
                    activate_grad_block(ra, g, deriv, U);                   // z
                    activate_grad_block(act, g + 2 * U, deriv + 2 * U, U);  // candidate
                    for (std::int64_t j = 0; j < U; ++j) {
                        const T z = g[j], hh = g[2 * U + j];
                        const T dz = dhb[j] * (hp[j] - hh);
                        const T dah = dhb[j] * (T(1) - z) * deriv[2 * U + j];
                        da[j] = dz * deriv[j];
                        da[2 * U + j] = dah;
                        dr[j] = da[j];
                        if (!rb) {  // reset_after: hh = act(xw_h + r * rz_h)
                            const T rg = g[U + j];
                            da[U + j] = dah * aux[b * U + j] * activate_grad(ra, rg);
                            dr[U + j] = da[U + j];
                            dr[2 * U + j] = dah * rg;
                        } else {
                            dRh[s * B * U + b * U + j] = dah;
                        }
                        dhb[j] = dhb[j] * z;
                    }
                    break;
                }
            }
        }
        if (rb) {
            // d(r * hin) = dah . U_h^T, then r and hin get their shares.
            gemm(dRh + s * B * U, u_h.data(), drhin.data(), B, U, U, false, true, false);
            for (std::int64_t b = 0; b < B; ++b) {
                if (!used[b]) continue;
                const T* g = ws.gates + (b * TT + t) * GU;
                T* da = dA + (b * TT + t) * GU;
                T* dr = dr_s + b * RC;
                for (std::int64_t j = 0; j < U; ++j) {
                    da[U + j] = drhin[b * U + j] * hin[b * U + j] * activate_grad(ra, g[U + j]);
                    dr[U + j] = da[U + j];
                }
            }
        }
        // dh_prev += (dR . U^T) * recurrent_scale (+ the r share for GRU reset_before).
        gemm(dr_s, rb ? u_zr.data() : a.recurrent_kernel, dhin.data(), B, U, RC, false, true,
             false);
        for (std::int64_t b = 0; b < B; ++b) {
            if (!used[b]) continue;
            for (std::int64_t j = 0; j < U; ++j) {
                const std::int64_t i = b * U + j;
                T v = dhin[i];
                if (rb) v += drhin[i] * ws.gates[(b * TT + t) * GU + U + j];
                if (a.recurrent_scale) v *= a.recurrent_scale[i];
                dh[i] += v;
            }
        }
    }
    std::copy(dh.begin(), dh.end(), a.d_h0);
    if (d.cell == RnnCellKind::lstm && a.d_c0) std::copy(dc.begin(), dc.end(), a.d_c0);

    // Weight and input gradients, one matmul each.
    gemm(dA, a.kernel, a.dx, B * TT, I, GU, false, true, false);
    gemm(a.x, dA, a.d_kernel, I, GU, B * TT, true, false, false);
    if (rb) {
        std::vector<T> dzr(U * 2 * U), dhh(U * U);
        gemm(ws.hin, dR, dzr.data(), U, 2 * U, TT * B, true, false, false);
        gemm(ws.aux, dRh, dhh.data(), U, U, TT * B, true, false, false);
        for (std::int64_t r = 0; r < U; ++r) {
            std::copy(dzr.begin() + r * 2 * U, dzr.begin() + (r + 1) * 2 * U,
                      a.d_recurrent_kernel + r * GU);
            std::copy(dhh.begin() + r * U, dhh.begin() + (r + 1) * U,
                      a.d_recurrent_kernel + r * GU + 2 * U);
        }
    } else {
        gemm(ws.hin, dR, a.d_recurrent_kernel, U, GU, TT * B, true, false, false);
    }
    if (a.has_bias) {
        std::fill(a.d_bias, a.d_bias + GU, T(0));
        for (std::int64_t r = 0; r < B * TT; ++r) {
            for (std::int64_t j = 0; j < GU; ++j) a.d_bias[j] += dA[r * GU + j];
        }
        if (d.cell == RnnCellKind::gru && d.reset_after) {
            T* drb = a.d_bias + GU;
            std::fill(drb, drb + GU, T(0));
            for (std::int64_t r = 0; r < B * TT; ++r) {
                for (std::int64_t j = 0; j < GU; ++j) drb[j] += dR[r * GU + j];
            }
        }
    }
}

template void rnn_forward<float>(const RnnDesc&, const RnnForwardArgs<float>&, RnnGemm<float>,
                                 RnnActivate<float>);
template void rnn_forward<double>(const RnnDesc&, const RnnForwardArgs<double>&, RnnGemm<double>,
                                  RnnActivate<double>);
template void rnn_backward<float>(const RnnDesc&, const RnnBackwardArgs<float>&, RnnGemm<float>);
template void rnn_backward<double>(const RnnDesc&, const RnnBackwardArgs<double>&, RnnGemm<double>);

}  // namespace ref
}  // namespace tfc::kernels
