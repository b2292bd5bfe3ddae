// pad_sequences (keras_preprocessing 1.1.0 sequence.py; K2: keras/utils/data_utils.py) and the
// course's n-gram helper for text generation.
//
//   Tensor x = pad_sequences(seqs, {.maxlen = 120, .padding = "post", .truncating = "post"});
//
// Shape [len(sequences), maxlen]; maxlen 0/unset = the longest sequence. "pre" truncation keeps
// the LAST maxlen values, "post" the first; "pre" padding puts `value` in front. `value` is cast
// to `dtype` like numpy (toward zero for int dtypes). As in Keras, maxlen = 0 with truncating
// "pre" and a non-empty sequence is an error (Python's s[-0:] keeps the whole sequence).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"
#include "tfc/preprocessing/tokenizer.h"

namespace tfc {

struct PadSequencesOptions {
    std::optional<std::int64_t> maxlen{};  // unset = longest sequence
    std::string dtype = "int32";           // int32, int64, float32, float64
    std::string padding = "pre";
    std::string truncating = "pre";
    double value = 0.0;
};
Tensor pad_sequences(const Sequences& sequences, const PadSequencesOptions& options = {});

// The course's text-generation data (C3/W4):
//   for each line: token_list = texts_to_sequences([line])[0]
//                  for i in 1..len-1: input_sequences.append(token_list[:i+1])
//   pad "pre" to max_sequence_len; xs = all but the last column, labels = the last column.
// `tokenizer` must already be fit (total_words = len(word_index) + 1).
struct NgramSequences {
    Tensor xs;      // int32 [N, max_sequence_len - 1]
    Tensor labels;  // int32 [N]; one-hot with to_categorical(labels, total_words) if needed
    std::int64_t max_sequence_len = 0;
    std::int64_t total_words = 0;
};
NgramSequences make_ngram_sequences(const Tokenizer& tokenizer,
                                    const std::vector<std::string>& corpus);

}  // namespace tfc
