#include "tfc/training/sequential.h"

#include "tfc/core/error.h"

namespace tfc {

Sequential::Sequential() : Model(unique_layer_name("sequential")) {}

Sequential::Sequential(std::initializer_list<LayerHandle> layers, std::string name)
    : Model(name.empty() ? unique_layer_name("sequential") : std::move(name)) {
    for (const auto& l : layers) add(l);
}

void Sequential::add(LayerHandle handle) {
    const LayerPtr& layer = handle.get();
    TFC_CHECK(layer != nullptr, "Sequential.add", "layer is null", "nullptr", "a layer",
              "pass a constructed layer, e.g. Dense(10)");
    for (const auto& l : layers_) {
        TFC_CHECK(l != layer, "Sequential.add", "the same layer object was added twice",
                  "'" + layer->name() + "'", "distinct layers",
                  "create a new layer instead of reusing one in a Sequential");
    }
    // Keras: "All layers in a Sequential model should have a single output tensor."
    TFC_CHECK(layer->output_count() == 1, "Sequential.add",
              "layer '" + layer->name() + "' has several outputs",
              std::to_string(layer->output_count()) +
                  " (return_state=True adds the states; Bidirectional merge_mode None gives two)",
              "layers with a single output in a Sequential model",
              "use the functional API (apply_layer_multi) to use every output, or "
              "return_state=False");
    // An InputLayer (or any first layer with input_shape=) fixes the model's input shape.
    if (layers_.empty() && !layer->declared_input_shape().empty()) {
        input_shape_ = {-1};
        for (auto d : layer->declared_input_shape()) input_shape_.push_back(d);
    }
    if (layer->class_name() == "InputLayer") {
        if (layers_.empty()) return;  // Keras keeps InputLayer out of model.layers
        fail("Sequential.add", "InputLayer must be the first layer", "at position " +
             std::to_string(layers_.size()), "position 0", "move the Input to the front");
    }
    layers_.push_back(layer);
    built_ = false;
    if (!input_shape_.empty()) build(input_shape_);
}

void Sequential::pop() {
    TFC_CHECK(!layers_.empty(), "Sequential.pop", "there are no layers to pop", "0 layers",
              "at least one layer", "add layers first");
    layers_.pop_back();
}

void Sequential::build(const Shape& input_shape) {
    TFC_CHECK(!layers_.empty(), "Sequential.build", "the model has no layers", "0 layers",
              "at least one layer", "add layers before building or fitting");
    input_shape_ = input_shape;
    Shape s = input_shape;
    for (auto& l : layers_) {
        if (!l->built()) {
            l->ensure_built(s);
        } else if (l->built_input_shape() != s) {
            // Already built (shared layer): check compatibility except the batch dim.
            const Shape& b = l->built_input_shape();
            bool ok = b.size() == s.size();
            for (std::size_t i = 1; ok && i < s.size(); ++i) ok = b[i] == s[i] || b[i] < 0 || s[i] < 0;
            TFC_CHECK(ok, l->name(), "layer was built for another input shape", shape_str(s),
                      shape_str(b), "use a fresh layer or feed the shape it was built for");
        }
        s = l->compute_output_shape(s);
    }
    built_ = true;
}

Shape Sequential::output_shape() const {
    if (!built_) return {};
    Shape s = input_shape_;
    for (const auto& l : layers_) s = l->compute_output_shape(s);
    return s;
}

Tensor Sequential::call(const Tensor& x, bool training) {
    Tensor h = x;
    for (auto& l : layers_) h = (*l)(h, training);
    return h;
}

}  // namespace tfc
