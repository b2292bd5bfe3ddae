// The functional graph (keras/engine/functional.py of Keras 2.15: `_map_graph_network`,
// `_run_internal_graph`) and its summary rows (keras/utils/layer_utils.py `print_summary`).
#include "tfc/training/functional.h"

#include <algorithm>
#include <map>
#include <set>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/layers/merge.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

// `_build_map`: post-order over the nodes reachable from the outputs, and the pre-order index
// of every layer (used to order layers of equal depth).
void build_map(const std::shared_ptr<const KerasNode>& ref,
               std::map<const KerasNode*, std::shared_ptr<const KerasNode>>& finished,
               std::vector<const KerasNode*>& post_order,
               std::map<const Layer*, int>& layer_indices) {
    const KerasNode* node = ref.get();
    if (finished.count(node)) return;
    layer_indices.emplace(node->layer.get(), static_cast<int>(layer_indices.size()));
    for (const auto& x : node->inputs) build_map(x.node(), finished, post_order, layer_indices);
    finished.emplace(node, ref);
    post_order.push_back(node);
}

Tensor as_float(const Tensor& x) {
    return x.dtype() == DType::float32 || x.dtype() == DType::float64 ? x
                                                                      : x.astype(DType::float32);
}

}  // namespace

Functional::Functional(const KerasTensor& input, const KerasTensor& output, std::string name)
    : Functional(std::vector<KerasTensor>{input}, std::vector<KerasTensor>{output},
                 std::move(name)) {}

Functional::Functional(const std::vector<KerasTensor>& inputs,
                       const std::vector<KerasTensor>& outputs, std::string name)
    : Model(name.empty() ? unique_layer_name("model") : std::move(name)),
      inputs_(inputs),
      outputs_(outputs) {
    TFC_CHECK(!inputs_.empty() && !outputs_.empty(), name_, "a model needs inputs and outputs",
              std::to_string(inputs_.size()) + " inputs, " + std::to_string(outputs_.size()) +
                  " outputs",
              "at least one of each", "pass Functional(inputs, outputs)");
    for (const auto& x : inputs_) {
        TFC_CHECK(x.defined() && x.is_input(), name_,
                  "input tensors to a Functional must come from Input()",
                  x.defined() ? x.str() : "an undefined KerasTensor", "the output of Input()",
                  "pass the tensors returned by Input({...}), not intermediate layer outputs");
    }
    for (const auto& y : outputs_) {
        TFC_CHECK(y.defined(), name_, "an output is an undefined KerasTensor", "KerasTensor()",
                  "tensors returned by apply()", "pass the model's output tensors");
    }

    // Depths: outputs at 0; a node's inputs sit deeper than it (`_map_graph_network`).
    std::map<const KerasNode*, std::shared_ptr<const KerasNode>> finished;
    std::vector<const KerasNode*> post_order;
    std::map<const Layer*, int> layer_indices;
    for (const auto& y : outputs_) build_map(y.node(), finished, post_order, layer_indices);
    std::map<const KerasNode*, int> node_depth;
    std::vector<const KerasNode*> depth_order;  // insertion order of node_depth (a Python dict)
    auto set_depth = [&](const KerasNode* n, int d) {
        auto [it, inserted] = node_depth.emplace(n, d);
        if (inserted) depth_order.push_back(n);
        else it->second = d;
    };
    std::map<const Layer*, int> layer_depth;
    std::vector<LayerPtr> layer_of;  // every distinct layer, first seen first
    for (auto it = post_order.rbegin(); it != post_order.rend(); ++it) {
        const KerasNode* n = *it;
        if (!node_depth.count(n)) set_depth(n, 0);
        int depth = std::max(node_depth[n], layer_depth.count(n->layer.get())
                                                ? layer_depth[n->layer.get()]
                                                : 0);
        if (!layer_depth.count(n->layer.get())) layer_of.push_back(n->layer);
        layer_depth[n->layer.get()] = depth;
        set_depth(n, depth);
        for (const auto& x : n->inputs) {
            const KerasNode* p = x.node().get();
            set_depth(p, std::max(depth + 1, node_depth.count(p) ? node_depth[p] : 0));
        }
    }
    // Inputs that no output depends on still belong to the model.
    for (const auto& x : inputs_) {
        const KerasNode* n = x.node().get();
        if (!layer_depth.count(n->layer.get())) {
            layer_depth[n->layer.get()] = 0;
            layer_indices[n->layer.get()] = -1;
            layer_of.push_back(n->layer);
            set_depth(n, 0);
            finished.emplace(n, x.node());
        }
    }

    std::map<int, std::vector<const KerasNode*>, std::greater<>> nodes_by_depth;
    for (const KerasNode* n : depth_order) nodes_by_depth[node_depth[n]].push_back(n);
    std::map<int, std::vector<LayerPtr>, std::greater<>> layers_by_depth;
    for (const auto& l : layer_of) layers_by_depth[layer_depth[l.get()]].push_back(l);
    for (auto& [depth, ls] : layers_by_depth) {
        std::stable_sort(ls.begin(), ls.end(), [&](const LayerPtr& a, const LayerPtr& b) {
            return layer_indices[a.get()] < layer_indices[b.get()];
        });
        layers_.insert(layers_.end(), ls.begin(), ls.end());
    }

    // Every node must be computable from the given inputs ("Graph disconnected").
    std::set<const KerasNode*> computable;
    for (const auto& x : inputs_) computable.insert(x.node().get());
    std::vector<std::string> done;
    for (const auto& [depth, ns] : nodes_by_depth) {
        for (const KerasNode* n : ns) {
            nodes_.push_back(finished.at(n));
            depths_.push_back(depth);
            if (n->inputs.empty()) continue;  // an input (given or not)
            for (const auto& x : n->inputs) {
                if (computable.count(x.node().get())) continue;
                std::string ok = "[";
                for (std::size_t i = 0; i < done.size(); ++i) ok += (i ? ", " : "") + done[i];
                fail(name_, "graph disconnected: cannot obtain the value of " + x.str() +
                                " at layer '" + n->layer->name() + "'",
                     "a graph whose inputs do not include that tensor's Input (layers reached "
                     "without issue: " + ok + "])",
                     "every path to the outputs to start at one of the model's inputs",
                     "pass the missing Input in the model's inputs");
            }
            computable.insert(n);
            done.push_back(n->layer->name());
        }
    }

    std::map<std::string, int> names;
    for (const auto& l : layers_) ++names[l->name()];
    for (const auto& [n, count] : names) {
        TFC_CHECK(count == 1, name_, "the name \"" + n + "\" is used by several layers",
                  std::to_string(count) + " layers named '" + n + "'", "unique layer names",
                  "give the layers distinct .name values");
    }
}

void Functional::build(const Shape& input_shape) {
    TFC_CHECK(inputs_.size() == 1, name_, "build() takes one shape, but the model has several inputs",
              shape_str(input_shape), std::to_string(inputs_.size()) + " input shapes",
              "the graph is already built; call call_multi()/predict_multi() directly");
    const Shape& want = inputs_[0].shape();
    bool ok = want.size() == input_shape.size();
    for (std::size_t i = 1; ok && i < want.size(); ++i) {
        ok = want[i] < 0 || input_shape[i] < 0 || want[i] == input_shape[i];
    }
    TFC_CHECK(ok, name_, "input shape does not match the model's Input", shape_str(input_shape),
              shape_str(want), "feed data shaped like the Input, or make a new Input");
}

Shape Functional::input_shape() const { return inputs_.size() == 1 ? inputs_[0].shape() : Shape{}; }
Shape Functional::output_shape() const {
    return outputs_.size() == 1 ? outputs_[0].shape() : Shape{};
}

KerasTensor Functional::input() const {
    TFC_CHECK(inputs_.size() == 1, name_, "the model has several inputs",
              std::to_string(inputs_.size()) + " inputs", "exactly one for model.input()",
              "use model.inputs()");
    return inputs_[0];
}

KerasTensor Functional::output() const {
    TFC_CHECK(outputs_.size() == 1, name_, "the model has several outputs",
              std::to_string(outputs_.size()) + " outputs", "exactly one for model.output()",
              "use model.outputs()");
    return outputs_[0];
}

const KerasNode& Functional::layer_node(const std::string& name, int node_index,
                                        const char* where) const {
    std::vector<const KerasNode*> found;
    for (const auto& n : nodes_) {
        if (n->layer->name() == name) found.push_back(n.get());
    }
    if (found.empty()) {
        std::string names;
        for (const auto& l : layers_) names += (names.empty() ? "" : ", ") + l->name();
        fail(std::string(where), "no such layer: " + name, "'" + name + "'",
             "one of the model's layers [" + names + "]", "check the name (model.summary())");
    }
    std::sort(found.begin(), found.end(),
              [](const KerasNode* a, const KerasNode* b) { return a->index < b->index; });
    if (node_index < 0) {
        TFC_CHECK(found.size() == 1, where,
                  "layer '" + name + "' has several inbound nodes, so its output is ambiguous",
                  std::to_string(found.size()) + " calls", "a layer called once",
                  "pass the node_index of the call you want");
        return *found[0];
    }
    for (const KerasNode* n : found) {
        if (n->index == node_index) return *n;
    }
    fail(where, "layer '" + name + "' has no call with that node_index in this model",
         std::to_string(node_index), "the index of one of its calls (see summary()'s Connected to)",
         "pass a node_index the layer has");
}

KerasTensor Functional::layer_output(const std::string& name, int node_index) const {
    return layer_outputs(name, node_index)[0];
}

std::vector<KerasTensor> Functional::layer_outputs(const std::string& name, int node_index) const {
    const KerasNode& n = layer_node(name, node_index, "layer_output");
    for (const auto& m : nodes_) {
        if (m.get() != &n) continue;
        std::vector<KerasTensor> out;
        for (std::size_t i = 0; i < m->output_shapes.size(); ++i)
            out.emplace_back(m, static_cast<int>(i));
        return out;
    }
    TFC_ASSERT(false);
    return {};
}

KerasTensor Functional::layer_input(const std::string& name, int node_index) const {
    const KerasNode& n = layer_node(name, node_index, "layer_input");
    TFC_CHECK(n.inputs.size() == 1, "layer_input", "layer '" + name + "' has no single input",
              std::to_string(n.inputs.size()) + " inputs", "one input",
              "read the inputs from the producing layers instead");
    return n.inputs[0];
}

std::vector<Tensor> Functional::run(const std::vector<Tensor>& inputs, bool training) const {
    TFC_CHECK(inputs.size() == inputs_.size(), name_, "wrong number of inputs",
              std::to_string(inputs.size()), std::to_string(inputs_.size()),
              "pass one array per model input, in model.inputs() order");
    // Uses left per node, so intermediate tensors are freed as soon as possible.
    std::map<const KerasNode*, int> uses;
    for (const auto& n : nodes_) {
        for (const auto& x : n->inputs) ++uses[x.node().get()];
    }
    for (const auto& y : outputs_) ++uses[y.node().get()];
    std::map<const KerasNode*, std::vector<Tensor>> values;  // a call's outputs
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const Tensor& x = inputs[i];
        const Shape& want = inputs_[i].shape();
        TFC_CHECK(x.defined(), name_, "input " + std::to_string(i) + " is undefined", "Tensor()",
                  "an array shaped " + shape_str(want), "pass data");
        bool ok = x.rank() == static_cast<int>(want.size());
        for (std::size_t d = 1; ok && d < want.size(); ++d) ok = want[d] < 0 || want[d] == x.dim(d);
        TFC_CHECK(ok, name_, "input " + std::to_string(i) + " is incompatible with the model",
                  shape_str(x.shape()), shape_str(want),
                  "feed data shaped like the model's Input (batch first)");
        values[inputs_[i].node().get()] = {as_float(x)};
    }
    for (const auto& n : nodes_) {
        if (n->inputs.empty()) continue;
        std::vector<Tensor> args;
        for (const auto& x : n->inputs) {
            const KerasNode* p = x.node().get();
            args.push_back(values.at(p).at(static_cast<std::size_t>(x.tensor_index())));
            if (--uses[p] == 0) values.erase(p);
        }
        if (auto* merge = dynamic_cast<MergeLayer*>(n->layer.get())) {
            values[n.get()] = {(*merge)(args, training)};
        } else if (args.size() > 1 || n->output_shapes.size() > 1) {
            // Initial states (apply_layer checked them) and/or several outputs.
            values[n.get()] = n->layer->call_list(args, training);
        } else {
            values[n.get()] = {(*n->layer)(args[0], training)};
        }
    }
    std::vector<Tensor> out;
    for (const auto& y : outputs_)
        out.push_back(values.at(y.node().get()).at(static_cast<std::size_t>(y.tensor_index())));
    return out;
}

Tensor Functional::call_inputs(const std::vector<Tensor>& xs, bool training) {
    TFC_CHECK(outputs_.size() == 1, name_, "this call needs a model with one output",
              std::to_string(outputs_.size()) + " outputs", "1",
              "use predict_multi() / call_multi(), or fit / evaluate with one target per output");
    return run(xs, training)[0];
}

std::vector<Tensor> Functional::call_outputs(const std::vector<Tensor>& xs, bool training) {
    return run(xs, training);
}

std::vector<std::string> Functional::output_names() const {
    // Keras 2 functional.py _set_output_names: a taken name gets "_1", "_2", ... per layer name.
    std::vector<std::string> names;
    std::map<std::string, int> next_suffix;
    for (const auto& y : outputs_) {
        const std::string& base = y.layer()->name();
        std::string proposal = base;
        while (std::find(names.begin(), names.end(), proposal) != names.end()) {
            int& k = next_suffix.try_emplace(base, 1).first->second;
            proposal = base + "_" + std::to_string(k++);
        }
        names.push_back(proposal);
    }
    return names;
}

Tensor Functional::call(const Tensor& x, bool training) {
    TFC_CHECK(inputs_.size() == 1 && outputs_.size() == 1, name_,
              "call(x) needs a model with one input and one output",
              std::to_string(inputs_.size()) + " inputs, " + std::to_string(outputs_.size()) +
                  " outputs",
              "1 and 1", "use call_multi() / predict_multi()");
    return run({x}, training)[0];
}

std::vector<Tensor> Functional::call_multi(const std::vector<Tensor>& inputs, bool training) {
    return run(inputs, training);
}

std::vector<Tensor> Functional::predict_multi(const std::vector<Tensor>& inputs,
                                              const PredictOptions& opt) {
    TFC_CHECK(opt.batch_size > 0, "predict", "batch_size must be positive",
              std::to_string(opt.batch_size), "batch_size >= 1", "pass e.g. .batch_size = 32");
    TFC_CHECK(!inputs.empty() && inputs[0].defined() && inputs[0].rank() >= 1, "predict",
              "inputs need a batch dimension", std::to_string(inputs.size()) + " arrays",
              "one array per model input, batch first", "pass the input arrays");
    const std::int64_t n = inputs[0].dim(0);
    for (const auto& x : inputs) {
        TFC_CHECK(x.defined() && x.rank() >= 1 && x.dim(0) == n, "predict",
                  "the input arrays have different numbers of samples",
                  x.defined() ? shape_str(x.shape()) : "undefined",
                  std::to_string(n) + " samples each", "give every input the same samples");
    }
    autograd::NoGradGuard ng;
    std::vector<std::vector<Tensor>> parts(outputs_.size());
    for (std::int64_t lo = 0; lo < n; lo += opt.batch_size) {
        std::vector<std::int64_t> rows;
        for (std::int64_t i = lo; i < std::min(n, lo + opt.batch_size); ++i) rows.push_back(i);
        std::vector<Tensor> batch;
        for (const auto& x : inputs) batch.push_back(ops::take_rows(x, rows));
        auto ys = run(batch, false);
        for (std::size_t k = 0; k < ys.size(); ++k) parts[k].push_back(ys[k]);
    }
    std::vector<Tensor> out;
    for (std::size_t k = 0; k < parts.size(); ++k) {
        if (parts[k].empty()) {
            Shape s = outputs_[k].shape();
            s[0] = 0;
            out.push_back(Tensor::zeros(s));
        } else {
            out.push_back(parts[k].size() == 1 ? parts[k][0] : ops::concat(parts[k], 0));
        }
    }
    return out;
}

// ---- summary (layer_utils.py print_layer_summary_with_connections) ----

bool Functional::summary_sequential_like() const {
    // Keras: one node per depth, each with a single input, and each layer used once.
    std::map<int, int> per_depth;
    for (std::size_t i = 0; i < nodes_.size(); ++i) {
        if (++per_depth[depths_[i]] > 1 || nodes_[i]->inputs.size() > 1) return false;
    }
    std::set<const Layer*> seen;
    for (const auto& n : nodes_) {
        if (!seen.insert(n->layer.get()).second) return false;
    }
    return true;
}

std::vector<Model::SummaryRow> Functional::summary_rows() const {
    std::vector<SummaryRow> rows;
    for (const auto& l : layers_) {
        std::vector<const KerasNode*> mine;
        for (const auto& n : nodes_) {
            if (n->layer == l) mine.push_back(n.get());
        }
        std::sort(mine.begin(), mine.end(),
                  [](const KerasNode* a, const KerasNode* b) { return a->index < b->index; });
        SummaryRow row;
        row.layer = l->name() + " (" + l->class_name() + ")";
        // Keras's layer.output_shape: "multiple" when the calls disagree; a list for an
        // InputLayer (of one shape) and for a layer with several outputs.
        bool same = true;
        for (const KerasNode* n : mine) same = same && n->output_shapes == mine[0]->output_shapes;
        if (mine.empty() || !same) {
            row.output_shape = "multiple";
        } else if (l->class_name() == "InputLayer" || mine[0]->output_shapes.size() > 1) {
            std::string list;
            for (const Shape& sh : mine[0]->output_shapes) list += (list.empty() ? "" : ", ") + shape_str(sh);
            row.output_shape = "[" + list + "]";
        } else {
            row.output_shape = shape_str(mine[0]->output_shapes[0]);
        }
        row.params = l->count_params();
        std::string conn = "[";
        bool first = true;
        for (const KerasNode* n : mine) {
            for (const auto& x : n->inputs) {
                conn += std::string(first ? "" : ", ") + "'" + x.layer()->name() + "[" +
                        std::to_string(x.node_index()) + "][" + std::to_string(x.tensor_index()) +
                        "]'";
                first = false;
            }
        }
        row.connected_to = conn + "]";
        rows.push_back(row);
    }
    return rows;
}

}  // namespace tfc
