// Shape checks shared by the built-in metrics (internal).
#pragma once

#include <cstdint>
#include <string>

#include "tfc/core/tensor.h"

namespace tfc::metrics::detail {

// y_pred must be a defined floating tensor of rank >= 1, y_true a defined tensor.
void check_inputs(const Tensor& y_true, const Tensor& y_pred, const char* where);

// For element-wise metrics: y_true must have y_pred's shape, up to one trailing 1 ((N,) against
// (N, 1)), as compile_utils.match_dtype_and_rank makes it; throws with `fix` otherwise.
void check_dense_labels(const Tensor& y_true, const Tensor& y_pred, const char* where,
                        const std::string& fix);

// For sparse metrics: y_true must have shape y_pred.shape[:-1] or that plus (1,).
void check_sparse_labels(const Tensor& y_true, const Tensor& y_pred, const char* where);

// y_pred.shape[:-1]: the shape of the per-sample values.
Shape per_sample_shape(const Tensor& y_pred);

// Index of the first maximum of row[0..n) (tf.math.argmax tie rule).
template <typename T>
std::int64_t first_argmax(const T* row, std::int64_t n) {
    std::int64_t best = 0;
    for (std::int64_t j = 1; j < n; ++j) {
        if (row[j] > row[best]) best = j;
    }
    return best;
}

}  // namespace tfc::metrics::detail
