#include "tfc/callbacks/lambda_callback.h"

#include <utility>

namespace tfc {

LambdaCallback::LambdaCallback(LambdaCallbackOptions functions) : fn_(std::move(functions)) {
    if (!fn_.on_train_batch_begin) fn_.on_train_batch_begin = fn_.on_batch_begin;
    if (!fn_.on_train_batch_end) fn_.on_train_batch_end = fn_.on_batch_end;
}

void LambdaCallback::on_train_begin(Logs& logs) {
    if (fn_.on_train_begin) fn_.on_train_begin(logs);
}

void LambdaCallback::on_train_end(Logs& logs) {
    if (fn_.on_train_end) fn_.on_train_end(logs);
}

void LambdaCallback::on_epoch_begin(int epoch, Logs& logs) {
    if (fn_.on_epoch_begin) fn_.on_epoch_begin(epoch, logs);
}

void LambdaCallback::on_epoch_end(int epoch, Logs& logs) {
    if (fn_.on_epoch_end) fn_.on_epoch_end(epoch, logs);
}

void LambdaCallback::on_train_batch_begin(std::int64_t batch, Logs& logs) {
    if (fn_.on_train_batch_begin) fn_.on_train_batch_begin(batch, logs);
}

void LambdaCallback::on_train_batch_end(std::int64_t batch, Logs& logs) {
    if (fn_.on_train_batch_end) fn_.on_train_batch_end(batch, logs);
}

}  // namespace tfc
