#include "tfc/layers/up_sampling2d.h"

#include "tfc/core/error.h"

namespace tfc {

UpSampling2D::UpSampling2D(UpSampling2DOptions options)
    : Layer(options.name.empty() ? unique_layer_name("up_sampling2d") : options.name),
      options_(std::move(options)) {
    TFC_CHECK(options_.size[0] > 0 && options_.size[1] > 0, name_, "size must be positive",
              "(" + std::to_string(options_.size[0]) + ", " + std::to_string(options_.size[1]) +
                  ")",
              "both factors >= 1", "pass .size = {2, 2} or other positive factors");
    TFC_CHECK(options_.interpolation == "nearest", name_, "unsupported interpolation",
              "'" + options_.interpolation + "'", "'nearest'",
              "use interpolation \"nearest\" (bilinear is not supported yet)");
    TFC_CHECK(options_.data_format == "channels_last", name_, "unsupported data_format",
              "'" + options_.data_format + "'", "'channels_last'",
              "transpose the input to channels-last (batch, rows, cols, channels)");
    set_declared_input_shape(options_.input_shape);
}

void UpSampling2D::build(const Shape& input_shape) {
    check_input_rank(input_shape, 4);
    Layer::build(input_shape);
}

Shape UpSampling2D::compute_output_shape(const Shape& s) const {
    check_input_rank(s, 4);
    return {s[0], s[1] < 0 ? -1 : s[1] * options_.size[0], s[2] < 0 ? -1 : s[2] * options_.size[1],
            s[3]};
}

Tensor UpSampling2D::call(const Tensor& inputs, bool /*training*/) {
    check_input_rank(inputs.shape(), 4);
    return ops::upsample2d_nearest(inputs, options_.size);
}

}  // namespace tfc
