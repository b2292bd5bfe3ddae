// Adam, Keras 2.15 (keras/optimizers/adam.py), in the "epsilon-hat" form (epsilon is not
// bias-corrected, unlike PyTorch and TF.js):
//   m <- m + (g - m) * (1 - beta_1);  v <- v + (g^2 - v) * (1 - beta_2)
//   amsgrad: vhat <- max(vhat, v), and vhat replaces v below
//   alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)    (t = iterations + 1)
//   w <- w - alpha * m / (sqrt(v) + epsilon)
// Slots: "m", "v", plus "vhat" with amsgrad.
#pragma once

#include <optional>
#include <string>

#include "tfc/optimizers/optimizer.h"

namespace tfc {

struct AdamOptions {
    double learning_rate = 0.001;
    double beta_1 = 0.9;    // in [0, 1)
    double beta_2 = 0.999;  // in [0, 1)
    double epsilon = 1e-7;  // >= 0
    bool amsgrad = false;
    std::optional<double> clipnorm{};
    std::optional<double> clipvalue{};
    std::optional<double> global_clipnorm{};
};

class Adam : public Optimizer {
  public:
    explicit Adam(const AdamOptions& options = {});
    std::string class_name() const override { return "Adam"; }

    double beta_1() const { return beta_1_; }
    double beta_2() const { return beta_2_; }
    double epsilon() const { return epsilon_; }
    bool amsgrad() const { return amsgrad_; }
    std::vector<std::string> slot_names() const override {
        return amsgrad_ ? std::vector<std::string>{"m", "v", "vhat"} : std::vector<std::string>{"m", "v"};
    }

  protected:
    void update_step(const Tensor& grad, Tensor& var, std::int64_t step) override;

  private:
    double beta_1_;
    double beta_2_;
    double epsilon_;
    bool amsgrad_;
};

}  // namespace tfc
