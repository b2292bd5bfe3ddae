// Element-wise binary ops with NumPy broadcasting, where(), broadcast_to and sum_to.
#include <cmath>
#include <cstring>
#include <string>

#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/ref/broadcast.h"
#include "tfc/kernels/ref/elementwise.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using kernels::BinaryKind;

const char* kind_name(BinaryKind k) {
    switch (k) {
        case BinaryKind::add: return "add";
        case BinaryKind::sub: return "sub";
        case BinaryKind::mul: return "mul";
        case BinaryKind::div: return "div";
        case BinaryKind::maximum: return "maximum";
        case BinaryKind::minimum: return "minimum";
        case BinaryKind::pow: return "pow";
        case BinaryKind::greater: return "greater";
        case BinaryKind::greater_equal: return "greater_equal";
        case BinaryKind::less: return "less";
        case BinaryKind::equal: return "equal";
    }
    return "binary";
}

bool is_compare(BinaryKind k) {
    return k == BinaryKind::greater || k == BinaryKind::greater_equal || k == BinaryKind::less ||
           k == BinaryKind::equal;
}

// Forward only: runs the kernel for any supported dtype.
Tensor binary_forward(BinaryKind kind, const Tensor& a, const Tensor& b) {
    const char* where = kind_name(kind);
    detail::check_defined(a, where);
    detail::check_defined(b, where);
    detail::check_same_dtype(a, b, where);
    const Shape out_shape = broadcast_shapes(a.shape(), b.shape(), where);
    const bool cmp = is_compare(kind);
    const bool min_max = kind == BinaryKind::maximum || kind == BinaryKind::minimum;
    TFC_CHECK(cmp || is_floating(a.dtype()) || a.dtype() == DType::bool_ || min_max ||
                  kind == BinaryKind::add || kind == BinaryKind::sub || kind == BinaryKind::mul,
              where, "integer arithmetic supports add, sub, mul, maximum and minimum only",
              dtype_name(a.dtype()), "a floating dtype for " + std::string(where),
              "cast to float32 first, e.g. ops::cast(x, DType::float32)");
    TFC_CHECK(cmp || min_max || a.dtype() != DType::bool_, where,
              "bool tensors support comparisons, maximum (or) and minimum (and) only", "bool",
              "a numeric dtype", "cast to float32 or int32 first");
    Tensor out = Tensor::empty(out_shape, cmp ? DType::bool_ : a.dtype());
    switch (a.dtype()) {
        case DType::float32:
            if (cmp || !kernels::cpu::binary(kind, a.data<float>(), a.shape(), b.data<float>(),
                                              b.shape(), out.data<float>(), out_shape)) {
                kernels::ref::binary(kind, a.data<float>(), a.shape(), b.data<float>(), b.shape(),
                                     out.raw_data(), out_shape);
            }
            break;
        case DType::float64:
            kernels::ref::binary(kind, a.data<double>(), a.shape(), b.data<double>(), b.shape(),
                                 out.raw_data(), out_shape);
            break;
        case DType::int32:
            kernels::ref::binary(kind, a.data<std::int32_t>(), a.shape(), b.data<std::int32_t>(),
                                 b.shape(), out.raw_data(), out_shape);
            break;
        case DType::int64:
            kernels::ref::binary(kind, a.data<std::int64_t>(), a.shape(), b.data<std::int64_t>(),
                                 b.shape(), out.raw_data(), out_shape);
            break;
        case DType::uint8:
        case DType::bool_:
            kernels::ref::binary(kind, static_cast<const std::uint8_t*>(a.raw_data()), a.shape(),
                                 static_cast<const std::uint8_t*>(b.raw_data()), b.shape(),
                                 out.raw_data(), out_shape);
            break;
    }
    return out;
}

Tensor scalar_like(const Tensor& a, double v) { return Tensor::scalar(v, a.dtype()); }

}  // namespace

Tensor zeros_like(const Tensor& t) { return Tensor::zeros(t.shape(), t.dtype()); }
Tensor ones_like(const Tensor& t) { return Tensor::ones(t.shape(), t.dtype()); }
Tensor full_like(const Tensor& t, double v) { return Tensor::full(t.shape(), v, t.dtype()); }

Tensor broadcast_to(const Tensor& x, const Shape& shape) {
    detail::check_defined(x, "broadcast_to");
    if (x.shape() == shape) return x;
    const Shape out = broadcast_shapes(x.shape(), shape, "broadcast_to");
    TFC_CHECK(out == shape, "broadcast_to", "tensor cannot broadcast to the target shape",
              shape_str(x.shape()), shape_str(shape), "pick a target the tensor broadcasts to");
    Tensor res = Tensor::empty(shape, x.dtype());
    kernels::ref::broadcast_copy(x.raw_data(), x.shape(), res.raw_data(), shape,
                                 dtype_size(x.dtype()));
    if (autograd::should_record({&x})) {
        Shape xs = x.shape();
        autograd::record("broadcast_to", {x}, res,
                         [xs](const Tensor& g) { return std::vector<Tensor>{sum_to(g, xs)}; });
    }
    return res;
}

Tensor sum_to(const Tensor& grad, const Shape& shape) {
    detail::check_defined(grad, "sum_to");
    if (grad.shape() == shape) return grad;
    const int gr = grad.rank();
    const int sr = static_cast<int>(shape.size());
    // `shape` must broadcast to grad's shape (extra leading axes of size 1 are allowed).
    bool ok = true;
    for (int i = 0; i < sr; ++i) {
        const int gi = i - (sr - gr);
        const std::int64_t gd = gi < 0 ? 1 : grad.shape()[gi];
        ok = ok && (shape[i] == gd || shape[i] == 1);
    }
    TFC_CHECK(ok, "sum_to", "the target shape does not broadcast to the gradient's shape",
              shape_str(shape) + " vs " + shape_str(grad.shape()),
              "a shape that broadcasts to " + shape_str(grad.shape()),
              "pass the shape of the operand that was broadcast");
    std::vector<int> axes;
    for (int i = 0; i < gr; ++i) {
        const int si = i - (gr - sr);
        if (si < 0 || (shape[si] == 1 && grad.shape()[i] != 1)) axes.push_back(i);
    }
    Tensor s = axes.empty() ? grad : sum(grad, axes, true);
    return reshape(s, shape);
}

namespace {

Tensor binary_op(BinaryKind kind, const Tensor& a, const Tensor& b) {
    Tensor out = binary_forward(kind, a, b);
    if (!autograd::should_record({&a, &b})) return out;
    const Shape as = a.shape(), bs = b.shape();
    autograd::BackwardFn fn;
    switch (kind) {
        case BinaryKind::add:
            fn = [as, bs](const Tensor& g) { return std::vector<Tensor>{sum_to(g, as), sum_to(g, bs)}; };
            break;
        case BinaryKind::sub:
            fn = [as, bs](const Tensor& g) {
                return std::vector<Tensor>{sum_to(g, as), sum_to(neg(g), bs)};
            };
            break;
        case BinaryKind::mul:
            fn = [a, b](const Tensor& g) {
                return std::vector<Tensor>{sum_to(mul(g, b), a.shape()), sum_to(mul(g, a), b.shape())};
            };
            break;
        case BinaryKind::div:
            fn = [a, b, out](const Tensor& g) {
                Tensor ga = div(g, b);
                Tensor gb = neg(mul(ga, out));  // d(a/b)/db = -a/b^2 = -(out/b)
                return std::vector<Tensor>{sum_to(ga, a.shape()), sum_to(gb, b.shape())};
            };
            break;
        case BinaryKind::maximum:
        case BinaryKind::minimum: {
            // Ties send the gradient to `a` (TF's Maximum gradient uses x >= y).
            const bool is_max = kind == BinaryKind::maximum;
            fn = [a, b, is_max](const Tensor& g) {
                Tensor pick_a = is_max ? greater_equal(a, b) : greater_equal(b, a);
                const Tensor z = Tensor::scalar(0.0, g.dtype());
                return std::vector<Tensor>{sum_to(where(pick_a, g, z), a.shape()),
                                           sum_to(where(pick_a, z, g), b.shape())};
            };
            break;
        }
        case BinaryKind::pow:
            fn = [a, b, out](const Tensor& g) {
                // d/da = b a^(b-1); d/db = out log(a) (defined where a > 0).
                Tensor ga = mul(g, mul(b, pow(a, sub(b, 1.0))));
                Tensor safe_log = log(where(greater(a, zeros_like(a)), a, ones_like(a)));
                Tensor gb = mul(g, mul(out, safe_log));
                return std::vector<Tensor>{sum_to(ga, a.shape()), sum_to(gb, b.shape())};
            };
            break;
        default: return out;
    }
    autograd::record(kind_name(kind), {a, b}, out, std::move(fn));
    return out;
}

}  // namespace

Tensor add(const Tensor& a, const Tensor& b) { return binary_op(BinaryKind::add, a, b); }
Tensor sub(const Tensor& a, const Tensor& b) { return binary_op(BinaryKind::sub, a, b); }
Tensor mul(const Tensor& a, const Tensor& b) { return binary_op(BinaryKind::mul, a, b); }
Tensor div(const Tensor& a, const Tensor& b) { return binary_op(BinaryKind::div, a, b); }
Tensor maximum(const Tensor& a, const Tensor& b) { return binary_op(BinaryKind::maximum, a, b); }
Tensor minimum(const Tensor& a, const Tensor& b) { return binary_op(BinaryKind::minimum, a, b); }
Tensor pow(const Tensor& a, const Tensor& b) { return binary_op(BinaryKind::pow, a, b); }
Tensor add(const Tensor& a, double b) { return add(a, scalar_like(a, b)); }
Tensor sub(const Tensor& a, double b) { return sub(a, scalar_like(a, b)); }
Tensor mul(const Tensor& a, double b) { return mul(a, scalar_like(a, b)); }
Tensor div(const Tensor& a, double b) { return div(a, scalar_like(a, b)); }
Tensor rsub(double a, const Tensor& b) { return sub(scalar_like(b, a), b); }

Tensor greater(const Tensor& a, const Tensor& b) { return binary_forward(BinaryKind::greater, a, b); }
Tensor greater_equal(const Tensor& a, const Tensor& b) {
    return binary_forward(BinaryKind::greater_equal, a, b);
}
Tensor less(const Tensor& a, const Tensor& b) { return binary_forward(BinaryKind::less, a, b); }
Tensor equal(const Tensor& a, const Tensor& b) { return binary_forward(BinaryKind::equal, a, b); }

Tensor where(const Tensor& cond, const Tensor& a, const Tensor& b) {
    detail::check_defined(cond, "where");
    TFC_CHECK(cond.dtype() == DType::bool_, "where", "condition must be a bool tensor",
              dtype_name(cond.dtype()), "bool", "build it with a comparison op such as greater()");
    detail::check_defined(a, "where");
    detail::check_defined(b, "where");
    detail::check_same_dtype(a, b, "where");
    const Shape out_shape =
        broadcast_shapes(broadcast_shapes(cond.shape(), a.shape(), "where"), b.shape(), "where");
    Tensor out = Tensor::empty(out_shape, a.dtype());
    kernels::ref::select(static_cast<const std::uint8_t*>(cond.raw_data()), cond.shape(),
                         a.raw_data(), a.shape(), b.raw_data(), b.shape(), out.raw_data(),
                         out_shape, dtype_size(a.dtype()));
    if (autograd::should_record({&a, &b})) {
        autograd::record("where", {a, b}, out, [cond, a, b](const Tensor& g) {
            const Tensor z = Tensor::scalar(0.0, g.dtype());
            return std::vector<Tensor>{sum_to(where(cond, g, z), a.shape()),
                                       sum_to(where(cond, z, g), b.shape())};
        });
    }
    return out;
}

}  // namespace tfc::ops
