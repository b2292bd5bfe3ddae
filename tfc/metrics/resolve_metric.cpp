// resolve_metric: Keras 2.15 compile_utils.MetricsContainer._get_metric_object.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>

#include "tfc/core/error.h"
#include "tfc/metrics/metrics.h"

namespace tfc {
namespace {

using metrics::BinaryAccuracy;
using metrics::CategoricalAccuracy;
using metrics::SparseCategoricalAccuracy;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// Metric functions by Keras name; the metric is named as the user wrote it.
MetricPtr from_function_name(const std::string& id) {
    using Factory = std::function<MetricPtr(const std::string&)>;
    static const std::map<std::string, Factory> kFunctions = {
        {"binary_accuracy",
         [](const std::string& n) {
             return std::make_shared<BinaryAccuracy>(metrics::BinaryAccuracyOptions{.name = n});
         }},
        {"categorical_accuracy",
         [](const std::string& n) { return std::make_shared<CategoricalAccuracy>(n); }},
        {"sparse_categorical_accuracy",
         [](const std::string& n) { return std::make_shared<SparseCategoricalAccuracy>(n); }},
        {"mae",
         [](const std::string& n) { return std::make_shared<metrics::MeanAbsoluteError>(n); }},
        {"MAE",
         [](const std::string& n) { return std::make_shared<metrics::MeanAbsoluteError>(n); }},
        {"mean_absolute_error",
         [](const std::string& n) { return std::make_shared<metrics::MeanAbsoluteError>(n); }},
        {"mse",
         [](const std::string& n) { return std::make_shared<metrics::MeanSquaredError>(n); }},
        {"MSE",
         [](const std::string& n) { return std::make_shared<metrics::MeanSquaredError>(n); }},
        {"mean_squared_error",
         [](const std::string& n) { return std::make_shared<metrics::MeanSquaredError>(n); }},
        {"binary_crossentropy",
         [](const std::string& n) {
             return std::make_shared<metrics::BinaryCrossentropy>(
                 metrics::BinaryCrossentropyOptions{.name = n});
         }},
        {"categorical_crossentropy",
         [](const std::string& n) {
             return std::make_shared<metrics::CategoricalCrossentropy>(
                 metrics::CategoricalCrossentropyOptions{.name = n});
         }},
        {"sparse_categorical_crossentropy",
         [](const std::string& n) {
             return std::make_shared<metrics::SparseCategoricalCrossentropy>(
                 metrics::SparseCategoricalCrossentropyOptions{.name = n});
         }},
    };
    const auto it = kFunctions.find(id);
    return it == kFunctions.end() ? nullptr : it->second(id);
}

// Metric classes by Keras class name; they keep their default names (Keras instantiates the
// class, whose name is its default).
MetricPtr from_class_name(const std::string& id) {
    using Factory = std::function<MetricPtr()>;
    static const std::map<std::string, Factory> kClasses = {
        {"BinaryAccuracy", [] { return std::make_shared<BinaryAccuracy>(); }},
        {"CategoricalAccuracy", [] { return std::make_shared<CategoricalAccuracy>(); }},
        {"SparseCategoricalAccuracy", [] { return std::make_shared<SparseCategoricalAccuracy>(); }},
        {"MeanAbsoluteError", [] { return std::make_shared<metrics::MeanAbsoluteError>(); }},
        {"MeanSquaredError", [] { return std::make_shared<metrics::MeanSquaredError>(); }},
        {"BinaryCrossentropy", [] { return std::make_shared<metrics::BinaryCrossentropy>(); }},
        {"CategoricalCrossentropy",
         [] { return std::make_shared<metrics::CategoricalCrossentropy>(); }},
        {"SparseCategoricalCrossentropy",
         [] { return std::make_shared<metrics::SparseCategoricalCrossentropy>(); }},
    };
    const auto it = kClasses.find(id);
    return it == kClasses.end() ? nullptr : it->second();
}

}  // namespace

MetricPtr resolve_metric(const std::string& identifier, const Shape& y_true_shape,
                         const Shape& y_pred_shape) {
    const std::string key = lower(identifier);
    const bool is_accuracy = key == "accuracy" || key == "acc";
    const bool is_crossentropy = key == "crossentropy" || key == "ce";
    if (is_accuracy || is_crossentropy) {
        TFC_CHECK(!y_pred_shape.empty(), "resolve_metric",
                  "cannot pick the \"" + identifier + "\" variant for a rank-0 y_pred",
                  "y_pred shape " + shape_str(y_pred_shape), "rank >= 1, e.g. (batch, units)",
                  "name the metric explicitly, e.g. \"binary_accuracy\"");
        const std::int64_t t_last = y_true_shape.empty() ? -1 : y_true_shape.back();
        const std::int64_t p_last = y_pred_shape.back();
        const bool is_binary = p_last == 1;
        const bool is_sparse =
            y_true_shape.size() < y_pred_shape.size() || (t_last == 1 && p_last > 1);
        std::string fn;
        if (is_binary) {
            fn = is_accuracy ? "binary_accuracy" : "binary_crossentropy";
        } else if (is_sparse) {
            fn = is_accuracy ? "sparse_categorical_accuracy" : "sparse_categorical_crossentropy";
        } else {
            fn = is_accuracy ? "categorical_accuracy" : "categorical_crossentropy";
        }
        MetricPtr m = from_function_name(fn);
        m->set_name(identifier);
        return m;
    }
    if (MetricPtr m = from_function_name(identifier)) return m;
    if (MetricPtr m = from_class_name(identifier)) return m;
    fail("resolve_metric", "unknown metric", "\"" + identifier + "\"",
         "one of accuracy, acc, crossentropy, ce, binary_accuracy, categorical_accuracy, "
         "sparse_categorical_accuracy, mae, mse, mean_absolute_error, mean_squared_error, "
         "binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy (or a "
         "class name such as BinaryAccuracy)",
         "check the spelling, or pass a metric object such as metrics::BinaryAccuracy()");
}

}  // namespace tfc
