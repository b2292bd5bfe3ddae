// Embedding lookup (keras/layers/core/embedding.py: embedding_ops.embedding_lookup): rows of
// embeddings [input_dim, output_dim] picked by integer ids of any shape; output shape =
// ids.shape + [output_dim]. The gradient scatter-adds into the rows (dense, like the
// IndexedSlices Keras densifies). Float ids are accepted when integral (Keras casts to int32).
// An id outside [0, input_dim) throws an error naming the id and input_dim.
#pragma once

#include <string>

#include "tfc/core/tensor.h"

namespace tfc::ops {

Tensor embedding_lookup(const Tensor& embeddings, const Tensor& ids,
                        const std::string& where = "Embedding");

// Keras mask_zero: ids != 0, as a bool tensor of the ids' shape.
Tensor not_equal_zero_mask(const Tensor& ids);

}  // namespace tfc::ops
