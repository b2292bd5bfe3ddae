// Tokenizer (keras_preprocessing 1.1.0 text.py); see tokenizer.h.
#include "tfc/preprocessing/tokenizer.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tfc/core/error.h"
#include "tfc/preprocessing/unicode_case_impl.h"

namespace tfc {

using namespace preprocessing_detail;

namespace {

// The tokens of one text, packed, with their hash slots prefetched: the lookups that follow
// overlap their cache misses.
struct TokenBatch {
    static_assert(WordSplitter::kReadPad >= StringIndex::kPad);
    std::vector<std::string_view> words;
    std::vector<StringIndex::Packed> keys;

    void fill(WordSplitter& splitter, std::string_view text, const StringIndex& index) {
        splitter.split(text, words);
        keys.resize(words.size());
        for (std::size_t j = 0; j < words.size(); ++j) {
            keys[j] = StringIndex::pack_padded(words[j].data(), words[j].size());
            index.prefetch(keys[j]);
        }
    }
};

// Positions of `counts` sorted by count, descending, ties in position order: Python's stable
// list.sort(key=count, reverse=True). A counting sort when the counts are small next to the
// vocabulary (word counts are: most words are rare), else std::stable_sort.
std::vector<std::size_t> by_count_descending(
    const std::vector<std::pair<std::string, std::int64_t>>& counts) {
    const std::size_t n = counts.size();
    std::vector<std::size_t> order(n);
    std::int64_t lo = 0, hi = 0;
    for (const auto& c : counts) {
        lo = std::min(lo, c.second);
        hi = std::max(hi, c.second);
    }
    if (lo < 0 || hi > static_cast<std::int64_t>(4 * n + 4096)) {
        for (std::size_t i = 0; i < n; ++i) order[i] = i;
        std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
            return counts[a].second > counts[b].second;
        });
        return order;
    }
    // Bucket hi - count, so the largest counts come first; each bucket keeps position order.
    std::vector<std::size_t> next(static_cast<std::size_t>(hi) + 2, 0);
    for (const auto& c : counts) ++next[static_cast<std::size_t>(hi - c.second) + 1];
    for (std::size_t b = 1; b < next.size(); ++b) next[b] += next[b - 1];
    for (std::size_t i = 0; i < n; ++i) {
        order[next[static_cast<std::size_t>(hi - counts[i].second)]++] = i;
    }
    return order;
}

}  // namespace

Tokenizer::Tokenizer(TokenizerOptions options)
    : options_(std::move(options)), filter_(options_.filters) {
    check_split(options_.split, "[Tokenizer]");
    TFC_CHECK(options_.num_words >= 0, "[Tokenizer]", "num_words must not be negative",
              "num_words=" + std::to_string(options_.num_words), "0 (None) or a positive count",
              "pass .num_words = 10000 or leave it at 0 to keep every word");
    TFC_CHECK(options_.document_count >= 0, "[Tokenizer]", "document_count must not be negative",
              std::to_string(options_.document_count), ">= 0", "leave it at 0");
    document_count_ = options_.document_count;
}

bool Tokenizer::single_pass() const {
    return !options_.char_level && WordSplitter::applies(options_.split);
}

WordSplitter Tokenizer::splitter() const {
    return WordSplitter(filter_, options_.lower, options_.split[0]);
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
    clean_text(text, filter_, options_.lower, options_.split, scratch);
    split_nonempty(scratch, options_.split, f);
}

std::vector<std::string> Tokenizer::tokenize(std::string_view text) const {
    std::vector<std::string> out;
    if (single_pass()) {
        WordSplitter s = splitter();
        std::vector<std::string_view> words;
        s.split(text, words);
        out.assign(words.begin(), words.end());
        return out;
    }
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
    if (single_pass()) {
        WordSplitter s = splitter();
        TokenBatch batch;
        for (const std::string& text : texts) {
            doc = ++document_count_;
            batch.fill(s, text, counts_pos_);
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
    const std::vector<std::size_t> order = by_count_descending(word_counts_);
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
    if (single_pass()) {
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
            kept.reserve(by_index.size());
            kept_emit.reserve(by_index.size());
            for (const auto& [v, pos] : by_index) {
                kept.insert(counts_pos_.key(static_cast<std::int64_t>(pos)));
                kept_emit.push_back(v);
            }
            index = &kept;
            emit.swap(kept_emit);
        }
        WordSplitter s = splitter();
        TokenBatch batch;
        for (std::size_t t = 0; t < texts.size(); ++t) {
            vect.clear();
            batch.fill(s, texts[t], *index);
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
