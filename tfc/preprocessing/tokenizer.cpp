// Tokenizer (keras_preprocessing 1.1.0 text.py); see tokenizer.h.
#include "tfc/preprocessing/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

#include "tfc/core/error.h"
#include "tfc/preprocessing/unicode_case_impl.h"

namespace tfc {

using namespace preprocessing_detail;

namespace {

// Lowercase (optionally) and replace filter characters by `split`, in one pass. Python does
// `text.lower()` then `text.translate({c: split for c in filters})`.
struct TextCleaner {
    const bool* ascii_filter;
    const std::vector<std::uint32_t>* filter_cps;
    bool lower;
    std::string_view split;

    bool filtered(std::uint32_t cp) const {
        if (cp < 0x80) return ascii_filter[cp];
        if (cp & kInvalidByte) return false;
        return std::binary_search(filter_cps->begin(), filter_cps->end(), cp);
    }
    void emit(std::uint32_t cp, std::string& out) const {
        if (filtered(cp)) {
            out.append(split);
        } else {
            append_utf8(out, cp);
        }
    }
    void run(std::string_view text, std::string& out, std::string& piece) const {
        out.clear();
        out.reserve(text.size() + 8);
        const bool opaque_non_ascii = !lower && filter_cps->empty();
        const char split0 = split.size() == 1 ? split[0] : '\0';
        std::size_t i = 0;
        const std::size_t n = text.size();
        while (i < n) {
            auto b = static_cast<unsigned char>(text[i]);
            if (b < 0x80) {
                if (lower && b >= 'A' && b <= 'Z') b = static_cast<unsigned char>(b + 32);
                if (ascii_filter[b]) {
                    if (split.size() == 1) {
                        out.push_back(split0);
                    } else {
                        out.append(split);
                    }
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
                emit(cp, out);
                continue;
            }
            piece.clear();  // the lowercase may depend on context or be several code points
            append_lower_cp(text, start, i, cp, piece);
            std::size_t k = 0;
            while (k < piece.size()) emit(decode_utf8(piece, k), out);
        }
    }
};

// Python's `str.split(sep)` followed by dropping empty strings.
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

// The common case in one pass, without an intermediate cleaned text: `split` is one ASCII byte
// and char_level is off. The tokens are written one after the other into a reused buffer (padded
// for StringIndex::pack_padded) and handed to `f` as they end. ASCII bytes go through one table
// (lowercase, then filter or split -> token boundary); other bytes take the full Unicode path.
// Same result as TextCleaner + split_nonempty: after lowering, a filtered code point or the split
// byte ends a token, and empty tokens are dropped.
class FastTokenizer {
  public:
    FastTokenizer(const bool* ascii_filter, const std::vector<std::uint32_t>* filter_cps,
                  bool lower, char split)
        : filter_cps_(filter_cps), lower_(lower), split_(split) {
        for (int b = 0; b < 256; ++b) {
            if (b >= 0x80) {
                table_[b] = kSlow;
                continue;
            }
            int c = b;
            if (lower && c >= 'A' && c <= 'Z') c += 32;
            table_[b] = (ascii_filter[c] || c == static_cast<unsigned char>(split))
                            ? kBoundary
                            : static_cast<std::int16_t>(c);
        }
    }
    static bool applies(const TokenizerOptions& o) {
        return !o.char_level && o.split.size() == 1 && static_cast<unsigned char>(o.split[0]) < 0x80;
    }

    // f(const char* token, std::size_t size) for each token, in order. Tokens are laid out one
    // after the other in one buffer that stays valid until the next run(), and
    // token[0, size + StringIndex::kPad) is readable.
    template <typename F>
    void run(std::string_view text, F&& f) {
        // Lowercasing grows a code point by at most half (2 -> 3 bytes): 2x covers it.
        if (buf_.size() < text.size() * 2 + 64) buf_.resize(text.size() * 2 + 64);
        Cursor c{buf_.data(), 0, 0};
        const std::size_t n = text.size();
        const auto* src = reinterpret_cast<const unsigned char*>(text.data());
        std::size_t i = 0;
        while (i < n) {
            const std::int16_t t = table_[src[i]];
            if (t >= 0) {
                c.out[c.pos++] = static_cast<char>(t);
                ++i;
            } else if (t == kBoundary) {
                c.end_token(f);
                ++i;
            } else {
                i = slow(text, i, c, f);
            }
        }
        c.end_token(f);
    }

  private:
    static constexpr std::int16_t kBoundary = -1;
    static constexpr std::int16_t kSlow = -2;

    struct Cursor {
        char* out;
        std::size_t start, pos;  // current token: out[start, pos)
        template <typename F>
        void end_token(F& f) {
            if (pos > start) f(static_cast<const char*>(out + start), pos - start);
            start = pos;
        }
        void append(const char* p, std::size_t n) {
            std::memcpy(out + pos, p, n);
            pos += n;
        }
    };

    bool boundary(std::uint32_t cp) const {
        if (cp < 0x80) return table_[cp] == kBoundary;  // cp is already lowercase here
        if (cp & kInvalidByte) return false;
        return std::binary_search(filter_cps_->begin(), filter_cps_->end(), cp);
    }
    // One non-ASCII code point (or invalid byte) at text[i]; returns the next position.
    template <typename F>
    std::size_t slow(std::string_view text, std::size_t i, Cursor& c, F& f) {
        const std::size_t start = i;
        const std::uint32_t cp = decode_utf8(text, i);
        if (!lower_) {
            if (boundary(cp)) {
                c.end_token(f);
            } else {
                c.append(text.data() + start, i - start);
            }
            return i;
        }
        piece_.clear();  // the lowercase may depend on context or be several code points
        append_lower_cp(text, start, i, cp, piece_);
        std::size_t k = 0;
        while (k < piece_.size()) {
            const std::size_t s = k;
            const std::uint32_t cl = decode_utf8(piece_, k);
            if (cl < 0x80 ? (table_[cl] == kBoundary || cl == static_cast<unsigned char>(split_))
                          : boundary(cl)) {
                c.end_token(f);
            } else {
                c.append(piece_.data() + s, k - s);
            }
        }
        return i;
    }

    std::int16_t table_[256];
    const std::vector<std::uint32_t>* filter_cps_;
    bool lower_;
    char split_;
    std::string piece_;
    std::vector<char> buf_;
};

// The tokens of one text, packed, with their hash slots prefetched: the lookups that follow
// overlap their cache misses.
struct TokenBatch {
    std::vector<std::string_view> words;
    std::vector<StringIndex::Packed> keys;

    void fill(FastTokenizer& fast, std::string_view text, const StringIndex& index) {
        words.clear();
        fast.run(text, [&](const char* w, std::size_t n) { words.emplace_back(w, n); });
        keys.resize(words.size());
        for (std::size_t j = 0; j < words.size(); ++j) {
            keys[j] = StringIndex::pack_padded(words[j].data(), words[j].size());
            index.prefetch(keys[j]);
        }
    }
};

void parse_filters(const std::string& filters, bool* ascii, std::vector<std::uint32_t>& cps) {
    std::size_t i = 0;
    while (i < filters.size()) {
        const std::uint32_t cp = decode_utf8(filters, i);
        if (cp < 0x80) {
            ascii[cp] = true;
        } else if ((cp & kInvalidByte) == 0) {
            cps.push_back(cp);
        }
    }
    std::sort(cps.begin(), cps.end());
}

void check_split(const std::string& split, const char* where) {
    TFC_CHECK(!split.empty(), where, "split must not be empty (Python raises 'empty separator')",
              "split=\"\"", "a non-empty separator such as \" \"", "pass .split = \" \"");
}

}  // namespace

std::vector<std::string> text_to_word_sequence(std::string_view text,
                                               const TextToWordSequenceOptions& options) {
    check_split(options.split, "[text_to_word_sequence]");
    bool ascii[128] = {};
    std::vector<std::uint32_t> cps;
    parse_filters(options.filters, ascii, cps);
    TextCleaner cleaner{ascii, &cps, options.lower, options.split};
    std::string buf, piece;
    cleaner.run(text, buf, piece);
    std::vector<std::string> out;
    split_nonempty(buf, options.split, [&](std::string_view w) { out.emplace_back(w); });
    return out;
}

Tokenizer::Tokenizer(TokenizerOptions options) : options_(std::move(options)) {
    check_split(options_.split, "[Tokenizer]");
    TFC_CHECK(options_.num_words >= 0, "[Tokenizer]", "num_words must not be negative",
              "num_words=" + std::to_string(options_.num_words), "0 (None) or a positive count",
              "pass .num_words = 10000 or leave it at 0 to keep every word");
    TFC_CHECK(options_.document_count >= 0, "[Tokenizer]", "document_count must not be negative",
              std::to_string(options_.document_count), ">= 0", "leave it at 0");
    parse_filters(options_.filters, ascii_filter_, filter_cps_);
    document_count_ = options_.document_count;
}

template <typename F>
void Tokenizer::for_each_token(std::string_view text, std::string& scratch, F&& f) const {
    if (options_.char_level) {
        // Keras: text.lower() and then every character is a token (no filters, no split).
        std::string_view src = text;
        if (options_.lower) {
            scratch.clear();
            append_python_lower(text, scratch);
            src = scratch;
        }
        std::size_t i = 0;
        while (i < src.size()) {
            const std::size_t start = i;
            decode_utf8(src, i);
            f(src.substr(start, i - start));
        }
        return;
    }
    std::string piece;
    TextCleaner cleaner{ascii_filter_, &filter_cps_, options_.lower, options_.split};
    cleaner.run(text, scratch, piece);
    split_nonempty(scratch, options_.split, f);
}

std::vector<std::string> Tokenizer::tokenize(std::string_view text) const {
    std::vector<std::string> out;
    std::string scratch;
    for_each_token(text, scratch, [&](std::string_view w) { out.emplace_back(w); });
    return out;
}

void Tokenizer::fit_on_texts(const std::vector<std::string>& texts) {
    // Counts go to dense per-position arrays first and into word_counts_ at the end: the hot loop
    // touches one hash slot and one 16-byte entry per token.
    struct Tally {
        std::int64_t count;
        std::int64_t last_doc;  // last document counted in docs_
    };
    std::vector<Tally> tally(word_counts_.size());
    for (std::size_t pos = 0; pos < word_counts_.size(); ++pos) {
        tally[pos] = {0, last_doc_[pos]};
    }
    std::int64_t doc = 0;
    auto count = [&](std::int64_t id) {
        const auto pos = static_cast<std::size_t>(id);
        if (pos == tally.size()) {
            tally.push_back({0, 0});
            docs_.push_back(0);
        }
        Tally& t = tally[pos];
        ++t.count;
        if (t.last_doc != doc) {  // `for w in set(seq): word_docs[w] += 1`
            t.last_doc = doc;
            ++docs_[pos];
        }
    };
    if (FastTokenizer::applies(options_)) {
        FastTokenizer fast(ascii_filter_, &filter_cps_, options_.lower, options_.split[0]);
        TokenBatch batch;
        for (const std::string& text : texts) {
            doc = ++document_count_;
            batch.fill(fast, text, counts_pos_);
            for (std::size_t j = 0; j < batch.words.size(); ++j) {
                count(counts_pos_.insert_packed(batch.words[j], batch.keys[j]));
            }
        }
    } else {
        std::string scratch;
        for (const std::string& text : texts) {
            doc = ++document_count_;
            for_each_token(text, scratch,
                           [&](std::string_view w) { count(counts_pos_.insert(w)); });
        }
    }
    word_counts_.reserve(tally.size());
    last_doc_.resize(tally.size());
    for (std::size_t pos = 0; pos < tally.size(); ++pos) {
        if (pos == word_counts_.size()) word_counts_.emplace_back(counts_pos_.key(pos), 0);
        word_counts_[pos].second += tally[pos].count;
        last_doc_[pos] = tally[pos].last_doc;
    }
    rebuild_index();
}

void Tokenizer::rebuild_index() {
    // Stable sort by count, descending (Python's list.sort(key=count, reverse=True) is stable).
    std::vector<std::size_t> order(word_counts_.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        return word_counts_[a].second > word_counts_[b].second;
    });
    const std::int64_t total = static_cast<std::int64_t>(order.size()) +
                               (options_.oov_token ? 1 : 0);
    TFC_CHECK(total < std::numeric_limits<std::int32_t>::max(), "[Tokenizer.fit_on_texts]",
              "vocabulary too large for int32 sequences", std::to_string(total),
              "< 2147483647 words", "split the corpus");
    // dict(zip(sorted_voc, range(1, ...))): a repeated key (the OOV token also seen as a word)
    // keeps its LAST index, and index_word is the inverse of that dict. The counted words are
    // distinct, so only the OOV token can repeat: a counted word's index is its own in the loop.
    word_index_.clear();
    word_index_.reserve(static_cast<std::size_t>(total));
    index_word_.clear();
    index_word_.reserve(static_cast<std::size_t>(total));
    pos_index_.resize(word_counts_.size());
    std::int64_t next = 1;
    if (options_.oov_token) {
        const std::int64_t i = next++;
        word_index_[*options_.oov_token] = i;
        if (counts_pos_.find(*options_.oov_token) < 0) index_word_.emplace(i, *options_.oov_token);
    }
    for (std::size_t pos : order) {
        const std::int64_t i = next++;
        const std::string& w = word_counts_[pos].first;
        word_index_.insert_or_assign(w, i);
        index_word_.emplace(i, w);
        pos_index_[pos] = i;
    }
    index_docs_.reserve(index_docs_.size() + word_counts_.size());
    for (std::size_t pos = 0; pos < word_counts_.size(); ++pos) {
        index_docs_[pos_index_[pos]] = docs_[pos];
    }
}

void Tokenizer::fit_on_sequences(const Sequences& sequences) {
    document_count_ += static_cast<std::int64_t>(sequences.size());
    std::vector<std::int32_t> uniq;
    for (const auto& seq : sequences) {
        uniq.assign(seq.begin(), seq.end());
        std::sort(uniq.begin(), uniq.end());
        uniq.erase(std::unique(uniq.begin(), uniq.end()), uniq.end());
        for (std::int32_t i : uniq) ++index_docs_[i];
    }
}

std::optional<std::int64_t> Tokenizer::oov_index() const {
    if (!options_.oov_token) return std::nullopt;
    auto it = word_index_.find(*options_.oov_token);
    TFC_CHECK(it != word_index_.end(), "[Tokenizer]",
              "oov_token is set but it is not in word_index (the tokenizer was never fit)",
              "oov_token=\"" + *options_.oov_token + "\", len(word_index)=" +
                  std::to_string(word_index_.size()),
              "a fitted tokenizer", "call fit_on_texts(texts) first");
    return it->second;
}

Sequences Tokenizer::texts_to_sequences(const std::vector<std::string>& texts) const {
    const std::optional<std::int64_t> oov = oov_index();
    const std::int64_t num_words = options_.num_words;
    Sequences out(texts.size());
    // What each word_counts_ position emits: its index, or the OOV index / nothing (-1) when it
    // is at or above num_words. Unknown words (pos < 0) emit the same as "dropped".
    const std::int32_t dropped = oov ? static_cast<std::int32_t>(*oov) : -1;
    std::vector<std::int32_t> emit(pos_index_.size());
    for (std::size_t pos = 0; pos < emit.size(); ++pos) {
        const std::int64_t i = pos_index_[pos];
        emit[pos] = (num_words > 0 && i >= num_words) ? dropped : static_cast<std::int32_t>(i);
    }
    // word_index = the counted words plus the OOV token (see rebuild_index).
    std::int32_t oov_as_word = dropped;
    if (oov && counts_pos_.find(*options_.oov_token) < 0) {
        oov_as_word = (num_words > 0 && *oov >= num_words) ? dropped : static_cast<std::int32_t>(*oov);
    }
    std::vector<std::int32_t> vect;
    auto add = [&](std::int64_t pos, std::string_view w) {
        std::int32_t v = dropped;
        if (pos >= 0) {
            v = emit[static_cast<std::size_t>(pos)];
        } else if (oov && w == *options_.oov_token) {
            v = oov_as_word;
        }
        if (v >= 0) vect.push_back(v);
    };
    if (FastTokenizer::applies(options_)) {
        // With num_words, only the words below it have their own output; every other word gives
        // `dropped`. A small index of just those words (most frequent first) stays in cache.
        const StringIndex* index = &counts_pos_;
        StringIndex kept;
        std::vector<std::int32_t> kept_emit;
        std::vector<std::pair<std::int32_t, std::size_t>> by_index;
        for (std::size_t pos = 0; pos < emit.size(); ++pos) {
            if (emit[pos] != dropped) by_index.emplace_back(emit[pos], pos);
        }
        if (by_index.size() * 2 < emit.size()) {
            std::sort(by_index.begin(), by_index.end());
            kept_emit.reserve(by_index.size());
            for (const auto& [v, pos] : by_index) {
                kept.insert(counts_pos_.key(static_cast<std::int64_t>(pos)));
                kept_emit.push_back(v);
            }
            index = &kept;
            emit.swap(kept_emit);
        }
        FastTokenizer fast(ascii_filter_, &filter_cps_, options_.lower, options_.split[0]);
        TokenBatch batch;
        for (std::size_t t = 0; t < texts.size(); ++t) {
            vect.clear();
            batch.fill(fast, texts[t], *index);
            for (std::size_t j = 0; j < batch.words.size(); ++j) {
                add(index->find_packed(batch.words[j], batch.keys[j]), batch.words[j]);
            }
            out[t].assign(vect.begin(), vect.end());
        }
    } else {
        std::string scratch;
        for (std::size_t t = 0; t < texts.size(); ++t) {
            vect.clear();
            for_each_token(texts[t], scratch,
                           [&](std::string_view w) { add(counts_pos_.find(w), w); });
            out[t].assign(vect.begin(), vect.end());
        }
    }
    return out;
}

std::vector<std::string> Tokenizer::sequences_to_texts(const Sequences& sequences) const {
    const std::optional<std::int64_t> oov = oov_index();
    const std::string* oov_word = nullptr;
    if (oov) {
        auto it = index_word_.find(*oov);
        TFC_CHECK(it != index_word_.end(), "[Tokenizer.sequences_to_texts]",
                  "the OOV index has no entry in index_word (the OOV token was also a word)",
                  "oov index " + std::to_string(*oov), "index_word[oov index]",
                  "use an oov_token that cannot occur in the texts, such as \"<OOV>\"");
        oov_word = &it->second;
    }
    const std::int64_t num_words = options_.num_words;
    std::vector<std::string> out;
    out.reserve(sequences.size());
    for (const auto& seq : sequences) {
        std::string text;
        bool first = true;
        auto add = [&](const std::string& w) {
            if (!first) text.push_back(' ');
            text += w;
            first = false;
        };
        for (std::int32_t num : seq) {
            auto it = index_word_.find(num);
            if (it != index_word_.end()) {
                if (num_words > 0 && num >= num_words) {
                    if (oov_word) add(*oov_word);
                } else {
                    add(it->second);
                }
            } else if (oov_word) {
                add(*oov_word);
            }
        }
        out.push_back(std::move(text));
    }
    return out;
}

Tensor Tokenizer::texts_to_matrix(const std::vector<std::string>& texts, const std::string& mode,
                                  DType dtype) const {
    return sequences_to_matrix(texts_to_sequences(texts), mode, dtype);
}

Tensor Tokenizer::sequences_to_matrix(const Sequences& sequences, const std::string& mode,
                                      DType dtype) const {
    const char* where = "[Tokenizer.sequences_to_matrix]";
    TFC_CHECK(mode == "binary" || mode == "count" || mode == "tfidf" || mode == "freq", where,
              "unknown vectorization mode", "mode=\"" + mode + "\"",
              "\"binary\", \"count\", \"tfidf\" or \"freq\"", "pick one of those modes");
    TFC_CHECK(is_floating(dtype), where, "the matrix dtype must be floating", dtype_name(dtype),
              "float64 or float32", "pass DType::float64 (Keras) or DType::float32");
    std::int64_t num_words = options_.num_words;
    if (num_words == 0) {
        TFC_CHECK(!word_index_.empty(), where, "no dimension for the matrix",
                  "num_words=None and an empty word_index", "num_words or a fitted tokenizer",
                  "pass .num_words or call fit_on_texts first");
        num_words = static_cast<std::int64_t>(word_index_.size()) + 1;
    }
    TFC_CHECK(mode != "tfidf" || document_count_ > 0, where, "tfidf needs document counts",
              "document_count=0", "a fitted tokenizer", "call fit_on_texts or fit_on_sequences first");
    const auto n = static_cast<std::int64_t>(sequences.size());
    std::vector<double> x(static_cast<std::size_t>(n * num_words), 0.0);
    std::vector<std::int64_t> counts(static_cast<std::size_t>(num_words), 0);
    std::vector<std::int32_t> touched;
    for (std::int64_t i = 0; i < n; ++i) {
        const auto& seq = sequences[static_cast<std::size_t>(i)];
        touched.clear();
        for (std::int32_t j : seq) {
            TFC_CHECK(j >= 0, where, "negative word index", std::to_string(j),
                      "indices >= 0", "pass sequences from texts_to_sequences");
            if (j >= num_words) continue;
            if (counts[j]++ == 0) touched.push_back(j);
        }
        double* row = x.data() + i * num_words;
        for (std::int32_t j : touched) {
            const std::int64_t c = counts[j];
            counts[j] = 0;
            double v = 0.0;
            if (mode == "count") {
                v = static_cast<double>(c);
            } else if (mode == "freq") {
                v = static_cast<double>(c) / static_cast<double>(seq.size());
            } else if (mode == "binary") {
                v = 1.0;
            } else {  // tfidf, weighting scheme 2 (keras_preprocessing text.py)
                const double tf = 1.0 + std::log(static_cast<double>(c));
                auto it = index_docs_.find(j);
                const std::int64_t df = it == index_docs_.end() ? 0 : it->second;
                const double idf = std::log(1.0 + static_cast<double>(document_count_) /
                                                      static_cast<double>(1 + df));
                v = tf * idf;
            }
            row[j] = v;
        }
    }
    Tensor out = Tensor::from_vector(x, Shape{n, num_words});
    return dtype == DType::float64 ? out : out.astype(dtype);
}

std::vector<std::pair<std::string, std::int64_t>> Tokenizer::word_docs() const {
    std::vector<std::pair<std::string, std::int64_t>> out;
    out.reserve(word_counts_.size());
    for (std::size_t pos = 0; pos < word_counts_.size(); ++pos) {
        out.emplace_back(word_counts_[pos].first, docs_[pos]);
    }
    return out;
}

std::vector<std::string> Tokenizer::words_by_index() const {
    std::vector<std::pair<std::int64_t, const std::string*>> items;
    items.reserve(word_index_.size());
    for (const auto& [w, i] : word_index_) items.emplace_back(i, &w);
    std::sort(items.begin(), items.end());
    std::vector<std::string> out;
    out.reserve(items.size());
    for (const auto& [i, w] : items) out.push_back(*w);
    return out;
}

}  // namespace tfc
