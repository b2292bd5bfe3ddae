// Keras legacy HDF5: model_config / training_config root attributes, and the weights group
// (`layer_names`, per-layer `weight_names`, datasets at `<layer>/<weight name>`).
#include <algorithm>

#include "tfc/core/error.h"
#include "tfc/io/formats_impl.h"
#include "tfc/io/model_config.h"
#include "tfc/training/model_layer.h"

namespace tfc::io {
namespace {

std::vector<LayerPtr> layers_with_weights(const Model& model) {
    std::vector<LayerPtr> out;
    for (const auto& l : model.layers()) {
        if (!l->weights().empty()) out.push_back(l);
    }
    return out;
}

std::string names_of(const std::vector<std::string>& v) {
    std::string s;
    for (const auto& n : v) s += (s.empty() ? "" : ", ") + n;
    return s.empty() ? "none" : s;
}

}  // namespace

void load_legacy_weights(const h5::Reader& f, h5::Node group, Model& model) {
    const auto layer_names = h5::read_string_list_attr(f, group, "layer_names");
    TFC_CHECK(layer_names.has_value(), "load_weights", "the file has no 'layer_names' attribute",
              "'" + f.label() + "'", "a Keras .h5 model or weights file",
              "save the weights with Keras's model.save_weights(\"w.h5\") or model.save(\"m.h5\")");
    TFC_CHECK(model.built(), "load_weights", "the model is not built, so its weights do not exist",
              model.name(), "a model with a known input shape",
              "give the first layer an input shape (or call build()) before loading weights");
    // Keras's load_weights: keep the file's layers that have weights and pair them by order.
    struct FileLayer {
        std::string name;
        h5::Node group;
        std::vector<std::string> weight_names;
    };
    std::vector<FileLayer> file_layers;
    std::vector<std::string> file_names;
    for (const auto& name : *layer_names) {
        const h5::Node g = h5::open_group(f, group, name);
        auto wn = h5::read_string_list_attr(f, g, "weight_names");
        TFC_CHECK(wn.has_value(), "load_weights", "layer group '" + name + "' has no weight_names",
                  "'" + f.label() + "'", "a Keras weights group",
                  "the file is damaged; re-save it");
        if (wn->empty()) continue;
        file_names.push_back(name);
        file_layers.push_back({name, g, std::move(*wn)});
    }
    const auto targets = layers_with_weights(model);
    std::vector<std::string> model_names;
    for (const auto& l : targets) model_names.push_back(l->name());
    TFC_CHECK(file_layers.size() == targets.size(), "load_weights",
              "the file and the model have different numbers of layers with weights",
              std::to_string(file_layers.size()) + " in the file (" + names_of(file_names) + ")",
              std::to_string(targets.size()) + " in the model (" + names_of(model_names) + ")",
              "load weights saved from the same architecture");
    std::vector<std::vector<Tensor>> values(targets.size());
    for (std::size_t i = 0; i < targets.size(); ++i) {
        const FileLayer& fl = file_layers[i];
        auto ws = targets[i]->weights();
        TFC_CHECK(fl.weight_names.size() == ws.size(), "load_weights",
                  "layer '" + targets[i]->name() + "' expects another number of weights",
                  std::to_string(fl.weight_names.size()) + " in file layer '" + fl.name + "'",
                  std::to_string(ws.size()), "load weights saved from the same architecture");
        for (std::size_t k = 0; k < ws.size(); ++k) {
            const Shape shape = h5::dataset_shape(f, fl.group, fl.weight_names[k]);
            TFC_CHECK(shape == ws[k]->value.shape(), "load_weights",
                      "weight '" + fl.weight_names[k] + "' does not fit layer '" +
                          targets[i]->name() + "'",
                      shape_str(shape) + " in the file",
                      shape_str(ws[k]->value.shape()) + " for " + ws[k]->name,
                      "load weights saved from the same architecture");
            values[i].push_back(h5::read_dataset(f, fl.group, fl.weight_names[k]));
        }
    }
    for (std::size_t i = 0; i < targets.size(); ++i) targets[i]->set_weights(values[i]);
}

void write_legacy_weights(hid_t group, const Model& model) {
    const auto layers = model.layers();
    std::vector<std::string> names;
    for (const auto& l : layers) names.push_back(l->name());
    h5::write_string_list_attr(group, "layer_names", names);
    h5::write_string_attr(group, "backend", "tensorflow", false);
    h5::write_string_attr(group, "keras_version", kLegacyKerasVersion, false);
    std::vector<LayerPtr> sorted = layers;
    std::sort(sorted.begin(), sorted.end(),
              [](const LayerPtr& a, const LayerPtr& b) { return a->name() < b->name(); });
    for (std::size_t i = 1; i < sorted.size(); ++i) {
        TFC_CHECK(sorted[i]->name() != sorted[i - 1]->name(), "save_model",
                  "two layers share a name", "'" + sorted[i]->name() + "'", "unique layer names",
                  "give each layer its own name before saving");
    }
    for (const auto& l : sorted) {
        h5::Handle g = h5::create_group(group, l->name());
        std::vector<std::string> weight_names;
        // A nested model's weights keep their inner names ("conv2d/kernel:0"), as Keras's
        // variable names do.
        const bool nested = dynamic_cast<const ModelLayer*>(l.get()) != nullptr;
        for (auto* w : l->weights())
            weight_names.push_back((nested ? "" : l->name() + "/") + w->name + ":0");
        h5::write_string_list_attr(g.get(), "weight_names", weight_names);
        auto ws = l->weights();
        for (std::size_t k = 0; k < ws.size(); ++k) {
            const std::string& full = weight_names[k];
            const std::size_t slash = full.rfind('/');
            h5::Handle parent = h5::create_groups(g.get(), full.substr(0, slash));
            h5::write_dataset(parent.get(), full.substr(slash + 1), ws[k]->value);
        }
    }
    h5::Handle top = h5::create_group(group, "top_level_model_weights");
    h5::write_string_list_attr(top.get(), "weight_names", {});
}

std::shared_ptr<Model> read_legacy_model(const h5::Reader& f, const LoadOptions& options) {
    const h5::Node root = f.root();
    const auto config = h5::read_string_attr(f, root, "model_config");
    if (!config) {
        TFC_CHECK(!h5::has_attr(f, root, "layer_names"), "load_model",
                  "this is a weights-only file (no model_config)", "'" + f.label() + "'",
                  "a full model saved with model.save(\"m.h5\")",
                  "build the architecture (e.g. tfc::model_from_json on its model.to_json()) and "
                  "call tfc::load_weights(model, path)");
        fail("load_model", "the file has no model_config attribute", "'" + f.label() + "'",
             "a Keras .h5 model file", "save the model with Keras's model.save(\"m.h5\")");
    }
    // Keras 2.0 files may lack keras_version; Keras 3 writes "3.x" here too.
    auto model =
        model_from_config(*config, h5::read_string_attr(f, root, "keras_version").value_or("2"));
    load_legacy_weights(f, h5::open_group(f, root, "model_weights"), *model);
    if (options.compile) {
        if (auto tc = h5::read_string_attr(f, root, "training_config")) {
            compile_from_config(*model, *tc, false);
            read_legacy_optimizer_weights(f, *model);
        }
    }
    return model;
}

void write_legacy_model(const Model& model, const std::string& path) {
    TFC_CHECK(model.built(), "save_model", "the model has no weights yet", model.name(),
              "a built model", "call build(), fit() or predict() first, or give an input shape");
    const std::string config = model_to_config(model, ConfigStyle::legacy_h5);
    const std::string training = training_config_of(model, ConfigStyle::legacy_h5);
    write_atomically(path, [&](const std::string& tmp) {
        h5::Quiet quiet;
        h5::File f = h5::create(tmp);
        const hid_t root = f.id.get();
        h5::write_string_attr(root, "backend", "tensorflow", true);
        h5::write_string_attr(root, "keras_version", kLegacyKerasVersion, true);
        h5::write_string_attr(root, "model_config", config, false);
        if (!training.empty()) h5::write_string_attr(root, "training_config", training, false);
        {
            h5::Handle g = h5::create_group(root, "model_weights");
            write_legacy_weights(g.get(), model);
        }
        write_legacy_optimizer_weights(root, model);
        h5::close(f);
    });
}

}  // namespace tfc::io
