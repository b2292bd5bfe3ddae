// Keras configs of the core layers: Dense, Activation, Flatten, Reshape, Dropout, Rescaling,
// ReLU, LeakyReLU, Softmax, InputLayer. Keys and defaults follow Keras 2.15 get_config; the
// readers also accept the Keras 2.0 and Keras 3 spellings.
#include "tfc/core/error.h"
#include "tfc/io/layer_registry.h"
#include "tfc/layers/layers.h"

namespace tfc::io {
namespace {

template <typename L>
const L& as(const Layer& layer) {
    const auto* p = dynamic_cast<const L*>(&layer);
    TFC_ASSERT(p != nullptr);
    return *p;
}

void write_nulls(ConfigWriter& out, std::initializer_list<const char*> keys) {
    for (const char* k : keys) out.set_null(k);
}

std::string checked_activation(const LayerConfig& c, const std::string& key,
                               const std::string& fallback) {
    const std::string a = c.get_activation(key, fallback);
    if (!is_known_activation(a)) {
        c.fail_key(key, "names an unsupported activation", a,
                   "a Keras activation (relu, sigmoid, softmax, tanh, linear, ...)");
    }
    return a;
}

LayerPtr dense_from_config(const LayerConfig& c) {
    const std::int64_t units = c.get_int("units");
    if (units <= 0 || units > (std::int64_t{1} << 31)) {
        c.fail_key("units", "is out of range", std::to_string(units), "1 <= units <= 2^31");
    }
    DenseOptions o;
    o.activation = checked_activation(c, "activation", "linear");
    o.use_bias = c.get_bool("use_bias", true);
    o.kernel_initializer = c.get_initializer("kernel_initializer", "glorot_uniform");
    o.bias_initializer = c.get_initializer("bias_initializer", "zeros");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<Dense>(units, o);
}

void dense_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& d = as<Dense>(layer);
    out.set("units", d.units());
    out.set("activation", d.options().activation);
    out.set("use_bias", d.options().use_bias);
    out.set_initializer("kernel_initializer", *d.options().kernel_initializer);
    out.set_initializer("bias_initializer", *d.options().bias_initializer);
    write_nulls(out, {"kernel_regularizer", "bias_regularizer", "activity_regularizer",
                      "kernel_constraint", "bias_constraint"});
}

LayerPtr activation_from_config(const LayerConfig& c) {
    return std::make_shared<Activation>(
        checked_activation(c, "activation", "linear"),
        ActivationOptions{.input_shape = c.input_shape(), .name = c.name()});
}

void activation_to_config(const Layer& layer, ConfigWriter& out) {
    out.set("activation", as<Activation>(layer).activation());
}

LayerPtr flatten_from_config(const LayerConfig& c) {
    const std::string fmt = c.get_string("data_format", "channels_last");
    if (fmt != "channels_last") {
        c.fail_key("data_format", "is not supported", fmt, "channels_last");
    }
    return std::make_shared<Flatten>(FlattenOptions{.input_shape = c.input_shape(), .name = c.name()});
}

void flatten_to_config(const Layer&, ConfigWriter& out) { out.set("data_format", "channels_last"); }

LayerPtr reshape_from_config(const LayerConfig& c) {
    return std::make_shared<Reshape>(c.get_shape("target_shape"),
                                     ReshapeOptions{.input_shape = c.input_shape(), .name = c.name()});
}

void reshape_to_config(const Layer& layer, ConfigWriter& out) {
    out.set_shape("target_shape", as<Reshape>(layer).target_shape());
}

LayerPtr repeat_vector_from_config(const LayerConfig& c) {
    const std::int64_t n = c.get_int("n");
    if (n < 1) c.fail_key("n", "is out of range", std::to_string(n), "n >= 1");
    return std::make_shared<RepeatVector>(
        n, RepeatVectorOptions{.input_shape = c.input_shape(), .name = c.name()});
}

void repeat_vector_to_config(const Layer& layer, ConfigWriter& out) {
    out.set("n", as<RepeatVector>(layer).n());
}

LayerPtr dropout_from_config(const LayerConfig& c) {
    const double rate = c.get_double("rate");
    if (!(rate >= 0.0 && rate < 1.0)) {
        c.fail_key("rate", "is out of range", std::to_string(rate), "0 <= rate < 1");
    }
    DropoutOptions o{.input_shape = c.input_shape(), .name = c.name()};
    const std::int64_t seed = c.get_int("seed", -1);
    if (seed >= 0) o.seed = static_cast<std::uint64_t>(seed);
    // noise_shape only changes which units drop together in training; predictions ignore it.
    return std::make_shared<Dropout>(rate, o);
}

void dropout_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& d = as<Dropout>(layer);
    out.set("rate", d.rate());
    out.set_null("noise_shape");
    if (d.seed()) {
        out.set("seed", static_cast<std::int64_t>(*d.seed()));
    } else {
        out.set_null("seed");
    }
}

LayerPtr rescaling_from_config(const LayerConfig& c) {
    return std::make_shared<Rescaling>(
        c.get_double("scale"), RescalingOptions{.offset = c.get_double("offset", 0.0),
                                                .input_shape = c.input_shape(), .name = c.name()});
}

void rescaling_to_config(const Layer& layer, ConfigWriter& out) {
    out.set("scale", as<Rescaling>(layer).scale());
    out.set("offset", as<Rescaling>(layer).offset());
}

LayerPtr relu_from_config(const LayerConfig& c) {
    ReLUOptions o;
    o.max_value = c.get_optional_double("max_value");
    o.negative_slope = c.get_double("negative_slope", 0.0);
    o.threshold = c.get_double("threshold", 0.0);
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<ReLU>(o);
}

void relu_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& o = as<ReLU>(layer).options();
    if (o.max_value) {
        out.set("max_value", *o.max_value);
    } else {
        out.set_null("max_value");
    }
    out.set("negative_slope", o.negative_slope);
    out.set("threshold", o.threshold);
}

LayerPtr leaky_relu_from_config(const LayerConfig& c) {
    // Keras 2 writes `alpha`; Keras 3 writes `negative_slope` (same meaning).
    const double alpha = c.has("alpha") ? c.get_double("alpha") : c.get_double("negative_slope", 0.3);
    return std::make_shared<LeakyReLU>(
        LeakyReLUOptions{.alpha = alpha, .input_shape = c.input_shape(), .name = c.name()});
}

void leaky_relu_to_config(const Layer& layer, ConfigWriter& out) {
    out.set("alpha", as<LeakyReLU>(layer).alpha());
}

LayerPtr softmax_from_config(const LayerConfig& c) {
    const std::int64_t axis = c.get_int("axis", -1);
    if (axis < -16 || axis > 16) c.fail_key("axis", "is out of range", std::to_string(axis), "|axis| <= 16");
    return std::make_shared<Softmax>(SoftmaxOptions{
        .axis = static_cast<int>(axis), .input_shape = c.input_shape(), .name = c.name()});
}

void softmax_to_config(const Layer& layer, ConfigWriter& out) {
    out.set("axis", as<Softmax>(layer).axis());
}

LayerPtr input_layer_from_config(const LayerConfig& c) {
    if (c.get_bool("sparse", false) || c.get_bool("ragged", false)) {
        c.fail_key("sparse", "asks for sparse or ragged input", "true", "dense input (false)");
    }
    const Shape s = c.input_shape();
    if (s.empty() && !c.has("batch_input_shape") && !c.has("batch_shape")) {
        c.fail_key("batch_input_shape", "is missing", "no shape", "[null, dims...]");
    }
    return std::make_shared<InputLayer>(InputLayerOptions{.input_shape = s, .name = c.name()});
}

void input_layer_to_config(const Layer& layer, ConfigWriter& out) {
    out.set_shape("batch_input_shape", as<InputLayer>(layer).batch_input_shape());
    out.set("sparse", false);
    out.set("ragged", false);
}

}  // namespace

void register_core_layers(LayerRegistry& r) {
    r.add({"Dense", dense_from_config, dense_to_config});
    r.add({"Activation", activation_from_config, activation_to_config});
    r.add({"Flatten", flatten_from_config, flatten_to_config});
    r.add({"Reshape", reshape_from_config, reshape_to_config});
    r.add({"RepeatVector", repeat_vector_from_config, repeat_vector_to_config});
    r.add({"Dropout", dropout_from_config, dropout_to_config});
    r.add({"Rescaling", rescaling_from_config, rescaling_to_config});
    r.add({"ReLU", relu_from_config, relu_to_config});
    r.add({"LeakyReLU", leaky_relu_from_config, leaky_relu_to_config});
    r.add({"Softmax", softmax_from_config, softmax_to_config});
    r.add({"InputLayer", input_layer_from_config, input_layer_to_config});
}

}  // namespace tfc::io
