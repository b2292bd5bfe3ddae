// Model configs in Keras's JSON: Sequential and Functional ("Model" in Keras <= 2.3) from the
// config variants of Keras 2.0 (list form), 2.2, tf.keras 2.x (module / registered_name keys)
// and Keras 3 (batch_shape, DTypePolicy, args/kwargs call nodes). Also the training config
// (optimizer, loss, metrics) -> compile, and the writers for both.
#pragma once

#include <memory>
#include <string>

#include "tfc/training/model.h"
#include "tfc/training/sequential.h"

namespace tfc::io {

// Refuses Lambda-type layers anywhere in the config (nested models too), naming the layer.
void check_no_code_layers(const std::string& model_config_json);
// Builds the model (unbuilt layers get built when the input shape is known).
// A Sequential config gives a tfc::Sequential, a functional one a tfc::Functional.
// `keras_version` is the version that wrote the config (the file's keras_version; "" = the
// config's own top-level "keras_version" key, else Keras 2): it decides what "hard_sigmoid" means
// (activation_names_impl.h).
std::shared_ptr<Model> model_from_config(const std::string& model_config_json,
                                         const std::string& keras_version = "");

enum class ConfigStyle {
    legacy_h5,  // {"class_name", "config"} as the .h5 writer of Keras 2.15 writes it
    keras3,     // {"module", "class_name", "config", "registered_name", "build_config"}
};
// The model's config JSON (Sequential or Functional models).
std::string model_to_config(const Model& model, ConfigStyle style);

// Compiles `model` from a legacy `training_config` (keras3 = false) or a Keras 3
// `compile_config` (keras3 = true). Throws when the optimizer, loss or a setting is not
// supported; the fix names `LoadOptions::compile = false`.
void compile_from_config(Model& model, const std::string& training_config_json, bool keras3);
// The training config of a compiled model ("" when not compiled).
std::string training_config_of(const Model& model, ConfigStyle style);

}  // namespace tfc::io
