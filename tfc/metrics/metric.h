// Metric base: stateful, accumulated over an epoch (Keras's running means), reset per epoch.
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include "tfc/core/shape.h"
#include "tfc/core/tensor.h"

namespace tfc {

class Loss;

class Metric {
public:
    virtual ~Metric() = default;
    // The log key: the string the user wrote ("accuracy", "acc", "mae") or the class default.
    const std::string& name() const { return name_; }
    void set_name(const std::string& name) { name_ = name; }
    virtual void update_state(const Tensor& y_true, const Tensor& y_pred,
                              const Tensor& sample_weight = Tensor()) = 0;
    virtual double result() const = 0;
    virtual void reset_state() = 0;

protected:
    std::string name_;
};

using MetricPtr = std::shared_ptr<Metric>;

// Resolves a metric string as Keras's compile does (keras/engine/compile_utils.py
// `_get_metric_object`): "accuracy"/"acc" becomes binary, sparse categorical or categorical
// accuracy from the shapes of y_true and y_pred; "crossentropy"/"ce" likewise; "mae", "mse",
// "binary_accuracy", ... map directly. The metric's name() is the string as written.
MetricPtr resolve_metric(const std::string& identifier, const Shape& y_true_shape,
                         const Shape& y_pred_shape);

// Accepts "accuracy" or a metric object; strings are resolved at the first batch.
class MetricRef {
public:
    MetricRef(const char* name) : name_(name) {}          // NOLINT(runtime/explicit)
    MetricRef(const std::string& name) : name_(name) {}   // NOLINT(runtime/explicit)
    MetricRef(MetricPtr m) : metric_(std::move(m)) {}     // NOLINT(runtime/explicit)
    template <typename M, typename = std::enable_if_t<std::is_base_of_v<Metric, std::decay_t<M>>>>
    MetricRef(M&& m)  // NOLINT(runtime/explicit)
        : metric_(std::make_shared<std::decay_t<M>>(std::forward<M>(m))) {}
    const std::string& name() const { return name_; }
    const MetricPtr& metric() const { return metric_; }

private:
    std::string name_;
    MetricPtr metric_;
};

}  // namespace tfc
