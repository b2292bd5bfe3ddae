// Adam update (keras/optimizers/adam.py, Keras 2.15 `update_step`, dense branch): the step size
// alpha is computed once per variable in double, then one fused float32 pass updates m, v (and
// vhat) and the variable.
#include "tfc/optimizers/adam.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tfc/optimizers/optimizer_impl.h"

namespace tfc {

using optimizers_impl::kParallelMin;

namespace {

struct AdamScalars {
    float alpha, one_minus_b1, one_minus_b2, eps;
};

template <bool kAmsgrad>
void adam_loop(
    const float* g, float* w, float* m, float* v, float* vhat, std::int64_t n, AdamScalars s) {
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) {
        const float gi = g[i];
        const float mi = m[i] + (gi - m[i]) * s.one_minus_b1;
        float vi = v[i] + (gi * gi - v[i]) * s.one_minus_b2;
        m[i] = mi;
        v[i] = vi;
        if constexpr (kAmsgrad) {
            vi = std::max(vhat[i], vi);
            vhat[i] = vi;
        }
        w[i] -= (mi * s.alpha) / (std::sqrt(vi) + s.eps);
    }
}

}  // namespace

Adam::Adam(const AdamOptions& options)
    : Optimizer(options.learning_rate, clip_options_of(options)),
      beta_1_(options.beta_1),
      beta_2_(options.beta_2),
      epsilon_(options.epsilon),
      amsgrad_(options.amsgrad) {
    const double inf = std::numeric_limits<double>::infinity();
    optimizers_impl::check_range("Adam", "beta_1", beta_1_, 0.0, 1.0, true);
    optimizers_impl::check_range("Adam", "beta_2", beta_2_, 0.0, 1.0, true);
    optimizers_impl::check_range("Adam", "epsilon", epsilon_, 0.0, inf, true);
}

void Adam::update_step(const Tensor& grad, Tensor& var, std::int64_t step) {
    const std::int64_t n = var.size();
    const double t = static_cast<double>(step);
    const double alpha =
        learning_rate_ * std::sqrt(1.0 - std::pow(beta_2_, t)) / (1.0 - std::pow(beta_1_, t));
    const AdamScalars s{static_cast<float>(alpha), static_cast<float>(1.0 - beta_1_),
                        static_cast<float>(1.0 - beta_2_), static_cast<float>(epsilon_)};
    const float* g = grad.data<float>();
    float* w = var.data<float>();
    float* m = slot(var, "m").data<float>();
    float* v = slot(var, "v").data<float>();
    if (amsgrad_) {
        adam_loop<true>(g, w, m, v, slot(var, "vhat").data<float>(), n, s);
    } else {
        adam_loop<false>(g, w, m, v, nullptr, n, s);
    }
}

}  // namespace tfc
