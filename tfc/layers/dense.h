// Dense (keras/layers/core/dense.py of Keras 2.15): y = activation(x . kernel + bias), with
// kernel [in, units] and bias [units]. Input of rank > 2 contracts only the last axis.
//   Dense(128, {.activation = "relu"})
#pragma once

#include <cstdint>
#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/activations.h"
#include "tfc/layers/layer.h"

namespace tfc {

struct DenseOptions {
    std::string activation = "linear";
    bool use_bias = true;
    InitializerRef kernel_initializer = "glorot_uniform";
    InitializerRef bias_initializer = "zeros";
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "dense", "dense_1", ...
};

class Dense : public Layer {
public:
    explicit Dense(std::int64_t units, DenseOptions options = {});

    std::string class_name() const override { return "Dense"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    std::int64_t units() const { return units_; }
    const DenseOptions& options() const { return options_; }
    // The current weights (undefined before build; bias undefined when use_bias is false).
    Tensor kernel() const;
    Tensor bias() const;

private:
    void check_input_shape(const Shape& input_shape) const;

    std::int64_t units_;
    DenseOptions options_;
    ActivationFn activation_;
};

}  // namespace tfc
