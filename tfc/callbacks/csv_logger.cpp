#include "tfc/callbacks/csv_logger.h"

#include <algorithm>
#include <utility>

#include "tfc/callbacks/python_format.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

const char* const kWhere = "CSVLogger";

}  // namespace

CSVLogger::CSVLogger(std::string filename, CSVLoggerOptions options)
    : filename_(std::move(filename)), options_(std::move(options)) {
    TFC_CHECK(!filename_.empty(), kWhere, "The file name is empty", "\"\"",
              "a path such as \"training.log\"", "pass the CSV file to write");
    const std::string& sep = options_.separator;
    TFC_CHECK(sep.size() == 1 && sep != "\"" && sep != "\r" && sep != "\n", kWhere,
              "The separator must be a 1-character string", "separator=\"" + sep + "\"",
              "one character other than a quote or a line break", "use e.g. \",\" or \";\"");
}

void CSVLogger::on_train_begin(Logs& logs) {
    std::ios::openmode mode = std::ios::out | std::ios::binary;
    append_header_ = true;
    if (options_.append) {
        std::ifstream existing(filename_, std::ios::binary);
        if (existing) {
            std::string first_line;
            std::getline(existing, first_line);
            append_header_ = first_line.empty();
        }
        mode |= std::ios::app;
    } else {
        mode |= std::ios::trunc;
    }
    if (file_.is_open()) file_.close();
    file_.clear();
    file_.open(filename_, mode);
    TFC_CHECK(file_.is_open(), kWhere, "Cannot open the log file", filename_, "a writable path",
              "check that the folder exists and is writable");
    // As in Keras, the columns chosen in the first fit() stay for later fit() calls.
    header_written_ = false;
}

void CSVLogger::write_row(const std::vector<std::string>& cells) {
    // Python csv's QUOTE_MINIMAL: quote cells holding the separator, a quote or a line break.
    const char sep = options_.separator[0];
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) file_ << sep;
        const std::string& cell = cells[i];
        if (cell.find_first_of(std::string{sep, '"', '\r', '\n'}) == std::string::npos) {
            file_ << cell;
            continue;
        }
        file_ << '"';
        for (char c : cell) {
            if (c == '"') file_ << '"';
            file_ << c;
        }
        file_ << '"';
    }
    file_ << "\r\n";
}

void CSVLogger::on_epoch_end(int epoch, Logs& logs) {
    TFC_CHECK(file_.is_open(), kWhere, "The log file is not open",
              "on_epoch_end before on_train_begin", "on_train_begin first",
              "pass the callback to fit(), which calls the hooks in order");
    if (!keys_known_) {
        for (const auto& [key, value] : logs.items()) keys_.push_back(key);
        std::sort(keys_.begin(), keys_.end());
        const bool has_val = std::any_of(keys_.begin(), keys_.end(), [](const std::string& k) {
            return k.rfind("val_", 0) == 0;
        });
        if (!has_val) {
            const std::size_t n = keys_.size();
            for (std::size_t i = 0; i < n; ++i) keys_.push_back("val_" + keys_[i]);
        }
        keys_known_ = true;
    }
    if (!header_written_) {
        if (append_header_) {
            std::vector<std::string> header{"epoch"};
            header.insert(header.end(), keys_.begin(), keys_.end());
            write_row(header);
        }
        header_written_ = true;
    }
    std::vector<std::string> row{std::to_string(epoch)};
    for (const std::string& key : keys_) {
        const std::optional<double> v = logs.get(key);
        row.push_back(v ? python_repr(*v) : "NA");
    }
    write_row(row);
    file_.flush();
    TFC_CHECK(file_.good(), kWhere, "Writing the log file failed", filename_, "a writable file",
              "check the free disk space and permissions");
}

void CSVLogger::on_train_end(Logs& logs) {
    if (file_.is_open()) file_.close();
    header_written_ = false;
}

}  // namespace tfc
