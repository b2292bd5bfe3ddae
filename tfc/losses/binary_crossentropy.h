// BinaryCrossentropy (keras/losses.py and keras/backend.py `binary_crossentropy`, Keras 2.15).
//   probabilities: p = clip(y_pred, eps, 1 - eps);
//                  l = -[y log(p + eps) + (1 - y) log(1 - p + eps)]   (clip AND a second +eps)
//   logits:        l = max(z, 0) - z y + log(1 + exp(-|z|))            (no clipping)
// The per-sample loss is the mean of l over `axis`. label_smoothing: y <- y (1 - s) + 0.5 s.
// Logits shortcut: when y_pred came out of a Keras "sigmoid" activation it carries its logits
// (Tensor::keras_logits("sigmoid")), and the loss is computed from them, whatever from_logits.
#pragma once

#include <string>

#include "tfc/losses/loss.h"

namespace tfc::losses {

struct BinaryCrossentropyOptions {
    bool from_logits = false;
    double label_smoothing = 0.0;  // in [0, 1]
    int axis = -1;
};

class BinaryCrossentropy : public Loss {
public:
    explicit BinaryCrossentropy(BinaryCrossentropyOptions options = {});
    std::string name() const override { return "binary_crossentropy"; }
    std::string class_name() const override { return "BinaryCrossentropy"; }
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
    const BinaryCrossentropyOptions& options() const { return options_; }

private:
    BinaryCrossentropyOptions options_;
};

}  // namespace tfc::losses
