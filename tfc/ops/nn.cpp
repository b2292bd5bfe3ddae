// Neural-network ops: softmax family, dropout, and the stable cross-entropies on logits
// (tf.nn.softmax_cross_entropy_with_logits, sparse_..., sigmoid_cross_entropy_with_logits).
#include <cmath>

#include "tfc/core/random.h"
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/ref/elementwise.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

Tensor softmax_last(const Tensor& x, bool log) {
    Tensor y = Tensor::empty(x.shape(), x.dtype());
    const std::int64_t cols = x.rank() ? x.dim(-1) : 1;
    const std::int64_t rows = cols ? x.size() / cols : 0;
    if (x.dtype() == DType::float32) {
        kernels::cpu::softmax_rows(x.data<float>(), y.data<float>(), rows, cols, log);
    } else {
        kernels::ref::softmax_rows(x.data<double>(), y.data<double>(), rows, cols, log);
    }
    return y;
}

Tensor softmax_impl(const char* name, const Tensor& x, int axis, bool log) {
    detail::check_floating(x, name);
    TFC_CHECK(x.rank() >= 1, name, "needs rank >= 1", shape_str(x.shape()), "rank >= 1",
              "add a class axis");
    const int a = normalize_axis(axis, x.rank(), name);
    if (a != x.rank() - 1) {  // move the axis last, apply, move it back
        std::vector<int> perm;
        for (int i = 0; i < x.rank(); ++i) {
            if (i != a) perm.push_back(i);
        }
        perm.push_back(a);
        std::vector<int> inv(x.rank());
        for (int i = 0; i < x.rank(); ++i) inv[perm[i]] = i;
        return transpose(softmax_impl(name, transpose(x, perm), -1, log), inv);
    }
    Tensor y = softmax_last(x, log);
    if (autograd::should_record({&x})) {
        autograd::record(name, {x}, y, [y, log](const Tensor& g) {
            if (log) {  // dx = g - softmax * sum(g)
                return std::vector<Tensor>{sub(g, mul(exp(y), sum(g, {-1}, true)))};
            }
            // dx = y * (g - sum(g * y))
            return std::vector<Tensor>{mul(y, sub(g, sum(mul(g, y), {-1}, true)))};
        });
    }
    return y;
}

void check_logits_pair(const Tensor& labels, const Tensor& logits, const char* where) {
    detail::check_floating(logits, where);
    detail::check_defined(labels, where);
    TFC_CHECK(logits.rank() >= 1, where, "logits need a class axis", shape_str(logits.shape()),
              "rank >= 1", "pass logits of shape (batch, classes)");
    TFC_CHECK(labels.shape() == logits.shape(), where, "labels and logits shapes differ",
              shape_str(labels.shape()) + " vs " + shape_str(logits.shape()), "equal shapes",
              "one-hot encode integer labels, or use the sparse variant");
}

}  // namespace

Tensor softmax(const Tensor& x, int axis) { return softmax_impl("softmax", x, axis, false); }
Tensor log_softmax(const Tensor& x, int axis) { return softmax_impl("log_softmax", x, axis, true); }

Tensor dropout(const Tensor& x, double rate) {
    detail::check_floating(x, "Dropout");
    TFC_CHECK(rate >= 0.0 && rate < 1.0, "Dropout", "rate must be in [0, 1)",
              std::to_string(rate), "0 <= rate < 1", "pass a fraction such as 0.2");
    if (rate == 0.0) return x;
    auto& gen = global_generator();
    Tensor mask = Tensor::empty(x.shape(), x.dtype());
    const double scale = 1.0 / (1.0 - rate);
    detail::dispatch_floating(x.dtype(), [&](auto tag) {
        using T = decltype(tag);
        T* m = static_cast<T*>(mask.raw_data());
        for (std::int64_t i = 0; i < x.size(); ++i) m[i] = gen.uniform() >= rate ? T(scale) : T(0);
    });
    return mul(x, mask);
}

Tensor softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits) {
    const char* where = "softmax_cross_entropy_with_logits";
    check_logits_pair(labels, logits, where);
    Tensor lsm = softmax_last(logits, true);
    Tensor y = labels.dtype() == logits.dtype() ? labels : labels.astype(logits.dtype());
    Tensor loss;
    {
        autograd::NoGradGuard ng;
        loss = neg(sum(mul(y, lsm), {-1}));
    }
    // Labels get a gradient too (-log_softmax(z) * g, as in TF), when they are floating.
    const bool labels_diff = labels.dtype() == logits.dtype();
    if (autograd::should_record({&logits, labels_diff ? &labels : nullptr})) {
        std::vector<Tensor> inputs{logits};
        if (labels_diff) inputs.push_back(labels);
        autograd::record(where, inputs, loss, [y, lsm, labels_diff](const Tensor& g) {
            // d/dz = g * (softmax(z) * sum(y) - y): the exact derivative, which is TF's
            // softmax - y whenever each row of y sums to 1.
            const Tensor ge = expand_dims(g, -1);
            Tensor sy = sum(y, {-1}, true);
            Tensor d = sub(mul(exp(lsm), sy), y);
            std::vector<Tensor> grads{mul(d, ge)};
            if (labels_diff) grads.push_back(neg(mul(lsm, ge)));
            return grads;
        });
    }
    return loss;
}

Tensor sparse_softmax_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits) {
    const char* where = "sparse_softmax_cross_entropy_with_logits";
    detail::check_floating(logits, where);
    detail::check_defined(labels, where);
    TFC_CHECK(logits.rank() >= 1 && labels.size() * logits.dim(-1) == logits.size(), where,
              "labels do not match the logits' leading dimensions",
              "labels " + shape_str(labels.shape()) + ", logits " + shape_str(logits.shape()),
              "one integer label per row of logits",
              "pass class ids of shape (batch,) or (batch, 1)");
    // Keras passes class ids as floats as often as ints; cast like tf.cast (truncation).
    Tensor ids = is_floating(labels.dtype()) ? labels.astype(DType::int64) : labels;
    Tensor oh = one_hot(ids.reshaped({ids.size()}), logits.dim(-1), logits.dtype())
                    .reshaped(logits.shape());
    return softmax_cross_entropy_with_logits(oh, logits);
}

Tensor sigmoid_cross_entropy_with_logits(const Tensor& labels, const Tensor& logits) {
    const char* where = "sigmoid_cross_entropy_with_logits";
    check_logits_pair(labels, logits, where);
    Tensor y = labels.dtype() == logits.dtype() ? labels : labels.astype(logits.dtype());
    Tensor loss;
    {
        // max(z, 0) - z*y + log(1 + exp(-|z|))   (tf.nn.sigmoid_cross_entropy_with_logits)
        autograd::NoGradGuard ng;
        loss = add(sub(relu(logits), mul(logits, y)), softplus(neg(abs(logits))));
    }
    const bool labels_diff = labels.dtype() == logits.dtype();
    if (autograd::should_record({&logits, labels_diff ? &labels : nullptr})) {
        std::vector<Tensor> inputs{logits};
        if (labels_diff) inputs.push_back(labels);
        autograd::record(where, inputs, loss, [y, logits, labels_diff](const Tensor& g) {
            std::vector<Tensor> grads{mul(g, sub(sigmoid(logits), y))};
            if (labels_diff) grads.push_back(neg(mul(g, logits)));  // d/dy = -z
            return grads;
        });
    }
    return loss;
}

}  // namespace tfc::ops
