// Fast float32 recurrent kernels: the step loops of kernels/ref/rnn.h with the cached oneDNN
// matmul for x.W (all timesteps at once), h.U (per step) and the weight gradients.
#pragma once

#include "tfc/kernels/ref/rnn.h"

namespace tfc::kernels::cpu {

void rnn_forward(const RnnDesc& d, const RnnForwardArgs<float>& a);
void rnn_backward(const RnnDesc& d, const RnnBackwardArgs<float>& a);

// The vectorised gate activations rnn_forward uses, in place (exposed for the accuracy test).
void rnn_activate(RnnActivation kind, float* x, std::int64_t n);

}  // namespace tfc::kernels::cpu
