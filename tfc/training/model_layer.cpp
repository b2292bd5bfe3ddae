// Nested models (keras/engine/functional.py: a Functional is a Layer; base_layer.py's
// trainable_weights / non_trainable_weights gathering over child layers).
#include "tfc/training/model_layer.h"

#include <unordered_set>

#include "tfc/core/error.h"
#include "tfc/training/functional.h"
#include "tfc/training/sequential.h"

namespace tfc {

ModelLayer::ModelLayer(std::shared_ptr<Model> model) : Layer(model ? model->name() : ""), model_(std::move(model)) {
    TFC_CHECK(model_ != nullptr, "as_layer", "the model is null", "nullptr", "a model",
              "pass a constructed Sequential or Functional");
    TFC_CHECK(model_->built() && !model_->input_shape().empty(), "as_layer",
              "a model used as a layer must know its input shape", model_->name(),
              "a built model", "give the inner model an Input (or build() it) first");
    const Shape in = model_->input_shape();
    set_declared_input_shape(Shape(in.begin() + 1, in.end()));
    built_input_shape_ = in;
    built_ = true;
    collect_weights();
}

std::string ModelLayer::class_name() const {
    return dynamic_cast<const Sequential*>(model_.get()) != nullptr ? "Sequential" : "Functional";
}

void ModelLayer::collect_weights() {
    weights_.clear();
    std::unordered_set<std::uint64_t> seen;
    for (const auto& l : model_->layers()) {
        for (Weight* w : l->weights()) {
            if (!seen.insert(w->value.id()).second) continue;  // a layer used twice inside
            weights_.push_back(Weight{l->name() + "/" + w->name, w->value, w->trainable && l->trainable()});
        }
    }
    // Layer::weights() lists trainable weights first: Keras's order for a trainable nested
    // model. A frozen one lists every inner layer's weights in turn, as weights_ holds them.
}

void ModelLayer::build(const Shape& input_shape) {
    const Shape& want = built_input_shape_;
    bool ok = want.size() == input_shape.size();
    for (std::size_t i = 1; ok && i < want.size(); ++i) ok = want[i] < 0 || input_shape[i] < 0 || want[i] == input_shape[i];
    TFC_CHECK(ok, name_, "the input does not fit the inner model", shape_str(input_shape), shape_str(want),
              "feed the nested model data shaped like its Input");
}

Tensor ModelLayer::call(const Tensor& inputs, bool training) { return model_->call(inputs, training); }

Shape ModelLayer::compute_output_shape(const Shape& input_shape) const {
    Shape out = model_->output_shape();
    TFC_CHECK(!out.empty(), name_, "the inner model has no single output", model_->name(), "one output",
              "nest models with one input and one output");
    if (!input_shape.empty()) out[0] = input_shape[0];
    return out;
}

void ModelLayer::set_trainable(bool on) {
    model_->set_trainable(on);
    collect_weights();  // the inner flags first, so that requires_grad follows them
    Layer::set_trainable(on);
}

std::shared_ptr<ModelLayer> as_layer(std::shared_ptr<Model> model) {
    return std::make_shared<ModelLayer>(std::move(model));
}

}  // namespace tfc
