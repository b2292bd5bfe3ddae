// Reductions: sum, mean, max, min over a set of axes (keepdims), and argmax.
#include <algorithm>

#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/ref/elementwise.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using kernels::ReduceKind;

std::vector<int> normalize_axes(std::vector<int> axes, int rank, const char* where) {
    if (axes.empty()) {
        for (int i = 0; i < rank; ++i) axes.push_back(i);
        return axes;
    }
    for (int& a : axes) a = normalize_axis(a, rank, where);
    std::sort(axes.begin(), axes.end());
    axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
    return axes;
}

Shape reduced_shape(const Shape& s, const std::vector<int>& axes, bool keepdims) {
    Shape out;
    for (int i = 0; i < static_cast<int>(s.size()); ++i) {
        const bool r = std::binary_search(axes.begin(), axes.end(), i);
        if (!r) out.push_back(s[i]);
        else if (keepdims) out.push_back(1);
    }
    return out;
}

// Reduces one contiguous run of axes [first, last] (kept as size-1 dims).
Tensor reduce_run(ReduceKind kind, const Tensor& x, int first, int last) {
    const Shape& s = x.shape();
    std::int64_t outer = 1, n = 1, inner = 1;
    for (int i = 0; i < first; ++i) outer *= s[i];
    for (int i = first; i <= last; ++i) n *= s[i];
    for (int i = last + 1; i < static_cast<int>(s.size()); ++i) inner *= s[i];
    Shape out_shape = s;
    for (int i = first; i <= last; ++i) out_shape[i] = 1;
    Tensor out = Tensor::empty(out_shape, x.dtype());
    if (x.dtype() == DType::float32) {
        kernels::cpu::reduce_axis(kind, x.data<float>(), out.data<float>(), outer, n, inner);
    } else {
        kernels::ref::reduce_axis(kind, x.data<double>(), out.data<double>(), outer, n, inner);
    }
    return out;
}

Tensor reduce_forward(ReduceKind kind, const Tensor& x, const std::vector<int>& axes,
                      bool keepdims) {
    Tensor cur = x;
    // Runs of consecutive axes, reduced from the last run to the first.
    std::size_t i = axes.size();
    while (i > 0) {
        std::size_t j = i - 1;
        while (j > 0 && axes[j - 1] == axes[j] - 1) --j;
        cur = reduce_run(kind, cur, axes[j], axes[i - 1]);
        i = j;
    }
    if (axes.empty()) cur = x.clone();
    return cur.reshaped(reduced_shape(x.shape(), axes, keepdims));
}

Tensor reduce_op(const char* name, ReduceKind kind, const Tensor& x, std::vector<int> axes_in,
                 bool keepdims) {
    detail::check_floating(x, name);
    const auto axes = normalize_axes(std::move(axes_in), x.rank(), name);
    if (kind != ReduceKind::sum) {
        for (int a : axes) {
            TFC_CHECK(x.shape()[a] > 0, name, "cannot take max/min over an empty axis",
                      shape_str(x.shape()), "a non-empty axis", "check the input size");
        }
    }
    Tensor out = reduce_forward(kind, x, axes, keepdims);
    if (autograd::should_record({&x})) {
        const Shape kept = reduced_shape(x.shape(), axes, true);
        if (kind == ReduceKind::sum) {
            autograd::record(name, {x}, out, [kept, x](const Tensor& g) {
                return std::vector<Tensor>{broadcast_to(reshape(g, kept), x.shape())};
            });
        } else {
            // The gradient is split evenly between tied extremes (TF's reduce_max gradient).
            autograd::record(name, {x}, out, [kept, x, out, axes](const Tensor& g) {
                Tensor hit = cast(equal(x, reshape(out, kept)), x.dtype());
                Tensor count = sum(hit, axes, true);
                Tensor share = div(reshape(g, kept), count);
                return std::vector<Tensor>{mul(hit, share)};
            });
        }
    }
    return out;
}

}  // namespace

Tensor sum(const Tensor& x, std::vector<int> axes, bool keepdims) {
    return reduce_op("sum", ReduceKind::sum, x, std::move(axes), keepdims);
}

Tensor mean(const Tensor& x, std::vector<int> axes, bool keepdims) {
    detail::check_floating(x, "mean");
    const auto norm = normalize_axes(axes, x.rank(), "mean");
    std::int64_t count = 1;
    for (int a : norm) count *= x.shape()[a];
    return div(sum(x, norm, keepdims), static_cast<double>(count));
}

Tensor max(const Tensor& x, std::vector<int> axes, bool keepdims) {
    return reduce_op("max", ReduceKind::max, x, std::move(axes), keepdims);
}

Tensor min(const Tensor& x, std::vector<int> axes, bool keepdims) {
    return reduce_op("min", ReduceKind::min, x, std::move(axes), keepdims);
}

Tensor argmax(const Tensor& x, int axis) {
    detail::check_defined(x, "argmax");
    const int a = normalize_axis(axis, x.rank(), "argmax");
    const Shape& s = x.shape();
    TFC_CHECK(s[a] > 0, "argmax", "cannot take argmax over an empty axis", shape_str(s),
              "a non-empty axis", "check the input size");
    std::int64_t outer = 1, n = s[a], inner = 1;
    for (int i = 0; i < a; ++i) outer *= s[i];
    for (int i = a + 1; i < x.rank(); ++i) inner *= s[i];
    Shape out_shape;
    for (int i = 0; i < x.rank(); ++i) {
        if (i != a) out_shape.push_back(s[i]);
    }
    Tensor out = Tensor::empty(out_shape, DType::int64);
    std::int64_t* dst = out.data<std::int64_t>();
    auto run = [&](auto tag) {
        using T = decltype(tag);
        const T* src = static_cast<const T*>(x.raw_data());
        for (std::int64_t o = 0; o < outer; ++o) {
            for (std::int64_t j = 0; j < inner; ++j) {
                std::int64_t best = 0;
                T bv = src[o * n * inner + j];
                for (std::int64_t i = 1; i < n; ++i) {
                    const T v = src[(o * n + i) * inner + j];
                    if (v > bv) {  // strict: the first maximum wins
                        bv = v;
                        best = i;
                    }
                }
                dst[o * inner + j] = best;
            }
        }
    };
    switch (x.dtype()) {
        case DType::float32: run(float{}); break;
        case DType::float64: run(double{}); break;
        case DType::int32: run(std::int32_t{}); break;
        case DType::int64: run(std::int64_t{}); break;
        default: run(std::uint8_t{}); break;
    }
    return out;
}

}  // namespace tfc::ops
