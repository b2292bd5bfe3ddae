// RecurrentLayer: what SimpleRNN, LSTM and GRU share (keras/layers/rnn/base_rnn.py of Keras 2.15):
// weights, return_sequences / return_state / go_backwards, masks in and out, dropout and
// recurrent_dropout, and the call through the fused ops::rnn op.
//   LSTM lstm(64, {.return_sequences = true});
//   Tensor y = lstm(x);                               // [B, T, 64]
//   auto [out, h, c] = unpack(lstm.call_with_state(x, {h0, c0}));  // output then the states
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/layer.h"
#include "tfc/ops/rnn.h"

namespace tfc {

// The settings of any of the three layers, in Keras's argument names.
struct RecurrentConfig {
    ops::RnnCell cell = ops::RnnCell::simple_rnn;
    std::string activation = "tanh";
    std::string recurrent_activation = "sigmoid";
    bool use_bias = true;
    InitializerRef kernel_initializer = "glorot_uniform";
    InitializerRef recurrent_initializer = "orthogonal";
    InitializerRef bias_initializer = "zeros";
    bool unit_forget_bias = true;  // LSTM
    bool reset_after = true;       // GRU
    double dropout = 0.0;
    double recurrent_dropout = 0.0;
    bool return_sequences = false;
    bool return_state = false;
    bool go_backwards = false;
    bool zero_output_for_mask = false;  // set by Bidirectional (Keras 2)
    Shape input_shape{};
};

// The fields every recurrent options struct shares (SimpleRNNOptions, LSTMOptions, GRUOptions);
// each layer then sets its cell and its own extra fields.
template <typename Options>
RecurrentConfig common_recurrent_config(ops::RnnCell cell, const Options& o) {
    RecurrentConfig c;
    c.cell = cell;
    c.activation = o.activation;
    c.use_bias = o.use_bias;
    c.kernel_initializer = o.kernel_initializer;
    c.recurrent_initializer = o.recurrent_initializer;
    c.bias_initializer = o.bias_initializer;
    c.dropout = o.dropout;
    c.recurrent_dropout = o.recurrent_dropout;
    c.return_sequences = o.return_sequences;
    c.return_state = o.return_state;
    c.go_backwards = o.go_backwards;
    c.input_shape = o.input_shape;
    return c;
}

class RecurrentLayer : public Layer {
public:
    RecurrentLayer(std::int64_t units, RecurrentConfig config, const std::string& name);

    void build(const Shape& input_shape) override;
    // The output: the sequence [B, T, U] with return_sequences, else the last output [B, U].
    // The input's keras_mask() masks timesteps.
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    bool supports_masking() const override { return true; }
    // return_sequences passes the mask on; otherwise no mask.
    Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;

    // [output, h] or [output, h, c] (Keras's return_state=True list), from optional initial
    // states. Builds the layer on first use; the input's keras_mask() is used, or `mask`.
    std::vector<Tensor> call_with_state(const Tensor& inputs,
                                        const std::vector<Tensor>& initial_state = {},
                                        bool training = false, const Tensor& mask = Tensor());

    // [x] or [x, h(, c)] -> call_with_state's outputs.
    int output_count() const override;
    std::vector<Shape> compute_output_shapes(const Shape& input_shape) const override;
    std::vector<Shape> initial_state_shapes() const override;
    std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;

    std::int64_t units() const { return units_; }
    const RecurrentConfig& config() const { return config_; }
    // Used by Bidirectional: zero outputs at masked steps.
    void set_zero_output_for_mask(bool on) { config_.zero_output_for_mask = on; }
    // A fresh, unbuilt layer with the same settings (Bidirectional's backward copy).
    virtual std::shared_ptr<RecurrentLayer> clone_unbuilt(const std::string& name,
                                                          bool go_backwards) const = 0;

    Tensor kernel() const;
    Tensor recurrent_kernel() const;
    Tensor bias() const;  // undefined without use_bias

protected:
    std::int64_t units_;
    RecurrentConfig config_;

private:
    Shape check_input_shape(const Shape& input_shape) const;
};

}  // namespace tfc
