// A small strict JSON parser (RFC 8259) and JSON record readers. Values: null, bool, number,
// string (\u escapes and surrogate pairs decoded to UTF-8; raw bytes must be valid UTF-8),
// array, object (members kept in file order). Invalid input throws tfc::Error naming the byte
// offset, line and column; nesting deeper than max_depth is refused.
//   read_json_records(path)  a JSON array of objects or JSON Lines -> Table (the sarcasm
//                            headlines layout: [{"headline": ..., "is_sarcastic": 0}, ...]).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "tfc/data/table.h"

namespace tfc::data {

class JsonValue {
public:
    enum class Type : std::uint8_t { null, boolean, number, string, array, object };
    using Array = std::vector<JsonValue>;
    using Object = std::vector<std::pair<std::string, JsonValue>>;

    JsonValue() = default;  // null
    static JsonValue boolean(bool b);
    static JsonValue number(double d, bool is_integer = false, std::int64_t integer = 0);
    static JsonValue string(std::string s);
    static JsonValue array(Array items);
    static JsonValue object(Object members);

    Type type() const { return type_; }
    bool is_null() const { return type_ == Type::null; }
    bool as_bool() const;
    double as_double() const;
    bool is_integer() const { return type_ == Type::number && is_integer_; }  // fits in int64
    std::int64_t as_int64() const;
    const std::string& as_string() const;
    const Array& as_array() const;
    const Object& as_object() const;
    // Object member by key (the last one when a key repeats), or nullptr.
    const JsonValue* find(std::string_view key) const;
    const JsonValue& operator[](std::string_view key) const;  // throws when absent
    const JsonValue& operator[](std::size_t index) const;      // throws when out of range
    std::size_t size() const;  // array items or object members; 0 otherwise

private:
    Type type_ = Type::null;
    bool bool_ = false;
    bool is_integer_ = false;
    double number_ = 0;
    std::int64_t integer_ = 0;
    std::shared_ptr<const std::string> string_;
    std::shared_ptr<const Array> array_;
    std::shared_ptr<const Object> object_;
};

const char* json_type_name(JsonValue::Type type);

struct JsonOptions {
    int max_depth = 256;  // nested arrays/objects; deeper input is refused
};

JsonValue parse_json(std::string_view text, const JsonOptions& options = {});
JsonValue read_json(const std::string& path, const JsonOptions& options = {});
// One JSON value per non-blank line; errors name the line.
std::vector<JsonValue> read_json_lines(const std::string& path, const JsonOptions& options = {});

// Objects -> a Table with one column per key (first-seen order). Per key: integers and bools ->
// int64 (float32 with NaN when some record lacks the key or has null); other numbers ->
// float32; strings -> string ("" when null/absent). Mixed types or nested values throw.
Table json_records_to_table(const std::vector<JsonValue>& records);
// A file holding a JSON array of objects, or JSON Lines (detected from the first character).
Table read_json_records(const std::string& path, const JsonOptions& options = {});

}  // namespace tfc::data
