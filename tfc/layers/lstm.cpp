#include "tfc/layers/lstm.h"

namespace tfc {
namespace {

RecurrentConfig to_config(const LSTMOptions& o) {
    RecurrentConfig c = common_recurrent_config(ops::RnnCell::lstm, o);
    c.recurrent_activation = o.recurrent_activation;
    c.unit_forget_bias = o.unit_forget_bias;
    return c;
}

}  // namespace

LSTM::LSTM(std::int64_t units, LSTMOptions options)
    : RecurrentLayer(units, to_config(options),
                     options.name.empty() ? unique_layer_name("lstm") : options.name),
      options_(std::move(options)) {}

std::shared_ptr<RecurrentLayer> LSTM::clone_unbuilt(const std::string& name,
                                                     bool go_backwards) const {
    LSTMOptions o = options_;
    o.name = name;
    o.go_backwards = go_backwards;
    auto copy = std::make_shared<LSTM>(units_, o);
    copy->set_zero_output_for_mask(config_.zero_output_for_mask);
    return copy;
}

}  // namespace tfc
