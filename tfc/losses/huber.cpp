#include "tfc/losses/huber.h"

#include <cmath>

#include "tfc/core/error.h"
#include "tfc/losses/loss_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {

Huber::Huber(HuberOptions options) : options_(options) {
    TFC_CHECK(std::isfinite(options_.delta) && options_.delta >= 0.0, "Huber",
              "delta must be finite and >= 0", std::to_string(options_.delta), "delta >= 0",
              "use the default delta = 1.0 or another positive threshold");
}

Tensor Huber::call(const Tensor& y_true, const Tensor& y_pred) const {
    Tensor y = detail::dense_labels(y_true, y_pred, "Huber",
                                    "give y_true the shape of y_pred (one target per output unit)");
    const double delta = options_.delta;
    Tensor error = ops::sub(y_pred, y);
    Tensor abs_error = ops::abs(error);
    Tensor quadratic = ops::mul(ops::square(error), 0.5);
    Tensor linear = ops::sub(ops::mul(abs_error, delta), 0.5 * delta * delta);
    // |e| <= delta takes the quadratic branch (tf.where(abs_error <= delta, ...)).
    Tensor beyond = ops::greater(abs_error, Tensor::scalar(delta, abs_error.dtype()));
    return ops::mean(ops::where(beyond, linear, quadratic), {-1});
}

}  // namespace tfc::losses
