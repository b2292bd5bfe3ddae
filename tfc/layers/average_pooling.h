// AveragePooling1D / AveragePooling2D (keras/layers/pooling/average_pooling{1,2}d.py of Keras
// 2.15), channels_last. With padding "same" the pad cells are excluded from each window's
// divisor (TensorFlow semantics), in the forward pass and in the gradient. No weights.
//   AveragePooling2D({.pool_size = {2, 2}, .padding = "same"})
#pragma once

#include "tfc/layers/max_pooling.h"

namespace tfc {

class AveragePooling2D : public Pooling2D {
public:
    explicit AveragePooling2D(Pooling2DOptions options = {});
    std::string class_name() const override { return "AveragePooling2D"; }
    Tensor call(const Tensor& inputs, bool training) override;
};

class AveragePooling1D : public Pooling1D {
public:
    explicit AveragePooling1D(Pooling1DOptions options = {});
    std::string class_name() const override { return "AveragePooling1D"; }
    Tensor call(const Tensor& inputs, bool training) override;
};

}  // namespace tfc
