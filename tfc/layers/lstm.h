// LSTM (keras/layers/rnn/lstm.py of Keras 2.15). Gates i, f, c, o along the last axis:
// kernel [in, 4u], recurrent_kernel [u, 4u], bias [4u]. unit_forget_bias starts the forget-gate
// bias at 1. recurrent_activation "sigmoid" (Keras >= 2.3 default) or "hard_sigmoid"
// (Keras 2: clip(0.2x + 0.5, 0, 1)).  4*(u*(in+u)+u) params.
//   LSTM(64, {.return_sequences = true})
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tfc/layers/rnn_base.h"

namespace tfc {

struct LSTMOptions {
    std::string activation = "tanh";
    std::string recurrent_activation = "sigmoid";
    bool use_bias = true;
    InitializerRef kernel_initializer = "glorot_uniform";
    InitializerRef recurrent_initializer = "orthogonal";
    InitializerRef bias_initializer = "zeros";
    bool unit_forget_bias = true;
    double dropout = 0.0;
    double recurrent_dropout = 0.0;
    bool return_sequences = false;
    bool return_state = false;
    bool go_backwards = false;
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "lstm", "lstm_1", ...
};

class LSTM : public RecurrentLayer {
public:
    explicit LSTM(std::int64_t units, LSTMOptions options = {});

    std::string class_name() const override { return "LSTM"; }
    const LSTMOptions& options() const { return options_; }
    std::shared_ptr<RecurrentLayer> clone_unbuilt(const std::string& name,
                                                  bool go_backwards) const override;

private:
    LSTMOptions options_;
};

}  // namespace tfc
