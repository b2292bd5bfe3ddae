// TerminateOnNaN against keras/callbacks.py (Keras 2.15, TerminateOnNaN.on_batch_end).
#include "tfc/callbacks/terminate_on_nan.h"

#include <gtest/gtest.h>

#include <limits>

#include "tfc/callbacks/callback_test_util.h"

namespace tfc {
namespace {

using testing::make_logs;
using testing::ScalarModel;

TEST(TerminateOnNaN, FiniteLossKeepsTraining) {
    ScalarModel model;
    TerminateOnNaN cb;
    cb.set_model(&model);
    Logs logs = make_logs({{"loss", 0.5}});
    ::testing::internal::CaptureStdout();
    cb.on_train_batch_end(0, logs);
    Logs no_loss = make_logs({{"accuracy", 0.5}});
    cb.on_train_batch_end(1, no_loss);
    EXPECT_EQ(::testing::internal::GetCapturedStdout(), "");
    EXPECT_FALSE(model.stop_training);
}

TEST(TerminateOnNaN, NaNOrInfStops) {
    for (double bad :
         {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
          -std::numeric_limits<double>::infinity()}) {
        ScalarModel model;
        TerminateOnNaN cb;
        cb.set_model(&model);
        Logs logs = make_logs({{"loss", bad}});
        ::testing::internal::CaptureStdout();
        cb.on_train_batch_end(3, logs);
        EXPECT_EQ(::testing::internal::GetCapturedStdout(),
                  "Batch 3: Invalid loss, terminating training\n");
        EXPECT_TRUE(model.stop_training);
    }
}

}  // namespace
}  // namespace tfc
