// Keras 3 weights layout (model.weights.h5 inside .keras, and *.weights.h5): each layer of a
// Sequential gets `layers/<snake_case class name, de-duplicated>/vars/<i>`, its variables in
// Keras order (trainable, then non-trainable). tf.keras 2.13 used `_layer_checkpoint_dependencies`.
// Variables owned by sublayers sit under the sublayer's attribute path, as Keras 3's saver walks
// attributes: RNN layers `cell/vars`, Bidirectional `forward_layer/cell/vars` then
// `backward_layer/cell/vars`, TimeDistributed `layer/...`. A nested model is a group holding
// its own `layers/...` (and an empty `vars`).
#include <map>
#include <regex>

#include "tfc/core/error.h"
#include "tfc/io/formats_impl.h"
#include "tfc/layers/bidirectional.h"
#include "tfc/layers/rnn_base.h"
#include "tfc/layers/time_distributed.h"
#include "tfc/training/model_layer.h"

namespace tfc::io {
namespace {

// Keras's naming.to_snake_case: "LeakyReLU" -> "leaky_re_lu", "Conv2D" -> "conv2d".
std::string to_snake_case(const std::string& name) {
    static const std::regex non_word("[^A-Za-z0-9_]+");
    static const std::regex first("(.)([A-Z][a-z]+)");
    static const std::regex second("([a-z])([A-Z])");
    std::string s = std::regex_replace(name, non_word, "");
    s = std::regex_replace(s, first, "$1_$2");
    s = std::regex_replace(s, second, "$1_$2");
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The attribute-path key of each layer, as Keras 3's _save_container_state names list items.
std::vector<std::string> layer_keys(const Model& model) {
    std::map<std::string, int> used;
    std::vector<std::string> keys;
    for (const auto& l : model.layers()) {
        const std::string base = to_snake_case(l->class_name());
        const int n = used[base]++;
        keys.push_back(n == 0 ? base : base + "_" + std::to_string(n));
    }
    return keys;
}

// One group per sublayer that owns variables, in weight order: (path under the layer's group,
// number of variables).
void var_groups(const Layer& layer, const std::string& prefix,
                std::vector<std::pair<std::string, std::size_t>>& out) {
    if (const auto* b = dynamic_cast<const Bidirectional*>(&layer)) {
        var_groups(*b->forward_layer(), prefix + "forward_layer/", out);
        var_groups(*b->backward_layer(), prefix + "backward_layer/", out);
    } else if (const auto* t = dynamic_cast<const TimeDistributed*>(&layer)) {
        var_groups(*t->layer(), prefix + "layer/", out);
    } else if (dynamic_cast<const RecurrentLayer*>(&layer) != nullptr) {
        out.emplace_back(prefix + "cell/vars", const_cast<Layer&>(layer).weights().size());
    } else {
        out.emplace_back(prefix + "vars", const_cast<Layer&>(layer).weights().size());
    }
}

std::string layers_root(const h5::Reader& f) {
    if (h5::exists(f, f.root(), "layers")) return "layers";
    if (h5::exists(f, f.root(), "_layer_checkpoint_dependencies")) return "_layer_checkpoint_dependencies";
    return "";
}

}  // namespace

bool is_keras3_weights(const h5::Reader& f) {
    return !h5::has_attr(f, f.root(), "layer_names") && !layers_root(f).empty();
}

namespace {

// Reads the weights of `model`'s layers under `root` ("layers", or "<...>/layers" for a nested
// model); every array is checked before any layer is changed (the caller assigns `out`).
void read_layers(const h5::Reader& f, const std::string& root, const Model& model,
                 std::vector<std::pair<LayerPtr, std::vector<Tensor>>>& out) {
    const auto layers = model.layers();
    const auto keys = layer_keys(model);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        if (const auto* nested = dynamic_cast<const ModelLayer*>(layers[i].get())) {
            read_layers(f, root + "/" + keys[i] + "/layers", *nested->model(), out);
            continue;
        }
        auto ws = layers[i]->weights();
        if (ws.empty()) continue;
        std::vector<std::pair<std::string, std::size_t>> groups;
        var_groups(*layers[i], "", groups);
        std::vector<Tensor> values;
        std::size_t k = 0;
        for (const auto& [sub, count] : groups) {
            if (count == 0) continue;
            const std::string vars = root + "/" + keys[i] + "/" + sub;
            TFC_CHECK(h5::exists(f, f.root(), vars), "load_weights",
                      "the file has no weights for layer '" + layers[i]->name() + "'",
                      "no group '" + vars + "' in '" + f.label() + "'", "'" + vars + "/0', ...",
                      "load weights saved from the same architecture");
            const h5::Node g = h5::open_group(f, f.root(), vars);
            TFC_CHECK(!h5::exists(f, g, std::to_string(count)), "load_weights",
                      "layer '" + layers[i]->name() + "' has more weights in the file than in the model",
                      "'" + vars + "/" + std::to_string(count) + "' exists",
                      std::to_string(count) + " weights in '" + vars + "'",
                      "load weights saved from the same architecture");
            for (std::size_t j = 0; j < count; ++j, ++k) {
                const std::string name = std::to_string(j);
                const Shape shape = h5::dataset_shape(f, g, name);
                TFC_CHECK(shape == ws[k]->value.shape(), "load_weights",
                          "weight '" + vars + "/" + name + "' does not fit layer '" +
                              layers[i]->name() + "'",
                          shape_str(shape) + " in the file",
                          shape_str(ws[k]->value.shape()) + " for " + ws[k]->name,
                          "load weights saved from the same architecture");
                values.push_back(h5::read_dataset(f, g, name));
            }
        }
        TFC_ASSERT(k == ws.size());
        out.emplace_back(layers[i], std::move(values));
    }
}

void write_layers(hid_t parent, const Model& model) {
    const auto layers = model.layers();
    const auto keys = layer_keys(model);
    for (std::size_t i = 0; i < layers.size(); ++i) {
        h5::Handle g = h5::create_group(parent, keys[i]);
        if (const auto* nested = dynamic_cast<const ModelLayer*>(layers[i].get())) {
            h5::Handle inner = h5::create_group(g.get(), "layers");
            write_layers(inner.get(), *nested->model());
            h5::Handle vars = h5::create_group(g.get(), "vars");
            h5::write_string_attr(vars.get(), "name", layers[i]->name(), true);
            continue;
        }
        auto ws = layers[i]->weights();
        std::vector<std::pair<std::string, std::size_t>> groups;
        var_groups(*layers[i], "", groups);
        std::size_t k = 0;
        for (const auto& [sub, count] : groups) {
            h5::Handle vars = h5::create_groups(g.get(), sub);
            if (sub == "vars") h5::write_string_attr(vars.get(), "name", layers[i]->name(), true);
            for (std::size_t j = 0; j < count; ++j, ++k) {
                h5::write_dataset(vars.get(), std::to_string(j), ws[k]->value);
            }
        }
        TFC_ASSERT(k == ws.size());
    }
}

}  // namespace

void load_keras3_weights(const h5::Reader& f, Model& model) {
    const std::string root = layers_root(f);
    TFC_CHECK(!root.empty(), "load_weights", "the file has no 'layers' group", "'" + f.label() + "'",
              "Keras 3 weights (layers/<name>/vars/<i>)", "save with Keras 3's model.save_weights");
    TFC_CHECK(model.built(), "load_weights", "the model is not built, so its weights do not exist",
              model.name(), "a model with a known input shape",
              "give the first layer an input shape (or call build()) before loading weights");
    std::vector<std::pair<LayerPtr, std::vector<Tensor>>> values;
    read_layers(f, root, model, values);
    for (auto& [layer, v] : values) layer->set_weights(v);
}

void write_keras3_weights(const Model& model, const std::string& path, bool with_optimizer) {
    TFC_CHECK(model.built(), "save_weights", "the model has no weights yet", model.name(),
              "a built model", "call build(), fit() or predict() first, or give an input shape");
    h5::Quiet quiet;
    h5::File f = h5::create(path);
    const hid_t root = f.id.get();
    {
        h5::Handle layers_group = h5::create_group(root, "layers");
        write_layers(layers_group.get(), model);
        h5::Handle vars = h5::create_group(root, "vars");
        h5::write_string_attr(vars.get(), "name", model.name(), true);
        if (with_optimizer) write_keras3_optimizer_vars(root, model);
    }
    h5::close(f);
}

}  // namespace tfc::io
