// Axis ranges and "nice" tick values (1, 2 or 5 times a power of ten; decades on a log axis),
// with their labels. Pure arithmetic, no drawing.
#pragma once

#include <string>
#include <vector>

namespace tfc::plot {

struct AxisTicks {
    double lo = 0.0, hi = 1.0;        // axis range (data units, not log10)
    std::vector<double> values;       // tick positions inside [lo, hi], increasing
    std::vector<std::string> labels;  // one label per tick
};

// Linear axis covering [data_min, data_max] plus a 5% margin, with about `target_count` ticks.
// integer: ticks on whole numbers only (epochs). A flat range gets a margin around its value.
AxisTicks linear_ticks(double data_min,
                       double data_max,
                       int target_count = 6,
                       bool integer = false);

// Log10 axis for positive data: ticks at powers of ten (every k-th decade when there are many),
// with 2x and 5x ticks added when the range spans less than two decades.
AxisTicks log_ticks(double data_min, double data_max);

// Label of a linear tick given the tick step: fixed decimals enough to tell ticks apart, or
// "%.3g" for very large or very small magnitudes. Never "-0".
std::string format_linear_tick(double value, double step);

// Label of a log-axis tick: "0.01", "100", "1e-08" style for magnitudes beyond 1e-3 .. 1e4.
std::string format_log_tick(double value);

}  // namespace tfc::plot
