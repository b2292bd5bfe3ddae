// resolve_metric: Keras's "accuracy"/"crossentropy" resolution by shapes, direct names, and the
// log key (the string as written).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/metrics/metrics.h"

namespace tfc {
namespace {

using metrics::BinaryAccuracy;
using metrics::CategoricalAccuracy;
using metrics::SparseCategoricalAccuracy;

template <typename T>
void expect_resolves(const std::string& id, const Shape& y_true, const Shape& y_pred,
                     const std::string& name) {
    MetricPtr m = resolve_metric(id, y_true, y_pred);
    ASSERT_NE(m, nullptr);
    EXPECT_NE(dynamic_cast<T*>(m.get()), nullptr)
        << id << " " << shape_str(y_true) << " " << shape_str(y_pred);
    EXPECT_EQ(m->name(), name);
}

TEST(ResolveMetric, AccuracyBranches) {
    // Binary: y_pred's last dim is 1 (whatever y_true looks like).
    expect_resolves<BinaryAccuracy>("accuracy", {32, 1}, {32, 1}, "accuracy");
    expect_resolves<BinaryAccuracy>("accuracy", {32}, {32, 1}, "accuracy");
    // Sparse: y_true of lower rank, or a last dim of 1 against several classes.
    expect_resolves<SparseCategoricalAccuracy>("accuracy", {32}, {32, 10}, "accuracy");
    expect_resolves<SparseCategoricalAccuracy>("acc", {32, 1}, {32, 10}, "acc");
    expect_resolves<SparseCategoricalAccuracy>("accuracy", {8, 20}, {8, 20, 5}, "accuracy");
    // Categorical otherwise.
    expect_resolves<CategoricalAccuracy>("accuracy", {32, 10}, {32, 10}, "accuracy");
    expect_resolves<CategoricalAccuracy>("acc", {32, 2}, {32, 2}, "acc");
    // Keras lower-cases the identifier to decide, and keeps it as written for the log key.
    expect_resolves<BinaryAccuracy>("Accuracy", {4, 1}, {4, 1}, "Accuracy");
    expect_resolves<CategoricalAccuracy>("ACC", {4, 3}, {4, 3}, "ACC");
}

TEST(ResolveMetric, CrossentropyBranches) {
    expect_resolves<metrics::BinaryCrossentropy>("crossentropy", {32, 1}, {32, 1}, "crossentropy");
    expect_resolves<metrics::SparseCategoricalCrossentropy>("ce", {32}, {32, 10}, "ce");
    expect_resolves<metrics::SparseCategoricalCrossentropy>("crossentropy", {32, 1}, {32, 10},
                                                            "crossentropy");
    expect_resolves<metrics::CategoricalCrossentropy>("ce", {32, 10}, {32, 10}, "ce");
}

TEST(ResolveMetric, DirectNames) {
    expect_resolves<BinaryAccuracy>("binary_accuracy", {4, 3}, {4, 3}, "binary_accuracy");
    expect_resolves<CategoricalAccuracy>("categorical_accuracy", {4}, {4, 3},
                                         "categorical_accuracy");
    expect_resolves<SparseCategoricalAccuracy>("sparse_categorical_accuracy", {4, 3}, {4, 3},
                                               "sparse_categorical_accuracy");
    expect_resolves<metrics::MeanAbsoluteError>("mae", {4, 1}, {4, 1}, "mae");
    expect_resolves<metrics::MeanAbsoluteError>("MAE", {4, 1}, {4, 1}, "MAE");
    expect_resolves<metrics::MeanAbsoluteError>("mean_absolute_error", {4, 1}, {4, 1},
                                                "mean_absolute_error");
    expect_resolves<metrics::MeanSquaredError>("mse", {4, 1}, {4, 1}, "mse");
    expect_resolves<metrics::MeanSquaredError>("mean_squared_error", {4, 1}, {4, 1},
                                               "mean_squared_error");
    expect_resolves<metrics::BinaryCrossentropy>("binary_crossentropy", {4, 1}, {4, 1},
                                                 "binary_crossentropy");
    expect_resolves<metrics::CategoricalCrossentropy>("categorical_crossentropy", {4, 3}, {4, 3},
                                                      "categorical_crossentropy");
    expect_resolves<metrics::SparseCategoricalCrossentropy>(
        "sparse_categorical_crossentropy", {4}, {4, 3}, "sparse_categorical_crossentropy");
    // Class names build the class, which keeps its default name.
    expect_resolves<BinaryAccuracy>("BinaryAccuracy", {4, 1}, {4, 1}, "binary_accuracy");
    expect_resolves<metrics::MeanSquaredError>("MeanSquaredError", {4, 1}, {4, 1},
                                               "mean_squared_error");
}

TEST(ResolveMetric, FreshObjectEachTime) {
    MetricPtr a = resolve_metric("accuracy", {2, 1}, {2, 1});
    MetricPtr b = resolve_metric("accuracy", {2, 1}, {2, 1});
    EXPECT_NE(a.get(), b.get());
}

TEST(ResolveMetric, Errors) {
    try {
        resolve_metric("accuracyy", {2, 1}, {2, 1});
        ADD_FAILURE() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[resolve_metric] unknown metric"), std::string::npos) << msg;
        EXPECT_NE(msg.find("\"accuracyy\""), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
    EXPECT_THROW(resolve_metric("accuracy", {}, {}), Error);
}

}  // namespace
}  // namespace tfc
