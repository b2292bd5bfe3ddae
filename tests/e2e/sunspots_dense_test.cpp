// The course's time-series recipe on the real sunspots series: CSV -> Dataset.window/flat_map
// windows -> a Dense forecaster, compared with the naive forecast on the last 20% of the series.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "tests/harness/gradcheck.h"
#include "tfc/core/random.h"
#include "tfc/data/csv.h"
#include "tfc/data/dataset.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/optimizers/adam.h"
#include "tfc/training/sequential.h"

namespace tfc {
namespace {

TEST(SunspotsDense, WindowedDenseForecasterBeatsTheNaiveForecast) {
    const std::string path =
        testing::shared_dir() + "/datasets/timeseries/sunspots/monthly-sunspots.csv";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "shared datasets not present";
    set_random_seed(11);
    const data::Table table = data::read_csv(path);
    const Tensor series = table.to_tensor({"value"}).reshaped({table.num_rows()});
    const std::int64_t n = series.size();
    const std::int64_t split = n * 8 / 10;  // train on the first 80%, forecast the last 20%
    constexpr std::int64_t kWindow = 30;
    const double scale = 100.0;  // keeps the inputs near 1 for the optimizer

    // window(size + 1, shift 1, drop_remainder) -> flat_map(batch) -> (features, label) -> batch.
    std::vector<std::int64_t> train_rows;
    for (std::int64_t i = 0; i < split; ++i) train_rows.push_back(i);
    Tensor train_series = ops::div(ops::take_rows(series, train_rows), scale);
    data::Dataset ds =
        data::Dataset::from_tensor_slices({train_series})
            .window(kWindow + 1, {.shift = 1, .drop_remainder = true})
            .flat_map([](const data::Dataset& w) { return w.batch(kWindow + 1); })
            .map([](const data::Element& e) {
                return data::Element{ops::slice(e[0], {0}, {kWindow}),
                                     ops::slice(e[0], {kWindow}, {1})};
            })
            .shuffle(1000, {.seed = 3})
            .batch(32);

    Sequential model({Dense(30, {.activation = "relu", .input_shape = {kWindow}}),
                      Dense(10, {.activation = "relu"}), Dense(1)});
    model.compile(Adam({.learning_rate = 1e-3}), "huber", {"mae"});
    model.fit(ds, {.epochs = 40, .verbose = 0});

    // Forecast every point of the last 20% from the 30 values before it.
    const std::int64_t m = n - split;
    Tensor windows = Tensor::empty({m, kWindow});
    float* w = windows.data<float>();
    const float* s = series.data<float>();
    for (std::int64_t t = 0; t < m; ++t) {
        for (std::int64_t k = 0; k < kWindow; ++k) {
            w[t * kWindow + k] = s[split + t - kWindow + k] / static_cast<float>(scale);
        }
    }
    Tensor pred = model.predict(windows, {.batch_size = 256});
    double mae_model = 0, mae_naive = 0;
    for (std::int64_t t = 0; t < m; ++t) {
        const double actual = s[split + t];
        mae_model += std::fabs(pred.at(t) * scale - actual);
        mae_naive += std::fabs(s[split + t - 1] - actual);  // naive: the previous month
    }
    mae_model /= static_cast<double>(m);
    mae_naive /= static_cast<double>(m);
    RecordProperty("mae_model", std::to_string(mae_model));
    RecordProperty("mae_naive", std::to_string(mae_naive));
    std::printf("sunspots last 20%%: Dense MAE %.3f, naive MAE %.3f\n", mae_model, mae_naive);
    EXPECT_LT(mae_model, mae_naive);
}

}  // namespace
}  // namespace tfc
