// Cropping2D (keras/layers/reshaping/cropping2d.py of Keras 2.15), channels_last: removes rows
// and columns at the borders. `cropping` takes Keras's int / pair / pair-of-pairs forms:
//   Cropping2D({.cropping = {{2, 2}, {4, 4}}})
#pragma once

#include <string>

#include "tfc/layers/layer.h"
#include "tfc/layers/zero_padding2d.h"

namespace tfc {

struct Cropping2DOptions {
    Padding2D cropping = 0;  // Keras default ((0, 0), (0, 0))
    std::string data_format = "channels_last";
    Shape input_shape{};
    std::string name{};  // default "cropping2d", ...
};

class Cropping2D : public Layer {
public:
    explicit Cropping2D(Cropping2DOptions options = {});
    std::string class_name() const override { return "Cropping2D"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    const Cropping2DOptions& options() const { return options_; }

private:
    Cropping2DOptions options_;
};

}  // namespace tfc
