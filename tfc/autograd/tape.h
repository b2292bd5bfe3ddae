// Reverse-mode autograd over a tape (tf.GradientTape). While a GradientTape is alive on this
// thread, every op whose inputs are watched records an entry: its inputs, its output and a
// backward function mapping the output's gradient to its inputs' gradients. gradient() walks the
// entries in reverse. Nothing here is op-specific: each op supplies its own backward rule.
// Nested tapes each record the ops on tensors they watch; a tape stops recording once its
// gradient() runs. Gradients are first-order: backward rules are never recorded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::autograd {

// Gradients of the inputs, in input order; an undefined Tensor means "no gradient".
using BackwardFn = std::function<std::vector<Tensor>(const Tensor& grad_output)>;

// True when a tape records and at least one input is watched. Ops call this before building
// their backward closure.
bool should_record(std::initializer_list<const Tensor*> inputs);
bool should_record(const std::vector<Tensor>& inputs);
// Records `output = op(inputs)` on the active tape. relu_output: the op ends in a ReLU, and its
// backward rule first multiplies the incoming gradient by (output > 0) — unless that gradient is
// marked zero_where_not_positive of the output (below), when the rule may skip the mask.
void record(const char* op_name, std::vector<Tensor> inputs, const Tensor& output,
            BackwardFn backward, bool relu_output = false);

// Fusing a ReLU's mask into the backward rule of the op that consumes the ReLU's output
// (max pooling after a Conv2D with activation="relu"). For backward rules, while gradient() runs:
// true when `input` is the output of an op recorded with relu_output and not one of the sources
// asked for. The gradient returned for `input` then only reaches its producer's rule, summed with
// any other consumers' gradients, and that rule masks it: its values at cells where input <= 0
// are never used, and a rule may write zeros there instead of the exact values.
bool only_positive_cells_matter(const Tensor& input);
// Marks `grad` as zero wherever `of` <= 0 (or NaN); a sum of gradients does not inherit the mark.
void mark_zero_where_not_positive(const Tensor& grad, const Tensor& of);
bool zero_where_not_positive(const Tensor& grad, const Tensor& of);

class GradientTape {
public:
    GradientTape();
    ~GradientTape();
    GradientTape(const GradientTape&) = delete;
    GradientTape& operator=(const GradientTape&) = delete;

    void watch(const Tensor& t);
    // d(target)/d(source) for each source; target is summed if not scalar (TF semantics).
    // Sources that do not influence target get zeros. The tape can be used once.
    std::vector<Tensor> gradient(const Tensor& target, const std::vector<Tensor>& sources);
    std::size_t num_entries() const;

    struct State;  // internal (tape.cpp)

private:
    std::unique_ptr<State> state_;
};

// Pauses recording on this thread for its lifetime (inference, optimizer updates).
class NoGradGuard {
public:
    NoGradGuard();
    ~NoGradGuard();
    NoGradGuard(const NoGradGuard&) = delete;
    NoGradGuard& operator=(const NoGradGuard&) = delete;

private:
    bool prev_;
};

}  // namespace tfc::autograd
