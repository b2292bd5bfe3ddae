// Dataset.batch: batch_size consecutive elements stacked along a new axis 0 per component; the
// last, smaller batch is kept unless drop_remainder.
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace detail {

// Collects up to n elements; an empty result means the input is exhausted.
std::vector<Element> next_group(ElementIterator& in, std::int64_t n) {
    std::vector<Element> group;
    while (static_cast<std::int64_t>(group.size()) < n) {
        auto e = in.next();
        if (!e) break;
        if (!group.empty()) {
            TFC_CHECK(e->size() == group[0].size(), "Dataset.batch",
                      "elements have different numbers of components", describe(*e),
                      "like " + describe(group[0]), "map() elements to one structure");
        }
        group.push_back(std::move(*e));
    }
    return group;
}

std::int64_t batch_cardinality(std::int64_t n, std::int64_t batch_size, bool drop_remainder) {
    if (n < 0) return n;
    return drop_remainder ? n / batch_size : (n + batch_size - 1) / batch_size;
}

}  // namespace detail

namespace {

class BatchNode : public DatasetNode {
public:
    BatchNode(DatasetNodePtr input, std::int64_t batch_size, bool drop_remainder)
        : input_(std::move(input)), batch_size_(batch_size), drop_remainder_(drop_remainder) {}
    std::int64_t cardinality() const override {
        return detail::batch_cardinality(input_->cardinality(), batch_size_, drop_remainder_);
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            const BatchNode* node;
            std::optional<Element> next() override {
                if (!in) return std::nullopt;
                auto group = detail::next_group(*in, node->batch_size_);
                const auto n = static_cast<std::int64_t>(group.size());
                if (n < node->batch_size_) in.reset();
                if (n == 0 || (node->drop_remainder_ && n < node->batch_size_)) {
                    return std::nullopt;
                }
                Element out;
                std::vector<Tensor> parts(group.size());
                for (std::size_t c = 0; c < group[0].size(); ++c) {
                    for (std::size_t i = 0; i < group.size(); ++i) parts[i] = group[i][c];
                    out.push_back(detail::stack(parts, "Dataset.batch"));
                }
                return out;
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        it->node = this;
        return it;
    }

private:
    DatasetNodePtr input_;
    std::int64_t batch_size_;
    bool drop_remainder_;
};

}  // namespace

Dataset Dataset::batch(std::int64_t batch_size, bool drop_remainder) const {
    detail::check_positive(batch_size, "Dataset.batch", "batch_size");
    return Dataset(
        std::make_shared<BatchNode>(detail::node_of(*this), batch_size, drop_remainder));
}

}  // namespace tfc::data
