// SGD update (keras/optimizers/sgd.py, Keras 2.15): one fused float32 pass per variable. The
// velocity slot "m" exists only with momentum > 0; with momentum 0 Keras's update reduces to
// w <- w - lr * g, which is what runs here.
#include "tfc/optimizers/sgd.h"

#include "tfc/optimizers/optimizer_impl.h"

namespace tfc {

using optimizers_impl::kParallelMin;

SGD::SGD(const SGDOptions& options)
    : Optimizer(options.learning_rate, clip_options_of(options)),
      momentum_(options.momentum),
      nesterov_(options.nesterov) {
    optimizers_impl::check_range("SGD", "momentum", momentum_, 0.0, 1.0);
}

void SGD::update_step(const Tensor& grad, Tensor& var, std::int64_t /*step*/) {
    const std::int64_t n = var.size();
    const float* g = grad.data<float>();
    float* w = var.data<float>();
    const float lr = static_cast<float>(learning_rate_);
    if (momentum_ == 0.0) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
        for (std::int64_t i = 0; i < n; ++i) w[i] -= lr * g[i];
        return;
    }
    float* m = slot(var, "m").data<float>();
    const float mu = static_cast<float>(momentum_);
    if (nesterov_) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
        for (std::int64_t i = 0; i < n; ++i) {
            const float step = lr * g[i];
            const float mi = mu * m[i] - step;
            m[i] = mi;
            w[i] += mu * mi - step;
        }
    } else {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
        for (std::int64_t i = 0; i < n; ++i) {
            const float mi = mu * m[i] - lr * g[i];
            m[i] = mi;
            w[i] += mi;
        }
    }
}

}  // namespace tfc
