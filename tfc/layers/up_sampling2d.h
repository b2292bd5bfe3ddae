// UpSampling2D (keras/layers/reshaping/up_sampling2d.py of Keras 2.15), channels_last: repeats
// each row `size[0]` times and each column `size[1]` times (interpolation "nearest").
//   UpSampling2D({.size = {2, 3}})
// interpolation "bilinear" is not supported yet and is refused with an error.
#pragma once

#include <string>

#include "tfc/layers/layer.h"
#include "tfc/ops/pool.h"

namespace tfc {

struct UpSampling2DOptions {
    ops::Size2 size{2, 2};
    std::string data_format = "channels_last";
    std::string interpolation = "nearest";
    Shape input_shape{};
    std::string name{};  // default "up_sampling2d", ...
};

class UpSampling2D : public Layer {
public:
    explicit UpSampling2D(UpSampling2DOptions options = {});
    std::string class_name() const override { return "UpSampling2D"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    const UpSampling2DOptions& options() const { return options_; }

private:
    UpSampling2DOptions options_;
};

}  // namespace tfc
