// Embedding (keras/layers/core/embedding.py of Keras 2.15): integer ids [...] -> vectors
// [..., output_dim] from embeddings [input_dim, output_dim], initialised RandomUniform(-0.05,
// 0.05) ("uniform"). mask_zero: the output's mask is ids != 0 (id 0 is padding, so input_dim is
// the vocabulary size + 1). An id >= input_dim throws, naming the id and input_dim.
//   Embedding(10000, 64, {.mask_zero = true})
#pragma once

#include <cstdint>
#include <string>

#include "tfc/initializers/initializers.h"
#include "tfc/layers/layer.h"

namespace tfc {

struct EmbeddingOptions {
    InitializerRef embeddings_initializer = "uniform";
    bool mask_zero = false;
    std::int64_t input_length = -1;  // optional fixed sequence length (Keras 2); -1 = any
    Shape input_shape{};             // without the batch dimension
    std::string name{};              // default "embedding", "embedding_1", ...
};

class Embedding : public Layer {
public:
    Embedding(std::int64_t input_dim, std::int64_t output_dim, EmbeddingOptions options = {});

    std::string class_name() const override { return "Embedding"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    bool supports_masking() const override { return options_.mask_zero; }
    Tensor compute_mask(const Tensor& inputs, const Tensor& mask) const override;

    std::int64_t input_dim() const { return input_dim_; }
    std::int64_t output_dim() const { return output_dim_; }
    const EmbeddingOptions& options() const { return options_; }
    Tensor embeddings() const;

private:
    std::int64_t input_dim_, output_dim_;
    EmbeddingOptions options_;
};

}  // namespace tfc
