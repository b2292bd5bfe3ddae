// ModelCheckpoint against keras/callbacks.py (Keras 2.15, ModelCheckpoint): 1-based {epoch},
// log keys in the path, save_best_only with its mode rule, initial_value_threshold, batch-level
// save_freq with {batch}.
#include "tfc/io/model_io.h"
#include "tfc//callbacks/model_checkpoint.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "tfc/callbacks/callback_test_util.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

using testing::make_logs;
using testing::ScalarModel;
using testing::TempDir;

std::vector<std::string> files_in(const std::filesystem::path& dir) {
    std::vector<std::string> out;
    if (!std::filesystem::exists(dir)) return out;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
        out.push_back(entry.path().filename().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// One epoch per value: w = epoch index, then on_epoch_end with loss and `key`.
void run(ModelCheckpoint& cb,
         ScalarModel& model,
         const std::string& key,
         const std::vector<double>& values) {
    cb.set_model(&model);
    Logs empty;
    cb.on_train_begin(empty);
    for (int e = 0; e < static_cast<int>(values.size()); ++e) {
        Logs begin;
        cb.on_epoch_begin(e, begin);
        model.set_w(e);
        Logs logs = make_logs({{"loss", 1.0}, {key, values[e]}});
        cb.on_epoch_end(e, logs);
    }
    cb.on_train_end(empty);
}

TEST(ModelCheckpoint, FormatsOneBasedEpochAndLogValues) {
    TempDir dir("ckpt_names");
    ScalarModel model;
    // The folder "ckpt" does not exist yet: Keras creates it.
    ModelCheckpoint cb(dir.file("ckpt/w.{epoch:02d}-{val_loss:.2f}.h5"));
    run(cb, model, "val_loss", {0.5, 0.4, 0.6});
    EXPECT_EQ(files_in(dir.path() / "ckpt"),
              (std::vector<std::string>{"w.01-0.50.h5", "w.02-0.40.h5", "w.03-0.60.h5"}));
    EXPECT_EQ(cb.last_filepath(), dir.file("ckpt/w.03-0.60.h5"));
    // Every save holds that epoch's weights.
    ScalarModel loaded;
    tfc::load_weights(loaded, dir.file("ckpt/w.02-0.40.h5"));  // Keras weights .h5
    EXPECT_DOUBLE_EQ(loaded.w(), 1.0);
}

TEST(ModelCheckpoint, SaveBestOnlyInMinMode) {
    TempDir dir("ckpt_best");
    ScalarModel model;
    ModelCheckpoint numbered(dir.file("best.{epoch}.h5"), {.save_best_only = true});
    run(numbered, model, "val_loss", {0.5, 0.4, 0.6, 0.4, 0.3});
    // 0.6 and the tie 0.4 (< is strict) do not improve.
    EXPECT_EQ(files_in(dir.path()),
              (std::vector<std::string>{"best.1.h5", "best.2.h5", "best.5.h5"}));
    EXPECT_DOUBLE_EQ(numbered.best(), 0.3);

    // A fixed name keeps the best epoch's weights.
    ModelCheckpoint fixed(dir.file("best.h5"), {.save_best_only = true, .save_weights_only = true});
    run(fixed, model, "val_loss", {0.5, 0.4, 0.6, 0.45});
    ScalarModel loaded;
    tfc::load_weights(loaded, dir.file("best.h5"));
    EXPECT_DOUBLE_EQ(loaded.w(), 1.0);
}

TEST(ModelCheckpoint, AutoModeRule) {
    // Keras 2.15's ModelCheckpoint: max when the monitor contains "acc" (or starts with
    // "fmeasure"), so "val_accuracy" is maximised but "val_auc" is minimised.
    TempDir dir("ckpt_mode");
    ScalarModel model;
    ModelCheckpoint acc(dir.file("acc.{epoch}.h5"),
                        {.monitor = "val_accuracy", .save_best_only = true});
    run(acc, model, "val_accuracy", {0.5, 0.7, 0.6});
    ModelCheckpoint auc(dir.file("auc.{epoch}.h5"), {.monitor = "val_auc", .save_best_only = true});
    run(auc, model, "val_auc", {0.5, 0.7, 0.4});
    ModelCheckpoint auc_max(dir.file("aucmax.{epoch}.h5"),
                            {.monitor = "val_auc", .save_best_only = true, .mode = "max"});
    run(auc_max, model, "val_auc", {0.5, 0.7, 0.4});
    EXPECT_EQ(files_in(dir.path()),
              (std::vector<std::string>{"acc.1.h5", "acc.2.h5", "auc.1.h5", "auc.3.h5",
                                        "aucmax.1.h5", "aucmax.2.h5"}));
}

TEST(ModelCheckpoint, InitialValueThreshold) {
    TempDir dir("ckpt_threshold");
    ScalarModel model;
    ModelCheckpoint cb(dir.file("t.{epoch}.h5"),
                       {.save_best_only = true, .initial_value_threshold = 0.45});
    run(cb, model, "val_loss", {0.5, 0.4, 0.42});
    EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"t.2.h5"}));
}

TEST(ModelCheckpoint, WarnsAndSkipsWhenMonitorIsMissing) {
    TempDir dir("ckpt_missing");
    ScalarModel model;
    ModelCheckpoint cb(dir.file("m.h5"), {.save_best_only = true});
    ::testing::internal::CaptureStderr();
    run(cb, model, "accuracy", {0.5});
    const std::string err = ::testing::internal::GetCapturedStderr();
    EXPECT_NE(err.find("Can save best model only with val_loss available, skipping."),
              std::string::npos)
        << err;
    EXPECT_TRUE(files_in(dir.path()).empty());
}

TEST(ModelCheckpoint, MissingPathKeyIsAnError) {
    TempDir dir("ckpt_key");
    ScalarModel model;
    ModelCheckpoint cb(dir.file("w.{val_accuracy:.2f}.h5"));
    EXPECT_THROW(run(cb, model, "val_loss", {0.5}), Error);
}

TEST(ModelCheckpoint, SavesEveryNBatches) {
    // save_freq=2: batches seen since the last save, with the index restarting each epoch.
    // epoch 0 (1-based 1): b0 ->1, b1 ->2 save "1-2", b2 ->1, b3 ->2 save "1-4", b4 ->1
    // epoch 1: b0 (index went back: +1) ->2 save "2-1", b1 ->1, b2 ->2 save "2-3", b3, b4 save
    // "2-5"
    TempDir dir("ckpt_batches");
    ScalarModel model;
    ModelCheckpoint cb(dir.file("b.{epoch}-{batch}.h5"), {.save_freq = 2});
    cb.set_model(&model);
    Logs empty;
    cb.on_train_begin(empty);
    for (int e = 0; e < 2; ++e) {
        cb.on_epoch_begin(e, empty);
        for (std::int64_t b = 0; b < 5; ++b) {
            Logs logs = make_logs({{"loss", 0.5}});
            cb.on_train_batch_end(b, logs);
        }
        Logs logs = make_logs({{"loss", 0.5}, {"val_loss", 0.5}});
        cb.on_epoch_end(e, logs);
    }
    EXPECT_EQ(files_in(dir.path()), (std::vector<std::string>{"b.1-2.h5", "b.1-4.h5", "b.2-1.h5",
                                                              "b.2-3.h5", "b.2-5.h5"}));
}

TEST(ModelCheckpoint, VerboseMessages) {
    TempDir dir("ckpt_verbose");
    ScalarModel model;
    const std::string path = dir.file("v.h5");
    ModelCheckpoint cb(path, {.verbose = 1, .save_best_only = true});
    ::testing::internal::CaptureStdout();
    run(cb, model, "val_loss", {0.5, 0.6});
    EXPECT_EQ(::testing::internal::GetCapturedStdout(),
              "\nEpoch 1: val_loss improved from inf to 0.50000, saving model to " + path +
                  "\n\nEpoch 2: val_loss did not improve from 0.50000\n");
    ModelCheckpoint every(path, {.verbose = 1});
    ::testing::internal::CaptureStdout();
    run(every, model, "val_loss", {0.5});
    EXPECT_EQ(::testing::internal::GetCapturedStdout(),
              "\nEpoch 1: saving model to " + path + "\n");
}

TEST(ModelCheckpoint, RejectsBadOptions) {
    EXPECT_THROW(ModelCheckpoint("w.h5", {.save_freq = "batch"}), Error);
    EXPECT_THROW(ModelCheckpoint("w.h5", {.save_freq = 0}), Error);
    EXPECT_THROW(ModelCheckpoint("w.h5", {.mode = "best"}), Error);
    EXPECT_THROW(ModelCheckpoint(""), Error);
    TempDir dir("ckpt_dir");
    ScalarModel model;
    ModelCheckpoint cb(dir.path().string());  // an existing folder
    EXPECT_THROW(run(cb, model, "val_loss", {0.5}), Error);
}

}  // namespace
}  // namespace tfc
