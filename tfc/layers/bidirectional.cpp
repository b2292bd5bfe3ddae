#include "tfc/layers/bidirectional.h"

#include <numeric>

#include "tfc/core/error.h"
#include "tfc/core/profiler.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

std::shared_ptr<RecurrentLayer> as_recurrent(const LayerPtr& l, const std::string& where,
                                             const char* what) {
    auto r = std::dynamic_pointer_cast<RecurrentLayer>(l);
    TFC_CHECK(r != nullptr, where, std::string(what) + " is not a recurrent layer",
              l ? l->class_name() : "null", "SimpleRNN, LSTM or GRU",
              "wrap a recurrent layer, e.g. Bidirectional(LSTM(32))");
    return r;
}

// x[:, ::-1] along axis 1, differentiable (transpose + gather + transpose).
Tensor reverse_time(const Tensor& x) {
    const std::int64_t T = x.dim(1);
    std::vector<std::int64_t> idx(static_cast<std::size_t>(T));
    std::iota(idx.rbegin(), idx.rend(), std::int64_t{0});
    Tensor ids = Tensor::from_vector(idx, {T});
    return ops::transpose(ops::gather(ops::transpose(x, {1, 0, 2}), ids), {1, 0, 2});
}

}  // namespace

Bidirectional::Bidirectional(LayerHandle layer, BidirectionalOptions options)
    : Layer(options.name.empty() ? unique_layer_name("bidirectional") : options.name),
      options_(std::move(options)) {
    if (options_.merge_mode) {
        const std::string& m = *options_.merge_mode;
        TFC_CHECK(m == "concat" || m == "sum" || m == "ave" || m == "mul", name_,
                  "invalid merge_mode", "'" + m + "'",
                  "one of concat, sum, ave, mul, or std::nullopt (both outputs)",
                  "pick a merge mode");
    }
    forward_ = as_recurrent(layer.get(), name_, "the wrapped layer");
    TFC_CHECK(!forward_->built(), name_, "the wrapped layer is already built", forward_->name(),
              "an unbuilt layer", "pass a fresh layer; Bidirectional builds both copies");
    const std::string base = forward_->name();
    if (options_.backward_layer) {
        backward_ = as_recurrent(options_.backward_layer, name_, "backward_layer");
        TFC_CHECK(backward_->config().go_backwards != forward_->config().go_backwards &&
                      backward_->config().return_sequences ==
                          forward_->config().return_sequences &&
                      backward_->config().return_state == forward_->config().return_state,
                  name_, "backward_layer does not fit the forward layer",
                  "go_backwards " + std::to_string(backward_->config().go_backwards) +
                      ", return_sequences " +
                      std::to_string(backward_->config().return_sequences) + ", return_state " +
                      std::to_string(backward_->config().return_state),
                  "the opposite go_backwards and the same return_sequences and return_state",
                  "create the backward layer with go_backwards = true");
        backward_->set_name("backward_" + backward_->name());
    } else {
        backward_ = forward_->clone_unbuilt("backward_" + base, !forward_->config().go_backwards);
    }
    forward_->set_name("forward_" + base);
    const bool rs = forward_->config().return_sequences;
    forward_->set_zero_output_for_mask(rs);
    backward_->set_zero_output_for_mask(rs);
    set_declared_input_shape(options_.input_shape);
}

void Bidirectional::collect_weights() {
    weights_.clear();
    for (const auto& l : {forward_, backward_}) {
        for (Weight* w : l->weights()) weights_.push_back(Weight{l->name() + "/" + w->name,
                                                                 w->value, w->trainable});
    }
}

void Bidirectional::build(const Shape& input_shape) {
    forward_->ensure_built(input_shape);
    backward_->ensure_built(input_shape);
    collect_weights();
    Layer::build(input_shape);
}

void Bidirectional::set_trainable(bool on) {
    forward_->set_trainable(on);
    backward_->set_trainable(on);
    Layer::set_trainable(on);
    if (built_) collect_weights();
}

int Bidirectional::output_count() const {
    const bool states = forward_->config().return_state;
    return (options_.merge_mode ? 1 : 2) +
           (states ? forward_->output_count() - 1 + backward_->output_count() - 1 : 0);
}

std::vector<Shape> Bidirectional::initial_state_shapes() const {
    std::vector<Shape> s = forward_->initial_state_shapes();
    for (const Shape& b : backward_->initial_state_shapes()) s.push_back(b);
    return s;
}

std::vector<Shape> Bidirectional::compute_output_shapes(const Shape& input_shape) const {
    const std::vector<Shape> f = forward_->compute_output_shapes(input_shape);
    const std::vector<Shape> b = backward_->compute_output_shapes(input_shape);
    std::vector<Shape> out;
    if (!options_.merge_mode) {
        out = {f[0], b[0]};
    } else {
        Shape s = f[0];
        if (*options_.merge_mode == "concat") s.back() += b[0].back();
        out = {s};
    }
    for (std::size_t i = 1; i < f.size(); ++i) out.push_back(f[i]);
    for (std::size_t i = 1; i < b.size(); ++i) out.push_back(b[i]);
    return out;
}

Shape Bidirectional::compute_output_shape(const Shape& input_shape) const {
    return compute_output_shapes(input_shape)[0];
}

Tensor Bidirectional::call(const Tensor& inputs, bool training) {
    TFC_CHECK(output_count() == 1, name_, "the layer has several outputs",
              std::to_string(output_count()) +
                  (options_.merge_mode ? " (the output and the states)" : " (merge_mode None)"),
              "one output for a single-output call",
              "use call_list / apply_layer_multi, which return every output");
    return run({inputs}, training)[0];
}

std::vector<Tensor> Bidirectional::call_list(const std::vector<Tensor>& inputs, bool training) {
    const profiler::Scope scope(profiler::Kind::forward, name_.c_str());
    return run(inputs, training);
}

std::vector<Tensor> Bidirectional::run(const std::vector<Tensor>& inputs, bool training) {
    TFC_CHECK(!inputs.empty() && inputs[0].defined(), name_, "no input sequence",
              std::to_string(inputs.size()) + " tensors", "[x] or [x, initial states...]",
              "pass the sequence first");
    const Tensor& x = inputs[0];
    const std::size_t nf = forward_->initial_state_shapes().size();
    const std::size_t nb = backward_->initial_state_shapes().size();
    TFC_CHECK(inputs.size() == 1 || inputs.size() == 1 + nf + nb, name_,
              "wrong number of initial states", std::to_string(inputs.size() - 1),
              std::to_string(nf + nb) + " (the forward layer's, then the backward layer's)",
              "pass every state of both directions, or none for zeros");
    if (!built_) {
        Shape s = x.shape();
        if (!s.empty()) s[0] = -1;
        ensure_built(s);
    }
    const auto first = inputs.begin() + 1;
    const std::vector<Tensor> fs = inputs.size() > 1 ? std::vector<Tensor>(first, first + nf)
                                                     : std::vector<Tensor>{};
    const std::vector<Tensor> bs = inputs.size() > 1
                                       ? std::vector<Tensor>(first + nf, inputs.end())
                                       : std::vector<Tensor>{};
    const Tensor mask = x.keras_mask();
    std::vector<Tensor> f = forward_->call_with_state(x, fs, training, mask);
    std::vector<Tensor> b = backward_->call_with_state(x, bs, training, mask);
    Tensor yf = f[0], yb = b[0];
    const bool rs = forward_->config().return_sequences;
    if (rs) yb = reverse_time(yb);
    std::vector<Tensor> out;
    if (!options_.merge_mode) {
        out = {yf, yb};
    } else {
        const std::string& m = *options_.merge_mode;
        if (m == "concat") out = {ops::concat({yf, yb}, -1)};
        else if (m == "sum") out = {ops::add(yf, yb)};
        else if (m == "ave") out = {ops::mul(ops::add(yf, yb), 0.5)};
        else out = {ops::mul(yf, yb)};
    }
    if (rs && mask.defined()) {
        for (Tensor& t : out) t.set_keras_mask(mask);
    }
    if (forward_->config().return_state) {
        out.insert(out.end(), f.begin() + 1, f.end());
        out.insert(out.end(), b.begin() + 1, b.end());
    }
    return out;
}

Tensor Bidirectional::compute_mask(const Tensor& /*inputs*/, const Tensor& mask) const {
    return forward_->config().return_sequences ? mask : Tensor();
}

}  // namespace tfc
