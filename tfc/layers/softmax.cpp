#include "tfc/layers/softmax.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

Softmax::Softmax(SoftmaxOptions options)
    : Layer(options.name.empty() ? unique_layer_name("softmax") : options.name),
      axis_(options.axis) {
    set_declared_input_shape(options.input_shape);
}

void Softmax::build(const Shape& input_shape) {
    const int rank = static_cast<int>(input_shape.size());
    TFC_CHECK(axis_ >= -rank && axis_ < rank, name_, "axis is out of range for the input",
              "axis " + std::to_string(axis_) + " for input " + shape_str(input_shape),
              "an axis in [" + std::to_string(-rank) + ", " + std::to_string(rank) + ")",
              "pass .axis = -1 for the last (class) axis");
    Layer::build(input_shape);
}

Tensor Softmax::call(const Tensor& inputs, bool /*training*/) {
    Tensor y = ops::softmax(inputs, axis_);
    const int a = normalize_axis(axis_, inputs.rank(), "Softmax");
    // keras/backend.py (categorical_crossentropy) takes the input of a Softmax op as logits.
    if (a == inputs.rank() - 1) y.set_keras_logits(inputs, "softmax");
    return y;
}

}  // namespace tfc
