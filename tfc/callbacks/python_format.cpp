#include "tfc/callbacks/python_format.h"

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "tfc/core/error.h"

namespace tfc {
namespace {

struct Spec {
    bool zero_pad = false;
    int width = 0;
    int precision = -1;  // -1: not given
    char type = '\0';    // '\0': not given
};

Spec parse_spec(const std::string& field, const std::string& spec, const std::string& where) {
    Spec out;
    std::size_t i = 0;
    auto digits = [&](int& value) {
        std::size_t start = i;
        value = 0;
        while (i < spec.size() && spec[i] >= '0' && spec[i] <= '9') {
            value = value * 10 + (spec[i] - '0');
            ++i;
        }
        return i > start;
    };
    if (i < spec.size() && spec[i] == '0') {
        out.zero_pad = true;
        ++i;
    }
    digits(out.width);
    if (i < spec.size() && spec[i] == '.') {
        ++i;
        TFC_CHECK(digits(out.precision), where, "Format spec has '.' without a precision",
                  "{" + field + ":" + spec + "}", "a spec like {val_loss:.2f}",
                  "write the number of digits after the '.'");
    }
    if (i < spec.size()) {
        out.type = spec[i];
        ++i;
    }
    const std::string_view types = "dfFeEgG";
    TFC_CHECK(i == spec.size() && (out.type == '\0' || types.find(out.type) != types.npos), where,
              "Unsupported format spec in the file path", "{" + field + ":" + spec + "}",
              "[0][width][.precision][type] with type d, f, e, g (e.g. {epoch:02d}, {loss:.4f})",
              "rewrite the placeholder in that form");
    return out;
}

std::string pad(std::string text, const Spec& spec) {
    if (static_cast<int>(text.size()) >= spec.width) return text;
    const std::size_t missing = spec.width - text.size();
    // Python right-aligns numbers; '0' pads between the sign and the digits (also for nan/inf).
    if (spec.zero_pad) {
        const std::size_t sign = (text[0] == '-') ? 1 : 0;
        text.insert(sign, missing, '0');
        return text;
    }
    return std::string(missing, ' ') + text;
}

std::string printf_double(char type, int precision, double value) {
    const char fmt[] = {'%', '.', '*', type, '\0'};
    const int n = std::snprintf(nullptr, 0, fmt, precision, value);
    std::string out(static_cast<std::size_t>(n) + 1, '\0');
    std::snprintf(out.data(), out.size(), fmt, precision, value);
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::string format_value(const std::string& field,
                         const std::string& spec_text,
                         const FormatValue& value,
                         const std::string& where) {
    const Spec spec = parse_spec(field, spec_text, where);
    if (const auto* i = std::get_if<std::int64_t>(&value)) {
        if (spec.type == '\0' || spec.type == 'd') {
            TFC_CHECK(spec.precision < 0, where, "Precision is not allowed for an integer",
                      "{" + field + ":" + spec_text + "}",
                      "{" + field + ":d} or {" + field + ":02d}", "drop the '.N' part");
            return pad(std::to_string(*i), spec);
        }
        // Python converts an int to float for f/e/g.
        const int precision = spec.precision < 0 ? 6 : spec.precision;
        return pad(printf_double(spec.type, precision, static_cast<double>(*i)), spec);
    }
    const double d = std::get<double>(value);
    TFC_CHECK(spec.type != 'd', where, "Format code 'd' needs an integer value",
              "{" + field + ":" + spec_text + "} with the float " + python_repr(d),
              "a float format such as {" + field + ":.2f}", "use .Nf, .Ne or .Ng for log values");
    if (spec.type == '\0') {
        TFC_CHECK(spec.precision < 0, where, "A precision needs a format type in this formatter",
                  "{" + field + ":" + spec_text + "}", "{" + field + ":.Nf} or {" + field + ":.Ne}",
                  "add the type letter, e.g. {" + field + ":.4f}");
        return pad(python_repr(d), spec);
    }
    const int precision = spec.precision < 0 ? 6 : spec.precision;
    return pad(printf_double(spec.type, precision, d), spec);
}

std::string available_keys(const std::map<std::string, FormatValue>& values) {
    std::string out;
    for (const auto& [key, value] : values) out += (out.empty() ? "" : ", ") + key;
    return out.empty() ? "none" : out;
}

}  // namespace

std::string python_repr(double value) {
    if (std::isnan(value)) return "nan";
    if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
    if (value == 0.0) return std::signbit(value) ? "-0.0" : "0.0";

    // Shortest round-trip digits, e.g. "-1.2345e-05".
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof(buf), value, std::chars_format::scientific);
    std::string sci(buf, res.ptr);
    const bool negative = sci[0] == '-';
    if (negative) sci.erase(0, 1);
    const std::size_t e = sci.find('e');
    const int exponent = std::atoi(sci.c_str() + e + 1);
    std::string digits = sci.substr(0, e);
    if (digits.size() > 1) digits.erase(1, 1);  // drop the '.'

    std::string out;
    if (exponent < -4 || exponent >= 16) {
        out = digits.substr(0, 1);
        if (digits.size() > 1) out += "." + digits.substr(1);
        const int mag = std::abs(exponent);
        out += exponent < 0 ? "e-" : "e+";
        if (mag < 10) out += '0';
        out += std::to_string(mag);
    } else if (exponent < 0) {
        out = "0." + std::string(static_cast<std::size_t>(-exponent - 1), '0') + digits;
    } else {
        const std::size_t int_digits = static_cast<std::size_t>(exponent) + 1;
        if (digits.size() <= int_digits) {
            out = digits + std::string(int_digits - digits.size(), '0') + ".0";
        } else {
            out = digits.substr(0, int_digits) + "." + digits.substr(int_digits);
        }
    }
    return negative ? "-" + out : out;
}

std::string python_format(const std::string& pattern,
                          const std::map<std::string, FormatValue>& values,
                          const std::string& where) {
    std::string out;
    std::size_t i = 0;
    while (i < pattern.size()) {
        const char c = pattern[i];
        if (c == '}') {
            TFC_CHECK(i + 1 < pattern.size() && pattern[i + 1] == '}', where,
                      "Single '}' in the file path", "\"" + pattern + "\"",
                      "'}}' for a literal brace or a {name} placeholder",
                      "double the brace or close a placeholder");
            out += '}';
            i += 2;
            continue;
        }
        if (c != '{') {
            out += c;
            ++i;
            continue;
        }
        if (i + 1 < pattern.size() && pattern[i + 1] == '{') {
            out += '{';
            i += 2;
            continue;
        }
        const std::size_t close = pattern.find('}', i);
        TFC_CHECK(close != std::string::npos, where, "Unclosed '{' in the file path",
                  "\"" + pattern + "\"", "placeholders like {epoch:02d}",
                  "close the placeholder or write '{{' for a literal brace");
        const std::string body = pattern.substr(i + 1, close - i - 1);
        const std::size_t colon = body.find(':');
        const std::string name = body.substr(0, colon);
        const std::string spec = colon == std::string::npos ? "" : body.substr(colon + 1);
        const auto it = values.find(name);
        TFC_CHECK(
            it != values.end(), where,
            "Failed to format the file path \"" + pattern + "\": no value named `" + name + "`",
            "the keys " + available_keys(values), "a placeholder naming one of them",
            "monitor a key that is in the logs (val_* keys need validation data)");
        out += format_value(name, spec, it->second, where);
        i = close + 1;
    }
    return out;
}

}  // namespace tfc
