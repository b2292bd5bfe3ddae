// Internal to tfc/io: activation names across Keras versions.
//
// Keras 3 kept the name "hard_sigmoid" for a different function: Keras 2's is
// clip(0.2 x + 0.5, 0, 1) (keras/backend.py), Keras 3's is relu6(x + 3) / 6 (keras/src/ops/nn.py).
// tfc follows Keras 2, so "hard_sigmoid" is Keras 2's, and Keras 3's function is
// "hard_sigmoid_keras3" inside tfc; that name never appears in a file. Reading a config written
// by Keras >= 3 renames its "hard_sigmoid"; writing renames back for the Keras 3 formats, and a
// function the target version does not have is refused with the format that can hold it.
#pragma once

#include <string>

#include "tfc/io/json_impl.h"
#include "tfc/io/model_config.h"

namespace tfc::io {

// The major version in a keras_version string ("3.14.0" -> 3). "", TF.js's "tfjs-layers x.y"
// and anything else without a leading number count as Keras 2 (TF.js implements Keras 2's
// activations).
int keras_major_version(const std::string& keras_version);

// Renames Keras 3's "hard_sigmoid" (keras_major >= 3) in every layer config of `model_config`,
// nested ones included; refuses tfc's internal names, which no Keras version writes.
void activations_from_file(json& model_config, int keras_major);

// Renames / refuses for a file written in `style` (legacy_h5: Keras 2.15; keras3: Keras 3).
void activations_to_file(json& model_config, ConfigStyle style);

}  // namespace tfc::io
