#include "tfc/layers/conv1d.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

Conv1D::Conv1D(std::int64_t filters, std::int64_t kernel_size, Conv1DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("conv1d") : options.name),
      filters_(filters),
      kernel_size_(kernel_size),
      options_(std::move(options)),
      activation_(get_activation(options_.activation)) {
    TFC_CHECK(filters_ > 0, name_, "filters must be a positive integer", std::to_string(filters_),
              "filters > 0", "pass the number of output channels, e.g. Conv1D(32, 3)");
    TFC_CHECK(kernel_size_ > 0, name_, "kernel_size must be positive", std::to_string(kernel_size_),
              "kernel_size > 0", "pass e.g. kernel_size 3");
    TFC_CHECK(options_.strides > 0, name_, "strides must be positive",
              std::to_string(options_.strides), "strides > 0", "pass e.g. .strides = 1");
    TFC_CHECK(options_.dilation_rate > 0, name_, "dilation_rate must be positive",
              std::to_string(options_.dilation_rate), "dilation_rate > 0",
              "pass e.g. .dilation_rate = 1");
    TFC_CHECK(options_.groups > 0 && filters_ % options_.groups == 0, name_,
              "the number of filters must be evenly divisible by the number of groups",
              "filters=" + std::to_string(filters_) + ", groups=" + std::to_string(options_.groups),
              "filters % groups == 0", "choose filters as a multiple of groups");
    options_.padding = ops::normalize_padding(options_.padding, true, name_);
    TFC_CHECK(options_.data_format == "channels_last", name_, "unsupported data_format",
              "\"" + options_.data_format + "\"", "\"channels_last\"",
              "transpose the data to [N, steps, C] and use channels_last");
    TFC_CHECK(!(options_.strides > 1 && options_.dilation_rate > 1), name_,
              "strides > 1 not supported in conjunction with dilation_rate > 1 (as in TensorFlow)",
              "strides " + std::to_string(options_.strides) + ", dilation_rate " +
                  std::to_string(options_.dilation_rate),
              "strides 1 or dilation_rate 1", "drop one of the two, or add a pooling layer");
    set_declared_input_shape(options_.input_shape);
}

void Conv1D::check_input_shape(const Shape& input_shape) const {
    check_input_rank(input_shape, 3);
    const std::int64_t channels = input_shape[2];
    TFC_CHECK(channels > 0, name_, "the channel dimension of the input must be defined",
              shape_str(input_shape), "a known positive last dimension",
              "give the model an input_shape whose channel axis is fixed");
    TFC_CHECK(channels % options_.groups == 0, name_,
              "the number of input channels must be evenly divisible by the number of groups",
              std::to_string(channels) + " channels, groups=" + std::to_string(options_.groups),
              "channels % groups == 0", "change groups or the number of input channels");
    if (built_) {
        TFC_CHECK(channels == kernel().dim(1) * options_.groups, name_,
                  "input channels differ from the ones the layer was built with",
                  shape_str(input_shape),
                  std::to_string(kernel().dim(1) * options_.groups) + " channels",
                  "feed inputs shaped like the ones the layer was built with");
    }
    const std::int64_t n = input_shape[1];
    TFC_CHECK(n < 0 || ops::conv_output_length(n, kernel_size_, options_.padding, options_.strides,
                                               options_.dilation_rate) > 0,
              name_,
              "one of the dimensions in the output is <= 0 (the kernel is larger than the input)",
              "input " + shape_str(input_shape) + " with kernel_size " +
                  std::to_string(kernel_size_) + ", padding \"" + options_.padding + "\"",
              "at least the dilated kernel size in steps",
              "use padding=\"same\" or \"causal\", a smaller kernel_size, or longer inputs");
}

void Conv1D::build(const Shape& input_shape) {
    check_input_shape(input_shape);
    const std::int64_t in = input_shape[2];
    weights_.clear();
    add_weight("kernel", {kernel_size_, in / options_.groups, filters_},
               *options_.kernel_initializer);
    if (options_.use_bias) add_weight("bias", {filters_}, *options_.bias_initializer);
    Layer::build(input_shape);
}

Tensor Conv1D::kernel() const { return weights_.empty() ? Tensor() : weights_[0].value; }

Tensor Conv1D::bias() const {
    return options_.use_bias && weights_.size() > 1 ? weights_[1].value : Tensor();
}

Tensor Conv1D::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt Conv1D", "a built layer",
              "call the layer as layer(x), which builds it, or call build(shape) first");
    Shape s = inputs.shape();
    if (!s.empty()) s[0] = -1;
    check_input_shape(s);
    Tensor k = kernel();
    Tensor x = inputs.dtype() == k.dtype() ? inputs : ops::cast(inputs, k.dtype());
    // ReLU runs inside the convolution (ops::conv1d's fuse_relu): same values, one pass less.
    if (options_.activation == "relu") {
        return ops::conv1d(x, k, bias(), options_.strides, options_.padding, options_.dilation_rate,
                           options_.groups, true);
    }
    return activation_(ops::conv1d(x, k, bias(), options_.strides, options_.padding,
                                   options_.dilation_rate, options_.groups));
}

Shape Conv1D::compute_output_shape(const Shape& input_shape) const {
    check_input_shape(input_shape);
    return {input_shape[0],
            ops::conv_output_length(input_shape[1], kernel_size_, options_.padding,
                                    options_.strides, options_.dilation_rate),
            filters_};
}

}  // namespace tfc
