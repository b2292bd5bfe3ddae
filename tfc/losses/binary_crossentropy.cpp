#include "tfc/losses/binary_crossentropy.h"

#include <cmath>

#include "tfc/core/error.h"
#include "tfc/losses/loss_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {

BinaryCrossentropy::BinaryCrossentropy(BinaryCrossentropyOptions options) : options_(options) {
    const double s = options_.label_smoothing;
    TFC_CHECK(s >= 0.0 && s <= 1.0, "BinaryCrossentropy", "label_smoothing out of range",
              std::to_string(s), "a value in [0, 1]", "use a small value such as 0.1, or 0");
}

Tensor BinaryCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
    const char* where = "BinaryCrossentropy";
    Tensor y = detail::dense_labels(
        y_true, y_pred, where,
        "give y_true the shape of y_pred: one 0/1 label per output unit, e.g. (batch, 1) for "
        "Dense(1, activation=\"sigmoid\")");
    const int axis = normalize_axis(options_.axis, y_pred.rank(), where);
    const double s = options_.label_smoothing;
    if (s > 0.0) y = ops::add(ops::mul(y, 1.0 - s), 0.5 * s);

    // keras/backend.py `_get_logits`: an output of a Keras sigmoid carries its logits.
    Tensor logits = y_pred.keras_logits("sigmoid");
    if (!logits.defined() && options_.from_logits) logits = y_pred;
    Tensor elementwise;
    if (logits.defined()) {
        elementwise = ops::sigmoid_cross_entropy_with_logits(y, logits);
    } else {
        const double eps = detail::kEpsilon;
        Tensor p = ops::clip(y_pred, eps, 1.0 - eps);
        Tensor pos = ops::mul(y, ops::log(ops::add(p, eps)));
        Tensor neg = ops::mul(ops::rsub(1.0, y), ops::log(ops::add(ops::rsub(1.0, p), eps)));
        elementwise = ops::neg(ops::add(pos, neg));
    }
    return ops::mean(elementwise, {axis});
}

}  // namespace tfc::losses
