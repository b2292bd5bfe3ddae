// Reference element-wise kernels: plain loops for float and double, used as the fallback for
// float64 and as the test oracle of kernels/cpu. `src`/`dst` are contiguous row-major buffers.
#pragma once

#include <cstdint>

#include "tfc/core/shape.h"
#include "tfc/kernels/kinds.h"

namespace tfc::kernels::ref {

// dst[out] = op(a[bcast], b[bcast]); for comparison kinds dst is bool.
template <typename T>
void binary(BinaryKind kind, const T* a, const Shape& a_shape, const T* b, const Shape& b_shape,
            void* dst, const Shape& out_shape);

template <typename T>
void unary(UnaryKind kind, const UnaryParams& p, const T* src, T* dst, std::int64_t n);

// dst = grad_out * f'(x) for unary kinds, using x (src) and y = f(x) (out).
template <typename T>
void unary_backward(UnaryKind kind, const UnaryParams& p, const T* src, const T* out,
                    const T* grad_out, T* dst, std::int64_t n);

// Reduce the middle axis of [outer, n, inner] into [outer, inner].
template <typename T>
void reduce_axis(ReduceKind kind, const T* src, T* dst, std::int64_t outer, std::int64_t n,
                 std::int64_t inner);

// dst[M,N] = op(A) . op(B) (+ dst if accumulate); A is [M,K] or, transposed, [K,M].
template <typename T>
void matmul(const T* a, const T* b, T* dst, std::int64_t m, std::int64_t n, std::int64_t k,
            bool transpose_a, bool transpose_b, bool accumulate);

// Row-wise softmax / log-softmax over the last axis of [rows, cols].
template <typename T>
void softmax_rows(const T* src, T* dst, std::int64_t rows, std::int64_t cols, bool log);

}  // namespace tfc::kernels::ref
