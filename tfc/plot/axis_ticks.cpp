#include "tfc/plot/axis_ticks.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tfc::plot {
namespace {

std::string printf_double(const char* format, int precision, double value) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), format, precision, value);
    return buf;
}

// 1, 2, 5 or 10 times a power of ten, the one nearest to raw (geometrically).
double nice_step(double raw) {
    const double mag = std::pow(10.0, std::floor(std::log10(raw)));
    const double norm = raw / mag;
    if (norm < 1.5) return mag;
    if (norm < 3.0) return 2.0 * mag;
    if (norm < 7.0) return 5.0 * mag;
    return 10.0 * mag;
}

}  // namespace

std::string format_linear_tick(double value, double step) {
    if (std::fabs(value) < step * 1e-9) value = 0.0;
    const double mag = std::max(std::fabs(value), step);
    const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
    std::string label = (decimals > 5 || mag >= 1e6) ? printf_double("%.*g", 3, value)
                                                     : printf_double("%.*f", decimals, value);
    if (label.rfind("-0", 0) == 0 && std::stod(label) == 0.0) label.erase(0, 1);
    return label;
}

std::string format_log_tick(double value) {
    const double e = std::floor(std::log10(value) + 1e-9);
    if (e >= -3 && e <= 4) return printf_double("%.*g", 6, value);
    return printf_double("%.*g", 3, value);
}

AxisTicks linear_ticks(double data_min, double data_max, int target_count, bool integer) {
    AxisTicks axis;
    if (!std::isfinite(data_min) || !std::isfinite(data_max) || data_min > data_max) {
        data_min = 0.0;
        data_max = 1.0;
    }
    double span = data_max - data_min;
    if (integer) {
        axis.lo = data_min - std::max(0.5, 0.05 * span);
        axis.hi = data_max + std::max(0.5, 0.05 * span);
    } else if (span > 0.0) {
        axis.lo = data_min - 0.05 * span;
        axis.hi = data_max + 0.05 * span;
    } else {
        const double pad = data_min == 0.0 ? 0.5 : 0.1 * std::fabs(data_min);
        axis.lo = data_min - pad;
        axis.hi = data_max + pad;
    }
    double step = nice_step((axis.hi - axis.lo) / std::max(1, target_count));
    if (integer) step = std::max(1.0, std::round(step));
    const double first = std::ceil(axis.lo / step - 1e-9);
    const double last = std::floor(axis.hi / step + 1e-9);
    for (double k = first; k <= last; k += 1.0) {
        const double v = std::fabs(k) < 0.5 ? 0.0 : k * step;
        axis.values.push_back(v);
        axis.labels.push_back(format_linear_tick(v, step));
    }
    return axis;
}

AxisTicks log_ticks(double data_min, double data_max) {
    AxisTicks axis;
    if (!(data_min > 0.0) || !std::isfinite(data_max) || data_min > data_max) {
        data_min = 1.0;
        data_max = 10.0;
    }
    double llo = std::log10(data_min);
    double lhi = std::log10(data_max);
    const double lspan = lhi - llo;
    const double pad = lspan > 0.0 ? 0.05 * lspan : 0.5;
    llo -= pad;
    lhi += pad;
    axis.lo = std::pow(10.0, llo);
    axis.hi = std::pow(10.0, lhi);

    const int first = static_cast<int>(std::ceil(llo - 1e-9));
    const int last = static_cast<int>(std::floor(lhi + 1e-9));
    const int decades = last - first + 1;
    if (decades >= 2) {
        const int every = std::max(1, (decades + 7) / 8);  // at most about 8 labelled decades
        for (int e = first; e <= last; ++e) {
            if ((e - first) % every == 0) axis.values.push_back(std::pow(10.0, e));
        }
    }
    if (axis.values.size() < 3) {
        // Short range: 1x, 2x, 5x of every decade touching it; then all of 1x..9x if still sparse.
        for (const bool dense : {false, true}) {
            axis.values.clear();
            for (int e = first - 1; e <= last; ++e) {
                for (int m = 1; m <= 9; ++m) {
                    if (!dense && m != 1 && m != 2 && m != 5) continue;
                    const double v = m * std::pow(10.0, e);
                    const double lv = std::log10(v);
                    if (lv >= llo - 1e-9 && lv <= lhi + 1e-9) axis.values.push_back(v);
                }
            }
            if (axis.values.size() >= 3) break;
        }
    }
    for (double v : axis.values) axis.labels.push_back(format_log_tick(v));
    return axis;
}

}  // namespace tfc::plot
