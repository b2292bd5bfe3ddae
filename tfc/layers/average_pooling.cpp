#include "tfc/layers/average_pooling.h"

#include "tfc/ops/ops.h"

namespace tfc {
namespace {

Tensor to_float(const Tensor& x) {
    return is_floating(x.dtype()) ? x : ops::cast(x, DType::float32);
}

}  // namespace

AveragePooling2D::AveragePooling2D(Pooling2DOptions options)
    : Pooling2D("average_pooling2d", std::move(options)) {}

Tensor AveragePooling2D::call(const Tensor& inputs, bool /*training*/) {
    check_input_rank(inputs.shape(), 4);
    compute_output_shape(inputs.shape());
    return ops::avg_pool2d(to_float(inputs), options_.pool_size, strides(), options_.padding);
}

AveragePooling1D::AveragePooling1D(Pooling1DOptions options)
    : Pooling1D("average_pooling1d", std::move(options)) {}

Tensor AveragePooling1D::call(const Tensor& inputs, bool /*training*/) {
    check_input_rank(inputs.shape(), 3);
    compute_output_shape(inputs.shape());
    return ops::avg_pool1d(to_float(inputs), options_.pool_size, strides(), options_.padding);
}

}  // namespace tfc
