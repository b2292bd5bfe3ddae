#include "tfc/losses/categorical_crossentropy.h"

#include "tfc/core/error.h"
#include "tfc/losses/loss_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {

CategoricalCrossentropy::CategoricalCrossentropy(CategoricalCrossentropyOptions options)
    : options_(options) {
    const double s = options_.label_smoothing;
    TFC_CHECK(s >= 0.0 && s <= 1.0, "CategoricalCrossentropy", "label_smoothing out of range",
              std::to_string(s), "a value in [0, 1]", "use a small value such as 0.1, or 0");
}

Tensor CategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
    const char* where = "CategoricalCrossentropy";
    Tensor y = detail::dense_labels(
        y_true, y_pred, where,
        "CategoricalCrossentropy needs one-hot labels; for integer class ids use "
        "SparseCategoricalCrossentropy (loss=\"sparse_categorical_crossentropy\"), or one-hot "
        "encode y_true with ops::one_hot");
    const double s = options_.label_smoothing;
    if (s > 0.0) {
        const double classes = static_cast<double>(y_pred.dim(-1));
        y = ops::add(ops::mul(y, 1.0 - s), s / classes);
    }

    Tensor logits = y_pred.keras_logits("softmax");
    if (!logits.defined() && options_.from_logits) logits = y_pred;
    if (logits.defined()) return ops::softmax_cross_entropy_with_logits(y, logits);

    const double eps = detail::kEpsilon;
    Tensor p = ops::div(y_pred, ops::sum(y_pred, {-1}, true));
    p = ops::clip(p, eps, 1.0 - eps);
    return ops::neg(ops::sum(ops::mul(y, ops::log(p)), {-1}));
}

}  // namespace tfc::losses
