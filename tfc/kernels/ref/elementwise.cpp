#include "tfc/kernels/ref/elementwise.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <type_traits>
#include <vector>

namespace tfc::kernels::ref {
namespace {

// The kind is a template argument at every call site of the helpers below (see with_*_kind), so
// the switch folds away and the per-element loop is a plain loop.
#define TFC_ALWAYS_INLINE inline __attribute__((always_inline))

template <typename T>
TFC_ALWAYS_INLINE T apply_binary(BinaryKind kind, T a, T b) {
    switch (kind) {
        case BinaryKind::add: return a + b;
        case BinaryKind::sub: return a - b;
        case BinaryKind::mul: return a * b;
        case BinaryKind::div: return a / b;
        case BinaryKind::maximum: return a >= b ? a : b;
        case BinaryKind::minimum: return a <= b ? a : b;
        case BinaryKind::pow: return std::pow(a, b);
        default: return T(0);
    }
}

TFC_ALWAYS_INLINE bool apply_compare(BinaryKind kind, double a, double b) {
    switch (kind) {
        case BinaryKind::greater: return a > b;
        case BinaryKind::greater_equal: return a >= b;
        case BinaryKind::less: return a < b;
        case BinaryKind::equal: return a == b;
        default: return false;
    }
}

constexpr bool is_compare(BinaryKind kind) {
    return kind == BinaryKind::greater || kind == BinaryKind::greater_equal ||
           kind == BinaryKind::less || kind == BinaryKind::equal;
}

// Strides of `shape` aligned to an output of rank `rank`, 0 where the dimension broadcasts.
std::vector<std::int64_t> broadcast_strides(const Shape& shape, const Shape& out) {
    std::vector<std::int64_t> st(out.size(), 0);
    std::int64_t s = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
        std::size_t o = i + (out.size() - shape.size());
        st[o] = shape[i] == 1 ? 0 : s;
        s *= shape[i];
    }
    return st;
}

// Keras selu constants (keras/activations.py, Klambauer et al. 2017).
constexpr double kSeluAlpha = 1.6732632423543772848170429916717;
constexpr double kSeluScale = 1.0507009873554804934193349852946;

template <typename T>
T sigmoid_of(T x) {
    return x >= 0 ? T(1) / (T(1) + std::exp(-x)) : std::exp(x) / (T(1) + std::exp(x));
}

template <typename T>
TFC_ALWAYS_INLINE T apply_unary(UnaryKind kind, const UnaryParams& p, T x) {
    switch (kind) {
        case UnaryKind::neg: return -x;
        case UnaryKind::abs: return std::fabs(x);
        case UnaryKind::exp: return std::exp(x);
        case UnaryKind::log: return std::log(x);
        case UnaryKind::sqrt: return std::sqrt(x);
        case UnaryKind::square: return x * x;
        case UnaryKind::sign: return T((x > 0) - (x < 0));
        case UnaryKind::relu: return x > 0 ? x : T(0);
        case UnaryKind::sigmoid: return sigmoid_of(x);
        case UnaryKind::tanh: return std::tanh(x);
        case UnaryKind::elu: return x > 0 ? x : T(p.alpha) * std::expm1(x);
        case UnaryKind::selu:
            return T(kSeluScale) * (x > 0 ? x : T(kSeluAlpha) * std::expm1(x));
        case UnaryKind::softplus: return std::max(x, T(0)) + std::log1p(std::exp(-std::fabs(x)));
        case UnaryKind::softsign: return x / (T(1) + std::fabs(x));
        case UnaryKind::gelu: return T(0.5) * x * (T(1) + std::erf(x / T(std::numbers::sqrt2)));
        case UnaryKind::gelu_tanh: {
            const T c = T(std::sqrt(2.0 / std::numbers::pi));
            return T(0.5) * x * (T(1) + std::tanh(c * (x + T(0.044715) * x * x * x)));
        }
        case UnaryKind::swish: return x * sigmoid_of(x);
        case UnaryKind::leaky_relu: return x > 0 ? x : T(p.alpha) * x;
        case UnaryKind::hard_sigmoid: return std::clamp(T(0.2) * x + T(0.5), T(0), T(1));
        case UnaryKind::clip: return std::clamp(x, T(p.lo), T(p.hi));
    }
    return x;
}

template <typename T>
TFC_ALWAYS_INLINE T unary_derivative(UnaryKind kind, const UnaryParams& p, T x, T y) {
    switch (kind) {
        case UnaryKind::neg: return T(-1);
        case UnaryKind::abs: return T((x > 0) - (x < 0));
        case UnaryKind::exp: return y;
        case UnaryKind::log: return T(1) / x;
        case UnaryKind::sqrt: return T(0.5) / y;
        case UnaryKind::square: return T(2) * x;
        case UnaryKind::sign: return T(0);
        case UnaryKind::relu: return x > 0 ? T(1) : T(0);
        case UnaryKind::sigmoid: return y * (T(1) - y);
        case UnaryKind::tanh: return T(1) - y * y;
        case UnaryKind::elu: return x > 0 ? T(1) : y + T(p.alpha);
        // TF's SeluGrad and EluGrad pick the branch from the output: x == 0 takes the linear one.
        case UnaryKind::selu: return x < 0 ? y + T(kSeluScale * kSeluAlpha) : T(kSeluScale);
        case UnaryKind::softplus: return sigmoid_of(x);
        case UnaryKind::softsign: {
            const T d = T(1) + std::fabs(x);
            return T(1) / (d * d);
        }
        case UnaryKind::gelu: {
            const T cdf = T(0.5) * (T(1) + std::erf(x / T(std::numbers::sqrt2)));
            const T pdf = std::exp(T(-0.5) * x * x) / T(std::sqrt(2.0 * std::numbers::pi));
            return cdf + x * pdf;
        }
        case UnaryKind::gelu_tanh: {
            const T c = T(std::sqrt(2.0 / std::numbers::pi));
            const T u = c * (x + T(0.044715) * x * x * x);
            const T t = std::tanh(u);
            const T du = c * (T(1) + T(3 * 0.044715) * x * x);
            return T(0.5) * (T(1) + t) + T(0.5) * x * (T(1) - t * t) * du;
        }
        case UnaryKind::swish: {
            const T s = sigmoid_of(x);
            return s + x * s * (T(1) - s);
        }
        case UnaryKind::leaky_relu: return x > 0 ? T(1) : T(p.alpha);
        case UnaryKind::hard_sigmoid:
            // 0.2 x + 0.5 in [0, 1], bounds included (clip_by_value passes the gradient there;
            // Keras 2 backend.hard_sigmoid). Tested on x so that FMA contraction cannot move the
            // bounds.
            return (x >= T(-2.5) && x <= T(2.5)) ? T(0.2) : T(0);
        case UnaryKind::clip: return (x >= T(p.lo) && x <= T(p.hi)) ? T(1) : T(0);
    }
    return T(0);
}

template <UnaryKind K>
using UnaryTag = std::integral_constant<UnaryKind, K>;

template <typename Fn>
void with_unary_kind(UnaryKind kind, Fn&& fn) {
    switch (kind) {
#define TFC_CASE(k)                    \
    case UnaryKind::k:                 \
        fn(UnaryTag<UnaryKind::k>{});  \
        return;
        TFC_CASE(neg) TFC_CASE(abs) TFC_CASE(exp) TFC_CASE(log) TFC_CASE(sqrt) TFC_CASE(square)
        TFC_CASE(sign) TFC_CASE(relu) TFC_CASE(sigmoid) TFC_CASE(tanh) TFC_CASE(elu)
        TFC_CASE(selu) TFC_CASE(softplus) TFC_CASE(softsign) TFC_CASE(gelu) TFC_CASE(gelu_tanh)
        TFC_CASE(swish) TFC_CASE(leaky_relu) TFC_CASE(hard_sigmoid) TFC_CASE(clip)
#undef TFC_CASE
    }
}

template <typename Fn>
void with_binary_kind(BinaryKind kind, Fn&& fn) {
    switch (kind) {
#define TFC_CASE(k)                                               \
    case BinaryKind::k:                                           \
        fn(std::integral_constant<BinaryKind, BinaryKind::k>{});  \
        return;
        TFC_CASE(add) TFC_CASE(sub) TFC_CASE(mul) TFC_CASE(div) TFC_CASE(maximum)
        TFC_CASE(minimum) TFC_CASE(pow) TFC_CASE(greater) TFC_CASE(greater_equal) TFC_CASE(less)
        TFC_CASE(equal)
#undef TFC_CASE
    }
}

}  // namespace

template <typename T>
void binary(BinaryKind kind, const T* a, const Shape& a_shape, const T* b, const Shape& b_shape,
            void* dst, const Shape& out_shape) {
    const auto sa = broadcast_strides(a_shape, out_shape);
    const auto sb = broadcast_strides(b_shape, out_shape);
    const int rank = static_cast<int>(out_shape.size());
    const std::int64_t n = num_elements(out_shape);
    with_binary_kind(kind, [&](auto tag) {
        constexpr BinaryKind K = decltype(tag)::value;
        constexpr bool cmp = is_compare(K);
        std::vector<std::int64_t> idx(rank, 0);
        std::int64_t ia = 0, ib = 0;
        for (std::int64_t i = 0; i < n; ++i) {
            if constexpr (cmp) {
                static_cast<bool*>(dst)[i] = apply_compare(K, double(a[ia]), double(b[ib]));
            } else {
                static_cast<T*>(dst)[i] = apply_binary(K, a[ia], b[ib]);
            }
            for (int d = rank - 1; d >= 0; --d) {  // odometer increment
                ++idx[d];
                ia += sa[d];
                ib += sb[d];
                if (idx[d] < out_shape[d]) break;
                ia -= sa[d] * idx[d];
                ib -= sb[d] * idx[d];
                idx[d] = 0;
            }
        }
    });
}

template <typename T>
void unary(UnaryKind kind, const UnaryParams& p, const T* src, T* dst, std::int64_t n) {
    with_unary_kind(kind, [&](auto tag) {
        constexpr UnaryKind K = decltype(tag)::value;
        for (std::int64_t i = 0; i < n; ++i) dst[i] = apply_unary(K, p, src[i]);
    });
}

template <typename T>
void unary_backward(UnaryKind kind, const UnaryParams& p, const T* src, const T* out,
                    const T* grad_out, T* dst, std::int64_t n) {
    with_unary_kind(kind, [&](auto tag) {
        constexpr UnaryKind K = decltype(tag)::value;
        for (std::int64_t i = 0; i < n; ++i) {
            dst[i] = grad_out[i] * unary_derivative(K, p, src[i], out[i]);
        }
    });
}

template <typename T>
void reduce_axis(ReduceKind kind, const T* src, T* dst, std::int64_t outer, std::int64_t n,
                 std::int64_t inner) {
    for (std::int64_t o = 0; o < outer; ++o) {
        for (std::int64_t j = 0; j < inner; ++j) {
            T acc = kind == ReduceKind::sum ? T(0)
                    : kind == ReduceKind::max ? -std::numeric_limits<T>::infinity()
                                              : std::numeric_limits<T>::infinity();
            for (std::int64_t i = 0; i < n; ++i) {
                const T v = src[(o * n + i) * inner + j];
                if (kind == ReduceKind::sum) acc += v;
                else if (kind == ReduceKind::max) acc = (v > acc || std::isnan(v)) ? v : acc;
                else acc = (v < acc || std::isnan(v)) ? v : acc;
            }
            dst[o * inner + j] = acc;
        }
    }
}

template <typename T>
void matmul(const T* a, const T* b, T* dst, std::int64_t m, std::int64_t n, std::int64_t k,
            bool transpose_a, bool transpose_b, bool accumulate) {
    for (std::int64_t i = 0; i < m; ++i) {
        for (std::int64_t j = 0; j < n; ++j) {
            T acc = 0;
            for (std::int64_t l = 0; l < k; ++l) {
                const T av = transpose_a ? a[l * m + i] : a[i * k + l];
                const T bv = transpose_b ? b[j * k + l] : b[l * n + j];
                acc += av * bv;
            }
            dst[i * n + j] = accumulate ? dst[i * n + j] + acc : acc;
        }
    }
}

template <typename T>
void softmax_rows(const T* src, T* dst, std::int64_t rows, std::int64_t cols, bool log) {
    for (std::int64_t r = 0; r < rows; ++r) {
        const T* x = src + r * cols;
        T* y = dst + r * cols;
        T mx = -std::numeric_limits<T>::infinity();
        for (std::int64_t c = 0; c < cols; ++c) mx = std::max(mx, x[c]);
        T s = 0;
        for (std::int64_t c = 0; c < cols; ++c) s += std::exp(x[c] - mx);
        if (log) {
            const T ls = std::log(s);
            for (std::int64_t c = 0; c < cols; ++c) y[c] = x[c] - mx - ls;
        } else {
            for (std::int64_t c = 0; c < cols; ++c) y[c] = std::exp(x[c] - mx) / s;
        }
    }
}

#define TFC_INSTANTIATE(T)                                                                     \
    template void binary<T>(BinaryKind, const T*, const Shape&, const T*, const Shape&, void*, \
                            const Shape&);                                                     \
    template void unary<T>(UnaryKind, const UnaryParams&, const T*, T*, std::int64_t);         \
    template void unary_backward<T>(UnaryKind, const UnaryParams&, const T*, const T*,         \
                                    const T*, T*, std::int64_t);                               \
    template void reduce_axis<T>(ReduceKind, const T*, T*, std::int64_t, std::int64_t,         \
                                 std::int64_t);                                                \
    template void matmul<T>(const T*, const T*, T*, std::int64_t, std::int64_t, std::int64_t,  \
                            bool, bool, bool);                                                 \
    template void softmax_rows<T>(const T*, T*, std::int64_t, std::int64_t, bool);
TFC_INSTANTIATE(float)
TFC_INSTANTIATE(double)
#undef TFC_INSTANTIATE

// Integer tensors need broadcasting comparisons and arithmetic for labels.
template void binary<std::int32_t>(BinaryKind, const std::int32_t*, const Shape&,
                                   const std::int32_t*, const Shape&, void*, const Shape&);
template void binary<std::int64_t>(BinaryKind, const std::int64_t*, const Shape&,
                                   const std::int64_t*, const Shape&, void*, const Shape&);
template void binary<std::uint8_t>(BinaryKind, const std::uint8_t*, const Shape&,
                                   const std::uint8_t*, const Shape&, void*, const Shape&);

}  // namespace tfc::kernels::ref
