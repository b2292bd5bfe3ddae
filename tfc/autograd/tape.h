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
// Records `output = op(inputs)` on the active tape.
void record(const char* op_name, std::vector<Tensor> inputs, const Tensor& output,
            BackwardFn backward);

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
