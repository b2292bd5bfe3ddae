// ReduceLROnPlateau: multiplies the learning rate by `factor` when the monitored quantity has not
// improved for `patience` epochs, then pauses for `cooldown` epochs (keras/callbacks.py, Keras
// 2.15). Writes the learning rate of the finished epoch (before any reduction) to logs["lr"].
//   auto plateau = std::make_shared<ReduceLROnPlateau>(ReduceLROnPlateauOptions{
//       .monitor = "val_loss", .factor = 0.2, .patience = 5, .min_lr = 0.001});
//
// Per epoch with a monitored value: in cooldown, the cooldown counter drops by one and wait is
// reset. An improvement (current < best - min_delta, or > best + min_delta in "max" mode) resets
// wait; otherwise, outside cooldown, wait grows and at wait >= patience the rate becomes
// max(lr * factor, min_lr) if lr > min_lr, the cooldown starts and wait is reset.
#pragma once

#include <string>

#include "tfc/callbacks/callback.h"

namespace tfc {

struct ReduceLROnPlateauOptions {
    std::string monitor = "val_loss";
    double factor = 0.1;  // new_lr = lr * factor; must be < 1
    int patience = 10;
    int verbose = 0;
    // "auto": "max" when the monitor name contains "acc", else "min" (Keras 2.15's test).
    std::string mode = "auto";
    double min_delta = 1e-4;
    int cooldown = 0;
    double min_lr = 0.0;
};

class ReduceLROnPlateau : public Callback {
  public:
    explicit ReduceLROnPlateau(ReduceLROnPlateauOptions options = {});

    void on_train_begin(Logs& logs) override;
    void on_epoch_end(int epoch, Logs& logs) override;

    bool in_cooldown() const { return cooldown_counter_ > 0; }
    int wait() const { return wait_; }
    int cooldown_counter() const { return cooldown_counter_; }
    double best() const { return best_; }
    const ReduceLROnPlateauOptions& options() const { return options_; }

  private:
    void reset();
    bool is_improvement(double current) const;

    ReduceLROnPlateauOptions options_;
    bool max_mode_ = false;
    int wait_ = 0;
    int cooldown_counter_ = 0;
    double best_ = 0.0;
};

}  // namespace tfc
