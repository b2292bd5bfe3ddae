// TextVectorization: the Keras 2 preprocessing layer (K2: keras/layers/preprocessing/
// text_vectorization.py and index_lookup.py / string_lookup.py, v2.15), for the string-in /
// tensor-out part; as a plain object (call() on a batch of strings), not a graph layer.
//
//   TextVectorization tv({.max_tokens = 10000, .output_sequence_length = 120});
//   tv.adapt(train_texts);
//   Tensor ids = tv(texts);   // int64 [batch, 120]
//
// Behaviour (each point cites the Keras code it follows):
//  * standardize: "lower_and_strip_punctuation" (default), "lower", "strip_punctuation", "none".
//    Lowercasing is tf.strings.lower with its default encoding, i.e. ASCII only; punctuation is
//    DEFAULT_STRIP_REGEX = the 32 ASCII punctuation characters, apostrophe included, removed
//    (replaced by "", unlike Tokenizer which replaces by a space).
//  * split: "whitespace" (tf.strings.split: ASCII whitespace runs, no empty tokens), "character"
//    (tf.strings.unicode_split: one token per UTF-8 code point) or "none" (the whole string).
//  * Vocabulary (int mode): index 0 = "" (mask/padding), 1 = "[UNK]" (OOV), then the adapted
//    tokens by count descending, ties by the token's bytes DESCENDING (index_lookup.py
//    finalize_state: np.lexsort((tokens, counts))[::-1]), truncated to max_tokens - 2. In
//    multi_hot/count modes there is no mask slot: 0 = "[UNK]", max_tokens - 1 learned tokens.
//    adapt() restarts the counts (reset_state) and ignores "" and "[UNK]" tokens.
//  * output_mode "int": int64 [batch, L], zero-padded/truncated at the END to
//    output_sequence_length, or to the longest row when unset. "multi_hot" / "count": float32
//    [batch, vocabulary_size()].
//  * vocabulary: a given list (optionally starting with the special tokens) replaces adapt();
//    repeated tokens, a "" token, or more than max_tokens entries are errors, as in Keras.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tfc/core/tensor.h"
#include "tfc/preprocessing/tokenizer.h"

namespace tfc {

struct TextVectorizationOptions {
    std::optional<std::int64_t> max_tokens{};
    std::string standardize = "lower_and_strip_punctuation";  // or "lower", "strip_punctuation", "none"
    std::string split = "whitespace";                          // or "character", "none"
    std::string output_mode = "int";                           // or "multi_hot" ("binary"), "count"
    std::optional<std::int64_t> output_sequence_length{};
    std::vector<std::string> vocabulary{};  // empty = learn with adapt()
};

class TextVectorization {
  public:
    explicit TextVectorization(TextVectorizationOptions options = {});

    void adapt(const std::vector<std::string>& texts);
    Tensor operator()(const std::vector<std::string>& texts) const { return call(texts); }
    Tensor call(const std::vector<std::string>& texts) const;

    std::vector<std::string> get_vocabulary(bool include_special_tokens = true) const;
    std::int64_t vocabulary_size() const;
    void set_vocabulary(const std::vector<std::string>& vocabulary);
    // The standardized, split tokens of one text (the layer's _preprocess).
    std::vector<std::string> preprocess(std::string_view text) const;
    const TextVectorizationOptions& options() const { return options_; }

  private:
    std::int64_t token_start() const { return options_.output_mode == "int" ? 2 : 1; }
    std::int64_t lookup(std::string_view token) const;
    void set_tokens(std::vector<std::string> tokens);

    TextVectorizationOptions options_;
    bool has_input_vocabulary_ = false;
    bool vocabulary_ready_ = false;  // adapt() or a vocabulary happened
    std::vector<std::string> tokens_;  // learned/given tokens, in index order from token_start()
    WordIndex index_;                  // token -> index
};

}  // namespace tfc
