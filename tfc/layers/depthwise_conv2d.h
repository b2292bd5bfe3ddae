// DepthwiseConv2D (keras/layers/convolutional/depthwise_conv2d.py of Keras 2.15): each input
// channel is convolved with its own depth_multiplier filters. depthwise_kernel
// [kh, kw, C, depth_multiplier], bias [C * depth_multiplier]; output channel c * multiplier + m.
//   DepthwiseConv2D(3, {.padding = "same", .depth_multiplier = 2})
#pragma once

#include <cstdint>
#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/activations.h"
#include "tfc/layers/layer.h"
#include "tfc/ops/conv.h"

namespace tfc {

struct DepthwiseConv2DOptions {
    Size2 strides = 1;
    std::string padding = "valid";  // "valid" or "same"
    std::int64_t depth_multiplier = 1;
    std::string data_format = "channels_last";  // channels_first is not supported
    Size2 dilation_rate = 1;
    std::string activation = "linear";
    bool use_bias = true;
    InitializerRef depthwise_initializer = "glorot_uniform";
    InitializerRef bias_initializer = "zeros";
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "depthwise_conv2d", "depthwise_conv2d_1", ...
};

class DepthwiseConv2D : public Layer {
public:
    explicit DepthwiseConv2D(Size2 kernel_size, DepthwiseConv2DOptions options = {});

    std::string class_name() const override { return "DepthwiseConv2D"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    Size2 kernel_size() const { return kernel_size_; }
    const DepthwiseConv2DOptions& options() const { return options_; }
    Tensor depthwise_kernel() const;  // undefined before build
    Tensor bias() const;              // undefined before build or without use_bias

private:
    void check_input_shape(const Shape& input_shape) const;

    Size2 kernel_size_;
    DepthwiseConv2DOptions options_;
    ActivationFn activation_;
};

}  // namespace tfc
