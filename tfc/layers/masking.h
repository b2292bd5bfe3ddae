// Masking (keras/layers/core/masking.py of Keras 2.15): timesteps whose features all equal
// mask_value are masked for the following layers and their outputs are zeroed:
//   mask = any(x != mask_value, axis=-1); y = x * mask[..., None].
//   Masking(0.0, {.input_shape = {10, 8}})
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct MaskingOptions {
    Shape input_shape{};  // without the batch dimension
    std::string name{};   // default "masking", "masking_1", ...
};

class Masking : public Layer {
public:
    explicit Masking(double mask_value = 0.0, MaskingOptions options = {});

    std::string class_name() const override { return "Masking"; }
    Tensor call(const Tensor& inputs, bool training) override;
    bool supports_masking() const override { return true; }
    Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;
    double mask_value() const { return mask_value_; }

private:
    std::vector<std::uint8_t> keep(const Tensor& inputs) const;  // one flag per position
    double mask_value_;
};

}  // namespace tfc
