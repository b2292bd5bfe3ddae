// LambdaCallback: a callback made of functions, for simple custom callbacks written inline
// (keras/callbacks.py, Keras 2.15). Hooks left empty do nothing.
//
// The course's "stop when accuracy > 0.9" callback, with `model` captured by reference (the
// model must outlive fit(), which it does when it is a local of the calling function):
//   auto stop = std::make_shared<LambdaCallback>(LambdaCallbackOptions{
//       .on_epoch_end = [&](int epoch, Logs& logs) {
//           if (logs.get("accuracy") > 0.9) model.stop_training = true; }});
// (logs.get returns std::optional<double>; a missing key compares as false.)
//
// Designated initialisers must follow the declaration order below. on_batch_begin/_end are
// Keras's names for training batches; on_train_batch_begin/_end, when set, take their place
// (as passing them to Keras's LambdaCallback overrides the method).
#pragma once

#include <cstdint>
#include <functional>

#include "tfc/callbacks/callback.h"

namespace tfc {

struct LambdaCallbackOptions {
    std::function<void(int epoch, Logs& logs)> on_epoch_begin{};
    std::function<void(int epoch, Logs& logs)> on_epoch_end{};
    std::function<void(std::int64_t batch, Logs& logs)> on_batch_begin{};
    std::function<void(std::int64_t batch, Logs& logs)> on_batch_end{};
    std::function<void(Logs& logs)> on_train_begin{};
    std::function<void(Logs& logs)> on_train_end{};
    std::function<void(std::int64_t batch, Logs& logs)> on_train_batch_begin{};
    std::function<void(std::int64_t batch, Logs& logs)> on_train_batch_end{};
};

class LambdaCallback : public Callback {
  public:
    explicit LambdaCallback(LambdaCallbackOptions functions = {});

    void on_train_begin(Logs& logs) override;
    void on_train_end(Logs& logs) override;
    void on_epoch_begin(int epoch, Logs& logs) override;
    void on_epoch_end(int epoch, Logs& logs) override;
    void on_train_batch_begin(std::int64_t batch, Logs& logs) override;
    void on_train_batch_end(std::int64_t batch, Logs& logs) override;

  private:
    LambdaCallbackOptions fn_;
};

}  // namespace tfc
