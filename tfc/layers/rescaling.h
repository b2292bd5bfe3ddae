// Rescaling (keras/layers/preprocessing/image_preprocessing.py of Keras 2.15):
// y = x * scale + offset. Integer input (e.g. uint8 images) is cast to float32 first.
//   Rescaling(1.0 / 255)
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct RescalingOptions {
    double offset = 0.0;
    Shape input_shape{};
    std::string name{};  // default "rescaling", "rescaling_1", ...
};

class Rescaling : public Layer {
public:
    explicit Rescaling(double scale, RescalingOptions options = {});

    std::string class_name() const override { return "Rescaling"; }
    Tensor call(const Tensor& inputs, bool training) override;

    double scale() const { return scale_; }
    double offset() const { return offset_; }

private:
    double scale_, offset_;
};

}  // namespace tfc
