// Softmax (keras/layers/activation/softmax.py of Keras 2.15): softmax along `axis`.
// Along the last axis the output carries its logits, as the "softmax" activation does, so a
// cross-entropy loss uses the stable logits form (Keras 2's backend recognises a Softmax op).
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct SoftmaxOptions {
    int axis = -1;
    Shape input_shape{};
    std::string name{};  // default "softmax", "softmax_1", ...
};

class Softmax : public Layer {
public:
    explicit Softmax(SoftmaxOptions options = {});

    std::string class_name() const override { return "Softmax"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;

    int axis() const { return axis_; }

private:
    int axis_;
};

}  // namespace tfc
