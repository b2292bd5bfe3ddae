// The reduction shared by all losses, the shape rules of loss_impl.h, get_loss and LossRef.
#include "tfc/losses/loss.h"

#include <algorithm>
#include <functional>
#include <map>

#include "tfc/core/error.h"
#include "tfc/losses/loss_impl.h"
#include "tfc/losses/losses.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace losses::detail {
namespace {

// True when `shape` differs from `target` only by one trailing dimension of size 1.
bool one_trailing_unit(const Shape& shape, const Shape& target) {
    return shape.size() == target.size() + 1 && shape.back() == 1 &&
           std::equal(target.begin(), target.end(), shape.begin());
}

// True when `from` broadcasts to exactly `to` (NumPy rules, no growth of `to`).
bool broadcasts_to(const Shape& from, const Shape& to) {
    if (from.size() > to.size()) return false;
    const std::size_t off = to.size() - from.size();
    for (std::size_t i = 0; i < from.size(); ++i) {
        if (from[i] != 1 && from[i] != to[off + i]) return false;
    }
    return true;
}

}  // namespace

void check_inputs(const Tensor& y_true, const Tensor& y_pred, const char* where) {
    TFC_CHECK(y_pred.defined() && y_true.defined(), where, "y_true or y_pred is undefined",
              y_true.defined() ? "an empty y_pred" : "an empty y_true", "two tensors",
              "pass the labels and the model's predictions");
    TFC_CHECK(is_floating(y_pred.dtype()), where, "y_pred must be floating point",
              dtype_name(y_pred.dtype()), "float32 or float64",
              "pass the model's output, or cast it with ops::cast(y_pred, DType::float32)");
    TFC_CHECK(y_pred.rank() >= 1, where, "y_pred needs a last (feature or class) axis",
              "shape " + shape_str(y_pred.shape()), "rank >= 1, e.g. (batch, units)",
              "reshape y_pred to (batch, 1) for one output per sample");
}

Tensor dense_labels(const Tensor& y_true, const Tensor& y_pred, const char* where,
                    const std::string& fix) {
    check_inputs(y_true, y_pred, where);
    Tensor y = y_true;
    if (y.shape() != y_pred.shape()) {
        if (one_trailing_unit(y_pred.shape(), y.shape()) ||
            one_trailing_unit(y.shape(), y_pred.shape())) {
            y = y.reshaped(y_pred.shape());
        } else {
            fail(where, "y_true and y_pred shapes differ",
                 "y_true " + shape_str(y_true.shape()) + ", y_pred " + shape_str(y_pred.shape()),
                 "the same shape", fix);
        }
    }
    return y.dtype() == y_pred.dtype() ? y : ops::cast(y, y_pred.dtype());
}

Tensor conform_sample_weight(const Tensor& sample_weight, const Tensor& per, const char* where) {
    const std::string expected =
        "a scalar or one weight per sample, shape " + shape_str(per.shape());
    Tensor w = sample_weight;
    if (one_trailing_unit(w.shape(), per.shape()) || one_trailing_unit(per.shape(), w.shape())) {
        w = w.reshaped(per.shape());
    }
    TFC_CHECK(broadcasts_to(w.shape(), per.shape()), where,
              "sample_weight does not match the per-sample losses",
              "sample_weight " + shape_str(sample_weight.shape()), expected,
              "pass one weight per sample (the batch size of y_true), e.g. shape (N,)");
    return w.dtype() == per.dtype() ? w : ops::cast(w, per.dtype());
}

}  // namespace losses::detail

Tensor Loss::operator()(const Tensor& y_true, const Tensor& y_pred,
                        const Tensor& sample_weight) const {
    Tensor per = call(y_true, y_pred);
    const std::int64_t n = per.size();
    if (sample_weight.defined()) {
        const std::string where = class_name();
        per =
            ops::mul(per, losses::detail::conform_sample_weight(sample_weight, per, where.c_str()));
    }
    // Keras divides with divide_no_nan: an empty batch gives 0.
    if (n == 0) return ops::mul(ops::sum(per), 0.0);
    return ops::div(ops::sum(per), static_cast<double>(n));
}

LossPtr get_loss(const std::string& identifier) {
    using Factory = std::function<LossPtr()>;
    static const std::map<std::string, Factory> kLosses = {
        {"binary_crossentropy", [] { return std::make_shared<losses::BinaryCrossentropy>(); }},
        {"bce", [] { return std::make_shared<losses::BinaryCrossentropy>(); }},
        {"BCE", [] { return std::make_shared<losses::BinaryCrossentropy>(); }},
        {"BinaryCrossentropy", [] { return std::make_shared<losses::BinaryCrossentropy>(); }},
        {"categorical_crossentropy",
         [] { return std::make_shared<losses::CategoricalCrossentropy>(); }},
        {"CategoricalCrossentropy",
         [] { return std::make_shared<losses::CategoricalCrossentropy>(); }},
        {"sparse_categorical_crossentropy",
         [] { return std::make_shared<losses::SparseCategoricalCrossentropy>(); }},
        {"SparseCategoricalCrossentropy",
         [] { return std::make_shared<losses::SparseCategoricalCrossentropy>(); }},
        {"mse", [] { return std::make_shared<losses::MeanSquaredError>(); }},
        {"MSE", [] { return std::make_shared<losses::MeanSquaredError>(); }},
        {"mean_squared_error", [] { return std::make_shared<losses::MeanSquaredError>(); }},
        {"MeanSquaredError", [] { return std::make_shared<losses::MeanSquaredError>(); }},
        {"mae", [] { return std::make_shared<losses::MeanAbsoluteError>(); }},
        {"MAE", [] { return std::make_shared<losses::MeanAbsoluteError>(); }},
        {"mean_absolute_error", [] { return std::make_shared<losses::MeanAbsoluteError>(); }},
        {"MeanAbsoluteError", [] { return std::make_shared<losses::MeanAbsoluteError>(); }},
        {"huber", [] { return std::make_shared<losses::Huber>(); }},
        {"huber_loss", [] { return std::make_shared<losses::Huber>(); }},
        {"Huber", [] { return std::make_shared<losses::Huber>(); }},
    };
    const auto it = kLosses.find(identifier);
    if (it == kLosses.end()) {
        fail("get_loss", "unknown loss", "\"" + identifier + "\"",
             "one of binary_crossentropy, categorical_crossentropy, "
             "sparse_categorical_crossentropy, mse, mae, huber (or a class name such as "
             "BinaryCrossentropy)",
             "check the spelling, or pass a loss object such as "
             "losses::BinaryCrossentropy({.from_logits = true})");
    }
    return it->second();
}

LossRef::LossRef(const char* name) : loss_(get_loss(name)) {}
LossRef::LossRef(const std::string& name) : loss_(get_loss(name)) {}

}  // namespace tfc
