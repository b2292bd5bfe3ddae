// The fused recurrent op behind SimpleRNN, LSTM and GRU (Keras 2 semantics, keras/backend.py
// `rnn` with the cells of keras/layers/rnn/{simple_rnn,lstm,gru}.py). One op runs the whole
// sequence and records one backward rule (BPTT) on the tape; it is not an unrolled graph.
//
//   auto r = ops::rnn(x, kernel, recurrent_kernel, bias, {h0, c0},
//                     {.cell = ops::RnnCell::lstm, .mask = mask});
//   r.sequence [B, T, U] (processing order: reversed with go_backwards, as Keras returns it),
//   r.last_output [B, U] (= sequence[:, -1]), r.states {h} or {h, c} for LSTM.
//
// Layouts: x [B, T, I]; kernel [I, G*U]; recurrent_kernel [U, G*U]; bias [G*U], or [2, G*U] for
// GRU(reset_after); gate blocks LSTM i,f,c,o (G = 4), GRU z,r,h (G = 3), SimpleRNN G = 1.
// Masked step: the state is kept and the output repeats the previous output (zeros before the
// first used step), or is zero with zero_output_for_mask.
#pragma once

#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::ops {

enum class RnnCell { simple_rnn, lstm, gru };

struct RnnOptions {
    RnnCell cell = RnnCell::simple_rnn;
    // tanh, sigmoid, hard_sigmoid (Keras 2: clip(0.2x + 0.5)), hard_sigmoid_keras3
    // (relu6(x + 3) / 6), relu, linear
    std::string activation = "tanh";
    std::string recurrent_activation = "sigmoid";  // LSTM/GRU gates
    bool reset_after = true;                      // GRU only
    bool go_backwards = false;
    bool zero_output_for_mask = false;
    Tensor mask{};             // [B, T], any dtype, nonzero = step used; undefined = all used
    Tensor recurrent_scale{};  // [B, U] recurrent-dropout multipliers on h before h.U (constant)
};

struct RnnResult {
    Tensor sequence;             // [B, T, U]
    Tensor last_output;          // [B, U]
    std::vector<Tensor> states;  // final h (and c)
};

// initial_states: {} (zeros), {h0}, or {h0, c0} for LSTM; each [B, U]. bias may be undefined.
RnnResult rnn(const Tensor& x, const Tensor& kernel, const Tensor& recurrent_kernel,
              const Tensor& bias, const std::vector<Tensor>& initial_states = {},
              const RnnOptions& options = {});

}  // namespace tfc::ops
