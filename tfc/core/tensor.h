// Tensor: a dense, row-major, contiguous n-d array with a refcounted 64-byte-aligned buffer from
// the caching allocator. Copies of a Tensor share the buffer (like a Python reference); clone()
// copies the data. Reshape shares the buffer; every other op writes a new buffer.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "tfc/core/dtype.h"
#include "tfc/core/shape.h"

namespace tfc {

struct Storage;
struct TensorImpl;

class Tensor {
public:
    Tensor() = default;  // undefined tensor (defined() == false)

    static Tensor empty(const Shape& shape, DType dtype = DType::float32);  // uninitialised
    static Tensor zeros(const Shape& shape, DType dtype = DType::float32);
    static Tensor ones(const Shape& shape, DType dtype = DType::float32);
    static Tensor full(const Shape& shape, double value, DType dtype = DType::float32);
    static Tensor scalar(double value, DType dtype = DType::float32);  // rank 0
    static Tensor from_vector(const std::vector<float>& values, const Shape& shape);
    static Tensor from_vector(const std::vector<double>& values, const Shape& shape);
    static Tensor from_vector(const std::vector<std::int32_t>& values, const Shape& shape);
    static Tensor from_vector(const std::vector<std::int64_t>& values, const Shape& shape);
    static Tensor from_vector(const std::vector<std::uint8_t>& values, const Shape& shape);
    // Values converted to `dtype`; shape defaults to 1-D.
    static Tensor from_doubles(const std::vector<double>& values, const Shape& shape,
                               DType dtype);

    bool defined() const { return impl_ != nullptr; }
    const Shape& shape() const;
    int rank() const;
    std::int64_t dim(int axis) const;  // negative axes count from the end
    std::int64_t size() const;          // number of elements
    DType dtype() const;
    std::size_t nbytes() const;

    void* raw_data();
    const void* raw_data() const;
    template <typename T>
    T* data() {
        check_dtype(dtype_of<T>());
        return static_cast<T*>(raw_data());
    }
    template <typename T>
    const T* data() const {
        check_dtype(dtype_of<T>());
        return static_cast<const T*>(raw_data());
    }

    Tensor clone() const;                          // deep copy, not recorded by autograd
    Tensor astype(DType dtype) const;              // conversion (copy); not differentiable
    Tensor reshaped(const Shape& shape) const;     // shares the buffer; no autograd recording
    void copy_from(const Tensor& src);             // same shape and dtype; in-place data copy
    void fill(double value);

    std::vector<double> to_doubles() const;        // any dtype
    std::vector<float> to_floats() const;          // any dtype
    double item() const;                           // one-element tensors
    double at(std::int64_t flat_index) const;      // any dtype, as double
    std::string str(int max_elements = 20) const;  // "Tensor(shape=(2, 3), dtype=float32, [...])"

    // Autograd: a tensor with requires_grad is watched by every GradientTape (trainable weights).
    bool requires_grad() const;
    void set_requires_grad(bool on);
    std::uint64_t id() const;  // unique per buffer-holding tensor object; 0 when undefined

    // Keras's logits shortcut (keras/backend.py `_keras_logits`): set by the "sigmoid" and
    // "softmax" Keras activations; read by the cross-entropy losses. kind: "sigmoid"/"softmax".
    void set_keras_logits(const Tensor& logits, const std::string& kind);
    Tensor keras_logits(const std::string& kind) const;  // undefined when absent
    // Keras's `_keras_mask` (keras/engine/base_layer.py): set on a layer's output by
    // Layer::operator() from compute_mask(); read by mask-consuming layers and losses.
    void set_keras_mask(const Tensor& mask);  // an undefined mask clears it
    Tensor keras_mask() const;                // undefined when absent

    // Internal: autograd bookkeeping and identity.
    TensorImpl* impl() const { return impl_.get(); }
    bool same_as(const Tensor& other) const { return impl_ == other.impl_; }

private:
    void check_dtype(DType want) const;
    void check_defined(const char* where) const;  // throws tfc::Error for an undefined tensor
    std::shared_ptr<TensorImpl> impl_;
};

}  // namespace tfc
