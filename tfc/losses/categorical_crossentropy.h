// CategoricalCrossentropy (keras/losses.py and keras/backend.py `categorical_crossentropy`,
// Keras 2.15). y_true is one-hot (or soft) with y_pred's shape; classes on the last axis.
//   probabilities: p = clip(y_pred / sum(y_pred), eps, 1 - eps); l = -sum(y log p)
//   logits:        l = -sum(y log_softmax(z))                     (no clipping)
// label_smoothing: y <- y (1 - s) + s / num_classes. Logits shortcut: an output of a Keras
// "softmax" activation is scored from its attached logits (Tensor::keras_logits("softmax")).
#pragma once

#include <string>

#include "tfc/losses/loss.h"

namespace tfc::losses {

struct CategoricalCrossentropyOptions {
    bool from_logits = false;
    double label_smoothing = 0.0;  // in [0, 1]
};

class CategoricalCrossentropy : public Loss {
public:
    explicit CategoricalCrossentropy(CategoricalCrossentropyOptions options = {});
    std::string name() const override { return "categorical_crossentropy"; }
    std::string class_name() const override { return "CategoricalCrossentropy"; }
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
    const CategoricalCrossentropyOptions& options() const { return options_; }

private:
    CategoricalCrossentropyOptions options_;
};

}  // namespace tfc::losses
