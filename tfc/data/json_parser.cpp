// The strict JSON parser and the file readers (read_json, read_json_lines).
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tfc/core/error.h"
#include "tfc/data/json.h"

namespace tfc::data {
namespace {

class Parser {
public:
    Parser(std::string_view text, const JsonOptions& options, std::string where, std::int64_t line0)
        : s_(text), max_depth_(options.max_depth), where_(std::move(where)), line0_(line0) {}

    JsonValue parse_document() {
        skip_ws();
        JsonValue v = value(0);
        skip_ws();
        if (i_ != s_.size()) error("unexpected data after the JSON value", "end of input");
        return v;
    }

private:
    [[noreturn]] void error(const std::string& problem, const std::string& expected) const {
        std::int64_t line = line0_, col = 1;
        for (std::size_t k = 0; k < i_ && k < s_.size(); ++k) {
            if (s_[k] == '\n') {
                ++line;
                col = 1;
            } else {
                ++col;
            }
        }
        std::string got = i_ < s_.size() ? "'" + std::string(s_.substr(i_, 20)) + "'" : "end of input";
        fail(where_, "invalid JSON: " + problem + " at byte offset " + std::to_string(i_) +
                         " (line " + std::to_string(line) + ", column " + std::to_string(col) + ")",
             got, expected, "fix the JSON text (a validator such as `python3 -m json.tool` helps)");
    }

    void skip_ws() {
        while (i_ < s_.size() &&
               (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) {
            ++i_;
        }
    }

    bool consume(std::string_view word) {
        if (s_.substr(i_, word.size()) != word) return false;
        i_ += word.size();
        return true;
    }

    JsonValue value(int depth) {
        if (i_ >= s_.size()) error("unexpected end of input", "a value");
        switch (s_[i_]) {
            case '{': return object(depth + 1);
            case '[': return array(depth + 1);
            case '"': return JsonValue::string(string());
            case 't':
                if (consume("true")) return JsonValue::boolean(true);
                break;
            case 'f':
                if (consume("false")) return JsonValue::boolean(false);
                break;
            case 'n':
                if (consume("null")) return JsonValue();
                break;
            default:
                if (s_[i_] == '-' || (s_[i_] >= '0' && s_[i_] <= '9')) return number();
        }
        error("unexpected character", "a value (object, array, string, number, true, false, null)");
    }

    void check_depth(int depth) {
        if (depth > max_depth_) {
            error("nesting deeper than max_depth=" + std::to_string(max_depth_),
                  "at most " + std::to_string(max_depth_) + " nested arrays/objects");
        }
    }

    JsonValue object(int depth) {
        check_depth(depth);
        ++i_;  // '{'
        JsonValue::Object members;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == '}') {
            ++i_;
            return JsonValue::object(std::move(members));
        }
        for (;;) {
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != '"') error("expected a member name", "'\"'");
            std::string key = string();
            skip_ws();
            if (i_ >= s_.size() || s_[i_] != ':') error("expected ':' after a member name", "':'");
            ++i_;
            skip_ws();
            JsonValue v = value(depth);
            members.emplace_back(std::move(key), std::move(v));
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (i_ < s_.size() && s_[i_] == '}') {
                ++i_;
                return JsonValue::object(std::move(members));
            }
            error("expected ',' or '}' in an object", "',' or '}'");
        }
    }

    JsonValue array(int depth) {
        check_depth(depth);
        ++i_;  // '['
        JsonValue::Array items;
        skip_ws();
        if (i_ < s_.size() && s_[i_] == ']') {
            ++i_;
            return JsonValue::array(std::move(items));
        }
        for (;;) {
            skip_ws();
            items.push_back(value(depth));
            skip_ws();
            if (i_ < s_.size() && s_[i_] == ',') {
                ++i_;
                continue;
            }
            if (i_ < s_.size() && s_[i_] == ']') {
                ++i_;
                return JsonValue::array(std::move(items));
            }
            error("expected ',' or ']' in an array", "',' or ']'");
        }
    }

    JsonValue number() {
        const std::size_t start = i_;
        auto digits = [&] {
            const std::size_t b = i_;
            while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
            return i_ - b;
        };
        bool integral = true;
        if (s_[i_] == '-') ++i_;
        if (i_ < s_.size() && s_[i_] == '0') {
            ++i_;
            if (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') error("leading zero in a number", "a digit after '0' only after '.'");
        } else if (digits() == 0) {
            error("a number needs digits", "a digit");
        }
        if (i_ < s_.size() && s_[i_] == '.') {
            integral = false;
            ++i_;
            if (digits() == 0) error("a number needs digits after '.'", "a digit");
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            integral = false;
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (digits() == 0) error("a number needs digits in its exponent", "a digit");
        }
        const char* b = s_.data() + start;
        const char* e = s_.data() + i_;
        double d = 0;
        auto r = std::from_chars(b, e, d);
        if (r.ec == std::errc::result_out_of_range) {
            d = *b == '-' ? -HUGE_VAL : HUGE_VAL;
            if (integral || std::string_view(b, e - b).find_first_of("eE") != std::string_view::npos) {
                // huge magnitude or an underflow towards zero: strtod's answer is fine
                d = std::strtod(std::string(b, e).c_str(), nullptr);
            }
        }
        std::int64_t n = 0;
        bool fits = false;
        if (integral) {
            auto ri = std::from_chars(b, e, n);
            fits = ri.ec == std::errc() && ri.ptr == e;
        }
        return JsonValue::number(d, fits, n);
    }

    unsigned hex4() {
        if (i_ + 4 > s_.size()) error("truncated \\u escape", "four hex digits");
        unsigned v = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            v <<= 4;
            if (c >= '0' && c <= '9') v |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') v |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') v |= static_cast<unsigned>(c - 'A' + 10);
            else { --i_; error("bad hex digit in a \\u escape", "0-9, a-f or A-F"); }
        }
        return v;
    }

    static void put_utf8(std::string& out, unsigned cp) {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp < 0x800) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    // Validates one raw UTF-8 sequence starting at i_ and copies it.
    void utf8(std::string& out) {
        const auto c0 = static_cast<unsigned char>(s_[i_]);
        int n = 0;
        unsigned cp = 0;
        if (c0 >= 0xC2 && c0 <= 0xDF) { n = 1; cp = c0 & 0x1F; }
        else if (c0 >= 0xE0 && c0 <= 0xEF) { n = 2; cp = c0 & 0x0F; }
        else if (c0 >= 0xF0 && c0 <= 0xF4) { n = 3; cp = c0 & 0x07; }
        else error("invalid UTF-8 byte", "valid UTF-8 text");
        if (i_ + static_cast<std::size_t>(n) >= s_.size()) error("truncated UTF-8 sequence", "valid UTF-8 text");
        for (int k = 1; k <= n; ++k) {
            const auto c = static_cast<unsigned char>(s_[i_ + k]);
            if ((c & 0xC0) != 0x80) error("invalid UTF-8 continuation byte", "valid UTF-8 text");
            cp = (cp << 6) | (c & 0x3F);
        }
        const unsigned min[] = {0, 0x80, 0x800, 0x10000};
        if (cp < min[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            error("overlong or invalid UTF-8 sequence", "valid UTF-8 text");
        }
        out.append(s_.data() + i_, static_cast<std::size_t>(n + 1));
        i_ += static_cast<std::size_t>(n + 1);
    }

    std::string string() {
        ++i_;  // opening quote
        std::string out;
        for (;;) {
            if (i_ >= s_.size()) error("unterminated string", "a closing '\"'");
            const auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return out;
            }
            if (c < 0x20) error("control character in a string", "an escape such as \\n or \\t");
            if (c >= 0x80) {
                utf8(out);
                continue;
            }
            if (c != '\\') {
                out += static_cast<char>(c);
                ++i_;
                continue;
            }
            if (++i_ >= s_.size()) error("unterminated escape", "an escape character");
            const char e = s_[i_++];
            switch (e) {
                case '"': out += '"'; break;
                case '\\': out += '\\'; break;
                case '/': out += '/'; break;
                case 'b': out += '\b'; break;
                case 'f': out += '\f'; break;
                case 'n': out += '\n'; break;
                case 'r': out += '\r'; break;
                case 't': out += '\t'; break;
                case 'u': {
                    unsigned cp = hex4();
                    if (cp >= 0xDC00 && cp <= 0xDFFF) {
                        i_ -= 6;
                        error("lone low surrogate in a \\u escape", "a high surrogate first");
                    }
                    if (cp >= 0xD800 && cp <= 0xDBFF) {
                        if (!(i_ + 1 < s_.size() && s_[i_] == '\\' && s_[i_ + 1] == 'u')) {
                            error("high surrogate without a following low surrogate",
                                  "a \\uDC00-\\uDFFF escape");
                        }
                        i_ += 2;
                        const unsigned lo = hex4();
                        if (lo < 0xDC00 || lo > 0xDFFF) {
                            i_ -= 6;
                            error("high surrogate without a following low surrogate",
                                  "a \\uDC00-\\uDFFF escape");
                        }
                        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    }
                    put_utf8(out, cp);
                    break;
                }
                default:
                    --i_;
                    error("invalid escape", "one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX");
            }
        }
    }

    std::string_view s_;
    std::size_t i_ = 0;
    int max_depth_;
    std::string where_;
    std::int64_t line0_;
};

std::string slurp(const std::string& path, const char* where) {
    std::error_code ec;
    TFC_CHECK(std::filesystem::is_regular_file(path, ec), where, "file not found",
              "'" + path + "'", "an existing JSON file", "check the path");
    std::ifstream f(path, std::ios::binary);
    TFC_CHECK(f.good(), where, "cannot open the file", "'" + path + "'", "a readable file",
              "check the file's permissions");
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

JsonValue parse_json(std::string_view text, const JsonOptions& options) {
    return Parser(text, options, "parse_json", 1).parse_document();
}

JsonValue read_json(const std::string& path, const JsonOptions& options) {
    const std::string text = slurp(path, "read_json");
    return Parser(text, options, "read_json '" + path + "'", 1).parse_document();
}

std::vector<JsonValue> read_json_lines(const std::string& path, const JsonOptions& options) {
    std::error_code ec;
    TFC_CHECK(std::filesystem::is_regular_file(path, ec), "read_json_lines", "file not found",
              "'" + path + "'", "an existing JSON Lines file", "check the path");
    std::ifstream f(path, std::ios::binary);
    std::vector<JsonValue> out;
    std::string line;
    std::int64_t n = 0;
    while (std::getline(f, line)) {
        ++n;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.find_first_not_of(" \t") == std::string::npos) continue;
        out.push_back(Parser(line, options, "read_json_lines '" + path + "'", n).parse_document());
    }
    return out;
}

Table read_json_records(const std::string& path, const JsonOptions& options) {
    const std::string text = slurp(path, "read_json_records");
    const std::size_t first = text.find_first_not_of(" \t\r\n");
    if (first != std::string::npos && text[first] == '[') {
        JsonValue v = Parser(text, options, "read_json_records '" + path + "'", 1).parse_document();
        return json_records_to_table(v.as_array());
    }
    return json_records_to_table(read_json_lines(path, options));
}

}  // namespace tfc::data
