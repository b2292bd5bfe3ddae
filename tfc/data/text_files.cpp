#include "tfc/data/text_files.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "tfc/core/error.h"

namespace tfc::data {
namespace fs = std::filesystem;

namespace {

void check_file(const std::string& path, const char* where) {
    std::error_code ec;
    TFC_CHECK(fs::is_regular_file(path, ec), where, "file not found", "'" + path + "'",
              "an existing text file", "check the path");
}

void strip_cr(std::string& line) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
}

}  // namespace

std::string read_text_file(const std::string& path) {
    check_file(path, "read_text_file");
    std::ifstream f(path, std::ios::binary);
    TFC_CHECK(f.good(), "read_text_file", "cannot open the file", "'" + path + "'",
              "a readable file", "check the file's permissions");
    std::string text((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    TFC_CHECK(!f.bad(), "read_text_file", "read error", "'" + path + "'", "a readable file",
              "check the disk and the file");
    return text;
}

std::vector<std::string> read_text_lines(const std::string& path) {
    TextLineReader reader(path);
    std::vector<std::string> lines;
    while (auto line = reader.next()) lines.push_back(std::move(*line));
    return lines;
}

struct TextLineReader::Impl {
    std::ifstream in;
    std::string path;
};

TextLineReader::TextLineReader(const std::string& path) : impl_(std::make_unique<Impl>()) {
    check_file(path, "TextLineReader");
    impl_->path = path;
    impl_->in.open(path, std::ios::binary);
    TFC_CHECK(impl_->in.good(), "TextLineReader", "cannot open the file", "'" + path + "'",
              "a readable file", "check the file's permissions");
}

TextLineReader::~TextLineReader() = default;

std::optional<std::string> TextLineReader::next() {
    std::string line;
    if (!std::getline(impl_->in, line)) {
        TFC_CHECK(!impl_->in.bad(), "TextLineReader", "read error",
                  "'" + impl_->path + "' after line " + std::to_string(line_), "a readable file",
                  "check the disk and the file");
        return std::nullopt;
    }
    strip_cr(line);
    ++line_;
    return line;
}

TextFiles text_files_from_directory(const std::string& directory) {
    std::error_code ec;
    TFC_CHECK(fs::is_directory(directory, ec), "text_files_from_directory",
              "directory not found", "'" + directory + "'",
              "a folder with one sub-folder per class", "check the path");
    TextFiles out;
    for (const auto& e : fs::directory_iterator(directory)) {
        if (e.is_directory()) out.class_names.push_back(e.path().filename().string());
    }
    std::sort(out.class_names.begin(), out.class_names.end());
    TFC_CHECK(!out.class_names.empty(), "text_files_from_directory", "no class folders",
              "'" + directory + "' has no sub-folders", "one sub-folder per class",
              "put each class's .txt files in its own folder");
    for (std::size_t c = 0; c < out.class_names.size(); ++c) {
        std::vector<std::string> files;
        for (const auto& e : fs::recursive_directory_iterator(fs::path(directory) / out.class_names[c])) {
            if (e.is_regular_file() && e.path().extension() == ".txt") files.push_back(e.path().string());
        }
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            out.texts.push_back(read_text_file(f));
            out.labels.push_back(static_cast<std::int32_t>(c));
            out.file_paths.push_back(f);
        }
    }
    return out;
}

}  // namespace tfc::data
