// Monthly sunspots forecast (course 4, "sequences, time series and prediction"):
//   split at month 3000, windowed dataset (window 30 -> next month, shuffle buffer 1000,
//   batch 32), Rescaling(1/100) -> Conv1D(64, 3, causal, relu) -> LSTM(64, return_sequences)
//   -> LSTM(64) -> Dense(30, relu) -> Dense(10, relu) -> Dense(1) -> Rescaling(100)
//   (the course's Lambda(x * 400) on its larger-scale series), Huber loss, Adam.
// The held-out tail (months 3000 .. 3176) is forecast one step ahead from the true past values;
// its MAE is compared with the naive forecast (previous month) and the course's trailing moving
// average over the same 30 months. Prints the three MAEs and a JSON summary line.
// Exit status 1 when the model does not beat both baselines (with --quick: the moving average).
//   sunspots_forecast [--quick] [--epochs N] [--data DATASETS_DIR]
// DATASETS_DIR defaults to $TFC_SHARED_DIR/datasets, else ../shared/datasets. --quick trains 4
// epochs; the full run (40 epochs) is the one recorded in docs/examples.md.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "examples/datasets_dir.h"
#include "tfc/core/random.h"
#include "tfc/data/csv.h"
#include "tfc/data/dataset.h"
#include "tfc/layers/layers.h"
#include "tfc/losses/huber.h"
#include "tfc/ops/ops.h"
#include "tfc/optimizers/adam.h"
#include "tfc/preprocessing/timeseries.h"
#include "tfc/training/sequential.h"

namespace {

struct Args {
    bool quick = false;
    int epochs = 40;
    std::string data_dir;
};

Args parse_args(int argc, char** argv) {
    Args args;
    bool epochs_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--quick") {
            args.quick = true;
        } else if (a == "--epochs" && i + 1 < argc) {
            args.epochs = std::atoi(argv[++i]);
            epochs_given = true;
        } else if (a == "--data" && i + 1 < argc) {
            args.data_dir = argv[++i];
        } else {
            std::cerr << "usage: sunspots_forecast [--quick] [--epochs N] [--data DATASETS_DIR]\n";
            std::exit(2);
        }
    }
    if (args.quick && !epochs_given) args.epochs = 4;
    args.data_dir = tfc_examples::datasets_dir("sunspots_forecast", args.data_dir);
    return args;
}

constexpr std::int64_t kSplitTime = 3000;
constexpr std::int64_t kWindow = 30;
constexpr std::int64_t kBatch = 32;
constexpr std::int64_t kShuffleBuffer = 1000;

// The course's windowed_dataset on a [n, 1] series: windows of kWindow + 1 steps, shift 1,
// split into (x [kWindow, 1], y [1]), shuffled and batched.
tfc::data::Dataset windowed(const tfc::Tensor& series) {
    using namespace tfc;
    return data::Dataset::from_tensor_slices({series})
        .window(kWindow + 1, {.shift = 1, .drop_remainder = true})
        .flat_map([](const data::Dataset& w) { return w.batch(kWindow + 1); })
        .map([](const data::Element& w) -> data::Element {
            return {ops::slice(w[0], {0, 0}, {kWindow, 1}),
                    ops::slice(w[0], {kWindow, 0}, {1, 1}).reshaped({1})};
        })
        .shuffle(kShuffleBuffer, {.seed = 7})
        .batch(kBatch)
        .prefetch(1);
}

double mae(const std::vector<double>& forecast, const std::vector<double>& actual) {
    double s = 0;
    for (std::size_t i = 0; i < actual.size(); ++i) s += std::abs(forecast[i] - actual[i]);
    return s / static_cast<double>(actual.size());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace tfc;
    const Args args = parse_args(argc, argv);
    const auto start = std::chrono::steady_clock::now();
    set_random_seed(42);

    data::Table table = data::read_csv(args.data_dir + "/timeseries/sunspots/monthly-sunspots.csv");
    const std::vector<double> series = table["value"].values().to_doubles();
    const auto n = static_cast<std::int64_t>(series.size());
    Tensor all = table["value"].values().astype(DType::float32).reshaped({n, 1});
    Tensor train_part = ops::slice(all, {0, 0}, {kSplitTime, 1});
    std::cout << n << " months, training on the first " << kSplitTime << ", forecasting the last "
              << n - kSplitTime << "\n";

    Sequential model({
        Rescaling(1.0 / 100, {.input_shape = {kWindow, 1}}),
        Conv1D(64, 3, {.padding = "causal", .activation = "relu"}),
        LSTM(64, {.return_sequences = true}),
        LSTM(64),
        Dense(30, {.activation = "relu"}),
        Dense(10, {.activation = "relu"}),
        Dense(1),
        Rescaling(100),
    });
    model.compile(Adam({.learning_rate = 1e-3}), losses::Huber(), {"mae"});
    model.summary();
    History h = model.fit(windowed(train_part), {.epochs = args.epochs, .verbose = 2});

    // One-step-ahead forecasts for t = split .. n-1 from the true values s[t-W .. t-1].
    const std::int64_t n_tail = n - kSplitTime;
    std::vector<float> windows;
    windows.reserve(static_cast<std::size_t>(n_tail * kWindow));
    for (std::int64_t t = kSplitTime; t < n; ++t)
        for (std::int64_t k = t - kWindow; k < t; ++k)
            windows.push_back(static_cast<float>(series[static_cast<std::size_t>(k)]));
    Tensor x_tail = Tensor::from_vector(windows, {n_tail, kWindow, 1});
    const std::vector<double> model_fc = model.predict(x_tail, {.batch_size = 256}).to_doubles();

    const std::vector<double> actual(series.begin() + kSplitTime, series.end());
    const std::vector<double> naive_fc(series.begin() + kSplitTime - 1, series.end() - 1);
    // moving_average_forecast(s, w)[t - w] = mean(s[t-w .. t-1]), the forecast for month t
    // (t = w .. n-1), so the tail starts at index split - w.
    const std::vector<double> ma_all =
        moving_average_forecast(table["value"].values().astype(DType::float64), kWindow)
            .to_doubles();
    const std::vector<double> ma_fc(ma_all.begin() + (kSplitTime - kWindow), ma_all.end());
    const double mae_model = mae(model_fc, actual);
    const double mae_naive = mae(naive_fc, actual);
    const double mae_ma = mae(ma_fc, actual);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    std::cout << "MAE on months " << kSplitTime << ".." << n - 1 << ":\n"
              << "  model (Conv1D + LSTM)          " << mae_model << "\n"
              << "  naive (previous month)         " << mae_naive << "\n"
              << "  moving average (" << kWindow << " months)     " << mae_ma << "\n";
    std::cout << "{\"example\": \"sunspots_forecast\", \"mae_model\": " << mae_model
              << ", \"mae_naive\": " << mae_naive << ", \"mae_moving_average\": " << mae_ma
              << ", \"final_train_mae\": " << h.history.at("mae").back()
              << ", \"epochs\": " << args.epochs << ", \"seconds\": " << seconds << "}\n";
    const bool ok = args.quick ? mae_model < mae_ma : mae_model < mae_naive && mae_model < mae_ma;
    return ok ? 0 : 1;
}
