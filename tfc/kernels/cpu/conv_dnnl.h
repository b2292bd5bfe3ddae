// float32 convolutions on the oneDNN 2.6 convolution primitives (forward_training,
// backward_data, backward_weights with bias). One set of primitives per ConvGeometry is created on
// first use and cached; activations stay in the caller's NHWC buffers and only the (small) weights
// are reordered into the layout the primitive chose, into buffers the cache entry owns. Same
// layouts and semantics as kernels/ref/conv.h, which is the oracle of these functions.
#pragma once

#include <cstddef>

#include "tfc/kernels/ref/conv.h"

namespace tfc::kernels::cpu {

// relu: dst = max(conv + bias, 0) in the same primitive (a oneDNN post-op).
void conv_forward(const ConvGeometry& g, const float* src, const float* weights, const float* bias,
                  float* dst, bool relu = false);
void conv_backward_data(const ConvGeometry& g, const float* diff_dst, const float* weights,
                        float* diff_src);
void conv_backward_weights(const ConvGeometry& g, const float* src, const float* diff_dst,
                           float* diff_weights, float* diff_bias);

// The weight gradient without oneDNN (conv_weights_grad.cpp, AVX2 register tiles over the NHWC
// data in place), which conv_backward_weights uses when it applies: groups = 1 on a CPU build
// with AVX2 and FMA. diff_bias (may be null) gets the bias gradient from the same pass. Returns
// false, writing nothing, when it does not apply.
bool conv_backward_weights_direct(const ConvGeometry& g, const float* src, const float* diff_dst,
                                  float* diff_weights, float* diff_bias = nullptr);

std::size_t conv_cache_size();  // number of cached geometries (forward + bias variants)
// oneDNN's implementation names for a geometry's forward / backward-data / backward-weights
// primitives (e.g. "jit:avx2"), creating them if needed. For benchmarks and tests.
struct ConvImplInfo {
    const char* forward;
    const char* backward_data;
    const char* backward_weights;
};
ConvImplInfo conv_impl_info(const ConvGeometry& g);

}  // namespace tfc::kernels::cpu
