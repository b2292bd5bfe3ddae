// EarlyStopping: stops training when a monitored quantity stops improving (keras/callbacks.py,
// Keras 2.15).
//   auto es = std::make_shared<EarlyStopping>(EarlyStoppingOptions{
//       .monitor = "val_loss", .patience = 3, .restore_best_weights = true});
//
// An epoch improves when `current - min_delta` beats `best` (min_delta is made positive for
// "max" and negative for "min"). `wait` counts epochs since the last improvement and training
// stops at the first epoch > 0 where wait >= patience. With a baseline, an improvement over the
// best that does not also beat the baseline does not reset `wait`. As in TF 2.x (not Keras 3),
// the best weights are restored only when the stop actually triggers.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "tfc/callbacks/callback.h"
#include "tfc/core/tensor.h"

namespace tfc {

struct EarlyStoppingOptions {
    std::string monitor = "val_loss";
    double min_delta = 0.0;  // its absolute value is used
    int patience = 0;
    int verbose = 0;  // 1: prints when stopping and restoring
    // "auto": "max" when monitor ends with "acc", "accuracy" or "auc", else "min".
    std::string mode = "auto";
    std::optional<double> baseline{};
    bool restore_best_weights = false;
    int start_from_epoch = 0;  // epochs before this one are not monitored
};

class EarlyStopping : public Callback {
  public:
    explicit EarlyStopping(EarlyStoppingOptions options = {});

    void on_train_begin(Logs& logs) override;
    void on_epoch_end(int epoch, Logs& logs) override;
    void on_train_end(Logs& logs) override;

    // 0-based epoch at which training was stopped; 0 when it was not.
    int stopped_epoch() const { return stopped_epoch_; }
    int wait() const { return wait_; }
    double best() const { return best_; }
    int best_epoch() const { return best_epoch_; }
    bool monitors_max() const { return max_mode_; }
    const EarlyStoppingOptions& options() const { return options_; }

  private:
    void reset();
    bool is_improvement(double value, double reference) const;

    EarlyStoppingOptions options_;
    bool max_mode_ = false;
    double min_delta_ = 0.0;  // signed: + for max, - for min
    int wait_ = 0;
    int stopped_epoch_ = 0;
    double best_ = 0.0;
    int best_epoch_ = 0;
    std::vector<Tensor> best_weights_;
    bool has_best_weights_ = false;
};

}  // namespace tfc
