// Internal layout of a Tensor. Only core and autograd code include this.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc {

struct Storage {
    void* ptr = nullptr;
    std::size_t bytes = 0;
    explicit Storage(std::size_t nbytes);
    ~Storage();
    Storage(const Storage&) = delete;
    Storage& operator=(const Storage&) = delete;
};

struct TensorImpl {
    std::shared_ptr<Storage> storage;
    Shape shape;
    DType dtype = DType::float32;
    bool requires_grad = false;
    // Ids of the tapes that watch this tensor or recorded the op producing it (nested tapes each
    // add their own mark). Almost always empty or one entry.
    std::vector<std::uint64_t> tape_marks;
    std::uint64_t id = 0;
    // Keras's logits shortcut: an output produced by a Keras "sigmoid"/"softmax" activation
    // remembers its pre-activation logits so cross-entropy losses can use them.
    std::shared_ptr<TensorImpl> keras_logits;
    std::string keras_logits_kind;
    // Keras's `_keras_mask`: a bool (batch, timesteps) mask carried by a layer's output.
    std::shared_ptr<TensorImpl> keras_mask;
    // On a gradient: the id of a tensor wherever which this gradient is known to be zero where
    // that tensor is <= 0 (autograd::mark_zero_where_not_positive); 0 for none.
    std::uint64_t zero_where_not_positive_of = 0;
};

}  // namespace tfc
