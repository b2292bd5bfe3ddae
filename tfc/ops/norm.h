// Normalisation ops with Keras 2 semantics (keras/layers/normalization of Keras 2.15).
// The feature axis `axis` splits x into [outer, C, inner]; gamma/beta (shape [C]) may be
// undefined (scale 1, shift 0), as when Keras's scale=False / center=False.
// float32 batch norm runs on cached oneDNN primitives and layer norm on vectorised loops
// (kernels/cpu/batchnorm_dnnl.h); float64 on the reference loops (kernels/ref/norm.h).
#pragma once

#include "tfc/core/tensor.h"

namespace tfc::ops {

struct BatchNormTrainingResult {
    Tensor output;    // (x - mean) / sqrt(variance + epsilon) * gamma + beta
    Tensor mean;      // [C] batch mean (not differentiable)
    Tensor variance;  // [C] biased batch variance (not differentiable)
};

// Training mode: normalises by the batch statistics over every axis but `axis`. Gradients flow
// to x (through the statistics too), gamma and beta.
BatchNormTrainingResult batch_norm_training(const Tensor& x, const Tensor& gamma,
                                            const Tensor& beta, int axis = -1,
                                            double epsilon = 1e-3);
// Inference mode: normalises by the given statistics (e.g. the moving ones). Differentiable in
// x, gamma, beta, mean and variance.
Tensor batch_norm_inference(const Tensor& x, const Tensor& mean, const Tensor& variance,
                            const Tensor& gamma, const Tensor& beta, int axis = -1,
                            double epsilon = 1e-3);
// Layer normalisation over `axis` with the biased variance; gamma/beta are [C].
Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, int axis = -1,
                  double epsilon = 1e-3);

}  // namespace tfc::ops
