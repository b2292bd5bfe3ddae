// MeanAbsoluteError and MeanSquaredError as metrics (Keras 2.15: MeanMetricWrapper over
// keras/losses.py `mean_absolute_error` / `mean_squared_error`): per sample, the mean of
// |y_pred - y_true| (or its square) over the last axis, computed in float64.
#pragma once

#include <string>

#include "tfc/metrics/mean_metric_wrapper.h"

namespace tfc::metrics {

class MeanAbsoluteError : public MeanMetricWrapper {
public:
    explicit MeanAbsoluteError(std::string name = "mean_absolute_error")
        : MeanMetricWrapper(std::move(name)) {}
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
};

class MeanSquaredError : public MeanMetricWrapper {
public:
    explicit MeanSquaredError(std::string name = "mean_squared_error")
        : MeanMetricWrapper(std::move(name)) {}
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
};

}  // namespace tfc::metrics
