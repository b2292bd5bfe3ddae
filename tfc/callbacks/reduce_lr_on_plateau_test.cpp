// ReduceLROnPlateau against keras/callbacks.py (Keras 2.15, ReduceLROnPlateau.on_epoch_end):
// the expected learning rates are derived step by step from that algorithm in the comments.
#include "tfc/callbacks/reduce_lr_on_plateau.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tfc/callbacks/callback_test_util.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

using testing::make_logs;
using testing::ScalarModel;

// Runs one epoch end per value; returns logs["lr"] of every epoch.
std::vector<double> run(ReduceLROnPlateau& cb,
                        ScalarModel& model,
                        const std::string& key,
                        const std::vector<double>& values) {
    cb.set_model(&model);
    Logs empty;
    cb.on_train_begin(empty);
    std::vector<double> lrs;
    for (int e = 0; e < static_cast<int>(values.size()); ++e) {
        Logs logs = make_logs({{"loss", 1.0}, {key, values[e]}});
        cb.on_epoch_end(e, logs);
        lrs.push_back(logs.get("lr").value());
    }
    return lrs;
}

void expect_lrs(const std::vector<double>& got, const std::vector<double>& want) {
    ASSERT_EQ(got.size(), want.size());
    for (std::size_t i = 0; i < got.size(); ++i) EXPECT_DOUBLE_EQ(got[i], want[i]) << "epoch " << i;
}

TEST(ReduceLROnPlateau, PatienceCooldownAndMinLr) {
    // lr=0.1, patience=2, factor=0.5, cooldown=1, min_lr=0.01; logs["lr"] is the lr before any
    // reduction at that epoch's end.
    // e0 1.0: best=1.0                      lr 0.1
    // e1 1.0: wait=1                        lr 0.1
    // e2 1.0: wait=2 -> lr 0.05, cd=1, w=0  lr 0.1
    // e3 1.0: cd->0, wait=0; not in cd -> wait=1            lr 0.05
    // e4 1.0: wait=2 -> lr 0.025, cd=1                      lr 0.05
    // e5 1.0: cd->0; wait=1                                 lr 0.025
    // e6 0.5: improves, best=0.5, wait=0                    lr 0.025
    // e7 0.5: wait=1                                        lr 0.025
    // e8 0.5: wait=2 -> lr 0.0125, cd=1                     lr 0.025
    // e9 0.5: cd->0; wait=1                                 lr 0.0125
    // e10 0.5: wait=2 -> max(0.00625, 0.01) = 0.01, cd=1    lr 0.0125
    // e11 0.5: cd->0; wait=1                                lr 0.01
    // e12 0.5: wait=2, 0.01 > 0.01 is false -> unchanged    lr 0.01
    // e13 0.5: wait=3, unchanged                            lr 0.01
    ScalarModel model(0.1);
    ReduceLROnPlateau cb({.factor = 0.5, .patience = 2, .cooldown = 1, .min_lr = 0.01});
    const auto lrs = run(cb, model, "val_loss",
                         {1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5});
    expect_lrs(lrs, {0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.025, 0.025, 0.0125, 0.0125, 0.01,
                     0.01, 0.01});
    EXPECT_DOUBLE_EQ(model.optimizer().learning_rate(), 0.01);
    EXPECT_EQ(cb.wait(), 3);
}

TEST(ReduceLROnPlateau, NoWaitDuringCooldown) {
    // lr=1, patience=1, cooldown=2, factor=0.5, constant loss.
    // e0: best=1                                   lr 1
    // e1: wait=1 -> lr 0.5, cd=2                   lr 1
    // e2: cd->1, wait=0; still in cooldown: skip   lr 0.5
    // e3: cd->0, wait=0; wait=1 -> lr 0.25, cd=2   lr 0.5
    // e4: cd->1; skip                              lr 0.25
    // e5: cd->0; wait=1 -> lr 0.125                lr 0.25
    ScalarModel model(1.0);
    ReduceLROnPlateau cb({.factor = 0.5, .patience = 1, .cooldown = 2});
    expect_lrs(run(cb, model, "val_loss", {1, 1, 1, 1, 1, 1}), {1, 1, 0.5, 0.5, 0.25, 0.25});
    EXPECT_DOUBLE_EQ(model.optimizer().learning_rate(), 0.125);
    EXPECT_TRUE(cb.in_cooldown());
}

TEST(ReduceLROnPlateau, MinDeltaAndMaxMode) {
    // "val_accuracy" contains "acc" -> max mode. An improvement needs current > best + 1e-4.
    // e0 0.5: best=0.5; e1 0.50005: not > 0.5001 -> wait=1 >= 1 -> lr 0.1 * 0.1 = 0.01.
    ScalarModel model(0.1);
    ReduceLROnPlateau cb({.monitor = "val_accuracy", .patience = 1});
    run(cb, model, "val_accuracy", {0.5, 0.50005});
    EXPECT_DOUBLE_EQ(model.optimizer().learning_rate(), 0.1 * 0.1);
    // Rising accuracy never reduces.
    ScalarModel model2(0.1);
    ReduceLROnPlateau rising({.monitor = "val_accuracy", .patience = 1});
    run(rising, model2, "val_accuracy", {0.5, 0.6, 0.7, 0.8});
    EXPECT_DOUBLE_EQ(model2.optimizer().learning_rate(), 0.1);
    // Keras 2.15 tests `"acc" in monitor` here (unlike EarlyStopping's suffix test).
    ScalarModel model3(0.1);
    ReduceLROnPlateau top5({.monitor = "val_acc_top5", .patience = 1});
    run(top5, model3, "val_acc_top5", {0.5, 0.6, 0.7});
    EXPECT_DOUBLE_EQ(model3.optimizer().learning_rate(), 0.1);
}

TEST(ReduceLROnPlateau, WarnsWhenMonitorIsMissingButLogsLr) {
    ScalarModel model(0.1);
    ReduceLROnPlateau cb({.patience = 0});
    cb.set_model(&model);
    Logs logs = make_logs({{"loss", 1.0}});
    ::testing::internal::CaptureStderr();
    cb.on_epoch_end(0, logs);
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("Learning rate reduction is conditioned on metric `val_loss` which is not "
                       "available. Available metrics are: loss,lr"),
              std::string::npos)
        << err;
    EXPECT_DOUBLE_EQ(logs.get("lr").value(), 0.1);
    EXPECT_DOUBLE_EQ(model.optimizer().learning_rate(), 0.1);
}

TEST(ReduceLROnPlateau, VerboseMessage) {
    ScalarModel model(0.1);
    ReduceLROnPlateau cb({.factor = 0.5, .patience = 1, .verbose = 1});
    ::testing::internal::CaptureStdout();
    run(cb, model, "val_loss", {1.0, 1.0});
    EXPECT_EQ(::testing::internal::GetCapturedStdout(),
              "\nEpoch 2: ReduceLROnPlateau reducing learning rate to 0.05.\n");
}

TEST(ReduceLROnPlateau, RejectsFactorAtLeastOne) {
    try {
        ReduceLROnPlateau cb({.factor = 1.0});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("does not support a factor >= 1.0. Got factor=1.0"),
                  std::string::npos)
            << e.what();
    }
    EXPECT_THROW(ReduceLROnPlateau({.factor = 2.0}), Error);
    EXPECT_THROW(ReduceLROnPlateau({.mode = "maximum"}), Error);
}

}  // namespace
}  // namespace tfc
