// MeanAbsoluteError: l = mean(|y_pred - y_true|) over the last axis (keras/losses.py
// `mean_absolute_error`, Keras 2.15). The gradient at y_pred == y_true is 0 (TF's Abs gradient).
#pragma once

#include <string>

#include "tfc/losses/loss.h"

namespace tfc::losses {

class MeanAbsoluteError : public Loss {
public:
    MeanAbsoluteError() = default;
    std::string name() const override { return "mean_absolute_error"; }
    std::string class_name() const override { return "MeanAbsoluteError"; }
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
};

}  // namespace tfc::losses
