// Internal to tfc/applications: resolving and loading the `weights` argument.
#pragma once

#include <string>

#include "tfc/training/model.h"

namespace tfc::applications::detail {

// Loads `weights` ("" does nothing; "imagenet" uses `keras_file_name` from the Keras cache).
void load_application_weights(Model& model, const std::string& weights,
                              const std::string& keras_file_name, const std::string& where);

// The per-sample input shape: the given one (checked: rank 3, 3 channels, rows/cols >= min) or
// (default_size, default_size, 3).
Shape application_input_shape(const Shape& given, std::int64_t default_size, std::int64_t min_size,
                              const std::string& where);

// Checks include_top/pooling/classes/weights the way Keras's applications do.
void check_top_options(bool include_top, const std::string& pooling, std::int64_t classes,
                       const std::string& weights, const std::string& where);

}  // namespace tfc::applications::detail
