// Dataset.repeat: count passes over the input (-1: forever). Each pass re-creates the input's
// iterator, so shuffles reshuffle. A pass that yields nothing ends the repetition (so repeating
// an empty dataset forever terminates, as in tf.data).
#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class RepeatNode : public DatasetNode {
public:
    RepeatNode(DatasetNodePtr input, std::int64_t count) : input_(std::move(input)), count_(count) {}
    std::int64_t cardinality() const override {
        const std::int64_t n = input_->cardinality();
        if (count_ < 0) return n == 0 ? 0 : (n == kUnknownCardinality ? n : kInfiniteCardinality);
        return detail::card_mul(n, count_);
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            const RepeatNode* node;
            ElementIteratorPtr in;
            std::int64_t passes_done = 0;
            bool pass_had_elements = false;
            bool done = false;
            std::optional<Element> next() override {
                if (done) return std::nullopt;
                for (;;) {
                    if (!in) {
                        if (node->count_ >= 0 && passes_done >= node->count_) return std::nullopt;
                        in = node->input_->make_iterator();
                        pass_had_elements = false;
                    }
                    if (auto e = in->next()) {
                        pass_had_elements = true;
                        return e;
                    }
                    in.reset();
                    ++passes_done;
                    if (!pass_had_elements) done = true;  // every further pass is empty too
                    if (done) return std::nullopt;
                }
            }
        };
        auto it = std::make_unique<It>();
        it->node = this;
        return it;
    }

private:
    DatasetNodePtr input_;
    std::int64_t count_;
};

}  // namespace

Dataset Dataset::repeat(std::int64_t count) const {
    TFC_CHECK(count >= -1, "Dataset.repeat", "count must be -1 (forever) or >= 0",
              "count=" + std::to_string(count), "-1, 0, 1, ...", "pass -1 to repeat forever");
    return Dataset(std::make_shared<RepeatNode>(detail::node_of(*this), count));
}

}  // namespace tfc::data
