// JsonValue accessors and json_records_to_table.
#include <cmath>

#include "tfc/core/error.h"
#include "tfc/data/json.h"

namespace tfc::data {
namespace {

[[noreturn]] void wrong_type(const char* want, JsonValue::Type got) {
    fail("JsonValue", std::string("not a JSON ") + want, json_type_name(got), want,
         "check the value's type() first");
}

}  // namespace

const char* json_type_name(JsonValue::Type type) {
    switch (type) {
        case JsonValue::Type::null: return "null";
        case JsonValue::Type::boolean: return "boolean";
        case JsonValue::Type::number: return "number";
        case JsonValue::Type::string: return "string";
        case JsonValue::Type::array: return "array";
        case JsonValue::Type::object: return "object";
    }
    return "?";
}

JsonValue JsonValue::boolean(bool b) {
    JsonValue v;
    v.type_ = Type::boolean;
    v.bool_ = b;
    return v;
}

JsonValue JsonValue::number(double d, bool is_integer, std::int64_t integer) {
    JsonValue v;
    v.type_ = Type::number;
    v.number_ = d;
    v.is_integer_ = is_integer;
    v.integer_ = integer;
    return v;
}

JsonValue JsonValue::string(std::string s) {
    JsonValue v;
    v.type_ = Type::string;
    v.string_ = std::make_shared<const std::string>(std::move(s));
    return v;
}

JsonValue JsonValue::array(Array items) {
    JsonValue v;
    v.type_ = Type::array;
    v.array_ = std::make_shared<const Array>(std::move(items));
    return v;
}

JsonValue JsonValue::object(Object members) {
    JsonValue v;
    v.type_ = Type::object;
    v.object_ = std::make_shared<const Object>(std::move(members));
    return v;
}

bool JsonValue::as_bool() const {
    if (type_ != Type::boolean) wrong_type("boolean", type_);
    return bool_;
}

double JsonValue::as_double() const {
    if (type_ != Type::number) wrong_type("number", type_);
    return number_;
}

std::int64_t JsonValue::as_int64() const {
    if (!is_integer()) wrong_type("integer (fitting in int64)", type_);
    return integer_;
}

const std::string& JsonValue::as_string() const {
    if (type_ != Type::string) wrong_type("string", type_);
    return *string_;
}

const JsonValue::Array& JsonValue::as_array() const {
    if (type_ != Type::array) wrong_type("array", type_);
    return *array_;
}

const JsonValue::Object& JsonValue::as_object() const {
    if (type_ != Type::object) wrong_type("object", type_);
    return *object_;
}

const JsonValue* JsonValue::find(std::string_view key) const {
    const Object& members = as_object();
    for (auto it = members.rbegin(); it != members.rend(); ++it) {
        if (it->first == key) return &it->second;
    }
    return nullptr;
}

const JsonValue& JsonValue::operator[](std::string_view key) const {
    const JsonValue* v = find(key);
    TFC_CHECK(v != nullptr, "JsonValue", "no such member", "'" + std::string(key) + "'",
              "a key of the object", "use find() for optional members");
    return *v;
}

const JsonValue& JsonValue::operator[](std::size_t index) const {
    const Array& items = as_array();
    TFC_CHECK(index < items.size(), "JsonValue", "array index out of range",
              std::to_string(index), "< " + std::to_string(items.size()), "check the index");
    return items[index];
}

std::size_t JsonValue::size() const {
    if (type_ == Type::array) return array_->size();
    if (type_ == Type::object) return object_->size();
    return 0;
}

Table json_records_to_table(const std::vector<JsonValue>& records) {
    const char* where = "json_records_to_table";
    std::vector<std::string> keys;
    for (std::size_t r = 0; r < records.size(); ++r) {
        TFC_CHECK(records[r].type() == JsonValue::Type::object, where, "a record is not an object",
                  "record " + std::to_string(r) + " is a " + json_type_name(records[r].type()),
                  "an object per record", "give the file one {...} object per record");
        for (const auto& [k, v] : records[r].as_object()) {
            bool seen = false;
            for (const auto& existing : keys) seen = seen || existing == k;
            if (!seen) keys.push_back(k);
        }
    }
    std::vector<Column> columns;
    for (const auto& key : keys) {
        bool any_string = false, any_number = false, all_integer = true, any_missing = false;
        for (std::size_t r = 0; r < records.size(); ++r) {
            const JsonValue* v = records[r].find(key);
            if (!v || v->is_null()) {
                any_missing = true;
                continue;
            }
            switch (v->type()) {
                case JsonValue::Type::string: any_string = true; break;
                case JsonValue::Type::boolean: any_number = true; break;
                case JsonValue::Type::number:
                    any_number = true;
                    all_integer = all_integer && v->is_integer();
                    break;
                default:
                    fail(where, "nested values cannot become a column",
                         "key '" + key + "' of record " + std::to_string(r) + " is an " +
                             json_type_name(v->type()),
                         "strings, numbers, booleans or null",
                         "flatten the records, or walk the JsonValue tree yourself");
            }
            TFC_CHECK(!(any_string && any_number), where, "a key mixes strings and numbers",
                      "key '" + key + "' at record " + std::to_string(r),
                      "one type per key", "make the values one type");
        }
        const auto n = static_cast<std::int64_t>(records.size());
        if (any_string) {
            std::vector<std::string> s(records.size());
            for (std::size_t r = 0; r < records.size(); ++r) {
                const JsonValue* v = records[r].find(key);
                if (v && !v->is_null()) s[r] = v->as_string();
            }
            columns.emplace_back(key, std::move(s));
        } else if (all_integer && !any_missing) {
            Tensor t = Tensor::empty({n}, DType::int64);
            for (std::size_t r = 0; r < records.size(); ++r) {
                const JsonValue& v = *records[r].find(key);
                t.data<std::int64_t>()[r] =
                    v.type() == JsonValue::Type::boolean ? (v.as_bool() ? 1 : 0) : v.as_int64();
            }
            columns.emplace_back(key, std::move(t));
        } else {
            Tensor t = Tensor::empty({n}, DType::float32);
            for (std::size_t r = 0; r < records.size(); ++r) {
                const JsonValue* v = records[r].find(key);
                float x = std::nanf("");
                if (v && v->type() == JsonValue::Type::boolean) x = v->as_bool() ? 1.f : 0.f;
                if (v && v->type() == JsonValue::Type::number) x = static_cast<float>(v->as_double());
                t.data<float>()[r] = x;
            }
            columns.emplace_back(key, std::move(t));
        }
    }
    return Table(std::move(columns));
}

}  // namespace tfc::data
