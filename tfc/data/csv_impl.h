// Internals of the CSV reader: the streaming RFC 4180 record reader and the typed-column plan
// shared by read_csv and the CSV datasets. Not a public header.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include "tfc/data/csv.h"

namespace tfc::data::detail {

// Where a field came from, for error messages.
struct CsvLocation {
    const char* where;
    const std::string& path;
    std::int64_t line;
};

// Reads one record at a time through a fixed-size buffer.
class CsvRecordReader {
public:
    static constexpr int kEnd = -1;  // what peek/get return at the end of the file

    CsvRecordReader(std::string path, const CsvOptions& options, const char* where);
    ~CsvRecordReader();
    CsvRecordReader(const CsvRecordReader&) = delete;
    CsvRecordReader& operator=(const CsvRecordReader&) = delete;

    // The next non-blank record's fields; false at the end of the file. The strings already in
    // `fields` are cleared and refilled, so their capacity carries over from record to record.
    bool next(std::vector<std::string>& fields);
    std::int64_t record_line() const { return record_line_; }  // 1-based line of its start
    const std::string& path() const { return path_; }
    const char* where() const { return where_; }
    CsvLocation location() const { return {where_, path_, record_line_}; }

private:
    // The next byte (as unsigned char), or kEnd; refills the buffer when it is used up.
    int peek() { return pos_ < end_ ? static_cast<unsigned char>(buf_[pos_]) : refill(); }
    int get() {
        const int c = peek();
        if (c != kEnd) ++pos_;
        return c;
    }
    int refill();
    void append(std::string& field, char c);
    void append(std::string& field, const char* p, std::size_t n);  // checks the size once
    [[noreturn]] void error(const std::string& problem, std::int64_t line, const std::string& got,
                            const std::string& expected, const std::string& fix) const;

    std::string path_;
    const char* where_;
    char delim_;
    bool quotes_;
    std::int64_t max_bytes_;
    std::FILE* file_ = nullptr;
    std::vector<char> buf_;
    std::size_t pos_ = 0, end_ = 0;
    bool eof_ = false;
    bool stops_[256] = {};  // bytes that end an unquoted field: delimiter, CR, LF, quote
    std::int64_t line_ = 1, record_line_ = 0, record_bytes_ = 0;
};

// Which file columns are read, their names and types.
struct CsvPlan {
    std::vector<std::string> names;      // every column of the file
    std::vector<std::size_t> selected;   // file indices of the selected columns, in output order
    std::vector<ColumnDefault> defaults; // per selected column (types resolved)
};

// Reads the header (if any) and builds the plan; types stay unresolved (empty defaults) when
// options.column_defaults is empty.
CsvPlan make_plan(CsvRecordReader& reader, const CsvOptions& options, const char* where,
                  std::vector<std::string>* first_record);

// Infers a column's type from its present values (int64, else float32, else string).
ColumnType infer_type(const std::vector<const std::string*>& values, const std::string& na_value);

bool is_missing(const std::string& field, const std::string& na_value);
// Parses a present field; throws naming file, line and column when it is not a number.
std::int64_t parse_int64(const std::string& field, const CsvLocation& at, const std::string& column);
double parse_float(const std::string& field, const CsvLocation& at, const std::string& column);
// Throws for a missing field without a default in an int64 column.
[[noreturn]] void missing_required(const CsvLocation& at, const std::string& column);
// A field converted by the column's ColumnDefault (type resolved): int64 or float32 as double
// bits are not enough for int64, so both are returned.
struct CsvValue {
    std::int64_t i = 0;
    double f = 0;
};
CsvValue convert(const std::string& field, const ColumnDefault& spec, const std::string& na_value,
                 const CsvLocation& at, const std::string& column);

void check_field_count(const std::vector<std::string>& fields, const CsvPlan& plan,
                       const CsvRecordReader& reader, const char* where);

// make_csv_dataset's pipeline after the CSV: shuffle (optional) -> repeat -> batch.
struct CsvBatchSpec {
    std::int64_t batch_size = 1;
    bool drop_remainder = false;
    std::int64_t epochs = 1;  // -1: forever
    bool shuffle = false;
    std::int64_t buffer_size = 1;
    std::uint64_t seed = 0;
    std::int64_t label = -1;  // position among the selected columns; -1: no label
};
// Batches (features (b, k) float32[, label (b,)]) read straight from the file (csv_batches.cpp);
// the plan's types must be resolved and numeric.
DatasetNodePtr make_csv_batch_node(std::string path, CsvOptions options, CsvPlan plan,
                                   const CsvBatchSpec& spec, const char* where);

}  // namespace tfc::data::detail
