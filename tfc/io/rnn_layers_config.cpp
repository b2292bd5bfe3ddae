// Keras configs of the sequence layers: Embedding, Masking, SimpleRNN, LSTM, GRU, Bidirectional,
// TimeDistributed. Keys follow Keras 2.15 get_config. Read variants: Keras 2.2's GRU with
// reset_after=false and hard_sigmoid gates, `implementation` 0/1/2 and `unroll` (same maths),
// Bidirectional's and TimeDistributed's nested {"class_name", "config"} (Keras 3 adds module
// keys), Embedding's optional `input_length`. Refused: stateful, time_major.
#include "tfc/io/config_helpers_impl.h"
#include "tfc/io/layer_registry.h"
#include "tfc/layers/layers.h"

namespace tfc::io {
namespace {

using namespace detail;  // NOLINT(build/namespaces)

LayerPtr embedding_from_config(const LayerConfig& c) {
    refuse_if_set(c, "lora_rank", "(LoRA) is not supported");
    refuse_if_set(c, "quantization_config", "(quantized weights) is not supported");
    const std::int64_t input_dim = bounded_int(c, "input_dim", 1, std::int64_t{1} << 31);
    const std::int64_t output_dim = bounded_int(c, "output_dim", 1, kMaxUnits);
    if (input_dim * output_dim > (std::int64_t{1} << 31)) {
        c.fail_key("input_dim", "makes the embedding table too large",
                   std::to_string(input_dim) + " x " + std::to_string(output_dim),
                   "at most 2^31 values");
    }
    EmbeddingOptions o;
    o.embeddings_initializer = c.get_initializer("embeddings_initializer", "uniform");
    o.mask_zero = c.get_bool("mask_zero", false);
    if (c.has("input_length")) {
        o.input_length = c.get_ints("input_length", 1, 1, std::int64_t{1} << 40, {})[0];
    }
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<Embedding>(input_dim, output_dim, o);
}

void embedding_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<Embedding>(layer);
    out.set("input_dim", l.input_dim());
    out.set("output_dim", l.output_dim());
    out.set_initializer("embeddings_initializer", *l.options().embeddings_initializer);
    write_nulls(out, {"embeddings_regularizer", "activity_regularizer", "embeddings_constraint"});
    out.set("mask_zero", l.options().mask_zero);
    if (l.options().input_length > 0) {
        out.set("input_length", l.options().input_length);
    } else {
        out.set_null("input_length");
    }
}

LayerPtr masking_from_config(const LayerConfig& c) {
    return std::make_shared<Masking>(
        c.get_double("mask_value", 0.0), MaskingOptions{.input_shape = c.input_shape(), .name = c.name()});
}

void masking_to_config(const Layer& layer, ConfigWriter& out) {
    out.set("mask_value", as<Masking>(layer).mask_value());
}

// The keys every recurrent layer shares; fills the fields its options struct has in common.
template <typename Options>
Options recurrent_options(const LayerConfig& c) {
    refuse_if_set(c, "stateful", "(stateful RNN) is not supported");
    refuse_if_set(c, "time_major", "(time-major inputs) is not supported");
    const std::int64_t impl = c.get_int("implementation", 2);
    if (impl < 0 || impl > 2) {
        c.fail_key("implementation", "is out of range", std::to_string(impl), "0, 1 or 2");
    }
    (void)c.get_bool("unroll", false);  // unrolling computes the same values
    Options o;
    o.activation = checked_activation(c, "activation", "tanh");
    o.use_bias = c.get_bool("use_bias", true);
    o.kernel_initializer = c.get_initializer("kernel_initializer", "glorot_uniform");
    o.recurrent_initializer = c.get_initializer("recurrent_initializer", "orthogonal");
    o.bias_initializer = c.get_initializer("bias_initializer", "zeros");
    o.dropout = c.get_double("dropout", 0.0);
    o.recurrent_dropout = c.get_double("recurrent_dropout", 0.0);
    for (const char* k : {"dropout", "recurrent_dropout"}) {
        const double r = c.get_double(k, 0.0);
        if (!(r >= 0.0 && r < 1.0)) c.fail_key(k, "is out of range", std::to_string(r), "0 <= rate < 1");
    }
    o.return_sequences = c.get_bool("return_sequences", false);
    o.return_state = c.get_bool("return_state", false);
    o.go_backwards = c.get_bool("go_backwards", false);
    o.input_shape = c.input_shape();
    o.name = c.name();
    return o;
}

LayerPtr finish_recurrent(const LayerConfig& c, std::shared_ptr<RecurrentLayer> layer) {
    if (c.get_bool("zero_output_for_mask", false)) layer->set_zero_output_for_mask(true);
    return layer;
}

void recurrent_head_to_config(const RecurrentLayer& l, ConfigWriter& out) {
    const RecurrentConfig& k = l.config();
    out.set("return_sequences", k.return_sequences);
    out.set("return_state", k.return_state);
    out.set("go_backwards", k.go_backwards);
    out.set("stateful", false);
    out.set("unroll", false);
    out.set("time_major", false);
    if (k.zero_output_for_mask) out.set("zero_output_for_mask", true);
    out.set("units", l.units());
    out.set("activation", k.activation);
    if (k.cell != ops::RnnCell::simple_rnn) out.set("recurrent_activation", k.recurrent_activation);
    out.set("use_bias", k.use_bias);
    out.set_initializer("kernel_initializer", *k.kernel_initializer);
    out.set_initializer("recurrent_initializer", *k.recurrent_initializer);
    out.set_initializer("bias_initializer", *k.bias_initializer);
    write_nulls(out, {"kernel_regularizer", "recurrent_regularizer", "bias_regularizer",
                      "activity_regularizer", "kernel_constraint", "recurrent_constraint",
                      "bias_constraint"});
    out.set("dropout", k.dropout);
    out.set("recurrent_dropout", k.recurrent_dropout);
}

std::string rnn_gate_activation(const LayerConfig& c) {
    return checked_activation(c, "recurrent_activation", "sigmoid");
}

LayerPtr simple_rnn_from_config(const LayerConfig& c) {
    const std::int64_t units = bounded_int(c, "units", 1, kMaxUnits);
    auto o = recurrent_options<SimpleRNNOptions>(c);
    return finish_recurrent(c, std::make_shared<SimpleRNN>(units, o));
}

void simple_rnn_to_config(const Layer& layer, ConfigWriter& out) {
    recurrent_head_to_config(as<SimpleRNN>(layer), out);
}

LayerPtr lstm_from_config(const LayerConfig& c) {
    const std::int64_t units = bounded_int(c, "units", 1, kMaxUnits);
    auto o = recurrent_options<LSTMOptions>(c);
    o.recurrent_activation = rnn_gate_activation(c);
    o.unit_forget_bias = c.get_bool("unit_forget_bias", true);
    return finish_recurrent(c, std::make_shared<LSTM>(units, o));
}

void lstm_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<LSTM>(layer);
    recurrent_head_to_config(l, out);
    out.set("unit_forget_bias", l.options().unit_forget_bias);
    out.set("implementation", 2);
}

LayerPtr gru_from_config(const LayerConfig& c) {
    const std::int64_t units = bounded_int(c, "units", 1, kMaxUnits);
    auto o = recurrent_options<GRUOptions>(c);
    o.recurrent_activation = rnn_gate_activation(c);
    o.reset_after = c.get_bool("reset_after", true);
    return finish_recurrent(c, std::make_shared<GRU>(units, o));
}

void gru_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<GRU>(layer);
    recurrent_head_to_config(l, out);
    out.set("implementation", 2);
    out.set("reset_after", l.options().reset_after);
}

std::string strip_prefix(const std::string& name, const std::string& prefix) {
    return name.rfind(prefix, 0) == 0 ? name.substr(prefix.size()) : name;
}

LayerPtr bidirectional_from_config(const LayerConfig& c) {
    BidirectionalOptions o;
    if (c.is_null("merge_mode")) {
        o.merge_mode = std::nullopt;  // Keras's None: both outputs
    } else {
        o.merge_mode = c.get_string("merge_mode", "concat");
        if (*o.merge_mode != "concat" && *o.merge_mode != "sum" && *o.merge_mode != "ave" &&
            *o.merge_mode != "mul") {
            c.fail_key("merge_mode", "is not supported", *o.merge_mode,
                       "concat, sum, ave, mul or null");
        }
    }
    LayerPtr inner = c.get_layer("layer");
    if (c.has("backward_layer")) o.backward_layer = c.get_layer("backward_layer");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<Bidirectional>(inner, o);
}

void bidirectional_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& b = as<Bidirectional>(layer);
    out.set_layer("layer", *b.forward_layer(), strip_prefix(b.forward_layer()->name(), "forward_"));
    if (b.options().merge_mode) {
        out.set("merge_mode", *b.options().merge_mode);
    } else {
        out.set_null("merge_mode");
    }
    if (b.options().backward_layer) {
        out.set_layer("backward_layer", *b.backward_layer(),
                      strip_prefix(b.backward_layer()->name(), "backward_"));
    }
}

LayerPtr time_distributed_from_config(const LayerConfig& c) {
    return std::make_shared<TimeDistributed>(
        c.get_layer("layer"), TimeDistributedOptions{.input_shape = c.input_shape(), .name = c.name()});
}

void time_distributed_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& inner = *as<TimeDistributed>(layer).layer();
    out.set_layer("layer", inner, inner.name());
}

}  // namespace

void register_rnn_layers(LayerRegistry& r) {
    r.add({"Embedding", embedding_from_config, embedding_to_config});
    r.add({"Masking", masking_from_config, masking_to_config});
    r.add({"SimpleRNN", simple_rnn_from_config, simple_rnn_to_config});
    r.add({"LSTM", lstm_from_config, lstm_to_config});
    r.add({"GRU", gru_from_config, gru_to_config});
    r.add({"Bidirectional", bidirectional_from_config, bidirectional_to_config});
    r.add({"TimeDistributed", time_distributed_from_config, time_distributed_to_config});
}

}  // namespace tfc::io
