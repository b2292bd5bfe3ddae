#include "tfc/callbacks/early_stopping.h"

#include <cmath>
#include <iostream>
#include <limits>
#include <utility>

#include "tfc/callbacks/callback_impl.h"
#include "tfc/core/error.h"
#include "tfc/training/model.h"

namespace tfc {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() &&
           s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

EarlyStopping::EarlyStopping(EarlyStoppingOptions options) : options_(std::move(options)) {
    const std::string where = "EarlyStopping";
    detail::check_mode(options_.mode, where);
    TFC_CHECK(options_.patience >= 0, where, "patience must not be negative",
              "patience=" + std::to_string(options_.patience), "an integer >= 0",
              "pass the number of epochs without improvement to wait for");
    TFC_CHECK(std::isfinite(options_.min_delta), where, "min_delta must be finite",
              "min_delta=" + std::to_string(options_.min_delta), "a finite number",
              "pass e.g. .min_delta = 1e-3");
    if (options_.mode == "auto") {
        // Keras 2.15 checks the suffix here ("val_acc", "accuracy", "val_auc").
        const std::string& m = options_.monitor;
        max_mode_ = ends_with(m, "acc") || ends_with(m, "accuracy") || ends_with(m, "auc");
    } else {
        max_mode_ = options_.mode == "max";
    }
    min_delta_ = max_mode_ ? std::abs(options_.min_delta) : -std::abs(options_.min_delta);
    reset();
}

bool EarlyStopping::is_improvement(double value, double reference) const {
    return max_mode_ ? (value - min_delta_ > reference) : (value - min_delta_ < reference);
}

// Called on every train begin, so that one instance can be reused across fit() calls (Keras).
void EarlyStopping::on_train_begin(Logs& logs) { reset(); }

void EarlyStopping::reset() {
    wait_ = 0;
    stopped_epoch_ = 0;
    best_ = max_mode_ ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity();
    best_weights_.clear();
    has_best_weights_ = false;
    best_epoch_ = 0;
}

void EarlyStopping::on_epoch_end(int epoch, Logs& logs) {
    const std::optional<double> current = logs.get(options_.monitor);
    if (!current) {
        detail::warn(
            "Early stopping conditioned on metric `" + options_.monitor +
            "` which is not available. Available metrics are: " + detail::joined_keys(logs));
        return;
    }
    if (epoch < options_.start_from_epoch) return;  // warm-up: not monitored

    Model& model = detail::attached_model(*this, "EarlyStopping");
    if (options_.restore_best_weights && !has_best_weights_) {
        // If no epoch ever improves, the first monitored epoch's weights are the ones restored.
        best_weights_ = model.get_weights();
        has_best_weights_ = true;
    }

    ++wait_;
    if (is_improvement(*current, best_)) {
        best_ = *current;
        best_epoch_ = epoch;
        if (options_.restore_best_weights) best_weights_ = model.get_weights();
        // Reset the counter only when the value beats both the previous best and the baseline.
        if (!options_.baseline || is_improvement(*current, *options_.baseline)) wait_ = 0;
        return;
    }

    // Only checked after the first epoch.
    if (wait_ >= options_.patience && epoch > 0) {
        stopped_epoch_ = epoch;
        model.stop_training = true;
        if (options_.restore_best_weights && has_best_weights_) {
            if (options_.verbose > 0) {
                std::cout << "Restoring model weights from the end of the best epoch: "
                          << best_epoch_ + 1 << "." << std::endl;
            }
            model.set_weights(best_weights_);
        }
    }
}

void EarlyStopping::on_train_end(Logs& logs) {
    if (stopped_epoch_ > 0 && options_.verbose > 0) {
        std::cout << "Epoch " << stopped_epoch_ + 1 << ": early stopping" << std::endl;
    }
}

}  // namespace tfc
