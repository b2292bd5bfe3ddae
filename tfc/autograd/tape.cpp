#include "tfc/autograd/tape.h"

#include <algorithm>
#include <atomic>
#include <string>
#include <unordered_map>
#include <unordered_set>

#include "tfc/core/error.h"
#include "tfc/core/profiler.h"
#include "tfc/core/tensor_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::autograd {
namespace {

struct Entry {
    const char* op;
    std::vector<Tensor> inputs;
    Tensor output;
    BackwardFn backward;
    bool relu_output;
};

// What only_positive_cells_matter asks of the gradient() walk running on this thread.
struct Walk {
    const std::unordered_set<const TensorImpl*>* sources = nullptr;
    std::unordered_set<const TensorImpl*> relu_outputs;
};
thread_local const Walk* t_walk = nullptr;

std::atomic<std::uint64_t> g_next_tape{1};
thread_local bool t_paused = false;

}  // namespace

struct GradientTape::State {
    std::uint64_t mark = 0;
    std::vector<Entry> entries;
    bool used = false;
};

namespace {

// Tapes recording on this thread, outermost first. Nested tapes all record (tf.GradientTape).
thread_local std::vector<GradientTape::State*> t_recording;

bool watched_by(const Tensor& t, std::uint64_t mark) {
    const TensorImpl* impl = t.impl();
    if (!impl) return false;
    if (impl->requires_grad) return true;
    for (std::uint64_t m : impl->tape_marks) {
        if (m == mark) return true;
    }
    return false;
}

template <typename Range, typename Get>
bool any_watched(const Range& inputs, Get get, std::uint64_t mark) {
    for (const auto& in : inputs) {
        const Tensor* t = get(in);
        if (t && watched_by(*t, mark)) return true;
    }
    return false;
}

void add_mark(TensorImpl* impl, std::uint64_t mark) {
    auto& marks = impl->tape_marks;
    if (std::find(marks.begin(), marks.end(), mark) == marks.end()) marks.push_back(mark);
}

void stop_recording(GradientTape::State* s) {
    auto it = std::find(t_recording.begin(), t_recording.end(), s);
    if (it != t_recording.end()) t_recording.erase(it);
}

// Pauses recording for a scope, whatever the NoGradGuard state was.
struct PauseScope {
    bool prev = t_paused;
    PauseScope() { t_paused = true; }
    ~PauseScope() { t_paused = prev; }
};

}  // namespace

bool should_record(std::initializer_list<const Tensor*> inputs) {
    if (t_recording.empty() || t_paused) return false;
    for (const GradientTape::State* s : t_recording) {
        if (any_watched(
                inputs, [](const Tensor* t) { return t; }, s->mark))
            return true;
    }
    return false;
}

bool should_record(const std::vector<Tensor>& inputs) {
    if (t_recording.empty() || t_paused) return false;
    for (const GradientTape::State* s : t_recording) {
        if (any_watched(
                inputs, [](const Tensor& t) { return &t; }, s->mark))
            return true;
    }
    return false;
}

void record(const char* op_name, std::vector<Tensor> inputs, const Tensor& output,
            BackwardFn backward, bool relu_output) {
    TFC_ASSERT(output.defined());
    if (t_paused) return;
    std::vector<GradientTape::State*> targets;
    for (GradientTape::State* s : t_recording) {
        if (any_watched(
                inputs, [](const Tensor& t) { return &t; }, s->mark))
            targets.push_back(s);
    }
    if (targets.empty()) return;
    // Every tape but the last gets a copy of the entry; the last one takes it.
    for (std::size_t i = 0; i + 1 < targets.size(); ++i) {
        add_mark(output.impl(), targets[i]->mark);
        targets[i]->entries.push_back(Entry{op_name, inputs, output, backward, relu_output});
    }
    add_mark(output.impl(), targets.back()->mark);
    targets.back()->entries.push_back(
        Entry{op_name, std::move(inputs), output, std::move(backward), relu_output});
}

bool only_positive_cells_matter(const Tensor& input) {
    const TensorImpl* impl = input.impl();
    return t_walk && impl && t_walk->relu_outputs.count(impl) && !t_walk->sources->count(impl);
}

void mark_zero_where_not_positive(const Tensor& grad, const Tensor& of) {
    TFC_ASSERT(grad.defined() && of.defined());
    grad.impl()->zero_where_not_positive_of = of.id();
}

bool zero_where_not_positive(const Tensor& grad, const Tensor& of) {
    return grad.defined() && of.defined() && grad.impl()->zero_where_not_positive_of == of.id();
}

GradientTape::GradientTape() : state_(std::make_unique<State>()) {
    state_->mark = g_next_tape.fetch_add(1);
    t_recording.push_back(state_.get());
}

GradientTape::~GradientTape() { stop_recording(state_.get()); }

void GradientTape::watch(const Tensor& t) {
    TFC_CHECK(t.defined(), "GradientTape::watch", "cannot watch an undefined tensor",
              "an empty Tensor()", "a tensor with data", "watch the tensor you differentiate by");
    add_mark(t.impl(), state_->mark);
}

std::size_t GradientTape::num_entries() const { return state_->entries.size(); }

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Tensor>& sources) {
    TFC_CHECK(!state_->used, "GradientTape::gradient", "a tape can compute gradients once",
              "a second call", "one call per tape", "record the computation on a new tape");
    TFC_CHECK(target.defined(), "GradientTape::gradient", "the target is undefined",
              "an empty Tensor()", "the tensor to differentiate, e.g. the loss",
              "pass the result of the recorded computation");
    for (const Tensor& s : sources) {
        TFC_CHECK(s.defined(), "GradientTape::gradient", "a source is undefined",
                  "an empty Tensor()", "watched tensors or trainable weights",
                  "pass defined tensors as sources");
    }
    state_->used = true;
    // This tape stops recording, and no tape records the backward rules: they are first-order
    // only (unary backward rules run as plain kernels), so an outer tape would see a partial
    // graph.
    stop_recording(state_.get());
    PauseScope pause;

    std::unordered_set<const TensorImpl*> source_set;
    for (const Tensor& s : sources) source_set.insert(s.impl());
    std::unordered_map<const TensorImpl*, Tensor> grads;
    grads.reserve(state_->entries.size() * 2 + 4);
    grads[target.impl()] = ops::ones_like(target);

    Walk walk;
    walk.sources = &source_set;
    for (const Entry& e : state_->entries) {
        if (e.relu_output) walk.relu_outputs.insert(e.output.impl());
    }
    struct WalkScope {
        const Walk* prev = t_walk;
        explicit WalkScope(const Walk* w) { t_walk = w; }
        ~WalkScope() { t_walk = prev; }
    } walk_scope(&walk);

    for (auto it = state_->entries.rbegin(); it != state_->entries.rend(); ++it) {
        auto g = grads.find(it->output.impl());
        if (g == grads.end()) continue;
        Tensor grad_out;
        if (source_set.count(g->first)) {
            grad_out = g->second;  // a source may be an intermediate: keep its gradient
        } else {
            grad_out = std::move(g->second);
            grads.erase(g);
        }
        std::vector<Tensor> in_grads;
        {
            const profiler::Scope scope(profiler::Kind::backward, it->op);
            in_grads = it->backward(grad_out);
        }
        TFC_ASSERT(in_grads.size() == it->inputs.size());
        for (std::size_t i = 0; i < in_grads.size(); ++i) {
            const Tensor& in = it->inputs[i];
            // Only tensors this tape watches (or derived from watched ones) get gradients; a
            // constant operand of a recorded op stays unconnected, as in TF.
            if (!in_grads[i].defined() || !watched_by(in, state_->mark)) continue;
            TFC_ASSERT(in_grads[i].shape() == in.shape());
            auto [slot, inserted] = grads.try_emplace(in.impl(), in_grads[i]);
            if (!inserted) slot->second = ops::add(slot->second, in_grads[i]);
        }
    }
    std::vector<Tensor> out;
    out.reserve(sources.size());
    for (const Tensor& s : sources) {
        auto g = grads.find(s.impl());
        out.push_back(g != grads.end() ? g->second : ops::zeros_like(s));
    }
    // Release the recorded graph now; it holds activations.
    state_->entries.clear();
    return out;
}

NoGradGuard::NoGradGuard() : prev_(t_paused) { t_paused = true; }
NoGradGuard::~NoGradGuard() { t_paused = prev_; }

}  // namespace tfc::autograd
