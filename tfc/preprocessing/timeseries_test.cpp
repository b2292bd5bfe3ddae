// Time-series helpers. Moving averages and differencing: numpy goldens on the real sunspots
// series (tests/golden/preprocessing/timeseries.json). Windowing: behaviour derived from
// K2 keras/utils/timeseries_dataset.py (v2.15) and the course's windowed_dataset (tf.data window
// / flat_map / map / batch), cited per test.
#include "tfc/preprocessing/timeseries.h"

#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"

#include <algorithm>
#include <set>

#include "tfc/core/error.h"
#include "tfc/preprocessing/golden_test_util.h"

namespace tfc {
namespace {

using nlohmann::json;

Tensor sunspots(DType dtype) {
    std::vector<double> v;
    for (const auto& s : testing::read_csv_column(
             testing::dataset_path("timeseries/sunspots/monthly-sunspots.csv"), "value")) {
        v.push_back(std::stod(s));
    }
    Tensor t = Tensor::from_vector(v, Shape{static_cast<std::int64_t>(v.size())});
    return dtype == DType::float64 ? t : t.astype(dtype);
}

std::string sha(const Tensor& t) {
    testing::Sha256 h;
    h.update(t.raw_data(), t.nbytes());
    return h.hex();
}

TEST(Timeseries, MovingAveragesAndDifferencesMatchNumpyOnSunspots) {
    TFC_SKIP_WITHOUT_SHARED();
    const json g = testing::load_preprocessing_golden("timeseries.json");
    const Tensor s64 = sunspots(DType::float64), s32 = sunspots(DType::float32);
    EXPECT_EQ(sha(s64), g["series_float64_sha256"]);
    EXPECT_EQ(sha(s32), g["series_float32_sha256"]);
    int checked = 0;
    for (const json& c : g["cases"]) {
        const std::string kind = c["kind"];
        const Tensor& s = c["dtype"] == "float64" ? s64 : s32;
        SCOPED_TRACE(c.dump());
        Tensor r;
        if (kind == "difference") {
            r = difference(s, c["lag"].get<std::int64_t>());
        } else {
            const auto w = c["window_size"].get<std::int64_t>();
            if (kind == "moving_average_forecast") r = moving_average_forecast(s, w);
            if (kind == "trailing_moving_average") r = trailing_moving_average(s, w);
            if (kind == "centered_moving_average") r = centered_moving_average(s, w);
        }
        ASSERT_TRUE(r.defined());
        EXPECT_EQ(r.dtype(), s.dtype());
        EXPECT_EQ(r.dim(0), c["length"].get<std::int64_t>());
        const auto head = c["head"].get<std::vector<double>>();
        for (std::size_t i = 0; i < head.size(); ++i) EXPECT_EQ(r.at(i), head[i]);
        EXPECT_EQ(sha(r), c["sha256"]);
        ++checked;
    }
    EXPECT_EQ(checked, 2 * (3 * 11 + 3));
}

TEST(Timeseries, MovingAverageErrors) {
    const Tensor s = Tensor::from_vector(std::vector<double>{1, 2, 3}, Shape{3});
    EXPECT_THROW(trailing_moving_average(s, 0), Error);
    EXPECT_THROW(trailing_moving_average(s, 4), Error);
    EXPECT_THROW(difference(s, 3), Error);
    EXPECT_THROW(centered_moving_average(Tensor::zeros(Shape{3, 1}), 2), Error);
    EXPECT_EQ(moving_average_forecast(s, 3).dim(0), 0);
}

Tensor arange(std::int64_t n) {
    std::vector<double> v(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) v[static_cast<std::size_t>(i)] = static_cast<double>(i);
    return Tensor::from_vector(v, Shape{n});
}

// K2 timeseries_dataset.py docstring example 1: data = arange(100), targets = data[10:],
// sequence_length 10, sampling_rate 2: the first input is [0, 2, ..., 18] with target 10.
// Keras 2 makes num_seqs = 100 - 10*2 + 1 = 81 windows (capped by len(targets) = 90).
TEST(Timeseries, DatasetFromArraySamplingRateAndTargets) {
    const Tensor data = arange(100);
    std::vector<double> tv;
    for (int i = 10; i < 100; ++i) tv.push_back(i);
    const Tensor targets = Tensor::from_vector(tv, Shape{90});
    const Batches b = timeseries_dataset_from_array(
        data, targets, {.sequence_length = 10, .sampling_rate = 2, .batch_size = 32});
    ASSERT_EQ(b.size(), 3u);  // 81 windows -> 32 + 32 + 17
    EXPECT_EQ(b[0].first.shape(), (Shape{32, 10}));
    EXPECT_EQ(b[2].first.shape(), (Shape{17, 10}));
    for (int k = 0; k < 10; ++k) EXPECT_EQ(b[0].first.at(k), 2.0 * k);
    EXPECT_EQ(b[0].second.at(0), 10.0);
    EXPECT_EQ(b[2].second.at(16), 90.0);  // window 80 -> targets[80] = 90
    EXPECT_EQ(b[2].first.at(16 * 10 + 9), 80.0 + 18.0);
}

// Stride, start/end index (windows index data[start:end], targets[start:end]), features axis.
TEST(Timeseries, DatasetFromArrayStrideStartEnd) {
    std::vector<float> v;
    for (int i = 0; i < 20; ++i) {
        v.push_back(static_cast<float>(i));
        v.push_back(static_cast<float>(-i));
    }
    const Tensor data = Tensor::from_vector(v, Shape{20, 2});
    const Tensor targets = arange(20);
    const Batches b = timeseries_dataset_from_array(
        data, targets,
        {.sequence_length = 3, .sequence_stride = 2, .batch_size = 2, .start_index = 4,
         .end_index = 15});
    // num_seqs = 15 - 4 - 3 + 1 = 9 -> positions 0, 2, 4, 6, 8 -> 3 batches (2, 2, 1).
    ASSERT_EQ(b.size(), 3u);
    EXPECT_EQ(b[0].first.shape(), (Shape{2, 3, 2}));
    EXPECT_EQ(b[0].first.dtype(), DType::float32);
    EXPECT_EQ(b[0].first.at(0), 4.0);
    EXPECT_EQ(b[0].first.at(1), -4.0);
    EXPECT_EQ(b[0].second.at(1), 6.0);
    EXPECT_EQ(b[2].second.at(0), 12.0);
    EXPECT_EQ(b[2].first.at(4), 14.0);  // last row of the last window stays < end_index
    const Batches nt = timeseries_dataset_from_array(data, Tensor(), {.sequence_length = 5});
    ASSERT_EQ(nt.size(), 1u);
    EXPECT_EQ(nt[0].first.dim(0), 16);
    EXPECT_FALSE(nt[0].second.defined());
}

TEST(Timeseries, DatasetFromArrayShuffleIsASeededPermutation) {
    const Tensor data = arange(50);
    const TimeseriesDatasetOptions o{.sequence_length = 5, .batch_size = 8, .shuffle = true,
                                     .seed = 3};
    const Batches a = timeseries_dataset_from_array(data, data, o);
    const Batches b = timeseries_dataset_from_array(data, data, o);
    std::multiset<double> starts;
    std::vector<double> order_a, order_b;
    for (std::size_t i = 0; i < a.size(); ++i) {
        for (std::int64_t r = 0; r < a[i].first.dim(0); ++r) {
            const double s = a[i].first.at(r * 5);
            EXPECT_EQ(a[i].second.at(r), s);  // target belongs to the window's start
            starts.insert(s);
            order_a.push_back(s);
            order_b.push_back(b[i].first.at(r * 5));
        }
    }
    EXPECT_EQ(order_a, order_b);
    EXPECT_EQ(starts.size(), 46u);
    EXPECT_EQ(*starts.begin(), 0.0);
    EXPECT_EQ(*starts.rbegin(), 45.0);
    EXPECT_FALSE(std::is_sorted(order_a.begin(), order_a.end()));
}

TEST(Timeseries, DatasetFromArrayErrors) {
    const Tensor data = arange(10);
    EXPECT_THROW(timeseries_dataset_from_array(data, Tensor(), {}), Error);
    EXPECT_THROW(timeseries_dataset_from_array(data, Tensor(),
                                               {.sequence_length = 2, .sampling_rate = 10}),
                 Error);
    EXPECT_THROW(timeseries_dataset_from_array(data, Tensor(),
                                               {.sequence_length = 2, .end_index = 10}),
                 Error);
    EXPECT_THROW(timeseries_dataset_from_array(data, Tensor(),
                                               {.sequence_length = 2, .batch_size = 0}),
                 Error);
    EXPECT_TRUE(timeseries_dataset_from_array(data, Tensor(), {.sequence_length = 20}).empty());
}

// The course: window(w+1, shift=1, drop_remainder=True) gives n-w windows; x = w[:-1], y = w[-1].
TEST(Timeseries, WindowedDatasetLikeTheCourse) {
    const Tensor s = arange(10);
    const Batches b = windowed_dataset(s, {.window_size = 3, .batch_size = 4});
    ASSERT_EQ(b.size(), 2u);  // 7 windows -> 4 + 3
    EXPECT_EQ(b[0].first.shape(), (Shape{4, 3}));
    EXPECT_EQ(b[0].second.shape(), (Shape{4}));
    EXPECT_EQ(b[1].first.at(3 * 2 + 0), 6.0);
    EXPECT_EQ(b[1].second.at(2), 9.0);
    const Batches sh = windowed_dataset(s, {.window_size = 3, .batch_size = 4,
                                            .shuffle_buffer = 1000, .seed = 1});
    std::multiset<double> ys;
    for (const auto& [x, y] : sh) {
        for (std::int64_t r = 0; r < x.dim(0); ++r) {
            EXPECT_EQ(y.at(r), x.at(r * 3) + 3.0);
            ys.insert(y.at(r));
        }
    }
    EXPECT_EQ(ys, (std::multiset<double>{3, 4, 5, 6, 7, 8, 9}));
    // A buffer of 2 can only delay an element: the first output is window 0 or 1.
    const Batches small = windowed_dataset(s, {.window_size = 3, .batch_size = 7,
                                               .shuffle_buffer = 2, .seed = 5});
    EXPECT_LE(small[0].second.at(0), 4.0);
    EXPECT_THROW(windowed_dataset(s, {.window_size = 0}), Error);
}

}  // namespace
}  // namespace tfc
