#include "tfc/layers/conv2d.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

std::string pair_str(Size2 s) {
    return "(" + std::to_string(s.h) + ", " + std::to_string(s.w) + ")";
}

}  // namespace

namespace conv_detail {

void validate_conv2d_args(const std::string& layer, Size2 kernel_size, Size2 strides,
                          Size2 dilation_rate, std::string& padding,
                          const std::string& data_format) {
    TFC_CHECK(kernel_size.h > 0 && kernel_size.w > 0, layer,
              "kernel_size cannot contain zeros or negative values", pair_str(kernel_size),
              "positive sizes", "pass e.g. kernel_size {3, 3}");
    TFC_CHECK(strides.h > 0 && strides.w > 0, layer,
              "strides cannot contain zeros or negative values", pair_str(strides),
              "positive strides", "pass e.g. .strides = 1");
    TFC_CHECK(dilation_rate.h > 0 && dilation_rate.w > 0, layer,
              "dilation_rate cannot contain zeros or negative values", pair_str(dilation_rate),
              "positive rates", "pass e.g. .dilation_rate = 1");
    padding = ops::normalize_padding(padding, false, layer);
    TFC_CHECK(data_format == "channels_last", layer, "unsupported data_format",
              "\"" + data_format + "\"", "\"channels_last\"",
              "transpose the data to [N, H, W, C] and use channels_last");
    const bool strided = strides.h > 1 || strides.w > 1;
    const bool dilated = dilation_rate.h > 1 || dilation_rate.w > 1;
    TFC_CHECK(!(strided && dilated), layer,
              "strides > 1 not supported in conjunction with dilation_rate > 1 (as in TensorFlow)",
              "strides " + pair_str(strides) + ", dilation_rate " + pair_str(dilation_rate),
              "strides 1 or dilation_rate 1", "drop one of the two, or add a pooling layer");
}

void check_conv2d_output(const std::string& layer, const Shape& input_shape, Size2 kernel_size,
                         Size2 strides, Size2 dilation_rate, const std::string& padding) {
    const std::int64_t k[2] = {kernel_size.h, kernel_size.w};
    const std::int64_t s[2] = {strides.h, strides.w};
    const std::int64_t d[2] = {dilation_rate.h, dilation_rate.w};
    for (int i = 0; i < 2; ++i) {
        const std::int64_t n = input_shape[1 + i];
        if (n < 0) continue;
        TFC_CHECK(ops::conv_output_length(n, k[i], padding, s[i], d[i]) > 0, layer,
                  "one of the dimensions in the output is <= 0 (the kernel is larger than the "
                  "input)",
                  "input " + shape_str(input_shape) + " with kernel_size " + pair_str(kernel_size) +
                      ", padding \"" + padding + "\"",
                  "spatial dimensions of at least the dilated kernel size",
                  "use padding=\"same\", a smaller kernel_size, or larger inputs");
    }
}

Shape conv2d_output_shape(const Shape& input_shape, Size2 kernel_size, Size2 strides,
                          Size2 dilation_rate, const std::string& padding, std::int64_t channels) {
    return {
        input_shape[0],
        ops::conv_output_length(input_shape[1], kernel_size.h, padding, strides.h, dilation_rate.h),
        ops::conv_output_length(input_shape[2], kernel_size.w, padding, strides.w, dilation_rate.w),
        channels};
}

}  // namespace conv_detail

Conv2D::Conv2D(std::int64_t filters, Size2 kernel_size, Conv2DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("conv2d") : options.name),
      filters_(filters),
      kernel_size_(kernel_size),
      options_(std::move(options)),
      activation_(get_activation(options_.activation)) {
    TFC_CHECK(filters_ > 0, name_, "filters must be a positive integer", std::to_string(filters_),
              "filters > 0", "pass the number of output channels, e.g. Conv2D(32, 3)");
    TFC_CHECK(options_.groups > 0 && filters_ % options_.groups == 0, name_,
              "the number of filters must be evenly divisible by the number of groups",
              "filters=" + std::to_string(filters_) + ", groups=" + std::to_string(options_.groups),
              "filters % groups == 0", "choose filters as a multiple of groups");
    conv_detail::validate_conv2d_args(name_, kernel_size_, options_.strides, options_.dilation_rate,
                                      options_.padding, options_.data_format);
    set_declared_input_shape(options_.input_shape);
}

void Conv2D::check_input_shape(const Shape& input_shape) const {
    check_input_rank(input_shape, 4);
    const std::int64_t channels = input_shape[3];
    TFC_CHECK(channels > 0, name_, "the channel dimension of the input must be defined",
              shape_str(input_shape), "a known positive last dimension",
              "give the model an input_shape whose channel axis is fixed");
    TFC_CHECK(channels % options_.groups == 0, name_,
              "the number of input channels must be evenly divisible by the number of groups",
              std::to_string(channels) + " channels, groups=" + std::to_string(options_.groups),
              "channels % groups == 0", "change groups or the number of input channels");
    if (built_) {
        TFC_CHECK(channels == kernel().dim(2) * options_.groups, name_,
                  "input channels differ from the ones the layer was built with",
                  shape_str(input_shape),
                  std::to_string(kernel().dim(2) * options_.groups) + " channels",
                  "feed inputs shaped like the ones the layer was built with");
    }
    conv_detail::check_conv2d_output(name_, input_shape, kernel_size_, options_.strides,
                                     options_.dilation_rate, options_.padding);
}
void Conv2D::build(const Shape& input_shape) {
    check_input_shape(input_shape);
    const std::int64_t in = input_shape[3];
    weights_.clear();
    add_weight("kernel", {kernel_size_.h, kernel_size_.w, in / options_.groups, filters_},
               *options_.kernel_initializer);
    if (options_.use_bias) add_weight("bias", {filters_}, *options_.bias_initializer);
    Layer::build(input_shape);
}

Tensor Conv2D::kernel() const { return weights_.empty() ? Tensor() : weights_[0].value; }

Tensor Conv2D::bias() const {
    return options_.use_bias && weights_.size() > 1 ? weights_[1].value : Tensor();
}

Tensor Conv2D::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt Conv2D", "a built layer",
              "call the layer as layer(x), which builds it, or call build(shape) first");
    Shape s = inputs.shape();
    if (!s.empty()) s[0] = -1;
    check_input_shape(s);
    Tensor k = kernel();
    Tensor x = inputs.dtype() == k.dtype() ? inputs : ops::cast(inputs, k.dtype());
    // ReLU runs inside the convolution (ops::conv2d's fuse_relu): same values, one pass less.
    if (options_.activation == "relu") {
        return ops::conv2d(x, k, bias(), options_.strides, options_.padding, options_.dilation_rate,
                           options_.groups, true);
    }
    return activation_(ops::conv2d(x, k, bias(), options_.strides, options_.padding,
                                   options_.dilation_rate, options_.groups));
}

Shape Conv2D::compute_output_shape(const Shape& input_shape) const {
    check_input_shape(input_shape);
    return conv_detail::conv2d_output_shape(input_shape, kernel_size_, options_.strides,
                                            options_.dilation_rate, options_.padding, filters_);
}

}  // namespace tfc
