// SparseCategoricalCrossentropy (keras/losses.py and keras/backend.py
// `sparse_categorical_crossentropy`, Keras 2.15). y_true holds class ids of shape
// y_pred.shape[:-1] or y_pred.shape[:-1] + (1,), integer or float (floats are truncated, as
// Keras's cast to int64). Ids outside [0, num_classes) throw.
//   probabilities: l = sparse_softmax_ce(log(clip(y_pred, eps, 1 - eps)))  (clip, then log; the
//                  softmax renormalises after clipping)
//   logits:        l = logsumexp(z) - z[y]
// Logits shortcut as CategoricalCrossentropy (Tensor::keras_logits("softmax")).
#pragma once

#include <string>

#include "tfc/losses/loss.h"

namespace tfc::losses {

struct SparseCategoricalCrossentropyOptions {
    bool from_logits = false;
};

class SparseCategoricalCrossentropy : public Loss {
public:
    explicit SparseCategoricalCrossentropy(SparseCategoricalCrossentropyOptions options = {});
    std::string name() const override { return "sparse_categorical_crossentropy"; }
    std::string class_name() const override { return "SparseCategoricalCrossentropy"; }
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
    const SparseCategoricalCrossentropyOptions& options() const { return options_; }

private:
    SparseCategoricalCrossentropyOptions options_;
};

}  // namespace tfc::losses
