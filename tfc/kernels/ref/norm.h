// Reference normalisation kernels: plain loops for float and double. They serve float64 and are
// the test oracle of the fast kernels in kernels/cpu/batchnorm_dnnl.cpp.
// Tensors are viewed as [outer, c, inner]: the normalised feature axis has size c.
//   batch norm: statistics per feature over outer * inner elements;
//   layer norm: statistics per (outer, inner) position over the c features.
// gamma / beta may be null (scale = 1, shift = 0).
#pragma once

#include <cstdint>

namespace tfc::kernels {

struct NormGeometry {
    std::int64_t outer = 1, c = 1, inner = 1;
    double epsilon = 1e-3;
};

}  // namespace tfc::kernels

namespace tfc::kernels::ref {

// mean[c] and the biased variance[c] over outer * inner.
template <typename T>
void batch_norm_stats(const NormGeometry& g, const T* src, T* mean, T* variance);
// dst = (src - mean) / sqrt(variance + eps) * gamma + beta.
template <typename T>
void batch_norm_forward(const NormGeometry& g, const T* src, const T* mean, const T* variance,
                        const T* gamma, const T* beta, T* dst);
// Gradients of batch_norm_forward. `batch_stats`: mean/variance are the statistics of src (train
// mode), so their dependence on src is included; otherwise they are constants (inference).
// grad_gamma / grad_beta may be null.
template <typename T>
void batch_norm_backward(const NormGeometry& g, const T* src, const T* mean, const T* variance,
                         const T* gamma, const T* grad_dst, bool batch_stats, T* grad_src,
                         T* grad_gamma, T* grad_beta);

// Layer norm over the c axis with the biased variance. grad_gamma / grad_beta may be null.
template <typename T>
void layer_norm_forward(const NormGeometry& g, const T* src, const T* gamma, const T* beta, T* dst);
template <typename T>
void layer_norm_backward(const NormGeometry& g, const T* src, const T* gamma, const T* grad_dst,
                         T* grad_src, T* grad_gamma, T* grad_beta);

}  // namespace tfc::kernels::ref
