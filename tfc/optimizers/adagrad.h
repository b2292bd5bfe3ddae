// Adagrad, Keras 2.15 (keras/optimizers/adagrad.py; tf.keras >= 2.11):
//   acc <- acc + g^2                 (acc starts at initial_accumulator_value)
//   w   <- w - lr * g / sqrt(acc + epsilon)
// Slot: "accumulator".
#pragma once

#include <optional>
#include <string>

#include "tfc/optimizers/optimizer.h"

namespace tfc {

struct AdagradOptions {
    double learning_rate = 0.001;
    double initial_accumulator_value = 0.1;  // >= 0
    double epsilon = 1e-7;                   // >= 0
    std::optional<double> clipnorm{};
    std::optional<double> clipvalue{};
    std::optional<double> global_clipnorm{};
};

class Adagrad : public Optimizer {
  public:
    explicit Adagrad(const AdagradOptions& options = {});
    std::string class_name() const override { return "Adagrad"; }
    std::vector<std::string> slot_names() const override { return {"accumulator"}; }

    double initial_accumulator_value() const { return initial_accumulator_value_; }
    double epsilon() const { return epsilon_; }

  protected:
    void update_step(const Tensor& grad, Tensor& var, std::int64_t step) override;

  private:
    double initial_accumulator_value_;
    double epsilon_;
};

}  // namespace tfc
