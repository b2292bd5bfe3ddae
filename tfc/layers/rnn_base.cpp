#include "tfc/layers/rnn_base.h"

#include "tfc/core/error.h"
#include "tfc/core/profiler.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

int gates_of(ops::RnnCell cell) {
    return cell == ops::RnnCell::lstm ? 4 : cell == ops::RnnCell::gru ? 3 : 1;
}

}  // namespace

RecurrentLayer::RecurrentLayer(std::int64_t units, RecurrentConfig config, const std::string& name)
    : Layer(name), units_(units), config_(std::move(config)) {
    TFC_CHECK(units_ > 0, name_, "units must be a positive integer", std::to_string(units_),
              "units > 0", "pass the size of the state, e.g. LSTM(64)");
    for (const auto& [arg, v] : {std::pair<const char*, double>{"dropout", config_.dropout},
                                 {"recurrent_dropout", config_.recurrent_dropout}}) {
        TFC_CHECK(v >= 0.0 && v < 1.0, name_, std::string("invalid ") + arg, std::to_string(v),
                  "a fraction 0 <= rate < 1", "pass the fraction of units to drop, e.g. 0.2");
    }
    // Fail on an unknown activation now, not at the first call.
    for (const std::string* a : {&config_.activation, &config_.recurrent_activation}) {
        TFC_CHECK(*a == "tanh" || *a == "sigmoid" || *a == "hard_sigmoid" ||
                      *a == "hard_sigmoid_keras3" || *a == "relu" || *a == "linear",
                  name_, "unsupported activation", "'" + *a + "'",
                  "one of tanh, sigmoid, hard_sigmoid, hard_sigmoid_keras3, relu, linear",
                  "pass one of the supported names");
    }
    set_declared_input_shape(config_.input_shape);
}

Shape RecurrentLayer::check_input_shape(const Shape& s) const {
    TFC_CHECK(s.size() == 3, name_, s.size() == 2 ? "RNN on 2-D input" : "input has the wrong rank",
              shape_str(s), "rank 3: (batch, timesteps, features)",
              s.size() == 2 ? "add a time axis: Reshape((timesteps, features)) before " +
                                  class_name() + ", or feed [batch, timesteps, features] data"
                            : "reshape the data to (batch, timesteps, features)");
    TFC_CHECK(s[2] > 0, name_, "the feature dimension of the input must be defined", shape_str(s),
              "a known positive last dimension", "give the model a fixed input_shape");
    return s;
}

void RecurrentLayer::build(const Shape& input_shape) {
    check_input_shape(input_shape);
    const std::int64_t in = input_shape[2], u = units_, G = gates_of(config_.cell);
    weights_.clear();
    add_weight("kernel", {in, G * u}, *config_.kernel_initializer);
    add_weight("recurrent_kernel", {u, G * u}, *config_.recurrent_initializer);
    if (config_.use_bias) {
        if (config_.cell == ops::RnnCell::lstm && config_.unit_forget_bias) {
            // Keras: concat([init((u,)), ones((u,)), init((2u,))]).
            const std::vector<double> a = (*config_.bias_initializer)({u}).to_doubles();
            const std::vector<double> c = (*config_.bias_initializer)({2 * u}).to_doubles();
            std::vector<double> v(a);
            v.insert(v.end(), static_cast<std::size_t>(u), 1.0);
            v.insert(v.end(), c.begin(), c.end());
            add_weight("bias", {G * u}, Constant(0.0));
            weights_.back().value.copy_from(Tensor::from_doubles(v, {G * u}, DType::float32));
        } else if (config_.cell == ops::RnnCell::gru && config_.reset_after) {
            add_weight("bias", {2, G * u}, *config_.bias_initializer);
        } else {
            add_weight("bias", {G * u}, *config_.bias_initializer);
        }
    }
    Layer::build(input_shape);
}

Tensor RecurrentLayer::kernel() const { return weights_.empty() ? Tensor() : weights_[0].value; }
Tensor RecurrentLayer::recurrent_kernel() const {
    return weights_.size() > 1 ? weights_[1].value : Tensor();
}
Tensor RecurrentLayer::bias() const {
    return config_.use_bias && weights_.size() > 2 ? weights_[2].value : Tensor();
}

std::vector<Tensor> RecurrentLayer::call_with_state(const Tensor& inputs,
                                                    const std::vector<Tensor>& initial_state,
                                                    bool training, const Tensor& mask_in) {
    TFC_CHECK(inputs.defined(), name_, "input is an undefined tensor", "Tensor()",
              "a tensor with data", "pass real data to the layer");
    check_input_shape(inputs.shape());
    if (!built_) ensure_built({-1, inputs.dim(1), inputs.dim(2)});
    const Tensor k = kernel();
    TFC_CHECK(inputs.dim(2) == k.dim(0), name_,
              "input's feature dimension does not match the kernel", shape_str(inputs.shape()),
              "last dimension " + std::to_string(k.dim(0)),
              "feed inputs shaped like the ones the layer was built with");
    const Tensor mask = mask_in.defined() ? mask_in : inputs.keras_mask();
    const std::int64_t B = inputs.dim(0), T = inputs.dim(1);
    if (mask.defined()) {
        TFC_CHECK(mask.shape() == (Shape{B, T}), name_, "mask shape does not fit the input",
                  "mask " + shape_str(mask.shape()) + " for input " + shape_str(inputs.shape()),
                  "(" + std::to_string(B) + ", " + std::to_string(T) + ") = (batch, timesteps)",
                  "pass one mask value per (sample, timestep), e.g. from Embedding(mask_zero) or "
                  "Masking");
    }
    const int n_states = config_.cell == ops::RnnCell::lstm ? 2 : 1;
    TFC_CHECK(initial_state.empty() || static_cast<int>(initial_state.size()) == n_states, name_,
              "wrong number of initial states", std::to_string(initial_state.size()),
              std::to_string(n_states) + (n_states == 2 ? " ([h, c])" : " ([h])"),
              "pass every state of the layer, or none for zeros");
    Tensor x = inputs.dtype() == k.dtype() ? inputs : ops::cast(inputs, k.dtype());
    std::vector<Tensor> init;
    for (const Tensor& s : initial_state) {
        init.push_back(s.dtype() == k.dtype() ? s : ops::cast(s, k.dtype()));
    }
    // Dropout masks are drawn once per call and shared by every timestep (Keras's
    // DropoutRNNCellMixin; implementation=2 uses one mask for all gates).
    if (training && config_.dropout > 0.0) {
        x = ops::mul(x, ops::dropout(Tensor::ones({B, 1, x.dim(2)}, x.dtype()), config_.dropout));
    }
    ops::RnnOptions o;
    o.cell = config_.cell;
    o.activation = config_.activation;
    o.recurrent_activation = config_.recurrent_activation;
    o.reset_after = config_.reset_after;
    o.go_backwards = config_.go_backwards;
    o.zero_output_for_mask = config_.zero_output_for_mask;
    o.mask = mask;
    if (training && config_.recurrent_dropout > 0.0) {
        o.recurrent_scale =
            ops::dropout(Tensor::ones({B, units_}, x.dtype()), config_.recurrent_dropout);
    }
    ops::RnnResult r = ops::rnn(x, k, recurrent_kernel(), bias(), init, o);
    Tensor out = config_.return_sequences ? r.sequence : r.last_output;
    if (config_.return_sequences && mask.defined()) out.set_keras_mask(mask);
    std::vector<Tensor> result{out};
    for (const Tensor& s : r.states) result.push_back(s);
    return result;
}

Tensor RecurrentLayer::call(const Tensor& inputs, bool training) {
    return call_with_state(inputs, {}, training)[0];
}

int RecurrentLayer::output_count() const {
    return 1 + (config_.return_state ? static_cast<int>(initial_state_shapes().size()) : 0);
}

std::vector<Shape> RecurrentLayer::initial_state_shapes() const {
    const std::size_t n = config_.cell == ops::RnnCell::lstm ? 2 : 1;
    return std::vector<Shape>(n, Shape{-1, units_});
}

std::vector<Shape> RecurrentLayer::compute_output_shapes(const Shape& input_shape) const {
    std::vector<Shape> out{compute_output_shape(input_shape)};
    if (config_.return_state) {  // then the final states, each (batch, units)
        for (std::size_t i = 0; i < initial_state_shapes().size(); ++i) {
            out.push_back({input_shape[0], units_});
        }
    }
    return out;
}

std::vector<Tensor> RecurrentLayer::call_list(const std::vector<Tensor>& inputs, bool training) {
    TFC_CHECK(!inputs.empty(), name_, "the layer was called on an empty list", "[]",
              "[x] or [x, initial states...]", "pass the sequence first");
    const profiler::Scope scope(profiler::Kind::forward, name_.c_str());
    std::vector<Tensor> outs = call_with_state(
        inputs[0], std::vector<Tensor>(inputs.begin() + 1, inputs.end()), training);
    outs.resize(static_cast<std::size_t>(output_count()));
    return outs;
}

Shape RecurrentLayer::compute_output_shape(const Shape& input_shape) const {
    check_input_shape(input_shape);
    if (config_.return_sequences) return {input_shape[0], input_shape[1], units_};
    return {input_shape[0], units_};
}

Tensor RecurrentLayer::compute_mask(const Tensor& /*inputs*/, const Tensor& mask) const {
    return config_.return_sequences ? mask : Tensor();
}

}  // namespace tfc
