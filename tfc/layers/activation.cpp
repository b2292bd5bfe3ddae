#include "tfc/layers/activation.h"

namespace tfc {

Activation::Activation(const std::string& activation, ActivationOptions options)
    : Layer(options.name.empty() ? unique_layer_name("activation") : options.name),
      activation_name_(activation),
      activation_(get_activation(activation)) {
    set_declared_input_shape(options.input_shape);
}

Tensor Activation::call(const Tensor& inputs, bool /*training*/) { return activation_(inputs); }

}  // namespace tfc
