// Merge layers (keras/layers/merging/ of Keras 2.15: base_merge.py, add.py, multiply.py,
// average.py, concatenate.py). They take a list of tensors:
//   Tensor y = Add()({a, b});                          // eager
//   KerasTensor s = apply_layer(Concatenate(), {x1, x2});    // functional (tfc/training/functional.h)
// Element-wise merges (Add, Multiply, Average) broadcast like Keras: inputs of a lower rank get
// size-1 axes inserted after the batch axis, then size-1 axes broadcast; other sizes must match.
// Concatenate joins along `axis`; every other axis must match. Masks: element-wise merges AND
// the inputs' masks; Concatenate concatenates them (an absent mask counts as all true).
#pragma once

#include <string>
#include <vector>

#include "tfc/layers/layer.h"

namespace tfc {

// The list-input contract shared by every merge layer (Keras's `_Merge`).
class MergeLayer : public Layer {
public:
    using Layer::compute_output_shape;
    using Layer::operator();

    // Builds on first use from the input shapes, calls merge() and attaches the merged mask.
    Tensor operator()(const std::vector<Tensor>& inputs, bool training = false);
    // Shapes include the batch dimension; -1 is unknown. Throws on incompatible shapes.
    virtual Shape compute_output_shape(const std::vector<Shape>& input_shapes) const = 0;
    // The mask of the merged output from the inputs' masks (undefined entries = no mask).
    virtual Tensor compute_mask(const std::vector<Tensor>& inputs,
                                const std::vector<Tensor>& masks) const;
    void ensure_built(const std::vector<Shape>& input_shapes);
    bool supports_masking() const override { return true; }

    // A merge layer on a single tensor is a user error (Keras: "should be called on a list").
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;

protected:
    using Layer::Layer;
    virtual Tensor merge(const std::vector<Tensor>& inputs) = 0;
};

struct MergeOptions {
    std::string name{};  // default "add", "add_1", ... per class
};

// Element-wise merges share the Keras broadcasting rule (`_compute_elemwise_op_output_shape`).
class ElementwiseMerge : public MergeLayer {
public:
    Shape compute_output_shape(const std::vector<Shape>& input_shapes) const override;
    using MergeLayer::compute_output_shape;

protected:
    using MergeLayer::MergeLayer;
    // Inputs of a lower rank get size-1 axes at position 1 (Keras `_Merge.call`).
    static std::vector<Tensor> align_ranks(const std::vector<Tensor>& inputs);
};

class Add : public ElementwiseMerge {
public:
    explicit Add(MergeOptions options = {});
    std::string class_name() const override { return "Add"; }

protected:
    Tensor merge(const std::vector<Tensor>& inputs) override;
};

class Multiply : public ElementwiseMerge {
public:
    explicit Multiply(MergeOptions options = {});
    std::string class_name() const override { return "Multiply"; }

protected:
    Tensor merge(const std::vector<Tensor>& inputs) override;
};

class Average : public ElementwiseMerge {
public:
    explicit Average(MergeOptions options = {});
    std::string class_name() const override { return "Average"; }

protected:
    Tensor merge(const std::vector<Tensor>& inputs) override;
};

struct ConcatenateOptions {
    int axis = -1;
    std::string name{};  // default "concatenate", ...
};

class Concatenate : public MergeLayer {
public:
    explicit Concatenate(ConcatenateOptions options = {});
    std::string class_name() const override { return "Concatenate"; }
    int axis() const { return options_.axis; }
    Shape compute_output_shape(const std::vector<Shape>& input_shapes) const override;
    using MergeLayer::compute_output_shape;
    Tensor compute_mask(const std::vector<Tensor>& inputs,
                        const std::vector<Tensor>& masks) const override;

protected:
    Tensor merge(const std::vector<Tensor>& inputs) override;

private:
    ConcatenateOptions options_;
};

}  // namespace tfc
