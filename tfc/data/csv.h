// CSV files (RFC 4180): quoted fields with "" escapes and embedded newlines, a header row,
// column selection, declared or inferred column types, missing values. Three entry points:
//   read_csv(path)               the whole file as a Table (pandas.read_csv-like);
//   csv_dataset(path)            a streaming Dataset, one element per row, one scalar tensor per
//                                selected column (tf.data.experimental.CsvDataset);
//   make_csv_dataset(path, 32)   a streaming, shuffled, batched Dataset of (features, label)
//                                (tf.data.experimental.make_csv_dataset).
// The datasets read the file incrementally (a fixed-size buffer), never the whole file.
// Every error names the file and the line: unterminated quotes, wrong field counts, a
// non-numeric value in a numeric column (with the column's name), a missing required value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "tfc/data/dataset.h"
#include "tfc/data/table.h"

namespace tfc::data {

// A column's declared type and the value that replaces a missing field. Without a default, a
// missing float32 is NaN, a missing string is "", and a missing int64 is an error.
struct ColumnDefault {
    ColumnType type = ColumnType::float32;
    std::variant<std::monostate, std::int64_t, double, std::string> value{};

    static ColumnDefault int64(std::optional<std::int64_t> value = std::nullopt);
    static ColumnDefault float32(std::optional<double> value = std::nullopt);
    static ColumnDefault string(std::optional<std::string> value = std::nullopt);
};

struct CsvOptions {
    bool header = true;
    // Names for the columns; required when header is false, else replaces the header's names.
    std::vector<std::string> column_names{};
    std::vector<std::string> select_columns{};  // by name, in the order wanted; empty: all
    // One per selected column (or per column without select_columns); empty: inferred, int64
    // if every present value is an integer, else float32 if every one is a number, else string.
    std::vector<ColumnDefault> column_defaults{};
    char field_delim = ',';
    bool use_quote_delim = true;  // false: '"' is an ordinary character
    std::string na_value = "";    // a field equal to this is missing (the empty field always is)
    // The streaming datasets infer types from this many leading rows (read_csv uses all rows).
    std::int64_t num_rows_for_inference = 100;
    std::int64_t max_record_bytes = std::int64_t{64} << 20;  // guards against a runaway quote
};

Table read_csv(const std::string& path, const CsvOptions& options = {});

// Streaming: element = one scalar (int64 or float32) tensor per selected column. String columns
// cannot become tensors: leave them out with select_columns.
Dataset csv_dataset(const std::string& path, const CsvOptions& options = {});

struct MakeCsvDatasetOptions {
    CsvOptions csv{};
    std::string label_name = "";  // empty: elements are (features,) only
    std::int64_t num_epochs = -1;  // -1 repeats forever, as tf.data's num_epochs=None
    bool shuffle = true;
    std::int64_t shuffle_buffer_size = 10000;
    std::optional<std::uint64_t> shuffle_seed{};
    std::int64_t prefetch_buffer_size = kAutotune;  // 0: no prefetch thread
    bool drop_remainder = false;
};

// Streaming: element = (features (batch, k) float32, label (batch,) in the label's dtype), with
// the feature columns in file (or select_columns) order, the label removed.
Dataset make_csv_dataset(const std::string& path, std::int64_t batch_size,
                         const MakeCsvDatasetOptions& options = {});

}  // namespace tfc::data
