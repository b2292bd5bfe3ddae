// InputLayer (keras/engine/input_layer.py of Keras 2.15): declares the per-sample input shape.
// As the first entry of a Sequential it sets the model's input shape; its call is the identity
// after checking the input against that shape.
//   Sequential model({Input({28, 28}), Flatten(), Dense(10)});
//   InputLayer({.input_shape = {28, 28}})
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct InputLayerOptions {
    Shape input_shape{};  // without the batch dimension; -1 for a variable-size axis
    std::string name{};   // default "input_1", "input_2", ... (Keras counts inputs from 1)
};

class InputLayer : public Layer {
public:
    explicit InputLayer(InputLayerOptions options = {});

    std::string class_name() const override { return "InputLayer"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

    // The full shape with the batch dimension (-1): (None, *input_shape).
    Shape batch_input_shape() const;

private:
    void check_shape(const Shape& input_shape) const;
};

// Keras's `Input(shape)`, returning the InputLayer for a Sequential.
InputLayer Input(const Shape& shape, const std::string& name = "");

}  // namespace tfc
