// embedding_lookup: forward row copy and scatter-add backward.
#include "tfc/ops/embedding.h"

#include <cmath>
#include <cstring>
#include <vector>

#include "tfc/ops/op_impl.h"

namespace tfc::ops {
namespace {

std::vector<std::int64_t> read_ids(const Tensor& ids, std::int64_t input_dim,
                                   const std::string& where) {
    const std::vector<double> v = ids.to_doubles();
    std::vector<std::int64_t> out(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        TFC_CHECK(std::floor(v[i]) == v[i], where, "ids must be integers",
                  std::to_string(v[i]) + " at position " + std::to_string(i),
                  "whole numbers in [0, input_dim)", "pass token ids (int32/int64)");
        const auto id = static_cast<std::int64_t>(v[i]);
        TFC_CHECK(id >= 0 && id < input_dim, where,
                  "index " + std::to_string(id) + " is out of range for input_dim " +
                      std::to_string(input_dim),
                  "index " + std::to_string(id) + " at position " + std::to_string(i),
                  "an index in [0, " + std::to_string(input_dim) + ") (input_dim = " +
                      std::to_string(input_dim) + ")",
                  "set input_dim to the vocabulary size + 1 (largest id + 1), or clip the ids");
        out[i] = id;
    }
    return out;
}

}  // namespace

Tensor embedding_lookup(const Tensor& embeddings, const Tensor& ids, const std::string& where) {
    detail::check_floating(embeddings, where.c_str());
    detail::check_defined(ids, where.c_str());
    TFC_CHECK(embeddings.rank() == 2, where, "embeddings must be a matrix",
              shape_str(embeddings.shape()), "[input_dim, output_dim]",
              "pass the Embedding weight");
    TFC_CHECK(ids.dtype() != DType::bool_, where, "ids must be integers", "bool",
              "int32 or int64", "cast the ids to int32");
    const std::int64_t V = embeddings.dim(0), D = embeddings.dim(1);
    const std::vector<std::int64_t> idx = read_ids(ids, V, where);
    Shape out_shape = ids.shape();
    out_shape.push_back(D);
    Tensor out = Tensor::empty(out_shape, embeddings.dtype());
    const std::size_t row = static_cast<std::size_t>(D) * (embeddings.dtype() == DType::float32 ? 4 : 8);
    const auto* src = static_cast<const unsigned char*>(embeddings.raw_data());
    auto* dst = static_cast<unsigned char*>(out.raw_data());
    for (std::size_t i = 0; i < idx.size(); ++i) {
        std::memcpy(dst + i * row, src + idx[i] * row, row);
    }
    if (autograd::should_record({&embeddings})) {
        const Shape es = embeddings.shape();
        autograd::record("embedding_lookup", {embeddings}, out, [es, idx, D](const Tensor& g) {
            Tensor ge = Tensor::zeros(es, g.dtype());
            detail::dispatch_floating(g.dtype(), [&](auto tag) {
                using T = decltype(tag);
                T* d = ge.data<T>();
                const T* s = g.data<T>();
                for (std::size_t i = 0; i < idx.size(); ++i) {
                    T* dr = d + idx[i] * D;
                    const T* sr = s + i * D;
                    for (std::int64_t j = 0; j < D; ++j) dr[j] += sr[j];
                }
            });
            return std::vector<Tensor>{ge};
        });
    }
    return out;
}

Tensor not_equal_zero_mask(const Tensor& ids) {
    detail::check_defined(ids, "mask_zero");
    const std::vector<double> v = ids.to_doubles();
    std::vector<std::uint8_t> m(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) m[i] = v[i] != 0.0 ? 1 : 0;
    Tensor out = Tensor::empty(ids.shape(), DType::bool_);
    std::memcpy(out.raw_data(), m.data(), m.size());
    return out;
}

}  // namespace tfc::ops
