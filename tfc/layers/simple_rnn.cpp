#include "tfc/layers/simple_rnn.h"

namespace tfc {
namespace {

RecurrentConfig to_config(const SimpleRNNOptions& o) {
    RecurrentConfig c = common_recurrent_config(ops::RnnCell::simple_rnn, o);
    return c;
}

}  // namespace

SimpleRNN::SimpleRNN(std::int64_t units, SimpleRNNOptions options)
    : RecurrentLayer(units, to_config(options),
                     options.name.empty() ? unique_layer_name("simple_rnn") : options.name),
      options_(std::move(options)) {}

std::shared_ptr<RecurrentLayer> SimpleRNN::clone_unbuilt(const std::string& name,
                                                     bool go_backwards) const {
    SimpleRNNOptions o = options_;
    o.name = name;
    o.go_backwards = go_backwards;
    auto copy = std::make_shared<SimpleRNN>(units_, o);
    copy->set_zero_output_for_mask(config_.zero_output_for_mask);
    return copy;
}

}  // namespace tfc
