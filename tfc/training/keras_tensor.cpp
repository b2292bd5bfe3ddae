// Symbolic layer calls (keras/engine/base_layer.py `_functional_construction_call`, node.py).
#include "tfc/training/keras_tensor.h"

#include <map>
#include <mutex>

#include "tfc/core/error.h"
#include "tfc/layers/input_layer.h"
#include "tfc/layers/merge.h"

namespace tfc {
namespace {

// Keras keeps `_inbound_nodes` on the layer; the engine's Layer has no slot for it, so the
// call count lives here, keyed by the layer object (an entry dies with its layer).
int next_node_index(const LayerPtr& layer) {
    static std::mutex mu;
    static std::map<const Layer*, std::pair<std::weak_ptr<Layer>, int>> calls;
    std::lock_guard<std::mutex> lock(mu);
    auto it = calls.find(layer.get());
    if (it == calls.end() || it->second.first.lock() != layer) {
        for (auto e = calls.begin(); e != calls.end();) {
            e = e->second.first.expired() ? calls.erase(e) : std::next(e);
        }
        it = calls.insert_or_assign(layer.get(), std::make_pair(std::weak_ptr<Layer>(layer), 0))
                 .first;
    }
    return it->second.second++;
}

std::string shapes_str(const std::vector<KerasTensor>& xs) {
    std::string s = "[";
    for (std::size_t i = 0; i < xs.size(); ++i) s += (i ? ", " : "") + shape_str(xs[i].shape());
    return s + "]";
}

std::string shapes_list(const std::vector<Shape>& shapes) {
    std::string s = "[";
    for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
    return s + "]";
}

std::shared_ptr<const KerasNode> input_node(const std::shared_ptr<InputLayer>& input) {
    TFC_CHECK(input != nullptr, "Input", "the input layer is null", "nullptr", "an InputLayer",
              "create it with Input({...})");
    const Shape shape = input->batch_input_shape();
    input->ensure_built(shape);
    auto node = std::make_shared<KerasNode>();
    node->layer = input;
    node->output_shapes = {shape};
    node->index = next_node_index(node->layer);
    return node;
}

}  // namespace

KerasTensor::KerasTensor(std::shared_ptr<const KerasNode> node, int tensor_index)
    : node_(std::move(node)), tensor_index_(tensor_index) {
    TFC_ASSERT(!node_ || (tensor_index_ >= 0 &&
                          tensor_index_ < static_cast<int>(node_->output_shapes.size())));
}

KerasTensor::KerasTensor(InputLayer&& input)
    : node_(input_node(std::make_shared<InputLayer>(std::move(input)))) {}

KerasTensor::KerasTensor(std::shared_ptr<InputLayer> input) : node_(input_node(input)) {}

const KerasNode& KerasTensor::checked(const char* where) const {
    TFC_CHECK(node_ != nullptr, where, "the KerasTensor is undefined", "KerasTensor()",
              "a tensor from Input() or apply()",
              "start the graph with `KerasTensor x = Input({...});`");
    return *node_;
}

const Shape& KerasTensor::shape() const {
    return checked("KerasTensor.shape").output_shapes[static_cast<std::size_t>(tensor_index_)];
}
const LayerPtr& KerasTensor::layer() const { return checked("KerasTensor.layer").layer; }
int KerasTensor::node_index() const { return checked("KerasTensor.node_index").index; }
bool KerasTensor::is_input() const {
    return checked("KerasTensor.is_input").layer->class_name() == "InputLayer" &&
           node_->inputs.empty();
}
const std::vector<KerasTensor>& KerasTensor::inbound() const {
    return checked("KerasTensor.inbound").inputs;
}

std::string KerasTensor::str() const {
    if (!node_) return "KerasTensor(undefined)";
    return "KerasTensor(shape=" + shape_str(shape()) + ", layer=" + node_->layer->name() +
           (tensor_index_ > 0 ? ", tensor_index=" + std::to_string(tensor_index_) : "") + ")";
}

namespace {

// The call of `layer` on `inputs`, checked and built, without its node index yet.
std::shared_ptr<KerasNode> make_node(const LayerPtr& layer, const std::vector<KerasTensor>& inputs) {
    TFC_CHECK(layer != nullptr, "apply", "the layer is null", "nullptr", "a layer",
              "pass a constructed layer, e.g. apply(Dense(10), x)");
    const std::string& where = layer->name();
    TFC_CHECK(!inputs.empty(), where, "the layer was called on no inputs", "an empty list",
              "one KerasTensor (a list for merge layers)", "pass the output of Input() or apply()");
    for (const auto& x : inputs) {
        TFC_CHECK(x.defined(), where, "an input is an undefined KerasTensor", "KerasTensor()",
                  "tensors from Input() or apply()", "start the graph with Input({...})");
    }
    TFC_CHECK(layer->class_name() != "InputLayer", where,
              "an InputLayer cannot be called on a tensor", "apply(InputLayer, ...)",
              "InputLayer only as a graph input", "use `KerasTensor x = Input({...});`");
    auto node = std::make_shared<KerasNode>();
    node->layer = layer;
    node->inputs = inputs;
    if (auto* merge = dynamic_cast<MergeLayer*>(layer.get())) {
        std::vector<Shape> shapes;
        for (const auto& x : inputs) shapes.push_back(x.shape());
        merge->ensure_built(shapes);
        node->output_shapes = {merge->compute_output_shape(shapes)};
    } else {
        // A recurrent layer (or Bidirectional) takes [x, initial states...] (Keras's
        // `initial_state=`).
        const std::vector<Shape> states = layer->initial_state_shapes();
        if (!states.empty() && inputs.size() > 1) {
            TFC_CHECK(inputs.size() == 1 + states.size(), where, "wrong number of initial states",
                      std::to_string(inputs.size() - 1) + " after the sequence",
                      std::to_string(states.size()) + " " + shapes_list(states),
                      "pass the sequence, then every state the layer has");
            for (std::size_t i = 1; i < inputs.size(); ++i) {
                const Shape& st = inputs[i].shape();
                const Shape& want = states[i - 1];
                TFC_CHECK(st.size() == want.size() && (st.back() == want.back() || st.back() < 0),
                          where, "an initial state has the wrong shape", shape_str(st),
                          shape_str(want), "pass states of shape (batch, units)");
            }
        }
        TFC_CHECK(inputs.size() == 1 || (!states.empty() && inputs.size() == 1 + states.size()),
                  where,
                  "the layer takes one input",
                  std::to_string(inputs.size()) + " inputs " + shapes_str(inputs),
                  "a single KerasTensor",
                  "merge the tensors first (Add, Concatenate, ...) or call the layer on each");
        const Shape& s = inputs[0].shape();
        if (!layer->built()) {
            layer->ensure_built(s);
        } else {
            // A shared layer: every call must fit the shape it was built for (batch aside).
            const Shape& b = layer->built_input_shape();
            bool ok = b.size() == s.size();
            for (std::size_t i = 1; ok && i < s.size(); ++i) ok = b[i] == s[i] || b[i] < 0 || s[i] < 0;
            TFC_CHECK(ok, where, "the layer was built for another input shape", shape_str(s),
                      shape_str(b), "call a shared layer only on tensors of the same shape");
        }
        // Several for return_state=True (the output, then the final states) or Bidirectional
        // with merge_mode None.
        node->output_shapes = layer->compute_output_shapes(s);
    }
    return node;
}

}  // namespace

std::vector<KerasTensor> apply_layer_multi(const LayerPtr& layer,
                                           const std::vector<KerasTensor>& inputs) {
    std::shared_ptr<KerasNode> node = make_node(layer, inputs);
    node->index = next_node_index(layer);
    const std::shared_ptr<const KerasNode> done(std::move(node));
    std::vector<KerasTensor> out;
    for (std::size_t i = 0; i < done->output_shapes.size(); ++i)
        out.emplace_back(done, static_cast<int>(i));
    return out;
}

KerasTensor apply_layer(const LayerPtr& layer, const std::vector<KerasTensor>& inputs) {
    std::shared_ptr<KerasNode> node = make_node(layer, inputs);
    TFC_CHECK(node->output_shapes.size() == 1, layer->name(), "the layer has several outputs",
              std::to_string(node->output_shapes.size()) +
                  " (return_state=True adds the states; Bidirectional merge_mode None gives two)",
              "one output for apply_layer",
              "use apply_layer_multi(layer, x), which returns every output, or return_state=False");
    node->index = next_node_index(layer);
    return KerasTensor(std::shared_ptr<const KerasNode>(std::move(node)));
}

}  // namespace tfc
