// matmul and the fused Dense core (x . kernel + bias). float32 runs on the cached oneDNN matmul
// primitive; float64 on the reference triple loop.
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/ref/elementwise.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

// dst = op(a) . op(b) (+ bias) over `batch` blocks.
void gemm(const Tensor& a, const Tensor& b, const Tensor* bias, Tensor& dst, std::int64_t m,
          std::int64_t n, std::int64_t k, bool ta, bool tb, std::int64_t batch) {
    if (a.dtype() == DType::float32) {
        kernels::cpu::matmul(a.data<float>(), b.data<float>(),
                             bias ? bias->data<float>() : nullptr, dst.data<float>(), m, n, k, ta,
                             tb, false, batch);
        return;
    }
    const double* ap = a.data<double>();
    const double* bp = b.data<double>();
    double* dp = dst.data<double>();
    for (std::int64_t i = 0; i < batch; ++i) {
        kernels::ref::matmul(ap + i * m * k, bp + i * k * n, dp + i * m * n, m, n, k, ta, tb,
                             false);
        if (bias) {
            const double* bb = bias->data<double>();
            for (std::int64_t r = 0; r < m; ++r) {
                for (std::int64_t c = 0; c < n; ++c) dp[i * m * n + r * n + c] += bb[c];
            }
        }
    }
}

}  // namespace

Tensor matmul(const Tensor& a, const Tensor& b, bool ta, bool tb) {
    detail::check_floating(a, "matmul");
    detail::check_floating(b, "matmul");
    detail::check_same_dtype(a, b, "matmul");
    TFC_CHECK((a.rank() == 2 && b.rank() == 2) || (a.rank() == 3 && b.rank() == 3), "matmul",
              "operands must both be rank 2, or both rank 3 (batched)",
              shape_str(a.shape()) + " and " + shape_str(b.shape()), "[M, K] and [K, N]",
              "reshape the operands, or use ops::dense for a last-axis contraction");
    const bool batched = a.rank() == 3;
    const std::int64_t batch = batched ? a.dim(0) : 1;
    TFC_CHECK(!batched || b.dim(0) == batch, "matmul", "batch sizes differ",
              shape_str(a.shape()) + " and " + shape_str(b.shape()), "equal leading dimensions",
              "give both operands the same batch size");
    const std::int64_t m = ta ? a.dim(-1) : a.dim(-2);
    const std::int64_t k = ta ? a.dim(-2) : a.dim(-1);
    const std::int64_t kb = tb ? b.dim(-1) : b.dim(-2);
    const std::int64_t n = tb ? b.dim(-2) : b.dim(-1);
    TFC_CHECK(k == kb, "matmul", "inner dimensions differ",
              shape_str(a.shape()) + (ta ? "^T" : "") + " . " + shape_str(b.shape()) +
                  (tb ? "^T" : ""),
              "matching inner dimensions", "transpose or reshape an operand");
    Tensor out = Tensor::empty(batched ? Shape{batch, m, n} : Shape{m, n}, a.dtype());
    gemm(a, b, nullptr, out, m, n, k, ta, tb, batch);
    if (autograd::should_record({&a, &b})) {
        autograd::record("matmul", {a, b}, out, [a, b, ta, tb](const Tensor& g) {
            // C = A.B: dA = g.B^T, dB = A^T.g, with transposes folded in.
            Tensor ga = ta ? matmul(b, g, tb, true) : matmul(g, b, false, !tb);
            Tensor gb = tb ? matmul(g, a, true, ta) : matmul(a, g, !ta, false);
            return std::vector<Tensor>{ga, gb};
        });
    }
    return out;
}

Tensor dense(const Tensor& x, const Tensor& kernel, const Tensor& bias) {
    detail::check_floating(x, "Dense");
    detail::check_floating(kernel, "Dense");
    detail::check_same_dtype(x, kernel, "Dense");
    TFC_CHECK(x.rank() >= 1 && kernel.rank() == 2 && x.dim(-1) == kernel.dim(0), "Dense",
              "input's last dimension does not match the kernel",
              "input " + shape_str(x.shape()) + ", kernel " + shape_str(kernel.shape()),
              "input last dimension " + std::to_string(kernel.dim(0)),
              "feed inputs whose last axis has the size the layer was built for, or rebuild it");
    const std::int64_t in = kernel.dim(0), units = kernel.dim(1);
    std::int64_t rows = 1;  // product of the leading dims (x.size() / in fails for in == 0)
    for (int i = 0; i + 1 < x.rank(); ++i) rows *= x.dim(i);
    if (bias.defined()) {
        detail::check_same_dtype(x, bias, "Dense");
        TFC_CHECK(bias.rank() == 1 && bias.dim(0) == units, "Dense", "bias shape does not match",
                  shape_str(bias.shape()), "(" + std::to_string(units) + ",)",
                  "give the bias one value per unit");
    }
    Shape out_shape = x.shape();
    out_shape.back() = units;
    Tensor out = Tensor::empty(out_shape, x.dtype());
    gemm(x, kernel, bias.defined() ? &bias : nullptr, out, rows, units, in, false, false, 1);
    if (autograd::should_record({&x, &kernel, &bias})) {
        std::vector<Tensor> inputs{x, kernel};
        if (bias.defined()) inputs.push_back(bias);
        const bool need_dx = autograd::should_record({&x});
        autograd::record("dense", inputs, out,
                         [x, kernel, has_bias = bias.defined(), need_dx, rows, in,
                          units](const Tensor& g) {
            Tensor g2 = g.reshaped({rows, units});
            Tensor x2 = x.reshaped({rows, in});
            std::vector<Tensor> grads;
            grads.push_back(need_dx ? matmul(g2, kernel, false, true).reshaped(x.shape())
                                    : Tensor());
            grads.push_back(matmul(x2, g2, true, false));
            if (has_bias) grads.push_back(sum(g2, {0}));
            return grads;
        });
    }
    return out;
}

}  // namespace tfc::ops
