// Training a model with several outputs (compile with one loss per output, Keras 2's
// compile_utils.LossesContainer): the trained loss is sum_k loss_weights[k] * loss_k, the logs and
// metrics_names use Keras's "<output>_loss" / "<output>_<metric>" names, a zero loss weight
// leaves that head untouched, and a two-head forecaster learns on the real sunspots series.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/data/csv.h"
#include "tfc/layers/layers.h"
#include "tfc/losses/losses.h"
#include "tfc/ops/ops.h"
#include "tfc/optimizers/optimizers.h"
#include "tfc/training/functional.h"

namespace tfc {
namespace {

// x [n, 6] -> shared Dense(8, relu) -> "value" Dense(1) and "label" Dense(3, softmax).
std::shared_ptr<Functional> two_heads() {
    KerasTensor x = Input({6}, "features");
    KerasTensor h = apply_layer(Dense(8, {.activation = "relu", .name = "shared"}), x);
    KerasTensor value = apply_layer(Dense(1, {.name = "value"}), h);
    KerasTensor label = apply_layer(Dense(3, {.activation = "softmax", .name = "label"}), h);
    return std::make_shared<Functional>(std::vector<KerasTensor>{x},
                                        std::vector<KerasTensor>{value, label}, "two_heads");
}

struct Data {
    Tensor x, value, label;
};

// Targets that depend on the inputs: value = x0 - 2 x1, label = argmax of (x2, x3, x4).
Data make_data(std::int64_t n, std::uint64_t seed) {
    const Tensor x64 = testing::random_f64({n, 6}, -1, 1, seed);
    const auto xv = x64.to_doubles();
    std::vector<float> value(static_cast<std::size_t>(n));
    std::vector<std::int32_t> label(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        const double* r = xv.data() + i * 6;
        value[static_cast<std::size_t>(i)] = static_cast<float>(r[0] - 2 * r[1]);
        label[static_cast<std::size_t>(i)] =
            static_cast<std::int32_t>(std::max_element(r + 2, r + 5) - (r + 2));
    }
    return {x64.astype(DType::float32), Tensor::from_vector(value, {n, 1}),
            Tensor::from_vector(label, {n})};
}

TEST(MultiOutput, LossIsTheWeightedSumAndNamesFollowKeras) {
    set_random_seed(3);
    auto m = two_heads();
    m->compile("adam", CompileOptions{.loss = {"mse", "sparse_categorical_crossentropy"},
                                      .loss_weights = {0.25, 2.0},
                                      .metrics = {{"mae"}, {"accuracy"}}});
    const Data d = make_data(40, 11);
    const std::vector<double> got = m->evaluate({d.x}, {d.value, d.label}, {.verbose = 0});
    EXPECT_EQ(m->metrics_names(), (std::vector<std::string>{"loss", "value_loss", "label_loss",
                                                            "value_mae", "label_accuracy"}));
    ASSERT_EQ(got.size(), 5u);
    // The same numbers from the outputs and the loss objects on their own (one batch of 40).
    const std::vector<Tensor> ys = m->predict_multi({d.x}, {.batch_size = 64});
    const double mse = losses::MeanSquaredError()(d.value, ys[0]).item();
    const double ce = losses::SparseCategoricalCrossentropy()(d.label, ys[1]).item();
    EXPECT_NEAR(got[1], mse, 1e-6 * (1 + mse));
    EXPECT_NEAR(got[2], ce, 1e-6 * (1 + ce));
    EXPECT_NEAR(got[0], 0.25 * mse + 2.0 * ce, 1e-6 * (1 + got[0]));

    History h = m->fit({d.x}, {d.value, d.label},
                       {.batch_size = 8, .epochs = 2, .verbose = 0, .validation_split = 0.25});
    for (const char* k : {"loss", "value_loss", "label_loss", "value_mae", "label_accuracy",
                          "val_loss", "val_value_loss", "val_label_loss", "val_label_accuracy"}) {
        ASSERT_EQ(h.history[k].size(), 2u) << k;
    }
}

// Each head's gradient comes only through its own weighted loss: with weight 0 its layer keeps
// its weights while the other head and the shared layer learn.
TEST(MultiOutput, ZeroLossWeightFreezesThatHead) {
    for (const std::size_t frozen : {0u, 1u}) {
        SCOPED_TRACE(frozen);
        set_random_seed(4);
        auto m = two_heads();
        std::vector<double> w{1.0, 1.0};
        w[frozen] = 0.0;
        m->compile(
            SGD({.learning_rate = 0.1}),
            CompileOptions{.loss = {"mse", "sparse_categorical_crossentropy"}, .loss_weights = w});
        const std::string heads[] = {"value", "label"};
        auto snapshot = [&](const std::string& name) {
            std::vector<double> v;
            for (const Tensor& t : m->get_layer(name)->get_weights()) {
                const auto d = t.to_doubles();
                v.insert(v.end(), d.begin(), d.end());
            }
            return v;
        };
        const auto frozen0 = snapshot(heads[frozen]), other0 = snapshot(heads[1 - frozen]);
        const auto shared0 = snapshot("shared");
        const Data d = make_data(32, 12);
        m->fit({d.x}, {d.value, d.label}, {.batch_size = 8, .epochs = 1, .verbose = 0});
        EXPECT_EQ(snapshot(heads[frozen]), frozen0);
        EXPECT_NE(snapshot(heads[1 - frozen]), other0);
        EXPECT_NE(snapshot("shared"), shared0);
    }
}

TEST(MultiOutput, MismatchesAreRefusedWithAFix) {
    auto m = two_heads();
    const Data d = make_data(16, 13);
    auto error_of = [](const auto& fn) {
        try {
            fn();
        } catch (const Error& e) {
            return std::string(e.what());
        }
        return std::string();
    };
    m->compile("adam", "mse");  // one loss for two outputs
    EXPECT_NE(error_of([&] {
                  m->fit({d.x}, {d.value, d.label}, {.verbose = 0});
              }).find("different number of losses"),
              std::string::npos);
    m->compile("adam", CompileOptions{.loss = {"mse", "sparse_categorical_crossentropy"}});
    EXPECT_NE(error_of([&] {
                  m->fit(d.x, d.value, {.verbose = 0});
              }).find("wrong number of target arrays"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  m->fit({d.x}, {d.value, ops::slice(d.label, {0}, {8})}, {.verbose = 0});
              }).find("different numbers of samples"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  m->fit({d.x}, {d.value, d.label},
                         {.verbose = 0, .validation_data = std::make_pair(d.x, d.value)});
              }).find("validation_data"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  m->compile("adam", CompileOptions{.loss = {"mse", "mse"}, .loss_weights = {1}});
              }).find("one weight per loss"),
              std::string::npos);
}

// Real data: monthly sunspots. From the last 24 months (scaled by 1/100), one head forecasts
// the next month (MSE) and one says whether it rises (binary cross-entropy). Trained on the
// first 2,500 months; on the held-out tail the forecast beats the 24-month moving average and
// the rise head beats always guessing the tail's more common answer.
TEST(MultiOutput, SunspotsForecastAndDirectionHeads) {
    TFC_SKIP_WITHOUT_SHARED();
    set_random_seed(7);
    data::Table table = data::read_csv(testing::shared_dir() +
                                       "/datasets/timeseries/sunspots/monthly-sunspots.csv");
    const std::vector<double> s = table["value"].values().to_doubles();
    constexpr std::int64_t kWindow = 24, kSplit = 2500;
    const auto n = static_cast<std::int64_t>(s.size());
    ASSERT_GT(n, kSplit + 100);
    auto windows = [&](std::int64_t from, std::int64_t to) {  // targets t in [from, to)
        std::vector<float> x, next, rises;
        for (std::int64_t t = from; t < to; ++t) {
            for (std::int64_t k = t - kWindow; k < t; ++k)
                x.push_back(static_cast<float>(s[k] / 100));
            next.push_back(static_cast<float>(s[t] / 100));
            rises.push_back(s[t] > s[t - 1] ? 1.0f : 0.0f);
        }
        const auto m = to - from;
        return Data{Tensor::from_vector(x, {m, kWindow}), Tensor::from_vector(next, {m, 1}),
                    Tensor::from_vector(rises, {m, 1})};
    };
    const Data train = windows(kWindow, kSplit), tail = windows(kSplit, n);

    KerasTensor x = Input({kWindow}, "months");
    KerasTensor h = apply_layer(Dense(32, {.activation = "relu", .name = "shared"}), x);
    KerasTensor next = apply_layer(Dense(1, {.name = "next"}), h);
    KerasTensor h2 = apply_layer(Dense(16, {.activation = "relu"}), h);
    KerasTensor rises = apply_layer(Dense(1, {.activation = "sigmoid", .name = "rises"}), h2);
    Functional m(std::vector<KerasTensor>{x}, std::vector<KerasTensor>{next, rises}, "sunspots2");
    m.compile(Adam({.learning_rate = 1e-3}), CompileOptions{.loss = {"mse", "binary_crossentropy"},
                                                            .loss_weights = {10.0, 1.0},
                                                            .metrics = {{"mae"}, {"accuracy"}}});
    const std::vector<double> before =
        m.evaluate({tail.x}, {tail.value, tail.label}, {.verbose = 0});
    m.fit({train.x}, {train.value, train.label}, {.batch_size = 32, .epochs = 30, .verbose = 0});
    const std::vector<double> after =
        m.evaluate({tail.x}, {tail.value, tail.label}, {.verbose = 0});
    // [loss, next_loss, rises_loss, next_mae, rises_accuracy]
    ASSERT_EQ(after.size(), 5u);
    EXPECT_LT(after[1], 0.5 * before[1]);
    EXPECT_LT(after[2], before[2]);

    const auto tail_n = static_cast<std::size_t>(n - kSplit);
    double mae_ma = 0, rises_count = 0;
    for (std::int64_t t = kSplit; t < n; ++t) {
        double mean = 0;
        for (std::int64_t k = t - kWindow; k < t; ++k) mean += s[k];
        mae_ma += std::fabs(mean / kWindow - s[t]);
        rises_count += s[t] > s[t - 1] ? 1 : 0;
    }
    mae_ma /= static_cast<double>(tail_n);
    const double majority = std::max(rises_count, static_cast<double>(tail_n) - rises_count) /
                            static_cast<double>(tail_n);
    const double mae_model = after[3] * 100;  // back to sunspot counts
    std::cout << "sunspots two heads: forecast MAE " << mae_model << " (moving average " << mae_ma
              << "), rises accuracy " << after[4] << " (majority " << majority << ")\n";
    EXPECT_LT(mae_model, mae_ma);
    EXPECT_GT(after[4], majority);
}

}  // namespace
}  // namespace tfc
