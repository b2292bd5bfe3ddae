// The list of layer families known to the registry: one line per family.
#include "tfc/io/layer_registry.h"

namespace tfc::io {

void register_core_layers(LayerRegistry& r);     // core_layers_config.cpp
void register_conv_layers(LayerRegistry& r);     // conv_layers_config.cpp
void register_pooling_layers(LayerRegistry& r);  // pooling_layers_config.cpp
void register_rnn_layers(LayerRegistry& r);      // rnn_layers_config.cpp
void register_merge_layers(LayerRegistry& r);    // merge_layers_config.cpp

void register_builtin_layers(LayerRegistry& r) {
    register_core_layers(r);
    register_conv_layers(r);
    register_pooling_layers(r);
    register_rnn_layers(r);
    register_merge_layers(r);
}

}  // namespace tfc::io
