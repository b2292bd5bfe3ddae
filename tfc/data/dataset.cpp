#include "tfc/data/dataset.h"

#include <cstring>

#include "tfc/core/error.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace detail {
namespace {

class EmptyIterator : public ElementIterator {
public:
    std::optional<Element> next() override { return std::nullopt; }
};

class EmptyNode : public DatasetNode {
public:
    ElementIteratorPtr make_iterator() const override { return std::make_unique<EmptyIterator>(); }
    std::int64_t cardinality() const override { return 0; }
};

}  // namespace

DatasetNodePtr node_of(const Dataset& ds) {
    if (ds.node()) return ds.node();
    static const DatasetNodePtr empty = std::make_shared<EmptyNode>();
    return empty;
}

std::string describe(const Element& element) {
    std::string s = "(";
    for (std::size_t i = 0; i < element.size(); ++i) {
        if (i) s += ", ";
        const Tensor& t = element[i];
        s += t.defined() ? std::string(dtype_name(t.dtype())) + " " + shape_str(t.shape())
                         : std::string("undefined");
    }
    return s + ")";
}

Tensor stack(const std::vector<Tensor>& tensors, const char* where) {
    TFC_ASSERT(!tensors.empty());
    const Tensor& first = tensors[0];
    TFC_CHECK(first.defined(), where, "an element component is an undefined tensor", "undefined",
              "a defined tensor", "return defined tensors from map() and generators");
    for (std::size_t i = 1; i < tensors.size(); ++i) {
        const Tensor& t = tensors[i];
        TFC_CHECK(t.defined() && t.dtype() == first.dtype() && t.shape() == first.shape(), where,
                  "elements of one batch differ in shape or dtype",
                  "element 0 is " + describe({first}) + ", element " + std::to_string(i) +
                      " is " + describe({t}),
                  "the same shape and dtype for every element",
                  "use padded_batch() for variable-length elements, or map() them to one shape");
    }
    Shape shape = first.shape();
    shape.insert(shape.begin(), static_cast<std::int64_t>(tensors.size()));
    Tensor out = Tensor::empty(shape, first.dtype());
    const std::size_t nbytes = first.nbytes();
    auto* dst = static_cast<unsigned char*>(out.raw_data());
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        if (nbytes) std::memcpy(dst + i * nbytes, tensors[i].raw_data(), nbytes);
    }
    return out;
}

Tensor row(const Tensor& t, std::int64_t i) {
    TFC_ASSERT(t.rank() >= 1 && i >= 0 && i < t.dim(0));
    Shape shape(t.shape().begin() + 1, t.shape().end());
    Tensor out = Tensor::empty(shape, t.dtype());
    const std::size_t nbytes = out.nbytes();
    if (nbytes) {
        std::memcpy(out.raw_data(), static_cast<const unsigned char*>(t.raw_data()) + i * nbytes,
                    nbytes);
    }
    return out;
}

std::int64_t card_mul(std::int64_t n, std::int64_t k) {
    if (n == 0 || k == 0) return 0;
    if (n == kUnknownCardinality || k == kUnknownCardinality) return kUnknownCardinality;
    if (n == kInfiniteCardinality || k == kInfiniteCardinality) return kInfiniteCardinality;
    return n * k;
}

void check_positive(std::int64_t value, const char* where, const char* name) {
    TFC_CHECK(value > 0, where, std::string(name) + " must be positive",
              std::string(name) + "=" + std::to_string(value), "an integer >= 1",
              std::string("pass a positive ") + name);
}

}  // namespace detail

Dataset::Dataset(DatasetNodePtr node) : node_(std::move(node)) {
    TFC_ASSERT(node_ != nullptr);
}

std::int64_t Dataset::cardinality() const { return detail::node_of(*this)->cardinality(); }

namespace {

// Node iterators point into their nodes; this keeps the pipeline alive while it is iterated,
// even when the Dataset that made the iterator is gone (e.g. the dataset returned by a
// flat_map function).
class OwningIterator : public ElementIterator {
public:
    explicit OwningIterator(DatasetNodePtr node)
        : node_(std::move(node)), it_(node_->make_iterator()) {}
    std::optional<Element> next() override { return it_->next(); }

private:
    DatasetNodePtr node_;
    ElementIteratorPtr it_;  // destroyed before node_
};

}  // namespace

ElementIteratorPtr Dataset::make_iterator() const {
    return std::make_unique<OwningIterator>(detail::node_of(*this));
}

std::vector<Element> Dataset::as_vector() const {
    TFC_CHECK(cardinality() != kInfiniteCardinality, "Dataset.as_vector",
              "the dataset is infinite", "cardinality INFINITE", "a finite dataset",
              "call take(n) first, or repeat() with a count");
    std::vector<Element> out;
    auto it = make_iterator();
    while (auto e = it->next()) out.push_back(std::move(*e));
    return out;
}

Dataset::iterator::iterator(ElementIteratorPtr it) : it_(std::move(it)) { ++*this; }

Dataset::iterator& Dataset::iterator::operator++() {
    if (it_) {
        current_ = it_->next();
        if (!current_) it_.reset();
    }
    return *this;
}

bool Dataset::iterator::operator==(const iterator& other) const {
    // Only "is at the end" comparisons are meaningful for an input iterator.
    return (it_ == nullptr) == (other.it_ == nullptr) && (it_ == nullptr || it_ == other.it_);
}

Dataset::iterator Dataset::begin() const { return iterator(make_iterator()); }

}  // namespace tfc::data
