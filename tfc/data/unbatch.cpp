// Dataset.unbatch: splits every element along axis 0 into rows (the inverse of batch).
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class UnbatchNode : public DatasetNode {
public:
    explicit UnbatchNode(DatasetNodePtr input) : input_(std::move(input)) {}
    std::int64_t cardinality() const override {
        const std::int64_t n = input_->cardinality();
        return n == 0 ? 0 : (n == kInfiniteCardinality ? n : kUnknownCardinality);
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            Element current;
            std::int64_t rows = 0, i = 0;
            std::optional<Element> next() override {
                while (i >= rows) {
                    auto e = in->next();
                    if (!e) return std::nullopt;
                    current = std::move(*e);
                    check(current);
                    rows = current.empty() ? 0 : current[0].dim(0);
                    i = 0;
                }
                Element out;
                for (const Tensor& t : current) out.push_back(detail::row(t, i));
                ++i;
                return out;
            }
            static void check(const Element& e) {
                for (const Tensor& t : e) {
                    TFC_CHECK(t.defined() && t.rank() >= 1 && t.dim(0) == e[0].dim(0),
                              "Dataset.unbatch",
                              "components must have rank >= 1 and one first dimension",
                              detail::describe(e), "batched components",
                              "unbatch only batched datasets");
                }
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        return it;
    }

private:
    DatasetNodePtr input_;
};

}  // namespace

Dataset Dataset::unbatch() const {
    return Dataset(std::make_shared<UnbatchNode>(detail::node_of(*this)));
}

}  // namespace tfc::data
