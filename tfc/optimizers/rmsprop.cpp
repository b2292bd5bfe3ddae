// RMSprop update (keras/optimizers/rmsprop.py, Keras 2.15 `update_step`, dense branch): one fused
// float32 pass per variable, specialised at compile time on `centered` and `momentum > 0` so the
// loop body has no branches.
#include "tfc/optimizers/rmsprop.h"

#include <cmath>
#include <limits>

#include "tfc/optimizers/optimizer_impl.h"

namespace tfc {

using optimizers_impl::kParallelMin;

namespace {

struct RMSpropScalars {
    float lr, rho, one_minus_rho, mu, eps;
};

template <bool kCentered, bool kMomentum>
void rmsprop_loop(
    const float* g, float* w, float* v, float* a, float* mom, std::int64_t n, RMSpropScalars s) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float vi = s.rho * v[i] + s.one_minus_rho * gi * gi;
        v[i] = vi;
        float denom;
        if constexpr (kCentered) {
            const float ai = s.rho * a[i] + s.one_minus_rho * gi;
            a[i] = ai;
            denom = vi - ai * ai + s.eps;
        } else {
            denom = vi + s.eps;
        }
        const float inc = gi * s.lr / std::sqrt(denom);
        if constexpr (kMomentum) {
            const float mi = s.mu * mom[i] + inc;
            mom[i] = mi;
            w[i] -= mi;
        } else {
            w[i] -= inc;
        }
    }
}

}  // namespace

RMSprop::RMSprop(const RMSpropOptions& options)
    : Optimizer(options.learning_rate, clip_options_of(options)),
      rho_(options.rho),
      momentum_(options.momentum),
      epsilon_(options.epsilon),
      centered_(options.centered) {
    const double inf = std::numeric_limits<double>::infinity();
    optimizers_impl::check_range("RMSprop", "rho", rho_, 0.0, 1.0);
    optimizers_impl::check_range("RMSprop", "momentum", momentum_, 0.0, 1.0);
    optimizers_impl::check_range("RMSprop", "epsilon", epsilon_, 0.0, inf, true);
}

void RMSprop::update_step(const Tensor& grad, Tensor& var, std::int64_t /*step*/) {
    const std::int64_t n = var.size();
    const float* g = grad.data<float>();
    float* w = var.data<float>();
    float* v = slot(var, "velocity").data<float>();
    float* a = centered_ ? slot(var, "average_gradient").data<float>() : nullptr;
    float* mom = momentum_ > 0 ? slot(var, "momentum").data<float>() : nullptr;
    const RMSpropScalars s{static_cast<float>(learning_rate_), static_cast<float>(rho_),
                           static_cast<float>(1.0 - rho_), static_cast<float>(momentum_),
                           static_cast<float>(epsilon_)};
    if (centered_) {
        if (mom) {
            rmsprop_loop<true, true>(g, w, v, a, mom, n, s);
        } else {
            rmsprop_loop<true, false>(g, w, v, a, mom, n, s);
        }
    } else {
        if (mom) {
            rmsprop_loop<false, true>(g, w, v, a, mom, n, s);
        } else {
            rmsprop_loop<false, false>(g, w, v, a, mom, n, s);
        }
    }
}

}  // namespace tfc
