// The shared finite-difference gradient check. Every differentiable op and layer runs through it
// in float64: the analytic gradient of L = sum(f(x) * R) (R fixed random) from the tape must
// match central differences (L(x + eps) - L(x - eps)) / 2 eps.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc {
class Layer;
}

namespace tfc::testing {

struct GradCheckOptions {
    double eps = 1e-6;
    double atol = 1e-6;
    double rtol = 1e-5;
    std::int64_t max_checked = 256;  // elements per input probed (sampled when larger)
    std::uint64_t seed = 7;
};

using TensorFn = std::function<Tensor(const std::vector<Tensor>&)>;

// Checks every floating input of `inputs` (which must be float64); integer inputs pass through.
::testing::AssertionResult check_gradients(const TensorFn& f, const std::vector<Tensor>& inputs,
                                           const GradCheckOptions& opts = {});

// Uniform float64 tensor from a private generator (does not disturb the global seed).
Tensor random_f64(const Shape& shape, double lo, double hi, std::uint64_t seed);

// Replaces every weight of a built layer with a uniform float64 tensor in [-lim, lim) that
// requires gradients (seeds seed, seed + 1, ...), so that the float64 check differentiates
// through the layer. Returns the new weights in weights() order.
std::vector<Tensor> use_f64_weights(Layer& layer, std::uint64_t seed, double lim = 1.0);

// Values kept away from a kink (|x| >= margin), for relu-like ops.
Tensor random_f64_away_from_zero(const Shape& shape, double margin, std::uint64_t seed);

// Repository root (for golden files and datasets).
std::string source_dir();
std::string shared_dir();  // $TFC_SHARED_DIR, or the nearest `shared` folder beside an ancestor
bool have_shared_datasets();  // shared_dir()/datasets exists

}  // namespace tfc::testing

// Tests on the real datasets skip (with a message) on machines that do not have them.
#define TFC_SKIP_WITHOUT_SHARED()                                                         \
    do {                                                                                  \
        if (!::tfc::testing::have_shared_datasets())                                     \
            GTEST_SKIP() << "shared datasets not found (set TFC_SHARED_DIR): "            \
                         << ::tfc::testing::shared_dir();                                 \
    } while (0)
