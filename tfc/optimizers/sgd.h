// SGD with optional (Nesterov) momentum, Keras 2.15 (keras/optimizers/sgd.py):
//   m <- momentum * m - lr * g
//   w <- w + m                           (nesterov: w <- w + momentum * m - lr * g)
// The learning rate sits inside the velocity, so a changed lr affects only new steps.
#pragma once

#include <optional>
#include <string>

#include "tfc/optimizers/optimizer.h"

namespace tfc {

struct SGDOptions {
    double learning_rate = 0.01;
    double momentum = 0.0;  // in [0, 1]
    bool nesterov = false;
    std::optional<double> clipnorm{};
    std::optional<double> clipvalue{};
    std::optional<double> global_clipnorm{};
};

class SGD : public Optimizer {
  public:
    explicit SGD(const SGDOptions& options = {});
    std::string class_name() const override { return "SGD"; }

    double momentum() const { return momentum_; }
    std::vector<std::string> slot_names() const override {
        return momentum_ > 0 ? std::vector<std::string>{"m"} : std::vector<std::string>{};
    }
    bool nesterov() const { return nesterov_; }

  protected:
    void update_step(const Tensor& grad, Tensor& var, std::int64_t step) override;

  private:
    double momentum_;
    bool nesterov_;
};

}  // namespace tfc
