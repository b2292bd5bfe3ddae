// Time-series helpers; see timeseries.h.
#include "tfc/preprocessing/timeseries.h"

#include <algorithm>
#include <cstring>
#include <deque>

#include "tfc/core/error.h"
#include "tfc/core/random.h"

namespace tfc {

namespace {

std::string num(std::int64_t v) { return std::to_string(v); }

// numpy's pairwise summation for a contiguous run (numpy/core/src/umath/loops_utils.h.src
// behaviour): < 8 values summed left to right; up to 128 with eight interleaved partial sums
// combined as ((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7)) plus the tail; larger runs split in two at a
// multiple of 8.
template <typename T>
T pairwise_sum(const T* a, std::int64_t n) {
    if (n < 8) {
        T res = 0;
        for (std::int64_t i = 0; i < n; ++i) res += a[i];
        return res;
    }
    if (n <= 128) {
        T r[8];
        for (int k = 0; k < 8; ++k) r[k] = a[k];
        std::int64_t i = 8;
        for (; i < n - (n % 8); i += 8) {
            for (int k = 0; k < 8; ++k) r[k] += a[i + k];
        }
        T res = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
        for (; i < n; ++i) res += a[i];
        return res;
    }
    std::int64_t n2 = n / 2;
    n2 -= n2 % 8;
    return pairwise_sum(a, n2) + pairwise_sum(a + n2, n - n2);
}

// out[j] = mean(s[first + j : first + j + w]) for j in [0, count).
template <typename T>
Tensor window_means(const Tensor& series, std::int64_t first, std::int64_t count, std::int64_t w) {
    Tensor src = series.dtype() == dtype_of<T>() ? series : series.astype(dtype_of<T>());
    const T* s = src.data<T>();
    Tensor out = Tensor::empty(Shape{count}, dtype_of<T>());
    T* dst = out.data<T>();
    for (std::int64_t j = 0; j < count; ++j) {
        // numpy: sum in T, then ret / count (a true division rounded back to T).
        dst[j] = static_cast<T>(static_cast<double>(pairwise_sum(s + first + j, w)) /
                                static_cast<double>(w));
    }
    return out;
}

Tensor moving_mean(const Tensor& series, std::int64_t w, std::int64_t first, std::int64_t count,
                   const char* where) {
    TFC_CHECK(series.defined() && series.rank() == 1, where, "the series must be 1-D",
              series.defined() ? shape_str(series.shape()) : "an undefined tensor", "shape (n,)",
              "pass a 1-D tensor (reshape a (n, 1) series first)");
    const std::int64_t n = series.dim(0);
    TFC_CHECK(w >= 1 && w <= n, where, "window_size out of range", "window_size=" + num(w) +
              " for a series of length " + num(n), "1 <= window_size <= len(series)",
              "pass a smaller window_size");
    count = std::max<std::int64_t>(count, 0);
    if (series.dtype() == DType::float32) return window_means<float>(series, first, count, w);
    return window_means<double>(series, first, count, w);
}

}  // namespace

Tensor moving_average_forecast(const Tensor& series, std::int64_t window_size) {
    const std::int64_t n = series.defined() && series.rank() == 1 ? series.dim(0) : 0;
    return moving_mean(series, window_size, 0, n - window_size, "[moving_average_forecast]");
}

Tensor trailing_moving_average(const Tensor& series, std::int64_t window_size) {
    const std::int64_t n = series.defined() && series.rank() == 1 ? series.dim(0) : 0;
    return moving_mean(series, window_size, 0, n - window_size + 1, "[trailing_moving_average]");
}

Tensor centered_moving_average(const Tensor& series, std::int64_t window_size) {
    // The window for centre t starts at t - w/2; the first centre is w/2, so the first window
    // starts at 0 and the values equal the trailing ones, re-labelled w/2 steps earlier.
    const std::int64_t n = series.defined() && series.rank() == 1 ? series.dim(0) : 0;
    return moving_mean(series, window_size, 0, n - window_size + 1, "[centered_moving_average]");
}

Tensor difference(const Tensor& series, std::int64_t lag) {
    const char* where = "[difference]";
    TFC_CHECK(series.defined() && series.rank() == 1, where, "the series must be 1-D",
              series.defined() ? shape_str(series.shape()) : "an undefined tensor", "shape (n,)",
              "pass a 1-D tensor");
    const std::int64_t n = series.dim(0);
    TFC_CHECK(lag >= 1 && lag < n, where, "lag out of range",
              "lag=" + num(lag) + " for a series of length " + num(n), "1 <= lag < len(series)",
              "pass a smaller lag (the course uses 365 on daily data)");
    if (series.dtype() == DType::float32) {
        Tensor out = Tensor::empty(Shape{n - lag}, DType::float32);
        const float* s = series.data<float>();
        float* d = out.data<float>();
        for (std::int64_t t = lag; t < n; ++t) d[t - lag] = s[t] - s[t - lag];
        return out;
    }
    const Tensor src = series.dtype() == DType::float64 ? series : series.astype(DType::float64);
    Tensor out = Tensor::empty(Shape{n - lag}, DType::float64);
    const double* s = src.data<double>();
    double* d = out.data<double>();
    for (std::int64_t t = lag; t < n; ++t) d[t - lag] = s[t] - s[t - lag];
    return out;
}

namespace {

// Copies rows `rows` (each of `row_bytes`) of `src` into a new tensor of shape lead + row shape.
Tensor gather_rows(const Tensor& src, const std::vector<std::int64_t>& rows, Shape lead) {
    Shape shape = std::move(lead);
    for (int a = 1; a < src.rank(); ++a) shape.push_back(src.dim(a));
    Tensor out = Tensor::empty(shape, src.dtype());
    const std::size_t row_bytes =
        src.dim(0) == 0 ? 0 : src.nbytes() / static_cast<std::size_t>(src.dim(0));
    const auto* s = static_cast<const unsigned char*>(src.raw_data());
    auto* d = static_cast<unsigned char*>(out.raw_data());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        std::memcpy(d + i * row_bytes, s + static_cast<std::size_t>(rows[i]) * row_bytes,
                    row_bytes);
    }
    return out;
}

}  // namespace

Batches timeseries_dataset_from_array(const Tensor& data, const Tensor& targets,
                                      const TimeseriesDatasetOptions& o) {
    const char* where = "[timeseries_dataset_from_array]";
    TFC_CHECK(data.defined() && data.rank() >= 1, where, "data must be an array of rank >= 1",
              data.defined() ? shape_str(data.shape()) : "an undefined tensor", "shape (N, ...)",
              "pass the series as a (N,) or (N, features) tensor");
    const std::int64_t n = data.dim(0);
    TFC_CHECK(o.sequence_length >= 1, where, "sequence_length must be set",
              "sequence_length=" + num(o.sequence_length), ">= 1", "pass .sequence_length");
    if (o.start_index) {
        TFC_CHECK(*o.start_index >= 0 && *o.start_index < n, where, "start_index out of range",
                  "start_index=" + num(*o.start_index), "0 <= start_index < " + num(n),
                  "pass a smaller start_index");
    }
    if (o.end_index) {
        TFC_CHECK(*o.end_index > 0 && *o.end_index < n, where, "end_index out of range",
                  "end_index=" + num(*o.end_index), "0 < end_index < " + num(n) +
                  " (Keras 2 rejects end_index == len(data))", "leave end_index unset for the end");
    }
    TFC_CHECK(o.sampling_rate > 0 && o.sampling_rate < n, where, "sampling_rate out of range",
              "sampling_rate=" + num(o.sampling_rate) + " for data of length " + num(n),
              "0 < sampling_rate < len(data)", "pass a smaller sampling_rate");
    TFC_CHECK(o.sequence_stride > 0 && o.sequence_stride < n, where,
              "sequence_stride out of range",
              "sequence_stride=" + num(o.sequence_stride) + " for data of length " + num(n),
              "0 < sequence_stride < len(data)", "pass a smaller sequence_stride");
    TFC_CHECK(o.batch_size >= 1, where, "batch_size must be positive",
              "batch_size=" + num(o.batch_size), ">= 1", "pass .batch_size = 128 (the default)");
    if (targets.defined()) {
        TFC_CHECK(targets.rank() >= 1, where, "targets must have rank >= 1",
                  shape_str(targets.shape()), "shape (M, ...)", "pass targets as a (M,) tensor");
    }
    const std::int64_t start = o.start_index.value_or(0);
    const std::int64_t end = o.end_index.value_or(n);
    std::int64_t num_seqs = end - start - o.sequence_length * o.sampling_rate + 1;
    if (targets.defined()) num_seqs = std::min(num_seqs, targets.dim(0));
    std::vector<std::int64_t> positions;
    for (std::int64_t p = 0; p < num_seqs; p += o.sequence_stride) positions.push_back(p);
    if (o.shuffle) {
        Generator gen(o.seed.value_or(global_generator().next_u64()));
        for (std::int64_t i = static_cast<std::int64_t>(positions.size()) - 1; i > 0; --i) {
            std::swap(positions[i], positions[gen.randint(i + 1)]);
        }
    }
    // Windows index the slice data[start:end] (and targets[start:end]).
    const std::int64_t tn = targets.defined() ? targets.dim(0) : 0;
    Batches out;
    for (std::size_t b = 0; b < positions.size(); b += static_cast<std::size_t>(o.batch_size)) {
        const std::size_t e = std::min(positions.size(), b + static_cast<std::size_t>(o.batch_size));
        std::vector<std::int64_t> rows, trows;
        for (std::size_t i = b; i < e; ++i) {
            for (std::int64_t k = 0; k < o.sequence_length; ++k) {
                rows.push_back(start + positions[i] + k * o.sampling_rate);
            }
            if (targets.defined()) {
                const std::int64_t t = start + positions[i];
                TFC_CHECK(t < tn && t < end, where, "a window's target is out of range",
                          "targets index " + num(t), "< len(targets)",
                          "pass at least end_index rows of targets");
                trows.push_back(t);
            }
        }
        const auto bs = static_cast<std::int64_t>(e - b);
        Tensor x = gather_rows(data, rows, Shape{bs, o.sequence_length});
        Tensor y = targets.defined() ? gather_rows(targets, trows, Shape{bs}) : Tensor();
        out.emplace_back(std::move(x), std::move(y));
    }
    return out;
}

Batches windowed_dataset(const Tensor& series, const WindowedDatasetOptions& o) {
    const char* where = "[windowed_dataset]";
    TFC_CHECK(series.defined() && series.rank() == 1, where, "the series must be 1-D",
              series.defined() ? shape_str(series.shape()) : "an undefined tensor", "shape (n,)",
              "pass a 1-D tensor");
    TFC_CHECK(o.window_size >= 1, where, "window_size must be positive",
              "window_size=" + num(o.window_size), ">= 1", "pass .window_size");
    TFC_CHECK(o.batch_size >= 1, where, "batch_size must be positive",
              "batch_size=" + num(o.batch_size), ">= 1", "pass .batch_size = 32");
    const std::int64_t n = series.dim(0);
    const std::int64_t count = std::max<std::int64_t>(0, n - o.window_size);  // windows of w+1
    // Order of the windows after tf.data's shuffle(buffer): keep a buffer of up to
    // shuffle_buffer pending elements, emit a uniformly chosen one and refill its slot.
    std::vector<std::int64_t> order;
    order.reserve(static_cast<std::size_t>(count));
    if (o.shuffle_buffer <= 1) {
        for (std::int64_t i = 0; i < count; ++i) order.push_back(i);
    } else {
        Generator gen(o.seed);
        std::vector<std::int64_t> buffer;
        std::int64_t next = 0;
        while (next < count && static_cast<std::int64_t>(buffer.size()) < o.shuffle_buffer) {
            buffer.push_back(next++);
        }
        while (!buffer.empty()) {
            const auto k = static_cast<std::size_t>(
                gen.randint(static_cast<std::int64_t>(buffer.size())));
            order.push_back(buffer[k]);
            if (next < count) {
                buffer[k] = next++;
            } else {
                buffer[k] = buffer.back();
                buffer.pop_back();
            }
        }
    }
    Batches out;
    const Tensor src = series;
    for (std::size_t b = 0; b < order.size(); b += static_cast<std::size_t>(o.batch_size)) {
        const std::size_t e = std::min(order.size(), b + static_cast<std::size_t>(o.batch_size));
        std::vector<std::int64_t> rows, trows;
        for (std::size_t i = b; i < e; ++i) {
            for (std::int64_t k = 0; k < o.window_size; ++k) rows.push_back(order[i] + k);
            trows.push_back(order[i] + o.window_size);
        }
        const auto bs = static_cast<std::int64_t>(e - b);
        out.emplace_back(gather_rows(src, rows, Shape{bs, o.window_size}),
                         gather_rows(src, trows, Shape{bs}));
    }
    return out;
}

}  // namespace tfc
