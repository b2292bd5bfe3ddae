// Progbar: the Keras 2 text progress bar (tf.keras.utils.Progbar), byte for byte.
//
// verbose=1 draws "  7/10 [====================>.........] - ETA: 1s - loss: 0.1234" and redraws it
// on every update (at most once per `interval` seconds); the finalizing update prints
// " 10/10 [==============================] - 2s 200ms/step - loss: 0.1234" and a newline.
// verbose=2 prints one line when finalized: "10/10 - 2s - loss: 0.1234 - 2s/epoch - 200ms/step".
// verbose=0 prints nothing.
//
// Every value is displayed as given (Keras "stateful metrics"): the training loop passes epoch
// means that it already averaged. See docs/progbar.md.
#pragma once

#include <cstdint>
#include <functional>
#include <iostream>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tfc {

class Progbar {
  public:
    // target: number of steps (batches), or -1 if unknown. verbose: 0 silent, 1 bar, 2 one line
    // per finalized bar. out: where the text goes (not owned, must outlive the bar). width: bar
    // width in characters. interval: minimum seconds between two redraws in verbose 1.
    // unit_name: shown in "ms/step".
    explicit Progbar(int64_t target,
                     int verbose = 1,
                     std::ostream* out = &std::cout,
                     int width = 30,
                     double interval = 0.05,
                     std::string unit_name = "step");

    // current: number of steps done. values: (name, value) in display order; a name seen once
    // stays displayed with its last value. finalize: true for the last update of the bar (prints
    // the "done" form and a newline); when omitted it is `current >= target` (Keras' None).
    // Finalizing with an unknown target sets target = current, as Keras' ProgbarLogger does.
    void update(int64_t current,
                const std::vector<std::pair<std::string, double>>& values = {},
                std::optional<bool> finalize = std::nullopt);

    // Replaces the clock (seconds, any origin) and restarts the timer from its current reading.
    void set_clock(std::function<double()> now_seconds);

    // true: redraw in place with '\b' and '\r' (terminal); false: every redraw on a new line.
    // Defaults to isatty() of stdout / stderr when `out` is std::cout / std::cerr, else false.
    void set_dynamic_display(bool on);

    int64_t target() const { return target_; }

  private:
    std::string format_bar(int64_t current) const;
    std::string format_values(bool abs_threshold) const;
    double estimate_step_duration(int64_t current, double now);
    void write(const std::string& text);

    int64_t target_;
    int verbose_;
    std::ostream* out_;
    int width_;
    double interval_;
    std::string unit_name_;
    std::function<double()> clock_;
    bool dynamic_display_ = false;

    std::vector<std::string> values_order_;
    std::vector<double> values_;  // parallel to values_order_
    int64_t seen_so_far_ = 0;
    size_t total_width_ = 0;
    double start_ = 0.0;
    std::optional<double> last_update_;
    double time_at_epoch_start_ = 0.0;
    std::optional<double> time_at_epoch_end_;
    std::optional<double> time_after_first_step_;
};

// Keras' duration formatter: " 3s/epoch", " 25ms/step", " 310us/step" (leading space included).
std::string progbar_format_time(double seconds, const std::string& unit_name);

// Keras' value formatter: "%.4f" when |value| > 1e-3 (or value > 1e-3 without abs_threshold, as
// the verbose=2 line does), else "%.4e". NaN prints as "nan".
std::string progbar_format_value(double value, bool abs_threshold = true);

}  // namespace tfc
