// A model used as a layer of another model, as Keras allows (a Sequential or functional model is
// itself a Layer there): Sequential({as_layer(base), GlobalAveragePooling2D(), Dense(1)}) or
// apply_layer(as_layer(encoder), x). The inner model's layers and weights are shared, not
// copied. Its weights are listed as Keras lists a nested model's: all trainable weights of the
// inner layers, then all non-trainable ones; once frozen, each inner layer's in turn.
#pragma once

#include <memory>

#include "tfc/layers/layer.h"
#include "tfc/training/model.h"

namespace tfc {

class ModelLayer : public Layer {
public:
    // The model must be built (have an input shape): Sequential with an Input, or Functional.
    explicit ModelLayer(std::shared_ptr<Model> model);

    std::string class_name() const override;  // "Sequential" or "Functional"
    void build(const Shape& input_shape) override;  // checks the shape against the model's
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    // Keras: setting trainable on a nested model sets it on every layer inside it.
    void set_trainable(bool on) override;

    const std::shared_ptr<Model>& model() const { return model_; }

private:
    void collect_weights();
    std::shared_ptr<Model> model_;
};

// `model` as a layer of another model.
std::shared_ptr<ModelLayer> as_layer(std::shared_ptr<Model> model);

}  // namespace tfc
