// Internal to tfc/io: functional model configs (functional_config.cpp) and the layer entries
// they share with Sequential configs (model_config.cpp).
#pragma once

#include <memory>
#include <vector>

#include "tfc/io/json_impl.h"
#include "tfc/io/model_config.h"
#include "tfc/training/functional.h"

namespace tfc::io {

// Rebuilds a "Functional" / "Model" config's graph from `layers` (the config's layer list) and
// `built` (one layer per entry, created from its config, unbuilt).
std::shared_ptr<Functional> functional_from_config(const json& model, const json& layers,
                                                   const std::vector<LayerPtr>& built);
json functional_to_config(const Functional& model, ConfigStyle style);

// One layer's {"class_name", "config"} entry (Keras 3 style adds module keys and build_config).
json layer_entry(const Layer& layer, ConfigStyle style, const Shape& batch_input_shape);

}  // namespace tfc::io
