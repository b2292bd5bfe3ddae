#include <cctype>
#include <functional>

#include "tfc/core/error.h"
#include "tfc/io/activation_names_impl.h"

namespace tfc::io {
namespace {

constexpr const char* kKeras2HardSigmoid = "hard_sigmoid";
constexpr const char* kKeras3HardSigmoid = "hard_sigmoid_keras3";

bool is_activation_key(const std::string& key) {
    return key == "activation" || key == "recurrent_activation";
}

// Calls `visit(name_slot, layer_name)` for every activation name in the tree: a string value of
// an activation key, or the "config" string of Keras 3's {"class_name": "function", ...} form.
void for_each_activation(json& v, const std::string& layer, int depth,
                         const std::function<void(json&, const std::string&)>& visit) {
    if (depth > 256) return;  // parse_json bounds nesting well below this
    if (v.is_array()) {
        for (json& x : v) for_each_activation(x, layer, depth + 1, visit);
        return;
    }
    if (!v.is_object()) return;
    const std::string name =
        v.contains("name") && v["name"].is_string() ? v["name"].get<std::string>() : layer;
    for (auto& [key, x] : v.items()) {
        if (is_activation_key(key)) {
            if (x.is_string()) {
                visit(x, name);
            } else if (x.is_object() && x.contains("config") && x["config"].is_string()) {
                visit(x["config"], name);
            }
            continue;
        }
        for_each_activation(x, name, depth + 1, visit);
    }
}

}  // namespace

int keras_major_version(const std::string& keras_version) {
    int major = 0;
    std::size_t i = 0;
    while (i < keras_version.size() && i < 4 &&
           std::isdigit(static_cast<unsigned char>(keras_version[i]))) {
        major = major * 10 + (keras_version[i] - '0');
        ++i;
    }
    return i == 0 ? 2 : major;
}

void activations_from_file(json& model_config, int keras_major) {
    for_each_activation(model_config, "", 0, [&](json& slot, const std::string& layer) {
        const std::string a = slot.get<std::string>();
        TFC_CHECK(a != kKeras3HardSigmoid, "load_model",
                  "layer '" + layer + "' names an activation no Keras version has", "\"" + a + "\"",
                  "a Keras activation name (hard_sigmoid, relu, ...)",
                  "write \"hard_sigmoid\"; the file's keras_version decides which one it means");
        if (keras_major >= 3 && a == kKeras2HardSigmoid) slot = kKeras3HardSigmoid;
    });
}

void activations_to_file(json& model_config, ConfigStyle style) {
    const bool keras3 = style == ConfigStyle::keras3;
    for_each_activation(model_config, "", 0, [&](json& slot, const std::string& layer) {
        const std::string a = slot.get<std::string>();
        if (keras3 && a == kKeras2HardSigmoid) {
            fail("save_model",
                 "layer '" + layer + "' uses Keras 2's hard_sigmoid, which Keras 3 does not have",
                 "activation \"hard_sigmoid\" = clip(0.2x + 0.5, 0, 1) for a .keras file",
                 "activations Keras 3 computes the same way",
                 "save as .h5 (a Keras 2 file), or use \"hard_sigmoid_keras3\" (Keras 3's "
                 "relu6(x + 3) / 6) if that is the function meant");
        }
        if (!keras3 && a == kKeras3HardSigmoid) {
            fail("save_model",
                 "layer '" + layer + "' uses Keras 3's hard_sigmoid, which Keras 2 does not have",
                 "activation \"hard_sigmoid_keras3\" = relu6(x + 3) / 6 for a Keras 2 file",
                 "activations Keras 2 computes the same way", "save as .keras (a Keras 3 file)");
        }
        if (keras3 && a == kKeras3HardSigmoid) slot = kKeras2HardSigmoid;
    });
}

}  // namespace tfc::io
