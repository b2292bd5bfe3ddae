#include "tfc/metrics/metric_impl.h"

#include <algorithm>

#include "tfc/core/error.h"
#include "tfc/losses/loss_impl.h"

namespace tfc::metrics::detail {
namespace {

bool one_trailing_unit(const Shape& shape, const Shape& target) {
    return shape.size() == target.size() + 1 && shape.back() == 1 &&
           std::equal(target.begin(), target.end(), shape.begin());
}

}  // namespace

// Metrics accept exactly what losses accept (keras/engine/compile_utils.py feeds both the same
// y_true / y_pred), so they share the loss module's checks.
void check_inputs(const Tensor& y_true, const Tensor& y_pred, const char* where) {
    losses::detail::check_inputs(y_true, y_pred, where);
}

void check_dense_labels(const Tensor& y_true, const Tensor& y_pred, const char* where,
                        const std::string& fix) {
    check_inputs(y_true, y_pred, where);
    const Shape& t = y_true.shape();
    const Shape& p = y_pred.shape();
    TFC_CHECK(t == p || one_trailing_unit(t, p) || one_trailing_unit(p, t), where,
              "y_true and y_pred shapes differ",
              "y_true " + shape_str(t) + ", y_pred " + shape_str(p), "the same shape", fix);
}

Shape per_sample_shape(const Tensor& y_pred) {
    return Shape(y_pred.shape().begin(), y_pred.shape().end() - 1);
}

void check_sparse_labels(const Tensor& y_true, const Tensor& y_pred, const char* where) {
    check_inputs(y_true, y_pred, where);
    const Shape lead = per_sample_shape(y_pred);
    Shape lead1 = lead;
    lead1.push_back(1);
    TFC_CHECK(y_true.shape() == lead || one_trailing_unit(y_true.shape(), lead), where,
              "y_true must hold one class id per sample",
              "y_true " + shape_str(y_true.shape()) + ", y_pred " + shape_str(y_pred.shape()),
              "y_true of shape " + shape_str(lead) + " or " + shape_str(lead1),
              "for one-hot labels use categorical_accuracy, or pass class ids (the argmax of "
              "each one-hot row)");
}

}  // namespace tfc::metrics::detail
