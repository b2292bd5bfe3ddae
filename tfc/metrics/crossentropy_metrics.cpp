#include "tfc/metrics/crossentropy_metrics.h"

namespace tfc::metrics {

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions options)
    : MeanMetricWrapper(std::move(options.name)),
      loss_({.from_logits = options.from_logits, .label_smoothing = options.label_smoothing}) {}

Tensor BinaryCrossentropy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    return loss_.call(y_true, y_pred);
}

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions options)
    : MeanMetricWrapper(std::move(options.name)),
      loss_({.from_logits = options.from_logits, .label_smoothing = options.label_smoothing}) {}

Tensor CategoricalCrossentropy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    return loss_.call(y_true, y_pred);
}

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(
    SparseCategoricalCrossentropyOptions options)
    : MeanMetricWrapper(std::move(options.name)), loss_({.from_logits = options.from_logits}) {}

Tensor SparseCategoricalCrossentropy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    return loss_.call(y_true, y_pred);
}

}  // namespace tfc::metrics
