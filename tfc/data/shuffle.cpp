// Dataset.shuffle with tf.data's buffer semantics: a buffer of buffer_size elements is filled
// from the input; each output is a uniformly chosen buffer slot, which is refilled with the next
// input element. buffer_size >= cardinality gives a uniform permutation. With a seed, the order
// is deterministic; with reshuffle_each_iteration, pass k uses a seed derived from (seed, k).
#include <atomic>

#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class ShuffleNode : public DatasetNode {
public:
    ShuffleNode(DatasetNodePtr input, std::int64_t buffer_size, std::uint64_t seed, bool reshuffle)
        : input_(std::move(input)), buffer_size_(buffer_size), seed_(seed), reshuffle_(reshuffle) {}
    std::int64_t cardinality() const override { return input_->cardinality(); }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            std::vector<Element> buffer;
            std::int64_t capacity = 0;
            bool input_done = false;
            Generator rng;
            std::optional<Element> next() override {
                while (!input_done && static_cast<std::int64_t>(buffer.size()) < capacity) {
                    auto e = in->next();
                    if (!e) {
                        input_done = true;
                        in.reset();
                    } else {
                        buffer.push_back(std::move(*e));
                    }
                }
                if (buffer.empty()) return std::nullopt;
                const auto i = static_cast<std::size_t>(
                    rng.randint(static_cast<std::int64_t>(buffer.size())));
                Element out = std::move(buffer[i]);
                if (i + 1 != buffer.size()) buffer[i] = std::move(buffer.back());
                buffer.pop_back();  // refilled from the input on the next call
                return out;
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        it->capacity = buffer_size_;
        const std::uint64_t pass = reshuffle_ ? passes_.fetch_add(1) : 0;
        // Pass k's seed: splitmix64 of (seed, k), so passes differ yet repeat across runs.
        Generator mix(seed_ ^ (0x9E3779B97F4A7C15ull * (pass + 1)));
        it->rng.seed(mix.next_u64());
        return it;
    }

private:
    DatasetNodePtr input_;
    std::int64_t buffer_size_;
    std::uint64_t seed_;
    bool reshuffle_;
    mutable std::atomic<std::uint64_t> passes_{0};
};

}  // namespace

Dataset Dataset::shuffle(std::int64_t buffer_size, ShuffleOptions options) const {
    detail::check_positive(buffer_size, "Dataset.shuffle", "buffer_size");
    const std::uint64_t seed = options.seed ? *options.seed : global_generator().next_u64();
    return Dataset(std::make_shared<ShuffleNode>(detail::node_of(*this), buffer_size, seed,
                                                 options.reshuffle_each_iteration));
}

}  // namespace tfc::data
