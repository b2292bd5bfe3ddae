// Conv2D (keras/layers/convolutional/conv2d.py + base_conv.py of Keras 2.15):
// y = activation(conv2d(x, kernel) + bias) on channels_last data [N, H, W, C], with kernel
// [kh, kw, C / groups, filters] and bias [filters].
//   Conv2D(32, {3, 3}, {.activation = "relu", .input_shape = {28, 28, 1}})
//   Conv2D(64, 3, {.strides = 2, .padding = "same"})
#pragma once

#include <cstdint>
#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/activations.h"
#include "tfc/layers/layer.h"
#include "tfc/ops/conv.h"

namespace tfc {

struct Conv2DOptions {
    Size2 strides = 1;
    std::string padding = "valid";              // "valid" or "same"
    std::string data_format = "channels_last";  // channels_first is not supported
    Size2 dilation_rate = 1;
    std::int64_t groups = 1;
    std::string activation = "linear";
    bool use_bias = true;
    InitializerRef kernel_initializer = "glorot_uniform";
    InitializerRef bias_initializer = "zeros";
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "conv2d", "conv2d_1", ...
};

class Conv2D : public Layer {
public:
    Conv2D(std::int64_t filters, Size2 kernel_size, Conv2DOptions options = {});

    std::string class_name() const override { return "Conv2D"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    std::int64_t filters() const { return filters_; }
    Size2 kernel_size() const { return kernel_size_; }
    const Conv2DOptions& options() const { return options_; }
    Tensor kernel() const;  // undefined before build
    Tensor bias() const;    // undefined before build or without use_bias

private:
    void check_input_shape(const Shape& input_shape) const;

    std::int64_t filters_;
    Size2 kernel_size_;
    Conv2DOptions options_;
    ActivationFn activation_;
};

// Checks shared by the 2-D convolution layers (Conv2D, DepthwiseConv2D, SeparableConv2D), with
// Keras's rules (keras/layers/convolutional/base_conv.py). They throw the standard error naming
// `layer`. validate_conv2d_args lower-cases `padding` in place.
namespace conv_detail {
void validate_conv2d_args(const std::string& layer, Size2 kernel_size, Size2 strides,
                          Size2 dilation_rate, std::string& padding,
                          const std::string& data_format);
// Rejects inputs whose spatial output would be empty (kernel larger than the input).
void check_conv2d_output(const std::string& layer, const Shape& input_shape, Size2 kernel_size,
                         Size2 strides, Size2 dilation_rate, const std::string& padding);
// [N, oh, ow, channels] with conv_output_length per axis.
Shape conv2d_output_shape(const Shape& input_shape, Size2 kernel_size, Size2 strides,
                          Size2 dilation_rate, const std::string& padding, std::int64_t channels);
}  // namespace conv_detail

}  // namespace tfc
