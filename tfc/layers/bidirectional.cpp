#include "tfc/layers/bidirectional.h"

#include <numeric>

#include "tfc/core/error.h"
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
    const std::string& m = options_.merge_mode;
    TFC_CHECK(m == "concat" || m == "sum" || m == "ave" || m == "mul", name_,
              "invalid merge_mode", "'" + m + "'", "one of concat, sum, ave, mul",
              "pick a merge mode (None, which returns two outputs, is not supported)");
    forward_ = as_recurrent(layer.get(), name_, "the wrapped layer");
    TFC_CHECK(!forward_->config().return_state, name_,
              "the wrapped layer has return_state=True", forward_->name(),
              "a layer without return_state (Bidirectional returns the merged output only)",
              "use return_state=False, or run two layers (one with go_backwards=True) through "
              "apply_layer_multi to use their states");
    TFC_CHECK(!forward_->built(), name_, "the wrapped layer is already built", forward_->name(),
              "an unbuilt layer", "pass a fresh layer; Bidirectional builds both copies");
    const std::string base = forward_->name();
    if (options_.backward_layer) {
        backward_ = as_recurrent(options_.backward_layer, name_, "backward_layer");
        TFC_CHECK(backward_->config().go_backwards != forward_->config().go_backwards &&
                      backward_->config().return_sequences ==
                          forward_->config().return_sequences,
                  name_, "backward_layer does not fit the forward layer",
                  "go_backwards " + std::to_string(backward_->config().go_backwards) +
                      ", return_sequences " +
                      std::to_string(backward_->config().return_sequences),
                  "the opposite go_backwards and the same return_sequences",
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

Tensor Bidirectional::call(const Tensor& inputs, bool training) {
    const Tensor mask = inputs.keras_mask();
    Tensor yf = forward_->call_with_state(inputs, {}, training, mask)[0];
    Tensor yb = backward_->call_with_state(inputs, {}, training, mask)[0];
    const bool rs = forward_->config().return_sequences;
    if (rs) yb = reverse_time(yb);
    const std::string& m = options_.merge_mode;
    Tensor out;
    if (m == "concat") out = ops::concat({yf, yb}, -1);
    else if (m == "sum") out = ops::add(yf, yb);
    else if (m == "ave") out = ops::mul(ops::add(yf, yb), 0.5);
    else out = ops::mul(yf, yb);
    if (rs && mask.defined()) out.set_keras_mask(mask);
    return out;
}

Shape Bidirectional::compute_output_shape(const Shape& input_shape) const {
    Shape s = forward_->compute_output_shape(input_shape);
    if (options_.merge_mode == "concat") s.back() *= 2;
    return s;
}

Tensor Bidirectional::compute_mask(const Tensor& /*inputs*/, const Tensor& mask) const {
    return forward_->config().return_sequences ? mask : Tensor();
}

}  // namespace tfc
