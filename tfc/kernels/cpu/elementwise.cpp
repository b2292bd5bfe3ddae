// Vectorised float32 loops. Large arrays are split across OpenMP threads; small ones run on the
// calling thread (a parallel region costs more than the work below ~32k elements).
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "tfc/kernels/broadcast_plan.h"
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/ref/elementwise.h"

namespace tfc::kernels::cpu {
namespace {

constexpr std::int64_t kParallelMin = 32768;

template <typename Op>
void map2(const float* a, const float* b, float* dst, std::int64_t n, Op op) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dst[i] = op(a[i], b[i]);
}

template <typename Op>
void map_scalar_b(const float* a, float b, float* dst, std::int64_t n, Op op) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dst[i] = op(a[i], b);
}

template <typename Op>
void map_scalar_a(float a, const float* b, float* dst, std::int64_t n, Op op) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dst[i] = op(a, b[i]);
}

template <typename Op>
void map_rows(const float* a, const float* b, float* dst, std::int64_t rows, std::int64_t cols,
              Op op) {
#pragma omp parallel for if (rows * cols >= kParallelMin) schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        const float* ar = a + r * cols;
        float* dr = dst + r * cols;
#pragma omp simd
        for (std::int64_t c = 0; c < cols; ++c) dr[c] = op(ar[c], b[c]);
    }
}

template <typename Op>
bool dispatch(const float* a, const Shape& as, const float* b, const Shape& bs, float* dst,
              const Shape& os, Op op) {
    const std::int64_t n = num_elements(os);
    const std::int64_t na = num_elements(as), nb = num_elements(bs);
    if (na == n && nb == n) {
        map2(a, b, dst, n, op);
        return true;
    }
    if (nb == 1 && na == n) {
        map_scalar_b(a, b[0], dst, n, op);
        return true;
    }
    if (na == 1 && nb == n) {
        map_scalar_a(a[0], b, dst, n, op);
        return true;
    }
    // b is a suffix of a (bias broadcast over leading dims).
    if (na == n && bs.size() <= as.size() && nb > 0 &&
        std::equal(bs.begin(), bs.end(), as.end() - bs.size())) {
        map_rows(a, b, dst, n / nb, nb, op);
        return true;
    }
    if (n == 0) return true;
    // General broadcast, e.g. [N, C] op [N, 1]: one innermost row at a time.
    const BroadcastPlan plan = plan_broadcast(os, {&as, &bs});
    const std::int64_t len = plan.row_length(), rows = plan.num_rows();
    const bool ca = plan.strides[0].back() != 0, cb = plan.strides[1].back() != 0;
#pragma omp parallel for if (n >= kParallelMin) schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        const auto off = plan.row_offsets(r);
        const float* ar = a + off[0];
        const float* br = b + off[1];
        float* dr = dst + r * len;
        if (ca && cb) {
#pragma omp simd
            for (std::int64_t c = 0; c < len; ++c) dr[c] = op(ar[c], br[c]);
        } else if (ca) {
            const float bv = br[0];
#pragma omp simd
            for (std::int64_t c = 0; c < len; ++c) dr[c] = op(ar[c], bv);
        } else if (cb) {
            const float av = ar[0];
#pragma omp simd
            for (std::int64_t c = 0; c < len; ++c) dr[c] = op(av, br[c]);
        } else {
            const float v = op(ar[0], br[0]);
            for (std::int64_t c = 0; c < len; ++c) dr[c] = v;
        }
    }
    return true;
}

float sigmoidf(float x) {
    return x >= 0 ? 1.0f / (1.0f + std::exp(-x)) : std::exp(x) / (1.0f + std::exp(x));
}

}  // namespace

bool binary(BinaryKind kind, const float* a, const Shape& as, const float* b, const Shape& bs,
            float* dst, const Shape& os) {
    switch (kind) {
        case BinaryKind::add: return dispatch(a, as, b, bs, dst, os, [](float x, float y) { return x + y; });
        case BinaryKind::sub: return dispatch(a, as, b, bs, dst, os, [](float x, float y) { return x - y; });
        case BinaryKind::mul: return dispatch(a, as, b, bs, dst, os, [](float x, float y) { return x * y; });
        case BinaryKind::div: return dispatch(a, as, b, bs, dst, os, [](float x, float y) { return x / y; });
        case BinaryKind::maximum:
            return dispatch(a, as, b, bs, dst, os, [](float x, float y) { return x >= y ? x : y; });
        case BinaryKind::minimum:
            return dispatch(a, as, b, bs, dst, os, [](float x, float y) { return x <= y ? x : y; });
        default: return false;
    }
}

void unary(UnaryKind kind, const UnaryParams& p, const float* src, float* dst, std::int64_t n) {
    switch (kind) {
        case UnaryKind::relu:
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
            for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i] > 0.0f ? src[i] : 0.0f;
            return;
        case UnaryKind::square:
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
            for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i] * src[i];
            return;
        case UnaryKind::neg:
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
            for (std::int64_t i = 0; i < n; ++i) dst[i] = -src[i];
            return;
        case UnaryKind::sigmoid:
#pragma omp parallel for if (n >= kParallelMin) schedule(static)
            for (std::int64_t i = 0; i < n; ++i) dst[i] = sigmoidf(src[i]);
            return;
        default: break;
    }
    // Transcendental kinds: split the reference loop across threads.
    if (n < kParallelMin) {
        ref::unary(kind, p, src, dst, n);
        return;
    }
#pragma omp parallel
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const std::int64_t lo = n * t / nt, hi = n * (t + 1) / nt;
        ref::unary(kind, p, src + lo, dst + lo, hi - lo);
    }
}

void unary_backward(UnaryKind kind, const UnaryParams& p, const float* src, const float* out,
                    const float* grad_out, float* dst, std::int64_t n) {
    if (kind == UnaryKind::relu) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
        for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i] > 0.0f ? grad_out[i] : 0.0f;
        return;
    }
    if (kind == UnaryKind::sigmoid) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
        for (std::int64_t i = 0; i < n; ++i) dst[i] = grad_out[i] * out[i] * (1.0f - out[i]);
        return;
    }
    if (n < kParallelMin) {
        ref::unary_backward(kind, p, src, out, grad_out, dst, n);
        return;
    }
#pragma omp parallel
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        const std::int64_t lo = n * t / nt, hi = n * (t + 1) / nt;
        ref::unary_backward(kind, p, src + lo, out + lo, grad_out + lo, dst + lo, hi - lo);
    }
}

void reduce_axis(ReduceKind kind, const float* src, float* dst, std::int64_t outer,
                 std::int64_t n, std::int64_t inner) {
    if (inner == 1) {  // contiguous rows: the common "reduce the last axis" case
#pragma omp parallel for if (outer * n >= kParallelMin) schedule(static)
        for (std::int64_t o = 0; o < outer; ++o) {
            const float* row = src + o * n;
            float acc;
            if (kind == ReduceKind::sum) {
                acc = 0.0f;
#pragma omp simd reduction(+ : acc)
                for (std::int64_t i = 0; i < n; ++i) acc += row[i];
            } else {
                ref::reduce_axis(kind, row, &acc, 1, n, 1);
            }
            dst[o] = acc;
        }
        return;
    }
    if (kind == ReduceKind::sum) {  // sum over rows: accumulate row vectors
#pragma omp parallel for if (outer * n * inner >= kParallelMin) schedule(static)
        for (std::int64_t o = 0; o < outer; ++o) {
            float* d = dst + o * inner;
            for (std::int64_t j = 0; j < inner; ++j) d[j] = 0.0f;
            for (std::int64_t i = 0; i < n; ++i) {
                const float* s = src + (o * n + i) * inner;
#pragma omp simd
                for (std::int64_t j = 0; j < inner; ++j) d[j] += s[j];
            }
        }
        return;
    }
    // max / min over rows: element-wise running extreme of row vectors (NaN propagates, as in
    // the reference kernel).
    const bool is_max = kind == ReduceKind::max;
#pragma omp parallel for if (outer * n * inner >= kParallelMin) schedule(static)
    for (std::int64_t o = 0; o < outer; ++o) {
        float* d = dst + o * inner;
        const float init = is_max ? -std::numeric_limits<float>::infinity()
                                  : std::numeric_limits<float>::infinity();
        for (std::int64_t j = 0; j < inner; ++j) d[j] = init;
        for (std::int64_t i = 0; i < n; ++i) {
            const float* s = src + (o * n + i) * inner;
            if (is_max) {
                for (std::int64_t j = 0; j < inner; ++j) {
                    d[j] = (s[j] > d[j] || std::isnan(s[j])) ? s[j] : d[j];
                }
            } else {
                for (std::int64_t j = 0; j < inner; ++j) {
                    d[j] = (s[j] < d[j] || std::isnan(s[j])) ? s[j] : d[j];
                }
            }
        }
    }
}

void softmax_rows(const float* src, float* dst, std::int64_t rows, std::int64_t cols, bool log) {
#pragma omp parallel for if (rows * cols >= kParallelMin) schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        ref::softmax_rows(src + r * cols, dst + r * cols, 1, cols, log);
    }
}

int num_threads() { return omp_get_max_threads(); }
void set_num_threads(int n) { omp_set_num_threads(n < 1 ? 1 : n); }

}  // namespace tfc::kernels::cpu
