// Activation (keras/layers/core/activation.py of Keras 2.15): applies a named activation.
//   Activation("relu")
#pragma once

#include <string>

#include "tfc/layers/activations.h"
#include "tfc/layers/layer.h"

namespace tfc {

struct ActivationOptions {
    Shape input_shape{};
    std::string name{};  // default "activation", "activation_1", ...
};

class Activation : public Layer {
public:
    explicit Activation(const std::string& activation, ActivationOptions options = {});

    std::string class_name() const override { return "Activation"; }
    Tensor call(const Tensor& inputs, bool training) override;

    const std::string& activation() const { return activation_name_; }

private:
    std::string activation_name_;
    ActivationFn activation_;
};

}  // namespace tfc
