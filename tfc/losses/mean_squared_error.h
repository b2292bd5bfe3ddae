// MeanSquaredError: l = mean((y_pred - y_true)^2) over the last axis (keras/losses.py
// `mean_squared_error`, Keras 2.15).
#pragma once

#include <string>

#include "tfc/losses/loss.h"

namespace tfc::losses {

class MeanSquaredError : public Loss {
public:
    MeanSquaredError() = default;
    std::string name() const override { return "mean_squared_error"; }
    std::string class_name() const override { return "MeanSquaredError"; }
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
};

}  // namespace tfc::losses
