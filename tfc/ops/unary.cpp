// Element-wise unary ops and the Keras activations. Forward and backward run on the kernels of
// one UnaryKind; the backward kernel gets x, y = f(x) and dL/dy.
// Formulas: keras/activations.py and keras/backend.py of Keras 2.15.
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/ref/elementwise.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using kernels::UnaryKind;
using kernels::UnaryParams;

Tensor unary_backward_op(UnaryKind kind, const UnaryParams& p, const Tensor& x, const Tensor& y,
                         const Tensor& g) {
    Tensor dx = Tensor::empty(x.shape(), x.dtype());
    if (x.dtype() == DType::float32) {
        kernels::cpu::unary_backward(kind, p, x.data<float>(), y.data<float>(), g.data<float>(),
                                     dx.data<float>(), x.size());
    } else {
        kernels::ref::unary_backward(kind, p, x.data<double>(), y.data<double>(),
                                     g.data<double>(), dx.data<double>(), x.size());
    }
    return dx;
}

Tensor unary_op(const char* name, UnaryKind kind, const Tensor& x, UnaryParams p = {}) {
    detail::check_floating(x, name);
    Tensor y = Tensor::empty(x.shape(), x.dtype());
    if (x.dtype() == DType::float32) {
        kernels::cpu::unary(kind, p, x.data<float>(), y.data<float>(), x.size());
    } else {
        kernels::ref::unary(kind, p, x.data<double>(), y.data<double>(), x.size());
    }
    if (autograd::should_record({&x}) && kind != UnaryKind::sign) {
        const bool relu = kind == UnaryKind::relu;
        autograd::record(
            name, {x}, y,
            [kind, p, x, y, relu](const Tensor& g) {
                // A gradient already zero wherever y <= 0 (max pooling after this ReLU) is its
                // own ReLU gradient.
                if (relu && autograd::zero_where_not_positive(g, y)) return std::vector<Tensor>{g};
                // Backward of a backward is not needed (first-order training only), so the rule
                // runs as a plain kernel.
                return std::vector<Tensor>{unary_backward_op(kind, p, x, y, g)};
            },
            relu);
    }
    return y;
}

}  // namespace

Tensor neg(const Tensor& x) { return unary_op("neg", UnaryKind::neg, x); }
Tensor abs(const Tensor& x) { return unary_op("abs", UnaryKind::abs, x); }
Tensor exp(const Tensor& x) { return unary_op("exp", UnaryKind::exp, x); }
Tensor log(const Tensor& x) { return unary_op("log", UnaryKind::log, x); }
Tensor sqrt(const Tensor& x) { return unary_op("sqrt", UnaryKind::sqrt, x); }
Tensor square(const Tensor& x) { return unary_op("square", UnaryKind::square, x); }
Tensor sign(const Tensor& x) { return unary_op("sign", UnaryKind::sign, x); }
Tensor clip(const Tensor& x, double lo, double hi) {
    TFC_CHECK(lo <= hi, "clip", "lower bound above upper bound",
              "lo=" + std::to_string(lo) + ", hi=" + std::to_string(hi), "lo <= hi",
              "swap the bounds");
    return unary_op("clip", UnaryKind::clip, x, UnaryParams{0.0, lo, hi});
}

Tensor relu(const Tensor& x) { return unary_op("relu", UnaryKind::relu, x); }
Tensor sigmoid(const Tensor& x) { return unary_op("sigmoid", UnaryKind::sigmoid, x); }
Tensor tanh(const Tensor& x) { return unary_op("tanh", UnaryKind::tanh, x); }
Tensor elu(const Tensor& x, double alpha) {
    return unary_op("elu", UnaryKind::elu, x, UnaryParams{alpha, 0, 0});
}
Tensor selu(const Tensor& x) { return unary_op("selu", UnaryKind::selu, x); }
Tensor softplus(const Tensor& x) { return unary_op("softplus", UnaryKind::softplus, x); }
Tensor softsign(const Tensor& x) { return unary_op("softsign", UnaryKind::softsign, x); }
Tensor gelu(const Tensor& x, bool approximate) {
    return unary_op("gelu", approximate ? UnaryKind::gelu_tanh : UnaryKind::gelu, x);
}
Tensor swish(const Tensor& x) { return unary_op("swish", UnaryKind::swish, x); }
Tensor leaky_relu(const Tensor& x, double alpha) {
    return unary_op("leaky_relu", UnaryKind::leaky_relu, x, UnaryParams{alpha, 0, 0});
}
Tensor hard_sigmoid(const Tensor& x) { return unary_op("hard_sigmoid", UnaryKind::hard_sigmoid, x); }
Tensor exponential(const Tensor& x) { return exp(x); }

}  // namespace tfc::ops
