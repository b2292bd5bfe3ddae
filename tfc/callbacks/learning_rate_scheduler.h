// LearningRateScheduler: sets the optimizer's learning rate at the start of every epoch from
// schedule(epoch, lr), with the 0-based epoch and the current rate, and records the rate as
// logs["lr"] at the end of the epoch (the Keras 2 key; Keras 3 writes "learning_rate")
// (keras/callbacks.py, Keras 2.15).
//   // The course's learning-rate sweep: lambda epoch: 1e-8 * 10**(epoch / 20)
//   auto sweep = std::make_shared<LearningRateScheduler>(
//       [](int epoch) { return 1e-8 * std::pow(10.0, epoch / 20.0); });
#pragma once

#include <functional>

#include "tfc/callbacks/callback.h"

namespace tfc {

class LearningRateScheduler : public Callback {
  public:
    using Schedule = std::function<double(int epoch, double lr)>;
    // Keras's older one-argument form, schedule(epoch).
    using EpochSchedule = std::function<double(int epoch)>;

    // verbose 1 prints "Epoch N: LearningRateScheduler setting learning rate to LR." per epoch.
    explicit LearningRateScheduler(Schedule schedule, int verbose = 0);
    explicit LearningRateScheduler(EpochSchedule schedule, int verbose = 0);

    void on_epoch_begin(int epoch, Logs& logs) override;
    void on_epoch_end(int epoch, Logs& logs) override;

  private:
    Schedule schedule_;
    int verbose_ = 0;
};

}  // namespace tfc
