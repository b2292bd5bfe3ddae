// The Keras layer registry: Keras class name -> (from_config, to_config). Loading a model file
// builds each layer through it; saving writes each layer's config through it.
//
// Adding a layer type is one line in its family's register function, e.g. in
// tfc/io/core_layers_config.cpp:
//     r.add({"Dense", dense_from_config, dense_to_config});
// A new family (conv, rnn, ...) gets a file tfc/io/<family>_layers_config.cpp with
// `void register_<family>_layers(LayerRegistry&)` and one line in builtin_layers.cpp.
// (Registration is explicit, not by static initialisers, so the static library keeps it.)
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "tfc/io/layer_config.h"
#include "tfc/layers/layer.h"

namespace tfc::io {

using LayerFromConfig = std::function<LayerPtr(const LayerConfig&)>;
using LayerToConfig = std::function<void(const Layer&, ConfigWriter&)>;

struct LayerCodec {
    std::string class_name;  // Keras class name, e.g. "Dense"
    LayerFromConfig from_config;
    LayerToConfig to_config;  // writes the layer-specific keys (not name/trainable/dtype)
};

class LayerRegistry {
public:
    // The process-wide registry, holding every built-in layer.
    static LayerRegistry& instance();

    void add(LayerCodec codec);  // replaces an existing entry of the same class name
    const LayerCodec* find(const std::string& class_name) const;
    std::vector<std::string> class_names() const;  // sorted

private:
    std::map<std::string, LayerCodec> codecs_;
};

// Builds a layer from its Keras config; sets name and trainable. Refuses Lambda-type layers
// and unknown class names with errors that name the layer and the alternatives.
LayerPtr layer_from_config(const std::string& class_name, const LayerConfig& config);
// The Keras class names that carry Python code (Lambda, TFOpLambda, ...).
bool is_code_layer(const std::string& class_name);
// Throws the documented refusal for a Lambda-type layer named `layer_name`.
[[noreturn]] void refuse_code_layer(const std::string& class_name, const std::string& layer_name);

}  // namespace tfc::io
