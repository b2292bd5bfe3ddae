// Test helpers for the optimizer tests: float32 variables and gradients built from doubles that
// are exactly float32-representable, so a float64 reference formula in the test starts from
// the very numbers the engine sees.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/core/tensor.h"
#include "tfc/optimizers/optimizer.h"

namespace tfc::testing {

// Rounds each value to float32 and back, so tests and engine share the same inputs.
inline std::vector<double> f32_exact(std::vector<double> v) {
    for (double& x : v) x = static_cast<double>(static_cast<float>(x));
    return v;
}

inline Tensor make_var(const std::vector<double>& values) {
    Tensor t =
        Tensor::from_doubles(values, {static_cast<std::int64_t>(values.size())}, DType::float32);
    t.set_requires_grad(true);
    return t;
}

inline Tensor make_grad(const std::vector<double>& values) {
    return Tensor::from_doubles(values, {static_cast<std::int64_t>(values.size())}, DType::float32);
}

// Deterministic gradient for step t (1-based) and n elements: a mix of signs and magnitudes
// (including exact zeros every 7th element), times `scale`, rounded to float32.
inline std::vector<double> grad_sequence(int t, std::int64_t n, double scale) {
    std::vector<double> g(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const std::int64_t k = (i * 37 + t * 11) % 29 - 14;  // -14 .. 14
        g[static_cast<std::size_t>(i)] = (i % 7 == 3) ? 0.0 : scale * static_cast<double>(k) / 8.0;
    }
    return f32_exact(g);
}

// Initial weights in [-1, 1) on multiples of 1/128, with some exact zeros.
inline std::vector<double> initial_weights(std::int64_t n) {
    std::vector<double> w(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        w[static_cast<std::size_t>(i)] = static_cast<double>((i * 53) % 256 - 128) / 128.0;
    }
    return w;
}

// |got - want| <= rtol * |want| + atol for every element; reports the worst element.
inline ::testing::AssertionResult all_close(const std::vector<double>& got,
                                            const std::vector<double>& want,
                                            double rtol,
                                            double atol,
                                            const std::string& what = "") {
    if (got.size() != want.size()) {
        return ::testing::AssertionFailure()
               << what << ": size " << got.size() << " vs " << want.size();
    }
    std::size_t worst = 0;
    double worst_excess = -1.0;
    for (std::size_t i = 0; i < got.size(); ++i) {
        const double err = std::abs(got[i] - want[i]);
        const double bound = rtol * std::abs(want[i]) + atol;
        const double excess = std::isnan(err) ? INFINITY : err - bound;
        if (excess > worst_excess) {
            worst_excess = excess;
            worst = i;
        }
    }
    if (worst_excess > 0) {
        return ::testing::AssertionFailure()
               << what << ": element " << worst << " got " << got[worst] << ", want " << want[worst]
               << " (|diff| " << std::abs(got[worst] - want[worst]) << ", rtol " << rtol
               << ", atol " << atol << ")";
    }
    return ::testing::AssertionSuccess();
}

// A float64 reference update for one variable at step t (1-based): w and g in, w updated.
using ReferenceStep =
    std::function<void(std::vector<double>& w, const std::vector<double>& g, int t)>;

struct ReplayOptions {
    std::int64_t n = 23;  // elements of the variable
    int steps = 8;
    double scale = 1.0;          // gradient magnitude (grad_sequence)
    bool start_at_zero = false;  // w0 = 0, so the weights are the accumulated updates
    // Called before step t (1-based) on the engine optimizer; the reference reads
    // opt.learning_rate() itself.
    std::function<void(Optimizer&, int)> before_step{};
};

// Runs `opt` on grad_sequence(t, n, scale) for `steps` steps and compares with `ref` after every
// step: rtol 1e-5 on the weights, with an absolute floor of 1e-6 (weights ~1: about 8 float32
// ulps) or, from w0 = 0, 1e-6 of the largest reference weight (the float32 noise of the
// accumulated updates, relative to their size).
inline ::testing::AssertionResult replay_against_reference(Optimizer& opt,
                                                           const ReferenceStep& ref,
                                                           const ReplayOptions& o) {
    std::vector<double> w = o.start_at_zero ? std::vector<double>(o.n, 0.0) : initial_weights(o.n);
    Tensor var = make_var(w);
    const void* buffer = var.raw_data();
    for (int t = 1; t <= o.steps; ++t) {
        if (o.before_step) o.before_step(opt, t);
        const std::vector<double> g = grad_sequence(t, o.n, o.scale);
        opt.apply_gradients({make_grad(g)}, {var});
        ref(w, g, t);
        double atol = 1e-6;
        if (o.start_at_zero) {
            double wmax = 0.0;
            for (double x : w) wmax = std::max(wmax, std::abs(x));
            atol = 1e-6 * wmax;
        }
        auto r = all_close(var.to_doubles(), w, 1e-5, atol, "step " + std::to_string(t));
        if (!r) return r;
        if (var.raw_data() != buffer) {
            return ::testing::AssertionFailure() << "variable reallocated at step " << t;
        }
    }
    return ::testing::AssertionSuccess();
}

}  // namespace tfc::testing
