// Dataset.zip: element i is the concatenation of the components of element i of each dataset;
// the result ends with the shortest input.
#include <algorithm>

#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class ZipNode : public DatasetNode {
public:
    explicit ZipNode(std::vector<DatasetNodePtr> inputs) : inputs_(std::move(inputs)) {}
    std::int64_t cardinality() const override {
        std::int64_t n = kInfiniteCardinality;
        bool unknown = false;
        for (const auto& in : inputs_) {
            const std::int64_t c = in->cardinality();
            if (c == kUnknownCardinality) unknown = true;
            else if (c != kInfiniteCardinality) n = n == kInfiniteCardinality ? c : std::min(n, c);
        }
        if (n == 0) return 0;
        return unknown ? kUnknownCardinality : n;
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            std::vector<ElementIteratorPtr> ins;
            bool done = false;
            std::optional<Element> next() override {
                if (done) return std::nullopt;
                Element out;
                for (auto& in : ins) {
                    auto e = in->next();
                    if (!e) {
                        done = true;
                        return std::nullopt;
                    }
                    out.insert(out.end(), e->begin(), e->end());
                }
                return out;
            }
        };
        auto it = std::make_unique<It>();
        for (const auto& in : inputs_) it->ins.push_back(in->make_iterator());
        return it;
    }

private:
    std::vector<DatasetNodePtr> inputs_;
};

}  // namespace

Dataset Dataset::zip(const std::vector<Dataset>& datasets) {
    TFC_CHECK(!datasets.empty(), "Dataset.zip", "no datasets given", "0 datasets",
              "at least one dataset", "pass {a, b}");
    std::vector<DatasetNodePtr> nodes;
    for (const auto& d : datasets) nodes.push_back(detail::node_of(d));
    return Dataset(std::make_shared<ZipNode>(std::move(nodes)));
}

}  // namespace tfc::data
