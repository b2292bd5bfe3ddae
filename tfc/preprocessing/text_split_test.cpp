// The single-pass WordSplitter (AVX2 and table classifiers) against the general clean_text +
// split_nonempty path, whose output the keras_preprocessing goldens pin (tokenizer_test.cpp).
#include "tfc/preprocessing/text_split.h"

#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "tfc/preprocessing/text_split_impl.h"

namespace tfc {
namespace {

using preprocessing_detail::clean_text;
using preprocessing_detail::split_nonempty;
using preprocessing_detail::TextFilter;
using preprocessing_detail::WordSplitter;

std::vector<std::string> reference(std::string_view text, const TextFilter& filter, bool lower,
                                   const std::string& split) {
    std::string buf;
    clean_text(text, filter, lower, split, buf);
    std::vector<std::string> out;
    split_nonempty(buf, split, [&](std::string_view w) { out.emplace_back(w); });
    return out;
}

std::vector<std::string> single_pass(std::string_view text, const TextFilter& filter, bool lower,
                                     char split, bool simd) {
    WordSplitter s(filter, lower, split, simd);
    std::vector<std::string_view> words;
    s.split(text, words);
    return {words.begin(), words.end()};
}

// Pieces that exercise every path: ASCII case and filters, runs of separators, 2- to 4-byte
// code points, lowercasings that change length (U+0130, U+023A, the Kelvin sign to ASCII 'k'),
// capital sigma in and out of final position, a non-ASCII filter character, invalid bytes.
// clang-format off
const std::vector<std::string> kPieces = {
    "a", "B", "z", "Q", "0", "9", " ", " ", "  ", ",", ".", "!", "\t", "\n", "-", "'", "x",
    "Hello", "WORLD", "don't", "e-mail", "\xC3\x89", "\xC3\xA9", "\xCE\xA3", "\xCE\xA3 ",
    "\xCE\x91\xCE\xA3", "\xC4\xB0", "\xC8\xBA", "\xE2\x84\xAA", "\xE2\x80\x94", "\xE4\xB8\xAD",
    "\xF0\x9F\x98\x80", "\xFF", "\xC3", "\xE2\x82", "\x80", "\x01", "~",
};
// clang-format on

std::string random_text(std::mt19937& rng, std::size_t pieces) {
    std::uniform_int_distribution<std::size_t> pick(0, kPieces.size() - 1);
    std::string s;
    for (std::size_t i = 0; i < pieces; ++i) s += kPieces[pick(rng)];
    return s;
}

TEST(WordSplitter, MatchesTheGeneralPathOnRandomTexts) {
    struct Config {
        std::string filters;
        bool lower;
        std::string split;
    };
    const std::vector<Config> configs = {
        {kDefaultTextFilters, true, " "},
        {kDefaultTextFilters, false, " "},
        {"", true, " "},
        {"aeiou\xE2\x80\x94", true, "x"},                  // a letter split; an em dash filter
        {"\xC3\xA9\xCE\xA3", false, "\t"},                 // non-ASCII filters, no lowering
        {"\xCF\x83\xCF\x82", true, ","},                   // the lowercase sigmas filtered
        {"!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~", true, "."},  // split inside the filters
    };
    std::mt19937 rng(1234);
    std::uniform_int_distribution<std::size_t> length(0, 120);
    int compared = 0;
    for (const Config& c : configs) {
        const TextFilter filter(c.filters);
        for (int t = 0; t < 300; ++t) {
            const std::string text = random_text(rng, length(rng));
            const auto want = reference(text, filter, c.lower, c.split);
            SCOPED_TRACE("filters '" + c.filters + "' split '" + c.split + "' text '" + text + "'");
            EXPECT_EQ(single_pass(text, filter, c.lower, c.split[0], true), want);
            EXPECT_EQ(single_pass(text, filter, c.lower, c.split[0], false), want);
            ++compared;
        }
    }
    EXPECT_EQ(compared, 2100);
}

TEST(WordSplitter, WordsAcrossChunkEdgesAndTails) {
    const TextFilter filter(kDefaultTextFilters);
    // Word and separator runs of every length around the 64-byte chunk, ASCII and not.
    for (std::size_t word = 1; word <= 70; word += 3) {
        for (std::size_t gap = 1; gap <= 3; ++gap) {
            for (const std::string letter : {"A", "\xC3\x89"}) {
                std::string text;
                for (int k = 0; k < 5; ++k) {
                    for (std::size_t j = 0; j < word; ++j) text += letter;
                    text += std::string(gap, k % 2 ? ',' : ' ');
                }
                const auto want = reference(text, filter, true, " ");
                ASSERT_EQ(want.size(), 5u);
                EXPECT_EQ(single_pass(text, filter, true, ' ', true), want) << text;
                EXPECT_EQ(single_pass(text, filter, true, ' ', false), want) << text;
            }
        }
    }
}

TEST(WordSplitter, ReusesItsBufferAcrossTexts) {
    const TextFilter filter(kDefaultTextFilters);
    WordSplitter s(filter, true, ' ');
    std::vector<std::string_view> words;
    s.split(std::string(500, 'Q') + " end", words);
    ASSERT_EQ(words.size(), 2u);
    EXPECT_EQ(words[0], std::string(500, 'q'));
    s.split("Short, text", words);
    EXPECT_EQ(std::vector<std::string>(words.begin(), words.end()),
              (std::vector<std::string>{"short", "text"}));
    s.split("", words);
    EXPECT_TRUE(words.empty());
    s.split(" ,. ", words);
    EXPECT_TRUE(words.empty());
}

TEST(TextToWordSequence, OneByteAndLongerSplits) {
    EXPECT_EQ(text_to_word_sequence("Hello, World!"), (std::vector<std::string>{"hello", "world"}));
    EXPECT_EQ(text_to_word_sequence("aXXbXXXXc", {.filters = "", .split = "xx"}),  // lowered first
              (std::vector<std::string>{"a", "b", "c"}));
    EXPECT_EQ(text_to_word_sequence("\xCE\x9F\xCE\xB4\xCF\x8C\xCF\x82 \xCE\x9F\xCE\xA3"),
              (std::vector<std::string>{"\xCE\xBF\xCE\xB4\xCF\x8C\xCF\x82",
                                        "\xCE\xBF\xCF\x82"}));  // "οδός", "ος" (final sigma)
}

}  // namespace
}  // namespace tfc
