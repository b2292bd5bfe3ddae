// float32 normalisation kernels. Batch normalisation runs on the oneDNN 2.6
// batch_normalization primitives (forward_training, forward_inference with global stats,
// backward), created once per (geometry, flags) and cached. Layer normalisation over the last
// axis is a vectorised OpenMP loop over rows. Reference twins: kernels/ref/norm.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tfc/kernels/ref/norm.h"

namespace tfc::kernels::cpu {

// Training: batch statistics (biased variance) written to mean/variance, dst normalised by them.
void batch_norm_training_forward(const NormGeometry& g, const float* src, const float* gamma,
                                 const float* beta, float* dst, float* mean, float* variance);
// Inference: dst normalised by the given statistics.
void batch_norm_inference_forward(const NormGeometry& g, const float* src, const float* mean,
                                  const float* variance, const float* gamma, const float* beta,
                                  float* dst);
// Gradients; `batch_stats` as in ref::batch_norm_backward. grad_gamma must be non-null when
// gamma is, grad_beta whenever `has_beta`.
void batch_norm_backward(const NormGeometry& g, const float* src, const float* mean,
                         const float* variance, const float* gamma, bool has_beta,
                         const float* grad_dst, bool batch_stats, float* grad_src,
                         float* grad_gamma, float* grad_beta);
std::size_t batch_norm_cache_size();

// Layer norm; the vectorised path covers inner == 1 (last axis), others use the reference loop.
void layer_norm_forward(const NormGeometry& g, const float* src, const float* gamma,
                        const float* beta, float* dst);
void layer_norm_backward(const NormGeometry& g, const float* src, const float* gamma,
                         const float* grad_dst, float* grad_src, float* grad_gamma,
                         float* grad_beta);

}  // namespace tfc::kernels::cpu
