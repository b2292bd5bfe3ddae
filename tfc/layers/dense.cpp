#include "tfc/layers/dense.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

Dense::Dense(std::int64_t units, DenseOptions options)
    : Layer(options.name.empty() ? unique_layer_name("dense") : options.name),
      units_(units),
      options_(std::move(options)),
      activation_(get_activation(options_.activation)) {
    TFC_CHECK(units_ > 0, name_, "units must be a positive integer", std::to_string(units_),
              "units > 0", "pass the number of output features, e.g. Dense(10)");
    set_declared_input_shape(options_.input_shape);
}

void Dense::check_input_shape(const Shape& input_shape) const {
    // Keras: input_spec min_ndim=2, and the last dimension must be known.
    check_input_rank(input_shape, -1, 2);
    TFC_CHECK(input_shape.back() > 0, name_, "the last dimension of the input must be defined",
              shape_str(input_shape), "a known positive last dimension",
              "give the model an input_shape whose last axis is fixed");
}

void Dense::build(const Shape& input_shape) {
    check_input_shape(input_shape);
    const std::int64_t in = input_shape.back();
    weights_.clear();
    add_weight("kernel", {in, units_}, *options_.kernel_initializer);
    if (options_.use_bias) add_weight("bias", {units_}, *options_.bias_initializer);
    Layer::build(input_shape);
}

Tensor Dense::kernel() const { return weights_.empty() ? Tensor() : weights_[0].value; }

Tensor Dense::bias() const {
    return options_.use_bias && weights_.size() > 1 ? weights_[1].value : Tensor();
}

Tensor Dense::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt Dense", "a built layer",
              "call the layer as layer(x), which builds it, or call build(shape) first");
    Tensor k = kernel();
    TFC_CHECK(inputs.rank() >= 2 && inputs.dim(-1) == k.dim(0), name_,
              "input's last dimension does not match the kernel", shape_str(inputs.shape()),
              "last dimension " + std::to_string(k.dim(0)),
              "feed inputs shaped like the ones the layer was built with");
    // Keras's Dense casts its input to the compute dtype (uint8 images, float64 arrays).
    Tensor x = inputs.dtype() == k.dtype() ? inputs : ops::cast(inputs, k.dtype());
    return activation_(ops::dense(x, k, bias()));
}

Shape Dense::compute_output_shape(const Shape& input_shape) const {
    check_input_shape(input_shape);
    if (built_) {
        TFC_CHECK(input_shape.back() == kernel().dim(0), name_,
                  "input's last dimension does not match the kernel", shape_str(input_shape),
                  "last dimension " + std::to_string(kernel().dim(0)),
                  "feed inputs shaped like the ones the layer was built with");
    }
    Shape out = input_shape;
    out.back() = units_;
    return out;
}

}  // namespace tfc
