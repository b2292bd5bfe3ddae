// TextVectorization. No offline oracle runs TensorFlow, so these cases are derived from the
// Keras 2.15 source and docstrings (keras/layers/preprocessing/text_vectorization.py,
// index_lookup.py); each test names the rule it checks.
#include "tfc/preprocessing/text_vectorization.h"

#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"

#include "tfc/core/error.h"

namespace tfc {
namespace {

using Strings = std::vector<std::string>;

std::vector<double> row(const Tensor& t, std::int64_t r) {
    const auto all = t.to_doubles();
    const std::int64_t w = t.dim(1);
    return {all.begin() + r * w, all.begin() + (r + 1) * w};
}

// text_vectorization.py class docstring, example 1 (adapt on ["foo", "bar", "baz"],
// output_sequence_length 4, input ["foo qux bar", "qux baz"] -> [[2, 1, 4, 0], [1, 3, 0, 0]]):
// equal counts are ordered by token descending (foo, baz, bar).
TEST(TextVectorization, DocstringAdaptExample) {
    TextVectorization tv({.max_tokens = 5000, .output_sequence_length = 4});
    tv.adapt({"foo", "bar", "baz"});
    const Tensor out = tv({"foo qux bar", "qux baz"});
    EXPECT_EQ(out.dtype(), DType::int64);
    EXPECT_EQ(out.shape(), (Shape{2, 4}));
    EXPECT_EQ(out.to_doubles(), (std::vector<double>{2, 1, 4, 0, 1, 3, 0, 0}));
    EXPECT_EQ(tv.get_vocabulary(), (Strings{"", "[UNK]", "foo", "baz", "bar"}));
}

// Example 2: a vocabulary passed at construction gets "" and "[UNK]" in front.
TEST(TextVectorization, DocstringVocabularyExample) {
    TextVectorization tv({.output_sequence_length = 4,
                          .vocabulary = {"earth", "wind", "and", "fire"}});
    EXPECT_EQ(tv.get_vocabulary(), (Strings{"", "[UNK]", "earth", "wind", "and", "fire"}));
    EXPECT_EQ(tv.get_vocabulary(false), (Strings{"earth", "wind", "and", "fire"}));
    EXPECT_EQ(tv.vocabulary_size(), 6);
    EXPECT_THROW(tv.adapt({"x"}), Error);  // update_state: cannot adapt a static vocabulary
    // Special tokens already in front are stripped, not duplicated.
    TextVectorization tv2({.vocabulary = {"", "[UNK]", "earth"}});
    EXPECT_EQ(tv2.get_vocabulary(), (Strings{"", "[UNK]", "earth"}));
}

// finalize_state: count descending, ties by token descending, truncated to max_tokens - 2.
TEST(TextVectorization, AdaptOrderingAndMaxTokens) {
    TextVectorization tv;
    tv.adapt({"b a c a b", "d"});
    EXPECT_EQ(tv.get_vocabulary(), (Strings{"", "[UNK]", "b", "a", "d", "c"}));
    TextVectorization small({.max_tokens = 4});
    small.adapt({"b a c a b", "d"});
    EXPECT_EQ(small.get_vocabulary(), (Strings{"", "[UNK]", "b", "a"}));
    // adapt() starts over (reset_state), it does not accumulate.
    small.adapt({"z z y"});
    EXPECT_EQ(small.get_vocabulary(), (Strings{"", "[UNK]", "z", "y"}));
    // The special tokens are removed from the counts.
    TextVectorization sp({.standardize = "none"});
    sp.adapt({"[UNK] [UNK] x"});
    EXPECT_EQ(sp.get_vocabulary(), (Strings{"", "[UNK]", "x"}));
}

// _preprocess: tf.strings.lower (ASCII only) then DEFAULT_STRIP_REGEX removes ASCII punctuation,
// apostrophe included, without inserting a space; tf.strings.split splits on whitespace runs.
TEST(TextVectorization, StandardizeAndSplit) {
    TextVectorization tv;
    EXPECT_EQ(tv.preprocess("Don't STOP!\tbelieving...  ÉCOLE"),
              (Strings{"dont", "stop", "believing", "École"}));  // É is not ASCII
    TextVectorization lower({.standardize = "lower"});
    EXPECT_EQ(lower.preprocess("Hi, There!"), (Strings{"hi,", "there!"}));
    TextVectorization strip({.standardize = "strip_punctuation"});
    EXPECT_EQ(strip.preprocess("Hi, There!"), (Strings{"Hi", "There"}));
    TextVectorization none({.standardize = "none", .split = "none"});
    EXPECT_EQ(none.preprocess(" A b "), (Strings{" A b "}));
    TextVectorization chars({.split = "character"});
    EXPECT_EQ(chars.preprocess("Aé b"), (Strings{"a", "é", " ", "b"}));
}

// call(): int output is padded with 0 and truncated at the END (post), to the longest row when
// output_sequence_length is unset (RaggedTensor.to_tensor).
TEST(TextVectorization, IntOutputPadsAndTruncatesPost) {
    TextVectorization tv({.output_sequence_length = 3});
    tv.adapt({"a a a b b c"});
    const Tensor out = tv({"c b a d e", "b", ""});
    EXPECT_EQ(row(out, 0), (std::vector<double>{4, 3, 2}));
    EXPECT_EQ(row(out, 1), (std::vector<double>{3, 0, 0}));
    EXPECT_EQ(row(out, 2), (std::vector<double>{0, 0, 0}));
    TextVectorization ragged;
    ragged.adapt({"a a a b b c"});
    EXPECT_EQ(ragged({"a", "a b c d"}).shape(), (Shape{2, 4}));
}

// multi_hot / count (encode_categorical_inputs): index 0 is OOV (no mask slot), float32 output
// of width vocabulary_size(). StringLookup docstring: vocab [a, b, c, d], "a c d d" ->
// multi_hot [0, 1, 0, 1, 1], count [0, 1, 0, 1, 2].
TEST(TextVectorization, MultiHotAndCount) {
    TextVectorization mh({.output_mode = "multi_hot", .vocabulary = {"a", "b", "c", "d"}});
    EXPECT_EQ(mh.get_vocabulary(), (Strings{"[UNK]", "a", "b", "c", "d"}));
    const Tensor m = mh({"a c d d", "z"});
    EXPECT_EQ(m.dtype(), DType::float32);
    EXPECT_EQ(row(m, 0), (std::vector<double>{0, 1, 0, 1, 1}));
    EXPECT_EQ(row(m, 1), (std::vector<double>{1, 0, 0, 0, 0}));
    TextVectorization ct({.output_mode = "count", .vocabulary = {"a", "b", "c", "d"}});
    EXPECT_EQ(row(ct({"a c d d"}), 0), (std::vector<double>{0, 1, 0, 1, 2}));
    TextVectorization learned({.max_tokens = 3, .output_mode = "binary"});  // Keras alias
    learned.adapt({"x x y z"});
    EXPECT_EQ(learned.get_vocabulary(), (Strings{"[UNK]", "x", "z"}));  // tie: z > y
}

TEST(TextVectorization, ErrorsAreTfcErrors) {
    EXPECT_THROW(TextVectorization({.standardize = "upper"}), Error);
    EXPECT_THROW(TextVectorization({.split = "comma"}), Error);
    EXPECT_THROW(TextVectorization({.output_mode = "tf_idf"}), Error);
    EXPECT_THROW(TextVectorization({.output_mode = "count", .output_sequence_length = 3}), Error);
    EXPECT_THROW(TextVectorization({.max_tokens = 1}), Error);
    EXPECT_THROW(TextVectorization({.vocabulary = {"a", "a"}}), Error);
    EXPECT_THROW(TextVectorization({.vocabulary = {"a", ""}}), Error);
    EXPECT_THROW(TextVectorization({.max_tokens = 3, .vocabulary = {"a", "b"}}), Error);
    TextVectorization unready({.output_mode = "multi_hot"});
    EXPECT_THROW(unready({"a"}), Error);
}

}  // namespace
}  // namespace tfc
