// Callback base with every Keras hook (keras/callbacks.py of Keras 2.15). Epochs and batches are
// 0-based, as in Keras. Setting model()->stop_training stops after the current epoch.
#pragma once

#include <cstdint>
#include <memory>

#include "tfc/callbacks/logs.h"

namespace tfc {

class Model;

struct CallbackParams {
    int epochs = 0;
    std::int64_t steps = 0;  // batches per epoch
    int verbose = 0;
};

class Callback {
public:
    virtual ~Callback() = default;
    void set_model(Model* model) { model_ = model; }
    Model* model() const { return model_; }
    void set_params(const CallbackParams& p) { params_ = p; }
    const CallbackParams& params() const { return params_; }

    virtual void on_train_begin(Logs& logs) {}
    virtual void on_train_end(Logs& logs) {}
    virtual void on_epoch_begin(int epoch, Logs& logs) {}
    virtual void on_epoch_end(int epoch, Logs& logs) {}
    virtual void on_train_batch_begin(std::int64_t batch, Logs& logs) {}
    virtual void on_train_batch_end(std::int64_t batch, Logs& logs) {}
    virtual void on_test_begin(Logs& logs) {}
    virtual void on_test_end(Logs& logs) {}
    virtual void on_test_batch_begin(std::int64_t batch, Logs& logs) {}
    virtual void on_test_batch_end(std::int64_t batch, Logs& logs) {}
    virtual void on_predict_begin(Logs& logs) {}
    virtual void on_predict_end(Logs& logs) {}
    virtual void on_predict_batch_begin(std::int64_t batch, Logs& logs) {}
    virtual void on_predict_batch_end(std::int64_t batch, Logs& logs) {}

protected:
    Model* model_ = nullptr;
    CallbackParams params_;
};

using CallbackPtr = std::shared_ptr<Callback>;

}  // namespace tfc
