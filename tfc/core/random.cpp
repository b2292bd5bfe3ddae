#include "tfc/core/random.h"

#include <cmath>
#include <limits>
#include <numbers>

#include "tfc/core/error.h"

namespace tfc {

Generator::Generator(std::uint64_t s) { seed(s); }

void Generator::seed(std::uint64_t s) {
    state_ = s ^ 0x9E3779B97F4A7C15ULL;
    has_spare_ = false;
}

// splitmix64 (Steele, Lea, Flood 2014): a full-period 64-bit generator with good mixing.
std::uint64_t Generator::next_u64() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

double Generator::uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

double Generator::uniform(double lo, double hi) {
    const double v = lo + (hi - lo) * uniform();
    return v < hi || !(lo < hi) ? v : std::nextafter(hi, lo);  // rounding may reach hi
}

double Generator::normal(double mean, double stddev) {
    if (has_spare_) {
        has_spare_ = false;
        return mean + stddev * spare_;
    }
    double u1 = 0.0;
    do {
        u1 = uniform();
    } while (u1 <= 0.0);
    const double u2 = uniform();
    const double r = std::sqrt(-2.0 * std::log(u1));
    spare_ = r * std::sin(2.0 * std::numbers::pi * u2);
    has_spare_ = true;
    return mean + stddev * r * std::cos(2.0 * std::numbers::pi * u2);
}

double Generator::truncated_normal(double mean, double stddev) {
    for (;;) {
        const double z = normal();
        if (std::fabs(z) <= 2.0) return mean + stddev * z;
    }
}

std::int64_t Generator::randint(std::int64_t n) {
    TFC_ASSERT(n > 0);
    return static_cast<std::int64_t>(next_u64() % static_cast<std::uint64_t>(n));
}

std::vector<std::int64_t> Generator::permutation(std::int64_t n) {
    std::vector<std::int64_t> p(n);
    for (std::int64_t i = 0; i < n; ++i) p[i] = i;
    for (std::int64_t i = n - 1; i > 0; --i) std::swap(p[i], p[randint(i + 1)]);
    return p;
}

Generator& global_generator() {
    static Generator g(0x5EED);
    return g;
}

void set_random_seed(std::uint64_t seed) { global_generator().seed(seed); }

namespace {
template <typename Fn>
Tensor fill_random(const Shape& shape, DType dtype, Fn draw) {
    TFC_CHECK(is_floating(dtype), "random", "random tensors need a floating dtype",
              dtype_name(dtype), "float32 or float64", "request float32 and cast afterwards");
    Tensor t = Tensor::empty(shape, dtype);
    const std::int64_t n = t.size();
    if (dtype == DType::float32) {
        float* p = t.data<float>();
        for (std::int64_t i = 0; i < n; ++i) p[i] = static_cast<float>(draw());
    } else {
        double* p = t.data<double>();
        for (std::int64_t i = 0; i < n; ++i) p[i] = draw();
    }
    return t;
}
}  // namespace

Tensor random_uniform(const Shape& shape, double lo, double hi, DType dtype) {
    auto& g = global_generator();
    if (dtype != DType::float32 || !(lo < hi)) {
        return fill_random(shape, dtype, [&] { return g.uniform(lo, hi); });
    }
    // [lo, hi) must also hold after rounding to float32 (rounding can land exactly on hi).
    const float hi_f = static_cast<float>(hi);
    const float below = std::nextafter(hi_f, -std::numeric_limits<float>::infinity());
    return fill_random(shape, dtype, [&] {
        const float v = static_cast<float>(g.uniform(lo, hi));
        return static_cast<double>(v < hi_f ? v : below);
    });
}

Tensor random_normal(const Shape& shape, double mean, double stddev, DType dtype) {
    auto& g = global_generator();
    return fill_random(shape, dtype, [&] { return g.normal(mean, stddev); });
}

Tensor truncated_normal(const Shape& shape, double mean, double stddev, DType dtype) {
    auto& g = global_generator();
    return fill_random(shape, dtype, [&] { return g.truncated_normal(mean, stddev); });
}

}  // namespace tfc
