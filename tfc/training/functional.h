// Functional: a model defined by a graph of layer calls on symbolic tensors (the Keras
// functional API, keras/engine/functional.py of Keras 2.15).
//   KerasTensor inputs = Input({784});
//   KerasTensor x = apply_layer(Dense(64, {.activation = "relu", .name = "hidden"}), inputs);
//   KerasTensor outputs = apply_layer(Dense(10, {.activation = "softmax"}), x);
//   Functional model(inputs, outputs);
//   model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
//   model.fit(x_train, y_train, {.epochs = 5});
//   // Feature extraction: a sub-model that shares the layers (and weights) of `model`.
//   Functional features(model.input(), model.layer_output("hidden"));
// Several inputs and outputs: Functional({in_a, in_b}, {out_1, out_2}); run them with
// call_multi() / predict_multi(); fit/evaluate take one array per input and one target per
// output, after compile with one loss per output (CompileOptions):
// model.fit({x_a, x_b}, {y_1, y_2}).
// A recurrent layer called on [x, h0(, c0)] starts from those states (Keras's initial_state).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "tfc/training/keras_tensor.h"
#include "tfc/training/model.h"

namespace tfc {

class Functional : public Model {
public:
    Functional(const std::vector<KerasTensor>& inputs, const std::vector<KerasTensor>& outputs,
               std::string name = "");
    Functional(const KerasTensor& input, const KerasTensor& output, std::string name = "");

    // One input and one output (what fit/evaluate/predict use).
    Tensor call(const Tensor& x, bool training) override;
    // One array per input (fit/evaluate/predict with a list); one output.
    Tensor call_inputs(const std::vector<Tensor>& xs, bool training) override;
    std::size_t input_count() const override { return inputs_.size(); }
    // Every output (fit / evaluate with one target array per output).
    std::vector<Tensor> call_outputs(const std::vector<Tensor>& xs, bool training) override;
    std::size_t output_count() const override { return outputs_.size(); }
    // The output layers' names (Keras's model.output_names; a repeated name gets "_<k>").
    std::vector<std::string> output_names() const override;
    // Any number of inputs (in `inputs()` order); returns one tensor per output.
    std::vector<Tensor> call_multi(const std::vector<Tensor>& inputs, bool training);
    // Batched inference over several inputs; returns one array per output.
    std::vector<Tensor> predict_multi(const std::vector<Tensor>& inputs,
                                      const PredictOptions& options = {});

    // Keras order: by depth from the inputs, then by graph traversal; InputLayers included.
    std::vector<LayerPtr> layers() const override { return layers_; }
    void build(const Shape& input_shape) override;  // the graph is built; checks the shape
    bool built() const override { return true; }
    Shape input_shape() const override;   // one input: its shape; several: empty
    Shape output_shape() const override;  // one output: its shape; several: empty

    const std::vector<KerasTensor>& inputs() const { return inputs_; }
    const std::vector<KerasTensor>& outputs() const { return outputs_; }
    // Every layer call of the graph, in execution order (inputs first).
    const std::vector<std::shared_ptr<const KerasNode>>& nodes() const { return nodes_; }
    KerasTensor input() const;   // the only input (Keras model.input)
    KerasTensor output() const;  // the only output (Keras model.output)
    // Keras's `model.get_layer(name).output` / `.input`: the tensors of that layer's call in
    // this model. A layer called several times needs the call's node_index (get_output_at).
    KerasTensor layer_output(const std::string& name, int node_index = -1) const;
    // Every output of that call ([output, h(, c)] for return_state=True); layer_output is the
    // first.
    std::vector<KerasTensor> layer_outputs(const std::string& name, int node_index = -1) const;
    KerasTensor layer_input(const std::string& name, int node_index = -1) const;

protected:
    std::vector<SummaryRow> summary_rows() const override;
    bool summary_sequential_like() const override;

private:
    const KerasNode& layer_node(const std::string& name, int node_index, const char* where) const;
    std::vector<Tensor> run(const std::vector<Tensor>& inputs, bool training) const;

    std::vector<KerasTensor> inputs_, outputs_;
    std::vector<std::shared_ptr<const KerasNode>> nodes_;  // execution order: deepest (closest to inputs) first
    std::vector<int> depths_;              // nodes_[i]'s depth
    std::vector<LayerPtr> layers_;
};

}  // namespace tfc
