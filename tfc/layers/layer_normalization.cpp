#include "tfc/layers/layer_normalization.h"

#include "tfc/core/error.h"
#include "tfc/ops/norm.h"
#include "tfc/ops/ops.h"

namespace tfc {

LayerNormalization::LayerNormalization(LayerNormalizationOptions options)
    : Layer(options.name.empty() ? unique_layer_name("layer_normalization") : options.name),
      options_(std::move(options)) {
    TFC_CHECK(options_.epsilon > 0, name_, "epsilon must be positive",
              std::to_string(options_.epsilon), "> 0", "use the Keras default 1e-3");
    set_declared_input_shape(options_.input_shape);
}

void LayerNormalization::build(const Shape& input_shape) {
    check_input_rank(input_shape, -1, 1);
    const int rank = static_cast<int>(input_shape.size());
    TFC_CHECK(options_.axis >= -rank && options_.axis < rank, name_, "axis out of range",
              std::to_string(options_.axis) + " for input " + shape_str(input_shape),
              "an axis in [" + std::to_string(-rank) + ", " + std::to_string(rank - 1) + "]",
              "pass the feature axis, usually -1");
    axis_ = normalize_axis(options_.axis, rank, name_.c_str());
    features_ = input_shape[axis_];
    TFC_CHECK(features_ > 0, name_, "the normalised axis must have a known size",
              shape_str(input_shape), "a known dimension at axis " + std::to_string(options_.axis),
              "give the model an input_shape whose feature axis is fixed");
    weights_.clear();
    if (options_.scale) add_weight("gamma", {features_}, *options_.gamma_initializer);
    if (options_.center) add_weight("beta", {features_}, *options_.beta_initializer);
    Layer::build(input_shape);
}

Tensor LayerNormalization::gamma() const {
    return options_.scale && !weights_.empty() ? weights_[0].value : Tensor();
}

Tensor LayerNormalization::beta() const {
    if (!options_.center || weights_.empty()) return Tensor();
    return weights_[options_.scale ? 1 : 0].value;
}

Tensor LayerNormalization::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt LayerNormalization",
              "a built layer", "call the layer as layer(x), which builds it");
    const int rank = static_cast<int>(built_input_shape_.size());
    TFC_CHECK(inputs.rank() == rank && inputs.dim(axis_) == features_, name_,
              "input does not match the built layer", shape_str(inputs.shape()),
              "rank " + std::to_string(rank) + " with " + std::to_string(features_) +
                  " features at axis " + std::to_string(options_.axis),
              "feed inputs shaped like the ones the layer was built with");
    const DType dt = weights_.empty() ? DType::float32 : weights_[0].value.dtype();
    const Tensor x = inputs.dtype() == dt ? inputs : ops::cast(inputs, dt);
    return ops::layer_norm(x, gamma(), beta(), axis_, options_.epsilon);
}

}  // namespace tfc
