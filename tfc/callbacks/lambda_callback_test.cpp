// LambdaCallback against keras/callbacks.py (Keras 2.15, LambdaCallback).
#include "tfc/callbacks/lambda_callback.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tfc/callbacks/callback_test_util.h"

namespace tfc {
namespace {

using testing::make_logs;
using testing::ScalarModel;

TEST(LambdaCallback, CourseStopAtAccuracyIdiom) {
    ScalarModel model;
    // The course's "stop training when accuracy > 0.9" callback, in one line.
    LambdaCallback cb({.on_epoch_end = [&](int e, Logs& logs) {
        if (logs.get("accuracy") > 0.9) model.stop_training = true;
    }});
    cb.set_model(&model);
    Logs low = make_logs({{"loss", 0.5}, {"accuracy", 0.85}});
    cb.on_epoch_end(0, low);
    EXPECT_FALSE(model.stop_training);
    Logs missing = make_logs({{"loss", 0.5}});
    cb.on_epoch_end(1, missing);  // no "accuracy": the comparison is false
    EXPECT_FALSE(model.stop_training);
    Logs high = make_logs({{"loss", 0.1}, {"accuracy", 0.95}});
    cb.on_epoch_end(2, high);
    EXPECT_TRUE(model.stop_training);
}

TEST(LambdaCallback, CallsEachHookWithItsArguments) {
    std::vector<std::string> calls;
    LambdaCallback cb({
        .on_epoch_begin = [&](int e,
                              Logs&) { calls.push_back("epoch_begin " + std::to_string(e)); },
        .on_epoch_end =
            [&](int e, Logs& logs) {
                calls.push_back("epoch_end " + std::to_string(e));
                logs.set("extra", 1.0);  // logs are writable, as Keras's dict
            },
        .on_batch_begin = [&](std::int64_t b,
                              Logs&) { calls.push_back("batch_begin " + std::to_string(b)); },
        .on_batch_end = [&](std::int64_t b,
                            Logs&) { calls.push_back("batch_end " + std::to_string(b)); },
        .on_train_begin = [&](Logs&) { calls.push_back("train_begin"); },
        .on_train_end = [&](Logs&) { calls.push_back("train_end"); },
    });
    Logs logs;
    cb.on_train_begin(logs);
    cb.on_epoch_begin(0, logs);
    cb.on_train_batch_begin(0, logs);
    cb.on_train_batch_end(0, logs);
    cb.on_test_batch_end(0, logs);  // not a training batch: on_batch_end does not see it
    cb.on_epoch_end(0, logs);
    cb.on_train_end(logs);
    EXPECT_EQ(calls, (std::vector<std::string>{"train_begin", "epoch_begin 0", "batch_begin 0",
                                               "batch_end 0", "epoch_end 0", "train_end"}));
    EXPECT_TRUE(logs.contains("extra"));
}

TEST(LambdaCallback, TrainBatchHooksTakePrecedence) {
    std::vector<std::string> calls;
    LambdaCallback cb(
        {.on_batch_end = [&](std::int64_t, Logs&) { calls.push_back("batch"); },
         .on_train_batch_end = [&](std::int64_t, Logs&) { calls.push_back("train"); }});
    Logs logs;
    cb.on_train_batch_end(0, logs);
    EXPECT_EQ(calls, (std::vector<std::string>{"train"}));
}

TEST(LambdaCallback, EmptyHooksDoNothing) {
    LambdaCallback cb;
    Logs logs;
    cb.on_train_begin(logs);
    cb.on_epoch_begin(0, logs);
    cb.on_train_batch_begin(0, logs);
    cb.on_train_batch_end(0, logs);
    cb.on_epoch_end(0, logs);
    cb.on_train_end(logs);
    EXPECT_TRUE(logs.empty());
}

}  // namespace
}  // namespace tfc
