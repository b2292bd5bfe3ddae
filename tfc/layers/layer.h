// Layer: Keras's layer contract. build(input_shape) creates the weights lazily with Keras's
// initialisers and layouts; call(x, training) computes the output by composing ops (autograd
// differentiates them); compute_output_shape maps shapes without running anything.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc {

class Initializer;

// Bounds the weight values that layers may create on the calling thread while it lives, so a
// model file cannot ask for terabytes of weights (the model loaders hold one while building).
// Layer::add_weight throws tfc::Error, before allocating, once the total would pass the limit.
// Budgets nest; a weight counts against every live one.
class WeightBudget {
public:
    WeightBudget(std::int64_t max_values, std::string where);
    ~WeightBudget();
    WeightBudget(const WeightBudget&) = delete;
    WeightBudget& operator=(const WeightBudget&) = delete;

private:
    friend class Layer;
    std::int64_t max_values_;
    std::int64_t remaining_;
    std::string where_;
    WeightBudget* outer_;
};

// A weight: a tensor that optimizers update in place. Trainable weights have requires_grad set,
// so every GradientTape watches them.
struct Weight {
    std::string name;  // Keras weight name, e.g. "kernel", "bias"
    Tensor value;
    bool trainable = true;
};

class Layer {
public:
    explicit Layer(std::string name = "");
    virtual ~Layer();
    Layer(const Layer&) = delete;
    Layer& operator=(const Layer&) = delete;
    Layer(Layer&&) noexcept;
    Layer& operator=(Layer&&) noexcept;

    virtual std::string class_name() const = 0;
    const std::string& name() const { return name_; }
    void set_name(const std::string& name) { name_ = name; }

    // Shapes include the batch dimension; -1 means unknown (Keras's None).
    virtual void build(const Shape& input_shape);
    bool built() const { return built_; }
    // Calls build() once and records the shape; what models and operator() use.
    void ensure_built(const Shape& input_shape);
    virtual Tensor call(const Tensor& inputs, bool training) = 0;
    virtual Shape compute_output_shape(const Shape& input_shape) const;

    // Builds on first use (from the input's shape), checks the input, then calls call().
    // Masks flow as in Keras: the input's keras_mask() is visible to call(); afterwards the
    // output gets compute_mask(inputs, input_mask) unless call() already set one.
    Tensor operator()(const Tensor& inputs, bool training = false);

    // Calls that take more than the input or return several tensors, as Keras layers called on
    // or returning a list: a recurrent layer's initial_state and return_state=True, Bidirectional
    // with merge_mode None. call_list(inputs = [x, initial states...]) returns every output, in
    // Keras's order. The defaults describe a layer with one input and one output.
    virtual int output_count() const { return 1; }
    virtual std::vector<Shape> compute_output_shapes(const Shape& input_shape) const;
    // The shapes (batch -1) of the initial states the layer accepts after x; empty: none.
    virtual std::vector<Shape> initial_state_shapes() const { return {}; }
    virtual std::vector<Tensor> call_list(const std::vector<Tensor>& inputs, bool training);

    // Masking (keras/engine/base_layer.py): a layer that supports masking passes the mask on by
    // default; one that does not refuses a non-empty mask with an error.
    virtual bool supports_masking() const { return false; }
    virtual Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const;

    // The shape given with Keras's `input_shape=` (without batch); empty when not given.
    const Shape& declared_input_shape() const { return declared_input_shape_; }
    void set_declared_input_shape(const Shape& shape) { declared_input_shape_ = shape; }
    const Shape& built_input_shape() const { return built_input_shape_; }

    // Weights: trainable first, then non-trainable, each in creation order (Keras order).
    std::vector<Weight*> weights();
    std::vector<Tensor> trainable_weights();
    std::vector<Tensor> non_trainable_weights();
    std::vector<Tensor> get_weights() const;          // copies
    void set_weights(const std::vector<Tensor>& values);  // shape-checked copies
    std::int64_t count_params() const;

    bool trainable() const { return trainable_; }
    virtual void set_trainable(bool on);

protected:
    Tensor add_weight(const std::string& name, const Shape& shape, const Initializer& init,
                      bool trainable = true);
    // Throws the standard error when the input rank is not `expected` (-1 = any >= min_rank).
    void check_input_rank(const Shape& input_shape, int expected, int min_rank = 1) const;

    std::string name_;
    bool built_ = false;
    bool trainable_ = true;
    Shape declared_input_shape_;
    Shape built_input_shape_;
    std::vector<Weight> weights_;
};

using LayerPtr = std::shared_ptr<Layer>;

// Unique Keras-style default names: "dense", "dense_1", ... per class, per process.
std::string unique_layer_name(const std::string& snake_case_base);

// Holds a layer given by value (Dense(...)) or by shared_ptr; lets Sequential take a list of
// layers written inline, as in Keras.
class LayerHandle {
public:
    LayerHandle(LayerPtr layer) : layer_(std::move(layer)) {}  // NOLINT(runtime/explicit)
    template <typename L, typename = std::enable_if_t<std::is_base_of_v<Layer, std::decay_t<L>> &&
                                                      !std::is_lvalue_reference_v<L>>>
    LayerHandle(L&& layer)  // NOLINT(runtime/explicit)
        : layer_(std::make_shared<std::decay_t<L>>(std::forward<L>(layer))) {}
    const LayerPtr& get() const { return layer_; }

private:
    LayerPtr layer_;
};

}  // namespace tfc
