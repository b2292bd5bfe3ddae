#include "tfc/callbacks/learning_rate_scheduler.h"

#include <cmath>
#include <iostream>
#include <string>
#include <utility>

#include "tfc/callbacks/callback_impl.h"
#include "tfc/callbacks/python_format.h"
#include "tfc/core/error.h"
#include "tfc/training/model.h"

namespace tfc {
namespace {

const char* const kWhere = "LearningRateScheduler";

}  // namespace

LearningRateScheduler::LearningRateScheduler(Schedule schedule, int verbose)
    : schedule_(std::move(schedule)), verbose_(verbose) {
    TFC_CHECK(static_cast<bool>(schedule_), kWhere, "The schedule is empty", "an empty function",
              "a function (int epoch, double lr) -> double",
              "pass a lambda such as [](int epoch, double lr) { return lr * 0.9; }");
}

LearningRateScheduler::LearningRateScheduler(EpochSchedule schedule, int verbose)
    : verbose_(verbose) {
    TFC_CHECK(static_cast<bool>(schedule), kWhere, "The schedule is empty", "an empty function",
              "a function (int epoch) -> double",
              "pass a lambda such as [](int epoch) { return 1e-3 * std::pow(0.9, epoch); }");
    schedule_ = [s = std::move(schedule)](int epoch, double) { return s(epoch); };
}

void LearningRateScheduler::on_epoch_begin(int epoch, Logs& logs) {
    Optimizer& optimizer = detail::attached_model(*this, kWhere).optimizer();
    const double lr = schedule_(epoch, optimizer.learning_rate());
    TFC_CHECK(std::isfinite(lr), kWhere,
              "The schedule returned a non-finite learning rate at epoch " + std::to_string(epoch),
              python_repr(lr), "a finite float",
              "check the schedule for overflow or a division by zero");
    optimizer.set_learning_rate(lr);
    if (verbose_ > 0) {
        std::cout << "\nEpoch " << epoch + 1 << ": LearningRateScheduler setting learning rate to "
                  << python_repr(lr) << "." << std::endl;
    }
}

void LearningRateScheduler::on_epoch_end(int epoch, Logs& logs) {
    logs.set("lr", detail::attached_model(*this, kWhere).optimizer().learning_rate());
}

}  // namespace tfc
