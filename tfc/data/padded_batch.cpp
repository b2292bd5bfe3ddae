// Dataset.padded_batch: like batch, but each component is padded up to a common shape (per axis
// the given padded_shapes entry, or the longest element of the batch where it is -1).
#include <algorithm>
#include <cstring>

#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

constexpr const char* kWhere = "Dataset.padded_batch";

// Copies `src` into slot b of `dst` (shape (batch, padded...)), at the origin of every axis.
void copy_padded(const Tensor& src, Tensor& dst, std::int64_t b) {
    const std::size_t esize = dtype_size(src.dtype());
    const Shape& s = src.shape();
    const Shape inner(dst.shape().begin() + 1, dst.shape().end());
    const auto dst_strides = strides_of(inner);
    const std::int64_t slot = num_elements(inner);
    auto* out = static_cast<unsigned char*>(dst.raw_data()) + b * slot * esize;
    const auto* in = static_cast<const unsigned char*>(src.raw_data());
    if (s.empty()) {
        std::memcpy(out, in, esize);
        return;
    }
    const std::int64_t row_len = s.back();
    const std::int64_t rows = row_len == 0 ? 0 : src.size() / row_len;
    std::vector<std::int64_t> idx(s.size() - 1, 0);  // index over all axes but the last
    for (std::int64_t r = 0; r < rows; ++r) {
        std::int64_t off = 0;
        for (std::size_t a = 0; a < idx.size(); ++a) off += idx[a] * dst_strides[a];
        std::memcpy(out + off * esize, in + r * row_len * esize, row_len * esize);
        for (int a = static_cast<int>(idx.size()) - 1; a >= 0; --a) {
            if (++idx[a] < s[a]) break;
            idx[a] = 0;
        }
    }
}

Tensor pad_stack(const std::vector<Tensor>& parts, const Shape* padded_shape, double value,
                 std::size_t component) {
    const Tensor& first = parts[0];
    Shape target(first.shape().size(), 0);
    for (std::size_t i = 0; i < parts.size(); ++i) {
        const Tensor& t = parts[i];
        TFC_CHECK(t.defined() && t.dtype() == first.dtype() && t.rank() == first.rank(), kWhere,
                  "elements of one batch differ in rank or dtype",
                  "component " + std::to_string(component) + ": " + detail::describe({first}) +
                      " vs " + detail::describe({t}),
                  "one rank and dtype per component", "map() elements to a common rank");
        for (int a = 0; a < t.rank(); ++a) target[a] = std::max(target[a], t.dim(a));
    }
    if (padded_shape) {
        TFC_CHECK(padded_shape->size() == target.size(), kWhere,
                  "a padded shape has the wrong rank",
                  "padded_shapes[" + std::to_string(component) + "]=" + shape_str(*padded_shape) +
                      " for elements of rank " + std::to_string(target.size()),
                  "rank " + std::to_string(target.size()), "give one entry per axis (-1 = longest)");
        for (std::size_t a = 0; a < target.size(); ++a) {
            const std::int64_t want = (*padded_shape)[a];
            if (want < 0) continue;
            TFC_CHECK(target[a] <= want, kWhere, "an element is longer than its padded shape",
                      "axis " + std::to_string(a) + " of component " + std::to_string(component) +
                          " has length " + std::to_string(target[a]),
                      "at most " + std::to_string(want),
                      "raise padded_shapes, or truncate elements in map()");
            target[a] = want;
        }
    }
    Shape shape = target;
    shape.insert(shape.begin(), static_cast<std::int64_t>(parts.size()));
    Tensor out = Tensor::full(shape, value, first.dtype());
    for (std::size_t i = 0; i < parts.size(); ++i) {
        copy_padded(parts[i], out, static_cast<std::int64_t>(i));
    }
    return out;
}

class PaddedBatchNode : public DatasetNode {
public:
    PaddedBatchNode(DatasetNodePtr input, std::int64_t batch_size, PaddedBatchOptions options)
        : input_(std::move(input)), batch_size_(batch_size), options_(std::move(options)) {}
    std::int64_t cardinality() const override {
        return detail::batch_cardinality(input_->cardinality(), batch_size_,
                                         options_.drop_remainder);
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            ElementIteratorPtr in;
            const PaddedBatchNode* node;
            std::optional<Element> next() override {
                if (!in) return std::nullopt;
                auto group = detail::next_group(*in, node->batch_size_);
                const auto n = static_cast<std::int64_t>(group.size());
                if (n < node->batch_size_) in.reset();
                if (n == 0 || (node->options_.drop_remainder && n < node->batch_size_)) {
                    return std::nullopt;
                }
                return node->pad(group);
            }
        };
        auto it = std::make_unique<It>();
        it->in = input_->make_iterator();
        it->node = this;
        return it;
    }

private:
    Element pad(const std::vector<Element>& group) const {
        const std::size_t k = group[0].size();
        const auto& shapes = options_.padded_shapes;
        const auto& values = options_.padding_values;
        TFC_CHECK(shapes.empty() || shapes.size() == k, kWhere,
                  "padded_shapes has the wrong number of entries",
                  std::to_string(shapes.size()) + " entries", std::to_string(k) + " (one per component)",
                  "give one shape per component, or none");
        TFC_CHECK(values.empty() || values.size() == k, kWhere,
                  "padding_values has the wrong number of entries",
                  std::to_string(values.size()) + " entries", std::to_string(k) + " (one per component)",
                  "give one value per component, or none for 0");
        Element out;
        std::vector<Tensor> parts(group.size());
        for (std::size_t c = 0; c < k; ++c) {
            for (std::size_t i = 0; i < group.size(); ++i) parts[i] = group[i][c];
            out.push_back(pad_stack(parts, shapes.empty() ? nullptr : &shapes[c],
                                    values.empty() ? 0.0 : values[c], c));
        }
        return out;
    }

    DatasetNodePtr input_;
    std::int64_t batch_size_;
    PaddedBatchOptions options_;
};

}  // namespace

Dataset Dataset::padded_batch(std::int64_t batch_size, PaddedBatchOptions options) const {
    detail::check_positive(batch_size, kWhere, "batch_size");
    return Dataset(std::make_shared<PaddedBatchNode>(detail::node_of(*this), batch_size,
                                                     std::move(options)));
}

}  // namespace tfc::data
