#include "tfc/losses/sparse_categorical_crossentropy.h"

#include <cmath>
#include <cstdint>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/losses/loss_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {
namespace {

// Class ids as int64 of shape y_pred.shape[:-1]; validates shape and range.
Tensor class_ids(const Tensor& y_true, const Tensor& y_pred, const char* where) {
    Shape lead(y_pred.shape().begin(), y_pred.shape().end() - 1);
    Shape lead1 = lead;
    lead1.push_back(1);
    const std::int64_t classes = y_pred.dim(-1);
    TFC_CHECK(y_true.shape() == lead || y_true.shape() == lead1, where,
              "y_true must hold one class id per sample",
              "y_true " + shape_str(y_true.shape()) + ", y_pred " + shape_str(y_pred.shape()),
              "y_true of shape " + shape_str(lead) + " or " + shape_str(lead1),
              "for one-hot labels use CategoricalCrossentropy "
              "(loss=\"categorical_crossentropy\"), or pass class ids (the argmax of each "
              "one-hot row)");
    TFC_CHECK(classes > 0, where, "y_pred has no classes", shape_str(y_pred.shape()),
              "a last axis of at least 1 class", "give the last layer one unit per class");
    const std::vector<double> v = y_true.to_doubles();
    std::vector<std::int64_t> ids(v.size());
    for (std::size_t i = 0; i < v.size(); ++i) {
        const double t = std::trunc(v[i]);  // Keras casts labels to int64
        if (!(t >= 0.0 && t < static_cast<double>(classes))) {
            fail(where, "label out of range",
                 (std::isnan(v[i]) ? std::string("nan") : std::to_string(v[i])) + " at position " +
                     std::to_string(i),
                 "a class id in [0, " + std::to_string(classes) + ") (y_pred has " +
                     std::to_string(classes) + " classes)",
                 "class ids are 0-based and below the number of output units; subtract 1 from "
                 "1-based labels, or give the last layer more units");
        }
        ids[i] = static_cast<std::int64_t>(t);
    }
    return Tensor::from_vector(ids, lead);
}

}  // namespace

SparseCategoricalCrossentropy::SparseCategoricalCrossentropy(
    SparseCategoricalCrossentropyOptions options)
    : options_(options) {}

Tensor SparseCategoricalCrossentropy::call(const Tensor& y_true, const Tensor& y_pred) const {
    const char* where = "SparseCategoricalCrossentropy";
    detail::check_inputs(y_true, y_pred, where);
    Tensor ids = class_ids(y_true, y_pred, where);

    Tensor logits = y_pred.keras_logits("softmax");
    if (!logits.defined()) {
        if (options_.from_logits) {
            logits = y_pred;
        } else {  // clip, then log; the softmax inside the CE renormalises
            const double eps = detail::kEpsilon;
            logits = ops::log(ops::clip(y_pred, eps, 1.0 - eps));
        }
    }
    return ops::sparse_softmax_cross_entropy_with_logits(ids, logits);
}

}  // namespace tfc::losses
