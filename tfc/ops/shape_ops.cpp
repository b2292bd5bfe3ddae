// Shape and indexing ops: reshape, transpose, expand_dims, squeeze, slice, concat, gather,
// take_rows, one_hot, cast, stop_gradient.
#include <algorithm>
#include <cstring>
#include <numeric>
#include <string>

#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {

namespace {
// A reshape target as written by the user: -1 stays -1 (shape_str would print None).
std::string target_str(const Shape& s) {
    std::string out = "(";
    for (std::size_t i = 0; i < s.size(); ++i) out += (i ? ", " : "") + std::to_string(s[i]);
    return out + (s.size() == 1 ? ",)" : ")");
}
}  // namespace

Tensor reshape(const Tensor& x, const Shape& shape_in) {
    detail::check_defined(x, "reshape");
    Shape shape = shape_in;
    int unknown = -1;
    std::int64_t known = 1;
    for (int i = 0; i < static_cast<int>(shape.size()); ++i) {
        if (shape[i] == -1) {
            TFC_CHECK(unknown < 0, "reshape", "more than one -1 in the target shape",
                      target_str(shape_in), "at most one -1", "spell out all but one dimension");
            unknown = i;
        } else {
            TFC_CHECK(shape[i] >= 0, "reshape", "negative dimension in the target shape",
                      target_str(shape_in), "non-negative sizes and at most one -1",
                      "use -1 for the one dimension to infer");
            known *= shape[i];
        }
    }
    if (unknown >= 0) {
        TFC_CHECK(known > 0 && x.size() % known == 0, "reshape", "cannot infer the -1 dimension",
                  shape_str(x.shape()) + " -> " + target_str(shape_in),
                  "a size divisible by " + std::to_string(known),
                  "choose a target shape compatible with " + std::to_string(x.size()) + " elements");
        shape[unknown] = x.size() / known;
    }
    Tensor out = x.reshaped(shape);
    if (autograd::should_record({&x})) {
        Shape xs = x.shape();
        autograd::record("reshape", {x}, out,
                         [xs](const Tensor& g) { return std::vector<Tensor>{g.reshaped(xs)}; });
    }
    return out;
}

namespace {

// dst[i0.., i_{r-1}] = src[.. permuted ..]. Axes the permutation leaves in place at the end are
// merged into one contiguous block that is copied as a whole; otherwise the innermost output
// axis is a strided gather with a typed element copy.
template <typename E>
void transpose_typed(const E* src, const Shape& in_shape, const std::vector<int>& perm, E* dst) {
    const int r = static_cast<int>(perm.size());
    const auto in_st = strides_of(in_shape);
    // Trailing axes with perm[d] == d form a contiguous block of `block` elements.
    int keep = r;
    std::int64_t block = 1;
    while (keep > 0 && perm[keep - 1] == keep - 1) {
        --keep;
        block *= in_shape[keep];
    }
    if (keep == 0) {
        std::copy(src, src + block, dst);
        return;
    }
    // Walk the output axes [0, keep) with an odometer; the innermost one is a strided loop.
    const int last = keep - 1;
    const std::int64_t inner = in_shape[perm[last]];
    const std::int64_t inner_st = in_st[perm[last]];
    std::int64_t outer = 1;
    for (int d = 0; d < last; ++d) outer *= in_shape[perm[d]];
    std::vector<std::int64_t> idx(last > 0 ? last : 0, 0);
    std::int64_t off = 0;
    E* out = dst;
    for (std::int64_t o = 0; o < outer; ++o) {
        const E* s = src + off;
        if (block == 1) {
            for (std::int64_t i = 0; i < inner; ++i) out[i] = s[i * inner_st];
            out += inner;
        } else {
            for (std::int64_t i = 0; i < inner; ++i, out += block) {
                std::copy(s + i * inner_st, s + i * inner_st + block, out);
            }
        }
        for (int d = last - 1; d >= 0; --d) {
            ++idx[d];
            off += in_st[perm[d]];
            if (idx[d] < in_shape[perm[d]]) break;
            off -= in_st[perm[d]] * idx[d];
            idx[d] = 0;
        }
    }
}

void transpose_copy(const void* src, const Shape& in_shape, const std::vector<int>& perm,
                    void* dst, std::size_t elem_size) {
    switch (elem_size) {
        case 1:
            transpose_typed(static_cast<const std::uint8_t*>(src), in_shape, perm,
                            static_cast<std::uint8_t*>(dst));
            return;
        case 4:
            transpose_typed(static_cast<const std::uint32_t*>(src), in_shape, perm,
                            static_cast<std::uint32_t*>(dst));
            return;
        case 8:
            transpose_typed(static_cast<const std::uint64_t*>(src), in_shape, perm,
                            static_cast<std::uint64_t*>(dst));
            return;
        default: TFC_ASSERT(false && "unsupported element size");
    }
}

}  // namespace

Tensor transpose(const Tensor& x, std::vector<int> perm) {
    detail::check_defined(x, "transpose");
    const int r = x.rank();
    if (perm.empty()) {
        for (int i = r - 1; i >= 0; --i) perm.push_back(i);
    }
    TFC_CHECK(static_cast<int>(perm.size()) == r, "transpose", "permutation has the wrong length",
              std::to_string(perm.size()), std::to_string(r), "list every axis once");
    std::vector<bool> seen(r, false);
    for (int& p : perm) {
        p = normalize_axis(p, r, "transpose");
        TFC_CHECK(!seen[p], "transpose", "axis repeated in the permutation", std::to_string(p),
                  "each axis once", "list every axis once");
        seen[p] = true;
    }
    Shape out_shape(r);
    for (int i = 0; i < r; ++i) out_shape[i] = x.shape()[perm[i]];
    Tensor out = Tensor::empty(out_shape, x.dtype());
    if (out.size() > 0) {
        transpose_copy(x.raw_data(), x.shape(), perm, out.raw_data(), dtype_size(x.dtype()));
    }
    if (autograd::should_record({&x})) {
        std::vector<int> inv(r);
        for (int i = 0; i < r; ++i) inv[perm[i]] = i;
        autograd::record("transpose", {x}, out,
                         [inv](const Tensor& g) { return std::vector<Tensor>{transpose(g, inv)}; });
    }
    return out;
}

Tensor expand_dims(const Tensor& x, int axis) {
    detail::check_defined(x, "expand_dims");
    const int a = normalize_axis(axis, x.rank() + 1, "expand_dims");
    Shape s = x.shape();
    s.insert(s.begin() + a, 1);
    return reshape(x, s);
}

Tensor squeeze(const Tensor& x, int axis) {
    detail::check_defined(x, "squeeze");
    const int a = normalize_axis(axis, x.rank(), "squeeze");
    TFC_CHECK(x.shape()[a] == 1, "squeeze", "can only squeeze a size-1 axis", shape_str(x.shape()),
              "axis " + std::to_string(axis) + " of size 1", "pick a size-1 axis");
    Shape s = x.shape();
    s.erase(s.begin() + a);
    return reshape(x, s);
}

namespace {
// Copies a box [begin, begin+size) of src into dst (or dst's box from src when `scatter`).
void copy_box(const Tensor& big, Tensor& small, const std::vector<std::int64_t>& begin,
              bool scatter) {
    const int r = big.rank();
    const std::size_t es = dtype_size(big.dtype());
    const auto st = strides_of(big.shape());
    const Shape& ss = small.shape();
    std::int64_t inner = r ? ss[r - 1] : 1;
    const std::int64_t rows = inner ? small.size() / inner : 0;
    std::vector<std::int64_t> idx(r > 0 ? r - 1 : 0, 0);
    auto* bp = static_cast<unsigned char*>(const_cast<void*>(big.raw_data()));
    auto* sp = static_cast<unsigned char*>(small.raw_data());
    for (std::int64_t row = 0; row < rows; ++row) {
        std::int64_t off = r ? begin[r - 1] : 0;
        for (int d = 0; d < r - 1; ++d) off += (begin[d] + idx[d]) * st[d];
        if (scatter) std::memcpy(bp + off * es, sp + row * inner * es, inner * es);
        else std::memcpy(sp + row * inner * es, bp + off * es, inner * es);
        for (int d = r - 2; d >= 0; --d) {
            if (++idx[d] < ss[d]) break;
            idx[d] = 0;
        }
    }
}
}  // namespace

Tensor slice(const Tensor& x, const std::vector<std::int64_t>& begin,
             const std::vector<std::int64_t>& size_in) {
    detail::check_defined(x, "slice");
    const int r = x.rank();
    TFC_CHECK(static_cast<int>(begin.size()) == r && static_cast<int>(size_in.size()) == r, "slice",
              "begin and size need one entry per axis",
              std::to_string(begin.size()) + " and " + std::to_string(size_in.size()),
              std::to_string(r), "give begin/size for every axis");
    Shape size(r);
    for (int d = 0; d < r; ++d) {
        size[d] = size_in[d] == -1 ? x.shape()[d] - begin[d] : size_in[d];
        TFC_CHECK(begin[d] >= 0 && size[d] >= 0 && begin[d] + size[d] <= x.shape()[d], "slice",
                  "slice out of bounds on axis " + std::to_string(d),
                  "begin " + std::to_string(begin[d]) + ", size " + std::to_string(size[d]) +
                      " on " + shape_str(x.shape()),
                  "a box inside the tensor", "clamp begin/size to the tensor's shape");
    }
    Tensor out = Tensor::empty(size, x.dtype());
    if (out.size() > 0) copy_box(x, out, begin, false);
    if (autograd::should_record({&x})) {
        Shape xs = x.shape();
        autograd::record("slice", {x}, out, [xs, begin](const Tensor& g) {
            Tensor gx = Tensor::zeros(xs, g.dtype());
            Tensor gc = g;
            if (g.size() > 0) copy_box(gx, gc, begin, true);
            return std::vector<Tensor>{gx};
        });
    }
    return out;
}

Tensor concat(const std::vector<Tensor>& xs, int axis) {
    TFC_CHECK(!xs.empty(), "concat", "nothing to concatenate", "an empty list",
              "at least one tensor", "pass the tensors to join");
    for (const auto& t : xs) detail::check_defined(t, "concat");
    const int r = xs[0].rank();
    const int a = normalize_axis(axis, r, "concat");
    Shape out_shape = xs[0].shape();
    out_shape[a] = 0;
    for (const auto& t : xs) {
        bool ok = t.rank() == r && t.dtype() == xs[0].dtype();
        for (int d = 0; ok && d < r; ++d) ok = d == a || t.shape()[d] == xs[0].shape()[d];
        TFC_CHECK(ok, "concat", "tensors differ outside the concatenation axis",
                  shape_str(t.shape()) + " " + dtype_name(t.dtype()),
                  shape_str(xs[0].shape()) + " " + dtype_name(xs[0].dtype()) +
                      " except on axis " + std::to_string(a),
                  "make the other dimensions and dtypes equal");
        out_shape[a] += t.shape()[a];
    }
    Tensor out = Tensor::empty(out_shape, xs[0].dtype());
    std::vector<std::int64_t> begin(r, 0);
    for (const auto& t : xs) {
        Tensor part = t;
        if (t.size() > 0) copy_box(out, part, begin, true);
        begin[a] += t.shape()[a];
    }
    if (autograd::should_record(xs)) {
        std::vector<std::int64_t> sizes;
        for (const auto& t : xs) sizes.push_back(t.shape()[a]);
        autograd::record("concat", xs, out, [a, sizes, r](const Tensor& g) {
            std::vector<Tensor> grads;
            std::vector<std::int64_t> b(r, 0), s(g.shape().begin(), g.shape().end());
            for (auto sz : sizes) {
                s[a] = sz;
                grads.push_back(slice(g, b, s));
                b[a] += sz;
            }
            return grads;
        });
    }
    return out;
}

namespace {
std::vector<std::int64_t> read_indices(const Tensor& indices, std::int64_t limit,
                                       const char* where, const char* fix) {
    TFC_CHECK(indices.dtype() == DType::int32 || indices.dtype() == DType::int64 ||
                  indices.dtype() == DType::uint8,
              where, "indices must be integers", dtype_name(indices.dtype()), "int32 or int64",
              "cast the indices, e.g. ops::cast(ids, DType::int64)");
    std::vector<std::int64_t> out(indices.size());
    auto read = [&](auto tag) {
        using T = decltype(tag);
        const T* p = static_cast<const T*>(indices.raw_data());
        for (std::size_t i = 0; i < out.size(); ++i) out[i] = static_cast<std::int64_t>(p[i]);
    };
    if (indices.dtype() == DType::int32) read(std::int32_t{});
    else if (indices.dtype() == DType::int64) read(std::int64_t{});
    else read(std::uint8_t{});
    for (std::size_t i = 0; i < out.size(); ++i) {
        TFC_CHECK(out[i] >= 0 && out[i] < limit, where, "index out of range",
                  std::to_string(out[i]) + " at position " + std::to_string(i),
                  "an index in [0, " + std::to_string(limit) + ")", fix);
    }
    return out;
}
}  // namespace

Tensor gather(const Tensor& params, const Tensor& indices) {
    detail::check_defined(params, "gather");
    detail::check_defined(indices, "gather");
    TFC_CHECK(params.rank() >= 1, "gather", "params must have rank >= 1", shape_str(params.shape()),
              "rank >= 1", "gather rows of a matrix or vector");
    const auto idx = read_indices(indices, params.dim(0), "gather",
                                  "check the data; for Embedding, input_dim must exceed the "
                                  "largest id");
    Shape out_shape = indices.shape();
    out_shape.insert(out_shape.end(), params.shape().begin() + 1, params.shape().end());
    Tensor out = Tensor::empty(out_shape, params.dtype());
    const std::size_t row_bytes = params.dim(0) ? params.nbytes() / params.dim(0) : 0;
    const auto* src = static_cast<const unsigned char*>(params.raw_data());
    auto* dst = static_cast<unsigned char*>(out.raw_data());
    for (std::size_t i = 0; i < idx.size(); ++i) {
        std::memcpy(dst + i * row_bytes, src + idx[i] * row_bytes, row_bytes);
    }
    if (autograd::should_record({&params})) {
        Shape ps = params.shape();
        autograd::record("gather", {params}, out, [ps, idx](const Tensor& g) {
            Tensor gp = Tensor::zeros(ps, g.dtype());
            const std::int64_t row = ps[0] ? num_elements(ps) / ps[0] : 0;
            detail::dispatch_floating(g.dtype(), [&](auto tag) {
                using T = decltype(tag);
                T* d = static_cast<T*>(gp.raw_data());
                const T* s = static_cast<const T*>(g.raw_data());
                for (std::size_t i = 0; i < idx.size(); ++i) {
                    for (std::int64_t j = 0; j < row; ++j) d[idx[i] * row + j] += s[i * row + j];
                }
            });
            return std::vector<Tensor>{gp};
        });
    }
    return out;
}

Tensor take_rows(const Tensor& x, const std::vector<std::int64_t>& rows) {
    detail::check_defined(x, "take_rows");
    TFC_CHECK(x.rank() >= 1, "take_rows", "needs rank >= 1", shape_str(x.shape()), "rank >= 1",
              "");
    Shape s = x.shape();
    s[0] = static_cast<std::int64_t>(rows.size());
    Tensor out = Tensor::empty(s, x.dtype());
    const std::size_t row_bytes = x.dim(0) ? x.nbytes() / x.dim(0) : 0;
    const auto* src = static_cast<const unsigned char*>(x.raw_data());
    auto* dst = static_cast<unsigned char*>(out.raw_data());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        TFC_CHECK(rows[i] >= 0 && rows[i] < x.dim(0), "take_rows", "row index out of range",
                  std::to_string(rows[i]) + " at position " + std::to_string(i),
                  "an index in [0, " + std::to_string(x.dim(0)) + ")",
                  "pass row indices of the tensor's first axis");
        std::memcpy(dst + i * row_bytes, src + rows[i] * row_bytes, row_bytes);
    }
    return out;
}

Tensor one_hot(const Tensor& indices, std::int64_t depth, DType dtype) {
    detail::check_defined(indices, "one_hot");
    TFC_CHECK(depth >= 0, "one_hot", "depth must be non-negative", std::to_string(depth),
              "depth >= 0", "pass the number of classes");
    const auto idx = read_indices(indices, depth, "one_hot",
                                  "class ids must lie in [0, depth); check the labels and the "
                                  "number of classes");
    Shape s = indices.shape();
    s.push_back(depth);
    Tensor out = Tensor::zeros(s, DType::float64);
    double* p = out.data<double>();
    for (std::size_t i = 0; i < idx.size(); ++i) p[i * depth + idx[i]] = 1.0;
    return out.astype(dtype);
}

Tensor cast(const Tensor& x, DType dtype) {
    detail::check_defined(x, "cast");
    Tensor out = x.astype(dtype);
    if (is_floating(x.dtype()) && is_floating(dtype) && autograd::should_record({&x})) {
        DType from = x.dtype();
        autograd::record("cast", {x}, out,
                         [from](const Tensor& g) { return std::vector<Tensor>{g.astype(from)}; });
    }
    return out;
}

Tensor stop_gradient(const Tensor& x) { return x.reshaped(x.shape()); }

}  // namespace tfc::ops
