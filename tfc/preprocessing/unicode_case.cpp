// UTF-8 decoding and Python's str.lower() (see unicode_case_impl.h).
#include <algorithm>

#include "tfc/preprocessing/unicode_case_impl.h"

namespace tfc::preprocessing_detail {
namespace {

bool in_ranges(const CodeRange* ranges, int n, std::uint32_t cp) {
    const CodeRange* end = ranges + n;
    const CodeRange* it = std::upper_bound(
        ranges, end, cp, [](std::uint32_t v, const CodeRange& r) { return v < r.first; });
    return it != ranges && cp <= (it - 1)->last;
}

bool is_case_ignorable(std::uint32_t cp) {
    return (cp & kInvalidByte) == 0 && in_ranges(kCaseIgnorableRuns, kNumCaseIgnorableRuns, cp);
}
bool is_cased(std::uint32_t cp) {
    return (cp & kInvalidByte) == 0 && in_ranges(kCasedRuns, kNumCasedRuns, cp);
}

// CPython's rule for U+03A3 at [pos, next): final sigma when preceded by a cased letter (skipping
// case-ignorable ones) and not followed by one (skipping case-ignorable ones).
bool is_final_sigma(std::string_view s, std::size_t pos, std::size_t next) {
    std::size_t j = pos;
    bool found_cased = false;
    while (j > 0) {
        j = previous_cp_start(s, j);
        std::size_t k = j;
        std::uint32_t c = decode_utf8(s, k);
        if (is_case_ignorable(c)) continue;
        found_cased = is_cased(c);
        break;
    }
    if (!found_cased) return false;
    std::size_t k = next;
    while (k < s.size()) {
        std::uint32_t c = decode_utf8(s, k);
        if (is_case_ignorable(c)) continue;
        return !is_cased(c);
    }
    return true;
}

}  // namespace

std::uint32_t decode_utf8(std::string_view s, std::size_t& i) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
        ++i;
        return b0;
    }
    int len = 0;
    std::uint32_t cp = 0;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        len = 2;
        cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        len = 3;
        cp = b0 & 0x0F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        len = 4;
        cp = b0 & 0x07;
    }
    if (len == 0 || i + len > s.size()) {
        ++i;
        return kInvalidByte | b0;
    }
    for (int k = 1; k < len; ++k) {
        const auto b = static_cast<unsigned char>(s[i + k]);
        if ((b & 0xC0) != 0x80) {
            ++i;
            return kInvalidByte | b0;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    // Reject overlong forms, surrogates and values above U+10FFFF.
    if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++i;
        return kInvalidByte | b0;
    }
    i += len;
    return cp;
}

std::size_t previous_cp_start(std::string_view s, std::size_t i) {
    // Step back over up to three continuation bytes, then check that the decode lands on i.
    std::size_t start = i - 1;
    for (int back = 1; back <= 3 && start > 0; ++back) {
        if ((static_cast<unsigned char>(s[start]) & 0xC0) != 0x80) break;
        --start;
    }
    std::size_t k = start;
    decode_utf8(s, k);
    return k == i ? start : i - 1;
}

void append_utf8(std::string& out, std::uint32_t cp) {
    if (cp & kInvalidByte) {
        out.push_back(static_cast<char>(cp & 0xFF));
    } else if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

std::uint32_t simple_lower(std::uint32_t cp) {
    if (cp < 0x80) return (cp >= 'A' && cp <= 'Z') ? cp + 32 : cp;
    if (cp & kInvalidByte) return cp;
    const LowerRun* end = kLowerRuns + kNumLowerRuns;
    const LowerRun* it = std::upper_bound(
        kLowerRuns, end, cp, [](std::uint32_t v, const LowerRun& r) { return v < r.first; });
    if (it == kLowerRuns) return cp;
    const LowerRun& r = *(it - 1);
    if (cp > r.last || (cp - r.first) % r.stride != 0) return cp;
    return static_cast<std::uint32_t>(static_cast<std::int64_t>(cp) + r.delta);
}

void append_lower_cp(std::string_view text, std::size_t start, std::size_t end, std::uint32_t cp,
                     std::string& out) {
    if (cp == 0x3A3) {
        append_utf8(out, is_final_sigma(text, start, end) ? 0x3C2 : 0x3C3);
        return;
    }
    for (int k = 0; k < kNumMultiLower; ++k) {
        if (kMultiLower[k].cp == cp) {
            out += kMultiLower[k].utf8;
            return;
        }
    }
    append_utf8(out, simple_lower(cp));
}

void append_python_lower(std::string_view text, std::string& out) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x80) {
            out.push_back(static_cast<char>((b >= 'A' && b <= 'Z') ? b + 32 : b));
            ++i;
            continue;
        }
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(text, i);
        append_lower_cp(text, start, i, cp, out);
    }
}

std::string python_lower(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    append_python_lower(text, out);
    return out;
}

std::string ascii_lower(std::string_view text) {
    std::string out(text);
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c + 32);
    }
    return out;
}

}  // namespace tfc::preprocessing_detail
