// Bidirectional (keras/layers/rnn/bidirectional.py of Keras 2.15): runs a recurrent layer forward
// and a copy of it on the reversed sequence (go_backwards flipped), re-reverses the backward
// sequence output, and merges: "concat" ([fwd, bwd] on the last axis), "sum", "ave", "mul".
// Like Keras 2 it sets zero_output_for_mask = return_sequences on both sublayers, renames them
// "forward_<name>" / "backward_<name>", and orders the weights forward then backward.
//   Bidirectional(LSTM(32, {.return_sequences = true}), {.merge_mode = "sum"})
#pragma once

#include <memory>
#include <string>

#include "tfc/layers/layer.h"
#include "tfc/layers/rnn_base.h"

namespace tfc {

struct BidirectionalOptions {
    std::string merge_mode = "concat";  // "concat", "sum", "ave", "mul"
    LayerPtr backward_layer = nullptr;  // optional; default: a copy of the forward layer
    Shape input_shape{};                // without the batch dimension
    std::string name{};                 // default "bidirectional", "bidirectional_1", ...
};

class Bidirectional : public Layer {
public:
    explicit Bidirectional(LayerHandle layer, BidirectionalOptions options = {});

    std::string class_name() const override { return "Bidirectional"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    bool supports_masking() const override { return true; }
    Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
    void set_trainable(bool on) override;

    const std::shared_ptr<RecurrentLayer>& forward_layer() const { return forward_; }
    const std::shared_ptr<RecurrentLayer>& backward_layer() const { return backward_; }
    const BidirectionalOptions& options() const { return options_; }

private:
    void collect_weights();

    std::shared_ptr<RecurrentLayer> forward_, backward_;
    BidirectionalOptions options_;
};

}  // namespace tfc
