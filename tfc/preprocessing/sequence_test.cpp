// pad_sequences and make_ngram_sequences against keras_preprocessing 1.1.0 goldens
// (tests/golden/preprocessing/{pad_sequences,ngram_sequences}.json).
#include "tfc/preprocessing/sequence.h"

#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"

#include <fstream>
#include <sstream>

#include "tfc/core/error.h"
#include "tfc/preprocessing/golden_test_util.h"

namespace tfc {
namespace {

using nlohmann::json;

TEST(PadSequences, AllModesMatchKeras) {
    const json g = testing::load_preprocessing_golden("pad_sequences.json");
    const Sequences seqs = g["sequences"].get<Sequences>();
    int ok = 0, errors = 0;
    for (const json& c : g["cases"]) {
        PadSequencesOptions o;
        if (!c["maxlen"].is_null()) o.maxlen = c["maxlen"].get<std::int64_t>();
        o.padding = c["padding"];
        o.truncating = c["truncating"];
        o.value = c["value"];
        o.dtype = c["dtype"];
        SCOPED_TRACE(c.dump());
        if (c.contains("error")) {
            EXPECT_THROW(pad_sequences(seqs, o), Error);
            ++errors;
            continue;
        }
        const Tensor x = pad_sequences(seqs, o);
        EXPECT_EQ(x.shape(), c["shape"].get<Shape>());
        EXPECT_EQ(std::string(dtype_name(x.dtype())), o.dtype);
        EXPECT_EQ(x.to_doubles(), c["values"].get<std::vector<double>>());
        ++ok;
    }
    EXPECT_EQ(ok, 132);
    EXPECT_EQ(errors, 12);  // maxlen=0 with truncating="pre" fails in Keras too
}

TEST(PadSequences, ErrorsAndEdges) {
    EXPECT_THROW(pad_sequences({{1}}, {.padding = "middle"}), Error);
    EXPECT_THROW(pad_sequences({{1}}, {.truncating = "both"}), Error);
    EXPECT_THROW(pad_sequences({{1}}, {.dtype = "string"}), Error);
    EXPECT_THROW(pad_sequences({{1}}, {.maxlen = -1}), Error);
    EXPECT_THROW(pad_sequences({}), Error);  // numpy: max() of an empty list
    EXPECT_THROW(pad_sequences({{1}}, {.value = 1e30}), Error);
    const Tensor e = pad_sequences({}, {.maxlen = 4});
    EXPECT_EQ(e.shape(), (Shape{0, 4}));
}

TEST(MakeNgramSequences, SonnetsMatchCourseCode) {
    TFC_SKIP_WITHOUT_SHARED();
    const json g = testing::load_preprocessing_golden("ngram_sequences.json");
    std::ifstream in(testing::dataset_path("text/corpora/shakespeare-sonnets.txt"));
    std::stringstream ss;
    ss << in.rdbuf();
    // corpus = data.lower().split("\n")
    std::vector<std::string> corpus;
    const std::string data = ss.str();
    std::size_t begin = 0;
    while (true) {
        const std::size_t pos = data.find('\n', begin);
        corpus.push_back(data.substr(begin, pos == std::string::npos ? std::string::npos
                                                                     : pos - begin));
        if (pos == std::string::npos) break;
        begin = pos + 1;
    }
    Tokenizer tok;
    tok.fit_on_texts(corpus);  // the tokenizer lowercases anyway
    const NgramSequences ng = make_ngram_sequences(tok, corpus);
    EXPECT_EQ(ng.total_words, g["total_words"].get<std::int64_t>());
    EXPECT_EQ(ng.max_sequence_len, g["max_sequence_len"].get<std::int64_t>());
    EXPECT_EQ(ng.xs.shape(), g["xs_shape"].get<Shape>());
    testing::Sha256 hx, hy;
    hx.update(ng.xs.raw_data(), ng.xs.nbytes());
    hy.update(ng.labels.raw_data(), ng.labels.nbytes());
    EXPECT_EQ(hx.hex(), g["xs_int32_sha256"]);
    EXPECT_EQ(hy.hex(), g["labels_int32_sha256"]);
    const auto head = g["labels_head"].get<std::vector<double>>();
    for (std::size_t i = 0; i < head.size(); ++i) EXPECT_EQ(ng.labels.at(i), head[i]);
    EXPECT_THROW(make_ngram_sequences(Tokenizer(), corpus), Error);
}

}  // namespace
}  // namespace tfc
