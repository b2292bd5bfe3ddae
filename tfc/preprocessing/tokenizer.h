// Tokenizer: keras_preprocessing 1.1.0 `text.py` (tf.keras.preprocessing.text in TF 2.x; K2:
// keras/preprocessing/text.py). text_to_word_sequence is in text_split.h (included here).
//
//   Tokenizer tok({.num_words = 10000, .oov_token = "<OOV>"});
//   tok.fit_on_texts(sentences);
//   auto seqs = tok.texts_to_sequences(sentences);          // std::vector<std::vector<int32>>
//   Tensor x = pad_sequences(seqs, {.maxlen = 120, .truncating = "post"});
//
// Behaviour, as in Keras:
//  * Texts are split into words as text_to_word_sequence does (text_split.h): Python's
//    str.lower(), every character of `filters` replaced by `split`, split on `split`, empty tokens
//    dropped. With char_level every code point of the lowercased text is a token and filters are
//    NOT applied (exactly as Keras).
//  * word_counts keeps first-seen order; word_index sorts it by count with a stable sort (ties
//    keep first-seen order), 1-based, the OOV token forced to index 1, and holds ALL words.
//  * texts_to_sequences keeps indices < num_words (when num_words > 0); other and unknown words
//    map to the OOV index when oov_token is set, else are dropped.
// Strings are UTF-8; bytes that are not valid UTF-8 pass through as single characters.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tfc/core/tensor.h"
#include "tfc/preprocessing/string_index_impl.h"
#include "tfc/preprocessing/text_split.h"
#include "tfc/preprocessing/text_split_impl.h"

namespace tfc {

struct TokenizerOptions {
    std::int64_t num_words = 0;  // 0 = None (keep every word); else keep indices < num_words
    std::string filters = kDefaultTextFilters;
    bool lower = true;
    std::string split = " ";
    bool char_level = false;
    std::optional<std::string> oov_token{};
    std::int64_t document_count = 0;
};

// Hash for heterogeneous (std::string_view) lookups.
struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
using WordIndex = std::unordered_map<std::string, std::int64_t, StringHash, std::equal_to<>>;
using Sequences = std::vector<std::vector<std::int32_t>>;

class Tokenizer {
  public:
    explicit Tokenizer(TokenizerOptions options = {});

    void fit_on_texts(const std::vector<std::string>& texts);
    void fit_on_sequences(const Sequences& sequences);
    Sequences texts_to_sequences(const std::vector<std::string>& texts) const;
    std::vector<std::string> sequences_to_texts(const Sequences& sequences) const;
    // mode: "binary", "count", "tfidf" or "freq". Shape [len(texts), num_words or
    // len(word_index) + 1]. float64 like Keras's numpy matrix; pass DType::float32 for models.
    Tensor texts_to_matrix(const std::vector<std::string>& texts, const std::string& mode = "binary",
                           DType dtype = DType::float64) const;
    Tensor sequences_to_matrix(const Sequences& sequences, const std::string& mode = "binary",
                               DType dtype = DType::float64) const;

    // The tokens of one text, as fit_on_texts and texts_to_sequences see them.
    std::vector<std::string> tokenize(std::string_view text) const;

    const WordIndex& word_index() const { return word_index_; }
    const std::unordered_map<std::int64_t, std::string>& index_word() const { return index_word_; }
    // Insertion-ordered, like Keras's OrderedDict.
    const std::vector<std::pair<std::string, std::int64_t>>& word_counts() const {
        return word_counts_;
    }
    // Number of documents each word occurs in (in word_counts order).
    std::vector<std::pair<std::string, std::int64_t>> word_docs() const;
    const std::unordered_map<std::int64_t, std::int64_t>& index_docs() const { return index_docs_; }
    std::int64_t document_count() const { return document_count_; }
    // Words in index order 1, 2, ... (index 0 is reserved): the keys of word_index sorted.
    std::vector<std::string> words_by_index() const;
    const TokenizerOptions& options() const { return options_; }
    std::int64_t num_words() const { return options_.num_words; }

  private:
    bool single_pass() const;  // the WordSplitter applies
    preprocessing_detail::WordSplitter splitter() const;
    // The tokens when single_pass() is false: char_level, or a split of several bytes.
    template <typename F>
    void for_each_token(std::string_view text, std::string& scratch, F&& f) const;
    std::optional<std::int64_t> oov_index() const;
    void rebuild_index();

    TokenizerOptions options_;
    preprocessing_detail::TextFilter filter_;
    std::int64_t document_count_ = 0;
    preprocessing_detail::StringIndex counts_pos_;  // word -> position in word_counts_
    std::vector<std::int64_t> pos_index_;  // position in word_counts_ -> word_index value
    std::vector<std::pair<std::string, std::int64_t>> word_counts_;
    std::vector<std::int64_t> docs_;      // per word_counts_ position
    std::vector<std::int64_t> last_doc_;  // per position: last document counted in docs_
    WordIndex word_index_;
    std::unordered_map<std::int64_t, std::string> index_word_;
    std::unordered_map<std::int64_t, std::int64_t> index_docs_;
};

}  // namespace tfc
