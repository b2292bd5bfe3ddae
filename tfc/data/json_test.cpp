#include "tfc/data/json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "tfc/core/error.h"

namespace tfc::data {
namespace {

namespace fs = std::filesystem;

std::string write_temp(const std::string& name, const std::string& content) {
    const std::string path = (fs::temp_directory_path() / ("tfc_json_test_" + name)).string();
    std::ofstream f(path, std::ios::binary);
    f << content;
    return path;
}

std::string error_of(std::string_view text, JsonOptions options = {}) {
    try {
        parse_json(text, options);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// Records in the layout of the sarcasm headlines dataset (Misra, "News Headlines Dataset for
// Sarcasm Detection"): headline, is_sarcastic, article_link. Texts written for this test.
const char* kSarcasm = R"([
  {"article_link": "https://example.org/a", "headline": "scientists discover \"water\" is wet", "is_sarcastic": 1},
  {"article_link": "https://example.org/b", "headline": "caf\u00e9 opens downtown \ud83d\ude00", "is_sarcastic": 0},
  {"article_link": "https://example.org/c", "headline": "line\nbreak\tand \\ slash \/", "is_sarcastic": 0}
])";

TEST(Json, SarcasmArrayBecomesATable) {
    Table t = read_json_records(write_temp("sarcasm.json", kSarcasm));
    EXPECT_EQ(t.num_rows(), 3);
    EXPECT_EQ(t.column_names(),
              (std::vector<std::string>{"article_link", "headline", "is_sarcastic"}));
    EXPECT_EQ(t["is_sarcastic"].type(), ColumnType::int64);
    EXPECT_EQ(t["is_sarcastic"].values().to_doubles(), (std::vector<double>{1, 0, 0}));
    const auto& h = t["headline"].strings();
    EXPECT_EQ(h[0], "scientists discover \"water\" is wet");
    EXPECT_EQ(h[1], "caf\xC3\xA9 opens downtown \xF0\x9F\x98\x80");  // UTF-8 of U+00E9, U+1F600
    EXPECT_EQ(h[2], "line\nbreak\tand \\ slash /");
}

TEST(Json, JsonLinesAndMissingValues) {
    const std::string path = write_temp(
        "lines.jsonl", "{\"a\": 1, \"b\": \"x\", \"c\": 1.5}\r\n\n{\"a\": null, \"b\": null, \"c\": true}\n");
    Table t = read_json_records(path);
    ASSERT_EQ(t.num_rows(), 2);
    EXPECT_EQ(t["a"].type(), ColumnType::float32);  // an integer key with a null
    EXPECT_TRUE(std::isnan(t["a"].number(1)));
    EXPECT_EQ(t["b"].strings()[1], "");
    EXPECT_EQ(t["c"].values().to_doubles(), (std::vector<double>{1.5, 1.0}));
    EXPECT_EQ(read_json_lines(path).size(), 2u);
    try {
        read_json_lines(write_temp("bad.jsonl", "{\"a\": 1}\n{\"a\": }\n"));
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("line 2"), std::string::npos) << e.what();
    }
    EXPECT_THROW(json_records_to_table({parse_json(R"({"a": 1})"), parse_json(R"({"a": "x"})")}),
                 Error);
    EXPECT_THROW(json_records_to_table({parse_json(R"({"a": [1]})")}), Error);
    EXPECT_THROW(json_records_to_table({parse_json("[1]")}), Error);
}

TEST(Json, ValuesNumbersAndNesting) {
    JsonValue v = parse_json(R"( {"n": [0, -1.5e3, 1E+2, 9223372036854775807, 9223372036854775808],
                                  "t": true, "f": false, "z": null, "o": {"k": {"deep": []}},
                                  "dup": 1, "dup": 2} )");
    const JsonValue& n = v["n"];
    ASSERT_EQ(n.size(), 5u);
    EXPECT_TRUE(n[0].is_integer());
    EXPECT_EQ(n[1].as_double(), -1500.0);
    EXPECT_EQ(n[2].as_double(), 100.0);
    EXPECT_FALSE(n[2].is_integer());
    EXPECT_EQ(n[3].as_int64(), INT64_MAX);
    EXPECT_FALSE(n[4].is_integer());  // does not fit in int64
    EXPECT_EQ(n[4].as_double(), 9223372036854775808.0);
    EXPECT_TRUE(v["t"].as_bool());
    EXPECT_FALSE(v["f"].as_bool());
    EXPECT_TRUE(v["z"].is_null());
    EXPECT_EQ(v["o"]["k"]["deep"].size(), 0u);
    EXPECT_EQ(v["dup"].as_int64(), 2);  // the last duplicate wins, as in Python's json
    EXPECT_EQ(v.find("missing"), nullptr);
    EXPECT_THROW(v["missing"], Error);
    EXPECT_THROW(v["t"].as_string(), Error);
}

// Offsets: in `{"a": 1,}` the '}' is byte 8 (0-based), i.e. line 1, column 9.
TEST(Json, ErrorsNameByteOffsetLineAndColumn) {
    std::string e = error_of(R"({"a": 1,})");
    EXPECT_NE(e.find("byte offset 8 (line 1, column 9)"), std::string::npos) << e;
    e = error_of("{\n  \"a\": tru\n}");  // 't' at byte 9: line 2, column 8
    EXPECT_NE(e.find("byte offset 9 (line 2, column 8)"), std::string::npos) << e;
    e = error_of("[1, 2");
    EXPECT_NE(e.find("byte offset 5"), std::string::npos) << e;
    for (const char* bad : {"", "01", "1.", "-", "1e", "[1 2]", "{\"a\" 1}", "{1: 2}", "\"abc",
                            "\"\\x\"", "\"\\u12G4\"", "\"\\udc00\"", "\"\\ud800\"",
                            "\"\\ud800\\u0041\"", "\"a\nb\"", "\"\xff\"", "\"\xC0\xAF\"",
                            "\"\xE2\x82\"", "[1] x", "nul", "'a'", "[,1]", "NaN"}) {
        EXPECT_NE(error_of(bad).find("invalid JSON"), std::string::npos) << "accepted: " << bad;
    }
}

TEST(Json, DeepNestingIsRefusedWithoutCrashing) {
    const std::string hostile(1'000'000, '[');
    const std::string e = error_of(hostile);
    EXPECT_NE(e.find("max_depth=256"), std::string::npos);
    EXPECT_NE(e.find("byte offset 256"), std::string::npos) << e;
    const std::string ok = std::string(256, '[') + std::string(256, ']');
    EXPECT_NO_THROW(parse_json(ok));
    EXPECT_THROW(parse_json(ok, {.max_depth = 10}), Error);
    EXPECT_THROW(read_json("/nonexistent.json"), Error);
}

}  // namespace
}  // namespace tfc::data
