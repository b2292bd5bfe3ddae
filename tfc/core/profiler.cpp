#include "tfc/core/profiler.h"

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>

namespace tfc::profiler {
namespace {

struct Totals {
    std::int64_t calls = 0;
    double seconds = 0.0;
    int depth = 0;  // forward nesting depth of the first call (0 = called from outside a layer)
};

struct State {
    std::mutex mutex;
    std::map<std::string, Totals> rows;
};

State& state() {
    static State s;
    return s;
}

thread_local int t_forward_depth = 0;

void print_at_exit() { std::fputs(report().c_str(), stderr); }

bool from_environment() {
    const char* v = std::getenv("TFC_PROFILE");
    const bool on = v != nullptr && *v != '\0' && std::string(v) != "0";
    if (on) {
        state();  // constructed before the handler is registered, so destroyed after it runs
        std::atexit(print_at_exit);
    }
    return on;
}

std::atomic<bool>& flag() {
    static std::atomic<bool> on{from_environment()};
    return on;
}

}  // namespace

bool enabled() { return flag().load(std::memory_order_relaxed); }
void enable(bool on) { flag().store(on, std::memory_order_relaxed); }

void reset() {
    State& s = state();
    const std::lock_guard<std::mutex> lock(s.mutex);
    s.rows.clear();
}

std::vector<Row> rows() {
    State& s = state();
    std::vector<Row> out;
    {
        const std::lock_guard<std::mutex> lock(s.mutex);
        for (const auto& [name, t] : s.rows) out.push_back(Row{name, t.calls, t.seconds});
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const Row& a, const Row& b) { return a.seconds > b.seconds; });
    return out;
}

std::string report() {
    State& s = state();
    double total = 0.0;
    {
        const std::lock_guard<std::mutex> lock(s.mutex);
        for (const auto& [name, t] : s.rows) {
            if (name.rfind("forward ", 0) != 0 || t.depth == 0) total += t.seconds;
        }
    }
    std::string out = "tfc profile (wall time; forward rows include their inner layers)\n";
    char line[256];
    std::snprintf(line, sizeof line, "%-40s %10s %12s %10s %7s\n", "row", "calls", "total ms",
                  "ms/call", "share");
    out += line;
    for (const Row& r : rows()) {
        std::snprintf(line, sizeof line, "%-40.40s %10lld %12.2f %10.4f %6.1f%%\n", r.name.c_str(),
                      static_cast<long long>(r.calls), 1e3 * r.seconds,
                      r.calls ? 1e3 * r.seconds / static_cast<double>(r.calls) : 0.0,
                      total > 0 ? 100.0 * r.seconds / total : 0.0);
        out += line;
    }
    return out;
}

Scope::Scope(Kind kind, const char* name) : kind_(kind), name_(name), on_(enabled()) {
    if (!on_) return;
    if (kind_ == Kind::forward) ++t_forward_depth;
    start_ = std::chrono::steady_clock::now();
}

Scope::~Scope() {
    if (!on_) return;
    const double dt =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const bool forward = kind_ == Kind::forward;
    if (forward) --t_forward_depth;
    std::string key = forward ? "forward " : kind_ == Kind::backward ? "backward " : "optimizer ";
    key += name_;
    State& s = state();
    const std::lock_guard<std::mutex> lock(s.mutex);
    auto [it, inserted] = s.rows.try_emplace(std::move(key));
    if (inserted) it->second.depth = forward ? t_forward_depth : 0;
    it->second.calls += 1;
    it->second.seconds += dt;
}

}  // namespace tfc::profiler
