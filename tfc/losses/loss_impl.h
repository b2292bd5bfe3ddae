// Shared checks and shape rules of the losses (internal).
#pragma once

#include <string>

#include "tfc/core/tensor.h"

namespace tfc::losses::detail {

// Keras's backend.epsilon(): the clip bound and the log offset of the cross-entropies. It is
// cast to the tensor's dtype, as keras/backend.py does, so float32 clips at float32(1e-7) and
// float32(1 - 1e-7) = 0.99999988.
inline constexpr double kEpsilon = 1e-7;

// y_pred must be a defined floating tensor of rank >= 1; y_true a defined tensor.
void check_inputs(const Tensor& y_true, const Tensor& y_pred, const char* where);

// Labels for the element-wise losses (BCE, CCE, MSE, MAE, Huber): y_true converted to y_pred's
// dtype and shape. A y_true that differs from y_pred only by a trailing 1, such as (N,) against
// (N, 1), is reshaped, as Keras's compile_utils.match_dtype_and_rank and
// losses_utils.remove_squeezable_dimensions do; any other shape difference throws with `fix`.
Tensor dense_labels(const Tensor& y_true, const Tensor& y_pred, const char* where,
                    const std::string& fix);

// Sample weights conformed to the per-sample losses `per`: cast to per's dtype; a trailing 1 is
// squeezed or added (losses_utils.squeeze_or_expand_dimensions); the result must broadcast to
// per's shape.
Tensor conform_sample_weight(const Tensor& sample_weight, const Tensor& per, const char* where);

}  // namespace tfc::losses::detail
