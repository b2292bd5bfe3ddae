// text_to_word_sequence and the word splitters behind it and Tokenizer (see text_split.h and
// text_split_impl.h).
#include "tfc/preprocessing/text_split.h"

#include <algorithm>
#include <bit>
#include <cstring>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include "tfc/core/error.h"
#include "tfc/preprocessing/text_split_impl.h"
#include "tfc/preprocessing/unicode_case_impl.h"

namespace tfc {
namespace preprocessing_detail {
namespace {

constexpr std::uint64_t low_bits(std::size_t n) {
    return n >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << n) - 1;
}

}  // namespace

TextFilter::TextFilter(std::string_view filters) {
    std::size_t i = 0;
    while (i < filters.size()) {
        const std::uint32_t cp = decode_utf8(filters, i);
        if (cp < 0x80) {
            ascii_[cp] = true;
        } else if ((cp & kInvalidByte) == 0) {
            cps_.push_back(cp);
        }
    }
    std::sort(cps_.begin(), cps_.end());
}

bool TextFilter::contains(std::uint32_t cp) const {
    if (cp < 0x80) return ascii_[cp];
    if (cp & kInvalidByte) return false;
    return std::binary_search(cps_.begin(), cps_.end(), cp);
}

void check_split(const std::string& split, const char* where) {
    TFC_CHECK(!split.empty(), where, "split must not be empty (Python raises 'empty separator')",
              "split=\"\"", "a non-empty separator such as \" \"", "pass .split = \" \"");
}

void clean_text(std::string_view text, const TextFilter& filter, bool lower, std::string_view split,
                std::string& out) {
    out.clear();
    out.reserve(text.size() + 8);
    auto emit = [&](std::uint32_t cp) {
        if (filter.contains(cp)) {
            out.append(split);
        } else {
            append_utf8(out, cp);
        }
    };
    const bool opaque_non_ascii = !lower && !filter.has_non_ascii();
    std::string piece;
    std::size_t i = 0;
    while (i < text.size()) {
        auto b = static_cast<unsigned char>(text[i]);
        if (b < 0x80) {
            if (lower && b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 32);
            if (filter.ascii(b)) {
                out.append(split);
            } else {
                out.push_back(static_cast<char>(b));
            }
            ++i;
            continue;
        }
        if (opaque_non_ascii) {
            out.push_back(static_cast<char>(b));
            ++i;
            continue;
        }
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(text, i);
        if (!lower) {
            emit(cp);
            continue;
        }
        piece.clear();  // the lowercase may depend on context or be several code points
        append_lower_cp(text, start, i, cp, piece);
        std::size_t k = 0;
        while (k < piece.size()) emit(decode_utf8(piece, k));
    }
}

WordSplitter::WordSplitter(const TextFilter& filter, bool lower, char split, bool use_simd)
    : filter_(filter), lower_(lower), use_simd_(use_simd) {
    // A byte b < 0x80 is in the boundary set when lo_nibble_[b & 15] has bit (b >> 4) set; the
    // high-nibble table maps nibble h to that bit (and bytes >= 0x80 to nothing).
    for (int c = 0; c < 128; ++c) {
        boundary_[c] =
            filter.ascii(static_cast<unsigned char>(c)) || c == static_cast<unsigned char>(split);
        if (boundary_[c]) lo_nibble_[c & 15] |= static_cast<unsigned char>(1u << (c >> 4));
    }
    for (int h = 0; h < 8; ++h) hi_nibble_[h] = static_cast<unsigned char>(1u << h);
}

WordSplitter::Chunk WordSplitter::classify_table(const unsigned char* src, char* dst) const {
    Chunk c{0, 0};
    for (int j = 0; j < 64; ++j) {
        unsigned char b = src[j];
        if (b >= 0x80) {
            c.non_ascii |= std::uint64_t{1} << j;
        } else {
            if (lower_ && b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 32);
            if (boundary_[b]) c.boundary |= std::uint64_t{1} << j;
        }
        dst[j] = static_cast<char>(b);
    }
    return c;
}

WordSplitter::Chunk WordSplitter::classify(const unsigned char* src, char* dst) const {
#if defined(__AVX2__)
    if (use_simd_) {
        const __m256i lo_table = _mm256_broadcastsi128_si256(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(lo_nibble_)));
        const __m256i hi_table = _mm256_broadcastsi128_si256(
            _mm_loadu_si128(reinterpret_cast<const __m128i*>(hi_nibble_)));
        const __m256i nibble = _mm256_set1_epi8(0x0F);
        std::uint64_t boundary = 0, non_ascii = 0;
        for (int half = 0; half < 2; ++half) {
            __m256i v = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + 32 * half));
            const auto high = static_cast<std::uint32_t>(_mm256_movemask_epi8(v));
            if (lower_) {  // 'A'..'Z' + 32; bytes >= 0x80 compare as negative and stay
                const __m256i ge_a = _mm256_cmpgt_epi8(v, _mm256_set1_epi8('A' - 1));
                const __m256i le_z = _mm256_cmpgt_epi8(_mm256_set1_epi8('Z' + 1), v);
                const __m256i upper = _mm256_and_si256(ge_a, le_z);
                v = _mm256_add_epi8(v, _mm256_and_si256(upper, _mm256_set1_epi8(0x20)));
            }
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 32 * half), v);
            const __m256i lo = _mm256_shuffle_epi8(lo_table, _mm256_and_si256(v, nibble));
            const __m256i hi =
                _mm256_shuffle_epi8(hi_table, _mm256_and_si256(_mm256_srli_epi16(v, 4), nibble));
            const __m256i miss =
                _mm256_cmpeq_epi8(_mm256_and_si256(lo, hi), _mm256_setzero_si256());
            const auto hit = ~static_cast<std::uint32_t>(_mm256_movemask_epi8(miss));
            boundary |= static_cast<std::uint64_t>(hit) << (32 * half);
            non_ascii |= static_cast<std::uint64_t>(high) << (32 * half);
        }
        return {boundary & ~non_ascii, non_ascii};
    }
#endif
    return classify_table(src, dst);
}

std::size_t WordSplitter::code_point(std::string_view text, std::size_t i) {
    const std::size_t start = i;
    const std::uint32_t cp = decode_utf8(text, i);
    char* out = buf_.data();
    if (!lower_) {
        if (filter_.contains(cp)) {
            end_word();
        } else {
            std::memcpy(out + pos_, text.data() + start, i - start);
            pos_ += i - start;
        }
        return i;
    }
    piece_.clear();  // the lowercase may depend on context or be several code points
    append_lower_cp(text, start, i, cp, piece_);
    std::size_t k = 0;
    while (k < piece_.size()) {
        const std::size_t s = k;
        const std::uint32_t cl = decode_utf8(piece_, k);
        if (cl < 0x80 ? boundary_[cl] : filter_.contains(cl)) {
            end_word();
        } else {
            std::memcpy(out + pos_, piece_.data() + s, k - s);
            pos_ += k - s;
        }
    }
    return i;
}

void WordSplitter::split(std::string_view text, std::vector<std::string_view>& words) {
    words.clear();
    words_ = &words;
    const std::size_t n = text.size();
    // Lowercasing grows a code point by at most half (2 -> 3 bytes), a chunk writes 64 bytes
    // past the write position, and words stay readable kReadPad bytes past their end.
    const std::size_t need = 2 * n + 64 + 64 + kReadPad;
    if (buf_.size() < need) buf_.resize(need);
    pos_ = start_ = 0;
    const auto* src = reinterpret_cast<const unsigned char*>(text.data());
    unsigned char tail[64];
    std::size_t i = 0;
    while (i < n) {
        const std::size_t avail = n - i;
        const unsigned char* p = src + i;
        if (avail < 64) {
            std::memcpy(tail, p, avail);
            std::memset(tail + avail, 0, 64 - avail);
            p = tail;
        }
        const Chunk c = classify(p, buf_.data() + pos_);
        std::size_t len = std::min<std::size_t>(avail, 64);
        const std::uint64_t non_ascii = c.non_ascii & low_bits(len);
        if (non_ascii) len = static_cast<std::size_t>(std::countr_zero(non_ascii));
        if (len > 0) {
            // Bytes [pos_, pos_ + len) of buf_ now hold the chunk's ASCII prefix. A word starts
            // at a word byte after a boundary (or after the previous word's end) and ends at a
            // boundary after a word byte; starts and ends alternate.
            const std::uint64_t boundary = c.boundary & low_bits(len);
            const std::uint64_t word = ~boundary & low_bits(len);
            const std::uint64_t in_word = pos_ > start_ ? 1 : 0;  // the byte before is a word byte
            const std::uint64_t after_word = (word << 1) | in_word;
            std::uint64_t starts = word & ~after_word;
            std::uint64_t ends = boundary & after_word;
            const char* out = buf_.data();
            if (in_word && ends) {
                const std::size_t e = pos_ + static_cast<std::size_t>(std::countr_zero(ends));
                ends &= ends - 1;
                words.emplace_back(out + start_, e - start_);
            }
            while (starts) {
                start_ = pos_ + static_cast<std::size_t>(std::countr_zero(starts));
                starts &= starts - 1;
                if (!ends) break;  // the word runs on past the chunk
                const std::size_t e = pos_ + static_cast<std::size_t>(std::countr_zero(ends));
                ends &= ends - 1;
                words.emplace_back(out + start_, e - start_);
            }
            pos_ += len;
            if ((boundary >> (len - 1)) & 1) start_ = pos_;
            i += len;
        }
        if (non_ascii) i = code_point(text, i);
    }
    end_word();
    words_ = nullptr;
}

}  // namespace preprocessing_detail

std::vector<std::string> text_to_word_sequence(std::string_view text,
                                               const TextToWordSequenceOptions& options) {
    using namespace preprocessing_detail;
    check_split(options.split, "[text_to_word_sequence]");
    const TextFilter filter(options.filters);
    std::vector<std::string> out;
    if (WordSplitter::applies(options.split)) {
        WordSplitter splitter(filter, options.lower, options.split[0]);
        std::vector<std::string_view> words;
        splitter.split(text, words);
        out.assign(words.begin(), words.end());
        return out;
    }
    std::string buf;
    clean_text(text, filter, options.lower, options.split, buf);
    split_nonempty(buf, options.split, [&](std::string_view w) { out.emplace_back(w); });
    return out;
}

}  // namespace tfc
