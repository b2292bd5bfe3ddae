// RMSprop, Keras 2.15 (keras/optimizers/rmsprop.py). Epsilon sits inside the square root:
//   v <- rho * v + (1 - rho) * g^2
//   centered: a <- rho * a + (1 - rho) * g;  d = v - a^2 + eps      otherwise d = v + eps
//   inc = lr * g / sqrt(d)
//   momentum > 0: mom <- momentum * mom + inc; w <- w - mom          otherwise w <- w - inc
// Slots: "velocity", plus "momentum" (momentum > 0) and "average_gradient" (centered).
#pragma once

#include <optional>
#include <string>

#include "tfc/optimizers/optimizer.h"

namespace tfc {

struct RMSpropOptions {
    double learning_rate = 0.001;
    double rho = 0.9;       // in [0, 1]
    double momentum = 0.0;  // in [0, 1]
    double epsilon = 1e-7;  // >= 0
    bool centered = false;
    std::optional<double> clipnorm{};
    std::optional<double> clipvalue{};
    std::optional<double> global_clipnorm{};
};

class RMSprop : public Optimizer {
  public:
    explicit RMSprop(const RMSpropOptions& options = {});
    std::string class_name() const override { return "RMSprop"; }

    double rho() const { return rho_; }
    double momentum() const { return momentum_; }
    double epsilon() const { return epsilon_; }
    bool centered() const { return centered_; }
    std::vector<std::string> slot_names() const override {
        std::vector<std::string> names{"velocity"};
        if (momentum_ > 0) names.emplace_back("momentum");
        if (centered_) names.emplace_back("average_gradient");
        return names;
    }

  protected:
    void update_step(const Tensor& grad, Tensor& var, std::int64_t step) override;

  private:
    double rho_;
    double momentum_;
    double epsilon_;
    bool centered_;
};

}  // namespace tfc
