#include "tfc/layers/time_distributed.h"

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {

TimeDistributed::TimeDistributed(LayerHandle layer, TimeDistributedOptions options)
    : Layer(options.name.empty() ? unique_layer_name("time_distributed") : options.name),
      layer_(layer.get()) {
    TFC_CHECK(layer_ != nullptr, name_, "no layer to wrap", "null", "a layer",
              "pass a layer, e.g. TimeDistributed(Dense(8))");
    set_declared_input_shape(options.input_shape);
}

Shape TimeDistributed::inner_shape(const Shape& s) const {
    TFC_CHECK(s.size() >= 3, name_, "input needs a time axis", shape_str(s),
              "rank >= 3: (batch, timesteps, ...)",
              "feed sequences; TimeDistributed applies " + layer_->class_name() +
                  " to every timestep");
    Shape in{s[0] < 0 || s[1] < 0 ? -1 : s[0] * s[1]};
    in.insert(in.end(), s.begin() + 2, s.end());
    return in;
}

void TimeDistributed::collect_weights() {
    weights_.clear();
    for (Weight* w : layer_->weights()) weights_.push_back(*w);
}

void TimeDistributed::build(const Shape& input_shape) {
    Shape in = inner_shape(input_shape);
    in[0] = -1;
    layer_->ensure_built(in);
    collect_weights();
    Layer::build(input_shape);
}

void TimeDistributed::set_trainable(bool on) {
    layer_->set_trainable(on);
    Layer::set_trainable(on);
    if (built_) collect_weights();
}

Tensor TimeDistributed::call(const Tensor& inputs, bool training) {
    const Shape s = inputs.shape();
    const Shape in = inner_shape(s);
    Tensor folded = ops::reshape(inputs, in);
    Tensor y = (*layer_)(folded, training);
    Shape out{s[0], s[1]};
    out.insert(out.end(), y.shape().begin() + 1, y.shape().end());
    return ops::reshape(y, out);
}

Shape TimeDistributed::compute_output_shape(const Shape& input_shape) const {
    Shape in = inner_shape(input_shape);
    in[0] = -1;
    const Shape inner_out = layer_->compute_output_shape(in);
    Shape out{input_shape[0], input_shape[1]};
    out.insert(out.end(), inner_out.begin() + 1, inner_out.end());
    return out;
}

}  // namespace tfc
