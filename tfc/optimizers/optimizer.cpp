// The optimizer base: validation, gradient filtering and clipping, iteration counting and slots
// (keras/optimizers/optimizer.py of Keras 2.15: `apply_gradients`, `_clip_gradients`,
// `add_variable_from_reference`), plus the string lookup with Keras 2 defaults.
#include "tfc/optimizers/optimizer.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <cmath>
#include <cstdio>
#include <limits>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/core/profiler.h"
#include "tfc/optimizers/adagrad.h"
#include "tfc/optimizers/adam.h"
#include "tfc/optimizers/optimizer_impl.h"
#include "tfc/optimizers/rmsprop.h"
#include "tfc/optimizers/sgd.h"

namespace tfc {
namespace optimizers_impl {

std::string format_number(double value) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", value);
    return buf;
}

void check_range(
    const char* where, const char* name, double value, double lo, double hi, bool hi_open) {
    const bool ok = std::isfinite(value) && value >= lo && (hi_open ? value < hi : value <= hi);
    if (ok) return;
    std::string expected = "a finite value in [" + format_number(lo) + ", ";
    expected += std::isinf(hi) ? "inf)" : format_number(hi) + (hi_open ? ")" : "]");
    const std::string field(name);
    fail(where, "`" + field + "` is out of range", field + "=" + format_number(value), expected,
         "pass a valid `" + field + "`");
}

}  // namespace optimizers_impl

namespace {

using optimizers_impl::format_number;
using optimizers_impl::kParallelMin;

double sum_squares(const Tensor& g) {
    const float* p = g.data<float>();
    const std::int64_t n = g.size();
    double acc = 0.0;
#pragma omp parallel for simd reduction(+ : acc) if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) acc += static_cast<double>(p[i]) * p[i];
    return acc;
}

Tensor scaled(const Tensor& g, double scale) {
    Tensor out = Tensor::empty(g.shape());
    const float* src = g.data<float>();
    float* dst = out.data<float>();
    const float s = static_cast<float>(scale);
    const std::int64_t n = g.size();
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dst[i] = src[i] * s;
    return out;
}

Tensor clipped_by_value(const Tensor& g, double clip) {
    Tensor out = Tensor::empty(g.shape());
    const float* src = g.data<float>();
    float* dst = out.data<float>();
    const float hi = static_cast<float>(clip);
    const float lo = -hi;
    const std::int64_t n = g.size();
#pragma omp parallel for simd if (n >= kParallelMin) schedule(static)
    for (std::int64_t i = 0; i < n; ++i) dst[i] = std::min(std::max(src[i], lo), hi);
    return out;
}

void check_clip(const ClipOptions& clip) {
    const char* where = "Optimizer";
    const int count = int(clip.clipnorm.has_value()) + int(clip.clipvalue.has_value()) +
                      int(clip.global_clipnorm.has_value());
    if (count > 1) {
        std::string got;
        if (clip.clipnorm) got += "clipnorm=" + format_number(*clip.clipnorm) + " ";
        if (clip.clipvalue) got += "clipvalue=" + format_number(*clip.clipvalue) + " ";
        if (clip.global_clipnorm) {
            got += "global_clipnorm=" + format_number(*clip.global_clipnorm) + " ";
        }
        got.pop_back();
        fail(where, "at most one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set", got,
             "a single clipping option", "keep only one of them");
    }
    const std::pair<const char*, const std::optional<double>*> fields[] = {
        {"clipnorm", &clip.clipnorm},
        {"clipvalue", &clip.clipvalue},
        {"global_clipnorm", &clip.global_clipnorm}};
    for (const auto& [name, value] : fields) {
        if (!value->has_value()) continue;
        const double v = **value;
        TFC_CHECK(std::isfinite(v) && v > 0, where, std::string("`") + name + "` must be > 0",
                  std::string(name) + "=" + format_number(v), "a finite value > 0",
                  std::string("pass a positive `") + name + "` or leave it unset");
    }
}

void check_learning_rate(double lr, const std::string& where) {
    TFC_CHECK(std::isfinite(lr) && lr >= 0, where, "invalid learning rate",
              "learning_rate=" + format_number(lr), "a finite value >= 0",
              "pass a non-negative learning rate such as 0.001");
}

}  // namespace

Optimizer::Optimizer(double learning_rate, ClipOptions clip)
    : learning_rate_(learning_rate), clip_(clip) {
    check_learning_rate(learning_rate, "Optimizer");
    check_clip(clip_);
}

Optimizer::Optimizer(const Optimizer& other)
    : learning_rate_(other.learning_rate_), clip_(other.clip_), iterations_(other.iterations_) {
    for (const auto& [id, named] : other.slots_) {
        auto& dst = slots_[id];
        for (const auto& [name, t] : named) dst.emplace(name, t.clone());
    }
}

Optimizer& Optimizer::operator=(const Optimizer& other) {
    if (this == &other) return *this;
    learning_rate_ = other.learning_rate_;
    clip_ = other.clip_;
    iterations_ = other.iterations_;
    slots_.clear();
    for (const auto& [id, named] : other.slots_) {
        auto& dst = slots_[id];
        for (const auto& [name, t] : named) dst.emplace(name, t.clone());
    }
    return *this;
}

void Optimizer::set_learning_rate(double lr) {
    check_learning_rate(lr, class_name() + ".set_learning_rate");
    learning_rate_ = lr;
}

Tensor& Optimizer::slot(const Tensor& var, const std::string& slot_name, double init) {
    auto& named = slots_[var.id()];
    auto it = named.find(slot_name);
    if (it == named.end()) {
        it = named.emplace(slot_name, Tensor::full(var.shape(), init, DType::float32)).first;
    }
    TFC_ASSERT(it->second.shape() == var.shape());
    return it->second;
}

void Optimizer::set_iterations(std::int64_t n) {
    TFC_CHECK(n >= 0, class_name() + ".set_iterations", "the step count is negative",
              std::to_string(n), ">= 0", "pass the saved iterations value");
    iterations_ = n;
}

void Optimizer::set_slot(const Tensor& var, const std::string& slot_name, const Tensor& value) {
    const auto names = slot_names();
    TFC_CHECK(std::find(names.begin(), names.end(), slot_name) != names.end(),
              class_name() + ".set_slot", "this optimizer has no slot '" + slot_name + "'",
              "'" + slot_name + "'", "one of its slots", "use slot_names()");
    TFC_CHECK(value.defined() && value.shape() == var.shape(), class_name() + ".set_slot",
              "slot '" + slot_name + "' does not fit its variable",
              value.defined() ? shape_str(value.shape()) : "undefined", shape_str(var.shape()),
              "restore the state saved for this model");
    Tensor& s = slot(var, slot_name);
    const Tensor v = value.dtype() == DType::float32 ? value : value.astype(DType::float32);
    std::memcpy(s.data<float>(), v.data<float>(), static_cast<std::size_t>(v.size()) * sizeof(float));
}

Tensor Optimizer::get_slot(const Tensor& var, const std::string& slot_name) const {
    auto named = slots_.find(var.id());
    if (named == slots_.end()) return Tensor();
    auto it = named->second.find(slot_name);
    return it == named->second.end() ? Tensor() : it->second;
}

std::vector<Tensor> Optimizer::clip_gradients(const std::vector<Tensor>& grads) const {
    std::vector<Tensor> out;
    out.reserve(grads.size());
    if (clip_.clipnorm) {
        // tf.clip_by_norm: g * c / max(||g||, c); a gradient inside the ball is passed as is.
        const double c = *clip_.clipnorm;
        for (const Tensor& g : grads) {
            const double norm = std::sqrt(sum_squares(g));
            out.push_back(norm > c || !std::isfinite(norm) ? scaled(g, c / std::max(norm, c)) : g);
        }
    } else if (clip_.global_clipnorm) {
        // tf.clip_by_global_norm: scale = c * min(1 / global_norm, 1 / c); NaN if the norm is
        // not finite.
        const double c = *clip_.global_clipnorm;
        double total = 0.0;
        for (const Tensor& g : grads) total += sum_squares(g);
        const double norm = std::sqrt(total);
        const double scale = std::isfinite(norm) ? c * std::min(1.0 / norm, 1.0 / c)
                                                 : std::numeric_limits<double>::quiet_NaN();
        for (const Tensor& g : grads) out.push_back(scale == 1.0 ? g : scaled(g, scale));
    } else if (clip_.clipvalue) {
        for (const Tensor& g : grads) out.push_back(clipped_by_value(g, *clip_.clipvalue));
    } else {
        out = grads;
    }
    return out;
}

void Optimizer::apply_gradients(const std::vector<Tensor>& grads, const std::vector<Tensor>& vars) {
    const std::string where = class_name() + ".apply_gradients";
    const std::string profile_name = class_name();
    const profiler::Scope scope(profiler::Kind::optimizer, profile_name.c_str());
    TFC_CHECK(grads.size() == vars.size(), where, "gradients and variables differ in number",
              std::to_string(grads.size()) + " gradients for " + std::to_string(vars.size()) +
                  " variables",
              "one gradient per variable", "pass tape.gradient(loss, vars) together with vars");
    std::vector<Tensor> live_grads;
    std::vector<Tensor> live_vars;
    for (std::size_t i = 0; i < vars.size(); ++i) {
        const Tensor& v = vars[i];
        const Tensor& g = grads[i];
        TFC_CHECK(v.defined(), where, "variable " + std::to_string(i) + " is undefined",
                  "an undefined tensor", "a float32 weight", "pass the model's trainable weights");
        TFC_CHECK(v.dtype() == DType::float32, where,
                  "variable " + std::to_string(i) + " is not float32", dtype_name(v.dtype()),
                  "float32", "optimizers update float32 weights only");
        if (!g.defined()) continue;  // Keras: filter_empty_gradients skips None gradients
        TFC_CHECK(g.dtype() == DType::float32, where,
                  "gradient " + std::to_string(i) + " is not float32", dtype_name(g.dtype()),
                  "float32", "cast the gradient to float32");
        TFC_CHECK(g.shape() == v.shape(), where,
                  "gradient " + std::to_string(i) + " does not match its variable's shape",
                  shape_str(g.shape()), shape_str(v.shape()),
                  "pass the gradients in the same order as the variables");
        live_grads.push_back(g);
        live_vars.push_back(v);
    }
    TFC_CHECK(!live_vars.empty() || vars.empty(), where, "no gradients provided for any variable",
              "all " + std::to_string(vars.size()) + " gradients undefined",
              "at least one defined gradient",
              "make sure the loss depends on the variables (computed inside the GradientTape)");
    if (live_vars.empty()) return;

    autograd::NoGradGuard no_grad;
    const std::vector<Tensor> clipped = clip_gradients(live_grads);
    const std::int64_t step = iterations_ + 1;
    for (std::size_t i = 0; i < live_vars.size(); ++i) {
        update_step(clipped[i], live_vars[i], step);
    }
    ++iterations_;
}

OptimizerPtr get_optimizer(const std::string& identifier) {
    std::string key = identifier;
    std::transform(key.begin(), key.end(), key.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (key == "sgd") return std::make_shared<SGD>();
    if (key == "rmsprop") return std::make_shared<RMSprop>();
    if (key == "adam") return std::make_shared<Adam>();
    if (key == "adagrad") return std::make_shared<Adagrad>();
    fail("get_optimizer", "unknown optimizer", "'" + identifier + "'",
         "one of 'sgd', 'rmsprop', 'adam', 'adagrad'",
         "use one of these names or pass an optimizer object, e.g. Adam({.learning_rate = 1e-3})");
}

OptimizerRef::OptimizerRef(const char* name)
    : opt_(get_optimizer(name ? std::string(name) : std::string())) {}

OptimizerRef::OptimizerRef(const std::string& name) : opt_(get_optimizer(name)) {}

OptimizerRef::OptimizerRef(OptimizerPtr opt) : opt_(std::move(opt)) {
    TFC_CHECK(opt_ != nullptr, "OptimizerRef", "null optimizer", "nullptr",
              "an optimizer object or name", "pass e.g. std::make_shared<Adam>() or \"adam\"");
}

}  // namespace tfc
