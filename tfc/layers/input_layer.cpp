#include "tfc/layers/input_layer.h"

#include <atomic>

#include "tfc/core/error.h"

namespace tfc {
namespace {

// Keras names inputs with a 1-based counter (backend.unique_object_name(..., zero_based=False)).
std::string next_input_name() {
    static std::atomic<int> count{0};
    return "input_" + std::to_string(++count);
}

}  // namespace

InputLayer::InputLayer(InputLayerOptions options)
    : Layer(options.name.empty() ? next_input_name() : options.name) {
    for (std::int64_t d : options.input_shape) {
        TFC_CHECK(d > 0 || d == -1, name_, "input_shape has an invalid dimension",
                  shape_str(options.input_shape), "positive dimensions or -1 (variable size)",
                  "give the shape of one sample without the batch, e.g. {28, 28}");
    }
    set_declared_input_shape(options.input_shape);
}

Shape InputLayer::batch_input_shape() const {
    Shape s{-1};
    s.insert(s.end(), declared_input_shape_.begin(), declared_input_shape_.end());
    return s;
}

void InputLayer::check_shape(const Shape& input_shape) const {
    const Shape want = batch_input_shape();
    bool ok = input_shape.size() == want.size();
    for (std::size_t i = 1; ok && i < want.size(); ++i) {
        ok = want[i] == -1 || input_shape[i] == -1 || input_shape[i] == want[i];
    }
    TFC_CHECK(ok, name_, "input is incompatible with the declared input shape",
              shape_str(input_shape), shape_str(want),
              "feed data shaped (batch, *input_shape) or change the Input shape");
}

void InputLayer::build(const Shape& input_shape) {
    check_shape(input_shape);
    Layer::build(input_shape);
}

Shape InputLayer::compute_output_shape(const Shape& input_shape) const {
    check_shape(input_shape);
    return input_shape;
}

Tensor InputLayer::call(const Tensor& inputs, bool /*training*/) {
    check_shape(inputs.shape());
    return inputs;
}

InputLayer Input(const Shape& shape, const std::string& name) {
    return InputLayer({.input_shape = shape, .name = name});
}

}  // namespace tfc
