// Convolution ops (channels_last data, Keras kernel layouts), differentiable in the input, the
// kernel and the bias. float32 runs on the cached oneDNN primitives (kernels/cpu/conv_dnnl.h),
// float64 on the reference loops (kernels/ref/conv.h).
//
//   conv2d            x [N, H, W, C], kernel [kh, kw, C / groups, filters]
//   conv1d            x [N, W, C],    kernel [k, C / groups, filters]; padding may be "causal"
//   depthwise_conv2d  x [N, H, W, C], kernel [kh, kw, C, depth_multiplier]; output channel
//                     c * depth_multiplier + m (tf.nn.depthwise_conv2d order)
//
// Padding follows TensorFlow: "valid" uses no padding; "same" gives ceil(n / stride) outputs and
// pads total = max(0, (out - 1) * stride + d * (k - 1) + 1 - n) zeros, total / 2 before and the
// rest after (the extra row/column goes bottom/right); "causal" pads d * (k - 1) zeros on the
// left only. The bias is optional (pass an undefined Tensor()).
#pragma once

#include <cstdint>
#include <string>

#include "tfc/core/size2.h"
#include "tfc/core/tensor.h"

namespace tfc::ops {

// keras/utils/conv_utils.py conv_output_length: the output length along one axis for padding
// "valid", "same", "causal" or "full"; -1 (unknown) stays -1. May return <= 0 (callers reject).
std::int64_t conv_output_length(std::int64_t input_length, std::int64_t filter_size,
                                const std::string& padding, std::int64_t stride,
                                std::int64_t dilation = 1);

// Zeros added before and after one axis, as described above.
struct ConvPads {
    std::int64_t before = 0;
    std::int64_t after = 0;
};
ConvPads conv_pads(std::int64_t input_length, std::int64_t filter_size, const std::string& padding,
                   std::int64_t stride, std::int64_t dilation = 1);

// Lower-cases a padding name and checks it is one of "valid", "same" (and "causal" when
// allow_causal); throws the standard error naming `where` otherwise.
std::string normalize_padding(const std::string& padding, bool allow_causal,
                              const std::string& where);

// fuse_relu: relu(conv(...)) as one op, with the same values and gradients (relu' = 0 at 0, as
// in TF): the ReLU runs inside the convolution primitive and its gradient in the pass that sums
// the bias gradient, one pass less over the output each way. Conv1D / Conv2D use it for
// activation "relu".
Tensor conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides = 1,
              const std::string& padding = "valid", Size2 dilation = 1, std::int64_t groups = 1,
              bool fuse_relu = false);

Tensor conv1d(const Tensor& x, const Tensor& kernel, const Tensor& bias, std::int64_t stride = 1,
              const std::string& padding = "valid", std::int64_t dilation = 1,
              std::int64_t groups = 1, bool fuse_relu = false);

Tensor depthwise_conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias,
                        Size2 strides = 1, const std::string& padding = "valid",
                        Size2 dilation = 1);

}  // namespace tfc::ops
