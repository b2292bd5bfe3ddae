// Adagrad update (keras/optimizers/adagrad.py, Keras 2.15 `update_step`, dense branch): one fused
// float32 pass per variable.
#include "tfc/optimizers/adagrad.h"

#include <cmath>
#include <limits>

#include "tfc/optimizers/optimizer_impl.h"

namespace tfc {

using optimizers_impl::kParallelMin;

Adagrad::Adagrad(const AdagradOptions& options)
    : Optimizer(options.learning_rate, clip_options_of(options)),
      initial_accumulator_value_(options.initial_accumulator_value),
      epsilon_(options.epsilon) {
    const double inf = std::numeric_limits<double>::infinity();
    optimizers_impl::check_range("Adagrad", "initial_accumulator_value", initial_accumulator_value_,
                                 0.0, inf, true);
    optimizers_impl::check_range("Adagrad", "epsilon", epsilon_, 0.0, inf, true);
}

void Adagrad::update_step(const Tensor& grad, Tensor& var, std::int64_t /*step*/) {
    const std::int64_t n = var.size();
    const float* g = grad.data<float>();
    float* w = var.data<float>();
    float* acc = slot(var, "accumulator", initial_accumulator_value_).data<float>();
    const float lr = static_cast<float>(learning_rate_);
    const float eps = static_cast<float>(epsilon_);
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float ai = acc[i] + gi * gi;
        acc[i] = ai;
        w[i] -= lr * gi / std::sqrt(ai + eps);
    }
}

}  // namespace tfc
