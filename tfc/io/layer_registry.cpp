#include "tfc/io/layer_registry.h"

#include "tfc/core/error.h"

namespace tfc::io {

void register_builtin_layers(LayerRegistry& r);  // builtin_layers.cpp

LayerRegistry& LayerRegistry::instance() {
    static LayerRegistry* registry = [] {
        auto* r = new LayerRegistry();
        register_builtin_layers(*r);
        return r;
    }();
    return *registry;
}

void LayerRegistry::add(LayerCodec codec) {
    TFC_ASSERT(!codec.class_name.empty() && codec.from_config && codec.to_config);
    codecs_[codec.class_name] = std::move(codec);
}

const LayerCodec* LayerRegistry::find(const std::string& class_name) const {
    auto it = codecs_.find(class_name);
    return it == codecs_.end() ? nullptr : &it->second;
}

std::vector<std::string> LayerRegistry::class_names() const {
    std::vector<std::string> out;
    for (const auto& [name, codec] : codecs_) out.push_back(name);
    return out;
}

bool is_code_layer(const std::string& class_name) {
    return class_name == "Lambda" || class_name == "TFOpLambda" ||
           class_name == "SlicingOpLambda" || class_name == "__lambda__";
}

void refuse_code_layer(const std::string& class_name, const std::string& layer_name) {
    fail("load_model", class_name + " layer '" + layer_name +
         "' holds Python code, which a model file must not run", class_name,
         "layers described by data only",
         "replace it with a built-in layer (Rescaling for x*scale+offset, Reshape for shape "
         "changes, Activation for a named function) or register a C++ layer under a new class "
         "name with tfc::io::LayerRegistry, then re-save the model");
}

LayerPtr layer_from_config(const std::string& class_name, const LayerConfig& config) {
    if (is_code_layer(class_name)) refuse_code_layer(class_name, config.name());
    const LayerRegistry& r = LayerRegistry::instance();
    const LayerCodec* codec = r.find(class_name);
    if (codec == nullptr) {
        std::string list;
        for (const auto& n : r.class_names()) list += (list.empty() ? "" : ", ") + n;
        fail("load_model", "unsupported layer type '" + class_name + "' (layer '" +
             config.name() + "')", class_name, "one of: " + list,
             "rebuild the model with supported layers, or add the layer type to "
             "tfc::io::LayerRegistry");
    }
    config.check_dtype();
    LayerPtr layer = codec->from_config(config);
    TFC_ASSERT(layer != nullptr);
    if (!config.name().empty()) layer->set_name(config.name());
    if (!config.trainable()) layer->set_trainable(false);
    return layer;
}

}  // namespace tfc::io
