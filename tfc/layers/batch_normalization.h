// BatchNormalization (keras/layers/normalization/batch_normalization.py of Keras 2.15).
//   training=true : normalises by the batch mean and biased variance over every axis but
//                   `axis`, then moving = moving - (moving - batch) * (1 - momentum);
//   training=false: normalises by moving_mean / moving_variance.
// A layer with trainable=false always runs in inference mode, even when called with
// training=true (TF >= 2.0 behaviour, what fine-tuning relies on).
// Weights, in order: gamma (scale), beta (center) trainable; moving_mean, moving_variance
// non-trainable; all [C]. Masks pass through; masked batch statistics are not supported yet.
//   BatchNormalization({.momentum = 0.9, .epsilon = 1e-5})
#pragma once

#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/layer.h"

namespace tfc {

struct BatchNormalizationOptions {
    int axis = -1;
    double momentum = 0.99;
    double epsilon = 1e-3;
    bool center = true;
    bool scale = true;
    InitializerRef beta_initializer = "zeros";
    InitializerRef gamma_initializer = "ones";
    InitializerRef moving_mean_initializer = "zeros";
    InitializerRef moving_variance_initializer = "ones";
    Shape input_shape{};
    std::string name{};  // default "batch_normalization", ...
};

class BatchNormalization : public Layer {
public:
    explicit BatchNormalization(BatchNormalizationOptions options = {});

    std::string class_name() const override { return "BatchNormalization"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    bool supports_masking() const override { return true; }
    const BatchNormalizationOptions& options() const { return options_; }

    // Current weights (undefined before build, or when scale/center is off).
    Tensor gamma() const;
    Tensor beta() const;
    Tensor moving_mean() const;
    Tensor moving_variance() const;

private:
    const Weight* find(const char* name) const;
    BatchNormalizationOptions options_;
    int axis_ = -1;  // normalised against the built rank
};

}  // namespace tfc
