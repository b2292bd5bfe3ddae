#include "tfc/layers/gru.h"

namespace tfc {
namespace {

RecurrentConfig to_config(const GRUOptions& o) {
    RecurrentConfig c = common_recurrent_config(ops::RnnCell::gru, o);
    c.recurrent_activation = o.recurrent_activation;
    c.reset_after = o.reset_after;
    return c;
}

}  // namespace

GRU::GRU(std::int64_t units, GRUOptions options)
    : RecurrentLayer(units, to_config(options),
                     options.name.empty() ? unique_layer_name("gru") : options.name),
      options_(std::move(options)) {}

std::shared_ptr<RecurrentLayer> GRU::clone_unbuilt(const std::string& name,
                                                     bool go_backwards) const {
    GRUOptions o = options_;
    o.name = name;
    o.go_backwards = go_backwards;
    auto copy = std::make_shared<GRU>(units_, o);
    copy->set_zero_output_for_mask(config_.zero_output_for_mask);
    return copy;
}

}  // namespace tfc
