#include "tfc/layers/global_pooling.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"
#include "tfc/ops/pool.h"

namespace tfc {

GlobalPooling::GlobalPooling(const std::string& default_name, int rank,
                             GlobalPoolingOptions options)
    : Layer(options.name.empty() ? unique_layer_name(default_name) : options.name),
      rank_(rank),
      options_(std::move(options)) {
    TFC_CHECK(options_.data_format == "channels_last", name_, "unsupported data_format",
              "'" + options_.data_format + "'", "'channels_last'",
              "transpose the input to channels-last (batch, ..., channels)");
    set_declared_input_shape(options_.input_shape);
}

void GlobalPooling::build(const Shape& input_shape) {
    check_input_rank(input_shape, rank_);
    Layer::build(input_shape);
}

Shape GlobalPooling::compute_output_shape(const Shape& s) const {
    check_input_rank(s, rank_);
    if (options_.keepdims) {
        Shape out(s.size(), 1);
        out.front() = s.front();
        out.back() = s.back();
        return out;
    }
    return {s.front(), s.back()};
}

Tensor GlobalPooling::prepare(const Tensor& inputs) const {
    check_input_rank(inputs.shape(), rank_);
    return is_floating(inputs.dtype()) ? inputs : ops::cast(inputs, DType::float32);
}

GlobalAveragePooling1D::GlobalAveragePooling1D(GlobalPoolingOptions options)
    : GlobalPooling("global_average_pooling1d", 3, std::move(options)) {}

Tensor GlobalAveragePooling1D::call(const Tensor& inputs, bool /*training*/) {
    const Tensor x = prepare(inputs);
    const Tensor mask = inputs.keras_mask();
    if (mask.defined()) {
        TFC_CHECK(mask.rank() == 2 && mask.dim(0) == x.dim(0) && mask.dim(1) == x.dim(1), name_,
                  "mask does not fit the input",
                  "mask " + shape_str(mask.shape()) + " for input " + shape_str(x.shape()),
                  "mask shape " + shape_str({x.dim(0), x.dim(1)}) + " (batch, steps)",
                  "attach the mask of the layer that produced this sequence");
        return ops::global_avg_pool1d_masked(x, mask, options_.keepdims);
    }
    return ops::global_avg_pool(x, options_.keepdims);
}

Tensor GlobalAveragePooling1D::compute_mask(const Tensor& /*inputs*/,
                                            const Tensor& /*mask*/) const {
    return Tensor();  // the steps axis is gone
}

GlobalAveragePooling2D::GlobalAveragePooling2D(GlobalPoolingOptions options)
    : GlobalPooling("global_average_pooling2d", 4, std::move(options)) {}

Tensor GlobalAveragePooling2D::call(const Tensor& inputs, bool /*training*/) {
    return ops::global_avg_pool(prepare(inputs), options_.keepdims);
}

GlobalMaxPooling1D::GlobalMaxPooling1D(GlobalPoolingOptions options)
    : GlobalPooling("global_max_pooling1d", 3, std::move(options)) {}

Tensor GlobalMaxPooling1D::call(const Tensor& inputs, bool /*training*/) {
    return ops::global_max_pool(prepare(inputs), options_.keepdims);
}

GlobalMaxPooling2D::GlobalMaxPooling2D(GlobalPoolingOptions options)
    : GlobalPooling("global_max_pooling2d", 4, std::move(options)) {}

Tensor GlobalMaxPooling2D::call(const Tensor& inputs, bool /*training*/) {
    return ops::global_max_pool(prepare(inputs), options_.keepdims);
}

}  // namespace tfc
