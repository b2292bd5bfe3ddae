#include "tfc/layers/leaky_relu.h"

#include <cmath>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

LeakyReLU::LeakyReLU(LeakyReLUOptions options)
    : Layer(options.name.empty() ? unique_layer_name("leaky_re_lu") : options.name),
      alpha_(options.alpha) {
    TFC_CHECK(std::isfinite(alpha_), name_, "alpha must be a finite number",
              std::to_string(alpha_), "a finite slope such as 0.3",
              "pass .alpha = 0.3 (Keras 2's default)");
    set_declared_input_shape(options.input_shape);
}

Tensor LeakyReLU::call(const Tensor& inputs, bool /*training*/) {
    return ops::leaky_relu(inputs, alpha_);
}

}  // namespace tfc
