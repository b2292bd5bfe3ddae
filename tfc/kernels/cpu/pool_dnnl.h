// float32 pooling on oneDNN 2.6 pooling primitives (NHWC), created once per geometry and cached.
// Max pooling in training keeps oneDNN's workspace (the argmax) for the backward pass. The
// reference twins are in kernels/ref/pool.h.
#pragma once

#include <cstddef>
#include <cstdint>

#include "tfc/kernels/ref/pool.h"

namespace tfc::kernels::cpu {

// Bytes of workspace that max_pool_forward writes in training mode.
std::size_t max_pool_workspace_size(const PoolGeometry& g);
// `workspace` null: forward_inference; otherwise forward_training, filling the workspace.
void max_pool_forward(const PoolGeometry& g, const float* src, float* dst, void* workspace);
void max_pool_backward(const PoolGeometry& g, const float* grad_dst, const void* workspace,
                       float* grad_src);
// Average pooling that excludes pad cells from the divisor (TF/Keras "same").
void avg_pool_forward(const PoolGeometry& g, const float* src, float* dst);
void avg_pool_backward(const PoolGeometry& g, const float* grad_dst, float* grad_src);

std::size_t pool_cache_size();  // number of cached oneDNN pooling primitives

}  // namespace tfc::kernels::cpu
