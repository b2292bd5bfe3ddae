// Format rules follow tf_keras/utils/generic_utils.py (class Progbar) of keras-team/tf-keras, the
// Keras 2 line. Comments name the rule each piece reproduces; docs/progbar.md has the summary.
#include "tfc/training/progbar.h"

#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>

#include "tfc/core/error.h"

namespace tfc {
namespace {

double steady_seconds() {
    using namespace std::chrono;
    return duration<double>(steady_clock::now().time_since_epoch()).count();
}

std::string printf_double(const char* format, double value) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), format, value);
    return buf;
}

// Python's "%d" applied to a float truncates toward zero (int(x)).
long long py_int(double x) { return static_cast<long long>(x); }

// int(np.log10(target)) + 1 for target >= 1: the number of decimal digits.
int num_digits(int64_t n) {
    int digits = 1;
    while (n >= 10) {
        n /= 10;
        ++digits;
    }
    return digits;
}

// "%{numdigits}d/%d": current right-aligned to the width of target.
std::string format_count(int64_t current, int64_t target) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%*lld/%lld", num_digits(target),
                  static_cast<long long>(current), static_cast<long long>(target));
    return buf;
}

// ETA: "h:mm:ss" above an hour, "m:ss" above a minute, else "Ns" (Python floor division on
// floats, then "%d"/"%02d" truncation).
std::string format_eta(double eta) {
    char buf[64];
    if (eta > 3600) {
        std::snprintf(buf, sizeof(buf), "%lld:%02lld:%02lld", py_int(std::floor(eta / 3600)),
                      py_int(std::floor(std::fmod(eta, 3600) / 60)), py_int(std::fmod(eta, 60)));
    } else if (eta > 60) {
        std::snprintf(buf, sizeof(buf), "%lld:%02lld", py_int(std::floor(eta / 60)),
                      py_int(std::fmod(eta, 60)));
    } else {
        std::snprintf(buf, sizeof(buf), "%llds", py_int(eta));
    }
    return buf;
}

bool default_dynamic_display(const std::ostream* out) {
    if (out == &std::cout) return isatty(STDOUT_FILENO) != 0;
    if (out == &std::cerr || out == &std::clog) return isatty(STDERR_FILENO) != 0;
    return false;
}

}  // namespace

std::string progbar_format_time(double seconds, const std::string& unit_name) {
    // _format_time: whole seconds when >= 1 s (or exactly 0), else ms, else us; "%.0f" rounding.
    if (seconds >= 1 || seconds == 0) return printf_double(" %.0f", seconds) + "s/" + unit_name;
    if (seconds >= 1e-3) return printf_double(" %.0f", seconds * 1000.0) + "ms/" + unit_name;
    return printf_double(" %.0f", seconds * 1000000.0) + "us/" + unit_name;
}

std::string progbar_format_value(double value, bool abs_threshold) {
    // verbose=1 tests abs(avg) > 1e-3, verbose=2 tests avg > 1e-3; Python prints NaN as "nan".
    if (std::isnan(value)) return "nan";
    const bool fixed = abs_threshold ? std::fabs(value) > 1e-3 : value > 1e-3;
    return printf_double(fixed ? "%.4f" : "%.4e", value);
}

Progbar::Progbar(int64_t target,
                 int verbose,
                 std::ostream* out,
                 int width,
                 double interval,
                 std::string unit_name)
    : target_(target),
      verbose_(verbose),
      out_(out),
      width_(width),
      interval_(interval),
      unit_name_(std::move(unit_name)),
      clock_(steady_seconds) {
    if (target != -1 && target < 1) {
        throw Error("[Progbar] invalid target. Got target=" + std::to_string(target) +
                    ", expected a positive number of steps or -1 (unknown). Fix: pass the number "
                    "of batches per epoch, or -1 when it is not known.");
    }
    if (verbose < 0 || verbose > 2) {
        throw Error("[Progbar] invalid verbose. Got verbose=" + std::to_string(verbose) +
                    ", expected 0, 1 or 2. Fix: use 0 (silent), 1 (bar) or 2 (one line).");
    }
    if (verbose > 0 && out == nullptr) {
        throw Error(
            "[Progbar] no output stream. Got out=nullptr, expected a stream. Fix: pass "
            "&std::cout, or verbose=0 for no output.");
    }
    if (width < 1) {
        throw Error("[Progbar] invalid width. Got width=" + std::to_string(width) +
                    ", expected >= 1. Fix: use the Keras default 30.");
    }
    dynamic_display_ = default_dynamic_display(out);
    start_ = clock_();
    time_at_epoch_start_ = start_;
}

void Progbar::set_clock(std::function<double()> now_seconds) {
    clock_ = std::move(now_seconds);
    start_ = clock_();
    time_at_epoch_start_ = start_;
}

void Progbar::set_dynamic_display(bool on) { dynamic_display_ = on; }

void Progbar::write(const std::string& text) {
    out_->write(text.data(), static_cast<std::streamsize>(text.size()));
    out_->flush();
}

std::string Progbar::format_bar(int64_t current) const {
    if (target_ == -1) {
        char buf[64];
        std::snprintf(buf, sizeof(buf), "%7lld/Unknown", static_cast<long long>(current));
        return buf;
    }
    // "%{numdigits}d/%d [" then (prog_width - 1) '=', '>' while running or '=' when done, then
    // '.' up to `width`, then "]"; prog_width = int(width * current / target).
    std::string bar = format_count(current, target_) + " [";
    const double prog = static_cast<double>(current) / static_cast<double>(target_);
    const auto prog_width = static_cast<int64_t>(width_ * prog);
    if (prog_width > 0) {
        bar.append(static_cast<size_t>(prog_width - 1), '=');
        bar += current < target_ ? '>' : '=';
    }
    if (width_ > prog_width) bar.append(static_cast<size_t>(width_ - prog_width), '.');
    bar += ']';
    return bar;
}

std::string Progbar::format_values(bool abs_threshold) const {
    std::string info;
    for (size_t i = 0; i < values_order_.size(); ++i) {
        info += " - " + values_order_[i] + ": " + progbar_format_value(values_[i], abs_threshold);
    }
    return info;
}

double Progbar::estimate_step_duration(int64_t current, double now) {
    // _estimate_step_duration: once step 1 was seen, the first (slow) step is left out.
    if (current == 0) return 0.0;
    double time_per_unit;
    if (time_after_first_step_ && current > 1) {
        time_per_unit = (now - *time_after_first_step_) / static_cast<double>(current - 1);
    } else {
        time_per_unit = (now - start_) / static_cast<double>(current);
    }
    if (current == 1) time_after_first_step_ = now;
    return time_per_unit;
}

void Progbar::update(int64_t current,
                     const std::vector<std::pair<std::string, double>>& values,
                     std::optional<bool> finalize_opt) {
    const bool finalize = finalize_opt.value_or(target_ != -1 && current >= target_);
    if (finalize && target_ == -1 && current > 0) target_ = current;

    for (const auto& [name, value] : values) {
        size_t i = 0;
        while (i < values_order_.size() && values_order_[i] != name) ++i;
        if (i == values_order_.size()) {
            values_order_.push_back(name);
            values_.push_back(value);
        } else {
            values_[i] = value;
        }
    }
    seen_so_far_ = current;

    const double now = clock_();
    std::string info = printf_double(" - %.0fs", now - start_);
    if (current == target_) time_at_epoch_end_ = now;

    if (verbose_ == 1) {
        if (last_update_ && now - *last_update_ < interval_ && !finalize) return;

        const size_t prev_total_width = total_width_;
        std::string message;
        if (dynamic_display_) {
            message.append(prev_total_width, '\b');
            message += '\r';
        } else {
            message += '\n';
        }
        const std::string bar = format_bar(current);
        total_width_ = bar.size();
        message += bar;

        const double time_per_unit = estimate_step_duration(current, now);
        if (target_ == -1 || finalize) {
            info += progbar_format_time(time_per_unit, unit_name_);
        } else {
            info = " - ETA: " + format_eta(time_per_unit * static_cast<double>(target_ - current));
        }
        info += format_values(/*abs_threshold=*/true);

        // Pad with spaces so a shorter line fully covers the previous one.
        total_width_ += info.size();
        if (prev_total_width > total_width_) info.append(prev_total_width - total_width_, ' ');
        if (finalize) info += '\n';
        write(message + info);
    } else if (verbose_ == 2 && finalize) {
        std::string line = format_count(current, target_) + info;
        line += format_values(/*abs_threshold=*/false);
        if (time_at_epoch_end_) {
            const double time_per_epoch = *time_at_epoch_end_ - time_at_epoch_start_;
            const double avg_time_per_step = time_per_epoch / static_cast<double>(target_);
            time_at_epoch_start_ = now;
            time_at_epoch_end_.reset();
            line += " -" + progbar_format_time(time_per_epoch, "epoch");
            line += " -" + progbar_format_time(avg_time_per_step, unit_name_);
            line += '\n';
        }
        write(line);
    }
    last_update_ = now;
}

}  // namespace tfc
