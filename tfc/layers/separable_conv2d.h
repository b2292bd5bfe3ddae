// SeparableConv2D (keras/layers/convolutional/separable_conv2d.py of Keras 2.15): a depthwise
// convolution (strides, padding and dilation apply here, no bias) followed by a 1x1 pointwise
// convolution with the bias. Weights in Keras order: depthwise_kernel [kh, kw, C, multiplier],
// pointwise_kernel [1, 1, C * multiplier, filters], bias [filters].
//   SeparableConv2D(64, 3, {.padding = "same", .activation = "relu"})
#pragma once

#include <cstdint>
#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/activations.h"
#include "tfc/layers/layer.h"
#include "tfc/ops/conv.h"

namespace tfc {

struct SeparableConv2DOptions {
    Size2 strides = 1;
    std::string padding = "valid";              // "valid" or "same"
    std::string data_format = "channels_last";  // channels_first is not supported
    Size2 dilation_rate = 1;
    std::int64_t depth_multiplier = 1;
    std::string activation = "linear";
    bool use_bias = true;
    InitializerRef depthwise_initializer = "glorot_uniform";
    InitializerRef pointwise_initializer = "glorot_uniform";
    InitializerRef bias_initializer = "zeros";
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "separable_conv2d", "separable_conv2d_1", ...
};

class SeparableConv2D : public Layer {
public:
    SeparableConv2D(std::int64_t filters, Size2 kernel_size, SeparableConv2DOptions options = {});

    std::string class_name() const override { return "SeparableConv2D"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    std::int64_t filters() const { return filters_; }
    Size2 kernel_size() const { return kernel_size_; }
    const SeparableConv2DOptions& options() const { return options_; }
    Tensor depthwise_kernel() const;  // undefined before build
    Tensor pointwise_kernel() const;  // undefined before build
    Tensor bias() const;              // undefined before build or without use_bias

private:
    void check_input_shape(const Shape& input_shape) const;

    std::int64_t filters_;
    Size2 kernel_size_;
    SeparableConv2DOptions options_;
    ActivationFn activation_;
};

}  // namespace tfc
