// Dataset.concatenate: the elements of this dataset, then those of `other`, which must have the
// same number of components with the same dtypes.
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class ConcatenateNode : public DatasetNode {
public:
    ConcatenateNode(DatasetNodePtr a, DatasetNodePtr b) : a_(std::move(a)), b_(std::move(b)) {}
    std::int64_t cardinality() const override {
        const std::int64_t x = a_->cardinality(), y = b_->cardinality();
        if (x == kInfiniteCardinality || y == kInfiniteCardinality) return kInfiniteCardinality;
        if (x == kUnknownCardinality || y == kUnknownCardinality) return kUnknownCardinality;
        return x + y;
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr first, second;
            std::optional<Element> signature;  // the first element of the first dataset
            std::optional<Element> next() override {
                if (first) {
                    if (auto e = first->next()) {
                        if (!signature) signature = *e;
                        return e;
                    }
                    first.reset();
                }
                auto e = second->next();
                if (e && signature) check(*e);
                return e;
            }
            void check(const Element& e) const {
                bool same = e.size() == signature->size();
                for (std::size_t i = 0; same && i < e.size(); ++i) {
                    same = e[i].defined() && (*signature)[i].defined() &&
                           e[i].dtype() == (*signature)[i].dtype();
                }
                TFC_CHECK(same, "Dataset.concatenate",
                          "the datasets have different element structures",
                          detail::describe(e), "like " + detail::describe(*signature),
                          "map() one dataset to the other's components and dtypes");
            }
        };
        auto it = std::make_unique<It>();
        it->first = a_->make_iterator();
        it->second = b_->make_iterator();
        return it;
    }

private:
    DatasetNodePtr a_, b_;
};

}  // namespace

Dataset Dataset::concatenate(const Dataset& other) const {
    return Dataset(
        std::make_shared<ConcatenateNode>(detail::node_of(*this), detail::node_of(other)));
}

}  // namespace tfc::data
