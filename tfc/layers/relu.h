// ReLU (keras/layers/activation/relu.py and keras/backend.py `relu` of Keras 2.15):
//   f(x) = max_value                 for x >= max_value
//        = x                         for threshold <= x < max_value
//        = negative_slope * (x - threshold) otherwise
#pragma once

#include <optional>
#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct ReLUOptions {
    std::optional<double> max_value{};  // none = unbounded
    double negative_slope = 0.0;
    double threshold = 0.0;
    Shape input_shape{};
    std::string name{};  // default "re_lu", "re_lu_1", ...
};

class ReLU : public Layer {
public:
    explicit ReLU(ReLUOptions options = {});

    std::string class_name() const override { return "ReLU"; }
    Tensor call(const Tensor& inputs, bool training) override;

    const ReLUOptions& options() const { return options_; }

private:
    ReLUOptions options_;
};

}  // namespace tfc
