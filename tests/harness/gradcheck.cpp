#include "tests/harness/gradcheck.h"

#include "tfc/layers/layer.h"

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <sstream>

#include "tfc/autograd/tape.h"
#include "tfc/core/random.h"
#include "tfc/ops/ops.h"

namespace tfc::testing {

Tensor random_f64(const Shape& shape, double lo, double hi, std::uint64_t seed) {
    Generator g(seed);
    Tensor t = Tensor::empty(shape, DType::float64);
    double* p = t.data<double>();
    for (std::int64_t i = 0; i < t.size(); ++i) p[i] = g.uniform(lo, hi);
    return t;
}

Tensor random_f64_away_from_zero(const Shape& shape, double margin, std::uint64_t seed) {
    Generator g(seed);
    Tensor t = Tensor::empty(shape, DType::float64);
    double* p = t.data<double>();
    for (std::int64_t i = 0; i < t.size(); ++i) {
        const double v = g.uniform(margin, 1.0 + margin);
        p[i] = g.uniform() < 0.5 ? -v : v;
    }
    return t;
}

namespace {
double objective(const TensorFn& f, const std::vector<Tensor>& inputs, const Tensor& r) {
    autograd::NoGradGuard ng;
    Tensor y = f(inputs);
    return ops::sum(ops::mul(y, r)).item();
}
}  // namespace

::testing::AssertionResult check_gradients(const TensorFn& f, const std::vector<Tensor>& inputs,
                                           const GradCheckOptions& opts) {
    for (const auto& t : inputs) {
        if (is_floating(t.dtype()) && t.dtype() != DType::float64) {
            return ::testing::AssertionFailure() << "gradient checks run in float64; got "
                                                 << dtype_name(t.dtype());
        }
    }
    // Analytic gradients.
    Tensor r;
    std::vector<Tensor> analytic;
    {
        autograd::GradientTape tape;
        std::vector<Tensor> sources;
        for (const auto& t : inputs) {
            if (t.dtype() == DType::float64) {
                tape.watch(t);
                sources.push_back(t);
            }
        }
        Tensor y = f(inputs);
        if (y.dtype() != DType::float64) {
            return ::testing::AssertionFailure() << "function output is " << dtype_name(y.dtype());
        }
        r = random_f64(y.shape(), -1.0, 1.0, opts.seed);
        Tensor loss = ops::sum(ops::mul(y, r));
        analytic = tape.gradient(loss, sources);
    }
    // Numeric gradients, element by element (sampled for large inputs).
    std::size_t src_index = 0;
    Generator pick(opts.seed + 1);
    for (std::size_t k = 0; k < inputs.size(); ++k) {
        if (inputs[k].dtype() != DType::float64) continue;
        Tensor x = inputs[k];
        const Tensor& ga = analytic[src_index++];
        double* p = x.data<double>();
        const double* gp = ga.data<double>();
        const std::int64_t n = x.size();
        const std::int64_t probes = std::min<std::int64_t>(n, opts.max_checked);
        for (std::int64_t j = 0; j < probes; ++j) {
            const std::int64_t i = probes == n ? j : pick.randint(n);
            const double saved = p[i];
            p[i] = saved + opts.eps;
            const double up = objective(f, inputs, r);
            p[i] = saved - opts.eps;
            const double down = objective(f, inputs, r);
            p[i] = saved;
            const double numeric = (up - down) / (2.0 * opts.eps);
            const double diff = std::fabs(numeric - gp[i]);
            if (!(diff <= opts.atol + opts.rtol * std::fabs(numeric))) {
                return ::testing::AssertionFailure()
                       << "gradient mismatch for input " << k << " " << shape_str(x.shape())
                       << " at flat index " << i << ": analytic " << gp[i] << ", numeric "
                       << numeric << " (diff " << diff << ")";
            }
        }
    }
    return ::testing::AssertionSuccess();
}

std::string source_dir() {
    if (const char* env = std::getenv("TFC_SOURCE_DIR")) return env;
    return TFC_SOURCE_DIR;
}

std::string shared_dir() {
    if (const char* env = std::getenv("TFC_SHARED_DIR")) return env;
    // The repository's sibling `shared` folder, looking upwards from the source tree.
    std::filesystem::path dir = std::filesystem::absolute(source_dir());
    for (int up = 0; up < 4 && dir.has_parent_path() && dir != dir.parent_path(); ++up) {
        dir = dir.parent_path();
        std::error_code ec;
        if (std::filesystem::is_directory(dir / "shared" / "datasets", ec)) {
            return (dir / "shared").string();
        }
    }
    return source_dir() + "/../shared";
}

bool have_shared_datasets() {
    std::error_code ec;
    return std::filesystem::is_directory(shared_dir() + "/datasets", ec);
}

std::vector<Tensor> use_f64_weights(Layer& layer, std::uint64_t seed, double lim) {
    std::vector<Tensor> out;
    for (Weight* w : layer.weights()) {
        w->value = random_f64(w->value.shape(), -lim, lim, seed++);
        w->value.set_requires_grad(true);
        out.push_back(w->value);
    }
    return out;
}

}  // namespace tfc::testing
