// Keras 2 initializers (keras/initializers/initializers.py, keras/initializers/__init__.py of
// Keras 2.15). Orthogonal lives in orthogonal.cpp.
#include "tfc/initializers/initializers.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <functional>
#include <map>

#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/initializers/initializers_impl.h"

namespace tfc {

namespace detail {

void check_float_dtype(DType dtype, const std::string& where) {
    TFC_CHECK(is_floating(dtype), where, "random initializers need a floating dtype",
              dtype_name(dtype), "float32 or float64",
              "initialise in float32 and cast, or use Zeros/Ones/Constant");
}

Tensor fill_random(const Shape& shape, DType dtype, std::optional<std::uint64_t> seed,
                   const std::string& where, const std::function<double(Generator&)>& draw) {
    check_float_dtype(dtype, where);
    // A seeded initializer draws the same values on every call (Keras 2 behaviour).
    Generator local(seed.value_or(0));
    Generator& g = seed ? local : global_generator();
    Tensor t = Tensor::empty(shape, dtype);
    const std::int64_t n = t.size();
    if (dtype == DType::float32) {
        float* p = t.data<float>();
        for (std::int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(draw(g));
    } else {
        double* p = t.data<double>();
        for (std::int64_t i = 0; i < n; ++i) p[i] = draw(g);
    }
    return t;
}

}  // namespace detail

Fans compute_fans(const Shape& shape) {
    Fans f;
    if (shape.empty()) return f;
    if (shape.size() == 1) {
        f.fan_in = f.fan_out = static_cast<double>(shape[0]);
    } else if (shape.size() == 2) {
        f.fan_in = static_cast<double>(shape[0]);
        f.fan_out = static_cast<double>(shape[1]);
    } else {
        double receptive_field = 1.0;
        for (std::size_t i = 0; i + 2 < shape.size(); ++i) receptive_field *= shape[i];
        f.fan_in = static_cast<double>(shape[shape.size() - 2]) * receptive_field;
        f.fan_out = static_cast<double>(shape.back()) * receptive_field;
    }
    return f;
}

Tensor Zeros::operator()(const Shape& shape, DType dtype) const {
    return Tensor::zeros(shape, dtype);
}

Tensor Ones::operator()(const Shape& shape, DType dtype) const {
    return Tensor::ones(shape, dtype);
}

Tensor Constant::operator()(const Shape& shape, DType dtype) const {
    return Tensor::full(shape, value_, dtype);
}

Tensor RandomUniform::operator()(const Shape& shape, DType dtype) const {
    const double lo = minval_, hi = maxval_;
    return detail::fill_random(shape, dtype, seed_, "RandomUniform",
                               [lo, hi](Generator& g) { return g.uniform(lo, hi); });
}

Tensor RandomNormal::operator()(const Shape& shape, DType dtype) const {
    const double m = mean_, s = stddev_;
    return detail::fill_random(shape, dtype, seed_, "RandomNormal",
                               [m, s](Generator& g) { return g.normal(m, s); });
}

Tensor TruncatedNormal::operator()(const Shape& shape, DType dtype) const {
    const double m = mean_, s = stddev_;
    return detail::fill_random(shape, dtype, seed_, "TruncatedNormal",
                               [m, s](Generator& g) { return g.truncated_normal(m, s); });
}

VarianceScaling::VarianceScaling(double scale, std::string mode, std::string distribution,
                                 std::optional<std::uint64_t> seed)
    : scale_(scale), mode_(std::move(mode)), distribution_(std::move(distribution)), seed_(seed) {
    TFC_CHECK(scale_ > 0.0, "VarianceScaling", "scale must be positive", std::to_string(scale_),
              "scale > 0", "pass a positive scale such as 1.0 or 2.0");
    TFC_CHECK(mode_ == "fan_in" || mode_ == "fan_out" || mode_ == "fan_avg", "VarianceScaling",
              "invalid mode", "\"" + mode_ + "\"", "one of \"fan_in\", \"fan_out\", \"fan_avg\"",
              "use one of the listed modes");
    std::transform(distribution_.begin(), distribution_.end(), distribution_.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (distribution_ == "normal") distribution_ = "truncated_normal";  // Keras's alias
    TFC_CHECK(distribution_ == "truncated_normal" || distribution_ == "untruncated_normal" ||
                  distribution_ == "uniform",
              "VarianceScaling", "invalid distribution", "\"" + distribution_ + "\"",
              "one of \"truncated_normal\", \"untruncated_normal\", \"uniform\"",
              "use one of the listed distributions");
}

Tensor VarianceScaling::operator()(const Shape& shape, DType dtype) const {
    const Fans fans = compute_fans(shape);
    double scale = scale_;
    if (mode_ == "fan_in") {
        scale /= std::max(1.0, fans.fan_in);
    } else if (mode_ == "fan_out") {
        scale /= std::max(1.0, fans.fan_out);
    } else {
        scale /= std::max(1.0, (fans.fan_in + fans.fan_out) / 2.0);
    }
    if (distribution_ == "truncated_normal") {
        // 0.879... = stddev of a unit normal truncated to [-2, 2].
        const double stddev = std::sqrt(scale) / 0.87962566103423978;
        return detail::fill_random(shape, dtype, seed_, class_name_, [stddev](Generator& g) {
            return g.truncated_normal(0.0, stddev);
        });
    }
    if (distribution_ == "untruncated_normal") {
        const double stddev = std::sqrt(scale);
        return detail::fill_random(shape, dtype, seed_, class_name_,
                                   [stddev](Generator& g) { return g.normal(0.0, stddev); });
    }
    const double limit = std::sqrt(3.0 * scale);
    return detail::fill_random(shape, dtype, seed_, class_name_,
                               [limit](Generator& g) { return g.uniform(-limit, limit); });
}

GlorotUniform::GlorotUniform(std::optional<std::uint64_t> seed)
    : VarianceScaling(1.0, "fan_avg", "uniform", seed) {
    class_name_ = "GlorotUniform";
}
GlorotNormal::GlorotNormal(std::optional<std::uint64_t> seed)
    : VarianceScaling(1.0, "fan_avg", "truncated_normal", seed) {
    class_name_ = "GlorotNormal";
}
HeUniform::HeUniform(std::optional<std::uint64_t> seed)
    : VarianceScaling(2.0, "fan_in", "uniform", seed) {
    class_name_ = "HeUniform";
}
HeNormal::HeNormal(std::optional<std::uint64_t> seed)
    : VarianceScaling(2.0, "fan_in", "truncated_normal", seed) {
    class_name_ = "HeNormal";
}
LecunUniform::LecunUniform(std::optional<std::uint64_t> seed)
    : VarianceScaling(1.0, "fan_in", "uniform", seed) {
    class_name_ = "LecunUniform";
}
LecunNormal::LecunNormal(std::optional<std::uint64_t> seed)
    : VarianceScaling(1.0, "fan_in", "truncated_normal", seed) {
    class_name_ = "LecunNormal";
}

Tensor Identity::operator()(const Shape& shape, DType dtype) const {
    TFC_CHECK(shape.size() == 2, "Identity", "needs a 2-D shape", shape_str(shape), "rank 2",
              "use Identity only for square or rectangular matrices");
    Tensor t = Tensor::zeros(shape, DType::float64);
    double* p = t.data<double>();
    const std::int64_t n = std::min(shape[0], shape[1]);
    for (std::int64_t i = 0; i < n; ++i) p[i * shape[1] + i] = gain_;
    return dtype == DType::float64 ? t : t.astype(dtype);
}

namespace {

using Factory = std::function<InitializerPtr()>;

// Keras 2 resolves a string by class name, or by the snake_case of a class name, or by one of
// the aliases in keras/initializers/__init__.py ("zero", "one", "uniform", "normal", ...).
const std::map<std::string, Factory>& registry() {
    static const std::map<std::string, Factory> table = [] {
        std::map<std::string, Factory> m;
        auto add = [&m](std::initializer_list<const char*> names, Factory f) {
            for (const char* n : names) m[n] = f;
        };
        add({"Zeros", "zeros", "zero"}, [] { return std::make_shared<Zeros>(); });
        add({"Ones", "ones", "one"}, [] { return std::make_shared<Ones>(); });
        add({"Constant", "constant"}, [] { return std::make_shared<Constant>(); });
        add({"RandomUniform", "random_uniform", "uniform"},
            [] { return std::make_shared<RandomUniform>(); });
        add({"RandomNormal", "random_normal", "normal"},
            [] { return std::make_shared<RandomNormal>(); });
        add({"TruncatedNormal", "truncated_normal"},
            [] { return std::make_shared<TruncatedNormal>(); });
        add({"VarianceScaling", "variance_scaling"},
            [] { return std::make_shared<VarianceScaling>(); });
        add({"GlorotUniform", "glorot_uniform"}, [] { return std::make_shared<GlorotUniform>(); });
        add({"GlorotNormal", "glorot_normal"}, [] { return std::make_shared<GlorotNormal>(); });
        add({"HeUniform", "he_uniform"}, [] { return std::make_shared<HeUniform>(); });
        add({"HeNormal", "he_normal"}, [] { return std::make_shared<HeNormal>(); });
        add({"LecunUniform", "lecun_uniform"}, [] { return std::make_shared<LecunUniform>(); });
        add({"LecunNormal", "lecun_normal"}, [] { return std::make_shared<LecunNormal>(); });
        add({"Orthogonal", "orthogonal"}, [] { return std::make_shared<Orthogonal>(); });
        add({"Identity", "identity"}, [] { return std::make_shared<Identity>(); });
        return m;
    }();
    return table;
}

}  // namespace

std::vector<std::string> initializer_names() {
    std::vector<std::string> names;
    for (const auto& [name, factory] : registry()) names.push_back(name);
    return names;
}

InitializerPtr get_initializer(const std::string& identifier) {
    const auto& table = registry();
    auto it = table.find(identifier);
    if (it == table.end()) {
        std::string known;
        for (const auto& [name, factory] : table) {
            if (!known.empty()) known += ", ";
            known += "\"" + name + "\"";
        }
        fail("get_initializer", "unknown initializer", "\"" + identifier + "\"",
             "one of " + known, "check the spelling (Keras names are snake_case or class names)");
    }
    return it->second();
}

InitializerRef::InitializerRef(const char* name) : init_(get_initializer(name)) {}
InitializerRef::InitializerRef(const std::string& name) : init_(get_initializer(name)) {}
InitializerRef::InitializerRef(InitializerPtr init) : init_(std::move(init)) {
    TFC_CHECK(init_ != nullptr, "InitializerRef", "initializer is null", "nullptr",
              "an initializer", "pass a name such as \"glorot_uniform\" or an initializer object");
}

}  // namespace tfc
