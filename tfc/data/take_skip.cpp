// Dataset.take and Dataset.skip: the first `count` elements, or all but them (-1: all).
#include <algorithm>

#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class TakeNode : public DatasetNode {
public:
    TakeNode(DatasetNodePtr input, std::int64_t count) : input_(std::move(input)), count_(count) {}
    std::int64_t cardinality() const override {
        const std::int64_t n = input_->cardinality();
        if (count_ < 0) return n;
        if (n == kInfiniteCardinality) return count_;
        if (n == kUnknownCardinality) return count_ == 0 ? 0 : n;
        return std::min(n, count_);
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            std::int64_t remaining;
            std::optional<Element> next() override {
                if (remaining == 0) return std::nullopt;
                auto e = in->next();
                if (!e) {
                    remaining = 0;
                    return std::nullopt;
                }
                if (remaining > 0) --remaining;
                return e;
            }
        };
        auto it = std::make_unique<It>();
        it->remaining = count_;
        // No input iterator is made (no file opened, no thread started) for take(0).
        if (count_ != 0) it->in = input_->make_iterator();
        return it;
    }

private:
    DatasetNodePtr input_;
    std::int64_t count_;
};

class SkipNode : public DatasetNode {
public:
    SkipNode(DatasetNodePtr input, std::int64_t count) : input_(std::move(input)), count_(count) {}
    std::int64_t cardinality() const override {
        const std::int64_t n = input_->cardinality();
        if (n == kInfiniteCardinality) return count_ < 0 ? 0 : n;
        if (n == kUnknownCardinality) return n;
        return count_ < 0 ? 0 : std::max<std::int64_t>(0, n - count_);
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            std::int64_t to_skip;
            std::optional<Element> next() override {
                while (to_skip != 0) {
                    if (!in->next()) {
                        to_skip = 0;
                        return std::nullopt;
                    }
                    if (to_skip > 0) --to_skip;
                }
                return in->next();
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        it->to_skip = count_;
        return it;
    }

private:
    DatasetNodePtr input_;
    std::int64_t count_;
};

void check_count(std::int64_t count, const char* where) {
    TFC_CHECK(count >= -1, where, "count must be -1 (all) or >= 0",
              "count=" + std::to_string(count), "-1, 0, 1, ...", "pass a count >= 0");
}

}  // namespace

Dataset Dataset::take(std::int64_t count) const {
    check_count(count, "Dataset.take");
    return Dataset(std::make_shared<TakeNode>(detail::node_of(*this), count));
}

Dataset Dataset::skip(std::int64_t count) const {
    check_count(count, "Dataset.skip");
    TFC_CHECK(!(count < 0 && cardinality() == kInfiniteCardinality), "Dataset.skip",
              "skipping all elements of an infinite dataset never ends", "count=-1",
              "a finite count", "pass the number of elements to skip");
    return Dataset(std::make_shared<SkipNode>(detail::node_of(*this), count));
}

}  // namespace tfc::data
