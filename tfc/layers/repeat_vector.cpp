#include "tfc/layers/repeat_vector.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

RepeatVector::RepeatVector(std::int64_t n, RepeatVectorOptions options)
    : Layer(options.name.empty() ? unique_layer_name("repeat_vector") : options.name), n_(n) {
    TFC_CHECK(n >= 1, name_, "n must be positive", std::to_string(n), "n >= 1",
              "pass the number of repetitions, e.g. RepeatVector(30)");
    set_declared_input_shape(options.input_shape);
}

void RepeatVector::build(const Shape& input_shape) {
    check_input_rank(input_shape, 2, 2);
    Layer::build(input_shape);
}

Shape RepeatVector::compute_output_shape(const Shape& input_shape) const {
    check_input_rank(input_shape, 2, 2);
    return {input_shape[0], n_, input_shape[1]};
}

Tensor RepeatVector::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(inputs.rank() == 2, name_, "RepeatVector takes (batch, features)",
              shape_str(inputs.shape()), "rank 2", "flatten the input first, e.g. with Flatten()");
    // [B, F] -> [B, 1, F] -> [B, n, F]; broadcast_to's gradient sums over the n copies.
    return ops::broadcast_to(ops::expand_dims(inputs, 1), {inputs.dim(0), n_, inputs.dim(1)});
}

}  // namespace tfc
