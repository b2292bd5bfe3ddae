// CSVLogger: streams the epoch logs to a CSV file (keras/callbacks.py, Keras 2.15).
//   auto csv = std::make_shared<CSVLogger>("training.log");
//
// Columns are "epoch" (0-based) and the first epoch's log keys, sorted. When the first epoch has
// no "val_" key, "val_<key>" columns are appended for every key (Keras does this for
// validation_freq > 1), and missing values are written as "NA". Numbers are written as Python's
// repr() writes them; rows end with "\r\n", the line end of Python's csv module. Each row is
// flushed. With append=true an existing non-empty file keeps its header and gets new rows.
#pragma once

#include <fstream>
#include <string>
#include <vector>

#include "tfc/callbacks/callback.h"

namespace tfc {

struct CSVLoggerOptions {
    std::string separator = ",";  // one character
    bool append = false;
};

class CSVLogger : public Callback {
  public:
    explicit CSVLogger(std::string filename, CSVLoggerOptions options = {});

    void on_train_begin(Logs& logs) override;
    void on_epoch_end(int epoch, Logs& logs) override;
    void on_train_end(Logs& logs) override;

    const std::string& filename() const { return filename_; }
    // The value columns after "epoch"; empty until the first epoch ends.
    const std::vector<std::string>& keys() const { return keys_; }

  private:
    void write_row(const std::vector<std::string>& cells);

    std::string filename_;
    CSVLoggerOptions options_;
    std::ofstream file_;
    std::vector<std::string> keys_;
    bool keys_known_ = false;
    bool header_written_ = false;
    bool append_header_ = true;
};

}  // namespace tfc
