#include "tfc/metrics/accuracy.h"

#include <vector>

#include "tfc/metrics/metric_impl.h"

namespace tfc::metrics {

BinaryAccuracy::BinaryAccuracy(BinaryAccuracyOptions options)
    : MeanMetricWrapper(std::move(options.name)), threshold_(options.threshold) {}

Tensor BinaryAccuracy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    detail::check_dense_labels(
        y_true, y_pred, "BinaryAccuracy",
        "give y_true the shape of y_pred (one 0/1 label per output unit); for class ids use "
        "sparse_categorical_accuracy");
    const std::vector<float> t = y_true.to_floats();
    const std::vector<float> p = y_pred.to_floats();
    const float threshold = static_cast<float>(threshold_);
    const std::int64_t k = y_pred.dim(-1);
    const std::int64_t rows = k ? y_pred.size() / k : 0;
    std::vector<double> out(rows, 0.0);
    for (std::int64_t r = 0; r < rows; ++r) {
        int hits = 0;
        for (std::int64_t j = 0; j < k; ++j) {
            const float predicted = p[r * k + j] > threshold ? 1.0f : 0.0f;
            hits += t[r * k + j] == predicted;
        }
        out[r] = static_cast<double>(hits) / static_cast<double>(k);
    }
    return Tensor::from_vector(out, detail::per_sample_shape(y_pred));
}

Tensor CategoricalAccuracy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    detail::check_dense_labels(
        y_true, y_pred, "CategoricalAccuracy",
        "categorical_accuracy needs one-hot labels; for integer class ids use "
        "sparse_categorical_accuracy (or \"accuracy\", which picks it from the shapes)");
    const std::vector<float> t = y_true.to_floats();
    const std::vector<float> p = y_pred.to_floats();
    const std::int64_t k = y_pred.dim(-1);
    const std::int64_t rows = k ? y_pred.size() / k : 0;
    std::vector<double> out(rows, 0.0);
    for (std::int64_t r = 0; r < rows; ++r) {
        out[r] = detail::first_argmax(&t[r * k], k) == detail::first_argmax(&p[r * k], k);
    }
    return Tensor::from_vector(out, detail::per_sample_shape(y_pred));
}

Tensor SparseCategoricalAccuracy::per_sample(const Tensor& y_true, const Tensor& y_pred) const {
    detail::check_sparse_labels(y_true, y_pred, "SparseCategoricalAccuracy");
    const std::vector<float> t = y_true.to_floats();
    const std::vector<float> p = y_pred.to_floats();
    const std::int64_t k = y_pred.dim(-1);
    const std::int64_t rows = static_cast<std::int64_t>(t.size());
    std::vector<double> out(rows, 0.0);
    for (std::int64_t r = 0; r < rows && k > 0; ++r) {
        // A non-integer or NaN label never matches (Keras compares y_true == float(argmax)).
        out[r] = t[r] == static_cast<float>(detail::first_argmax(&p[r * k], k));
    }
    return Tensor::from_vector(out, detail::per_sample_shape(y_pred));
}

}  // namespace tfc::metrics
