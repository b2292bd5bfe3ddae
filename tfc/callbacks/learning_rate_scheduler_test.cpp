// LearningRateScheduler against keras/callbacks.py (Keras 2.15, LearningRateScheduler).
#include "tfc/callbacks/learning_rate_scheduler.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "tfc/callbacks/callback_test_util.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

using testing::ScalarModel;

// Epoch begin / end for `epochs` epochs; returns logs["lr"] per epoch.
std::vector<double> run(LearningRateScheduler& cb, ScalarModel& model, int epochs) {
    cb.set_model(&model);
    std::vector<double> lrs;
    for (int e = 0; e < epochs; ++e) {
        Logs begin;
        cb.on_epoch_begin(e, begin);
        Logs end;
        end.set("loss", 1.0);
        cb.on_epoch_end(e, end);
        lrs.push_back(end.get("lr").value());
    }
    return lrs;
}

TEST(LearningRateScheduler, KerasDocstringExample) {
    // The docstring example: keep lr for epochs < 10, then lr * exp(-0.1); SGD's lr 0.01 becomes
    // round(lr, 5) == 0.00607 after 15 epochs (0.01 * exp(-0.5)).
    ScalarModel model(0.01);
    LearningRateScheduler cb(
        [](int epoch, double lr) { return epoch < 10 ? lr : lr * std::exp(-0.1); });
    const auto lrs = run(cb, model, 15);
    EXPECT_NEAR(model.optimizer().learning_rate(), 0.00607, 5e-6);
    for (int e = 0; e < 10; ++e) EXPECT_DOUBLE_EQ(lrs[e], 0.01) << e;
    EXPECT_DOUBLE_EQ(lrs[10], 0.01 * std::exp(-0.1));
    EXPECT_DOUBLE_EQ(lrs[14], model.optimizer().learning_rate());
}

TEST(LearningRateScheduler, EpochIsZeroBasedAndLrIsLoggedAtEpochEnd) {
    // The course's sweep: lambda epoch: 1e-8 * 10**(epoch / 20), the one-argument form.
    ScalarModel model(0.5);
    std::vector<int> seen;
    LearningRateScheduler cb([&](int epoch) {
        seen.push_back(epoch);
        return 1e-8 * std::pow(10.0, epoch / 20.0);
    });
    const auto lrs = run(cb, model, 41);
    EXPECT_EQ(seen.front(), 0);
    EXPECT_EQ(seen.back(), 40);
    EXPECT_DOUBLE_EQ(lrs[0], 1e-8);
    EXPECT_DOUBLE_EQ(lrs[20], 1e-7);
    EXPECT_DOUBLE_EQ(lrs[40], 1e-6);
}

TEST(LearningRateScheduler, ReceivesTheCurrentRate) {
    ScalarModel model(1.0);
    std::vector<double> given;
    LearningRateScheduler cb([&](int, double lr) {
        given.push_back(lr);
        return lr / 2;
    });
    run(cb, model, 3);
    EXPECT_EQ(given, (std::vector<double>{1.0, 0.5, 0.25}));
}

TEST(LearningRateScheduler, VerboseMessage) {
    ScalarModel model(1.0);
    LearningRateScheduler cb([](int epoch, double lr) { return 0.001; }, 1);
    ::testing::internal::CaptureStdout();
    run(cb, model, 1);
    EXPECT_EQ(::testing::internal::GetCapturedStdout(),
              "\nEpoch 1: LearningRateScheduler setting learning rate to 0.001.\n");
}

TEST(LearningRateScheduler, RejectsNonFiniteRatesAndEmptySchedules) {
    ScalarModel model(1.0);
    LearningRateScheduler nan_schedule(
        [](int, double) { return std::numeric_limits<double>::quiet_NaN(); });
    nan_schedule.set_model(&model);
    Logs logs;
    try {
        nan_schedule.on_epoch_begin(3, logs);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("non-finite learning rate at epoch 3. Got nan"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_DOUBLE_EQ(model.optimizer().learning_rate(), 1.0);
    LearningRateScheduler inf_schedule([](int) { return std::numeric_limits<double>::infinity(); });
    inf_schedule.set_model(&model);
    EXPECT_THROW(inf_schedule.on_epoch_begin(0, logs), Error);
    EXPECT_THROW(LearningRateScheduler(LearningRateScheduler::Schedule()), Error);
    EXPECT_THROW(LearningRateScheduler(LearningRateScheduler::EpochSchedule()), Error);
}

}  // namespace
}  // namespace tfc
