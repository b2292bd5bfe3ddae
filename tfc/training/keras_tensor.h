// KerasTensor: the symbolic tensor of the functional API (keras/engine/keras_tensor.py and
// node.py of Keras 2.15). It holds no data: a shape with -1 for the batch (and any unknown
// axis) and its history, i.e. the layer call (node) that produced it and that call's inputs.
//   KerasTensor inputs = Input({784});                  // an InputLayer's output
//   KerasTensor x = apply_layer(Dense(64, {.activation = "relu"}), inputs);
//   auto shared = std::make_shared<Dense>(8);           // one layer, called twice
//   KerasTensor a = apply_layer(shared, x), b = apply_layer(shared, inputs2);
//   KerasTensor s = apply_layer(Add(), {a, b});         // merge layers take a list
//   // A layer with several outputs (a recurrent layer with return_state=True):
//   auto enc = apply_layer_multi(LSTM(32, {.return_state = true}), x);   // {output, h, c}
//   KerasTensor y = apply_layer(LSTM(32), {x2, enc[1], enc[2]});      // initial_state=[h, c]
// (Not `apply`: std::apply would join the overload set through argument-dependent lookup.)
// Calling a layer on a KerasTensor builds it for the tensor's shape, like Keras.
#pragma once

#include <concepts>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tfc/layers/layer.h"

namespace tfc {

class InputLayer;
struct KerasNode;

class KerasTensor {
public:
    KerasTensor() = default;
    // `KerasTensor x = Input({28, 28});` turns the InputLayer into the model's input.
    KerasTensor(InputLayer&& input);  // NOLINT(google-explicit-constructor)
    explicit KerasTensor(std::shared_ptr<InputLayer> input);
    // Output `tensor_index` of a layer call (0 unless the layer has several outputs).
    explicit KerasTensor(std::shared_ptr<const KerasNode> node, int tensor_index = 0);

    bool defined() const { return node_ != nullptr; }
    const Shape& shape() const;  // batch dimension -1
    int rank() const { return static_cast<int>(shape().size()); }
    // Keras's `_keras_history`: the producing layer, the index of that call among the layer's
    // calls (a shared layer has several) and which of the call's outputs this is.
    const LayerPtr& layer() const;
    int node_index() const;
    int tensor_index() const { return tensor_index_; }
    bool is_input() const;  // produced by an InputLayer
    // The tensors the producing layer was called on (empty for an input).
    const std::vector<KerasTensor>& inbound() const;
    std::string str() const;  // "KerasTensor(shape=(None, 64), layer=dense)"

    const std::shared_ptr<const KerasNode>& node() const { return node_; }

private:
    const KerasNode& checked(const char* where) const;
    std::shared_ptr<const KerasNode> node_;
    int tensor_index_ = 0;
};

// One call of a layer on symbolic inputs (Keras's Node). Immutable once created.
struct KerasNode {
    LayerPtr layer;
    std::vector<KerasTensor> inputs;  // empty for an InputLayer
    std::vector<Shape> output_shapes;  // one per output (several for return_state=True)
    int index = 0;  // position among this layer's calls, "dense[1][0]" in summaries
};

// Calls `layer` on symbolic inputs and returns its symbolic output. Several inputs are for
// merge layers (MergeLayer) and for a recurrent layer's initial states ([x, h] or [x, h, c]);
// every other layer takes exactly one. A layer with several outputs needs apply_layer_multi.
KerasTensor apply_layer(const LayerPtr& layer, const std::vector<KerasTensor>& inputs);
// The same for a layer with any number of outputs: one KerasTensor per output, in Keras's order
// ([output, h] or [output, h, c] for a recurrent layer with return_state=True).
std::vector<KerasTensor> apply_layer_multi(const LayerPtr& layer,
                                           const std::vector<KerasTensor>& inputs);

// A layer given by value (moved into a shared_ptr) or a shared_ptr kept to reuse it.
template <typename L>
    requires std::derived_from<std::decay_t<L>, Layer> && (!std::is_lvalue_reference_v<L>)
KerasTensor apply_layer(L&& layer, const KerasTensor& x) {
    return apply_layer(LayerPtr(std::make_shared<std::decay_t<L>>(std::forward<L>(layer))),
                       std::vector<KerasTensor>{x});
}
template <typename L>
    requires std::derived_from<std::decay_t<L>, Layer> && (!std::is_lvalue_reference_v<L>)
KerasTensor apply_layer(L&& layer, const std::vector<KerasTensor>& xs) {
    return apply_layer(LayerPtr(std::make_shared<std::decay_t<L>>(std::forward<L>(layer))), xs);
}
template <typename L>
    requires std::derived_from<L, Layer>
KerasTensor apply_layer(const std::shared_ptr<L>& layer, const KerasTensor& x) {
    return apply_layer(LayerPtr(layer), std::vector<KerasTensor>{x});
}
template <typename L>
    requires std::derived_from<L, Layer>
KerasTensor apply_layer(const std::shared_ptr<L>& layer,
                        const std::vector<KerasTensor>& xs) {
    return apply_layer(LayerPtr(layer), xs);
}
template <typename L>
    requires std::derived_from<std::decay_t<L>, Layer> && (!std::is_lvalue_reference_v<L>)
std::vector<KerasTensor> apply_layer_multi(L&& layer, const KerasTensor& x) {
    return apply_layer_multi(LayerPtr(std::make_shared<std::decay_t<L>>(std::forward<L>(layer))),
                             std::vector<KerasTensor>{x});
}
template <typename L>
    requires std::derived_from<L, Layer>
std::vector<KerasTensor> apply_layer_multi(const std::shared_ptr<L>& layer, const KerasTensor& x) {
    return apply_layer_multi(LayerPtr(layer), std::vector<KerasTensor>{x});
}
template <typename L>
    requires std::derived_from<L, Layer>
std::vector<KerasTensor> apply_layer_multi(const std::shared_ptr<L>& layer,
                                           const std::vector<KerasTensor>& xs) {
    return apply_layer_multi(LayerPtr(layer), xs);
}

}  // namespace tfc
