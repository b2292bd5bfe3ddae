// SimpleRNN (keras/layers/rnn/simple_rnn.py of Keras 2.15): h_t = act(x_t.W + b + h_{t-1}.U).
// kernel [in, units], recurrent_kernel [units, units], bias [units]; units*(in+units)+units params.
//   SimpleRNN(32, {.return_sequences = true})
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tfc/layers/rnn_base.h"

namespace tfc {

struct SimpleRNNOptions {
    std::string activation = "tanh";
    bool use_bias = true;
    InitializerRef kernel_initializer = "glorot_uniform";
    InitializerRef recurrent_initializer = "orthogonal";
    InitializerRef bias_initializer = "zeros";
    double dropout = 0.0;
    double recurrent_dropout = 0.0;
    bool return_sequences = false;
    bool return_state = false;
    bool go_backwards = false;
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "simple_rnn", "simple_rnn_1", ...
};

class SimpleRNN : public RecurrentLayer {
public:
    explicit SimpleRNN(std::int64_t units, SimpleRNNOptions options = {});

    std::string class_name() const override { return "SimpleRNN"; }
    const SimpleRNNOptions& options() const { return options_; }
    std::shared_ptr<RecurrentLayer> clone_unbuilt(const std::string& name,
                                                  bool go_backwards) const override;

private:
    SimpleRNNOptions options_;
};

}  // namespace tfc
