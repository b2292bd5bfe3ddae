#include "tfc/callbacks/terminate_on_nan.h"

#include <cmath>
#include <iostream>

#include "tfc/callbacks/callback_impl.h"
#include "tfc/training/model.h"

namespace tfc {

void TerminateOnNaN::on_train_batch_end(std::int64_t batch, Logs& logs) {
    const std::optional<double> loss = logs.get("loss");
    if (!loss || std::isfinite(*loss)) return;
    std::cout << "Batch " << batch << ": Invalid loss, terminating training" << std::endl;
    detail::attached_model(*this, "TerminateOnNaN").stop_training = true;
}

}  // namespace tfc
