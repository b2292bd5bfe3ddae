#include "tfc/layers/relu.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

ReLU::ReLU(ReLUOptions options)
    : Layer(options.name.empty() ? unique_layer_name("re_lu") : options.name),
      options_(std::move(options)) {
    TFC_CHECK(!options_.max_value || *options_.max_value >= 0.0, name_,
              "max_value of a ReLU layer cannot be negative", std::to_string(*options_.max_value),
              "max_value >= 0", "pass a non-negative cap such as 6.0, or leave it unset");
    TFC_CHECK(options_.negative_slope >= 0.0, name_,
              "negative_slope of a ReLU layer cannot be negative",
              std::to_string(options_.negative_slope), "negative_slope >= 0",
              "pass a non-negative slope such as 0.1");
    TFC_CHECK(options_.threshold >= 0.0, name_, "threshold of a ReLU layer cannot be negative",
              std::to_string(options_.threshold), "threshold >= 0",
              "pass a non-negative threshold");
    set_declared_input_shape(options_.input_shape);
}

// The composition of keras/backend.py `relu`.
Tensor ReLU::call(const Tensor& x, bool /*training*/) {
    const auto& o = options_;
    if (!o.max_value && o.threshold == 0.0) {
        return o.negative_slope == 0.0 ? ops::relu(x) : ops::leaky_relu(x, o.negative_slope);
    }
    Tensor negative_part;
    if (o.negative_slope != 0.0) {
        negative_part = ops::relu(o.threshold != 0.0 ? ops::rsub(o.threshold, x) : ops::neg(x));
    }
    Tensor y;
    if (o.threshold != 0.0) {
        // x * (x > threshold)
        y = ops::where(ops::greater(x, ops::full_like(x, o.threshold)), x, ops::zeros_like(x));
    } else {
        y = ops::relu(x);
    }
    if (o.max_value) y = ops::clip(y, 0.0, *o.max_value);
    if (o.negative_slope != 0.0) y = ops::sub(y, ops::mul(negative_part, o.negative_slope));
    return y;
}

}  // namespace tfc
