#include "tfc/metrics/mean.h"

#include <vector>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::metrics {

void Mean::update_state(double value, double weight) {
    total_ += value * weight;
    count_ += weight;
}

void Mean::update_state(const Tensor& values, const Tensor& sample_weight) {
    TFC_CHECK(values.defined(), "Mean.update_state", "values are undefined", "an empty Tensor()",
              "a tensor of values", "pass the per-sample values");
    const std::vector<double> v = values.to_doubles();
    if (!sample_weight.defined()) {
        for (double x : v) total_ += x;
        count_ += static_cast<double>(v.size());
        return;
    }
    autograd::NoGradGuard no_grad;
    Tensor w = sample_weight.astype(DType::float64);
    const Shape& vs = values.shape();
    const Shape& ws = w.shape();
    if (ws.size() == vs.size() + 1 && ws.back() == 1) {
        w = w.reshaped(vs);
    } else if (vs.size() == ws.size() + 1 && !vs.empty() && vs.back() == 1) {
        w = w.reshaped(vs);
    }
    bool ok = w.rank() <= values.rank();
    for (int i = 1; ok && i <= w.rank(); ++i) {
        ok = w.dim(-i) == 1 || w.dim(-i) == values.dim(-i);
    }
    TFC_CHECK(ok, "Mean.update_state", "sample_weight does not match the values",
              "sample_weight " + shape_str(sample_weight.shape()) + ", values " +
                  shape_str(values.shape()),
              "one weight per value or a shape that broadcasts to " + shape_str(values.shape()),
              "pass one weight per sample, e.g. shape (N,)");
    const std::vector<double> wb = ops::broadcast_to(w, vs).to_doubles();
    for (std::size_t i = 0; i < v.size(); ++i) {
        total_ += v[i] * wb[i];
        count_ += wb[i];
    }
}

}  // namespace tfc::metrics
