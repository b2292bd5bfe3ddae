#include "tfc/layers/depthwise_conv2d.h"

#include "tfc/core/error.h"
#include "tfc/layers/conv2d.h"
#include "tfc/ops/ops.h"

namespace tfc {

DepthwiseConv2D::DepthwiseConv2D(Size2 kernel_size, DepthwiseConv2DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("depthwise_conv2d") : options.name),
      kernel_size_(kernel_size),
      options_(std::move(options)),
      activation_(get_activation(options_.activation)) {
    TFC_CHECK(options_.depth_multiplier > 0, name_, "depth_multiplier must be positive",
              std::to_string(options_.depth_multiplier), "depth_multiplier >= 1",
              "pass e.g. .depth_multiplier = 1");
    conv_detail::validate_conv2d_args(name_, kernel_size_, options_.strides, options_.dilation_rate,
                                      options_.padding, options_.data_format);
    set_declared_input_shape(options_.input_shape);
}

void DepthwiseConv2D::check_input_shape(const Shape& input_shape) const {
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

void DepthwiseConv2D::build(const Shape& input_shape) {
    check_input_shape(input_shape);
    weights_.clear();
    add_weight("depthwise_kernel",
               {kernel_size_.h, kernel_size_.w, input_shape[3], options_.depth_multiplier},
               *options_.depthwise_initializer);
    if (options_.use_bias) {
        add_weight("bias", {input_shape[3] * options_.depth_multiplier},
                   *options_.bias_initializer);
    }
    Layer::build(input_shape);
}

Tensor DepthwiseConv2D::depthwise_kernel() const {
    return weights_.empty() ? Tensor() : weights_[0].value;
}

Tensor DepthwiseConv2D::bias() const {
    return options_.use_bias && weights_.size() > 1 ? weights_[1].value : Tensor();
}

Tensor DepthwiseConv2D::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt DepthwiseConv2D", "a built layer",
              "call the layer as layer(x), which builds it, or call build(shape) first");
    Shape s = inputs.shape();
    if (!s.empty()) s[0] = -1;
    check_input_shape(s);
    Tensor k = depthwise_kernel();
    Tensor x = inputs.dtype() == k.dtype() ? inputs : ops::cast(inputs, k.dtype());
    return activation_(ops::depthwise_conv2d(x, k, bias(), options_.strides, options_.padding,
                                             options_.dilation_rate));
}

Shape DepthwiseConv2D::compute_output_shape(const Shape& input_shape) const {
    check_input_shape(input_shape);
    return conv_detail::conv2d_output_shape(input_shape, kernel_size_, options_.strides,
                                            options_.dilation_rate, options_.padding,
                                            input_shape[3] * options_.depth_multiplier);
}

}  // namespace tfc
