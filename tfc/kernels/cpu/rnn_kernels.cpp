// float32 recurrent kernels: the step loops of kernels/ref/rnn.h with the cached oneDNN matmul
// (kernels/cpu/matmul_dnnl.cpp) for x.W, h.U and the weight gradients, and vectorised sigmoid /
// tanh for the gate blocks (libm's scalar tanhf / expf calls were most of the step time).
#include "tfc/kernels/cpu/rnn_kernels.h"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <vector>

#include "tfc/kernels/cpu/cpu_kernels.h"

namespace tfc::kernels::cpu {
namespace {

void dnnl_gemm(const float* a, const float* b, float* dst, std::int64_t m, std::int64_t n,
               std::int64_t k, bool ta, bool tb, bool acc) {
    matmul(a, b, nullptr, dst, m, n, k, ta, tb, acc);
}

// Branch-free float32 exp, sigmoid and tanh that GCC vectorises inside `omp simd` loops.
// exp(x) = 2^k e^r with k = round(x / ln 2) and |r| <= ln(2) / 2; e^r by its Taylor series to
// r^7 (truncation below 1e-8 relative); 2^k goes straight into the exponent bits. Max error
// against double-precision tanh / sigmoid: about 2 ulp (checked in cpu_vs_ref_test).
// Clamps and selects are value ternaries, and the file is built with -fno-trapping-math
// (tfc/CMakeLists.txt): otherwise GCC 12 keeps them as branches and the loops scalar.
inline float clamp_value(float x, float lo, float hi) {
    x = x > lo ? x : lo;
    return x < hi ? x : hi;
}

inline float exp_clamped(float x) {
    x = clamp_value(x, -87.0f, 88.0f);
    const float kLog2e = 1.44269504088896341f;
    const float kLn2Hi = 0.693145751953125f;  // ln 2 split so that k * kLn2Hi is exact
    const float kLn2Lo = 1.42860682030941723212e-6f;
    // Round to nearest even by adding and subtracting 1.5 * 2^23 (|x * log2e| < 2^22 here): unlike
    // __builtin_roundevenf, GCC 12 vectorises it.
    const float kRound = 12582912.0f;
    const float kf = (x * kLog2e + kRound) - kRound;
    const float r = (x - kf * kLn2Hi) - kf * kLn2Lo;
    float p = 1.0f / 5040.0f;
    p = p * r + 1.0f / 720.0f;
    p = p * r + 1.0f / 120.0f;
    p = p * r + 1.0f / 24.0f;
    p = p * r + 1.0f / 6.0f;
    p = p * r + 0.5f;
    p = p * r + 1.0f;
    p = p * r + 1.0f;
    std::int32_t bits;
    std::memcpy(&bits, &p, sizeof bits);
    bits += static_cast<std::int32_t>(kf) << 23;
    std::memcpy(&p, &bits, sizeof p);
    return p;
}

inline float sigmoid_fast(float x) { return 1.0f / (1.0f + exp_clamped(-x)); }

inline float tanh_fast(float x) {
    const float ax = clamp_value(x < 0.0f ? -x : x, 0.0f, 20.0f);  // tanh(20) is 1 in float
    // |x| >= 0.5: 1 - 2 / (e^{2|x|} + 1), no cancellation worth a bit there.
    const float big = 1.0f - 2.0f / (exp_clamped(2.0f * ax) + 1.0f);
    // |x| < 0.5: the odd Taylor series of tanh to x^15 (next term below 1e-8 relative).
    const float z = ax * ax;
    float p = -929569.0f / 638512875.0f;
    p = p * z + 21844.0f / 6081075.0f;
    p = p * z - 1382.0f / 155925.0f;
    p = p * z + 62.0f / 2835.0f;
    p = p * z - 17.0f / 315.0f;
    p = p * z + 2.0f / 15.0f;
    p = p * z - 1.0f / 3.0f;
    const float small = ax + ax * (z * p);
    const float y = ax < 0.5f ? small : big;
    return std::copysign(y, x);
}

void fast_activate(RnnActivation kind, float* x, std::int64_t n) {
    switch (kind) {
        case RnnActivation::tanh:
#pragma omp simd
            for (std::int64_t i = 0; i < n; ++i) x[i] = tanh_fast(x[i]);
            return;
        case RnnActivation::sigmoid:
#pragma omp simd
            for (std::int64_t i = 0; i < n; ++i) x[i] = sigmoid_fast(x[i]);
            return;
        case RnnActivation::hard_sigmoid:
#pragma omp simd
            for (std::int64_t i = 0; i < n; ++i) {
                x[i] = clamp_value(0.2f * x[i] + 0.5f, 0.0f, 1.0f);
            }
            return;
        case RnnActivation::hard_sigmoid_keras3:
#pragma omp simd
            for (std::int64_t i = 0; i < n; ++i) x[i] = clamp_value(x[i] + 3.0f, 0.0f, 6.0f) / 6.0f;
            return;
        case RnnActivation::relu:
#pragma omp simd
            for (std::int64_t i = 0; i < n; ++i) x[i] = x[i] > 0.0f ? x[i] : 0.0f;
            return;
        case RnnActivation::linear:
            return;
    }
}

// One chunk of batch rows: its first row, its descriptor (batch = its rows) and where its part
// of the workspace starts.
struct Chunk {
    std::int64_t row0 = 0;
    RnnDesc desc;
    std::int64_t ws_offset = 0;
};

std::vector<Chunk> split(const RnnDesc& d) {
    const std::int64_t n = std::clamp<std::int64_t>(d.batch_chunks, 1, d.batch);
    std::vector<Chunk> chunks(static_cast<std::size_t>(n));
    std::int64_t row = 0, ws = 0;
    for (std::int64_t k = 0; k < n; ++k) {
        Chunk& c = chunks[static_cast<std::size_t>(k)];
        c.row0 = row;
        c.desc = d;
        c.desc.batch = d.batch / n + (k < d.batch % n ? 1 : 0);
        c.desc.batch_chunks = 1;
        c.ws_offset = ws;
        row += c.desc.batch;
        ws += rnn_workspace_size(c.desc);  // linear in batch: the chunks tile the whole
    }
    return chunks;
}

// Runs body(k) for every chunk, one OpenMP thread each; an exception ends the region cleanly
// and is rethrown on the calling thread.
template <typename Body>
void for_each_chunk(std::size_t n, const Body& body) {
    std::exception_ptr error;
    const int threads = static_cast<int>(n);
#pragma omp parallel for num_threads(threads) schedule(static, 1)
    for (std::size_t k = 0; k < n; ++k) {
        try {
            // Products inside a chunk run on its own thread: primitives planned for one thread.
            omp_set_num_threads(1);
            body(k);
        } catch (...) {
#pragma omp critical(tfc_rnn_chunk_error)
            if (!error) error = std::current_exception();
        }
    }
    if (error) std::rethrow_exception(error);
}

template <typename T>
const T* rows(const T* p, std::int64_t row0, std::int64_t row_elems) {
    return p ? p + row0 * row_elems : nullptr;
}
template <typename T>
T* rows(T* p, std::int64_t row0, std::int64_t row_elems) {
    return p ? p + row0 * row_elems : nullptr;
}

}  // namespace

void rnn_activate(RnnActivation kind, float* x, std::int64_t n) { fast_activate(kind, x, n); }

std::int64_t rnn_batch_chunks(std::int64_t batch) {
    const std::int64_t threads = omp_get_max_threads();
    return std::clamp<std::int64_t>(std::min(threads, batch / kRnnMinChunkRows), 1, threads);
}

void rnn_forward(const RnnDesc& d, const RnnForwardArgs<float>& a) {
    if (d.batch_chunks <= 1 || d.batch <= 1) {
        ref::rnn_forward<float>(d, a, &dnnl_gemm, &fast_activate);
        return;
    }
    const std::vector<Chunk> chunks = split(d);
    const std::int64_t TT = d.time, U = d.units;
    for_each_chunk(chunks.size(), [&](std::size_t k) {
        const Chunk& c = chunks[k];
        RnnForwardArgs<float> s = a;
        s.x = rows(a.x, c.row0, TT * d.input);
        s.h0 = rows(a.h0, c.row0, U);
        s.c0 = rows(a.c0, c.row0, U);
        s.mask = rows(a.mask, c.row0, TT);
        s.recurrent_scale = rows(a.recurrent_scale, c.row0, U);
        s.seq = rows(a.seq, c.row0, TT * U);
        s.h_last = rows(a.h_last, c.row0, U);
        s.c_last = rows(a.c_last, c.row0, U);
        s.workspace = a.workspace + c.ws_offset;
        ref::rnn_forward<float>(c.desc, s, &dnnl_gemm, &fast_activate);
    });
}

void rnn_backward(const RnnDesc& d, const RnnBackwardArgs<float>& a) {
    if (d.batch_chunks <= 1 || d.batch <= 1) {
        ref::rnn_backward<float>(d, a, &dnnl_gemm);
        return;
    }
    const std::vector<Chunk> chunks = split(d);
    const std::int64_t TT = d.time, U = d.units, GU = d.gates() * U;
    const std::int64_t nk = d.input * GU, nrk = U * GU;
    const std::int64_t nb =
        a.has_bias ? (d.cell == RnnCellKind::gru && d.reset_after ? 2 : 1) * GU : 0;
    // Chunk 0 writes the weight gradients in place; the others into their own partials.
    std::vector<float> partial(static_cast<std::size_t>((chunks.size() - 1) * (nk + nrk + nb)));
    for_each_chunk(chunks.size(), [&](std::size_t k) {
        const Chunk& c = chunks[k];
        RnnBackwardArgs<float> s = a;
        s.x = rows(a.x, c.row0, TT * d.input);
        s.mask = rows(a.mask, c.row0, TT);
        s.recurrent_scale = rows(a.recurrent_scale, c.row0, U);
        s.workspace = a.workspace + c.ws_offset;
        s.d_seq = rows(a.d_seq, c.row0, TT * U);
        s.d_h_last = rows(a.d_h_last, c.row0, U);
        s.d_c_last = rows(a.d_c_last, c.row0, U);
        s.dx = rows(a.dx, c.row0, TT * d.input);
        s.d_h0 = rows(a.d_h0, c.row0, U);
        s.d_c0 = rows(a.d_c0, c.row0, U);
        if (k > 0) {
            float* p = partial.data() + (k - 1) * (nk + nrk + nb);
            s.d_kernel = p;
            s.d_recurrent_kernel = p + nk;
            s.d_bias = a.has_bias ? p + nk + nrk : nullptr;
        }
        ref::rnn_backward<float>(c.desc, s, &dnnl_gemm);
    });
    for (std::size_t k = 1; k < chunks.size(); ++k) {
        const float* p = partial.data() + (k - 1) * (nk + nrk + nb);
        for (std::int64_t i = 0; i < nk; ++i) a.d_kernel[i] += p[i];
        for (std::int64_t i = 0; i < nrk; ++i) a.d_recurrent_kernel[i] += p[nk + i];
        for (std::int64_t i = 0; i < nb; ++i) a.d_bias[i] += p[nk + nrk + i];
    }
}

}  // namespace tfc::kernels::cpu
