// Conv1D (keras/layers/convolutional/conv1d.py + base_conv.py of Keras 2.15):
// y = activation(conv1d(x, kernel) + bias) on channels_last data [N, steps, C], with kernel
// [k, C / groups, filters] and bias [filters]. padding "causal" left-pads dilation * (k - 1)
// zeros, so output[t] depends only on input[<= t] (WaveNet-style).
//   Conv1D(32, 5, {.padding = "causal", .activation = "relu", .input_shape = {100, 1}})
#pragma once

#include <cstdint>
#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/activations.h"
#include "tfc/layers/layer.h"
#include "tfc/ops/conv.h"

namespace tfc {

struct Conv1DOptions {
    std::int64_t strides = 1;
    std::string padding = "valid";              // "valid", "same" or "causal"
    std::string data_format = "channels_last";  // channels_first is not supported
    std::int64_t dilation_rate = 1;
    std::int64_t groups = 1;
    std::string activation = "linear";
    bool use_bias = true;
    InitializerRef kernel_initializer = "glorot_uniform";
    InitializerRef bias_initializer = "zeros";
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "conv1d", "conv1d_1", ...
};

class Conv1D : public Layer {
public:
    Conv1D(std::int64_t filters, std::int64_t kernel_size, Conv1DOptions options = {});

    std::string class_name() const override { return "Conv1D"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    std::int64_t filters() const { return filters_; }
    std::int64_t kernel_size() const { return kernel_size_; }
    const Conv1DOptions& options() const { return options_; }
    Tensor kernel() const;  // undefined before build
    Tensor bias() const;    // undefined before build or without use_bias

private:
    void check_input_shape(const Shape& input_shape) const;

    std::int64_t filters_;
    std::int64_t kernel_size_;
    Conv1DOptions options_;
    ActivationFn activation_;
};

}  // namespace tfc
