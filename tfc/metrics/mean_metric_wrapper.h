// MeanMetricWrapper: a Metric whose batch value is a per-sample quantity (accuracy matches, an
// error, a cross-entropy) averaged into a running Mean weighted by sample_weight, as Keras's
// MeanMetricWrapper (keras/metrics/base_metric.py, Keras 2.15): result = sum(v w) / sum(w) over
// every batch since the last reset_state(). Runs without recording on any GradientTape.
#pragma once

#include <functional>
#include <string>

#include "tfc/metrics/mean.h"
#include "tfc/metrics/metric.h"

namespace tfc::metrics {

// Per-sample values of one batch from (y_true, y_pred).
using MetricFn = std::function<Tensor(const Tensor& y_true, const Tensor& y_pred)>;

class MeanMetricWrapper : public Metric {
public:
    // A metric from a user function, named `name` (the log key).
    MeanMetricWrapper(MetricFn fn, std::string name);

    void update_state(const Tensor& y_true, const Tensor& y_pred,
                      const Tensor& sample_weight = Tensor()) override;
    double result() const override { return mean_.result(); }
    void reset_state() override { mean_.reset_state(); }

    // The per-sample values of one batch, without touching the state.
    virtual Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const;

protected:
    explicit MeanMetricWrapper(std::string name);

private:
    MetricFn fn_;
    Mean mean_;
};

}  // namespace tfc::metrics
