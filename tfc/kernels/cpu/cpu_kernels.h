// Fast float32 CPU kernels: oneDNN 2.6 primitives (cached per shape) for matmul, and vectorised,
// OpenMP-parallel loops for element-wise work. Each has a reference twin in kernels/ref.
#pragma once

#include <cstdint>

#include "tfc/core/shape.h"
#include "tfc/kernels/kinds.h"

namespace tfc::kernels::cpu {

// dst[M,N] = op(A) . op(B) (+ bias[N] broadcast over rows) (+ dst if accumulate).
// A is [M,K] row-major or, with transpose_a, [K,M]; B is [K,N] or, with transpose_b, [N,K].
// `batch` > 1 runs independent products on consecutive [M,K]/[K,N]/[M,N] blocks.
void matmul(const float* a, const float* b, const float* bias, float* dst, std::int64_t m,
            std::int64_t n, std::int64_t k, bool transpose_a, bool transpose_b, bool accumulate,
            std::int64_t batch = 1);
std::size_t matmul_cache_size();  // number of cached oneDNN primitives

// Element-wise arithmetic (add, sub, mul, div, maximum, minimum) with any NumPy broadcast;
// dedicated loops for equal shapes, a scalar operand and a bias row. Returns false for the other
// kinds (pow, comparisons), which run on the reference kernel.
bool binary(BinaryKind kind, const float* a, const Shape& a_shape, const float* b,
            const Shape& b_shape, float* dst, const Shape& out_shape);

void unary(UnaryKind kind, const UnaryParams& p, const float* src, float* dst, std::int64_t n);
void unary_backward(UnaryKind kind, const UnaryParams& p, const float* src, const float* out,
                    const float* grad_out, float* dst, std::int64_t n);

void reduce_axis(ReduceKind kind, const float* src, float* dst, std::int64_t outer,
                 std::int64_t n, std::int64_t inner);

void softmax_rows(const float* src, float* dst, std::int64_t rows, std::int64_t cols, bool log);

// Threads used by our loops and by oneDNN (one shared OpenMP runtime).
int num_threads();
void set_num_threads(int n);

}  // namespace tfc::kernels::cpu
