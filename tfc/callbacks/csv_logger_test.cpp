// CSVLogger against keras/callbacks.py (Keras 2.15, CSVLogger) and Python's csv module (excel
// dialect: "\r\n" line ends, minimal quoting; floats written with repr()).
#include "tfc/callbacks/csv_logger.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "tfc/callbacks/callback_test_util.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

using testing::make_logs;
using testing::TempDir;

std::string read_file(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

TEST(CSVLogger, HeaderIsEpochPlusSortedKeys) {
    TempDir dir("csv_sorted");
    const std::string path = dir.file("log.csv");
    CSVLogger cb(path);
    Logs empty;
    cb.on_train_begin(empty);
    Logs e0 =
        make_logs({{"loss", 0.5}, {"accuracy", 0.75}, {"val_loss", 0.625}, {"val_accuracy", 0.5}});
    cb.on_epoch_end(0, e0);
    // Each row is flushed: the file is readable before training ends.
    EXPECT_EQ(read_file(path),
              "epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.75,0.5,0.5,0.625\r\n");
    Logs e1 = make_logs(
        {{"loss", 0.1 + 0.2}, {"accuracy", 1e-5}, {"val_loss", 100.0}, {"val_accuracy", 1.0}});
    cb.on_epoch_end(1, e1);
    cb.on_train_end(empty);
    EXPECT_EQ(read_file(path),
              "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
              "0,0.75,0.5,0.5,0.625\r\n"
              "1,1e-05,0.30000000000000004,1.0,100.0\r\n");
}

TEST(CSVLogger, AddsValColumnsWhenTheFirstEpochHasNone) {
    // Keras: keys = sorted(logs) + ["val_" + k for k in keys] when no key starts with "val_";
    // values that are absent are written as "NA".
    TempDir dir("csv_val");
    const std::string path = dir.file("log.csv");
    CSVLogger cb(path);
    Logs empty;
    cb.on_train_begin(empty);
    Logs e0 = make_logs({{"loss", 0.5}, {"accuracy", 0.25}});
    cb.on_epoch_end(0, e0);
    Logs e1 = make_logs({{"loss", 0.25}, {"accuracy", 0.5}, {"val_loss", 0.75}});
    cb.on_epoch_end(1, e1);
    cb.on_train_end(empty);
    EXPECT_EQ(read_file(path),
              "epoch,accuracy,loss,val_accuracy,val_loss\r\n"
              "0,0.25,0.5,NA,NA\r\n"
              "1,0.5,0.25,NA,0.75\r\n");
}

TEST(CSVLogger, SeparatorAndQuoting) {
    TempDir dir("csv_sep");
    const std::string path = dir.file("log.csv");
    CSVLogger cb(path, {.separator = ";"});
    Logs empty;
    cb.on_train_begin(empty);
    Logs e0 = make_logs({{"loss", 0.5}, {"a;b", 1.0}, {"val_loss", 2.0}});
    cb.on_epoch_end(0, e0);
    cb.on_train_end(empty);
    EXPECT_EQ(read_file(path), "epoch;\"a;b\";loss;val_loss\r\n0;1.0;0.5;2.0\r\n");
    EXPECT_THROW(CSVLogger(path, {.separator = ";;"}), Error);
    EXPECT_THROW(CSVLogger(path, {.separator = ""}), Error);
}

TEST(CSVLogger, OverwritesByDefaultAndAppendKeepsTheHeader) {
    TempDir dir("csv_append");
    const std::string path = dir.file("log.csv");
    {
        std::ofstream old(path, std::ios::binary);
        old << "old content\r\n";
    }
    Logs empty;
    CSVLogger first(path);
    first.on_train_begin(empty);
    for (int e = 0; e < 2; ++e) {
        Logs logs = make_logs({{"loss", 1.0 / (e + 1)}, {"val_loss", 2.0}});
        first.on_epoch_end(e, logs);
    }
    first.on_train_end(empty);
    const std::string after_first = "epoch,loss,val_loss\r\n0,1.0,2.0\r\n1,0.5,2.0\r\n";
    EXPECT_EQ(read_file(path), after_first);

    // A second fit(..., initial_epoch=2) appending to the same file.
    CSVLogger second(path, {.append = true});
    second.on_train_begin(empty);
    Logs logs = make_logs({{"loss", 0.25}, {"val_loss", 1.5}});
    second.on_epoch_end(2, logs);
    second.on_train_end(empty);
    EXPECT_EQ(read_file(path), after_first + "2,0.25,1.5\r\n");
}

TEST(CSVLogger, AppendToMissingFileWritesHeader) {
    TempDir dir("csv_append_new");
    const std::string path = dir.file("new.csv");
    CSVLogger cb(path, {.append = true});
    Logs empty;
    cb.on_train_begin(empty);
    Logs logs = make_logs({{"loss", 0.5}, {"val_loss", 0.5}});
    cb.on_epoch_end(0, logs);
    cb.on_train_end(empty);
    EXPECT_EQ(read_file(path), "epoch,loss,val_loss\r\n0,0.5,0.5\r\n");
}

TEST(CSVLogger, ErrorsForUnwritablePathAndHookOrder) {
    Logs empty;
    CSVLogger bad("/nonexistent_dir_for_tfc_tests/log.csv");
    EXPECT_THROW(bad.on_train_begin(empty), Error);
    TempDir dir("csv_order");
    CSVLogger cb(dir.file("log.csv"));
    Logs logs = make_logs({{"loss", 0.5}});
    EXPECT_THROW(cb.on_epoch_end(0, logs), Error);
}

}  // namespace
}  // namespace tfc
