#include "tfc/losses/mean_absolute_error.h"

#include "tfc/losses/loss_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {

Tensor MeanAbsoluteError::call(const Tensor& y_true, const Tensor& y_pred) const {
    Tensor y = detail::dense_labels(y_true, y_pred, "MeanAbsoluteError",
                                    "give y_true the shape of y_pred (one target per output unit)");
    return ops::mean(ops::abs(ops::sub(y_pred, y)), {-1});
}

}  // namespace tfc::losses
