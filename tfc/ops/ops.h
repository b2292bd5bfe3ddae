// Differentiable primitive ops. Each op validates its inputs, runs a kernel and, when a
// GradientTape is recording and an input is watched, records its backward rule. Forward and
// backward rules of an op sit together in one source file per family:
//   elementwise.cpp (binary + broadcasting), unary.cpp (math + activations), reduce.cpp,
//   matmul.cpp (matmul + fused dense), shape_ops.cpp (shape and indexing), nn.cpp (softmax
//   family, dropout, fused cross-entropies). Layer-family ops have their own headers beside
//   this one: conv.h, pool.h, norm.h, embedding.h, rnn.h.
// float32 runs on the fast kernels (kernels/cpu); float64 runs on the reference kernels
// (kernels/ref), which gradient checks use.
#pragma once

#include <cstdint>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::ops {

// ---- creation (not differentiable) ----
Tensor zeros_like(const Tensor& t);
Tensor ones_like(const Tensor& t);
Tensor full_like(const Tensor& t, double value);

// ---- element-wise binary, NumPy broadcasting ----
Tensor add(const Tensor& a, const Tensor& b);
Tensor sub(const Tensor& a, const Tensor& b);
Tensor mul(const Tensor& a, const Tensor& b);
Tensor div(const Tensor& a, const Tensor& b);
Tensor maximum(const Tensor& a, const Tensor& b);
Tensor minimum(const Tensor& a, const Tensor& b);
Tensor pow(const Tensor& a, const Tensor& b);
// Scalar conveniences (the scalar takes a's dtype).
Tensor add(const Tensor& a, double b);
Tensor sub(const Tensor& a, double b);
Tensor mul(const Tensor& a, double b);
Tensor div(const Tensor& a, double b);
Tensor rsub(double a, const Tensor& b);  // a - b
// Comparisons return bool tensors (not differentiable).
Tensor greater(const Tensor& a, const Tensor& b);
Tensor greater_equal(const Tensor& a, const Tensor& b);
Tensor less(const Tensor& a, const Tensor& b);
Tensor equal(const Tensor& a, const Tensor& b);
// cond ? a : b (cond bool, broadcast); differentiable in a and b.
Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b);

// ---- element-wise unary ----
Tensor neg(const Tensor& x);
Tensor abs(const Tensor& x);
Tensor exp(const Tensor& x);
Tensor log(const Tensor& x);
Tensor sqrt(const Tensor& x);
Tensor square(const Tensor& x);
Tensor sign(const Tensor& x);  // not differentiable (zero gradient)
Tensor clip(const Tensor& x, double lo, double hi);  // gradient 1 inside [lo, hi], else 0

// ---- activations (Keras definitions, keras/activations.py of Keras 2.15) ----
Tensor relu(const Tensor& x);
Tensor sigmoid(const Tensor& x);
Tensor tanh(const Tensor& x);
Tensor elu(const Tensor& x, double alpha = 1.0);
Tensor selu(const Tensor& x);
Tensor softplus(const Tensor& x);
Tensor softsign(const Tensor& x);
Tensor gelu(const Tensor& x, bool approximate = false);
Tensor swish(const Tensor& x);
Tensor leaky_relu(const Tensor& x, double alpha = 0.2);
Tensor hard_sigmoid(const Tensor& x);  // Keras 2: clip(0.2 x + 0.5, 0, 1)
Tensor exponential(const Tensor& x);
Tensor softmax(const Tensor& x, int axis = -1);
Tensor log_softmax(const Tensor& x, int axis = -1);

// ---- reductions ----
Tensor sum(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false);  // {} = all
Tensor mean(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false);
Tensor max(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false);
Tensor min(const Tensor& x, std::vector<int> axes = {}, bool keepdims = false);
Tensor argmax(const Tensor& x, int axis = -1);  // int64, first maximum wins
// Sums `grad` down to `shape` (the adjoint of broadcasting).
Tensor sum_to(const Tensor& grad, const Shape& shape);
Tensor broadcast_to(const Tensor& x, const Shape& shape);

// ---- linear algebra ----
// Rank-2 matmul, or batched rank-3 (batch dims equal).
Tensor matmul(const Tensor& a, const Tensor& b, bool transpose_a = false,
              bool transpose_b = false);
// Keras Dense core: x[..., in] . kernel[in, units] (+ bias[units]); contracts the last axis.
Tensor dense(const Tensor& x, const Tensor& kernel, const Tensor& bias);

// ---- shape and indexing ----
Tensor reshape(const Tensor& x, const Shape& shape);  // one -1 allowed
Tensor transpose(const Tensor& x, std::vector<int> perm = {});  // {} = reverse axes
Tensor expand_dims(const Tensor& x, int axis);
Tensor squeeze(const Tensor& x, int axis);
Tensor slice(const Tensor& x, const std::vector<std::int64_t>& begin,
             const std::vector<std::int64_t>& size);  // size -1 = to the end
Tensor concat(const std::vector<Tensor>& xs, int axis);
// Rows of `params` along axis 0 picked by integer `indices` (any shape): out shape =
// indices.shape + params.shape[1:]. Out-of-range indices throw.
Tensor gather(const Tensor& params, const Tensor& indices);
// x[i] for a list of row indices along axis 0 (batching); not differentiable.
Tensor take_rows(const Tensor& x, const std::vector<std::int64_t>& rows);
Tensor one_hot(const Tensor& indices, std::int64_t depth, DType dtype = DType::float32);
Tensor cast(const Tensor& x, DType dtype);  // differentiable between floating types

// ---- neural-network ops ----
// Inverted dropout: keeps each element with probability 1 - rate and scales by 1/(1 - rate).
Tensor dropout(const Tensor& x, double rate);
// Per-row cross-entropies over the last axis, stable forms on logits.
Tensor softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits);
Tensor sparse_softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits);
Tensor sigmoid_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits);

// Stops gradients (tf.stop_gradient).
Tensor stop_gradient(const Tensor& x);

}  // namespace tfc::ops
