// Wall-clock time per layer call, per backward rule and per optimizer step: where a training step
// goes. Off unless TFC_PROFILE=1 is set in the environment (the table is then printed to stderr at
// exit) or profiler::enable() is called; when off, a scope costs one relaxed atomic load.
//
//   tfc::profiler::enable();
//   model.fit(x, y, {.epochs = 1});
//   std::fputs(tfc::profiler::report().c_str(), stderr);
//
// Rows are "forward <layer name>", "backward <op name>" and "optimizer <class>". Forward times are
// inclusive: a model's or wrapper's row contains its inner layers' rows.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace tfc::profiler {

bool enabled();
void enable(bool on = true);
void reset();

struct Row {
    std::string name;
    std::int64_t calls = 0;
    double seconds = 0.0;
};

// All rows, the most time first.
std::vector<Row> rows();
// The rows as a text table with each row's share of the profiled backward + optimizer +
// outermost forward time.
std::string report();

enum class Kind { forward, backward, optimizer };

// Adds the time between construction and destruction to the row "<kind> <name>".
class Scope {
public:
    Scope(Kind kind, const char* name);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

private:
    Kind kind_;
    const char* name_;
    bool on_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace tfc::profiler
