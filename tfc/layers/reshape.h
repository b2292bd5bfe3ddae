// Reshape (keras/layers/reshaping/reshape.py of Keras 2.15): row-major reshape of each sample
// to target_shape (batch excluded); one dimension may be -1 and is inferred.
//   Reshape({7, 7, 64})
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct ReshapeOptions {
    Shape input_shape{};
    std::string name{};  // default "reshape", "reshape_1", ...
};

class Reshape : public Layer {
public:
    explicit Reshape(Shape target_shape, ReshapeOptions options = {});

    std::string class_name() const override { return "Reshape"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    const Shape& target_shape() const { return target_shape_; }

private:
    // target_shape with its -1 resolved for a sample of `sample_shape` (batch excluded); keeps -1
    // when a sample dimension is unknown. Throws when the element counts cannot match.
    Shape resolve(const Shape& sample_shape) const;

    Shape target_shape_;
};

}  // namespace tfc
