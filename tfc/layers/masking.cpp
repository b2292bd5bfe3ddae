#include "tfc/layers/masking.h"

#include <cstring>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

Masking::Masking(double mask_value, MaskingOptions options)
    : Layer(options.name.empty() ? unique_layer_name("masking") : options.name),
      mask_value_(mask_value) {
    set_declared_input_shape(options.input_shape);
}

std::vector<std::uint8_t> Masking::keep(const Tensor& inputs) const {
    TFC_CHECK(inputs.rank() >= 2, name_, "input rank too small", shape_str(inputs.shape()),
              "rank >= 2: (batch, ..., features)", "feed (batch, timesteps, features) data");
    const std::int64_t f = inputs.dim(-1), rows = f ? inputs.size() / f : 0;
    const std::vector<double> v = inputs.to_doubles();
    std::vector<std::uint8_t> k(static_cast<std::size_t>(rows), 0);
    for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t j = 0; j < f; ++j) {
            if (v[r * f + j] != mask_value_) {
                k[r] = 1;
                break;
            }
        }
    }
    return k;
}

Tensor Masking::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(is_floating(inputs.dtype()), name_, "Masking needs a floating-point input",
              dtype_name(inputs.dtype()), "float32 or float64", "cast the data to float32");
    const std::vector<std::uint8_t> k = keep(inputs);
    Shape s = inputs.shape();
    s.back() = 1;
    std::vector<double> kd(k.begin(), k.end());
    return ops::mul(inputs, Tensor::from_doubles(kd, s, inputs.dtype()));
}

Tensor Masking::compute_mask(const Tensor& inputs, const Tensor& /*mask*/) const {
    const std::vector<std::uint8_t> k = keep(inputs);
    Shape s(inputs.shape().begin(), inputs.shape().end() - 1);
    Tensor m = Tensor::empty(s, DType::bool_);
    if (!k.empty()) std::memcpy(m.raw_data(), k.data(), k.size());
    return m;
}

}  // namespace tfc
