// The accuracy metrics (keras/metrics/accuracy_metrics.py and keras/utils/metrics_utils.py,
// Keras 2.15). Per-sample values are 0/1 matches (binary: their mean over the last axis),
// averaged by MeanMetricWrapper. Comparisons run in float32, Keras's metric dtype.
//   BinaryAccuracy:            y_true == (y_pred > threshold)  (strict >)
//   CategoricalAccuracy:       argmax(y_true) == argmax(y_pred)  (ties: first maximum)
//   SparseCategoricalAccuracy: y_true == argmax(y_pred); y_true (N,) or (N, 1)
#pragma once

#include <string>

#include "tfc/metrics/mean_metric_wrapper.h"

namespace tfc::metrics {

struct BinaryAccuracyOptions {
    std::string name = "binary_accuracy";
    double threshold = 0.5;
};

class BinaryAccuracy : public MeanMetricWrapper {
public:
    explicit BinaryAccuracy(BinaryAccuracyOptions options = {});
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
    double threshold() const { return threshold_; }

private:
    double threshold_;
};

class CategoricalAccuracy : public MeanMetricWrapper {
public:
    explicit CategoricalAccuracy(std::string name = "categorical_accuracy")
        : MeanMetricWrapper(std::move(name)) {}
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
};

class SparseCategoricalAccuracy : public MeanMetricWrapper {
public:
    explicit SparseCategoricalAccuracy(std::string name = "sparse_categorical_accuracy")
        : MeanMetricWrapper(std::move(name)) {}
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;
};

}  // namespace tfc::metrics
