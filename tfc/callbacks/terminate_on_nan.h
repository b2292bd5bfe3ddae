// TerminateOnNaN: stops training as soon as a batch's loss is NaN or infinite
// (keras/callbacks.py, Keras 2.15). Prints "Batch N: Invalid loss, terminating training" and sets
// model.stop_training; the training loop stops after that batch.
#pragma once

#include <cstdint>

#include "tfc/callbacks/callback.h"

namespace tfc {

class TerminateOnNaN : public Callback {
  public:
    void on_train_batch_end(std::int64_t batch, Logs& logs) override;
};

}  // namespace tfc
