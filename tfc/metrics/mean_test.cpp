// Mean (the running weighted mean behind every metric and the epoch loss), MeanMetricWrapper
// with a user function, and the metrics' shape errors.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/metrics/metrics.h"
#include "tfc/ops/ops.h"

namespace tfc::metrics {
namespace {

template <typename F>
void expect_error(F&& f, const std::vector<std::string>& fragments) {
    try {
        f();
        ADD_FAILURE() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        for (const auto& frag : fragments) {
            EXPECT_NE(msg.find(frag), std::string::npos)
                << "missing \"" << frag << "\" in: " << msg;
        }
    }
}

TEST(Mean, WeightedScalarsLikeTheEpochLoss) {
    // Batch losses weighted by batch sizes 32, 32, 16: the epoch loss of Keras's progress bar.
    Mean loss("loss");
    EXPECT_EQ(loss.name(), "loss");
    EXPECT_EQ(loss.result(), 0.0);
    const std::vector<std::pair<double, double>> batches = {{0.75, 32}, {0.5, 32}, {0.25, 16}};
    double total = 0.0, count = 0.0;
    for (const auto& [value, size] : batches) {
        loss.update_state(value, size);
        total += value * size;
        count += size;
        EXPECT_DOUBLE_EQ(loss.result(), total / count);
    }
    EXPECT_EQ(loss.count(), count);
    loss.reset_state();
    EXPECT_EQ(loss.result(), 0.0);
    loss.update_state(2.0);
    loss.update_state(4.0);
    EXPECT_DOUBLE_EQ(loss.result(), 3.0);
}

TEST(Mean, TensorValuesAndWeights) {
    const Tensor v = Tensor::from_vector(std::vector<float>{1.f, 2.f, 3.f, 4.f}, {4});
    const Tensor w = Tensor::from_vector(std::vector<float>{1.f, 0.f, 2.f, 1.f}, {4});
    Mean all, weighted, column, scalar_weight, zero;
    all.update_state(v);
    EXPECT_DOUBLE_EQ(all.result(), (1 + 2 + 3 + 4) / 4.0);
    weighted.update_state(v, w);
    EXPECT_DOUBLE_EQ(weighted.result(), (1 * 1 + 3 * 2 + 4 * 1) / 4.0);
    column.update_state(v.reshaped({4, 1}), w);  // (N, 1) values, (N,) weights
    EXPECT_DOUBLE_EQ(column.result(), weighted.result());
    scalar_weight.update_state(v, Tensor::scalar(3.0));
    EXPECT_DOUBLE_EQ(scalar_weight.result(), all.result());
    EXPECT_DOUBLE_EQ(scalar_weight.count(), 12.0);
    zero.update_state(v, Tensor::zeros({4}));
    EXPECT_EQ(zero.result(), 0.0);  // divide_no_nan
    expect_error([&] { all.update_state(v, Tensor::ones({3})); },
                 {"[Mean.update_state] sample_weight does not match", "(3,)", "(4,)"});
}

TEST(MeanMetricWrapper, UserFunctionAndNoTapeRecording) {
    MeanMetricWrapper m(
        [](const Tensor& y_true, const Tensor& y_pred) {
            return ops::mean(ops::sub(y_pred, y_true), {-1});
        },
        "mean_error");
    EXPECT_EQ(m.name(), "mean_error");
    const Tensor y = Tensor::from_vector(std::vector<float>{0.f, 1.f}, {2, 1});
    Tensor p = Tensor::from_vector(std::vector<float>{0.5f, 2.f}, {2, 1});
    autograd::GradientTape tape;
    tape.watch(p);
    m.update_state(y, p);
    EXPECT_EQ(tape.num_entries(), 0u);  // metrics never record
    EXPECT_DOUBLE_EQ(m.result(), (0.5 + 1.0) / 2.0);
    expect_error([] { MeanMetricWrapper(MetricFn(), "x"); }, {"[MeanMetricWrapper]"});
}

TEST(Metrics, BinaryAccuracyThresholdOption) {
    BinaryAccuracy strict({.name = "acc", .threshold = 0.75});
    EXPECT_EQ(strict.name(), "acc");
    const Tensor y = Tensor::from_vector(std::vector<float>{1.f, 1.f}, {2, 1});
    const Tensor p = Tensor::from_vector(std::vector<float>{0.75f, 0.875f}, {2, 1});
    strict.update_state(y, p);
    BinaryAccuracy at_default;
    at_default.update_state(y, p);
    EXPECT_LT(strict.result(), at_default.result());  // 0.75 is not > 0.75
}

TEST(Metrics, LabelsOfShapeNMatchShapeN1) {
    const Tensor p = Tensor::from_vector(std::vector<float>{0.25f, 0.75f, 0.5f}, {3, 1});
    const Tensor y = Tensor::from_vector(std::vector<float>{0.f, 1.f, 1.f}, {3});
    for (const char* id : {"binary_accuracy", "mae", "mse", "binary_crossentropy"}) {
        MetricPtr a = resolve_metric(id, y.shape(), p.shape());
        MetricPtr b = resolve_metric(id, {3, 1}, p.shape());
        a->update_state(y, p);
        b->update_state(y.reshaped({3, 1}), p);
        EXPECT_EQ(a->result(), b->result()) << id;
    }
}

TEST(Metrics, ShapeErrors) {
    const Tensor p = Tensor::zeros({4, 3});
    const Tensor ids = Tensor::zeros({4}, DType::int32);
    expect_error([&] { CategoricalAccuracy().update_state(ids, p); },
                 {"[CategoricalAccuracy] y_true and y_pred shapes differ", "(4,)", "(4, 3)",
                  "sparse_categorical_accuracy"});
    expect_error(
        [&] {
            SparseCategoricalAccuracy().update_state(Tensor::zeros({4, 3}), p);
        },
        {"[SparseCategoricalAccuracy] y_true must hold one class id per sample", "(4,) or (4, 1)",
         "categorical_accuracy"});
    expect_error(
        [&] {
            MeanSquaredError().update_state(Tensor::zeros({4, 2}), p);
        },
        {"[MeanSquaredError]", "(4, 2)"});
    expect_error(
        [&] {
            BinaryAccuracy().update_state(Tensor::zeros({4, 3}), ids);
        },
        {"y_pred must be floating point"});
    expect_error([&] { MeanAbsoluteError().update_state(p, p, Tensor::ones({5})); },
                 {"sample_weight does not match"});
}

}  // namespace
}  // namespace tfc::metrics
