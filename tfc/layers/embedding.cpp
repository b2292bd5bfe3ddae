#include "tfc/layers/embedding.h"

#include "tfc/core/error.h"
#include "tfc/ops/embedding.h"

namespace tfc {

Embedding::Embedding(std::int64_t input_dim, std::int64_t output_dim, EmbeddingOptions options)
    : Layer(options.name.empty() ? unique_layer_name("embedding") : options.name),
      input_dim_(input_dim),
      output_dim_(output_dim),
      options_(std::move(options)) {
    TFC_CHECK(input_dim_ > 0, name_, "input_dim must be a positive integer",
              std::to_string(input_dim_), "input_dim > 0",
              "pass the vocabulary size (+1 with mask_zero), e.g. Embedding(10000, 64)");
    TFC_CHECK(output_dim_ > 0, name_, "output_dim must be a positive integer",
              std::to_string(output_dim_), "output_dim > 0",
              "pass the embedding size, e.g. Embedding(10000, 64)");
    TFC_CHECK(options_.input_length == -1 || options_.input_length > 0, name_,
              "input_length must be positive", std::to_string(options_.input_length),
              "a positive sequence length, or -1 for any",
              "pass the padded sequence length or leave it unset");
    Shape declared = options_.input_shape;
    if (declared.empty() && options_.input_length > 0) declared = {options_.input_length};
    set_declared_input_shape(declared);
}

void Embedding::build(const Shape& input_shape) {
    if (options_.input_length > 0 && input_shape.size() >= 2 && input_shape[1] > 0) {
        TFC_CHECK(input_shape[1] == options_.input_length, name_,
                  "input length differs from input_length", shape_str(input_shape),
                  "sequences of length " + std::to_string(options_.input_length),
                  "pad the sequences to input_length, or drop input_length");
    }
    weights_.clear();
    add_weight("embeddings", {input_dim_, output_dim_}, *options_.embeddings_initializer);
    Layer::build(input_shape);
}

Tensor Embedding::embeddings() const { return weights_.empty() ? Tensor() : weights_[0].value; }

Tensor Embedding::call(const Tensor& inputs, bool /*training*/) {
    TFC_CHECK(built_, name_, "layer is not built", "an unbuilt Embedding", "a built layer",
              "call the layer as layer(ids), which builds it");
    if (options_.input_length > 0 && inputs.rank() >= 2) {
        TFC_CHECK(inputs.dim(1) == options_.input_length, name_,
                  "input length differs from input_length", shape_str(inputs.shape()),
                  "sequences of length " + std::to_string(options_.input_length),
                  "pad the sequences to input_length, or drop input_length");
    }
    return ops::embedding_lookup(embeddings(), inputs, name_);
}

Shape Embedding::compute_output_shape(const Shape& input_shape) const {
    Shape out = input_shape;
    if (options_.input_length > 0 && out.size() >= 2 && out[1] < 0) out[1] = options_.input_length;
    out.push_back(output_dim_);
    return out;
}

Tensor Embedding::compute_mask(const Tensor& inputs, const Tensor& /*mask*/) const {
    if (!options_.mask_zero) return Tensor();
    return ops::not_equal_zero_mask(inputs);
}

}  // namespace tfc
