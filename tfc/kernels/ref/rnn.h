// Recurrent-layer kernels (Keras 2 SimpleRNN, LSTM, GRU): the whole sequence in one call, forward
// and backward through time (BPTT). Plain loops over raw buffers; no autograd.
//
// Layouts (row-major, Keras's):
//   x [B, T, I]; kernel [I, G*U]; recurrent_kernel [U, G*U]; bias [G*U], or [2, G*U] for
//   GRU(reset_after) (row 0 input bias, row 1 recurrent bias). Gate blocks along the last axis:
//   LSTM i, f, c, o (G = 4); GRU z, r, h (G = 3); SimpleRNN G = 1.
//   mask [B, T] (nonzero = step used), by original time index.
//   seq [B, T, U] is in processing order (reversed time with go_backwards, as Keras returns it).
//
// A masked step computes the cell but keeps the old state, and outputs the previous output
// (zeros before the first unmasked step) or zeros when zero_output_for_mask (keras/backend.py rnn).
//
// The step loop is shared: the reference kernels (float, double) pass a naive matmul, the fast
// float32 kernel (kernels/cpu/rnn_kernels.h) passes the cached oneDNN matmul.
#pragma once

#include <cstdint>

namespace tfc::kernels {

enum class RnnCellKind : std::uint8_t { simple_rnn, lstm, gru };
// hard_sigmoid is Keras 2's clip(0.2x + 0.5, 0, 1); hard_sigmoid_keras3 is relu6(x + 3) / 6.
enum class RnnActivation : std::uint8_t {
    tanh,
    sigmoid,
    hard_sigmoid,
    hard_sigmoid_keras3,
    relu,
    linear
};

struct RnnDesc {
    RnnCellKind cell = RnnCellKind::simple_rnn;
    std::int64_t batch = 0, time = 0, input = 0, units = 0;
    RnnActivation activation = RnnActivation::tanh;
    RnnActivation recurrent_activation = RnnActivation::sigmoid;  // LSTM and GRU gates
    bool reset_after = true;                                      // GRU only
    bool go_backwards = false;
    bool zero_output_for_mask = false;
    // Fast float32 kernels only: the batch rows are split into this many contiguous chunks that
    // run the whole sequence on separate threads (kernels/cpu/rnn_kernels.h). The workspace
    // layout depends on it, so the backward pass must see the forward's value.
    std::int64_t batch_chunks = 1;

    int gates() const { return cell == RnnCellKind::lstm ? 4 : cell == RnnCellKind::gru ? 3 : 1; }
    int states() const { return cell == RnnCellKind::lstm ? 2 : 1; }
    bool gru_reset_before() const { return cell == RnnCellKind::gru && !reset_after; }
};

// Number of T elements the forward pass saves for the backward pass.
std::int64_t rnn_workspace_size(const RnnDesc& d);

template <typename T>
struct RnnForwardArgs {
    const T* x = nullptr;
    const T* kernel = nullptr;
    const T* recurrent_kernel = nullptr;
    const T* bias = nullptr;             // nullptr: no bias (use_bias=False)
    const T* h0 = nullptr;               // [B, U]; nullptr = zeros
    const T* c0 = nullptr;               // [B, U], LSTM only; nullptr = zeros
    const std::uint8_t* mask = nullptr;  // [B, T]; nullptr = every step used
    const T* recurrent_scale = nullptr;  // [B, U] recurrent-dropout scale on h before h.U; or null
    T* seq = nullptr;                    // out [B, T, U]
    T* h_last = nullptr;                 // out [B, U]
    T* c_last = nullptr;                 // out [B, U], LSTM only
    T* workspace = nullptr;              // out, rnn_workspace_size(d) elements
};

template <typename T>
struct RnnBackwardArgs {
    // The forward's inputs and workspace.
    const T* x = nullptr;
    const T* kernel = nullptr;
    const T* recurrent_kernel = nullptr;
    bool has_bias = false;
    const std::uint8_t* mask = nullptr;
    const T* recurrent_scale = nullptr;
    const T* workspace = nullptr;
    // Incoming gradients; nullptr = zeros.
    const T* d_seq = nullptr;     // [B, T, U]
    const T* d_h_last = nullptr;  // [B, U]
    const T* d_c_last = nullptr;  // [B, U]
    // Outgoing gradients (all written, never accumulated).
    T* dx = nullptr;                  // [B, T, I]
    T* d_kernel = nullptr;            // [I, G*U]
    T* d_recurrent_kernel = nullptr;  // [U, G*U]
    T* d_bias = nullptr;              // bias shape; ignored without bias
    T* d_h0 = nullptr;                // [B, U]
    T* d_c0 = nullptr;                // [B, U], LSTM only
};

// dst[M,N] = op(A) . op(B) (+ dst if accumulate), the kernels/ref matmul signature.
template <typename T>
using RnnGemm = void (*)(const T* a, const T* b, T* dst, std::int64_t m, std::int64_t n,
                         std::int64_t k, bool transpose_a, bool transpose_b, bool accumulate);

// x[i] = kind(x[i]) for i < n, in place: the gate activations, applied to whole gate blocks.
template <typename T>
using RnnActivate = void (*)(RnnActivation kind, T* x, std::int64_t n);

namespace ref {

// gemm = nullptr uses the naive reference matmul; activate = nullptr the scalar <cmath>
// activations (the fast float32 kernel passes vectorised ones).
template <typename T>
void rnn_forward(const RnnDesc& d, const RnnForwardArgs<T>& a, RnnGemm<T> gemm = nullptr,
                 RnnActivate<T> activate = nullptr);
template <typename T>
void rnn_backward(const RnnDesc& d, const RnnBackwardArgs<T>& a, RnnGemm<T> gemm = nullptr);

}  // namespace ref
}  // namespace tfc::kernels
