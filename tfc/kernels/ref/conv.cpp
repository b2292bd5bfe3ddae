// Reference convolution loops. Every output element visits its window in the same way in the
// three kernels: input row = oy * sh - pad_top + ky * dh (likewise for columns); taps that fall
// into the padding read zeros and receive no gradient.
#include "tfc/kernels/ref/conv.h"

#include <algorithm>

namespace tfc::kernels::ref {
namespace {

// Calls fn(src_index, weight_index, dst_index) for every multiply-add of the convolution.
template <typename Fn>
void for_each_tap(const ConvGeometry& g, Fn&& fn) {
    const std::int64_t icg = g.ic / g.groups, ocg = g.oc / g.groups;
    for (std::int64_t b = 0; b < g.n; ++b) {
        for (std::int64_t oy = 0; oy < g.oh; ++oy) {
            for (std::int64_t ox = 0; ox < g.ow; ++ox) {
                const std::int64_t dst_base = ((b * g.oh + oy) * g.ow + ox) * g.oc;
                for (std::int64_t ky = 0; ky < g.kh; ++ky) {
                    const std::int64_t iy = oy * g.sh - g.pad_top + ky * g.dh;
                    if (iy < 0 || iy >= g.ih) continue;
                    for (std::int64_t kx = 0; kx < g.kw; ++kx) {
                        const std::int64_t ix = ox * g.sw - g.pad_left + kx * g.dw;
                        if (ix < 0 || ix >= g.iw) continue;
                        const std::int64_t src_base = ((b * g.ih + iy) * g.iw + ix) * g.ic;
                        const std::int64_t wei_base = (ky * g.kw + kx) * icg * g.oc;
                        for (std::int64_t o = 0; o < g.oc; ++o) {
                            const std::int64_t grp = o / ocg;
                            for (std::int64_t c = 0; c < icg; ++c) {
                                fn(src_base + grp * icg + c, wei_base + c * g.oc + o, dst_base + o);
                            }
                        }
                    }
                }
            }
        }
    }
}

}  // namespace

template <typename T>
void conv_forward(const ConvGeometry& g, const T* src, const T* weights, const T* bias, T* dst) {
    for (std::int64_t i = 0; i < g.dst_size(); ++i) dst[i] = bias ? bias[i % g.oc] : T(0);
    for_each_tap(
        g, [&](std::int64_t s, std::int64_t w, std::int64_t d) { dst[d] += src[s] * weights[w]; });
}

template <typename T>
void conv_backward_data(const ConvGeometry& g, const T* diff_dst, const T* weights, T* diff_src) {
    std::fill(diff_src, diff_src + g.src_size(), T(0));
    for_each_tap(g, [&](std::int64_t s, std::int64_t w, std::int64_t d) {
        diff_src[s] += diff_dst[d] * weights[w];
    });
}

template <typename T>
void conv_backward_weights(const ConvGeometry& g, const T* src, const T* diff_dst, T* diff_weights,
                           T* diff_bias) {
    std::fill(diff_weights, diff_weights + g.weights_size(), T(0));
    for_each_tap(g, [&](std::int64_t s, std::int64_t w, std::int64_t d) {
        diff_weights[w] += src[s] * diff_dst[d];
    });
    if (diff_bias) {
        std::fill(diff_bias, diff_bias + g.oc, T(0));
        for (std::int64_t i = 0; i < g.dst_size(); ++i) diff_bias[i % g.oc] += diff_dst[i];
    }
}

template void conv_forward<float>(const ConvGeometry&, const float*, const float*, const float*,
                                  float*);
template void conv_forward<double>(const ConvGeometry&, const double*, const double*, const double*,
                                   double*);
template void conv_backward_data<float>(const ConvGeometry&, const float*, const float*, float*);
template void conv_backward_data<double>(const ConvGeometry&, const double*, const double*,
                                         double*);
template void conv_backward_weights<float>(const ConvGeometry&, const float*, const float*, float*,
                                           float*);
template void conv_backward_weights<double>(const ConvGeometry&, const double*, const double*,
                                            double*, double*);

}  // namespace tfc::kernels::ref
