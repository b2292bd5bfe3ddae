// Bidirectional (keras/layers/rnn/bidirectional.py of Keras 2.15): runs a recurrent layer forward
// and a copy of it on the reversed sequence (go_backwards flipped), re-reverses the backward
// sequence output, and merges: "concat" ([fwd, bwd] on the last axis), "sum", "ave", "mul", or
// std::nullopt (Keras's None: both outputs, [fwd, bwd]).
// Like Keras 2 it sets zero_output_for_mask = return_sequences on both sublayers, renames them
// "forward_<name>" / "backward_<name>", and orders the weights forward then backward.
// With a wrapped return_state=True layer the outputs are the merged output (or both), then the
// forward layer's states, then the backward layer's; initial states are given the same way
// (first half forward, second half backward), through call_list or apply_layer_multi.
//   Bidirectional(LSTM(32, {.return_sequences = true}), {.merge_mode = "sum"})
//   auto outs = apply_layer_multi(Bidirectional(LSTM(8, {.return_state = true})), x);
//   // outs: {merged, h_fwd, c_fwd, h_bwd, c_bwd}
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "tfc/layers/layer.h"
#include "tfc/layers/rnn_base.h"

namespace tfc {

struct BidirectionalOptions {
    // "concat", "sum", "ave", "mul", or std::nullopt for both outputs unmerged
    std::optional<std::string> merge_mode = "concat";
    LayerPtr backward_layer = nullptr;  // optional; default: a copy of the forward layer
    Shape input_shape{};                // without the batch dimension
    std::string name{};                 // default "bidirectional", "bidirectional_1", ...
};

class Bidirectional : public Layer {
public:
    explicit Bidirectional(LayerHandle layer, BidirectionalOptions options = {});

    std::string class_name() const override { return "Bidirectional"; }
    void build(const Shape& input_shape) override;
    // One output only (a merged output without states); call_list for the others.
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    int output_count() const override;
    std::vector<Shape> compute_output_shapes(const Shape& input_shape) const override;
    std::vector<Shape> initial_state_shapes() const override;
    std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training) override;
    bool supports_masking() const override { return true; }
    Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
    void set_trainable(bool on) override;

    const std::shared_ptr<RecurrentLayer>& forward_layer() const { return forward_; }
    const std::shared_ptr<RecurrentLayer>& backward_layer() const { return backward_; }
    const BidirectionalOptions& options() const { return options_; }

private:
    void collect_weights();
    std::vector<Tensor> run(const std::vector<Tensor>& inputs, bool training);

    std::shared_ptr<RecurrentLayer> forward_, backward_;
    BidirectionalOptions options_;
};

}  // namespace tfc
