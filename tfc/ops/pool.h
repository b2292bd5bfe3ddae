// Pooling, padding, cropping and up-sampling ops on channels-last tensors (NHWC for 2-D, NWC for
// 1-D), with Keras 2 semantics (keras/layers/pooling, keras/layers/reshaping of Keras 2.15):
//   - output length: valid = floor((n - k) / s) + 1, same = ceil(n / s);
//   - "same" pads total = max(0, (out - 1) s + k - n), before = total / 2, the rest after;
//   - max pooling ignores pad cells; average pooling divides by the real cells of each window.
// float32 max/average pooling runs on cached oneDNN primitives (kernels/cpu/pool_dnnl.h);
// float64 on the reference loops (kernels/ref/pool.h). Every op records its backward rule.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "tfc/core/size2.h"
#include "tfc/core/tensor.h"

namespace tfc::ops {

using Size2 = tfc::Size2;  // (rows, cols); one number means both

// x [N, H, W, C]; padding "valid" or "same".
Tensor max_pool2d(const Tensor& x, Size2 pool_size, Size2 strides,
                  const std::string& padding = "valid");
Tensor avg_pool2d(const Tensor& x, Size2 pool_size, Size2 strides,
                  const std::string& padding = "valid");
// x [N, W, C].
Tensor max_pool1d(const Tensor& x, std::int64_t pool_size, std::int64_t stride,
                  const std::string& padding = "valid");
Tensor avg_pool1d(const Tensor& x, std::int64_t pool_size, std::int64_t stride,
                  const std::string& padding = "valid");

// Mean / max over the spatial axes 1 .. rank-2 of x [N, ..., C] (rank >= 3).
Tensor global_avg_pool(const Tensor& x, bool keepdims = false);
Tensor global_max_pool(const Tensor& x, bool keepdims = false);
// Keras GlobalAveragePooling1D with a mask [N, T] (bool or numeric): sum(x m) / sum(m) over T.
// A row whose mask is all zero gives 0/0 = NaN, as in Keras.
Tensor global_avg_pool1d_masked(const Tensor& x, const Tensor& mask, bool keepdims = false);

// x [N, H, W, C] -> [N, H + top + bottom, W + left + right, C] with zeros (any dtype).
Tensor zero_pad2d(const Tensor& x, std::int64_t top, std::int64_t bottom, std::int64_t left,
                  std::int64_t right);
// x [N, H, W, C] -> [N, H - top - bottom, W - left - right, C] (any dtype).
Tensor crop2d(const Tensor& x, std::int64_t top, std::int64_t bottom, std::int64_t left,
              std::int64_t right);
// Nearest-neighbour up-sampling: out[n, i, j, c] = x[n, i / rows, j / cols, c].
Tensor upsample2d_nearest(const Tensor& x, Size2 size);

}  // namespace tfc::ops
