// The cross-entropy metrics (Keras 2.15 keras/metrics/probabilistic_metrics.py): running means
// of the per-sample losses of losses::BinaryCrossentropy, CategoricalCrossentropy and
// SparseCategoricalCrossentropy, logits shortcut included. "crossentropy"/"ce" resolve to one
// of them (resolve_metric).
#pragma once

#include <string>

#include "tfc/losses/binary_crossentropy.h"
#include "tfc/losses/categorical_crossentropy.h"
#include "tfc/losses/sparse_categorical_crossentropy.h"
#include "tfc/metrics/mean_metric_wrapper.h"

namespace tfc::metrics {

struct BinaryCrossentropyOptions {
    std::string name = "binary_crossentropy";
    bool from_logits = false;
    double label_smoothing = 0.0;
};

class BinaryCrossentropy : public MeanMetricWrapper {
public:
    explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;

private:
    losses::BinaryCrossentropy loss_;
};

struct CategoricalCrossentropyOptions {
    std::string name = "categorical_crossentropy";
    bool from_logits = false;
    double label_smoothing = 0.0;
};

class CategoricalCrossentropy : public MeanMetricWrapper {
public:
    explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;

private:
    losses::CategoricalCrossentropy loss_;
};

struct SparseCategoricalCrossentropyOptions {
    std::string name = "sparse_categorical_crossentropy";
    bool from_logits = false;
};

class SparseCategoricalCrossentropy : public MeanMetricWrapper {
public:
    explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
    Tensor per_sample(const Tensor& y_true, const Tensor& y_pred) const override;

private:
    losses::SparseCategoricalCrossentropy loss_;
};

}  // namespace tfc::metrics
