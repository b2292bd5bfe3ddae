#include "tfc/layers/zero_padding2d.h"

#include "tfc/core/error.h"
#include "tfc/ops/pool.h"

namespace tfc {

ZeroPadding2D::ZeroPadding2D(ZeroPadding2DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("zero_padding2d") : options.name),
      options_(std::move(options)) {
    const Padding2D& p = options_.padding;
    TFC_CHECK(p.top >= 0 && p.bottom >= 0 && p.left >= 0 && p.right >= 0, name_,
              "padding must be non-negative",
              "((" + std::to_string(p.top) + ", " + std::to_string(p.bottom) + "), (" +
                  std::to_string(p.left) + ", " + std::to_string(p.right) + "))",
              "values >= 0", "pass non-negative padding");
    TFC_CHECK(options_.data_format == "channels_last", name_, "unsupported data_format",
              "'" + options_.data_format + "'", "'channels_last'",
              "transpose the input to channels-last (batch, rows, cols, channels)");
    set_declared_input_shape(options_.input_shape);
}

void ZeroPadding2D::build(const Shape& input_shape) {
    check_input_rank(input_shape, 4);
    Layer::build(input_shape);
}

Shape ZeroPadding2D::compute_output_shape(const Shape& s) const {
    check_input_rank(s, 4);
    const Padding2D& p = options_.padding;
    return {s[0], s[1] < 0 ? -1 : s[1] + p.top + p.bottom, s[2] < 0 ? -1 : s[2] + p.left + p.right,
            s[3]};
}

Tensor ZeroPadding2D::call(const Tensor& inputs, bool /*training*/) {
    check_input_rank(inputs.shape(), 4);
    const Padding2D& p = options_.padding;
    return ops::zero_pad2d(inputs, p.top, p.bottom, p.left, p.right);
}

}  // namespace tfc
