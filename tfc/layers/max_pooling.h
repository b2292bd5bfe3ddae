// MaxPooling1D / MaxPooling2D (keras/layers/pooling/max_pooling{1,2}d.py of Keras 2.15) and the
// shared pooling bases, channels_last only:
//   MaxPooling2D({.pool_size = {3, 3}, .strides = ops::Size2{1, 1}, .padding = "same"})
// strides unset means strides = pool_size, as in Keras. No weights.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tfc/layers/layer.h"
#include "tfc/ops/pool.h"

namespace tfc {

struct Pooling2DOptions {
    ops::Size2 pool_size{2, 2};
    std::optional<ops::Size2> strides{};  // unset: pool_size (Keras strides=None)
    std::string padding = "valid";        // "valid" or "same"
    std::string data_format = "channels_last";
    Shape input_shape{};  // without the batch dimension
    std::string name{};   // default per class, e.g. "max_pooling2d"
};

struct Pooling1DOptions {
    std::int64_t pool_size = 2;
    std::optional<std::int64_t> strides{};  // unset: pool_size
    std::string padding = "valid";
    std::string data_format = "channels_last";
    Shape input_shape{};
    std::string name{};
};

// Shape logic and argument checks shared by the 2-D pooling layers.
class Pooling2D : public Layer {
public:
    void build(const Shape& input_shape) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    const Pooling2DOptions& options() const { return options_; }
    ops::Size2 strides() const { return options_.strides.value_or(options_.pool_size); }

protected:
    Pooling2D(const std::string& default_name, Pooling2DOptions options);
    Pooling2DOptions options_;
};

class Pooling1D : public Layer {
public:
    void build(const Shape& input_shape) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    const Pooling1DOptions& options() const { return options_; }
    std::int64_t strides() const { return options_.strides.value_or(options_.pool_size); }

protected:
    Pooling1D(const std::string& default_name, Pooling1DOptions options);
    Pooling1DOptions options_;
};

class MaxPooling2D : public Pooling2D {
public:
    explicit MaxPooling2D(Pooling2DOptions options = {});
    std::string class_name() const override { return "MaxPooling2D"; }
    Tensor call(const Tensor& inputs, bool training) override;
};

class MaxPooling1D : public Pooling1D {
public:
    explicit MaxPooling1D(Pooling1DOptions options = {});
    std::string class_name() const override { return "MaxPooling1D"; }
    Tensor call(const Tensor& inputs, bool training) override;
};

// Keras's pooled length of one axis: valid floor((n - k) / s) + 1, same ceil(n / s); -1 stays
// unknown. Throws when a valid window does not fit.
std::int64_t pooled_length(std::int64_t n, std::int64_t k, std::int64_t s, bool same,
                           const std::string& where);

}  // namespace tfc
