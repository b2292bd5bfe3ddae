#include "tfc/autograd/tape.h"

#include <atomic>
#include <string>
#include <unordered_map>

#include "tfc/core/error.h"
#include "tfc/core/tensor_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::autograd {
namespace {

struct Entry {
    const char* op;
    std::vector<Tensor> inputs;
    Tensor output;
    BackwardFn backward;
};

std::atomic<std::uint64_t> g_next_tape{1};
thread_local GradientTape* t_active = nullptr;
thread_local std::uint64_t t_active_mark = 0;
thread_local bool t_paused = false;

}  // namespace

struct GradientTape::State {
    std::uint64_t mark = 0;
    GradientTape* prev = nullptr;
    std::uint64_t prev_mark = 0;
    std::vector<Entry> entries;
    bool used = false;
};

namespace {
bool watched(const Tensor& t) {
    const TensorImpl* impl = t.impl();
    return impl && (impl->requires_grad || (impl->tape_mark != 0 && impl->tape_mark == t_active_mark));
}
}  // namespace

bool should_record(std::initializer_list<const Tensor*> inputs) {
    if (!t_active || t_paused) return false;
    for (const Tensor* t : inputs) {
        if (t && watched(*t)) return true;
    }
    return false;
}

bool should_record(const std::vector<Tensor>& inputs) {
    if (!t_active || t_paused) return false;
    for (const Tensor& t : inputs) {
        if (watched(t)) return true;
    }
    return false;
}

void record(const char* op_name, std::vector<Tensor> inputs, const Tensor& output,
            BackwardFn backward) {
    TFC_ASSERT(t_active && output.defined());
    output.impl()->tape_mark = t_active_mark;
    t_active->state_->entries.push_back(Entry{op_name, std::move(inputs), output, std::move(backward)});
}

GradientTape::GradientTape() : state_(std::make_unique<State>()) {
    state_->mark = g_next_tape.fetch_add(1);
    state_->prev = t_active;
    state_->prev_mark = t_active_mark;
    t_active = this;
    t_active_mark = state_->mark;
}

GradientTape::~GradientTape() {
    if (t_active == this) {
        t_active = state_->prev;
        t_active_mark = state_->prev_mark;
    }
}

void GradientTape::watch(const Tensor& t) {
    TFC_CHECK(t.defined(), "GradientTape::watch", "cannot watch an undefined tensor", "", "", "");
    t.impl()->tape_mark = state_->mark;
}

std::size_t GradientTape::num_entries() const { return state_->entries.size(); }

std::vector<Tensor> GradientTape::gradient(const Tensor& target,
                                           const std::vector<Tensor>& sources) {
    TFC_CHECK(!state_->used, "GradientTape::gradient", "a tape can compute gradients once",
              "a second call", "one call per tape", "record the computation on a new tape");
    state_->used = true;
    // Stop recording while differentiating: backward rules are built from ops.
    if (t_active == this) {
        t_active = state_->prev;
        t_active_mark = state_->prev_mark;
    }
    std::unordered_map<const TensorImpl*, Tensor> grads;
    grads.reserve(state_->entries.size() * 2 + 4);
    grads[target.impl()] = ops::ones_like(target);

    for (auto it = state_->entries.rbegin(); it != state_->entries.rend(); ++it) {
        auto g = grads.find(it->output.impl());
        if (g == grads.end()) continue;
        Tensor grad_out = std::move(g->second);
        grads.erase(g);
        std::vector<Tensor> in_grads = it->backward(grad_out);
        TFC_ASSERT(in_grads.size() == it->inputs.size());
        for (std::size_t i = 0; i < in_grads.size(); ++i) {
            if (!in_grads[i].defined()) continue;
            const Tensor& in = it->inputs[i];
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
