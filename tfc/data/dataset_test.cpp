#include "tfc/data/dataset.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <numeric>
#include <set>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::data {
namespace {

namespace fs = std::filesystem;

std::vector<std::int64_t> ints(const Dataset& ds, std::size_t component = 0) {
    std::vector<std::int64_t> out;
    for (const Element& e : ds) {
        for (double v : e.at(component).to_doubles()) out.push_back(static_cast<std::int64_t>(v));
    }
    return out;
}

std::vector<std::int64_t> iota(std::int64_t lo, std::int64_t hi) {
    std::vector<std::int64_t> v(static_cast<std::size_t>(hi - lo));
    std::iota(v.begin(), v.end(), lo);
    return v;
}

Element scalar_i64(std::int64_t v) { return {Tensor::from_vector(std::vector<std::int64_t>{v}, {})}; }

TEST(Dataset, RangeIsOrderedAndRepeatable) {
    Dataset ds = Dataset::range(5);
    EXPECT_EQ(ds.cardinality(), 5);
    EXPECT_EQ(ints(ds), iota(0, 5));
    EXPECT_EQ(ints(ds), iota(0, 5));  // a second pass starts again
    EXPECT_EQ(ints(Dataset::range(2, 11, 3)), (std::vector<std::int64_t>{2, 5, 8}));
    EXPECT_EQ(ints(Dataset::range(5, 0, -2)), (std::vector<std::int64_t>{5, 3, 1}));
    EXPECT_EQ(Dataset::range(5, 0, -2).cardinality(), 3);
    EXPECT_EQ(Dataset::range(0).cardinality(), 0);
    EXPECT_EQ(Dataset().cardinality(), 0);
    EXPECT_THROW(Dataset::range(0, 5, 0), Error);
    const Element e = *Dataset::range(1).begin();
    EXPECT_EQ(e[0].dtype(), DType::int64);
    EXPECT_EQ(e[0].rank(), 0);
}

TEST(Dataset, FromTensorSlicesSlicesRows) {
    Tensor x = Tensor::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2});
    Tensor y = Tensor::from_vector(std::vector<std::int64_t>{7, 8, 9}, {3});
    Dataset ds = Dataset::from_tensor_slices({x, y});
    ASSERT_EQ(ds.cardinality(), 3);
    auto v = ds.as_vector();
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[2][0].shape(), (Shape{2}));
    EXPECT_EQ(v[2][0].to_doubles(), (std::vector<double>{5, 6}));
    EXPECT_EQ(v[1][1].item(), 8);
    Tensor bad = Tensor::zeros({4});
    EXPECT_THROW(Dataset::from_tensor_slices({x, bad}), Error);
    EXPECT_THROW(Dataset::from_tensor_slices({Tensor::scalar(1)}), Error);
    EXPECT_THROW(Dataset::from_tensor_slices({}), Error);
}

TEST(Dataset, MapFilterFlatMap) {
    Dataset ds = Dataset::range(10)
                     .map([](const Element& e) { return Element{ops::mul(e[0].astype(DType::float32), 3.0)}; })
                     .filter([](const Element& e) { return static_cast<int>(e[0].item()) % 2 == 0; });
    EXPECT_EQ(ints(ds), (std::vector<std::int64_t>{0, 6, 12, 18, 24}));
    EXPECT_EQ(ds.cardinality(), kUnknownCardinality);
    Dataset fm = Dataset::range(4).flat_map([](const Element& e) {
        return Dataset::range(static_cast<std::int64_t>(e[0].item()));
    });
    EXPECT_EQ(ints(fm), (std::vector<std::int64_t>{0, 0, 1, 0, 1, 2}));
}

TEST(Dataset, ShuffleIsSeededPermutationWithBufferSemantics) {
    Dataset base = Dataset::range(100);
    auto a = ints(base.shuffle(100, {.seed = 42}));
    auto b = ints(base.shuffle(100, {.seed = 42}));
    auto c = ints(base.shuffle(100, {.seed = 43}));
    EXPECT_EQ(a, b);
    EXPECT_NE(a, c);
    EXPECT_NE(a, iota(0, 100));
    auto sorted = a;
    std::sort(sorted.begin(), sorted.end());
    EXPECT_EQ(sorted, iota(0, 100));

    // reshuffle_each_iteration: passes differ but are reproducible; without it passes repeat.
    Dataset re = base.shuffle(100, {.seed = 7});
    auto p1 = ints(re), p2 = ints(re);
    EXPECT_NE(p1, p2);
    Dataset re2 = base.shuffle(100, {.seed = 7});
    EXPECT_EQ(ints(re2), p1);
    EXPECT_EQ(ints(re2), p2);
    Dataset fixed = base.shuffle(100, {.seed = 7, .reshuffle_each_iteration = false});
    EXPECT_EQ(ints(fixed), ints(fixed));

    // A buffer of k: output i is one of the first i + k inputs; buffer 1 keeps the order.
    for (std::uint64_t seed = 0; seed < 5; ++seed) {
        auto s = ints(base.shuffle(10, {.seed = seed}));
        for (std::size_t i = 0; i < s.size(); ++i) EXPECT_LT(s[i], static_cast<std::int64_t>(i + 10));
    }
    EXPECT_EQ(ints(base.shuffle(1, {.seed = 3})), iota(0, 100));
    EXPECT_THROW(base.shuffle(0), Error);
}

TEST(Dataset, BatchKeepsOrDropsTheRemainder) {
    Dataset b = Dataset::range(10).batch(4);
    EXPECT_EQ(b.cardinality(), 3);
    auto v = b.as_vector();
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[0][0].shape(), (Shape{4}));
    EXPECT_EQ(v[2][0].shape(), (Shape{2}));
    EXPECT_EQ(v[2][0].to_doubles(), (std::vector<double>{8, 9}));
    Dataset d = Dataset::range(10).batch(4, true);
    EXPECT_EQ(d.cardinality(), 2);
    EXPECT_EQ(d.as_vector().size(), 2u);
    // Multi-component, rank-1 elements stack into (batch, ...).
    Tensor x = Tensor::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {3, 2});
    auto xb = Dataset::from_tensor_slices({x, x}).batch(2).as_vector();
    EXPECT_EQ(xb[0][1].shape(), (Shape{2, 2}));
    EXPECT_EQ(xb[1][0].to_doubles(), (std::vector<double>{5, 6}));
    // Ragged elements cannot be stacked.
    Dataset ragged = Dataset::range(1, 4).map(
        [](const Element& e) { return Element{Tensor::zeros({static_cast<std::int64_t>(e[0].item())})}; });
    EXPECT_THROW(ragged.batch(2).as_vector(), Error);
    EXPECT_THROW(Dataset::range(3).batch(0), Error);
}

TEST(Dataset, UnbatchInvertsBatch) {
    Dataset ds = Dataset::range(7).batch(3).unbatch();
    EXPECT_EQ(ints(ds), iota(0, 7));
    EXPECT_THROW(Dataset::range(3).unbatch().as_vector(), Error);  // scalars
}

// Expected values from the tf.data.Dataset.padded_batch documentation (TF 2.x):
// range(1, 5).map(lambda x: tf.fill([x], x)).padded_batch(2) gives [[1 0] [2 2]] and
// [[3 3 3 0] [4 4 4 4]]; with padded_shapes=5 and padding -1: [[1 -1 -1 -1 -1] [2 2 -1 -1 -1]].
TEST(Dataset, PaddedBatchMatchesTheTfDocs) {
    Dataset a = Dataset::range(1, 5).map([](const Element& e) {
        const auto n = static_cast<std::int64_t>(e[0].item());
        return Element{Tensor::full({n}, static_cast<double>(n), DType::int64)};
    });
    auto v = a.padded_batch(2).as_vector();
    ASSERT_EQ(v.size(), 2u);
    EXPECT_EQ(v[0][0].shape(), (Shape{2, 2}));
    EXPECT_EQ(v[0][0].to_doubles(), (std::vector<double>{1, 0, 2, 2}));
    EXPECT_EQ(v[1][0].to_doubles(), (std::vector<double>{3, 3, 3, 0, 4, 4, 4, 4}));
    auto w = a.padded_batch(2, {.padded_shapes = {{5}}, .padding_values = {-1}}).as_vector();
    EXPECT_EQ(w[0][0].shape(), (Shape{2, 5}));
    EXPECT_EQ(w[0][0].to_doubles(), (std::vector<double>{1, -1, -1, -1, -1, 2, 2, -1, -1, -1}));
    EXPECT_THROW(a.padded_batch(2, {.padded_shapes = {{3}}}).as_vector(), Error);  // 4 > 3
    // Rank 2: pads every axis to the batch maximum.
    Dataset m = Dataset::range(1, 3).map([](const Element& e) {
        const auto n = static_cast<std::int64_t>(e[0].item());
        return Element{Tensor::full({n, 3 - n}, 1.0)};
    });
    auto mb = m.padded_batch(2).as_vector();
    EXPECT_EQ(mb[0][0].shape(), (Shape{2, 2, 2}));
    EXPECT_EQ(mb[0][0].to_doubles(), (std::vector<double>{1, 1, 0, 0, 1, 0, 1, 0}));
}

std::vector<std::vector<std::int64_t>> windows(const WindowDataset& w) {
    std::vector<std::vector<std::int64_t>> out;
    for (const Dataset& d : w.as_vector()) out.push_back(ints(d));
    return out;
}

// Expected windows from the tf.data.Dataset.window documentation (TF 2.x).
TEST(Dataset, WindowMatchesTheTfDocs) {
    Dataset r = Dataset::range(7);
    using W = std::vector<std::vector<std::int64_t>>;
    EXPECT_EQ(windows(r.window(3)), (W{{0, 1, 2}, {3, 4, 5}, {6}}));
    EXPECT_EQ(windows(r.window(3, {.drop_remainder = true})), (W{{0, 1, 2}, {3, 4, 5}}));
    EXPECT_EQ(windows(r.window(3, {.shift = 2, .drop_remainder = true})),
              (W{{0, 1, 2}, {2, 3, 4}, {4, 5, 6}}));
    EXPECT_EQ(windows(r.window(3, {.shift = 1, .stride = 2, .drop_remainder = true})),
              (W{{0, 2, 4}, {1, 3, 5}, {2, 4, 6}}));
    EXPECT_EQ(windows(r.window(3, {.shift = 1})),
              (W{{0, 1, 2}, {1, 2, 3}, {2, 3, 4}, {3, 4, 5}, {4, 5, 6}, {5, 6}, {6}}));
    EXPECT_EQ(r.window(3, {.shift = 1}).cardinality(), 7);
    EXPECT_EQ(r.window(3, {.shift = 1, .stride = 2, .drop_remainder = true}).cardinality(), 3);
    EXPECT_EQ(windows(r.window(2, {.shift = 4})), (W{{0, 1}, {4, 5}}));  // shift > size
    EXPECT_THROW(r.window(0), Error);
}

TEST(Dataset, RepeatTakeSkip) {
    Dataset r = Dataset::range(3);
    EXPECT_EQ(ints(r.repeat(2)), (std::vector<std::int64_t>{0, 1, 2, 0, 1, 2}));
    EXPECT_EQ(r.repeat(2).cardinality(), 6);
    EXPECT_EQ(r.repeat().cardinality(), kInfiniteCardinality);
    EXPECT_EQ(ints(r.repeat().take(7)), (std::vector<std::int64_t>{0, 1, 2, 0, 1, 2, 0}));
    EXPECT_EQ(r.repeat().take(7).cardinality(), 7);
    EXPECT_EQ(ints(r.skip(1)), (std::vector<std::int64_t>{1, 2}));
    EXPECT_EQ(ints(r.skip(5)), std::vector<std::int64_t>{});
    EXPECT_EQ(r.skip(5).cardinality(), 0);
    EXPECT_EQ(ints(r.take(-1)), iota(0, 3));
    EXPECT_EQ(ints(r.skip(-1)), std::vector<std::int64_t>{});
    EXPECT_EQ(ints(r.repeat(0)), std::vector<std::int64_t>{});
    EXPECT_EQ(ints(Dataset::range(0).repeat()), std::vector<std::int64_t>{});  // ends, no hang
    EXPECT_EQ(ints(Dataset::range(10).skip(2).take(3)), (std::vector<std::int64_t>{2, 3, 4}));
    EXPECT_THROW(r.repeat().as_vector(), Error);
    EXPECT_THROW(r.repeat().skip(-1), Error);
    EXPECT_THROW(r.take(-2), Error);
}

TEST(Dataset, ZipAndConcatenate) {
    Dataset z = Dataset::zip({Dataset::range(5), Dataset::range(10, 13)});
    EXPECT_EQ(z.cardinality(), 3);
    auto v = z.as_vector();
    ASSERT_EQ(v.size(), 3u);
    EXPECT_EQ(v[2][0].item(), 2);
    EXPECT_EQ(v[2][1].item(), 12);
    EXPECT_EQ(Dataset::zip({Dataset::range(2), Dataset::range(3).repeat()}).cardinality(), 2);
    Dataset c = Dataset::range(3).concatenate(Dataset::range(7, 9));
    EXPECT_EQ(c.cardinality(), 5);
    EXPECT_EQ(ints(c), (std::vector<std::int64_t>{0, 1, 2, 7, 8}));
    Dataset f = Dataset::range(2).concatenate(
        Dataset::range(2).map([](const Element& e) { return Element{e[0].astype(DType::float32)}; }));
    EXPECT_THROW(f.as_vector(), Error);
}

TEST(Dataset, GeneratorFactoryAndOneShot) {
    Dataset ds = Dataset::from_generator([]() -> Dataset::Generator {
        return [i = std::int64_t{0}]() mutable -> std::optional<Element> {
            if (i >= 3) return std::nullopt;
            return scalar_i64(i++);
        };
    });
    EXPECT_EQ(ints(ds), iota(0, 3));
    EXPECT_EQ(ints(ds), iota(0, 3));
    EXPECT_EQ(ds.cardinality(), kUnknownCardinality);
    Dataset once = Dataset::from_generator(
        Dataset::Generator([i = std::int64_t{0}]() mutable -> std::optional<Element> {
            if (i >= 2) return std::nullopt;
            return scalar_i64(i++);
        }));
    EXPECT_EQ(ints(once), iota(0, 2));
    EXPECT_THROW(ints(once), Error);
}

// A dataset whose generator counts how many elements it produced.
Dataset counted(std::int64_t n, std::shared_ptr<std::atomic<int>> calls) {
    return Dataset::from_generator([n, calls]() -> Dataset::Generator {
        return [i = std::int64_t{0}, n, calls]() mutable -> std::optional<Element> {
            if (i >= n) return std::nullopt;
            ++*calls;
            return scalar_i64(i++);
        };
    });
}

TEST(Dataset, MemoryCacheRunsTheInputOnce) {
    auto calls = std::make_shared<std::atomic<int>>(0);
    Dataset c = counted(5, calls).map([](const Element& e) { return e; }).cache();
    EXPECT_EQ(ints(c.take(2)), iota(0, 2));  // a partial pass stores nothing
    EXPECT_EQ(ints(c), iota(0, 5));
    const int after_fill = *calls;
    EXPECT_EQ(after_fill, 2 + 5);
    EXPECT_EQ(ints(c), iota(0, 5));
    EXPECT_EQ(ints(c.repeat(3)).size(), 15u);
    EXPECT_EQ(*calls, after_fill);
    EXPECT_THROW(Dataset::range(2).repeat().cache(), Error);
}

TEST(Dataset, FileCacheRoundTripsAcrossDatasets) {
    const std::string path = (fs::temp_directory_path() / "tfc_data_cache_test.bin").string();
    fs::remove(path);
    Tensor x = Tensor::from_vector(std::vector<float>{1.5f, -2, 3, 4, 5, 6}, {3, 2});
    Tensor y = Tensor::from_vector(std::vector<std::uint8_t>{1, 0, 1}, {3});
    auto calls = std::make_shared<std::atomic<int>>(0);
    Dataset src = Dataset::zip({Dataset::from_tensor_slices({x, y}), counted(3, calls)});
    Dataset c = src.cache(path);
    EXPECT_EQ(ints(c.take(1), 2), iota(0, 1));
    EXPECT_FALSE(fs::exists(path));  // the abandoned pass left nothing behind
    auto first = c.as_vector();
    ASSERT_TRUE(fs::exists(path));
    // A new pipeline over a source that must not run reads the file instead.
    Dataset never = Dataset::from_generator([]() -> Dataset::Generator {
        return []() -> std::optional<Element> { throw std::runtime_error("input ran"); };
    });
    auto again = never.cache(path).as_vector();
    ASSERT_EQ(again.size(), first.size());
    for (std::size_t i = 0; i < first.size(); ++i) {
        ASSERT_EQ(again[i].size(), 3u);
        for (std::size_t k = 0; k < 3; ++k) {
            EXPECT_EQ(again[i][k].dtype(), first[i][k].dtype());
            EXPECT_EQ(again[i][k].shape(), first[i][k].shape());
            EXPECT_EQ(again[i][k].to_doubles(), first[i][k].to_doubles());
        }
    }
    // Truncation is detected and named.
    fs::resize_file(path, fs::file_size(path) - 5);
    try {
        never.cache(path).as_vector();
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("byte offset"), std::string::npos) << e.what();
    }
    fs::remove(path);
}

TEST(Dataset, PrefetchKeepsOrderAndPropagatesErrors) {
    Dataset p = Dataset::range(50).map([](const Element& e) { return e; }).prefetch(4);
    EXPECT_EQ(ints(p), iota(0, 50));
    EXPECT_EQ(p.cardinality(), 50);
    EXPECT_EQ(ints(Dataset::range(5).prefetch(kAutotune)), iota(0, 5));

    Dataset bad = Dataset::range(10)
                      .map([](const Element& e) {
                          if (e[0].item() == 5) fail("user_map", "boom", "", "", "");
                          return e;
                      })
                      .prefetch(2);
    auto it = bad.make_iterator();
    for (int i = 0; i < 5; ++i) {
        auto e = it->next();
        ASSERT_TRUE(e.has_value());
        EXPECT_EQ((*e)[0].item(), i);
    }
    try {
        it->next();
        FAIL() << "expected the map error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("boom"), std::string::npos);
    }
    EXPECT_FALSE(it->next().has_value());
    EXPECT_THROW(Dataset::range(2).prefetch(0), Error);
}

TEST(Dataset, PrefetchDestructionDoesNotHang) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 20; ++i) {
        // An infinite, full producer; and an iterator destroyed before its first next().
        auto it = Dataset::range(3).repeat().prefetch(2).make_iterator();
        if (i % 2) it->next();
        auto nested = Dataset::range(3).repeat().prefetch(1).batch(2).prefetch(1).make_iterator();
        nested->next();
    }
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST(Dataset, RangeForAndIteratorEquality) {
    std::int64_t sum = 0;
    for (const Element& e : Dataset::range(5)) sum += static_cast<std::int64_t>(e[0].item());
    EXPECT_EQ(sum, 10);
    Dataset empty;
    EXPECT_TRUE(empty.begin() == empty.end());
}

}  // namespace
}  // namespace tfc::data
