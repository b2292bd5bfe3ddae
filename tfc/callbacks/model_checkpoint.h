// ModelCheckpoint: saves the model after every epoch, or every `save_freq` batches
// (keras/callbacks.py, Keras 2.15).
//   auto ckpt = std::make_shared<ModelCheckpoint>("ckpt/weights.{epoch:02d}-{val_loss:.2f}.h5",
//       ModelCheckpointOptions{.save_best_only = true});
//
// The file path is formatted like Python's filepath.format(epoch=epoch + 1, **logs): the epoch is
// 1-based, and every log key can appear, with Python format specs ({epoch:02d}, {val_loss:.4f},
// {loss}). With an integer save_freq, {batch} is the 1-based batch. Missing folders are created.
//
// Saving currently writes Model::save_weights's interim weights format for both
// save_weights_only=true and false; the Keras .h5 formats will replace it behind the same
// option, so file names written today keep working.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>

#include "tfc/callbacks/callback.h"

namespace tfc {

// "epoch", or a number of batches between two saves.
using SaveFreq = std::variant<std::string, std::int64_t>;

struct ModelCheckpointOptions {
    std::string monitor = "val_loss";
    int verbose = 0;  // 1: a message per save / skipped save
    bool save_best_only = false;
    bool save_weights_only = false;
    // "auto": "max" when the monitor contains "acc" or starts with "fmeasure", else "min"
    // (Keras 2.15's rule for this callback).
    std::string mode = "auto";
    SaveFreq save_freq = "epoch";
    // Initial "best" value for save_best_only: only better values are saved.
    std::optional<double> initial_value_threshold{};
};

class ModelCheckpoint : public Callback {
  public:
    explicit ModelCheckpoint(std::string filepath, ModelCheckpointOptions options = {});

    void on_epoch_begin(int epoch, Logs& logs) override;
    void on_epoch_end(int epoch, Logs& logs) override;
    void on_train_batch_end(std::int64_t batch, Logs& logs) override;

    const std::string& filepath() const { return filepath_; }
    // The path of the most recent save (or skipped save) decision; empty before the first one.
    const std::string& last_filepath() const { return last_filepath_; }
    double best() const { return best_; }
    const ModelCheckpointOptions& options() const { return options_; }

  private:
    bool should_save_on_batch(std::int64_t batch);
    void save_model(int epoch, std::optional<std::int64_t> batch, const Logs& logs);
    std::string file_path(int epoch, std::optional<std::int64_t> batch, const Logs& logs) const;

    std::string filepath_;
    ModelCheckpointOptions options_;
    bool max_mode_ = false;
    std::int64_t batch_freq_ = 0;  // 0: save per epoch
    double best_ = 0.0;
    int current_epoch_ = 0;
    std::int64_t batches_seen_since_last_saving_ = 0;
    std::int64_t last_batch_seen_ = -1;
    std::string last_filepath_;
};

}  // namespace tfc
