#include "tfc/layers/max_pooling.h"

#include <algorithm>
#include <cctype>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

std::string lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

bool is_same(const std::string& padding, const std::string& where) {
    const std::string p = lower(padding);
    TFC_CHECK(p == "valid" || p == "same", where, "unknown padding", "'" + padding + "'",
              "'valid' or 'same'", "pass .padding = \"valid\" or \"same\"");
    return p == "same";
}

void check_positive(std::int64_t v, const char* what, const std::string& where) {
    TFC_CHECK(v > 0, where, std::string(what) + " must be positive", std::to_string(v), ">= 1",
              std::string("pass a positive ") + what);
}

void check_format(const std::string& data_format, const std::string& where) {
    TFC_CHECK(data_format == "channels_last", where, "unsupported data_format",
              "'" + data_format + "'", "'channels_last'",
              "transpose the input to channels-last (batch, ..., channels)");
}

Tensor to_float(const Tensor& x) {
    return is_floating(x.dtype()) ? x : ops::cast(x, DType::float32);
}

}  // namespace

std::int64_t pooled_length(std::int64_t n, std::int64_t k, std::int64_t s, bool same,
                           const std::string& where) {
    if (n < 0) return -1;
    if (same) return (n + s - 1) / s;
    TFC_CHECK(n >= k, where, "pool window larger than the input with padding='valid'",
              "input length " + std::to_string(n) + ", pool size " + std::to_string(k),
              "pool size <= input length",
              "use a smaller pool_size, a larger input, or padding=\"same\"");
    return (n - k) / s + 1;
}

Pooling2D::Pooling2D(const std::string& default_name, Pooling2DOptions options)
    : Layer(options.name.empty() ? unique_layer_name(default_name) : options.name),
      options_(std::move(options)) {
    check_positive(options_.pool_size[0], "pool_size", name_);
    check_positive(options_.pool_size[1], "pool_size", name_);
    check_positive(strides()[0], "strides", name_);
    check_positive(strides()[1], "strides", name_);
    is_same(options_.padding, name_);
    check_format(options_.data_format, name_);
    set_declared_input_shape(options_.input_shape);
}

void Pooling2D::build(const Shape& input_shape) {
    compute_output_shape(input_shape);
    Layer::build(input_shape);
}

Shape Pooling2D::compute_output_shape(const Shape& s) const {
    check_input_rank(s, 4);
    const bool same = is_same(options_.padding, name_);
    const ops::Size2 st = strides();
    return {s[0], pooled_length(s[1], options_.pool_size[0], st[0], same, name_),
            pooled_length(s[2], options_.pool_size[1], st[1], same, name_), s[3]};
}

Pooling1D::Pooling1D(const std::string& default_name, Pooling1DOptions options)
    : Layer(options.name.empty() ? unique_layer_name(default_name) : options.name),
      options_(std::move(options)) {
    check_positive(options_.pool_size, "pool_size", name_);
    check_positive(strides(), "strides", name_);
    is_same(options_.padding, name_);
    check_format(options_.data_format, name_);
    set_declared_input_shape(options_.input_shape);
}

void Pooling1D::build(const Shape& input_shape) {
    compute_output_shape(input_shape);
    Layer::build(input_shape);
}

Shape Pooling1D::compute_output_shape(const Shape& s) const {
    check_input_rank(s, 3);
    const bool same = is_same(options_.padding, name_);
    return {s[0], pooled_length(s[1], options_.pool_size, strides(), same, name_), s[2]};
}

MaxPooling2D::MaxPooling2D(Pooling2DOptions options)
    : Pooling2D("max_pooling2d", std::move(options)) {}

Tensor MaxPooling2D::call(const Tensor& inputs, bool /*training*/) {
    check_input_rank(inputs.shape(), 4);
    compute_output_shape(inputs.shape());  // the layer's own error for a window that won't fit
    return ops::max_pool2d(to_float(inputs), options_.pool_size, strides(), options_.padding);
}

MaxPooling1D::MaxPooling1D(Pooling1DOptions options)
    : Pooling1D("max_pooling1d", std::move(options)) {}

Tensor MaxPooling1D::call(const Tensor& inputs, bool /*training*/) {
    check_input_rank(inputs.shape(), 3);
    compute_output_shape(inputs.shape());
    return ops::max_pool1d(to_float(inputs), options_.pool_size, strides(), options_.padding);
}

}  // namespace tfc
