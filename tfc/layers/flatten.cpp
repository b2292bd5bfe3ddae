#include "tfc/layers/flatten.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

Flatten::Flatten(FlattenOptions options)
    : Layer(options.name.empty() ? unique_layer_name("flatten") : options.name) {
    set_declared_input_shape(options.input_shape);
}

void Flatten::build(const Shape& input_shape) {
    check_input_rank(input_shape, -1, 1);
    Layer::build(input_shape);
}

Shape Flatten::compute_output_shape(const Shape& input_shape) const {
    check_input_rank(input_shape, -1, 1);
    std::int64_t features = 1;
    for (std::size_t i = 1; i < input_shape.size(); ++i) {
        if (input_shape[i] < 0) return {input_shape[0], -1};
        features *= input_shape[i];
    }
    return {input_shape[0], features};
}

Tensor Flatten::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(inputs.rank() >= 1, name_, "input rank too small", shape_str(inputs.shape()),
              "rank >= 1 (batch included)", "pass batched input");
    std::int64_t features = 1;  // from the dims, so an empty batch works too
    for (int i = 1; i < inputs.rank(); ++i) features *= inputs.dim(i);
    return ops::reshape(inputs, {inputs.dim(0), features});
}

}  // namespace tfc
