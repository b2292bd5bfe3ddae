// Keras configs of the pooling and normalization layers: MaxPooling1D/2D, AveragePooling1D/2D,
// GlobalAveragePooling1D/2D, GlobalMaxPooling1D/2D, BatchNormalization, LayerNormalization.
// Keys follow Keras 2.15 get_config; BatchNormalization's `axis` is read as an int (Keras 3)
// or a one-element list (Keras 2 writes [3] once built).
#include "tfc/io/config_helpers_impl.h"
#include "tfc/io/layer_registry.h"
#include "tfc/layers/layers.h"

namespace tfc::io {
namespace {

using namespace detail;  // NOLINT(build/namespaces)

template <typename L>
LayerPtr pooling2d_from_config(const LayerConfig& c) {
    Pooling2DOptions o;
    const auto p = c.get_ints("pool_size", 2, 1, kMaxWindow, {2, 2});
    o.pool_size = {p[0], p[1]};
    if (c.has("strides")) {
        const auto s = c.get_ints("strides", 2, 1, kMaxWindow, {});
        o.strides = ops::Size2{s[0], s[1]};
    }
    o.padding = c.get_string("padding", "valid");
    o.data_format = channels_last(c);
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<L>(o);
}

void pooling2d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<Pooling2D>(layer);
    out.set_ints("pool_size", {l.options().pool_size.h, l.options().pool_size.w});
    out.set("padding", l.options().padding);
    out.set_ints("strides", {l.strides().h, l.strides().w});  // Keras writes the resolved strides
    out.set("data_format", l.options().data_format);
}

template <typename L>
LayerPtr pooling1d_from_config(const LayerConfig& c) {
    Pooling1DOptions o;
    o.pool_size = c.get_ints("pool_size", 1, 1, kMaxWindow, {2})[0];
    if (c.has("strides")) o.strides = c.get_ints("strides", 1, 1, kMaxWindow, {})[0];
    o.padding = c.get_string("padding", "valid");
    o.data_format = channels_last(c);
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<L>(o);
}

void pooling1d_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& l = as<Pooling1D>(layer);
    out.set_ints("strides", {l.strides()});
    out.set_ints("pool_size", {l.options().pool_size});
    out.set("padding", l.options().padding);
    out.set("data_format", l.options().data_format);
}

template <typename L>
LayerPtr global_pooling_from_config(const LayerConfig& c) {
    GlobalPoolingOptions o;
    o.data_format = channels_last(c);
    o.keepdims = c.get_bool("keepdims", false);
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<L>(o);
}

void global_pooling_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& o = as<GlobalPooling>(layer).options();
    out.set("data_format", o.data_format);
    out.set("keepdims", o.keepdims);
}

int single_axis(const LayerConfig& c, const char* key) {
    const auto axes = c.get_int_or_list(key, -1);
    if (axes.size() != 1 || axes[0] < -16 || axes[0] > 16) {
        c.fail_key(key, "is not a single axis", std::to_string(axes.size()) + " axes",
                   "one axis, e.g. -1 or [3] (normalising over several axes is not supported)");
    }
    return static_cast<int>(axes[0]);
}

LayerPtr batch_normalization_from_config(const LayerConfig& c) {
    refuse_if_set(c, "renorm", "(batch renormalization) is not supported");
    refuse_if_set(c, "virtual_batch_size", "(ghost batch norm) is not supported");
    refuse_if_set(c, "adjustment", "holds Python code, which is not supported");
    BatchNormalizationOptions o;
    o.axis = single_axis(c, "axis");
    o.momentum = c.get_double("momentum", 0.99);
    o.epsilon = c.get_double("epsilon", 1e-3);
    if (!(o.epsilon > 0.0)) c.fail_key("epsilon", "is not positive", std::to_string(o.epsilon), "> 0");
    o.center = c.get_bool("center", true);
    o.scale = c.get_bool("scale", true);
    o.beta_initializer = c.get_initializer("beta_initializer", "zeros");
    o.gamma_initializer = c.get_initializer("gamma_initializer", "ones");
    o.moving_mean_initializer = c.get_initializer("moving_mean_initializer", "zeros");
    o.moving_variance_initializer = c.get_initializer("moving_variance_initializer", "ones");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<BatchNormalization>(o);
}

void batch_normalization_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& o = as<BatchNormalization>(layer).options();
    out.set("axis", o.axis);
    out.set("momentum", o.momentum);
    out.set("epsilon", o.epsilon);
    out.set("center", o.center);
    out.set("scale", o.scale);
    out.set_initializer("beta_initializer", *o.beta_initializer);
    out.set_initializer("gamma_initializer", *o.gamma_initializer);
    out.set_initializer("moving_mean_initializer", *o.moving_mean_initializer);
    out.set_initializer("moving_variance_initializer", *o.moving_variance_initializer);
    write_nulls(out, {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"});
}

LayerPtr layer_normalization_from_config(const LayerConfig& c) {
    refuse_if_set(c, "rms_scaling", "(RMS normalization) is not supported");
    LayerNormalizationOptions o;
    o.axis = single_axis(c, "axis");
    o.epsilon = c.get_double("epsilon", 1e-3);
    if (!(o.epsilon > 0.0)) c.fail_key("epsilon", "is not positive", std::to_string(o.epsilon), "> 0");
    o.center = c.get_bool("center", true);
    o.scale = c.get_bool("scale", true);
    o.beta_initializer = c.get_initializer("beta_initializer", "zeros");
    o.gamma_initializer = c.get_initializer("gamma_initializer", "ones");
    o.input_shape = c.input_shape();
    o.name = c.name();
    return std::make_shared<LayerNormalization>(o);
}

void layer_normalization_to_config(const Layer& layer, ConfigWriter& out) {
    const auto& o = as<LayerNormalization>(layer).options();
    out.set("axis", o.axis);
    out.set("epsilon", o.epsilon);
    out.set("center", o.center);
    out.set("scale", o.scale);
    out.set_initializer("beta_initializer", *o.beta_initializer);
    out.set_initializer("gamma_initializer", *o.gamma_initializer);
    write_nulls(out, {"beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint"});
}

}  // namespace

void register_pooling_layers(LayerRegistry& r) {
    r.add({"MaxPooling2D", pooling2d_from_config<MaxPooling2D>, pooling2d_to_config});
    r.add({"AveragePooling2D", pooling2d_from_config<AveragePooling2D>, pooling2d_to_config});
    r.add({"MaxPooling1D", pooling1d_from_config<MaxPooling1D>, pooling1d_to_config});
    r.add({"AveragePooling1D", pooling1d_from_config<AveragePooling1D>, pooling1d_to_config});
    r.add({"GlobalAveragePooling1D", global_pooling_from_config<GlobalAveragePooling1D>,
           global_pooling_to_config});
    r.add({"GlobalAveragePooling2D", global_pooling_from_config<GlobalAveragePooling2D>,
           global_pooling_to_config});
    r.add({"GlobalMaxPooling1D", global_pooling_from_config<GlobalMaxPooling1D>,
           global_pooling_to_config});
    r.add({"GlobalMaxPooling2D", global_pooling_from_config<GlobalMaxPooling2D>,
           global_pooling_to_config});
    // Keras 2 aliases, written under the canonical names.
    r.add({"MaxPool2D", pooling2d_from_config<MaxPooling2D>, pooling2d_to_config});
    r.add({"AvgPool2D", pooling2d_from_config<AveragePooling2D>, pooling2d_to_config});
    r.add({"MaxPool1D", pooling1d_from_config<MaxPooling1D>, pooling1d_to_config});
    r.add({"AvgPool1D", pooling1d_from_config<AveragePooling1D>, pooling1d_to_config});
    r.add({"GlobalAvgPool1D", global_pooling_from_config<GlobalAveragePooling1D>,
           global_pooling_to_config});
    r.add({"GlobalAvgPool2D", global_pooling_from_config<GlobalAveragePooling2D>,
           global_pooling_to_config});
    r.add({"GlobalMaxPool1D", global_pooling_from_config<GlobalMaxPooling1D>,
           global_pooling_to_config});
    r.add({"GlobalMaxPool2D", global_pooling_from_config<GlobalMaxPooling2D>,
           global_pooling_to_config});
    r.add({"BatchNormalization", batch_normalization_from_config, batch_normalization_to_config});
    r.add({"LayerNormalization", layer_normalization_from_config, layer_normalization_to_config});
}

}  // namespace tfc::io
