// Keras configs of the convolution and spatial layers: Conv1D, Conv2D, DepthwiseConv2D,
// SeparableConv2D, ZeroPadding2D, Cropping2D, UpSampling2D. Keys follow Keras 2.15 get_config;
// sizes are read as an int or a list (Keras 2 writes [3], [3, 3]; hand-written configs use 3).
#include "tfc/io/config_helpers_impl.h"
#include "tfc/io/layer_registry.h"
#include "tfc/layers/layers.h"

namespace tfc::io {
namespace {

using namespace detail;  // NOLINT(build/namespaces)

Size2 size2(const LayerConfig& c, const char* key, std::int64_t lo, std::int64_t fallback) {
    const auto v = c.get_ints(key, 2, lo, kMaxWindow, {fallback, fallback});
    return Size2(v[0], v[1]);
}

std::int64_t size1(const LayerConfig& c, const char* key, std::int64_t fallback) {
    return c.get_ints(key, 1, 1, kMaxWindow, {fallback})[0];
}

void set_size2(ConfigWriter& out, const char* key, Size2 s) { out.set_ints(key, {s.h, s.w}); }

void write_conv_tail(ConfigWriter& out, const std::string& activation, bool use_bias) {
    out.set("activation", activation);
    out.set("use_bias", use_bias);
}

LayerPtr conv1d_from_config(const LayerConfig& c) {
    const std::int64_t filters = bounded_int(c, "filters", 1, kMaxUnits);
    const std::int64_t kernel = c.get_ints("kernel_size", 1, 1, kMaxWindow, {})[0];
    Conv1DOptions o;
    o.strides = size1(c, "strides", 1);
    o.padding = c.get_string("padding", "valid");
    o.data_format = channels_last(c);
    o.dilation_rate = size1(c, "dilation_rate", 1);
    o.groups = c.get_int("groups", 1);
    o.activation = checked_activation(c, "activation", "linear");
    o.use_bias = c.get_bool("use_bias", true);
    o.kernel_initializer = c.get_initializer("kernel_initializer", "glorot_uniform");
    o.bias_initializer = c.get_initializer("bias_initializer", "zeros");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<Conv1D>(filters, kernel, o);
}

void conv1d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<Conv1D>(layer);
    const auto& o = l.options();
    out.set("filters", l.filters());
    out.set_ints("kernel_size", {l.kernel_size()});
    out.set_ints("strides", {o.strides});
    out.set("padding", o.padding);
    out.set("data_format", o.data_format);
    out.set_ints("dilation_rate", {o.dilation_rate});
    out.set("groups", o.groups);
    write_conv_tail(out, o.activation, o.use_bias);
    out.set_initializer("kernel_initializer", *o.kernel_initializer);
    out.set_initializer("bias_initializer", *o.bias_initializer);
    write_nulls(out, {"kernel_regularizer", "bias_regularizer", "activity_regularizer",
                      "kernel_constraint", "bias_constraint"});
}

LayerPtr conv2d_from_config(const LayerConfig& c) {
    const std::int64_t filters = bounded_int(c, "filters", 1, kMaxUnits);
    const auto k = c.get_ints("kernel_size", 2, 1, kMaxWindow, {});
    Conv2DOptions o;
    o.strides = size2(c, "strides", 1, 1);
    o.padding = c.get_string("padding", "valid");
    o.data_format = channels_last(c);
    o.dilation_rate = size2(c, "dilation_rate", 1, 1);
    o.groups = c.get_int("groups", 1);
    o.activation = checked_activation(c, "activation", "linear");
    o.use_bias = c.get_bool("use_bias", true);
    o.kernel_initializer = c.get_initializer("kernel_initializer", "glorot_uniform");
    o.bias_initializer = c.get_initializer("bias_initializer", "zeros");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<Conv2D>(filters, Size2(k[0], k[1]), o);
}

void conv2d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<Conv2D>(layer);
    const auto& o = l.options();
    out.set("filters", l.filters());
    set_size2(out, "kernel_size", l.kernel_size());
    set_size2(out, "strides", o.strides);
    out.set("padding", o.padding);
    out.set("data_format", o.data_format);
    set_size2(out, "dilation_rate", o.dilation_rate);
    out.set("groups", o.groups);
    write_conv_tail(out, o.activation, o.use_bias);
    out.set_initializer("kernel_initializer", *o.kernel_initializer);
    out.set_initializer("bias_initializer", *o.bias_initializer);
    write_nulls(out, {"kernel_regularizer", "bias_regularizer", "activity_regularizer",
                      "kernel_constraint", "bias_constraint"});
}

LayerPtr depthwise_conv2d_from_config(const LayerConfig& c) {
    const auto k = c.get_ints("kernel_size", 2, 1, kMaxWindow, {});
    DepthwiseConv2DOptions o;
    o.strides = size2(c, "strides", 1, 1);
    o.padding = c.get_string("padding", "valid");
    o.depth_multiplier = bounded_int(c, "depth_multiplier", 1, kMaxUnits);
    o.data_format = channels_last(c);
    o.dilation_rate = size2(c, "dilation_rate", 1, 1);
    o.activation = checked_activation(c, "activation", "linear");
    o.use_bias = c.get_bool("use_bias", true);
    o.depthwise_initializer = c.get_initializer("depthwise_initializer", "glorot_uniform");
    o.bias_initializer = c.get_initializer("bias_initializer", "zeros");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<DepthwiseConv2D>(Size2(k[0], k[1]), o);
}

void depthwise_conv2d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<DepthwiseConv2D>(layer);
    const auto& o = l.options();
    set_size2(out, "kernel_size", l.kernel_size());
    set_size2(out, "strides", o.strides);
    out.set("padding", o.padding);
    out.set("data_format", o.data_format);
    set_size2(out, "dilation_rate", o.dilation_rate);
    out.set("groups", 1);
    write_conv_tail(out, o.activation, o.use_bias);
    out.set_initializer("bias_initializer", *o.bias_initializer);
    write_nulls(out, {"bias_regularizer", "activity_regularizer", "bias_constraint"});
    out.set("depth_multiplier", o.depth_multiplier);
    out.set_initializer("depthwise_initializer", *o.depthwise_initializer);
    write_nulls(out, {"depthwise_regularizer", "depthwise_constraint"});
}

LayerPtr separable_conv2d_from_config(const LayerConfig& c) {
    const std::int64_t filters = bounded_int(c, "filters", 1, kMaxUnits);
    const auto k = c.get_ints("kernel_size", 2, 1, kMaxWindow, {});
    SeparableConv2DOptions o;
    o.strides = size2(c, "strides", 1, 1);
    o.padding = c.get_string("padding", "valid");
    o.data_format = channels_last(c);
    o.dilation_rate = size2(c, "dilation_rate", 1, 1);
    o.depth_multiplier = c.has("depth_multiplier") ? bounded_int(c, "depth_multiplier", 1, kMaxUnits) : 1;
    o.activation = checked_activation(c, "activation", "linear");
    o.use_bias = c.get_bool("use_bias", true);
    o.depthwise_initializer = c.get_initializer("depthwise_initializer", "glorot_uniform");
    o.pointwise_initializer = c.get_initializer("pointwise_initializer", "glorot_uniform");
    o.bias_initializer = c.get_initializer("bias_initializer", "zeros");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<SeparableConv2D>(filters, Size2(k[0], k[1]), o);
}

void separable_conv2d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<SeparableConv2D>(layer);
    const auto& o = l.options();
    out.set("filters", l.filters());
    set_size2(out, "kernel_size", l.kernel_size());
    set_size2(out, "strides", o.strides);
    out.set("padding", o.padding);
    out.set("data_format", o.data_format);
    set_size2(out, "dilation_rate", o.dilation_rate);
    out.set("groups", 1);
    write_conv_tail(out, o.activation, o.use_bias);
    out.set_initializer("bias_initializer", *o.bias_initializer);
    write_nulls(out, {"bias_regularizer", "activity_regularizer", "bias_constraint"});
    out.set("depth_multiplier", o.depth_multiplier);
    out.set_initializer("depthwise_initializer", *o.depthwise_initializer);
    out.set_initializer("pointwise_initializer", *o.pointwise_initializer);
    write_nulls(out, {"depthwise_regularizer", "pointwise_regularizer", "depthwise_constraint",
                      "pointwise_constraint"});
}

Padding2D padding2d(const std::array<std::int64_t, 4>& p) {
    return Padding2D(std::array<std::int64_t, 2>{p[0], p[1]}, std::array<std::int64_t, 2>{p[2], p[3]});
}

std::array<std::int64_t, 4> tblr(const Padding2D& p) { return {p.top, p.bottom, p.left, p.right}; }

LayerPtr zero_padding2d_from_config(const LayerConfig& c) {
    ZeroPadding2DOptions o;
    o.padding = padding2d(c.get_padding2d("padding", 1));
    o.data_format = channels_last(c);
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<ZeroPadding2D>(o);
}

void zero_padding2d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& o = as<ZeroPadding2D>(layer).options();
    out.set_padding2d("padding", tblr(o.padding));
    out.set("data_format", o.data_format);
}

LayerPtr cropping2d_from_config(const LayerConfig& c) {
    Cropping2DOptions o;
    o.cropping = padding2d(c.get_padding2d("cropping", 0));
    o.data_format = channels_last(c);
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<Cropping2D>(o);
}

void cropping2d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& o = as<Cropping2D>(layer).options();
    out.set_padding2d("cropping", tblr(o.cropping));
    out.set("data_format", o.data_format);
}

LayerPtr up_sampling2d_from_config(const LayerConfig& c) {
    UpSampling2DOptions o;
    const Size2 s = size2(c, "size", 1, 2);
    o.size = {s.h, s.w};
    o.data_format = channels_last(c);
    o.interpolation = c.get_string("interpolation", "nearest");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<UpSampling2D>(o);
}

void up_sampling2d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& o = as<UpSampling2D>(layer).options();
    set_size2(out, "size", {o.size[0], o.size[1]});
    out.set("data_format", o.data_format);
    out.set("interpolation", o.interpolation);
}

}  // namespace

void register_conv_layers(LayerRegistry& r) {
    r.add({"Conv1D", conv1d_from_config, conv1d_to_config});
    r.add({"Conv2D", conv2d_from_config, conv2d_to_config});
    r.add({"DepthwiseConv2D", depthwise_conv2d_from_config, depthwise_conv2d_to_config});
    r.add({"SeparableConv2D", separable_conv2d_from_config, separable_conv2d_to_config});
    r.add({"ZeroPadding2D", zero_padding2d_from_config, zero_padding2d_to_config});
    r.add({"Cropping2D", cropping2d_from_config, cropping2d_to_config});
    r.add({"UpSampling2D", up_sampling2d_from_config, up_sampling2d_to_config});
}

}  // namespace tfc::io
