#include "tfc/layers/layer.h"

#include <map>
#include <mutex>

#include "tfc/core/error.h"
#include "tfc/core/profiler.h"
#include "tfc/initializers/initializers.h"
#include "tfc/ops/ops.h"

namespace tfc {

std::string unique_layer_name(const std::string& base) {
    static std::mutex mu;
    static std::map<std::string, int> counts;
    std::lock_guard<std::mutex> lock(mu);
    const int n = counts[base]++;
    return n == 0 ? base : base + "_" + std::to_string(n);
}

namespace {
thread_local WeightBudget* t_weight_budget = nullptr;
}  // namespace

WeightBudget::WeightBudget(std::int64_t max_values, std::string where)
    : max_values_(max_values), remaining_(max_values), where_(std::move(where)), outer_(t_weight_budget) {
    t_weight_budget = this;
}

WeightBudget::~WeightBudget() { t_weight_budget = outer_; }

Layer::Layer(std::string name) : name_(std::move(name)) {}
Layer::~Layer() = default;
Layer::Layer(Layer&&) noexcept = default;
Layer& Layer::operator=(Layer&&) noexcept = default;

void Layer::build(const Shape& input_shape) {
    built_input_shape_ = input_shape;
    built_ = true;
}

void Layer::ensure_built(const Shape& input_shape) {
    if (built_) return;
    build(input_shape);
    built_input_shape_ = input_shape;
    built_ = true;
}

Shape Layer::compute_output_shape(const Shape& input_shape) const { return input_shape; }

Tensor Layer::operator()(const Tensor& inputs, bool training) {
    TFC_CHECK(inputs.defined(), name_, "input is an undefined tensor", "Tensor()",
              "a tensor with data", "pass real data to the layer");
    if (!built_) {
        Shape s = inputs.shape();
        if (!s.empty()) s[0] = -1;
        ensure_built(s);
    }
    const Tensor mask = inputs.keras_mask();
    const profiler::Scope scope(profiler::Kind::forward, name_.c_str());
    Tensor out = call(inputs, training);
    if (out.defined() && !out.keras_mask().defined()) {
        Tensor m = compute_mask(inputs, mask);
        if (m.defined()) {
            if (out.same_as(inputs)) out = ops::reshape(out, out.shape());  // keep input untouched
            out.set_keras_mask(m);
        }
    }
    return out;
}

std::vector<Shape> Layer::compute_output_shapes(const Shape& input_shape) const {
    return {compute_output_shape(input_shape)};
}

std::vector<Tensor> Layer::call_list(const std::vector<Tensor>& inputs, bool training) {
    TFC_CHECK(inputs.size() == 1, name_, "the layer takes one input",
              std::to_string(inputs.size()) + " tensors", "a list of one tensor",
              "only recurrent layers (and Bidirectional) take initial states after the input");
    return {(*this)(inputs[0], training)};
}

Tensor Layer::compute_mask(const Tensor& inputs, const Tensor& mask) const {
    if (!mask.defined()) return Tensor();
    TFC_CHECK(supports_masking(), name_, "layer does not support masking, but got a mask",
              "a mask of shape " + shape_str(mask.shape()) + " from the previous layer",
              "no mask (" + class_name() + " cannot use one)",
              "use a layer that consumes the mask first (an RNN or GlobalAveragePooling1D), or "
              "set mask_zero=false on the Embedding");
    return mask;
}

std::vector<Weight*> Layer::weights() {
    std::vector<Weight*> out;
    for (auto& w : weights_) {
        if (w.trainable && trainable_) out.push_back(&w);
    }
    for (auto& w : weights_) {
        if (!(w.trainable && trainable_)) out.push_back(&w);
    }
    return out;
}

std::vector<Tensor> Layer::trainable_weights() {
    std::vector<Tensor> out;
    if (!trainable_) return out;
    for (auto& w : weights_) {
        if (w.trainable) out.push_back(w.value);
    }
    return out;
}

std::vector<Tensor> Layer::non_trainable_weights() {
    std::vector<Tensor> out;
    for (auto& w : weights_) {
        if (!(w.trainable && trainable_)) out.push_back(w.value);
    }
    return out;
}

std::vector<Tensor> Layer::get_weights() const {
    std::vector<Tensor> out;
    for (auto* w : const_cast<Layer*>(this)->weights()) out.push_back(w->value.clone());
    return out;
}

void Layer::set_weights(const std::vector<Tensor>& values) {
    auto ws = weights();
    TFC_CHECK(values.size() == ws.size(), name_, "wrong number of weight arrays",
              std::to_string(values.size()), std::to_string(ws.size()),
              "pass the arrays in the order get_weights() returns them");
    for (std::size_t i = 0; i < ws.size(); ++i) {
        TFC_CHECK(values[i].shape() == ws[i]->value.shape(), name_,
                  "weight '" + ws[i]->name + "' has the wrong shape", shape_str(values[i].shape()),
                  shape_str(ws[i]->value.shape()), "pass arrays shaped like get_weights()");
        ws[i]->value.copy_from(values[i].astype(ws[i]->value.dtype()));
    }
}

std::int64_t Layer::count_params() const {
    std::int64_t n = 0;
    for (const auto& w : weights_) n += w.value.size();
    return n;
}

void Layer::set_trainable(bool on) {
    trainable_ = on;
    for (auto& w : weights_) w.value.set_requires_grad(on && w.trainable);
}

Tensor Layer::add_weight(const std::string& name, const Shape& shape, const Initializer& init,
                         bool trainable) {
    // Every live budget is charged (a nested model's weights count for the outer model too).
    for (WeightBudget* budget = t_weight_budget; budget != nullptr; budget = budget->outer_) {
        // Counted without overflow: any dimension may be huge in a hostile config.
        std::int64_t n = 1;
        bool over = false;
        for (auto d : shape) {
            if (d > 0 && n > budget->remaining_ / d) over = true;
            if (!over) n *= d < 0 ? 0 : d;
        }
        TFC_CHECK(!over && n <= budget->remaining_, budget->where_,
                  "the model's weights are too large",
                  "weight '" + name_ + "/" + name + "' of shape " + shape_str(shape) + " after " +
                      std::to_string(budget->max_values_ - budget->remaining_) + " values",
                  "at most " + std::to_string(budget->max_values_) + " weight values in total",
                  "the model file is damaged or hostile, or the model is larger than tfc loads");
    }
    for (WeightBudget* budget = t_weight_budget; budget != nullptr; budget = budget->outer_) {
        std::int64_t n = 1;
        for (auto d : shape) n *= d < 0 ? 0 : d;  // fits: checked above
        budget->remaining_ -= n;
    }
    Tensor t = init(shape, DType::float32);
    t.set_requires_grad(trainable && trainable_);
    weights_.push_back(Weight{name, t, trainable});
    return t;
}

void Layer::check_input_rank(const Shape& input_shape, int expected, int min_rank) const {
    const int r = static_cast<int>(input_shape.size());
    if (expected >= 0) {
        TFC_CHECK(r == expected, name_, "input has the wrong rank", shape_str(input_shape),
                  "rank " + std::to_string(expected) + " (batch included)",
                  "reshape the data or add a Reshape/Flatten layer before " + class_name());
    } else {
        TFC_CHECK(r >= min_rank, name_, "input rank too small", shape_str(input_shape),
                  "rank >= " + std::to_string(min_rank) + " (batch included)",
                  "reshape the data before " + class_name());
    }
}

}  // namespace tfc
