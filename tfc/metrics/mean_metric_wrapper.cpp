#include "tfc/metrics/mean_metric_wrapper.h"

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"

namespace tfc::metrics {

MeanMetricWrapper::MeanMetricWrapper(MetricFn fn, std::string name)
    : fn_(std::move(fn)), mean_(name) {
    TFC_CHECK(fn_ != nullptr, "MeanMetricWrapper", "no metric function", "an empty function",
              "a function (y_true, y_pred) -> per-sample values",
              "pass a callable such as a lambda");
    set_name(name);
}

MeanMetricWrapper::MeanMetricWrapper(std::string name) : mean_(name) { set_name(name); }

Tensor MeanMetricWrapper::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    TFC_ASSERT(fn_ != nullptr);  // subclasses without a function override per_sample
    return fn_(y_true, y_pred);
}

void MeanMetricWrapper::update_state(const Tensor& y_true, const Tensor& y_pred,
                                     const Tensor& sample_weight) {
    autograd::NoGradGuard no_grad;
    mean_.update_state(per_sample(y_true, y_pred), sample_weight);
}

}  // namespace tfc::metrics
