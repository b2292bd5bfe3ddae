// TextVectorization; see text_vectorization.h.
#include "tfc/preprocessing/text_vectorization.h"

#include <algorithm>
#include <cstring>

#include "tfc/core/error.h"
#include "tfc/preprocessing/unicode_case_impl.h"

namespace tfc {

namespace {

constexpr const char* kWhere = "[TextVectorization]";
constexpr const char* kOov = "[UNK]";

// text_vectorization.py DEFAULT_STRIP_REGEX: [!"#$%&()\*\+,-\./:;<=>?@\[\\\]^_`{|}~\'], i.e.
// every ASCII punctuation character.
bool is_strip_punct(unsigned char c) {
    return c < 0x80 && std::strchr("!\"#$%&()*+,-./:;<=>?@[\\]^_`{|}~'", c) != nullptr && c != 0;
}

// tf.strings.split with no separator splits on ASCII whitespace (absl::ascii_isspace).
bool is_ascii_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

}  // namespace

TextVectorization::TextVectorization(TextVectorizationOptions options)
    : options_(std::move(options)) {
    const auto& o = options_;
    TFC_CHECK(o.standardize == "lower_and_strip_punctuation" || o.standardize == "lower" ||
                  o.standardize == "strip_punctuation" || o.standardize == "none",
              kWhere, "unknown standardize", "standardize=\"" + o.standardize + "\"",
              "\"lower_and_strip_punctuation\", \"lower\", \"strip_punctuation\" or \"none\"",
              "pick one of those");
    TFC_CHECK(o.split == "whitespace" || o.split == "character" || o.split == "none", kWhere,
              "unknown split", "split=\"" + o.split + "\"",
              "\"whitespace\", \"character\" or \"none\"", "pick one of those");
    if (options_.output_mode == "binary") options_.output_mode = "multi_hot";  // Keras alias
    TFC_CHECK(options_.output_mode == "int" || options_.output_mode == "multi_hot" ||
                  options_.output_mode == "count",
              kWhere, "unsupported output_mode", "output_mode=\"" + o.output_mode + "\"",
              "\"int\", \"multi_hot\" or \"count\"", "pick one of those (tf_idf is not supported)");
    TFC_CHECK(!o.output_sequence_length || options_.output_mode == "int", kWhere,
              "output_sequence_length must not be set if output_mode is not 'int'",
              "output_mode=\"" + options_.output_mode + "\"", "output_mode=\"int\"",
              "drop output_sequence_length");
    TFC_CHECK(!o.output_sequence_length || *o.output_sequence_length >= 0, kWhere,
              "output_sequence_length must not be negative",
              std::to_string(o.output_sequence_length.value_or(0)), ">= 0",
              "pass a positive length");
    TFC_CHECK(!o.max_tokens || *o.max_tokens > 1, kWhere,
              "if set, max_tokens must be greater than 1",
              "max_tokens=" + std::to_string(o.max_tokens.value_or(0)), "> 1",
              "pass a larger max_tokens or leave it unset");
    if (!o.vocabulary.empty()) {
        set_vocabulary(o.vocabulary);
        has_input_vocabulary_ = true;
    }
}

std::vector<std::string> TextVectorization::preprocess(std::string_view text) const {
    const std::string& st = options_.standardize;
    const bool lower = st == "lower" || st == "lower_and_strip_punctuation";
    const bool strip = st == "strip_punctuation" || st == "lower_and_strip_punctuation";
    std::string s;
    s.reserve(text.size());
    for (char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if (strip && is_strip_punct(u)) continue;
        s.push_back(lower && c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    }
    std::vector<std::string> out;
    if (options_.split == "none") {
        out.push_back(std::move(s));
    } else if (options_.split == "whitespace") {
        std::size_t i = 0;
        while (i < s.size()) {
            while (i < s.size() && is_ascii_space(s[i])) ++i;
            std::size_t j = i;
            while (j < s.size() && !is_ascii_space(s[j])) ++j;
            if (j > i) out.emplace_back(s.substr(i, j - i));
            i = j;
        }
    } else {  // character: one token per code point; invalid bytes become U+FFFD (errors=replace)
        std::size_t i = 0;
        while (i < s.size()) {
            const std::size_t start = i;
            const std::uint32_t cp = preprocessing_detail::decode_utf8(s, i);
            if (cp & preprocessing_detail::kInvalidByte) {
                out.emplace_back("\xEF\xBF\xBD");
            } else {
                out.emplace_back(s.substr(start, i - start));
            }
        }
    }
    return out;
}

void TextVectorization::adapt(const std::vector<std::string>& texts) {
    TFC_CHECK(!has_input_vocabulary_, kWhere,
              "cannot adapt after setting a static vocabulary via the vocabulary option",
              "a layer built with a vocabulary", "a layer without one",
              "drop .vocabulary or skip adapt()");
    WordIndex counts;
    for (const std::string& t : texts) {
        for (std::string& tok : preprocess(t)) ++counts[std::move(tok)];
    }
    counts.erase("");    // finalize_state removes the mask token
    counts.erase(kOov);  // ... and the OOV token
    std::vector<std::pair<std::int64_t, const std::string*>> items;
    items.reserve(counts.size());
    for (const auto& [tok, c] : counts) items.emplace_back(c, &tok);
    // np.lexsort((tokens, counts))[::-1]: count descending, then token bytes descending.
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first > b.first;
        return *a.second > *b.second;
    });
    if (options_.max_tokens) {
        const std::int64_t keep = std::max<std::int64_t>(0, *options_.max_tokens - token_start());
        if (static_cast<std::int64_t>(items.size()) > keep) items.resize(static_cast<std::size_t>(keep));
    }
    std::vector<std::string> tokens;
    tokens.reserve(items.size());
    for (const auto& it : items) tokens.push_back(*it.second);
    set_tokens(std::move(tokens));
}

void TextVectorization::set_vocabulary(const std::vector<std::string>& vocabulary) {
    TFC_CHECK(!vocabulary.empty(), kWhere, "cannot set an empty vocabulary", "[]",
              "at least one token", "pass the vocabulary tokens");
    // Special tokens at the front are accepted and dropped (index_lookup.py set_vocabulary).
    std::vector<std::string> special = {kOov};
    if (options_.output_mode == "int") special.insert(special.begin(), "");
    std::vector<std::string> tokens = vocabulary;
    if (tokens.size() >= special.size() &&
        std::equal(special.begin(), special.end(), tokens.begin())) {
        tokens.erase(tokens.begin(), tokens.begin() + static_cast<std::ptrdiff_t>(special.size()));
    }
    WordIndex seen;
    for (const auto& t : tokens) {
        TFC_CHECK(!t.empty(), kWhere, "found the reserved mask token \"\" inside the vocabulary",
                  "vocabulary with \"\"", "\"\" only at index 0",
                  "remove it or put the special tokens first in order [\"\", \"[UNK]\"]");
        TFC_CHECK(seen.emplace(t, 0).second, kWhere, "the vocabulary has a repeated term",
                  "\"" + t + "\" twice", "unique terms", "uniquify the vocabulary");
    }
    const auto size = token_start() + static_cast<std::int64_t>(tokens.size());
    TFC_CHECK(!options_.max_tokens || size <= *options_.max_tokens, kWhere,
              "the vocabulary is larger than max_tokens",
              "vocabulary size " + std::to_string(size),
              "<= max_tokens=" + std::to_string(options_.max_tokens.value_or(0)),
              "raise max_tokens or pass fewer terms");
    set_tokens(std::move(tokens));
}

void TextVectorization::set_tokens(std::vector<std::string> tokens) {
    tokens_ = std::move(tokens);
    vocabulary_ready_ = true;
    index_.clear();
    index_.reserve(tokens_.size());
    for (std::size_t i = 0; i < tokens_.size(); ++i) {
        index_.emplace(tokens_[i], token_start() + static_cast<std::int64_t>(i));
    }
}

std::int64_t TextVectorization::lookup(std::string_view token) const {
    if (token.empty()) return 0;  // the mask token "" maps to 0
    auto it = index_.find(token);
    return it == index_.end() ? token_start() - 1 : it->second;  // OOV
}

std::vector<std::string> TextVectorization::get_vocabulary(bool include_special_tokens) const {
    std::vector<std::string> out;
    if (include_special_tokens) {
        if (options_.output_mode == "int") out.emplace_back("");
        out.emplace_back(kOov);
    }
    out.insert(out.end(), tokens_.begin(), tokens_.end());
    return out;
}

std::int64_t TextVectorization::vocabulary_size() const {
    return token_start() + static_cast<std::int64_t>(tokens_.size());
}

Tensor TextVectorization::call(const std::vector<std::string>& texts) const {
    const auto n = static_cast<std::int64_t>(texts.size());
    std::vector<std::vector<std::int64_t>> ids(texts.size());
    std::int64_t longest = 0;
    for (std::size_t i = 0; i < texts.size(); ++i) {
        for (const auto& tok : preprocess(texts[i])) ids[i].push_back(lookup(tok));
        longest = std::max<std::int64_t>(longest, static_cast<std::int64_t>(ids[i].size()));
    }
    if (options_.output_mode == "int") {
        // Ragged -> dense with default 0, at the end; output_sequence_length trims/pads the end.
        const std::int64_t len = options_.output_sequence_length.value_or(longest);
        Tensor out = Tensor::zeros(Shape{n, len}, DType::int64);
        std::int64_t* dst = out.data<std::int64_t>();
        for (std::int64_t i = 0; i < n; ++i) {
            const auto& row = ids[static_cast<std::size_t>(i)];
            const std::int64_t k = std::min<std::int64_t>(len, static_cast<std::int64_t>(row.size()));
            std::copy(row.begin(), row.begin() + k, dst + i * len);
        }
        return out;
    }
    TFC_CHECK(vocabulary_ready_, kWhere,
              "multi_hot/count output needs a vocabulary", "an empty vocabulary",
              "adapt() or a vocabulary", "call adapt(texts) or pass .vocabulary");
    const std::int64_t depth = vocabulary_size();
    Tensor out = Tensor::zeros(Shape{n, depth}, DType::float32);
    float* dst = out.data<float>();
    const bool count = options_.output_mode == "count";
    for (std::int64_t i = 0; i < n; ++i) {
        for (std::int64_t id : ids[static_cast<std::size_t>(i)]) {
            float& cell = dst[i * depth + id];
            cell = count ? cell + 1.0f : 1.0f;
        }
    }
    return out;
}

}  // namespace tfc
