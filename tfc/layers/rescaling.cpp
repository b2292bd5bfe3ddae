#include "tfc/layers/rescaling.h"

#include "tfc/ops/ops.h"

namespace tfc {

Rescaling::Rescaling(double scale, RescalingOptions options)
    : Layer(options.name.empty() ? unique_layer_name("rescaling") : options.name),
      scale_(scale),
      offset_(options.offset) {
    set_declared_input_shape(options.input_shape);
}

Tensor Rescaling::call(const Tensor& inputs, bool /*training*/) {
    Tensor x = is_floating(inputs.dtype()) ? inputs : ops::cast(inputs, DType::float32);
    Tensor y = ops::mul(x, scale_);
    return offset_ == 0.0 ? y : ops::add(y, offset_);
}

}  // namespace tfc
