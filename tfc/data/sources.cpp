// Dataset sources: from_tensor_slices, from_elements, from_generator, range.
#include <atomic>

#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

class SlicesNode : public DatasetNode {
public:
    explicit SlicesNode(std::vector<Tensor> tensors) : tensors_(std::move(tensors)) {}
    std::int64_t cardinality() const override { return tensors_[0].dim(0); }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            const SlicesNode* node;
            std::int64_t i = 0;
            explicit It(const SlicesNode* n) : node(n) {}
            std::optional<Element> next() override {
                if (i >= node->cardinality()) return std::nullopt;
                Element e;
                e.reserve(node->tensors_.size());
                for (const Tensor& t : node->tensors_) e.push_back(detail::row(t, i));
                ++i;
                return e;
            }
        };
        return std::make_unique<It>(this);
    }

private:
    std::vector<Tensor> tensors_;
};

class ElementsNode : public DatasetNode {
public:
    explicit ElementsNode(std::vector<Element> elements) : elements_(std::move(elements)) {}
    std::int64_t cardinality() const override {
        return static_cast<std::int64_t>(elements_.size());
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            const std::vector<Element>* elements;
            std::size_t i = 0;
            explicit It(const std::vector<Element>* e) : elements(e) {}
            std::optional<Element> next() override {
                if (i >= elements->size()) return std::nullopt;
                return (*elements)[i++];
            }
        };
        return std::make_unique<It>(&elements_);
    }

private:
    std::vector<Element> elements_;
};

class GeneratorIterator : public ElementIterator {
public:
    explicit GeneratorIterator(Dataset::Generator gen) : gen_(std::move(gen)) {}
    std::optional<Element> next() override {
        if (done_) return std::nullopt;
        auto e = gen_();
        if (!e) done_ = true;
        return e;
    }

private:
    Dataset::Generator gen_;
    bool done_ = false;
};

class GeneratorNode : public DatasetNode {
public:
    explicit GeneratorNode(std::function<Dataset::Generator()> factory)
        : factory_(std::move(factory)) {}
    ElementIteratorPtr make_iterator() const override {
        Dataset::Generator gen = factory_();
        TFC_CHECK(static_cast<bool>(gen), "Dataset.from_generator",
                  "the generator factory returned an empty std::function", "empty function",
                  "a callable generator", "return a lambda from the factory");
        return std::make_unique<GeneratorIterator>(std::move(gen));
    }

private:
    std::function<Dataset::Generator()> factory_;
};

class OneShotGeneratorNode : public DatasetNode {
public:
    explicit OneShotGeneratorNode(Dataset::Generator gen) : gen_(std::move(gen)) {}
    ElementIteratorPtr make_iterator() const override {
        TFC_CHECK(!used_.exchange(true), "Dataset.from_generator",
                  "a one-shot generator dataset was iterated a second time", "a second pass",
                  "one pass", "pass a generator factory (a function returning a new generator) "
                  "so that every pass starts afresh");
        return std::make_unique<GeneratorIterator>(gen_);
    }

private:
    Dataset::Generator gen_;
    mutable std::atomic<bool> used_{false};
};

class RangeNode : public DatasetNode {
public:
    RangeNode(std::int64_t start, std::int64_t stop, std::int64_t step)
        : start_(start), stop_(stop), step_(step) {}
    std::int64_t cardinality() const override {
        if (step_ > 0) return stop_ > start_ ? (stop_ - start_ + step_ - 1) / step_ : 0;
        return start_ > stop_ ? (start_ - stop_ - step_ - 1) / -step_ : 0;
    }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            std::int64_t value, remaining, step;
            std::optional<Element> next() override {
                if (remaining <= 0) return std::nullopt;
                Element e{Tensor::scalar(static_cast<double>(value), DType::int64)};
                e[0].data<std::int64_t>()[0] = value;  // exact beyond 2^53
                value += step;
                --remaining;
                return e;
            }
        };
        auto it = std::make_unique<It>();
        it->value = start_;
        it->remaining = cardinality();
        it->step = step_;
        return it;
    }

private:
    std::int64_t start_, stop_, step_;
};

}  // namespace

Dataset Dataset::from_tensor_slices(const std::vector<Tensor>& tensors) {
    const char* where = "Dataset.from_tensor_slices";
    TFC_CHECK(!tensors.empty(), where, "no tensors given", "0 tensors", "at least one tensor",
              "pass {x} or {x, y}");
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const Tensor& t = tensors[i];
        TFC_CHECK(t.defined() && t.rank() >= 1, where, "cannot slice a scalar or undefined tensor",
                  "component " + std::to_string(i) + " is " + detail::describe({t}),
                  "tensors of rank >= 1", "reshape scalars to shape (1,)");
        TFC_CHECK(t.dim(0) == tensors[0].dim(0), where,
                  "tensors differ in their first dimension",
                  "component 0 has " + std::to_string(tensors[0].dim(0)) + " rows, component " +
                      std::to_string(i) + " has " + std::to_string(t.dim(0)),
                  "one first dimension for all", "check that x and y have as many rows");
    }
    return Dataset(std::make_shared<SlicesNode>(tensors));
}

Dataset Dataset::from_elements(std::vector<Element> elements) {
    return Dataset(std::make_shared<ElementsNode>(std::move(elements)));
}

Dataset Dataset::from_generator(std::function<Generator()> factory) {
    TFC_CHECK(static_cast<bool>(factory), "Dataset.from_generator", "empty generator factory",
              "empty function", "a callable", "pass a lambda");
    return Dataset(std::make_shared<GeneratorNode>(std::move(factory)));
}

Dataset Dataset::from_generator(Generator generator) {
    TFC_CHECK(static_cast<bool>(generator), "Dataset.from_generator", "empty generator",
              "empty function", "a callable", "pass a lambda");
    return Dataset(std::make_shared<OneShotGeneratorNode>(std::move(generator)));
}

Dataset Dataset::range(std::int64_t stop) { return range(0, stop, 1); }

Dataset Dataset::range(std::int64_t start, std::int64_t stop, std::int64_t step) {
    TFC_CHECK(step != 0, "Dataset.range", "step must not be zero", "step=0",
              "a non-zero step", "pass step=1 (or a negative step to count down)");
    return Dataset(std::make_shared<RangeNode>(start, stop, step));
}

}  // namespace tfc::data
