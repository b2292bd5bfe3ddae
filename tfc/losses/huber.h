// Huber (keras/losses.py `huber`, Keras 2.15): with e = y_pred - y_true,
//   l = mean(0.5 e^2 if |e| <= delta else delta |e| - 0.5 delta^2) over the last axis.
// |e| == delta takes the quadratic branch.
#pragma once

#include <string>

#include "tfc/losses/loss.h"

namespace tfc::losses {

struct HuberOptions {
    double delta = 1.0;  // finite, >= 0
};

class Huber : public Loss {
public:
    explicit Huber(HuberOptions options = {});
    std::string name() const override { return "huber_loss"; }
    std::string class_name() const override { return "Huber"; }
    Tensor call(const Tensor& y_true, const Tensor& y_pred) const override;
    const HuberOptions& options() const { return options_; }

private:
    HuberOptions options_;
};

}  // namespace tfc::losses
