#include "tfc/layers/batch_normalization.h"


#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/ops/norm.h"
#include "tfc/ops/ops.h"

namespace tfc {

BatchNormalization::BatchNormalization(BatchNormalizationOptions options)
    : Layer(options.name.empty() ? unique_layer_name("batch_normalization") : options.name),
      options_(std::move(options)) {
    TFC_CHECK(options_.epsilon > 0, name_, "epsilon must be positive",
              std::to_string(options_.epsilon), "> 0", "use the Keras default 1e-3");
    TFC_CHECK(options_.momentum >= 0 && options_.momentum <= 1, name_,
              "momentum must lie in [0, 1]", std::to_string(options_.momentum), "0 <= momentum <= 1",
              "use the Keras default 0.99");
    set_declared_input_shape(options_.input_shape);
}

void BatchNormalization::build(const Shape& input_shape) {
    check_input_rank(input_shape, -1, 1);
    const int rank = static_cast<int>(input_shape.size());
    TFC_CHECK(options_.axis >= -rank && options_.axis < rank, name_, "axis out of range",
              std::to_string(options_.axis) + " for input " + shape_str(input_shape),
              "an axis in [" + std::to_string(-rank) + ", " + std::to_string(rank - 1) + "]",
              "pass the feature axis, usually -1");
    axis_ = normalize_axis(options_.axis, rank, name_.c_str());
    const std::int64_t c = input_shape[axis_];
    TFC_CHECK(c > 0, name_, "the normalised axis must have a known size", shape_str(input_shape),
              "a known dimension at axis " + std::to_string(options_.axis),
              "give the model an input_shape whose feature axis is fixed");
    weights_.clear();
    if (options_.scale) add_weight("gamma", {c}, *options_.gamma_initializer);
    if (options_.center) add_weight("beta", {c}, *options_.beta_initializer);
    add_weight("moving_mean", {c}, *options_.moving_mean_initializer, false);
    add_weight("moving_variance", {c}, *options_.moving_variance_initializer, false);
    Layer::build(input_shape);
}

const Weight* BatchNormalization::find(const char* name) const {
    for (const auto& w : weights_) {
        if (w.name == name) return &w;
    }
    return nullptr;
}

Tensor BatchNormalization::gamma() const {
    const Weight* w = find("gamma");
    return w ? w->value : Tensor();
}
Tensor BatchNormalization::beta() const {
    const Weight* w = find("beta");
    return w ? w->value : Tensor();
}
Tensor BatchNormalization::moving_mean() const {
    const Weight* w = find("moving_mean");
    return w ? w->value : Tensor();
}
Tensor BatchNormalization::moving_variance() const {
    const Weight* w = find("moving_variance");
    return w ? w->value : Tensor();
}

Tensor BatchNormalization::call(const Tensor& inputs, bool training) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt BatchNormalization",
              "a built layer", "call the layer as layer(x), which builds it");
    const int rank = static_cast<int>(built_input_shape_.size());
    TFC_CHECK(inputs.rank() == rank && inputs.dim(axis_) == moving_mean().dim(0), name_,
              "input does not match the built layer", shape_str(inputs.shape()),
              "rank " + std::to_string(rank) + " with " + std::to_string(moving_mean().dim(0)) +
                  " features at axis " + std::to_string(options_.axis),
              "feed inputs shaped like the ones the layer was built with");
    Tensor mm = moving_mean(), mv = moving_variance();
    const Tensor x = inputs.dtype() == mm.dtype() ? inputs : ops::cast(inputs, mm.dtype());
    if (!trainable_) training = false;  // TF 2: a frozen BN layer runs in inference mode
    if (!training) return ops::batch_norm_inference(x, mm, mv, gamma(), beta(), axis_, options_.epsilon);
    TFC_CHECK(!inputs.keras_mask().defined(), name_,
              "masked batch statistics are not supported yet",
              "a mask of shape " + shape_str(inputs.keras_mask().shape()) + " in training",
              "no mask", "drop the mask before BatchNormalization, or run it with training=false");
    ops::BatchNormTrainingResult r =
        ops::batch_norm_training(x, gamma(), beta(), axis_, options_.epsilon);
    {
        autograd::NoGradGuard no_grad;
        const double decay = 1.0 - options_.momentum;
        mm.copy_from(ops::sub(mm, ops::mul(ops::sub(mm, r.mean), decay)));
        mv.copy_from(ops::sub(mv, ops::mul(ops::sub(mv, r.variance), decay)));
    }
    return r.output;
}

}  // namespace tfc
