#include "tfc/layers/cropping2d.h"

#include "tfc/core/error.h"
#include "tfc/ops/pool.h"

namespace tfc {

Cropping2D::Cropping2D(Cropping2DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("cropping2d") : options.name),
      options_(std::move(options)) {
    const Padding2D& c = options_.cropping;
    TFC_CHECK(c.top >= 0 && c.bottom >= 0 && c.left >= 0 && c.right >= 0, name_,
              "cropping must be non-negative",
              "((" + std::to_string(c.top) + ", " + std::to_string(c.bottom) + "), (" +
                  std::to_string(c.left) + ", " + std::to_string(c.right) + "))",
              "values >= 0", "pass non-negative cropping");
    TFC_CHECK(options_.data_format == "channels_last", name_, "unsupported data_format",
              "'" + options_.data_format + "'", "'channels_last'",
              "transpose the input to channels-last (batch, rows, cols, channels)");
    set_declared_input_shape(options_.input_shape);
}

void Cropping2D::build(const Shape& input_shape) {
    compute_output_shape(input_shape);
    Layer::build(input_shape);
}

Shape Cropping2D::compute_output_shape(const Shape& s) const {
    check_input_rank(s, 4);
    const Padding2D& c = options_.cropping;
    const auto crop = [&](std::int64_t n, std::int64_t a, std::int64_t b, const char* axis) {
        if (n < 0) return std::int64_t{-1};
        // Keras requires at least one row/column to remain.
        TFC_CHECK(n - a - b > 0, name_, std::string("cropping removes every ") + axis,
                  "cropping " + std::to_string(a) + " + " + std::to_string(b) + " of " +
                      std::to_string(n) + " " + axis + " in input " + shape_str(s),
                  "a sum smaller than the input size", "crop less or feed a larger input");
        return n - a - b;
    };
    return {s[0], crop(s[1], c.top, c.bottom, "rows"), crop(s[2], c.left, c.right, "cols"), s[3]};
}

Tensor Cropping2D::call(const Tensor& inputs, bool /*training*/) {
    compute_output_shape(inputs.shape());
    const Padding2D& c = options_.cropping;
    return ops::crop2d(inputs, c.top, c.bottom, c.left, c.right);
}

}  // namespace tfc
