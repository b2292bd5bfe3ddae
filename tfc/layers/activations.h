// Keras activations by name (keras/activations.py of Keras 2.15): "linear" (None), "relu",
// "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign", "gelu", "swish"
// ("silu"), "mish", "leaky_relu", "hard_sigmoid", "exponential". "sigmoid" and "softmax"
// attach their logits to the output (Keras's logits shortcut for cross-entropy losses).
// "hard_sigmoid" is Keras 2's clip(0.2x + 0.5, 0, 1); Keras 3's function of that name,
// relu6(x + 3) / 6, is "hard_sigmoid_keras3" (what Keras 3 files load as).
#pragma once

#include <functional>
#include <string>

#include "tfc/core/tensor.h"

namespace tfc {

using ActivationFn = std::function<Tensor(const Tensor&)>;

ActivationFn get_activation(const std::string& name);
bool is_known_activation(const std::string& name);

}  // namespace tfc
