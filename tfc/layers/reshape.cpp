#include "tfc/layers/reshape.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

Reshape::Reshape(Shape target_shape, ReshapeOptions options)
    : Layer(options.name.empty() ? unique_layer_name("reshape") : options.name),
      target_shape_(std::move(target_shape)) {
    int unknown = 0;
    for (std::int64_t d : target_shape_) {
        TFC_CHECK(d > 0 || d == -1, name_, "target_shape has an invalid dimension",
                  shape_str(target_shape_), "positive dimensions and at most one -1",
                  "give every dimension except the batch, e.g. Reshape({7, 7, 64})");
        if (d == -1) ++unknown;
    }
    TFC_CHECK(unknown <= 1, name_, "there must be at most one unknown dimension in target_shape",
              shape_str(target_shape_), "at most one -1", "spell out all but one dimension");
    set_declared_input_shape(options.input_shape);
}

Shape Reshape::resolve(const Shape& sample_shape) const {
    std::int64_t original = 1;
    for (std::int64_t d : sample_shape) {
        if (d < 0) return target_shape_;  // unknown sample size: nothing to resolve or check
        original *= d;
    }
    std::int64_t known = 1;
    int unknown = -1;
    for (std::size_t i = 0; i < target_shape_.size(); ++i) {
        if (target_shape_[i] == -1) {
            unknown = static_cast<int>(i);
        } else {
            known *= target_shape_[i];
        }
    }
    Shape out = target_shape_;
    const bool ok = unknown >= 0 ? original % known == 0 : original == known;
    TFC_CHECK(ok, name_, "total size of the new array must be unchanged",
              "input sample shape " + shape_str(sample_shape) + " (" + std::to_string(original) +
                  " elements) -> target_shape " + shape_str(target_shape_),
              unknown >= 0 ? "an element count divisible by " + std::to_string(known)
                           : std::to_string(known) + " elements per sample",
              "choose a target_shape with the same number of elements per sample");
    if (unknown >= 0) out[unknown] = original / known;
    return out;
}

void Reshape::build(const Shape& input_shape) {
    check_input_rank(input_shape, -1, 1);
    resolve(Shape(input_shape.begin() + 1, input_shape.end()));
    Layer::build(input_shape);
}

Shape Reshape::compute_output_shape(const Shape& input_shape) const {
    check_input_rank(input_shape, -1, 1);
    Shape out{input_shape[0]};
    const Shape t = resolve(Shape(input_shape.begin() + 1, input_shape.end()));
    out.insert(out.end(), t.begin(), t.end());
    return out;
}

Tensor Reshape::call(const Tensor& inputs, bool /*training*/) {
    const Shape& s = inputs.shape();
    TFC_CHECK(!s.empty(), name_, "input rank too small", shape_str(s),
              "rank >= 1 (batch included)", "pass batched input");
    Shape out{s[0]};
    const Shape t = resolve(Shape(s.begin() + 1, s.end()));
    out.insert(out.end(), t.begin(), t.end());
    return ops::reshape(inputs, out);
}

}  // namespace tfc
