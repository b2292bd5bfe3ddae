// Mean: Keras's running weighted mean (keras/metrics/base_metric.py `Reduce` with WEIGHTED_MEAN,
// Keras 2.15): update_state adds sum(v * w) to the total and sum(w) to the count;
// result() = total / count, 0 while the count is 0 (divide_no_nan). Accumulates in float64.
// The training loop keeps the epoch loss in one: update_state(batch_loss, batch_size).
#pragma once

#include <string>
#include <utility>

#include "tfc/core/tensor.h"

namespace tfc::metrics {

class Mean {
public:
    explicit Mean(std::string name = "mean") : name_(std::move(name)) {}
    const std::string& name() const { return name_; }

    // One value with its weight.
    void update_state(double value, double weight = 1.0);
    // Every element of `values` (any numeric dtype). sample_weight: undefined (weight 1), a
    // scalar, or a tensor broadcastable to values; a trailing 1 is squeezed or added first, as
    // losses_utils.squeeze_or_expand_dimensions does. The count grows by the broadcast weights.
    void update_state(const Tensor& values, const Tensor& sample_weight = Tensor());

    double result() const { return count_ == 0.0 ? 0.0 : total_ / count_; }
    void reset_state() { total_ = count_ = 0.0; }
    double total() const { return total_; }
    double count() const { return count_; }

private:
    std::string name_;
    double total_ = 0.0;
    double count_ = 0.0;
};

}  // namespace tfc::metrics
