#include "tfc/training/model.h"

namespace tfc {

void History::on_train_begin(Logs&) {
    // Keras keeps accumulating across fit() calls on the same History object; each fit() call
    // creates a new one, so start empty.
    history.clear();
    epoch.clear();
}

void History::on_epoch_end(int epoch_index, Logs& logs) {
    epoch.push_back(epoch_index);
    for (const auto& [k, v] : logs.items()) history[k].push_back(v);
}

}  // namespace tfc
