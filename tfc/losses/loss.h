// Loss base: per-sample values (mean over the last axis, as Keras's loss functions) reduced by
// sum_over_batch_size (Keras's default AUTO reduction): sum(per_sample * sample_weight) / N.
// keras/losses.py and keras/utils/losses_utils.py of Keras 2.15.
// The losses themselves (losses::BinaryCrossentropy, ...) are in tfc/losses/losses.h.
#pragma once

#include <memory>
#include <string>
#include <type_traits>

#include "tfc/core/tensor.h"

namespace tfc {

class Loss {
public:
    virtual ~Loss() = default;
    virtual std::string name() const = 0;        // Keras snake-case name, e.g. "mean_squared_error"
    virtual std::string class_name() const = 0;  // Keras class name, e.g. "MeanSquaredError"
    // Per-sample losses, shape = y_pred.shape[:-1] (e.g. (batch,)). Differentiable in y_pred
    // (and, through a sigmoid/softmax output's attached logits, in those logits).
    virtual Tensor call(const Tensor& y_true, const Tensor& y_pred) const = 0;
    // Scalar loss: sum(call(...) * sample_weight) / number of per-sample values (0 when there
    // are none). sample_weight: undefined, a scalar, or one weight per sample ((N,) or (N, 1)).
    Tensor operator()(const Tensor& y_true, const Tensor& y_pred,
                      const Tensor& sample_weight = Tensor()) const;
};

using LossPtr = std::shared_ptr<Loss>;

// Keras strings: "binary_crossentropy"/"bce", "categorical_crossentropy",
// "sparse_categorical_crossentropy", "mse"/"mean_squared_error", "mae"/"mean_absolute_error",
// "huber"/"huber_loss"; also class names ("BinaryCrossentropy", ...). Default configs. Throws on
// unknown names.
LossPtr get_loss(const std::string& identifier);

// Accepts "mse", a LossPtr, or a loss object by value: compile(..., loss = MeanSquaredError()).
class LossRef {
public:
    LossRef(const char* name);                         // NOLINT(runtime/explicit)
    LossRef(const std::string& name);                  // NOLINT(runtime/explicit)
    LossRef(LossPtr loss) : loss_(std::move(loss)) {}  // NOLINT(runtime/explicit)
    template <typename L, typename = std::enable_if_t<std::is_base_of_v<Loss, std::decay_t<L>>>>
    LossRef(L&& loss)  // NOLINT(runtime/explicit)
        : loss_(std::make_shared<std::decay_t<L>>(std::forward<L>(loss))) {}
    const LossPtr& get() const { return loss_; }

private:
    LossPtr loss_;
};

}  // namespace tfc
