#include "tfc/layers/separable_conv2d.h"

#include "tfc/core/error.h"
#include "tfc/layers/conv2d.h"
#include "tfc/ops/ops.h"

namespace tfc {

SeparableConv2D::SeparableConv2D(std::int64_t filters, Size2 kernel_size,
                                 SeparableConv2DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("separable_conv2d") : options.name),
      filters_(filters),
      kernel_size_(kernel_size),
      options_(std::move(options)),
      activation_(get_activation(options_.activation)) {
    TFC_CHECK(filters_ > 0, name_, "filters must be a positive integer", std::to_string(filters_),
              "filters > 0", "pass the number of output channels, e.g. SeparableConv2D(32, 3)");
    TFC_CHECK(options_.depth_multiplier > 0, name_, "depth_multiplier must be positive",
              std::to_string(options_.depth_multiplier), "depth_multiplier >= 1",
              "pass e.g. .depth_multiplier = 1");
    conv_detail::validate_conv2d_args(name_, kernel_size_, options_.strides, options_.dilation_rate,
                                      options_.padding, options_.data_format);
    set_declared_input_shape(options_.input_shape);
}

void SeparableConv2D::check_input_shape(const Shape& input_shape) const {
    check_input_rank(input_shape, 4);
    const std::int64_t channels = input_shape[3];
    TFC_CHECK(channels > 0, name_, "the channel dimension of the input must be defined",
              shape_str(input_shape), "a known positive last dimension",
              "give the model an input_shape whose channel axis is fixed");
    if (built_) {
        TFC_CHECK(channels == depthwise_kernel().dim(2), name_,
                  "input channels differ from the ones the layer was built with",
                  shape_str(input_shape), std::to_string(depthwise_kernel().dim(2)) + " channels",
                  "feed inputs shaped like the ones the layer was built with");
    }
    conv_detail::check_conv2d_output(name_, input_shape, kernel_size_, options_.strides,
                                     options_.dilation_rate, options_.padding);
}

void SeparableConv2D::build(const Shape& input_shape) {
    check_input_shape(input_shape);
    const std::int64_t in = input_shape[3], dm = options_.depth_multiplier;
    weights_.clear();
    add_weight("depthwise_kernel", {kernel_size_.h, kernel_size_.w, in, dm},
               *options_.depthwise_initializer);
    add_weight("pointwise_kernel", {1, 1, in * dm, filters_}, *options_.pointwise_initializer);
    if (options_.use_bias) add_weight("bias", {filters_}, *options_.bias_initializer);
    Layer::build(input_shape);
}

Tensor SeparableConv2D::depthwise_kernel() const {
    return weights_.empty() ? Tensor() : weights_[0].value;
}

Tensor SeparableConv2D::pointwise_kernel() const {
    return weights_.size() < 2 ? Tensor() : weights_[1].value;
}

Tensor SeparableConv2D::bias() const {
    return options_.use_bias && weights_.size() > 2 ? weights_[2].value : Tensor();
}

Tensor SeparableConv2D::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt SeparableConv2D", "a built layer",
              "call the layer as layer(x), which builds it, or call build(shape) first");
    Shape s = inputs.shape();
    if (!s.empty()) s[0] = -1;
    check_input_shape(s);
    Tensor dk = depthwise_kernel();
    Tensor x = inputs.dtype() == dk.dtype() ? inputs : ops::cast(inputs, dk.dtype());
    // tf.nn.separable_conv2d: depthwise with the layer's strides/padding/dilation, then 1x1.
    Tensor depthwise = ops::depthwise_conv2d(x, dk, Tensor(), options_.strides, options_.padding,
                                             options_.dilation_rate);
    return activation_(ops::conv2d(depthwise, pointwise_kernel(), bias()));
}

Shape SeparableConv2D::compute_output_shape(const Shape& input_shape) const {
    check_input_shape(input_shape);
    return conv_detail::conv2d_output_shape(input_shape, kernel_size_, options_.strides,
                                            options_.dilation_rate, options_.padding, filters_);
}

}  // namespace tfc
