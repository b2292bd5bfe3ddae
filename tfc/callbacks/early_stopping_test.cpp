// EarlyStopping against the algorithm of keras/callbacks.py (Keras 2.15, EarlyStopping): every
// expected epoch below is derived step by step from that on_epoch_end.
#include "tfc/callbacks/early_stopping.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <vector>

#include "tfc/callbacks/callback_test_util.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

using testing::make_logs;
using testing::ScalarModel;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// What fit() does: train begin, then per epoch the weight w becomes the epoch index ("the state
// after training epoch e") and the epoch ends with `key` = values[e]; stops when stop_training
// is set. Returns the number of epochs run (len(history.history[key]) in Keras).
int run(EarlyStopping& es,
        ScalarModel& model,
        const std::string& key,
        const std::vector<double>& values) {
    es.set_model(&model);
    model.stop_training = false;
    Logs empty;
    es.on_train_begin(empty);
    int epochs = 0;
    for (int e = 0; e < static_cast<int>(values.size()); ++e) {
        Logs begin;
        es.on_epoch_begin(e, begin);
        model.set_w(e);
        Logs logs = make_logs({{"loss", 1.0}, {key, values[e]}});
        es.on_epoch_end(e, logs);
        ++epochs;
        if (model.stop_training) break;
    }
    es.on_train_end(empty);
    return epochs;
}

TEST(EarlyStopping, StopsWhenWaitReachesPatience) {
    // patience=2, min mode. best=inf, wait=0.
    // e0 1.0: wait=1, improves -> best=1.0, wait=0
    // e1 0.8: wait=1, improves -> best=0.8, wait=0
    // e2 0.9: wait=1, no improvement, 1 < 2
    // e3 0.85: wait=2, no improvement, 2 >= 2 and e3 > 0 -> stop at epoch 3 (4 epochs run)
    ScalarModel model;
    EarlyStopping es({.patience = 2});
    EXPECT_EQ(run(es, model, "val_loss", {1.0, 0.8, 0.9, 0.85, 0.1, 0.1}), 4);
    EXPECT_EQ(es.stopped_epoch(), 3);
    EXPECT_TRUE(model.stop_training);
    EXPECT_EQ(es.wait(), 2);
    EXPECT_DOUBLE_EQ(es.best(), 0.8);
    EXPECT_EQ(es.best_epoch(), 1);
}

TEST(EarlyStopping, PatienceZeroStopsAtFirstNonImprovement) {
    // e0 1.0: improves; e1 1.0: wait=1 >= 0 (1.0 < 1.0 is false) -> stop at epoch 1.
    ScalarModel model;
    EarlyStopping es;
    EXPECT_EQ(run(es, model, "val_loss", {1.0, 1.0, 0.5}), 2);
    EXPECT_EQ(es.stopped_epoch(), 1);
}

TEST(EarlyStopping, NeverStopsAtEpochZero) {
    // e0 nan: wait=1, nan < inf is false, wait >= 0 but epoch 0 is never checked.
    // e1 nan: wait=2 -> stop at epoch 1.
    ScalarModel model;
    EarlyStopping es;
    EXPECT_EQ(run(es, model, "val_loss", {kNaN, kNaN, kNaN}), 2);
    EXPECT_EQ(es.stopped_epoch(), 1);
}

TEST(EarlyStopping, KeepsTrainingWhileImproving) {
    ScalarModel model;
    EarlyStopping es({.patience = 1});
    EXPECT_EQ(run(es, model, "val_loss", {5, 4, 3, 2, 1}), 5);
    EXPECT_EQ(es.stopped_epoch(), 0);
    EXPECT_FALSE(model.stop_training);
}

TEST(EarlyStopping, MinDeltaInMinMode) {
    // min mode, min_delta=0.1 (sign ignored: -0.1 gives the same), patience=1.
    // e0 1.0: 1.0 + 0.1 < inf -> best=1.0, wait=0
    // e1 0.95: 0.95 + 0.1 = 1.05 < 1.0 is false -> wait=1 >= 1 -> stop at epoch 1
    for (double delta : {0.1, -0.1}) {
        ScalarModel model;
        EarlyStopping es({.min_delta = delta, .patience = 1});
        EXPECT_EQ(run(es, model, "val_loss", {1.0, 0.95, 0.5}), 2);
        EXPECT_EQ(es.stopped_epoch(), 1);
    }
    // Without min_delta, 0.95 improves and training goes on.
    ScalarModel model;
    EarlyStopping es({.patience = 1});
    EXPECT_EQ(run(es, model, "val_loss", {1.0, 0.95, 0.5}), 3);
}

TEST(EarlyStopping, MinDeltaInMaxModeForAccuracy) {
    // "val_accuracy" in auto mode -> max; min_delta=0.05, patience=2.
    // e0 0.50: 0.45 > -inf -> best=0.50, wait=0
    // e1 0.54: 0.49 > 0.50 false -> wait=1 < 2
    // e2 0.56: 0.51 > 0.50 -> best=0.56, wait=0
    // e3 0.58: 0.53 > 0.56 false -> wait=1
    // e4 0.60: 0.55 > 0.56 false -> wait=2 >= 2 -> stop at epoch 4
    ScalarModel model;
    EarlyStopping es({.monitor = "val_accuracy", .min_delta = 0.05, .patience = 2});
    EXPECT_TRUE(es.monitors_max());
    EXPECT_EQ(run(es, model, "val_accuracy", {0.50, 0.54, 0.56, 0.58, 0.60, 0.9}), 5);
    EXPECT_EQ(es.stopped_epoch(), 4);
    EXPECT_DOUBLE_EQ(es.best(), 0.56);
}

TEST(EarlyStopping, AutoModeUsesTheSuffix) {
    // Keras 2.15: max when the monitor ends with "acc", "accuracy" or "auc".
    for (const char* m : {"acc", "val_acc", "accuracy", "val_accuracy", "auc", "val_auc"}) {
        EXPECT_TRUE(EarlyStopping({.monitor = m}).monitors_max()) << m;
    }
    for (const char* m : {"loss", "val_loss", "val_acc_top5", "mae", "val_accuracy_loss"}) {
        EXPECT_FALSE(EarlyStopping({.monitor = m}).monitors_max()) << m;
    }
    EXPECT_TRUE(EarlyStopping({.monitor = "val_loss", .mode = "max"}).monitors_max());
    EXPECT_FALSE(EarlyStopping({.monitor = "accuracy", .mode = "min"}).monitors_max());
}

TEST(EarlyStopping, BaselineNotBeatenKeepsWaitGrowing) {
    // baseline=0.5, patience=2, min mode.
    // e0 0.9: wait=1, improves (best=0.9) but 0.9 < 0.5 is false -> wait stays 1
    // e1 0.8: wait=2, improves (best=0.8), baseline not beaten -> wait stays 2 (no stop check
    //         on an improving epoch)
    // e2 0.85: wait=3, no improvement, 3 >= 2 -> stop at epoch 2
    ScalarModel model;
    EarlyStopping es({.patience = 2, .baseline = 0.5});
    EXPECT_EQ(run(es, model, "val_loss", {0.9, 0.8, 0.85, 0.1}), 3);
    EXPECT_EQ(es.stopped_epoch(), 2);
    // Without a baseline: wait is 0, 0, 1 -> no stop.
    ScalarModel model2;
    EarlyStopping plain({.patience = 2});
    EXPECT_EQ(run(plain, model2, "val_loss", {0.9, 0.8, 0.85, 0.1}), 4);
}

TEST(EarlyStopping, BaselineBeatenResetsWait) {
    // baseline=0.5, patience=2.
    // e0 0.9: wait=1, improves, baseline not beaten -> wait 1
    // e1 0.4: wait=2, improves, 0.4 < 0.5 -> wait=0
    // e2 0.45: wait=1 < 2
    // e3 0.47: wait=2 >= 2 -> stop at epoch 3
    ScalarModel model;
    EarlyStopping es({.patience = 2, .baseline = 0.5});
    EXPECT_EQ(run(es, model, "val_loss", {0.9, 0.4, 0.45, 0.47, 0.1}), 4);
    EXPECT_EQ(es.stopped_epoch(), 3);
}

TEST(EarlyStopping, StartFromEpochSkipsWarmUp) {
    // start_from_epoch=2, patience=0: e0, e1 ignored.
    // e2 3: wait=1, improves over inf -> wait=0; e3 4: wait=1 >= 0 -> stop at epoch 3.
    ScalarModel model;
    EarlyStopping es({.patience = 0, .start_from_epoch = 2});
    EXPECT_EQ(run(es, model, "val_loss", {5, 1, 3, 4, 0}), 4);
    EXPECT_EQ(es.stopped_epoch(), 3);
    // Without warm-up: e0 5, e1 1 improve; e2 3 does not -> stop at epoch 2.
    ScalarModel model2;
    EarlyStopping plain({.patience = 0});
    EXPECT_EQ(run(plain, model2, "val_loss", {5, 1, 3, 4, 0}), 3);
}

TEST(EarlyStopping, RestoresBestWeightsWhenStopping) {
    // patience=2. w = epoch index. e0 1.0 best (w=0), e1 0.5 best (w=1), e2 0.7 wait=1,
    // e3 0.8 wait=2 -> stop at epoch 3 and restore w from epoch 1.
    ScalarModel model;
    EarlyStopping es({.patience = 2, .restore_best_weights = true});
    EXPECT_EQ(run(es, model, "val_loss", {1.0, 0.5, 0.7, 0.8, 0.1}), 4);
    EXPECT_EQ(es.stopped_epoch(), 3);
    EXPECT_DOUBLE_EQ(model.w(), 1.0);
}

TEST(EarlyStopping, DoesNotRestoreWhenTrainingEndsWithoutStop) {
    // TF 2.x restores only inside the stopping epoch; Keras 3 would restore at train end.
    ScalarModel model;
    EarlyStopping es({.patience = 5, .restore_best_weights = true});
    EXPECT_EQ(run(es, model, "val_loss", {1.0, 0.5, 0.7, 0.8}), 4);
    EXPECT_EQ(es.stopped_epoch(), 0);
    EXPECT_DOUBLE_EQ(model.w(), 3.0);
}

TEST(EarlyStopping, RestoresFirstEpochWhenNothingImproves) {
    // e0 nan: the first monitored epoch's weights (w=0) are kept; no improvement (nan < inf is
    // false), wait=1, epoch 0 not checked. e1 nan: wait=2 >= 1 -> stop, restore w=0.
    ScalarModel model;
    EarlyStopping es({.patience = 1, .restore_best_weights = true});
    EXPECT_EQ(run(es, model, "val_loss", {kNaN, kNaN, kNaN}), 2);
    EXPECT_DOUBLE_EQ(model.w(), 0.0);
}

TEST(EarlyStopping, WarnsWhenMonitorIsMissing) {
    ScalarModel model;
    EarlyStopping es({.patience = 0});
    es.set_model(&model);
    Logs empty;
    es.on_train_begin(empty);
    for (int e = 0; e < 3; ++e) {
        Logs logs = make_logs({{"loss", 1.0}, {"accuracy", 0.5}});
        ::testing::internal::CaptureStderr();
        es.on_epoch_end(e, logs);
        const std::string err = ::testing::internal::GetCapturedStderr();
        EXPECT_NE(err.find("Early stopping conditioned on metric `val_loss` which is not "
                           "available. Available metrics are: loss,accuracy"),
                  std::string::npos)
            << err;
    }
    EXPECT_FALSE(model.stop_training);
    EXPECT_EQ(es.wait(), 0);
}

TEST(EarlyStopping, VerboseMessages) {
    ScalarModel model;
    EarlyStopping es({.patience = 1, .verbose = 1, .restore_best_weights = true});
    ::testing::internal::CaptureStdout();
    run(es, model, "val_loss", {1.0, 0.5, 0.7, 0.1});
    const std::string out = ::testing::internal::GetCapturedStdout();
    EXPECT_EQ(out,
              "Restoring model weights from the end of the best epoch: 2.\n"
              "Epoch 3: early stopping\n");
}

TEST(EarlyStopping, InstanceIsReusable) {
    ScalarModel model;
    EarlyStopping es;
    EXPECT_EQ(run(es, model, "val_loss", {1.0, 2.0}), 2);
    EXPECT_EQ(es.stopped_epoch(), 1);
    // on_train_begin resets best, wait and stopped_epoch.
    EXPECT_EQ(run(es, model, "val_loss", {3.0, 2.0, 1.0}), 3);
    EXPECT_EQ(es.stopped_epoch(), 0);
}

TEST(EarlyStopping, RejectsBadOptions) {
    EXPECT_THROW(EarlyStopping({.mode = "minimum"}), Error);
    EXPECT_THROW(EarlyStopping({.patience = -1}), Error);
    try {
        EarlyStopping({.mode = "mx"});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("[EarlyStopping] Unknown mode. Got mode=\"mx\""),
                  std::string::npos)
            << e.what();
    }
}

TEST(EarlyStopping, NeedsAModel) {
    EarlyStopping es;
    Logs logs = make_logs({{"val_loss", 1.0}});
    EXPECT_THROW(es.on_epoch_end(0, logs), Error);
}

}  // namespace
}  // namespace tfc
