// Dataset.window: windows of `size` elements taken every `stride` input elements; consecutive
// windows start `shift` elements apart. Without drop_remainder the last windows may be shorter
// (tf.data: range(7).window(3, shift=1) ends with [5, 6] and [6]). Only one window span of the
// input is held in memory at a time.
#include <deque>

#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

constexpr const char* kWhere = "Dataset.window";

class WindowIterator {
public:
    WindowIterator(ElementIteratorPtr in, std::int64_t size, const WindowOptions& o)
        : in_(std::move(in)), size_(size), shift_(o.shift), stride_(o.stride),
          drop_remainder_(o.drop_remainder), span_((size - 1) * o.stride + 1) {}

    std::optional<std::vector<Element>> next() {
        while (to_skip_ > 0 && !buf_.empty()) {
            buf_.pop_front();
            --to_skip_;
        }
        while (to_skip_ > 0 && pull()) {
            buf_.pop_front();
            --to_skip_;
        }
        while (static_cast<std::int64_t>(buf_.size()) < span_ && pull()) {
        }
        const auto have = static_cast<std::int64_t>(buf_.size());
        if (have == 0 || (drop_remainder_ && have < span_)) return std::nullopt;
        std::vector<Element> window;
        for (std::int64_t k = 0; k < size_ && k * stride_ < have; ++k) {
            window.push_back(buf_[static_cast<std::size_t>(k * stride_)]);
        }
        to_skip_ = shift_;
        return window;
    }

private:
    bool pull() {
        if (done_) return false;
        auto e = in_->next();
        if (!e) {
            done_ = true;
            in_.reset();
            return false;
        }
        buf_.push_back(std::move(*e));
        return true;
    }

    ElementIteratorPtr in_;
    std::int64_t size_, shift_, stride_;
    bool drop_remainder_;
    std::int64_t span_;
    std::deque<Element> buf_;
    std::int64_t to_skip_ = 0;
    bool done_ = false;
};

using WindowFn = std::function<Dataset(const Dataset&)>;

class WindowFlatMapNode : public DatasetNode {
public:
    WindowFlatMapNode(DatasetNodePtr input, std::int64_t size, WindowOptions options, WindowFn fn)
        : input_(std::move(input)), size_(size), options_(options), fn_(std::move(fn)) {}
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            std::optional<WindowIterator> windows;
            ElementIteratorPtr inner;
            const WindowFn* fn;
            std::optional<Element> next() override {
                for (;;) {
                    if (inner) {
                        if (auto e = inner->next()) return e;
                        inner.reset();
                    }
                    auto w = windows->next();
                    if (!w) return std::nullopt;
                    inner = (*fn)(Dataset::from_elements(std::move(*w))).make_iterator();
                }
            }
        };
        auto it = std::make_unique<It>();
        it->windows.emplace(input_->make_iterator(), size_, options_);
        it->fn = &fn_;
        return it;
    }

private:
    DatasetNodePtr input_;
    std::int64_t size_;
    WindowOptions options_;
    WindowFn fn_;
};

}  // namespace

WindowDataset::WindowDataset(Dataset input, std::int64_t size, WindowOptions options)
    : input_(std::move(input)), size_(size), options_(options) {
    detail::check_positive(size_, kWhere, "size");
    if (options_.shift == 0) options_.shift = size_;
    detail::check_positive(options_.shift, kWhere, "shift");
    detail::check_positive(options_.stride, kWhere, "stride");
}

Dataset WindowDataset::flat_map(std::function<Dataset(const Dataset&)> fn) const {
    TFC_CHECK(static_cast<bool>(fn), "WindowDataset.flat_map", "empty function",
              "empty function", "a callable Dataset(const Dataset&)", "pass a lambda");
    return Dataset(std::make_shared<WindowFlatMapNode>(detail::node_of(input_), size_, options_,
                                                       std::move(fn)));
}

std::vector<Dataset> WindowDataset::as_vector() const {
    TFC_CHECK(input_.cardinality() != kInfiniteCardinality, "WindowDataset.as_vector",
              "the dataset is infinite", "cardinality INFINITE", "a finite dataset",
              "call take(n) first");
    std::vector<Dataset> out;
    WindowIterator it(input_.make_iterator(), size_, options_);
    while (auto w = it.next()) out.push_back(Dataset::from_elements(std::move(*w)));
    return out;
}

std::int64_t WindowDataset::cardinality() const {
    const std::int64_t n = input_.cardinality();
    if (n < 0) return n;
    const std::int64_t span = (size_ - 1) * options_.stride + 1;
    if (options_.drop_remainder) return n >= span ? (n - span) / options_.shift + 1 : 0;
    return (n + options_.shift - 1) / options_.shift;
}

WindowDataset Dataset::window(std::int64_t size, WindowOptions options) const {
    return WindowDataset(*this, size, options);
}

}  // namespace tfc::data
