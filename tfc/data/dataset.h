// Dataset: a lazy input pipeline in the manner of tf.data.Dataset (TF 2.x). Elements are tuples
// of tensors (`Element`); every transformation returns a new Dataset that shares its inputs.
// Nothing runs until the dataset is iterated, and every iteration starts again from the sources
// (a dataset can be iterated many times, as a tf.data.Dataset can).
//   auto ds = Dataset::from_tensor_slices({x, y}).shuffle(1000, {.seed = 1}).batch(32).prefetch(2);
//   for (const Element& batch : ds) { ... batch[0], batch[1] ... }
// Internally a Dataset is a graph of DatasetNode objects; each node makes ElementIterators.
// One transformation per source file (tfc/data/<name>.cpp); see docs/data.md.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::data {

using Element = std::vector<Tensor>;

// tf.data.INFINITE_CARDINALITY / tf.data.UNKNOWN_CARDINALITY.
constexpr std::int64_t kInfiniteCardinality = -1;
constexpr std::int64_t kUnknownCardinality = -2;
// tf.data.AUTOTUNE, accepted by prefetch().
constexpr std::int64_t kAutotune = -1;

// One pass over a dataset. next() returns std::nullopt at the end (and keeps doing so).
class ElementIterator {
public:
    virtual ~ElementIterator() = default;
    virtual std::optional<Element> next() = 0;
};
using ElementIteratorPtr = std::unique_ptr<ElementIterator>;

// A node of the pipeline graph. Nodes are immutable after construction (apart from internal,
// synchronised caches), so one node may feed many iterators, also on different threads.
class DatasetNode {
public:
    virtual ~DatasetNode() = default;
    virtual ElementIteratorPtr make_iterator() const = 0;
    // Number of elements, or kInfiniteCardinality / kUnknownCardinality.
    virtual std::int64_t cardinality() const { return kUnknownCardinality; }
};
using DatasetNodePtr = std::shared_ptr<const DatasetNode>;

class Dataset;
class WindowDataset;

struct ShuffleOptions {
    std::optional<std::uint64_t> seed{};  // none: drawn from tfc's global generator
    bool reshuffle_each_iteration = true;
};

struct WindowOptions {
    std::int64_t shift = 0;  // 0 means `size` (tf.data: shift=None)
    std::int64_t stride = 1;
    bool drop_remainder = false;
};

struct PaddedBatchOptions {
    // One shape per component, without the batch dimension; -1 pads that axis to the longest
    // element of the batch. Empty: every axis pads to the batch's longest.
    std::vector<Shape> padded_shapes{};
    std::vector<double> padding_values{};  // one per component; empty means 0
    bool drop_remainder = false;
};

class Dataset {
public:
    Dataset() = default;  // an empty dataset
    explicit Dataset(DatasetNodePtr node);

    // --- Sources -------------------------------------------------------------------------
    // One element per row (axis 0) of the tensors, which must share their first dimension.
    static Dataset from_tensor_slices(const std::vector<Tensor>& tensors);
    // The elements themselves, in order.
    static Dataset from_elements(std::vector<Element> elements);
    // A generator factory: called once per iteration, so the dataset can be iterated again.
    using Generator = std::function<std::optional<Element>()>;
    static Dataset from_generator(std::function<Generator()> factory);
    // A one-shot generator: the dataset can be iterated once; a second pass throws.
    static Dataset from_generator(Generator generator);
    // int64 scalars start, start + step, ... below stop (Dataset.range).
    static Dataset range(std::int64_t stop);
    static Dataset range(std::int64_t start, std::int64_t stop, std::int64_t step = 1);
    static Dataset zip(const std::vector<Dataset>& datasets);  // components concatenated

    // --- Transformations -----------------------------------------------------------------
    Dataset map(std::function<Element(const Element&)> fn) const;
    Dataset filter(std::function<bool(const Element&)> predicate) const;
    Dataset flat_map(std::function<Dataset(const Element&)> fn) const;
    Dataset shuffle(std::int64_t buffer_size, ShuffleOptions options = {}) const;
    Dataset batch(std::int64_t batch_size, bool drop_remainder = false) const;
    Dataset padded_batch(std::int64_t batch_size, PaddedBatchOptions options = {}) const;
    Dataset unbatch() const;
    WindowDataset window(std::int64_t size, WindowOptions options = {}) const;
    Dataset repeat(std::int64_t count = -1) const;  // -1: forever
    Dataset take(std::int64_t count) const;         // -1: all
    Dataset skip(std::int64_t count) const;         // -1: all
    Dataset cache() const;                          // in memory, filled by the first full pass
    Dataset cache(const std::string& filename) const;  // on disk; reused across processes
    Dataset prefetch(std::int64_t buffer_size) const;  // background thread; kAutotune allowed
    Dataset concatenate(const Dataset& other) const;

    // --- Consumption ---------------------------------------------------------------------
    std::int64_t cardinality() const;
    ElementIteratorPtr make_iterator() const;
    std::vector<Element> as_vector() const;  // the whole dataset; throws if infinite

    class iterator {
    public:
        using value_type = Element;
        using difference_type = std::ptrdiff_t;
        using reference = const Element&;
        using pointer = const Element*;
        using iterator_category = std::input_iterator_tag;
        iterator() = default;
        explicit iterator(ElementIteratorPtr it);
        reference operator*() const { return *current_; }
        pointer operator->() const { return &*current_; }
        iterator& operator++();
        void operator++(int) { ++*this; }
        bool operator==(const iterator& other) const;

    private:
        std::shared_ptr<ElementIterator> it_;
        std::optional<Element> current_;
    };
    iterator begin() const;
    iterator end() const { return iterator(); }

    const DatasetNodePtr& node() const { return node_; }

private:
    DatasetNodePtr node_;
};

// Dataset.window's result: a dataset whose elements are datasets (one per window). Each
// window's dataset yields the window's elements in order. flat_map turns it back into a
// Dataset; the usual time-series recipe is
//   series.window(n + 1, {.shift = 1, .drop_remainder = true})
//         .flat_map([&](const Dataset& w) { return w.batch(n + 1); })
class WindowDataset {
public:
    WindowDataset(Dataset input, std::int64_t size, WindowOptions options);
    Dataset flat_map(std::function<Dataset(const Dataset&)> fn) const;
    std::vector<Dataset> as_vector() const;  // every window, materialised
    std::int64_t cardinality() const;

private:
    Dataset input_;
    std::int64_t size_;
    WindowOptions options_;
};

}  // namespace tfc::data
