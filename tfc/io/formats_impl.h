// Internal to tfc/io: the readers and writers behind model_io.h.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "tfc/io/hdf5_impl.h"
#include "tfc/io/hdf5_reader.h"
#include "tfc/io/model_io.h"

namespace tfc::io {

// The Keras versions whose file layout the writers reproduce (written into the files).
inline constexpr const char* kLegacyKerasVersion = "2.15.0";
inline constexpr const char* kKeras3Version = "3.14.0";

// Writes through a temporary file in the target's folder, then renames it into place.
void write_atomically(const std::string& path, const std::function<void(const std::string&)>& write);

// legacy_h5.cpp: `group` is /model_weights (full model) or / (weights-only file).
void load_legacy_weights(const h5::Reader& f, h5::Node group, Model& model);
void write_legacy_weights(hid_t group, const Model& model);
std::shared_ptr<Model> read_legacy_model(const h5::Reader& f, const LoadOptions& options);
void write_legacy_model(const Model& model, const std::string& path);

// keras3_weights.cpp: the `layers/<snake_case_class>[_k]/vars/<i>` layout.
bool is_keras3_weights(const h5::Reader& f);
void load_keras3_weights(const h5::Reader& f, Model& model);
// with_optimizer: also `optimizer/vars` (what .keras files hold).
void write_keras3_weights(const Model& model, const std::string& path, bool with_optimizer = false);

// optimizer_state.cpp: the optimizer's step count and slots (legacy `optimizer_weights`, Keras 3
// `optimizer/vars`). Reading needs a compiled model and skips, with a warning, a state that
// does not fit it.
void read_legacy_optimizer_weights(const h5::Reader& f, Model& model);
void write_legacy_optimizer_weights(hid_t root, const Model& model);
void read_keras3_optimizer_vars(const h5::Reader& f, Model& model);
void write_keras3_optimizer_vars(hid_t root, const Model& model);

// keras_zip.cpp
struct ZipEntries {
    std::string config, metadata, weights;  // weights: the model.weights.h5 bytes
};
ZipEntries read_keras_zip(const std::string& path, bool with_weights);
void write_keras_zip(const Model& model, const std::string& path);

// tfjs_model.cpp: what a TF.js model.json says about itself (the shards are not read).
struct TfjsModelJson {
    std::string model_config;  // the Keras-style {"class_name", "config"} of modelTopology
    std::string version;       // modelTopology.keras_version ("tfjs-layers 4.22.0") or generatedBy
    std::string backend;
    bool has_training_config = false;  // TF.js's trainingConfig or the converter's training_config
};
TfjsModelJson read_tfjs_model_json(const std::string& path);

}  // namespace tfc::io
