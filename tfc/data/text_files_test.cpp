#include "tfc/data/text_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"

namespace tfc::data {
namespace {
namespace fs = std::filesystem;

std::string corpora() { return testing::shared_dir() + "/datasets/text/corpora"; }

TEST(TextFiles, LineCountsMatchTheDatasetReadme) {
    if (!fs::exists(corpora())) GTEST_SKIP() << "shared datasets not present";
    // Line counts stated in shared/datasets/README.md.
    EXPECT_EQ(read_text_lines(corpora() + "/shakespeare-sonnets.txt").size(), 2310u);
    EXPECT_EQ(read_text_lines(corpora() + "/austen/persuasion.txt").size(), 8328u);
    EXPECT_EQ(read_text_lines(corpora() + "/austen/emma.txt").size(), 16235u);
}

TEST(TextFiles, StreamingLinesEqualWholeFileLines) {
    if (!fs::exists(corpora())) GTEST_SKIP() << "shared datasets not present";
    const std::string path = corpora() + "/moby-dick.txt";
    const std::string text = read_text_file(path);
    std::string joined;
    TextLineReader reader(path);
    while (auto line = reader.next()) joined += *line + "\n";
    EXPECT_EQ(joined, text.back() == '\n' ? text : text + "\n");
    EXPECT_EQ(reader.line_number(), static_cast<std::int64_t>(read_text_lines(path).size()));
}

TEST(TextFiles, CrLfAndLastLineWithoutNewline) {
    const auto p = (fs::temp_directory_path() / "tfc_text_crlf.txt").string();
    std::ofstream(p, std::ios::binary) << "a\r\nb\n\nlast";
    EXPECT_EQ(read_text_lines(p), (std::vector<std::string>{"a", "b", "", "last"}));
    std::ofstream(p, std::ios::binary | std::ios::trunc) << "";
    EXPECT_TRUE(read_text_lines(p).empty());
}

TEST(TextFiles, LabelledFoldersAreSortedAndOnlyTxt) {
    const auto dir = fs::temp_directory_path() / "tfc_text_dir";
    fs::remove_all(dir);
    fs::create_directories(dir / "pos");
    fs::create_directories(dir / "neg");
    std::ofstream(dir / "pos" / "b.txt") << "good";
    std::ofstream(dir / "pos" / "a.txt") << "great";
    std::ofstream(dir / "neg" / "x.txt") << "bad";
    std::ofstream(dir / "neg" / "notes.md") << "ignored";
    const TextFiles t = text_files_from_directory(dir.string());
    EXPECT_EQ(t.class_names, (std::vector<std::string>{"neg", "pos"}));
    EXPECT_EQ(t.texts, (std::vector<std::string>{"bad", "great", "good"}));
    EXPECT_EQ(t.labels, (std::vector<std::int32_t>{0, 1, 1}));
}

TEST(TextFiles, MissingPathsAreErrors) {
    EXPECT_THROW(read_text_file("/nonexistent/file.txt"), Error);
    EXPECT_THROW(TextLineReader("/nonexistent/file.txt"), Error);
    try {
        text_files_from_directory("/nonexistent/dir");
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("/nonexistent/dir"), std::string::npos);
    }
}

}  // namespace
}  // namespace tfc::data
