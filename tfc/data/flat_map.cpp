// Dataset.flat_map: fn maps each element to a dataset; their elements are chained in order.
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

using FlatMapFn = std::function<Dataset(const Element&)>;

class FlatMapNode : public DatasetNode {
public:
    FlatMapNode(DatasetNodePtr input, FlatMapFn fn) : input_(std::move(input)), fn_(std::move(fn)) {}
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            ElementIteratorPtr inner;
            const FlatMapFn* fn;
            std::optional<Element> next() override {
                for (;;) {
                    if (inner) {
                        if (auto e = inner->next()) return e;
                        inner.reset();
                    }
                    auto outer = in->next();
                    if (!outer) return std::nullopt;
                    inner = (*fn)(*outer).make_iterator();
                }
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        it->fn = &fn_;
        return it;
    }

private:
    DatasetNodePtr input_;
    FlatMapFn fn_;
};

}  // namespace

Dataset Dataset::flat_map(std::function<Dataset(const Element&)> fn) const {
    TFC_CHECK(static_cast<bool>(fn), "Dataset.flat_map", "empty function", "empty function",
              "a callable Dataset(const Element&)", "pass a lambda");
    return Dataset(std::make_shared<FlatMapNode>(detail::node_of(*this), std::move(fn)));
}

}  // namespace tfc::data
