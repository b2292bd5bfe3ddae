// Fast float32 recurrent kernels: the step loops of kernels/ref/rnn.h with the cached oneDNN
// matmul for x.W (all timesteps at once), h.U (per step) and the weight gradients.
#pragma once

#include "tfc/kernels/ref/rnn.h"

namespace tfc::kernels::cpu {

// With d.batch_chunks = n > 1 the batch rows are split into n contiguous chunks (the first
// batch % n one row longer), each running the whole sequence on its own OpenMP thread: rows of
// a recurrence are independent, so the threads never meet inside the step loop, where a
// per-step split of [B, U] x [U, G*U] products too small to share would. The backward pass sums
// the chunks' weight gradients.
void rnn_forward(const RnnDesc& d, const RnnForwardArgs<float>& a);
void rnn_backward(const RnnDesc& d, const RnnBackwardArgs<float>& a);

// The chunk count for a batch on the current OpenMP thread count: one chunk per thread while
// each keeps at least kRnnMinChunkRows rows, else fewer.
inline constexpr std::int64_t kRnnMinChunkRows = 8;
std::int64_t rnn_batch_chunks(std::int64_t batch);

// The vectorised gate activations rnn_forward uses, in place (exposed for the accuracy test).
void rnn_activate(RnnActivation kind, float* x, std::int64_t n);

}  // namespace tfc::kernels::cpu
