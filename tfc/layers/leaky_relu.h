// LeakyReLU (keras/layers/activation/leaky_relu.py of Keras 2.15): x if x > 0 else alpha * x,
// with Keras 2's default alpha = 0.3 (the "leaky_relu" activation string uses 0.2).
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct LeakyReLUOptions {
    double alpha = 0.3;
    Shape input_shape{};
    std::string name{};  // default "leaky_re_lu", "leaky_re_lu_1", ...
};

class LeakyReLU : public Layer {
public:
    explicit LeakyReLU(LeakyReLUOptions options = {});

    std::string class_name() const override { return "LeakyReLU"; }
    Tensor call(const Tensor& inputs, bool training) override;

    double alpha() const { return alpha_; }

private:
    double alpha_;
};

}  // namespace tfc
