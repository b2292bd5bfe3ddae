// Time-series helpers: keras.utils.timeseries_dataset_from_array (K2: keras/utils/
// timeseries_dataset.py, v2.15), the course's windowed_dataset (C4), moving averages and
// differencing (C4/W1 statistical baselines).
//
// Until tfc/data's Dataset can hold them, the datasets are returned as a plain list of
// (inputs, targets) batches; wrap it with a from-batches source later.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc {

using Batches = std::vector<std::pair<Tensor, Tensor>>;

struct TimeseriesDatasetOptions {
    std::int64_t sequence_length = 0;  // required
    std::int64_t sequence_stride = 1;
    std::int64_t sampling_rate = 1;
    std::int64_t batch_size = 128;
    bool shuffle = false;
    std::optional<std::uint64_t> seed{};
    std::optional<std::int64_t> start_index{};
    std::optional<std::int64_t> end_index{};
};

// data: [N, ...]. targets: undefined (no targets) or [M, ...]. Window i starts at
// start_index + p_i with p_i = 0, stride, 2*stride, ... < num_seqs, and holds the rows
// p, p + rate, ..., p + (sequence_length - 1) * rate; its target is targets[start_index + p_i].
// num_seqs = end_index - start_index - sequence_length * sampling_rate + 1 (the Keras 2 formula,
// one window fewer than possible when sampling_rate > 1), capped at len(targets).
// Batches: inputs [B, sequence_length, ...], targets [B, ...]; the last batch may be smaller;
// targets are undefined tensors when no targets are given. Same dtype as data / targets.
// shuffle permutes the window start positions with tfc::Generator(seed) (Keras uses numpy's
// RandomState + a tf.data shuffle buffer, so the order differs from Keras; the set is the same).
Batches timeseries_dataset_from_array(const Tensor& data, const Tensor& targets,
                                      const TimeseriesDatasetOptions& options);

// The course's windowed_dataset(series, window_size, batch_size, shuffle_buffer):
//   window(window_size + 1, shift=1, drop_remainder=True) -> flat_map(batch) ->
//   shuffle(shuffle_buffer) -> map(w[:-1], w[-1]) -> batch(batch_size).
// series: 1-D. Batches of x [B, window_size] and y [B]. shuffle_buffer <= 1 keeps the order;
// otherwise tf.data's buffer algorithm (fill the buffer, emit a random slot, refill it) runs with
// tfc::Generator(seed), so orders differ from TF but the buffer semantics are the same.
struct WindowedDatasetOptions {
    std::int64_t window_size = 0;  // required
    std::int64_t batch_size = 32;
    std::int64_t shuffle_buffer = 0;
    std::uint64_t seed = 0;
};
Batches windowed_dataset(const Tensor& series, const WindowedDatasetOptions& options);

// Moving averages of a 1-D floating series (int series -> float64), summed like numpy's
// `a[i:j].mean()` (pairwise summation in the series' dtype) so results equal numpy's bit for bit.
//   moving_average_forecast(s, w)[t] = mean(s[t : t+w]),          t = 0 .. n-w-1 (the course;
//                                      the forecast for time t + w)
//   trailing_moving_average(s, w)[t] = mean(s[t-w+1 : t+1]),      t = w-1 .. n-1 (length n-w+1)
//   centered_moving_average(s, w)[t] = mean(s[t-w/2 : t-w/2+w]),  t = w/2 .. n-w+w/2 (length
//                                      n-w+1; for even w, one more past value than future)
Tensor moving_average_forecast(const Tensor& series, std::int64_t window_size);
Tensor trailing_moving_average(const Tensor& series, std::int64_t window_size);
Tensor centered_moving_average(const Tensor& series, std::int64_t window_size);
// series[t] - series[t - lag] for t = lag .. n-1 (numpy: s[lag:] - s[:-lag]); length n - lag.
Tensor difference(const Tensor& series, std::int64_t lag);

}  // namespace tfc
