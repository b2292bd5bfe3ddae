#include "tfc/metrics/regression_metrics.h"

#include <cmath>
#include <vector>

#include "tfc/metrics/metric_impl.h"

namespace tfc::metrics {
namespace {

// Mean over the last axis of f(y_pred - y_true), in float64.
template <typename F>
Tensor mean_error(const Tensor& y_true, const Tensor& y_pred, const char* where, F f) {
    detail::check_dense_labels(y_true, y_pred, where,
                               "give y_true the shape of y_pred (one target per output unit)");
    const std::vector<double> t = y_true.to_doubles();
    const std::vector<double> p = y_pred.to_doubles();
    const std::int64_t k = y_pred.dim(-1);
    const std::int64_t rows = k ? y_pred.size() / k : 0;
    std::vector<double> out(rows, 0.0);
    for (std::int64_t r = 0; r < rows; ++r) {
        double s = 0.0;
        for (std::int64_t j = 0; j < k; ++j) s += f(p[r * k + j] - t[r * k + j]);
        out[r] = s / static_cast<double>(k);
    }
    return Tensor::from_vector(out, detail::per_sample_shape(y_pred));
}

}  // namespace

Tensor MeanAbsoluteError::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    return mean_error(y_true, y_pred, "MeanAbsoluteError", [](double e) { return std::fabs(e); });
}

Tensor MeanSquaredError::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    return mean_error(y_true, y_pred, "MeanSquaredError", [](double e) { return e * e; });
}

}  // namespace tfc::metrics
