// Flatten (keras/layers/reshaping/flatten.py of Keras 2.15, channels_last): a row-major
// reshape to (batch, prod(other dims)); rank-1 input becomes (batch, 1).
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct FlattenOptions {
    Shape input_shape{};  // e.g. {28, 28}
    std::string name{};   // default "flatten", "flatten_1", ...
};

class Flatten : public Layer {
public:
    explicit Flatten(FlattenOptions options = {});

    std::string class_name() const override { return "Flatten"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
};

}  // namespace tfc
