#include "tfc/callbacks/model_checkpoint.h"

#include "tfc/io/model_io.h"
#include "tfc/training/sequential.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <limits>
#include <map>
#include <utility>

#include "tfc/callbacks/callback_impl.h"
#include "tfc/callbacks/python_format.h"
#include "tfc/core/error.h"
#include "tfc/training/model.h"

namespace tfc {
namespace {

const char* const kWhere = "ModelCheckpoint";

std::string fixed5(double v) {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.5f", v);
    return buf;
}

}  // namespace

ModelCheckpoint::ModelCheckpoint(std::string filepath, ModelCheckpointOptions options)
    : filepath_(std::move(filepath)), options_(std::move(options)) {
    TFC_CHECK(!filepath_.empty(), kWhere, "The file path is empty", "\"\"",
              "a path such as \"ckpt/weights.{epoch:02d}.h5\"", "pass the path to save to");
    detail::check_mode(options_.mode, kWhere);
    if (const auto* s = std::get_if<std::string>(&options_.save_freq)) {
        TFC_CHECK(*s == "epoch", kWhere, "Unrecognized save_freq", "save_freq=\"" + *s + "\"",
                  "\"epoch\" or a positive number of batches",
                  "use .save_freq = \"epoch\" or e.g. .save_freq = 100");
    } else {
        batch_freq_ = std::get<std::int64_t>(options_.save_freq);
        TFC_CHECK(batch_freq_ > 0, kWhere, "save_freq must be positive",
                  "save_freq=" + std::to_string(batch_freq_),
                  "\"epoch\" or a positive number of batches", "use e.g. .save_freq = 100");
    }
    const std::string& m = options_.monitor;
    if (options_.mode == "auto") {
        max_mode_ = m.find("acc") != std::string::npos || m.rfind("fmeasure", 0) == 0;
    } else {
        max_mode_ = options_.mode == "max";
    }
    if (options_.initial_value_threshold) {
        best_ = *options_.initial_value_threshold;
    } else {
        best_ = max_mode_ ? -std::numeric_limits<double>::infinity()
                          : std::numeric_limits<double>::infinity();
    }
}

void ModelCheckpoint::on_epoch_begin(int epoch, Logs& logs) { current_epoch_ = epoch; }

void ModelCheckpoint::on_epoch_end(int epoch, Logs& logs) {
    if (batch_freq_ == 0) save_model(epoch, std::nullopt, logs);
}

void ModelCheckpoint::on_train_batch_end(std::int64_t batch, Logs& logs) {
    if (should_save_on_batch(batch)) save_model(current_epoch_, batch, logs);
}

bool ModelCheckpoint::should_save_on_batch(std::int64_t batch) {
    if (batch_freq_ == 0) return false;
    // A batch index that does not grow means a new epoch started.
    const std::int64_t added = batch <= last_batch_seen_ ? batch + 1 : batch - last_batch_seen_;
    batches_seen_since_last_saving_ += added;
    last_batch_seen_ = batch;
    if (batches_seen_since_last_saving_ >= batch_freq_) {
        batches_seen_since_last_saving_ = 0;
        return true;
    }
    return false;
}

std::string ModelCheckpoint::file_path(int epoch,
                                       std::optional<std::int64_t> batch,
                                       const Logs& logs) const {
    std::map<std::string, FormatValue> values;
    for (const auto& [key, value] : logs.items()) values[key] = value;
    values["epoch"] = static_cast<std::int64_t>(epoch) + 1;
    if (batch && !logs.contains("batch")) values["batch"] = *batch + 1;
    return python_format(filepath_, values, kWhere);
}

void ModelCheckpoint::save_model(int epoch, std::optional<std::int64_t> batch, const Logs& logs) {
    Model& model = detail::attached_model(*this, kWhere);
    const std::string path = file_path(epoch, batch, logs);
    last_filepath_ = path;
    const std::filesystem::path dir = std::filesystem::path(path).parent_path();
    if (!dir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
        TFC_CHECK(!ec, kWhere, "Cannot create the checkpoint folder",
                  dir.string() + ": " + ec.message(), "a writable folder",
                  "check the path and its permissions");
    }
    TFC_CHECK(!std::filesystem::is_directory(path), kWhere,
              "The checkpoint path is an existing folder", path, "a file path",
              "give ModelCheckpoint a file name, e.g. \"" + path + "/weights.h5\"");

    if (options_.save_best_only) {
        const std::optional<double> current = logs.get(options_.monitor);
        if (!current) {
            detail::warn("Can save best model only with " + options_.monitor +
                         " available, skipping.");
            return;
        }
        const bool improved = max_mode_ ? *current > best_ : *current < best_;
        if (!improved) {
            if (options_.verbose > 0) {
                std::cout << "\nEpoch " << epoch + 1 << ": " << options_.monitor
                          << " did not improve from " << fixed5(best_) << std::endl;
            }
            return;
        }
        if (options_.verbose > 0) {
            std::cout << "\nEpoch " << epoch + 1 << ": " << options_.monitor << " improved from "
                      << fixed5(best_) << " to " << fixed5(*current) << ", saving model to " << path
                      << std::endl;
        }
        best_ = *current;
    } else if (options_.verbose > 0) {
        std::cout << "\nEpoch " << epoch + 1 << ": saving model to " << path << std::endl;
    }
    // Keras files by extension (keras/callbacks.py ModelCheckpoint._save_model): a whole model as
    // .h5/.keras, weights as .h5/.weights.h5; any other name keeps tfc's own weights format.
    const auto ends_with = [&](const std::string& suffix) {
        return path.size() >= suffix.size() &&
               path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0;
    };
    if (ends_with(".h5") || ends_with(".hdf5") || ends_with(".keras")) {
        // Only Sequential models have a Keras file form in tfc today; other models (subclassed)
        // keep their weights, as Keras itself cannot write subclassed models to .h5.
        const bool whole_model_possible = dynamic_cast<const Sequential*>(&model) != nullptr;
        if (options_.save_weights_only || ends_with(".weights.h5") || !whole_model_possible) {
            tfc::save_weights(model, path);
        } else {
            tfc::save_model(model, path);
        }
    } else {
        model.save_weights(path);
    }
}

}  // namespace tfc
