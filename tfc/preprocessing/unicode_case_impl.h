// Internal: UTF-8 helpers and the lowercase mapping of Python's str.lower(), which the Keras
// Tokenizer (keras_preprocessing text.py) applies to every text. The data lives in the generated
// unicode_case_table.cpp (tools/golden/unicode_case_table.py, measured on Python 3.11, Unicode 14).
//
// Coverage: every single-code-point lowercase mapping, U+0130 -> "i" U+0307, and the Final_Sigma
// rule for U+03A3. Input bytes that are not valid UTF-8 are copied through unchanged, one byte per
// "character" (Python never sees such text: it decodes files first).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace tfc::preprocessing_detail {

struct LowerRun {
    std::uint32_t first, last;
    std::int32_t delta;
    std::uint32_t stride;
};
struct MultiLower {
    std::uint32_t cp;
    const char* utf8;
};
struct CodeRange {
    std::uint32_t first, last;
};

extern const char* const kUnicodeVersion;
extern const LowerRun kLowerRuns[];
extern const int kNumLowerRuns;
extern const MultiLower kMultiLower[];
extern const int kNumMultiLower;
extern const CodeRange kCasedRuns[];
extern const int kNumCasedRuns;
extern const CodeRange kCaseIgnorableRuns[];
extern const int kNumCaseIgnorableRuns;

constexpr std::uint32_t kInvalidByte = 0x80000000u;  // marks an undecodable byte: cp = flag | byte

// Decodes one code point at s[i]; advances i. Invalid sequences yield kInvalidByte | byte and
// advance by one byte.
std::uint32_t decode_utf8(std::string_view s, std::size_t& i);
// Start of the code point that ends just before position i (i > 0).
std::size_t previous_cp_start(std::string_view s, std::size_t i);
void append_utf8(std::string& out, std::uint32_t cp);  // kInvalidByte values append the raw byte

// Single code point lowercase (the code point itself when unmapped or multi-valued).
std::uint32_t simple_lower(std::uint32_t cp);
// Appends the lowercase of the code point `cp` found at text[start, end), with its context
// (Final_Sigma looks at the neighbours; U+0130 lowers to two code points).
void append_lower_cp(std::string_view text, std::size_t start, std::size_t end, std::uint32_t cp,
                     std::string& out);
// Appends Python's `str.lower()` of `text` to `out`.
void append_python_lower(std::string_view text, std::string& out);
std::string python_lower(std::string_view text);
// ASCII-only lowercase: tf.strings.lower with its default encoding="" (TextVectorization).
std::string ascii_lower(std::string_view text);

}  // namespace tfc::preprocessing_detail
