// Tokenizer / text_to_word_sequence against keras_preprocessing 1.1.0 goldens
// (tools/golden/text_goldens.py -> tests/golden/preprocessing/tokenizer_*.json).
#include "tfc/preprocessing/tokenizer.h"

#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"

#include <algorithm>

#include "tfc/core/error.h"
#include "tfc/preprocessing/golden_test_util.h"
#include "tfc/preprocessing/unicode_case_impl.h"

namespace tfc {
namespace {

using nlohmann::json;
using testing::Sha256;

TokenizerOptions options_from(const json& cfg) {
    TokenizerOptions o;
    if (cfg.contains("num_words")) o.num_words = cfg["num_words"].get<std::int64_t>();
    if (cfg.contains("oov_token")) o.oov_token = cfg["oov_token"].get<std::string>();
    if (cfg.contains("char_level")) o.char_level = cfg["char_level"].get<bool>();
    if (cfg.contains("lower")) o.lower = cfg["lower"].get<bool>();
    if (cfg.contains("filters")) o.filters = cfg["filters"].get<std::string>();
    if (cfg.contains("split")) o.split = cfg["split"].get<std::string>();
    return o;
}

std::string line(std::int64_t n, const std::string& w) {
    return std::to_string(n) + " " + std::to_string(w.size()) + " " + w + "\n";
}

std::string hash_word_index(const Tokenizer& tok) {
    Sha256 h;
    const auto words = tok.words_by_index();
    for (const auto& w : words) h.update(line(tok.word_index().at(w), w));
    return h.hex();
}

std::string hash_pairs(const std::vector<std::pair<std::string, std::int64_t>>& items) {
    Sha256 h;
    for (const auto& [w, c] : items) h.update(line(c, w));
    return h.hex();
}

std::string hash_sequences(const Sequences& seqs) {
    Sha256 h;
    for (const auto& s : seqs) {
        std::string l;
        for (std::size_t i = 0; i < s.size(); ++i) {
            if (i) l.push_back(' ');
            l += std::to_string(s[i]);
        }
        l.push_back('\n');
        h.update(l);
    }
    return h.hex();
}

std::string hash_texts(const std::vector<std::string>& texts) {
    Sha256 h;
    for (const auto& t : texts) h.update(std::to_string(t.size()) + " " + t + "\n");
    return h.hex();
}

TEST(Sha256, KnownVectors) {
    Sha256 h;
    EXPECT_EQ(h.hex(), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    h.update("abc");
    EXPECT_EQ(h.hex(), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(PythonLower, MatchesStrLowerOnSpecialCases) {
    using preprocessing_detail::python_lower;
    // Values from Python 3.11 str.lower(), the same interpreter as the oracle.
    EXPECT_EQ(python_lower("ΣΊΣΥΦΟΣ"), "σίσυφος");  // final sigma only at the end
    EXPECT_EQ(python_lower("Σ"), "σ");
    EXPECT_EQ(python_lower("AΣ'"), "aς'");  // apostrophe is case-ignorable
    EXPECT_EQ(python_lower("İ"), "i\xCC\x87");
    EXPECT_EQ(python_lower("ÀÉÎÕÜ ŁŒŸ Ǆǅ"), "àéîõü łœÿ ǆǆ");
    EXPECT_EQ(python_lower("\xFFok"), "\xFFok");  // invalid UTF-8 passes through
}

TEST(Tokenizer, SmallGoldens) {
    const json g = testing::load_preprocessing_golden("tokenizer_small.json");
    std::vector<std::string> texts = g["texts"].get<std::vector<std::string>>();
    std::vector<std::string> eval = texts;
    eval.push_back(g["extra_text"].get<std::string>());
    int checked = 0;
    for (const json& c : g["cases"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        Tokenizer tok(options_from(c["config"]));
        tok.fit_on_texts(texts);
        EXPECT_EQ(tok.document_count(), c["document_count"].get<std::int64_t>());
        // word_index, exactly (including the repeated-OOV quirk).
        std::vector<std::pair<std::string, std::int64_t>> wi;
        for (const auto& w : tok.words_by_index()) wi.emplace_back(w, tok.word_index().at(w));
        std::vector<std::pair<std::string, std::int64_t>> want_wi;
        for (const json& p : c["word_index"]) want_wi.emplace_back(p[0], p[1]);
        EXPECT_EQ(wi, want_wi);
        std::vector<std::pair<std::int64_t, std::string>> iw(tok.index_word().begin(),
                                                             tok.index_word().end());
        std::sort(iw.begin(), iw.end());
        std::vector<std::pair<std::int64_t, std::string>> want_iw;
        for (const json& p : c["index_word"]) want_iw.emplace_back(p[0], p[1]);
        EXPECT_EQ(iw, want_iw);
        std::vector<std::pair<std::string, std::int64_t>> want_wc, want_wd;
        for (const json& p : c["word_counts"]) want_wc.emplace_back(p[0], p[1]);
        for (const json& p : c["word_docs"]) want_wd.emplace_back(p[0], p[1]);
        EXPECT_EQ(tok.word_counts(), want_wc);
        EXPECT_EQ(tok.word_docs(), want_wd);
        const Sequences seqs = tok.texts_to_sequences(eval);
        EXPECT_EQ(seqs, c["sequences"].get<Sequences>());
        Sequences back = seqs;
        back.push_back({0, 1, 2, 999});
        if (c.contains("sequences_to_texts")) {
            EXPECT_EQ(tok.sequences_to_texts(back),
                      c["sequences_to_texts"].get<std::vector<std::string>>());
        } else {
            EXPECT_THROW(tok.sequences_to_texts(back), Error);
        }
        ++checked;
    }
    EXPECT_EQ(checked, 10);
}

TEST(Tokenizer, TextToWordSequenceGoldens) {
    const json g = testing::load_preprocessing_golden("tokenizer_small.json");
    for (const json& c : g["text_to_word_sequence"]) {
        TextToWordSequenceOptions o;
        const json& kw = c["options"];
        if (kw.contains("lower")) o.lower = kw["lower"];
        if (kw.contains("filters")) o.filters = kw["filters"];
        if (kw.contains("split")) o.split = kw["split"];
        EXPECT_EQ(text_to_word_sequence(c["text"].get<std::string>(), o),
                  c["tokens"].get<std::vector<std::string>>())
            << c["text"];
    }
}

TEST(Tokenizer, MatrixGoldens) {
    const json g = testing::load_preprocessing_golden("tokenizer_small.json");
    for (const json& c : g["matrix"]) {
        const std::string mode = c["mode"];
        SCOPED_TRACE(mode + " " + c["config"].dump());
        Tokenizer tok(options_from(c["config"]));
        Tensor m;
        if (c.contains("fit_texts")) {
            tok.fit_on_texts(c["fit_texts"].get<std::vector<std::string>>());
            m = tok.texts_to_matrix(c["texts"].get<std::vector<std::string>>(), mode);
        } else {
            tok.fit_on_sequences(c["fit_sequences"].get<Sequences>());
            m = tok.sequences_to_matrix(c["sequences"].get<Sequences>(), mode);
        }
        ASSERT_EQ(m.shape(), c["shape"].get<Shape>());
        std::vector<double> want;
        for (const json& row : c["values"]) {
            for (const json& v : row) want.push_back(v.get<double>());
        }
        EXPECT_EQ(m.to_doubles(), want);
    }
}

TEST(Tokenizer, DatasetGoldens) {
    TFC_SKIP_WITHOUT_SHARED();
    const json g = testing::load_preprocessing_golden("tokenizer_datasets.json");
    std::map<std::string, std::vector<std::string>> data;
    int checked = 0;
    for (const json& c : g["cases"]) {
        const std::string ds = c["dataset"];
        SCOPED_TRACE(ds + " " + c["name"].get<std::string>());
        if (!data.count(ds)) {
            data[ds] = testing::read_csv_column(testing::dataset_path("text/" + ds + ".csv"),
                                                "text");
        }
        const auto& texts = data[ds];
        Tokenizer tok(options_from(c["config"]));
        tok.fit_on_texts(texts);
        EXPECT_EQ(tok.document_count(), c["document_count"].get<std::int64_t>());
        EXPECT_EQ(static_cast<std::int64_t>(tok.word_index().size()),
                  c["len_word_index"].get<std::int64_t>());
        for (const json& p : c["word_index_head"]) {
            auto it = tok.word_index().find(p[0].get<std::string>());
            ASSERT_NE(it, tok.word_index().end()) << p[0];
            EXPECT_EQ(it->second, p[1].get<std::int64_t>()) << p[0];
        }
        EXPECT_EQ(hash_word_index(tok), c["word_index_sha256"]);
        EXPECT_EQ(hash_pairs(tok.word_counts()), c["word_counts_sha256"]);
        EXPECT_EQ(hash_pairs(tok.word_docs()), c["word_docs_sha256"]);
        const Sequences seqs = tok.texts_to_sequences(texts);
        EXPECT_EQ(seqs.front(), c["sequences_head"][0].get<std::vector<std::int32_t>>());
        EXPECT_EQ(hash_sequences(seqs), c["sequences_sha256"]);
        const Sequences first(seqs.begin(), seqs.begin() + 200);
        const auto back = tok.sequences_to_texts(first);
        EXPECT_EQ(back.front(), c["sequences_to_texts_head"][0].get<std::string>());
        EXPECT_EQ(hash_texts(back), c["sequences_to_texts_first200_sha256"]);
        ++checked;
    }
    EXPECT_EQ(checked, 7);
}

TEST(Tokenizer, ErrorsAreTfcErrors) {
    EXPECT_THROW(Tokenizer({.split = ""}), Error);
    EXPECT_THROW(Tokenizer({.num_words = -1}), Error);
    Tokenizer tok({.oov_token = "<OOV>"});
    EXPECT_THROW(tok.texts_to_sequences({"never fit"}), Error);  // Keras would emit None
    Tokenizer empty;
    EXPECT_THROW(empty.texts_to_matrix({"a"}), Error);
    EXPECT_EQ(empty.texts_to_sequences({"a b"}), Sequences{{}});
    Tokenizer fitted;
    fitted.fit_on_texts({"a b"});
    EXPECT_THROW(fitted.texts_to_matrix({"a"}, "onehot"), Error);
    EXPECT_THROW(fitted.sequences_to_matrix({{-1}}), Error);
    EXPECT_THROW(text_to_word_sequence("x", {.split = ""}), Error);
}

}  // namespace
}  // namespace tfc
