// Dataset.filter: keeps the elements for which the predicate is true.
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

using Predicate = std::function<bool(const Element&)>;

class FilterNode : public DatasetNode {
public:
    FilterNode(DatasetNodePtr input, Predicate pred)
        : input_(std::move(input)), pred_(std::move(pred)) {}
    std::int64_t cardinality() const override {
        const std::int64_t n = input_->cardinality();
        return n == 0 ? 0 : kUnknownCardinality;
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            const Predicate* pred;
            std::optional<Element> next() override {
                while (auto e = in->next()) {
                    if ((*pred)(*e)) return e;
                }
                return std::nullopt;
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        it->pred = &pred_;
        return it;
    }

private:
    DatasetNodePtr input_;
    Predicate pred_;
};

}  // namespace

Dataset Dataset::filter(std::function<bool(const Element&)> predicate) const {
    TFC_CHECK(static_cast<bool>(predicate), "Dataset.filter", "empty predicate",
              "empty function", "a callable bool(const Element&)", "pass a lambda");
    return Dataset(std::make_shared<FilterNode>(detail::node_of(*this), std::move(predicate)));
}

}  // namespace tfc::data
