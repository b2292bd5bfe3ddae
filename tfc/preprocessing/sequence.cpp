// pad_sequences and make_ngram_sequences; see sequence.h.
#include "tfc/preprocessing/sequence.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "tfc/core/error.h"

namespace tfc {

namespace {

template <typename T>
T cast_value(double v, const std::string& dtype) {
    if constexpr (std::is_integral_v<T>) {
        TFC_CHECK(std::isfinite(v) && v > static_cast<double>(std::numeric_limits<T>::min()) - 1 &&
                      v < static_cast<double>(std::numeric_limits<T>::max()) + 1,
                  "[pad_sequences]", "value does not fit the integer dtype",
                  "value=" + std::to_string(v) + ", dtype=" + dtype, "a finite value in range",
                  "use dtype=\"float32\" or a smaller value");
        return static_cast<T>(v);  // truncation toward zero, like numpy's unsafe cast
    } else {
        return static_cast<T>(v);
    }
}

template <typename T>
Tensor pad_impl(const Sequences& sequences, std::int64_t maxlen, const PadSequencesOptions& o) {
    const auto n = static_cast<std::int64_t>(sequences.size());
    Tensor out = Tensor::empty(Shape{n, maxlen}, dtype_of<T>());
    T* dst = out.data<T>();
    const T pad = cast_value<T>(o.value, o.dtype);
    std::fill(dst, dst + n * maxlen, pad);
    for (std::int64_t r = 0; r < n; ++r) {
        const auto& s = sequences[static_cast<std::size_t>(r)];
        const auto len = static_cast<std::int64_t>(s.size());
        if (len == 0) continue;
        TFC_CHECK(!(maxlen == 0 && o.truncating == "pre"), "[pad_sequences]",
                  "maxlen=0 with truncating=\"pre\" keeps the whole sequence in Keras (s[-0:]) and "
                  "cannot be stored",
                  "sequence " + std::to_string(r) + " of length " + std::to_string(len),
                  "maxlen > 0", "pass maxlen >= 1 or truncating=\"post\"");
        const std::int64_t keep = std::min(len, maxlen);
        const std::int64_t src_start = o.truncating == "pre" ? len - keep : 0;
        T* row = dst + r * maxlen;
        const std::int64_t dst_start = o.padding == "post" ? 0 : maxlen - keep;
        for (std::int64_t k = 0; k < keep; ++k) {
            row[dst_start + k] = static_cast<T>(s[static_cast<std::size_t>(src_start + k)]);
        }
    }
    return out;
}

}  // namespace

Tensor pad_sequences(const Sequences& sequences, const PadSequencesOptions& options) {
    const char* where = "[pad_sequences]";
    TFC_CHECK(options.padding == "pre" || options.padding == "post", where,
              "padding type not understood", "padding=\"" + options.padding + "\"",
              "\"pre\" or \"post\"", "pass .padding = \"pre\" or \"post\"");
    TFC_CHECK(options.truncating == "pre" || options.truncating == "post", where,
              "truncating type not understood", "truncating=\"" + options.truncating + "\"",
              "\"pre\" or \"post\"", "pass .truncating = \"pre\" or \"post\"");
    std::int64_t maxlen = 0;
    if (options.maxlen) {
        maxlen = *options.maxlen;
        TFC_CHECK(maxlen >= 0, where, "maxlen must not be negative", std::to_string(maxlen),
                  ">= 0", "pass a positive maxlen or leave it unset");
    } else {
        TFC_CHECK(!sequences.empty(), where,
                  "cannot infer maxlen from an empty list of sequences", "0 sequences",
                  "at least one sequence or an explicit maxlen", "pass .maxlen");
        for (const auto& s : sequences) maxlen = std::max<std::int64_t>(maxlen, s.size());
    }
    const std::string& d = options.dtype;
    if (d == "int32") return pad_impl<std::int32_t>(sequences, maxlen, options);
    if (d == "int64") return pad_impl<std::int64_t>(sequences, maxlen, options);
    if (d == "float32") return pad_impl<float>(sequences, maxlen, options);
    if (d == "float64") return pad_impl<double>(sequences, maxlen, options);
    fail(where, "unsupported dtype", "dtype=\"" + d + "\"",
         "\"int32\", \"int64\", \"float32\" or \"float64\"", "pass one of those dtypes");
}

NgramSequences make_ngram_sequences(const Tokenizer& tokenizer,
                                    const std::vector<std::string>& corpus) {
    TFC_CHECK(!tokenizer.word_index().empty(), "[make_ngram_sequences]",
              "the tokenizer has an empty word_index", "an unfitted tokenizer",
              "a tokenizer fit on the corpus", "call tokenizer.fit_on_texts(corpus) first");
    Sequences input_sequences;
    const Sequences lines = tokenizer.texts_to_sequences(corpus);
    for (const auto& token_list : lines) {
        for (std::size_t i = 1; i < token_list.size(); ++i) {
            input_sequences.emplace_back(token_list.begin(), token_list.begin() + i + 1);
        }
    }
    TFC_CHECK(!input_sequences.empty(), "[make_ngram_sequences]",
              "no line has two or more known tokens", std::to_string(corpus.size()) + " lines",
              "at least one line with 2+ tokens", "check the corpus and the tokenizer");
    NgramSequences out;
    for (const auto& s : input_sequences) {
        out.max_sequence_len = std::max<std::int64_t>(out.max_sequence_len, s.size());
    }
    out.total_words = static_cast<std::int64_t>(tokenizer.word_index().size()) + 1;
    const Tensor padded = pad_sequences(input_sequences, {.maxlen = out.max_sequence_len});
    const std::int64_t n = padded.dim(0), len = out.max_sequence_len;
    out.xs = Tensor::empty(Shape{n, len - 1}, DType::int32);
    out.labels = Tensor::empty(Shape{n}, DType::int32);
    const std::int32_t* src = padded.data<std::int32_t>();
    std::int32_t* xs = out.xs.data<std::int32_t>();
    std::int32_t* ys = out.labels.data<std::int32_t>();
    for (std::int64_t r = 0; r < n; ++r) {
        std::copy(src + r * len, src + r * len + len - 1, xs + r * (len - 1));
        ys[r] = src[r * len + len - 1];
    }
    return out;
}

}  // namespace tfc
