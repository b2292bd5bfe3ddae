// Keras initializers (keras/initializers/initializers.py of Keras 2.15): names, defaults and
// formulas, including VarianceScaling's fans and the truncated-normal stddev correction.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc {

class Initializer {
public:
    virtual ~Initializer() = default;
    virtual std::string class_name() const = 0;  // Keras class name, e.g. "GlorotUniform"
    // Draws from the seed when given, else from the global generator (set_random_seed).
    virtual Tensor operator()(const Shape& shape, DType dtype = DType::float32) const = 0;
};

using InitializerPtr = std::shared_ptr<Initializer>;

// Keras fans: 2-D [in, out]; conv kernels [..spatial.., in, out] multiply by the receptive
// field; 1-D / 0-D use the single dimension (keras/initializers/initializers.py `_compute_fans`).
struct Fans {
    double fan_in = 1, fan_out = 1;
};
Fans compute_fans(const Shape& shape);

class Zeros : public Initializer {
public:
    std::string class_name() const override { return "Zeros"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;
};

class Ones : public Initializer {
public:
    std::string class_name() const override { return "Ones"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;
};

class Constant : public Initializer {
public:
    explicit Constant(double value = 0.0) : value_(value) {}
    std::string class_name() const override { return "Constant"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;

private:
    double value_;
};

class RandomUniform : public Initializer {
public:
    explicit RandomUniform(double minval = -0.05, double maxval = 0.05,
                           std::optional<std::uint64_t> seed = std::nullopt)
        : minval_(minval), maxval_(maxval), seed_(seed) {}
    std::string class_name() const override { return "RandomUniform"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;

private:
    double minval_, maxval_;
    std::optional<std::uint64_t> seed_;
};

class RandomNormal : public Initializer {
public:
    explicit RandomNormal(double mean = 0.0, double stddev = 0.05,
                          std::optional<std::uint64_t> seed = std::nullopt)
        : mean_(mean), stddev_(stddev), seed_(seed) {}
    std::string class_name() const override { return "RandomNormal"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;

private:
    double mean_, stddev_;
    std::optional<std::uint64_t> seed_;
};

class TruncatedNormal : public Initializer {
public:
    explicit TruncatedNormal(double mean = 0.0, double stddev = 0.05,
                             std::optional<std::uint64_t> seed = std::nullopt)
        : mean_(mean), stddev_(stddev), seed_(seed) {}
    std::string class_name() const override { return "TruncatedNormal"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;

private:
    double mean_, stddev_;
    std::optional<std::uint64_t> seed_;
};

// mode: "fan_in" | "fan_out" | "fan_avg"; distribution: "truncated_normal" | "untruncated_normal"
// | "uniform". truncated_normal uses stddev = sqrt(scale / n) / 0.87962566103423978.
class VarianceScaling : public Initializer {
public:
    explicit VarianceScaling(double scale = 1.0, std::string mode = "fan_in",
                             std::string distribution = "truncated_normal",
                             std::optional<std::uint64_t> seed = std::nullopt);
    std::string class_name() const override { return class_name_; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;

protected:
    double scale_;
    std::string mode_, distribution_;
    std::optional<std::uint64_t> seed_;
    std::string class_name_ = "VarianceScaling";
};

// The named VarianceScaling presets (keras/initializers/initializers.py): Glorot = (1, fan_avg),
// He = (2, fan_in), Lecun = (1, fan_in); "*Normal" draws from the truncated normal.
struct GlorotUniform : VarianceScaling {
    explicit GlorotUniform(std::optional<std::uint64_t> seed = std::nullopt);
};
struct GlorotNormal : VarianceScaling {
    explicit GlorotNormal(std::optional<std::uint64_t> seed = std::nullopt);
};
struct HeUniform : VarianceScaling {
    explicit HeUniform(std::optional<std::uint64_t> seed = std::nullopt);
};
struct HeNormal : VarianceScaling {
    explicit HeNormal(std::optional<std::uint64_t> seed = std::nullopt);
};
struct LecunUniform : VarianceScaling {
    explicit LecunUniform(std::optional<std::uint64_t> seed = std::nullopt);
};
struct LecunNormal : VarianceScaling {
    explicit LecunNormal(std::optional<std::uint64_t> seed = std::nullopt);
};

// QR of a normal matrix (rows = prod(shape[:-1]), cols = shape[-1]), sign-corrected, times gain.
class Orthogonal : public Initializer {
public:
    explicit Orthogonal(double gain = 1.0, std::optional<std::uint64_t> seed = std::nullopt)
        : gain_(gain), seed_(seed) {}
    std::string class_name() const override { return "Orthogonal"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;

private:
    double gain_;
    std::optional<std::uint64_t> seed_;
};

// gain * identity for 2-D shapes (rectangular shapes get ones on the main diagonal).
class Identity : public Initializer {
public:
    explicit Identity(double gain = 1.0) : gain_(gain) {}
    std::string class_name() const override { return "Identity"; }
    Tensor operator()(const Shape& shape, DType dtype = DType::float32) const override;

private:
    double gain_;
};

// Keras string identifiers: "glorot_uniform", "he_normal", "zeros", "ones", "uniform",
// "random_uniform", "normal", "random_normal", "truncated_normal", "orthogonal", "constant",
// "lecun_uniform", ... and the class names ("GlorotUniform", ...). Throws on unknown names.
InitializerPtr get_initializer(const std::string& identifier);
// Every identifier get_initializer accepts, sorted.
std::vector<std::string> initializer_names();

// Accepts "he_normal", an InitializerPtr, or an initializer by value, so options structs read
// like Keras: Dense(64, {.kernel_initializer = HeNormal(42)}). Names resolve (and fail) at once.
class InitializerRef {
public:
    InitializerRef(const char* name);                  // NOLINT(runtime/explicit)
    InitializerRef(const std::string& name);           // NOLINT(runtime/explicit)
    InitializerRef(InitializerPtr init);               // NOLINT(runtime/explicit)
    template <typename I, typename = std::enable_if_t<std::is_base_of_v<Initializer, I>>>
    InitializerRef(std::shared_ptr<I> init)  // NOLINT(runtime/explicit)
        : InitializerRef(InitializerPtr(std::move(init))) {}
    template <typename I,
              typename = std::enable_if_t<std::is_base_of_v<Initializer, std::decay_t<I>>>>
    InitializerRef(I&& init)  // NOLINT(runtime/explicit)
        : init_(std::make_shared<std::decay_t<I>>(std::forward<I>(init))) {}
    const InitializerPtr& get() const { return init_; }
    const Initializer& operator*() const { return *init_; }

private:
    InitializerPtr init_;
};

}  // namespace tfc
