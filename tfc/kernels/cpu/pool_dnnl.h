// float32 pooling over NHWC. Average pooling runs on oneDNN 2.6 pooling primitives, created once
// per geometry and cached (pool_dnnl.cpp); max pooling on vectorised loops (max_pool.cpp), whose
// workspace keeps each output's argmax for the backward pass. The reference twins, and test
// oracles, are in kernels/ref/pool.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tfc/kernels/ref/pool.h"

namespace tfc::kernels::cpu {

// Bytes of workspace that max_pool_forward writes in training mode.
std::size_t max_pool_workspace_size(const PoolGeometry& g);
// `workspace` null: forward_inference; otherwise forward_training, filling the workspace.
void max_pool_forward(const PoolGeometry& g, const float* src, float* dst, void* workspace);
// With `dst` (the forward output), grad_dst counts only where dst > 0: the gradient comes out
// zero at every input cell <= 0, for a ReLU before the pooling (autograd's
// only_positive_cells_matter).
void max_pool_backward(const PoolGeometry& g, const float* grad_dst, const void* workspace,
                       float* grad_src, const float* dst = nullptr);
// Average pooling that excludes pad cells from the divisor (TF/Keras "same").
void avg_pool_forward(const PoolGeometry& g, const float* src, float* dst);
void avg_pool_backward(const PoolGeometry& g, const float* grad_dst, float* grad_src);

std::size_t pool_cache_size();  // number of cached oneDNN (average) pooling primitives

}  // namespace tfc::kernels::cpu
