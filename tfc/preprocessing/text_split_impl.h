// Internal: splitting texts into words the Keras way (text_to_word_sequence and Tokenizer).
// Python does `text.lower()`, then `text.translate({c: split for c in filters})`, then
// `text.split(split)` and drops the empty strings.
//
// Two implementations with the same output:
//  * clean_text + split_nonempty: the general one (any `split`), one cleaned copy of the text;
//  * WordSplitter: the common case (`split` one ASCII byte), a single pass over the bytes that
//    lowercases, filters and cuts words together, 64 bytes at a time for ASCII text (AVX2 where
//    the compiler targets it, else a table) and one code point at a time for the rest.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace tfc::preprocessing_detail {

// The characters of a `filters` string.
class TextFilter {
public:
    explicit TextFilter(std::string_view filters);
    bool ascii(unsigned char c) const { return ascii_[c]; }  // c < 0x80
    // Any decoded code point (kInvalidByte values are never filtered).
    bool contains(std::uint32_t cp) const;
    bool has_non_ascii() const { return !cps_.empty(); }

private:
    bool ascii_[128] = {};
    std::vector<std::uint32_t> cps_;  // non-ASCII code points, sorted
};

// Python's "empty separator" ValueError, in tfc's format.
void check_split(const std::string& split, const char* where);

// `text` lowercased (when `lower`) with every filter character replaced by `split`, into `out`.
void clean_text(std::string_view text, const TextFilter& filter, bool lower, std::string_view split,
                std::string& out);

// Python's `s.split(sep)` followed by dropping empty strings: f(std::string_view) per word.
template <typename F>
void split_nonempty(std::string_view s, std::string_view sep, F&& f) {
    if (sep.size() == 1) {
        const char c = sep[0];
        std::size_t begin = 0;
        const std::size_t n = s.size();
        for (std::size_t i = 0; i < n; ++i) {
            if (s[i] == c) {
                if (i > begin) f(s.substr(begin, i - begin));
                begin = i + 1;
            }
        }
        if (n > begin) f(s.substr(begin));
        return;
    }
    std::size_t begin = 0;
    while (true) {
        const std::size_t pos = s.find(sep, begin);
        if (pos == std::string_view::npos) {
            if (s.size() > begin) f(s.substr(begin));
            return;
        }
        if (pos > begin) f(s.substr(begin, pos - begin));
        begin = pos + sep.size();
    }
}

// The single-pass splitter for a one-byte ASCII `split` (see the file comment).
class WordSplitter {
public:
    static constexpr std::size_t kReadPad = 32;  // readable bytes after every word

    static bool applies(std::string_view split) {
        return split.size() == 1 && static_cast<unsigned char>(split[0]) < 0x80;
    }
    // `filter` must outlive the splitter. use_simd = false forces the portable classifier
    // (tests compare the two).
    WordSplitter(const TextFilter& filter, bool lower, char split, bool use_simd = true);

    // The words of `text`, in order, replacing the contents of `words`. The views point into the
    // splitter's buffer: valid until the next split(), each readable kReadPad bytes past its end.
    void split(std::string_view text, std::vector<std::string_view>& words);

private:
    struct Chunk {
        std::uint64_t boundary;   // bit j: byte j (lowercased) is a filter character or `split`
        std::uint64_t non_ascii;  // bit j: byte j is >= 0x80
    };
    // Classifies 64 bytes at src and writes them, lowercased, to dst.
    Chunk classify(const unsigned char* src, char* dst) const;
    Chunk classify_table(const unsigned char* src, char* dst) const;
    // One non-ASCII code point (or invalid byte) at text[i]; returns the position after it.
    std::size_t code_point(std::string_view text, std::size_t i);
    void end_word() {
        if (pos_ > start_) words_->emplace_back(buf_.data() + start_, pos_ - start_);
        start_ = pos_;
    }

    const TextFilter& filter_;
    bool lower_;
    bool use_simd_;
    bool boundary_[128] = {};           // a lowercased ASCII byte that cuts words
    unsigned char lo_nibble_[16] = {};  // boundary set as nibble tables (see classify)
    unsigned char hi_nibble_[16] = {};
    std::string buf_;                  // lowercased text; words are ranges of it
    std::string piece_;                // the lowercase of one code point
    std::size_t pos_ = 0, start_ = 0;  // write position; start of the current word
    std::vector<std::string_view>* words_ = nullptr;
};

}  // namespace tfc::preprocessing_detail
