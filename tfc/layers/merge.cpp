// Merge layers, after keras/layers/merging/base_merge.py (`_Merge`), add.py, multiply.py,
// average.py and concatenate.py of Keras 2.15.
#include "tfc/layers/merge.h"

#include <algorithm>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

std::string shapes_str(const std::vector<Shape>& shapes) {
    std::string s = "[";
    for (std::size_t i = 0; i < shapes.size(); ++i) s += (i ? ", " : "") + shape_str(shapes[i]);
    return s + "]";
}

std::vector<Shape> shapes_of(const std::vector<Tensor>& xs) {
    std::vector<Shape> out;
    for (const auto& x : xs) out.push_back(x.shape());
    return out;
}

// Keras `_compute_elemwise_op_output_shape` on the shapes without their batch axis.
Shape elemwise_shape(Shape a, Shape b, const std::string& where,
                     const std::vector<Shape>& all) {
    if (a.size() < b.size()) std::swap(a, b);
    Shape out(a.begin(), a.end() - static_cast<std::ptrdiff_t>(b.size()));
    for (std::size_t k = 0; k < b.size(); ++k) {
        const std::int64_t i = a[a.size() - b.size() + k], j = b[k];
        if (i < 0 || j < 0) {
            out.push_back(-1);
        } else if (i == 1) {
            out.push_back(j);
        } else if (j == 1 || i == j) {
            out.push_back(i);
        } else {
            fail(where, "inputs have incompatible shapes", shapes_str(all),
                 "equal sizes (or 1) on every axis after the batch",
                 "reshape the inputs so they match, or use Concatenate to join them");
        }
    }
    return out;
}

// AND over the defined masks (Keras: all(concatenate(expand_dims(m, 0)), axis=0)).
Tensor and_masks(const std::vector<Tensor>& masks) {
    Tensor acc;
    for (const auto& m : masks) {
        if (!m.defined()) continue;
        const Tensor f = m.astype(DType::float32);
        acc = acc.defined() ? ops::mul(acc, f) : f;
    }
    if (!acc.defined()) return Tensor();
    return ops::greater(acc, Tensor::scalar(0.5));
}

}  // namespace

// ---- MergeLayer ----

void MergeLayer::ensure_built(const std::vector<Shape>& input_shapes) {
    TFC_CHECK(!input_shapes.empty(), name_, "a merge layer needs at least one input",
              "0 inputs", "a list of at least 1 input", "pass the tensors to merge, e.g. {a, b}");
    for (const auto& s : input_shapes) {
        TFC_CHECK(!s.empty(), name_, "a merge input has no batch dimension", shapes_str(input_shapes),
                  "tensors of rank >= 1", "add a leading batch axis");
    }
    (void)compute_output_shape(input_shapes);  // validates the shapes
    if (!built_) {
        Shape first = input_shapes[0];
        first[0] = -1;
        Layer::ensure_built(first);
    }
}

Tensor MergeLayer::operator()(const std::vector<Tensor>& inputs, bool /*training*/) {
    for (const auto& x : inputs) {
        TFC_CHECK(x.defined(), name_, "an input is an undefined tensor", "Tensor()",
                  "tensors with data", "pass real data to the layer");
    }
    ensure_built(shapes_of(inputs));
    std::vector<Tensor> masks;
    for (const auto& x : inputs) masks.push_back(x.keras_mask());
    Tensor out = merge(inputs);
    const Tensor m = compute_mask(inputs, masks);
    if (m.defined()) {
        if (std::any_of(inputs.begin(), inputs.end(), [&](const Tensor& x) { return x.same_as(out); }))
            out = ops::reshape(out, out.shape());
        out.set_keras_mask(m);
    }
    return out;
}

Tensor MergeLayer::compute_mask(const std::vector<Tensor>& /*inputs*/,
                                const std::vector<Tensor>& masks) const {
    return and_masks(masks);
}

Tensor MergeLayer::call(const Tensor& inputs, bool /*training*/) {
    fail(name_, "a merge layer should be called on a list of inputs",
         "a single tensor of shape " + shape_str(inputs.shape()), "a list of tensors",
         "call it as layer({a, b}), or apply_layer(" + class_name() + "(), {a, b}) in a functional model");
}

Shape MergeLayer::compute_output_shape(const Shape& input_shape) const {
    fail(name_, "a merge layer should be called on a list of inputs",
         "the single shape " + shape_str(input_shape), "a list of shapes",
         "pass one shape per merged input");
}

// ---- element-wise merges ----

Shape ElementwiseMerge::compute_output_shape(const std::vector<Shape>& shapes) const {
    TFC_CHECK(!shapes.empty(), name_, "a merge layer needs at least one input", "0 inputs",
              "a list of at least 1 input", "pass the tensors to merge, e.g. {a, b}");
    for (const auto& s : shapes) {
        TFC_CHECK(!s.empty(), name_, "a merge input has no batch dimension", shapes_str(shapes),
                  "tensors of rank >= 1", "add a leading batch axis");
    }
    Shape out(shapes[0].begin() + 1, shapes[0].end());
    for (std::size_t i = 1; i < shapes.size(); ++i) {
        out = elemwise_shape(out, Shape(shapes[i].begin() + 1, shapes[i].end()), name_, shapes);
    }
    std::int64_t batch = -1;
    for (const auto& s : shapes) {
        if (s[0] < 0) continue;
        TFC_CHECK(batch < 0 || batch == s[0], name_,
                  "cannot merge tensors with different batch sizes", shapes_str(shapes),
                  "the same batch size for every input", "feed batches of equal size");
        batch = s[0];
    }
    out.insert(out.begin(), batch);
    return out;
}

std::vector<Tensor> ElementwiseMerge::align_ranks(const std::vector<Tensor>& inputs) {
    int max_rank = 0;
    for (const auto& x : inputs) max_rank = std::max(max_rank, x.rank());
    std::vector<Tensor> out;
    for (Tensor x : inputs) {
        while (x.rank() < max_rank) x = ops::expand_dims(x, 1);
        out.push_back(x);
    }
    return out;
}

Add::Add(MergeOptions o) : ElementwiseMerge(o.name.empty() ? unique_layer_name("add") : o.name) {}

Tensor Add::merge(const std::vector<Tensor>& inputs) {
    const auto xs = align_ranks(inputs);
    Tensor out = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) out = ops::add(out, xs[i]);
    return out;
}

Multiply::Multiply(MergeOptions o)
    : ElementwiseMerge(o.name.empty() ? unique_layer_name("multiply") : o.name) {}

Tensor Multiply::merge(const std::vector<Tensor>& inputs) {
    const auto xs = align_ranks(inputs);
    Tensor out = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) out = ops::mul(out, xs[i]);
    return out;
}

Average::Average(MergeOptions o)
    : ElementwiseMerge(o.name.empty() ? unique_layer_name("average") : o.name) {}

Tensor Average::merge(const std::vector<Tensor>& inputs) {
    const auto xs = align_ranks(inputs);
    Tensor out = xs[0];
    for (std::size_t i = 1; i < xs.size(); ++i) out = ops::add(out, xs[i]);
    return ops::div(out, static_cast<double>(xs.size()));
}

// ---- Concatenate ----

Concatenate::Concatenate(ConcatenateOptions o)
    : MergeLayer(o.name.empty() ? unique_layer_name("concatenate") : o.name), options_(o) {}

Shape Concatenate::compute_output_shape(const std::vector<Shape>& shapes) const {
    TFC_CHECK(!shapes.empty(), name_, "Concatenate needs at least one input", "0 inputs",
              "a list of at least 1 input", "pass the tensors to join, e.g. {a, b}");
    const int rank = static_cast<int>(shapes[0].size());
    const int axis = options_.axis < 0 ? options_.axis + rank : options_.axis;
    TFC_CHECK(axis >= 0 && axis < rank, name_, "axis is out of range",
              "axis=" + std::to_string(options_.axis) + " for inputs " + shapes_str(shapes),
              "an axis in [-" + std::to_string(rank) + ", " + std::to_string(rank) + ")",
              "pick an axis of the inputs (default -1, the features)");
    Shape out = shapes[0];
    for (std::size_t i = 1; i < shapes.size(); ++i) {
        bool ok = static_cast<int>(shapes[i].size()) == rank;
        for (int d = 0; ok && d < rank; ++d) {
            if (d == axis) continue;
            const std::int64_t p = out[d], q = shapes[i][d];
            ok = p < 0 || q < 0 || p == q;
            if (ok && p < 0) out[d] = q;
        }
        TFC_CHECK(ok, name_,
                  "a Concatenate layer requires inputs with matching shapes except for the "
                  "concatenation axis",
                  shapes_str(shapes) + " with axis=" + std::to_string(options_.axis),
                  "equal sizes on every other axis",
                  "reshape the inputs, or concatenate along the axis that differs");
        out[axis] = out[axis] < 0 || shapes[i][axis] < 0 ? -1 : out[axis] + shapes[i][axis];
    }
    return out;
}

Tensor Concatenate::merge(const std::vector<Tensor>& inputs) {
    return ops::concat(inputs, options_.axis);
}

Tensor Concatenate::compute_mask(const std::vector<Tensor>& inputs,
                                 const std::vector<Tensor>& masks) const {
    if (std::none_of(masks.begin(), masks.end(), [](const Tensor& m) { return m.defined(); })) {
        return Tensor();
    }
    std::vector<Tensor> parts;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (!masks[i].defined()) {
            parts.push_back(Tensor::ones(inputs[i].shape()));
        } else if (masks[i].rank() < inputs[i].rank()) {
            parts.push_back(ops::expand_dims(masks[i].astype(DType::float32), -1));
        } else {
            parts.push_back(masks[i].astype(DType::float32));
        }
    }
    const Tensor joined = ops::concat(parts, options_.axis);
    return ops::greater(ops::min(joined, {-1}), Tensor::scalar(0.5));
}

}  // namespace tfc
