// Model files in Keras's own formats (see docs/model_files.md):
//   - legacy HDF5 `.h5` / `.hdf5` (model.save("m.h5") of Keras 2.x, tf.keras, Keras 3 legacy);
//   - Keras 3 `.keras` zip (config.json, metadata.json, model.weights.h5);
//   - weights-only files: legacy `.h5` (save_weights) and Keras 3 `.weights.h5`;
//   - TF.js layers models, `model.json` + binary weight shards (read only).
// Every file is treated as hostile data: no code runs (Lambda layers are refused), sizes are
// checked against the file before allocating, links and external storage are refused.
//   auto model = tfc::load_model("model.h5");
//   tfc::save_model(*model, "copy.keras");
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "tfc/training/model.h"
#include "tfc/training/sequential.h"

namespace tfc {

struct LoadOptions {
    // Compile from the file's training config (optimizer, loss, metrics) when it has one.
    bool compile = true;
};

// Format from the extension: ".keras" -> zip; ".h5"/".hdf5"/".keras.h5" -> legacy HDF5;
// ".json" -> TF.js layers model (model.json + shards).
// A Sequential file gives a tfc::Sequential, a functional one a tfc::Functional (cast with
// std::dynamic_pointer_cast to use their own methods).
std::shared_ptr<Model> load_model(const std::string& path, const LoadOptions& options = {});
// A TF.js layers model: `model.json` and the binary weight shards its weightsManifest names
// (read only; load_model sends ".json" paths here). The topology is a Keras config; weights
// are matched by name ("dense_Dense1/kernel"). TF.js's own trainingConfig is not compiled
// (its optimizers follow TF.js's update rules); the converter's Keras training_config is.
std::shared_ptr<Model> load_tfjs_model(const std::string& model_json_path,
                                       const LoadOptions& options = {});
// Writes atomically (temporary file in the same folder, then rename). Sequential and
// functional models (subclassed models have no Keras config: use save_weights).
void save_model(const Model& model, const std::string& path);

// Weights only. Reading detects the layout: legacy (`layer_names` attribute; matched by order
// of the layers that have weights, as Keras's load_weights) or Keras 3 (`layers/<name>/vars/<i>`).
// Writing: a path ending in ".weights.h5" gets the Keras 3 layout, any other ".h5" the legacy one.
void load_weights(Model& model, const std::string& path);
void save_weights(const Model& model, const std::string& path);

// A model from Keras's architecture JSON (model.to_json()), and back.
std::shared_ptr<Model> model_from_json(const std::string& json_text);
std::string model_to_json(const Model& model);

// What a model file holds, without building the model (for `tfcert model info`).
struct ModelFileInfo {
    std::string path;
    std::string format;  // "keras-h5", "keras-h5-weights", "keras3-weights-h5", "keras-zip",
                         // "tfjs-layers" (file_size: model.json alone)
    std::uint64_t file_size = 0;
    std::string keras_version;  // "" when the file does not record it
    std::string backend;
    std::string model_class;                 // "Sequential", "Functional", ... ("" for weights)
    std::vector<std::string> layer_classes;  // in config order ("" entries never)
    bool has_training_config = false;
};
ModelFileInfo inspect_model_file(const std::string& path);

}  // namespace tfc
