#include "tfc/layers/dropout.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

Dropout::Dropout(double rate, DropoutOptions options)
    : Layer(options.name.empty() ? unique_layer_name("dropout") : options.name),
      rate_(rate),
      seed_(options.seed),
      generator_(options.seed.value_or(0)) {
    TFC_CHECK(rate_ >= 0.0 && rate_ < 1.0, name_, "invalid rate", std::to_string(rate_),
              "a fraction 0 <= rate < 1", "pass the fraction of inputs to drop, e.g. 0.2");
    set_declared_input_shape(options.input_shape);
}

Tensor Dropout::call(const Tensor& inputs, bool training) {
    if (!training || rate_ == 0.0) return inputs;
    TFC_CHECK(is_floating(inputs.dtype()), name_, "dropout needs a floating-point input",
              dtype_name(inputs.dtype()), "float32 or float64",
              "cast the data to float32 (or add a Rescaling layer) first");
    if (!seed_) return ops::dropout(inputs, rate_);
    // The same rule as ops::dropout, drawing from this layer's own generator.
    const double scale = 1.0 / (1.0 - rate_);
    std::vector<double> mask(static_cast<std::size_t>(inputs.size()));
    for (double& m : mask) m = generator_.uniform() >= rate_ ? scale : 0.0;
    return ops::mul(inputs, Tensor::from_doubles(mask, inputs.shape(), inputs.dtype()));
}

}  // namespace tfc
