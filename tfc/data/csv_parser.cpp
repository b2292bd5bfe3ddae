// The streaming RFC 4180 record reader and the column plan shared by the CSV entry points.
#include <charconv>
#include <cmath>
#include <filesystem>
#include <set>

#include "tfc/core/error.h"
#include "tfc/data/csv_impl.h"

namespace tfc::data::detail {
namespace {

constexpr std::size_t kBufferBytes = std::size_t{1} << 20;
constexpr int kEof = CsvRecordReader::kEnd;

std::string_view trimmed(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return std::string_view(s).substr(b, e - b);
}

bool try_int64(const std::string& s, std::int64_t& out) {
    std::string_view v = trimmed(s);
    if (!v.empty() && v[0] == '+') v.remove_prefix(1);
    if (v.empty()) return false;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    return ec == std::errc() && p == v.data() + v.size();
}

bool try_float(const std::string& s, double& out) {
    std::string_view v = trimmed(s);
    if (!v.empty() && v[0] == '+') v.remove_prefix(1);
    if (v.empty()) return false;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    // Out-of-range values saturate (as strtod does) rather than failing.
    if (ec == std::errc::result_out_of_range && p == v.data() + v.size()) {
        out = v[0] == '-' ? -HUGE_VAL : HUGE_VAL;
        return true;
    }
    return ec == std::errc() && p == v.data() + v.size();
}

}  // namespace

std::string quoted(const std::string& s) {
    return "'" + (s.size() > 40 ? s.substr(0, 40) + "..." : s) + "'";
}

CsvRecordReader::CsvRecordReader(std::string path, const CsvOptions& options, const char* where)
    : path_(std::move(path)), where_(where), delim_(options.field_delim),
      quotes_(options.use_quote_delim), max_bytes_(options.max_record_bytes) {
    TFC_CHECK(delim_ != '\n' && delim_ != '\r' && !(quotes_ && delim_ == '"'), where_,
              "invalid field_delim", std::string("'") + delim_ + "'",
              "a character other than a newline or the quote", "use ',' or '\\t' or ';'");
    std::error_code ec;
    TFC_CHECK(std::filesystem::is_regular_file(path_, ec), where_, "file not found",
              "'" + path_ + "'", "an existing CSV file", "check the path");
    file_ = std::fopen(path_.c_str(), "rb");
    TFC_CHECK(file_ != nullptr, where_, "cannot open the file", "'" + path_ + "'",
              "a readable file", "check the file's permissions");
    buf_.resize(kBufferBytes);
    stops_[static_cast<unsigned char>(delim_)] = true;
    stops_['\n'] = stops_['\r'] = true;
    if (quotes_) stops_['"'] = true;
    if (peek() == 0xEF) {  // a UTF-8 byte order mark is not part of the first field
        if (end_ - pos_ >= 3 && static_cast<unsigned char>(buf_[1]) == 0xBB &&
            static_cast<unsigned char>(buf_[2]) == 0xBF) {
            pos_ = 3;
        }
    }
}

CsvRecordReader::~CsvRecordReader() {
    if (file_) std::fclose(file_);
}

int CsvRecordReader::refill() {
    if (eof_) return kEof;
    end_ = std::fread(buf_.data(), 1, buf_.size(), file_);
    pos_ = 0;
    if (end_ == 0) {
        TFC_CHECK(!std::ferror(file_), where_, "read error", "'" + path_ + "'", "a readable file",
                  "check the disk");
        eof_ = true;
        return kEof;
    }
    return static_cast<unsigned char>(buf_[pos_]);
}

void CsvRecordReader::append(std::string& field, char c) {
    if (++record_bytes_ > max_bytes_) {
        error("record is longer than max_record_bytes", record_line_,
              std::to_string(record_bytes_) + "+ bytes",
              "at most " + std::to_string(max_bytes_),
              "look for an unbalanced quote, or raise max_record_bytes");
    }
    field.push_back(c);
}

void CsvRecordReader::error(const std::string& problem, std::int64_t line, const std::string& got,
                            const std::string& expected, const std::string& fix) const {
    fail(where_, problem + " at line " + std::to_string(line) + " of '" + path_ + "'", got,
         expected, fix);
}

void CsvRecordReader::append(std::string& field, const char* p, std::size_t n) {
    if (n == 0) return;
    if (record_bytes_ + static_cast<std::int64_t>(n) > max_bytes_) {
        record_bytes_ = max_bytes_;  // the bytes that fit; the next one reports the error
        append(field, *p);
    }
    record_bytes_ += static_cast<std::int64_t>(n);
    field.append(p, n);
}

bool CsvRecordReader::next(std::vector<std::string>& fields) {
    // The strings of `fields` are reused from record to record (their capacity stays), so a
    // steady stream of records allocates nothing.
    for (;;) {
        std::size_t n = 0;  // fields of this record so far
        if (peek() == kEof) {
            fields.clear();
            return false;
        }
        record_line_ = line_;
        record_bytes_ = 0;
        bool blank = true;  // only one empty unquoted field so far
        for (;;) {
            if (n == fields.size()) fields.emplace_back();
            std::string& field = fields[n];
            field.clear();
            int c = peek();
            if (quotes_ && c == '"') {
                blank = false;
                get();
                const std::int64_t quote_line = line_;
                for (;;) {
                    if (peek() == kEof) {
                        error("unterminated quoted field", quote_line, "end of file inside quotes",
                              "a closing '\"'",
                              "close the quote; write a quote inside a field as \"\"");
                    }
                    // The run up to the next quote or newline (or the end of the buffer).
                    const char* p = buf_.data() + pos_;
                    const char* e = buf_.data() + end_;
                    const char* q = p;
                    while (q < e && *q != '"' && *q != '\n') ++q;
                    append(field, p, static_cast<std::size_t>(q - p));
                    pos_ += static_cast<std::size_t>(q - p);
                    if (q == e) continue;
                    get();
                    if (*q == '\n') {
                        ++line_;
                        append(field, '\n');
                        continue;
                    }
                    if (peek() != '"') break;  // the closing quote
                    get();
                    append(field, '"');
                }
                c = peek();
                if (c != delim_ && c != '\n' && c != '\r' && c != kEof) {
                    error("unexpected character after a closing quote", line_,
                          std::string("'") + static_cast<char>(c) + "' in field " +
                              std::to_string(n + 1),
                          "the delimiter or the end of the line",
                          "quote the whole field and double quotes inside it (\"\")");
                }
            } else {
                // Runs of ordinary bytes, one buffer at most at a time.
                while (peek() != kEof) {
                    const char* p = buf_.data() + pos_;
                    const char* e = buf_.data() + end_;
                    const char* q = p;
                    while (q < e && !stops_[static_cast<unsigned char>(*q)]) ++q;
                    append(field, p, static_cast<std::size_t>(q - p));
                    pos_ += static_cast<std::size_t>(q - p);
                    if (q < e) break;
                }
                c = peek();
                if (quotes_ && c == '"') {
                    error("quote inside an unquoted field", line_,
                          "field " + std::to_string(n + 1) + " starting " + quoted(field + '"'),
                          "quotes only around whole fields (RFC 4180)",
                          "quote the field and double the quote (\"\"), or set "
                          "use_quote_delim = false");
                }
                if (!field.empty()) blank = false;
            }
            ++n;
            c = get();
            if (c == delim_) {
                blank = false;
                continue;
            }
            if (c == '\r' && peek() == '\n') get();
            if (c != kEof) ++line_;
            break;
        }
        if (!(blank && n == 1)) {  // skip blank lines
            fields.resize(n);
            return true;
        }
    }
}

CsvPlan make_plan(CsvRecordReader& reader, const CsvOptions& options, const char* where,
                  std::vector<std::string>* first_record) {
    CsvPlan plan;
    std::vector<std::string> record;
    if (options.header) {
        TFC_CHECK(reader.next(record), where, "the file is empty (no header row)",
                  "'" + reader.path() + "'", "a header line", "check the file, or header=false");
        plan.names = record;
        if (!options.column_names.empty()) {
            TFC_CHECK(options.column_names.size() == record.size(), where,
                      "column_names does not match the header",
                      std::to_string(options.column_names.size()) + " names for " +
                          std::to_string(record.size()) + " columns in '" + reader.path() + "'",
                      "one name per column", "give one name per column");
            plan.names = options.column_names;
        }
    } else {
        const bool any = reader.next(record);
        if (any && first_record) *first_record = record;
        if (!options.column_names.empty()) {
            plan.names = options.column_names;
        } else {
            for (std::size_t i = 0; i < record.size(); ++i) {
                plan.names.push_back("column_" + std::to_string(i));
            }
        }
        TFC_CHECK(any || !options.column_names.empty(), where, "the file is empty",
                  "'" + reader.path() + "'", "at least one row",
                  "check the file, or pass column_names");
    }
    std::set<std::string> seen;
    for (const auto& n : plan.names) {
        TFC_CHECK(seen.insert(n).second, where, "duplicate column name",
                  "'" + n + "' twice in '" + reader.path() + "'", "unique column names",
                  "rename the columns with column_names");
    }
    if (options.select_columns.empty()) {
        for (std::size_t i = 0; i < plan.names.size(); ++i) plan.selected.push_back(i);
    } else {
        for (const auto& want : options.select_columns) {
            std::size_t i = 0;
            while (i < plan.names.size() && plan.names[i] != want) ++i;
            if (i == plan.names.size()) {
                std::string known;
                for (const auto& n : plan.names) known += (known.empty() ? "'" : ", '") + n + "'";
                fail(where, "select_columns names an unknown column", "'" + want + "'",
                     "one of " + known, "check the spelling (names are case-sensitive)");
            }
            plan.selected.push_back(i);
        }
    }
    if (!options.column_defaults.empty()) {
        TFC_CHECK(options.column_defaults.size() == plan.selected.size(), where,
                  "column_defaults has the wrong length",
                  std::to_string(options.column_defaults.size()) + " defaults",
                  std::to_string(plan.selected.size()) + " (one per selected column)",
                  "give one ColumnDefault per selected column, or none to infer the types");
        plan.defaults = options.column_defaults;
    }
    return plan;
}

ColumnType infer_type(const std::vector<const std::string*>& values,
                      const std::string& na_value) {
    bool all_int = true, all_float = true, any = false;
    for (const std::string* v : values) {
        if (is_missing(*v, na_value)) continue;
        any = true;
        std::int64_t i = 0;
        double d = 0;
        if (all_int && !try_int64(*v, i)) all_int = false;
        if (!all_int && !try_float(*v, d)) {
            all_float = false;
            break;
        }
    }
    // A column with missing values cannot stay int64 (no NaN); all-missing columns are float32.
    if (!any) return ColumnType::float32;
    if (all_int) {
        for (const std::string* v : values) {
            if (is_missing(*v, na_value)) return ColumnType::float32;
        }
        return ColumnType::int64;
    }
    return all_float ? ColumnType::float32 : ColumnType::string;
}

bool is_missing(const std::string& field, const std::string& na_value) {
    return field.empty() || field == na_value;
}

std::string at_line(const CsvLocation& at) {
    return " at line " + std::to_string(at.line) + " of '" + at.path + "'";
}

std::int64_t parse_int64(const std::string& field, const CsvLocation& at, const std::string& column) {
    std::int64_t v = 0;
    if (!try_int64(field, v)) {
        fail(at.where, "non-integer value in int64 column '" + column + "'" + at_line(at),
             quoted(field), "an integer",
             "fix the value, or declare the column float32 or string in column_defaults");
    }
    return v;
}

double parse_float(const std::string& field, const CsvLocation& at, const std::string& column) {
    double v = 0;
    if (!try_float(field, v)) {
        fail(at.where, "non-numeric value in float32 column '" + column + "'" + at_line(at),
             quoted(field), "a number",
             "fix the value, set na_value to this marker, or declare the column string");
    }
    return v;
}

void missing_required(const CsvLocation& at, const std::string& column) {
    fail(at.where, "missing value in int64 column '" + column + "'" + at_line(at),
         "an empty field", "an integer",
         "give the column a default: ColumnDefault::int64(0), or declare it float32 (NaN)");
}

CsvValue convert(const std::string& field, const ColumnDefault& spec, const std::string& na_value,
                 const CsvLocation& at, const std::string& column) {
    CsvValue out;
    if (spec.type == ColumnType::int64) {
        if (!is_missing(field, na_value)) {
            out.i = parse_int64(field, at, column);
        } else if (const auto* d = std::get_if<std::int64_t>(&spec.value)) {
            out.i = *d;
        } else {
            missing_required(at, column);
        }
    } else {
        if (!is_missing(field, na_value)) {
            out.f = parse_float(field, at, column);
        } else if (const auto* d = std::get_if<double>(&spec.value)) {
            out.f = *d;
        } else {
            out.f = std::nan("");
        }
    }
    return out;
}

void check_field_count(const std::vector<std::string>& fields, const CsvPlan& plan,
                       const CsvRecordReader& reader, const char* where) {
    if (fields.size() == plan.names.size()) return;
    fail(where,
         "wrong number of fields at line " + std::to_string(reader.record_line()) + " of '" +
             reader.path() + "'",
         std::to_string(fields.size()) + " fields",
         std::to_string(plan.names.size()) + " (one per column)",
         "quote fields that contain the delimiter, and check for missing or extra delimiters");
}

}  // namespace tfc::data::detail
