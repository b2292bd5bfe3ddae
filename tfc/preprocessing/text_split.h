// text_to_word_sequence: keras_preprocessing 1.1.0 `text.py` (tf.keras.preprocessing.text in
// TF 2.x), the splitting rule that Tokenizer also applies to every text.
//
//   text_to_word_sequence("Hello, World!");   // {"hello", "world"}
//
// As in Keras: the text is lowercased with Python's str.lower() (full Unicode table +
// Final_Sigma, see unicode_case_impl.h) when `lower`, every character of `filters` is replaced
// by `split`, the text is split on `split` and empty tokens are dropped. Strings are UTF-8;
// bytes that are not valid UTF-8 pass through as single characters.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace tfc {

inline constexpr const char* kDefaultTextFilters = "!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n";

struct TextToWordSequenceOptions {
    std::string filters = kDefaultTextFilters;
    bool lower = true;
    std::string split = " ";
};
std::vector<std::string> text_to_word_sequence(std::string_view text,
                                               const TextToWordSequenceOptions& options = {});

}  // namespace tfc
