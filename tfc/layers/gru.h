// GRU (keras/layers/rnn/gru.py of Keras 2.15). Gates z, r, h along the last axis:
// kernel [in, 3u], recurrent_kernel [u, 3u]; bias [2, 3u] with reset_after (TF 2 default; row 0
// input bias, row 1 recurrent bias) or [3u] without. h = z*h_prev + (1-z)*hh.
//   GRU(32, {.reset_after = false})
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tfc/layers/rnn_base.h"

namespace tfc {

struct GRUOptions {
    std::string activation = "tanh";
    std::string recurrent_activation = "sigmoid";
    bool use_bias = true;
    InitializerRef kernel_initializer = "glorot_uniform";
    InitializerRef recurrent_initializer = "orthogonal";
    InitializerRef bias_initializer = "zeros";
    bool reset_after = true;
    double dropout = 0.0;
    double recurrent_dropout = 0.0;
    bool return_sequences = false;
    bool return_state = false;
    bool go_backwards = false;
    Shape input_shape{};  // without the batch dimension, as Keras's input_shape=
    std::string name{};   // default "gru", "gru_1", ...
};

class GRU : public RecurrentLayer {
public:
    explicit GRU(std::int64_t units, GRUOptions options = {});

    std::string class_name() const override { return "GRU"; }
    const GRUOptions& options() const { return options_; }
    std::shared_ptr<RecurrentLayer> clone_unbuilt(const std::string& name,
                                                  bool go_backwards) const override;

private:
    GRUOptions options_;
};

}  // namespace tfc
