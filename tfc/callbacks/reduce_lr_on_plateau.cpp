#include "tfc/callbacks/reduce_lr_on_plateau.h"

#include <algorithm>
#include <cmath>
#include <iostream>
#include <limits>
#include <utility>

#include "tfc/callbacks/callback_impl.h"
#include "tfc/callbacks/python_format.h"
#include "tfc/core/error.h"
#include "tfc/training/model.h"

namespace tfc {
namespace {

const char* const kWhere = "ReduceLROnPlateau";

}  // namespace

ReduceLROnPlateau::ReduceLROnPlateau(ReduceLROnPlateauOptions options)
    : options_(std::move(options)) {
    TFC_CHECK(options_.factor < 1.0, kWhere, "ReduceLROnPlateau does not support a factor >= 1.0",
              "factor=" + python_repr(options_.factor), "a factor < 1.0",
              "pass e.g. .factor = 0.1 (the new rate is lr * factor)");
    TFC_CHECK(options_.factor >= 0.0 && std::isfinite(options_.min_lr) && options_.min_lr >= 0.0,
              kWhere, "factor and min_lr must not be negative",
              "factor=" + python_repr(options_.factor) + ", min_lr=" + python_repr(options_.min_lr),
              "0 <= factor < 1 and min_lr >= 0", "pass e.g. .factor = 0.5, .min_lr = 1e-6");
    detail::check_mode(options_.mode, kWhere);
    max_mode_ = options_.mode == "max" ||
                (options_.mode == "auto" && options_.monitor.find("acc") != std::string::npos);
    reset();
}

void ReduceLROnPlateau::reset() {
    best_ = max_mode_ ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    cooldown_counter_ = 0;
    wait_ = 0;
}

bool ReduceLROnPlateau::is_improvement(double current) const {
    return max_mode_ ? current > best_ + options_.min_delta : current < best_ - options_.min_delta;
}

void ReduceLROnPlateau::on_train_begin(Logs& logs) { reset(); }

void ReduceLROnPlateau::on_epoch_end(int epoch, Logs& logs) {
    Optimizer& optimizer = detail::attached_model(*this, kWhere).optimizer();
    logs.set("lr", optimizer.learning_rate());
    const std::optional<double> current = logs.get(options_.monitor);
    if (!current) {
        detail::warn(
            "Learning rate reduction is conditioned on metric `" + options_.monitor +
            "` which is not available. Available metrics are: " + detail::joined_keys(logs));
        return;
    }
    if (in_cooldown()) {
        --cooldown_counter_;
        wait_ = 0;
    }
    if (is_improvement(*current)) {
        best_ = *current;
        wait_ = 0;
        return;
    }
    if (in_cooldown()) return;
    ++wait_;
    if (wait_ < options_.patience) return;
    const double old_lr = optimizer.learning_rate();
    // Keras compares its float32 variable with float32(min_lr); our rate is a double, so the
    // comparison is done in double (once clamped to min_lr, the rate is never reduced again).
    if (old_lr > options_.min_lr) {
        const double new_lr = std::max(old_lr * options_.factor, options_.min_lr);
        optimizer.set_learning_rate(new_lr);
        if (options_.verbose > 0) {
            std::cout << "\nEpoch " << epoch + 1 << ": ReduceLROnPlateau reducing learning rate to "
                      << python_repr(new_lr) << "." << std::endl;
        }
        cooldown_counter_ = options_.cooldown;
        wait_ = 0;
    }
}

}  // namespace tfc
