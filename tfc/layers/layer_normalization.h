// LayerNormalization (keras/layers/normalization/layer_normalization.py of Keras 2.15):
// normalises each sample over `axis` with the biased variance,
// y = (x - mean) / sqrt(var + epsilon) * gamma + beta. Same in training and inference.
// Weights, in order: gamma (scale), beta (center), shape [C]. Masks pass through.
//   LayerNormalization({.epsilon = 1e-6})
#pragma once

#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/layer.h"

namespace tfc {

struct LayerNormalizationOptions {
    int axis = -1;
    double epsilon = 1e-3;
    bool center = true;
    bool scale = true;
    InitializerRef beta_initializer = "zeros";
    InitializerRef gamma_initializer = "ones";
    Shape input_shape{};
    std::string name{};  // default "layer_normalization", ...
};

class LayerNormalization : public Layer {
public:
    explicit LayerNormalization(LayerNormalizationOptions options = {});

    std::string class_name() const override { return "LayerNormalization"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    bool supports_masking() const override { return true; }
    const LayerNormalizationOptions& options() const { return options_; }

    Tensor gamma() const;  // undefined when scale is off (or before build)
    Tensor beta() const;   // undefined when center is off

private:
    LayerNormalizationOptions options_;
    int axis_ = -1;
    std::int64_t features_ = 0;
};

}  // namespace tfc
