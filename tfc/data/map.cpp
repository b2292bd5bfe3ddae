// Dataset.map: fn applied to every element, in order.
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

using MapFn = std::function<Element(const Element&)>;

class MapNode : public DatasetNode {
public:
    MapNode(DatasetNodePtr input, MapFn fn) : input_(std::move(input)), fn_(std::move(fn)) {}
    std::int64_t cardinality() const override { return input_->cardinality(); }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            const MapFn* fn;
            std::optional<Element> next() override {
                auto e = in->next();
                if (!e) return std::nullopt;
                return (*fn)(*e);
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        it->fn = &fn_;
        return it;
    }

private:
    DatasetNodePtr input_;
    MapFn fn_;
};

}  // namespace

Dataset Dataset::map(std::function<Element(const Element&)> fn) const {
    TFC_CHECK(static_cast<bool>(fn), "Dataset.map", "empty map function", "empty function",
              "a callable Element(const Element&)", "pass a lambda");
    return Dataset(std::make_shared<MapNode>(detail::node_of(*this), std::move(fn)));
}

}  // namespace tfc::data
