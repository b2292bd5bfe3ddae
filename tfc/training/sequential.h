// Sequential: a linear stack of layers (keras/engine/sequential.py).
//   Sequential model({Flatten({.input_shape = {28, 28}}), Dense(128, {.activation = "relu"}),
//                     Dropout(0.2), Dense(10, {.activation = "softmax"})});
#pragma once

#include <initializer_list>
#include <vector>

#include "tfc/training/model.h"

namespace tfc {

class Sequential : public Model {
public:
    Sequential();
    Sequential(std::initializer_list<LayerHandle> layers, std::string name = "");
    void add(LayerHandle layer);
    void pop();

    Tensor call(const Tensor& x, bool training) override;
    std::vector<LayerPtr> layers() const override { return layers_; }
    void build(const Shape& input_shape) override;
    bool built() const override { return built_; }
    Shape input_shape() const override { return input_shape_; }
    Shape output_shape() const override;

private:
    std::vector<LayerPtr> layers_;
    Shape input_shape_;
    bool built_ = false;
};

}  // namespace tfc
