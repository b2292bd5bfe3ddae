// TimeDistributed (keras/layers/rnn/time_distributed.py of Keras 2.15): applies a layer to every
// timestep of [batch, timesteps, ...] by folding time into the batch: the wrapped layer sees
// [batch * timesteps, ...], and its output is unfolded to [batch, timesteps, ...]. Weights are
// the wrapped layer's. An incoming mask is passed on unchanged.
//   TimeDistributed(Dense(8))
#pragma once

#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

struct TimeDistributedOptions {
    Shape input_shape{};  // without the batch dimension
    std::string name{};   // default "time_distributed", ...
};

class TimeDistributed : public Layer {
public:
    explicit TimeDistributed(LayerHandle layer, TimeDistributedOptions options = {});

    std::string class_name() const override { return "TimeDistributed"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    bool supports_masking() const override { return true; }
    void set_trainable(bool on) override;

    const LayerPtr& layer() const { return layer_; }

private:
    Shape inner_shape(const Shape& input_shape) const;
    void collect_weights();
    LayerPtr layer_;
};

}  // namespace tfc
