#include "tfc/layers/simple_rnn.h"

namespace tfc {
namespace {

RecurrentConfig to_config(const SimpleRNNOptions& o) {
    RecurrentConfig c;
    c.cell = ops::RnnCell::simple_rnn;
    c.activation = o.activation;
    c.use_bias = o.use_bias;
    c.kernel_initializer = o.kernel_initializer;
    c.recurrent_initializer = o.recurrent_initializer;
    c.bias_initializer = o.bias_initializer;
    c.dropout = o.dropout;
    c.recurrent_dropout = o.recurrent_dropout;
    c.return_sequences = o.return_sequences;
    c.return_state = o.return_state;
    c.go_backwards = o.go_backwards;
    c.input_shape = o.input_shape;
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
