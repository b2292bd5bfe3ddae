// Plain text: whole files, lines, and labelled folders of text files. tfc tensors hold numbers
// only, so text stays as std::string until a Tokenizer or TextVectorization turns it into ids
// (tf.data.TextLineDataset / tf.keras.utils.text_dataset_from_directory, on strings).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tfc::data {

// The whole file as bytes (UTF-8 is passed through unchanged).
std::string read_text_file(const std::string& path);

// Lines without their "\n" or "\r\n"; a final line without a newline is kept, an empty file has
// no lines (Python's `f.read().splitlines()` on "\n" / "\r\n" files).
std::vector<std::string> read_text_lines(const std::string& path);

// Streams the lines of a file of any size, one at a time (TextLineDataset).
class TextLineReader {
public:
    explicit TextLineReader(const std::string& path);
    ~TextLineReader();
    TextLineReader(const TextLineReader&) = delete;
    TextLineReader& operator=(const TextLineReader&) = delete;
    std::optional<std::string> next();
    std::int64_t line_number() const { return line_; }  // lines returned so far

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::int64_t line_ = 0;
};

// Every ".txt" file below `directory`/<class>/, class names sorted, files sorted within a class
// (text_dataset_from_directory's labels="inferred" order).
struct TextFiles {
    std::vector<std::string> texts;
    std::vector<std::int32_t> labels;
    std::vector<std::string> class_names;
    std::vector<std::string> file_paths;
};
TextFiles text_files_from_directory(const std::string& directory);

}  // namespace tfc::data
