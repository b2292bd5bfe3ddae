// Convolution geometry shared by the fast and the reference kernels, and the reference kernels
// themselves: plain loops for float and double, used as the float64 path and as the test oracle
// of kernels/cpu/conv_dnnl.cpp.
//
// Layouts (Keras, channels_last):
//   src      [n, ih, iw, ic]                       (1-D data runs with ih = kh = 1)
//   weights  [kh, kw, ic / groups, oc]             (output channel o belongs to group
//                                                   o / (oc / groups))
//   bias     [oc]
//   dst      [n, oh, ow, oc]
// A depthwise kernel [kh, kw, ic, multiplier] is the same buffer as a grouped kernel
// [kh, kw, 1, ic * multiplier] with groups = ic.
#pragma once

#include <cstdint>

namespace tfc::kernels {

struct ConvGeometry {
    std::int64_t n = 1;
    std::int64_t ih = 1, iw = 1, ic = 1;
    std::int64_t oh = 1, ow = 1, oc = 1;
    std::int64_t kh = 1, kw = 1;
    std::int64_t sh = 1, sw = 1;             // strides
    std::int64_t dh = 1, dw = 1;             // dilation rates (1 = dense)
    std::int64_t pad_top = 0, pad_left = 0;  // zeros before the data
    std::int64_t pad_bottom = 0, pad_right = 0;
    std::int64_t groups = 1;

    std::int64_t src_size() const { return n * ih * iw * ic; }
    std::int64_t dst_size() const { return n * oh * ow * oc; }
    std::int64_t weights_size() const { return kh * kw * (ic / groups) * oc; }
    bool operator==(const ConvGeometry&) const = default;
};

}  // namespace tfc::kernels

namespace tfc::kernels::ref {

// dst = conv(src, weights) (+ bias when not null).
template <typename T>
void conv_forward(const ConvGeometry& g, const T* src, const T* weights, const T* bias, T* dst);

// diff_src = d(sum dst * diff_dst) / d src (overwrites diff_src).
template <typename T>
void conv_backward_data(const ConvGeometry& g, const T* diff_dst, const T* weights, T* diff_src);

// diff_weights (and diff_bias when not null) = gradients of sum(dst * diff_dst) (overwrites).
template <typename T>
void conv_backward_weights(const ConvGeometry& g, const T* src, const T* diff_dst, T* diff_weights,
                           T* diff_bias);

}  // namespace tfc::kernels::ref
