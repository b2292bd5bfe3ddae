// Keras activations by name (keras/activations.py of Keras 2.15): "linear" (None), "relu",
// "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign", "gelu", "swish"
// ("silu"), "mish", "leaky_relu", "hard_sigmoid", "exponential". "sigmoid" and "softmax"
// attach their logits to the output (Keras's logits shortcut for cross-entropy losses).
#pragma once

#include <functional>
#include <string>

#include "tfc/core/tensor.h"

namespace tfc {

using ActivationFn = std::function<Tensor(const Tensor&)>;

ActivationFn get_activation(const std::string& name);
bool is_known_activation(const std::string& name);

}  // namespace tfc
