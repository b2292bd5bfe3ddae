// Functional model configs both ways (keras/engine/functional.py of Keras 2.15:
// `reconstruct_from_config` / `get_network_config`; keras/src/models/functional.py of Keras 3).
// A layer entry carries its calls in "inbound_nodes":
//   Keras 2:  [[["dense", 0, 0, {}], ...], ...]          one list of [layer, node, tensor, kwargs]
//             per call; an RNN called with initial_state lists [x, h(, c)].
//   Keras 3:  [{"args": [<__keras_tensor__>...], "kwargs": {"initial_state": [...]}}, ...]
//             (a merge layer's args hold one list of tensors).
// Node indices in the file count the calls of that layer inside this model.
#include <map>
#include <set>

#include "tfc/core/error.h"
#include "tfc/io/functional_config_impl.h"
#include "tfc/io/layer_config.h"
#include "tfc/layers/input_layer.h"
#include "tfc/layers/merge.h"
#include "tfc/layers/rnn_base.h"

namespace tfc::io {
namespace {

constexpr std::size_t kMaxNodesPerLayer = 10000;

struct TensorRef {
    std::string layer;
    std::int64_t node = 0;
    std::int64_t tensor = 0;
};

[[noreturn]] void bad_node(const std::string& layer, const std::string& problem, const json& got,
                           const std::string& expected) {
    fail("load_model", "layer '" + layer + "': " + problem, json_excerpt(got), expected,
         "the file is damaged or was written by an unsupported Keras version; re-save it with "
         "Keras 2.x or 3.x");
}

TensorRef ref_from_list(const std::string& layer, const json& v) {
    if (!v.is_array() || v.size() < 3 || !v[0].is_string() || !v[1].is_number_integer() ||
        !v[2].is_number_integer()) {
        bad_node(layer, "an inbound tensor reference is malformed", v, "[\"layer_name\", node_index, tensor_index]");
    }
    return {v[0].get<std::string>(), v[1].get<std::int64_t>(), v[2].get<std::int64_t>()};
}

bool is_keras3_tensor(const json& v) {
    return v.is_object() && v.contains("class_name") && v["class_name"] == "__keras_tensor__";
}

// Keras 3: every __keras_tensor__ inside `v`, depth first (a merge layer's args are [[a, b]]).
void collect_keras3(const std::string& layer, const json& v, std::vector<TensorRef>& out, int depth) {
    if (depth > 8) bad_node(layer, "the call arguments are nested too deeply", v, "at most 8 levels");
    if (is_keras3_tensor(v)) {
        if (!v.contains("config") || !v["config"].is_object() || !v["config"].contains("keras_history")) {
            bad_node(layer, "a tensor argument has no keras_history", v, "{\"keras_history\": [...]}");
        }
        out.push_back(ref_from_list(layer, v["config"]["keras_history"]));
    } else if (v.is_array()) {
        for (const auto& x : v) collect_keras3(layer, x, out, depth + 1);
    } else if (v.is_object() && v.contains("class_name") && v.contains("config")) {
        bad_node(layer, "a call argument is an object tfc cannot pass", v, "tensors");
    }
}

// The inbound tensors of one call, in order: the inputs, then any initial states.
std::vector<TensorRef> node_inputs(const std::string& layer, const json& node) {
    std::vector<TensorRef> out;
    if (node.is_array()) {  // Keras 2
        for (const auto& t : node) out.push_back(ref_from_list(layer, t));
        return out;
    }
    if (!node.is_object() || !node.contains("args") || !node["args"].is_array()) {
        bad_node(layer, "a call (inbound node) is malformed", node,
                 "a list of tensor references (Keras 2) or {\"args\", \"kwargs\"} (Keras 3)");
    }
    collect_keras3(layer, node["args"], out, 0);
    if (node.contains("kwargs") && node["kwargs"].is_object()) {
        for (const auto& [k, v] : node["kwargs"].items()) {
            std::vector<TensorRef> extra;
            collect_keras3(layer, v, extra, 0);
            if (extra.empty()) continue;  // e.g. "training": false, "mask": null
            if (k != "initial_state") {
                bad_node(layer, "the call passes a tensor as keyword '" + k + "'", v,
                         "tensors only as inputs or initial_state");
            }
            out.insert(out.end(), extra.begin(), extra.end());
        }
    }
    return out;
}

std::vector<TensorRef> endpoints(const json& cfg, const char* key) {
    std::vector<TensorRef> out;
    if (!cfg.contains(key) || !cfg[key].is_array() || cfg[key].empty()) {
        fail("load_model", std::string("the functional config has no '") + key + "'",
             cfg.contains(key) ? json_excerpt(cfg[key]) : "nothing", "[[\"layer\", 0, 0], ...]",
             "the file is damaged; re-save it with Keras");
    }
    const json& v = cfg[key];
    if (v[0].is_string()) {  // Keras 3 single endpoint ["name", 0, 0]
        out.push_back(ref_from_list(key, v));
    } else {
        for (const auto& e : v) out.push_back(ref_from_list(key, e));
    }
    return out;
}

std::string entry_layer_name(const json& entry, const Layer& layer) {
    if (entry.contains("name") && entry["name"].is_string()) return entry["name"].get<std::string>();
    return layer.name();
}

}  // namespace

std::shared_ptr<Functional> functional_from_config(const json& model, const json& layers,
                                                   const std::vector<LayerPtr>& built) {
    const json& cfg = model["config"];
    const std::string name = cfg.contains("name") && cfg["name"].is_string() ? cfg["name"].get<std::string>() : "";
    std::map<std::string, LayerPtr> by_name;
    std::map<std::string, std::vector<std::vector<TensorRef>>> pending;  // layer -> calls left
    // layer -> per call, its outputs (several for return_state=True)
    std::map<std::string, std::vector<std::vector<KerasTensor>>> outputs;
    std::vector<std::string> order;
    for (std::size_t i = 0; i < layers.size(); ++i) {
        const json& entry = layers[i];
        const std::string lname = entry_layer_name(entry, *built[i]);
        TFC_CHECK(!by_name.count(lname), "load_model", "two layers share the name '" + lname + "'",
                  "a duplicate entry", "unique layer names", "the file is damaged; re-save it");
        TFC_CHECK(built[i]->name() == lname, "load_model",
                  "a layer entry's name differs from its config's name",
                  "'" + lname + "' vs '" + built[i]->name() + "'", "the same name",
                  "the file is damaged; re-save it");
        by_name[lname] = built[i];
        order.push_back(lname);
        if (auto input = std::dynamic_pointer_cast<InputLayer>(built[i])) {
            outputs[lname].push_back({KerasTensor(input)});
            continue;
        }
        const json nodes = entry.contains("inbound_nodes") ? entry["inbound_nodes"] : json::array();
        TFC_CHECK(nodes.is_array() && nodes.size() <= kMaxNodesPerLayer, "load_model",
                  "layer '" + lname + "' has a malformed 'inbound_nodes'", json_excerpt(nodes),
                  "a list of calls", "the file is damaged; re-save it");
        for (const auto& n : nodes) pending[lname].push_back(node_inputs(lname, n));
    }
    // Calls whose inputs exist are made in config order, repeatedly, as Keras does: a layer's
    // later call may need the output of a layer listed after it (shared layers).
    // A file whose layers are listed in reverse order needs one pass per layer; the work is
    // bounded so that a hostile config cannot make the loader spin.
    constexpr std::size_t kMaxScans = 20'000'000;
    std::size_t scans = 0;
    bool progress = true;
    while (!pending.empty() && progress) {
        progress = false;
        scans += order.size();
        TFC_CHECK(scans <= kMaxScans, "load_model", "the layer graph is too convoluted to rebuild",
                  std::to_string(order.size()) + " layers listed far from call order",
                  "layers listed roughly in call order, as Keras writes them",
                  "re-save the model with Keras");
        for (const auto& lname : order) {
            auto it = pending.find(lname);
            if (it == pending.end()) continue;
            auto& calls = it->second;
            while (!calls.empty()) {
                std::vector<KerasTensor> args;
                bool ready = true;
                for (const auto& r : calls.front()) {
                    TFC_CHECK(by_name.count(r.layer), "load_model",
                              "layer '" + lname + "' is called on an unknown layer's output",
                              "'" + r.layer + "'", "a layer of this model",
                              "the file is damaged; re-save it");
                    const auto& outs = outputs[r.layer];
                    if (r.node < 0 || r.node >= static_cast<std::int64_t>(outs.size())) {
                        ready = false;
                        break;
                    }
                    const auto& call = outs[static_cast<std::size_t>(r.node)];
                    TFC_CHECK(r.tensor >= 0 && r.tensor < static_cast<std::int64_t>(call.size()),
                              "load_model",
                              "layer '" + lname + "' uses an output that layer '" + r.layer +
                                  "' does not have",
                              "output " + std::to_string(r.tensor) + " of " +
                                  std::to_string(call.size()),
                              "an index below the layer's output count (return_state=True adds "
                              "the states)",
                              "the file is damaged; re-save it");
                    args.push_back(call[static_cast<std::size_t>(r.tensor)]);
                }
                if (!ready) break;
                TFC_CHECK(!args.empty(), "load_model", "layer '" + lname + "' is called on nothing",
                          "an empty inbound node", "at least one input tensor",
                          "the file is damaged; re-save it");
                outputs[lname].push_back(apply_layer_multi(by_name[lname], args));
                calls.erase(calls.begin());
                progress = true;
            }
            if (calls.empty()) pending.erase(it);
        }
    }
    if (!pending.empty()) {
        fail("load_model", "the layer graph cannot be built: some calls wait on tensors that never exist",
             "layer '" + pending.begin()->first + "' (and " + std::to_string(pending.size() - 1) +
                 " more)",
             "every inbound node to refer to an existing call", "the file is damaged; re-save it");
    }
    auto resolve = [&](const std::vector<TensorRef>& refs, const char* what) {
        std::vector<KerasTensor> out;
        for (const auto& r : refs) {
            const auto it = outputs.find(r.layer);
            const bool ok = it != outputs.end() && r.node >= 0 &&
                            r.node < static_cast<std::int64_t>(it->second.size()) &&
                            r.tensor >= 0 &&
                            r.tensor < static_cast<std::int64_t>(
                                           it->second[static_cast<std::size_t>(r.node)].size());
            TFC_CHECK(ok, "load_model", std::string("a model ") + what + " refers to a missing tensor",
                      "[\"" + r.layer + "\", " + std::to_string(r.node) + ", " + std::to_string(r.tensor) + "]",
                      "an output of a call of a layer in the model", "the file is damaged; re-save it");
            out.push_back(it->second[static_cast<std::size_t>(r.node)][static_cast<std::size_t>(r.tensor)]);
        }
        return out;
    };
    return std::make_shared<Functional>(resolve(endpoints(cfg, "input_layers"), "input"),
                                        resolve(endpoints(cfg, "output_layers"), "output"), name);
}

namespace {

json ref_json(const std::string& layer, int node, int tensor, ConfigStyle style, const Shape& shape) {
    if (style == ConfigStyle::legacy_h5) return json::array({layer, node, tensor, json::object()});
    ConfigWriter w;
    w.set_shape("s", shape);
    return json{{"class_name", "__keras_tensor__"},
                {"config", {{"shape", w.node().value["s"]}, {"dtype", "float32"},
                            {"keras_history", json::array({layer, node, tensor})}}}};
}

}  // namespace

json functional_to_config(const Functional& model, ConfigStyle style) {
    // Model-local call indices: a layer's calls inside this model, in call order.
    std::map<const KerasNode*, int> local;
    std::map<const Layer*, std::vector<const KerasNode*>> calls;
    for (const auto& n : model.nodes()) calls[n->layer.get()].push_back(n.get());
    for (auto& [layer, ns] : calls) {
        std::sort(ns.begin(), ns.end(), [](const KerasNode* a, const KerasNode* b) { return a->index < b->index; });
        for (std::size_t i = 0; i < ns.size(); ++i) local[ns[i]] = static_cast<int>(i);
    }
    auto ref_of = [&](const KerasTensor& t) {
        return ref_json(t.layer()->name(), local.at(t.node().get()), t.tensor_index(), style,
                        t.shape());
    };
    json layers = json::array();
    for (const auto& l : model.layers()) {
        json e = layer_entry(*l, style, {});
        if (l->class_name() == "InputLayer" && style == ConfigStyle::keras3) {
            json& c = e["config"];
            json renamed = json::object();
            for (const auto& [k, v] : c.items()) {
                if (k == "batch_input_shape") renamed["batch_shape"] = v;
                else if (k == "dtype") renamed[k] = "float32";  // Keras 3 InputLayer: a dtype string
                else if (k != "ragged" && k != "trainable") renamed[k] = v;
            }
            c = renamed;
            e.erase("build_config");
        }
        e["name"] = l->name();
        json inbound = json::array();
        for (const KerasNode* n : calls[l.get()]) {
            if (n->inputs.empty()) continue;  // an InputLayer's own node
            if (style == ConfigStyle::legacy_h5) {
                json node = json::array();
                for (const auto& x : n->inputs) node.push_back(ref_of(x));
                inbound.push_back(node);
                continue;
            }
            json args = json::array(), kwargs = json::object();
            if (dynamic_cast<const MergeLayer*>(l.get()) != nullptr) {
                json list = json::array();
                for (const auto& x : n->inputs) list.push_back(ref_of(x));
                args.push_back(list);
            } else {
                args.push_back(ref_of(n->inputs[0]));
                if (n->inputs.size() > 1) {
                    json states = json::array();
                    for (std::size_t i = 1; i < n->inputs.size(); ++i) states.push_back(ref_of(n->inputs[i]));
                    kwargs["initial_state"] = states;
                }
            }
            inbound.push_back(json{{"args", args}, {"kwargs", kwargs}});
        }
        e["inbound_nodes"] = inbound;
        layers.push_back(e);
    }
    json ins = json::array(), outs = json::array();
    for (const auto& x : model.inputs()) ins.push_back(json::array({x.layer()->name(), local.at(x.node().get()), 0}));
    for (const auto& y : model.outputs()) {
        outs.push_back(
            json::array({y.layer()->name(), local.at(y.node().get()), y.tensor_index()}));
    }
    json cfg = json::object();
    cfg["name"] = model.name();
    if (style == ConfigStyle::keras3) cfg["trainable"] = true;
    cfg["layers"] = layers;
    cfg["input_layers"] = ins;
    cfg["output_layers"] = outs;
    if (style == ConfigStyle::legacy_h5) return json{{"class_name", "Functional"}, {"config", cfg}};
    return json{{"module", "keras.src.models.functional"}, {"class_name", "Functional"},
                {"config", cfg}, {"registered_name", "Functional"}};
}

}  // namespace tfc::io
