// Folder listing with Keras's rules: class folders are the sorted sub-directory names (directory
// symlinks count), files come from a walk sorted by folder path, then by file name, with a
// case-insensitive suffix test (keras_preprocessing _iter_valid_files; keras.utils
// dataset_utils.iter_valid_files). Byte order of UTF-8 names equals Python's code point order.
#include <algorithm>
#include <filesystem>
#include <system_error>

#include "tfc/core/error.h"
#include "tfc/data/image_impl.h"

namespace tfc::data::image_impl {
namespace fs = std::filesystem;
namespace {

std::string lower(std::string s) {
    for (char& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

bool ends_with(const std::string& s, const std::string& suffix) {
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// One os.walk entry: the folder (relative, "" for the top) and its non-directory names.
void walk(const fs::path& top, const std::string& rel, bool follow_links,
          std::vector<std::pair<std::string, std::vector<std::string>>>& out) {
    std::error_code ec;
    fs::directory_iterator it(rel.empty() ? top : top / rel, ec);
    if (ec) return;  // os.walk ignores unreadable folders
    std::vector<std::string> files, dirs;
    for (const fs::directory_entry& e : it) {
        std::error_code e1, e2;
        const std::string name = e.path().filename().string();
        if (e.is_directory(e1)) {
            if (follow_links || !e.is_symlink(e2)) dirs.push_back(name);
        } else {
            files.push_back(name);
        }
    }
    out.emplace_back(rel, std::move(files));
    for (const auto& d : dirs) walk(top, rel.empty() ? d : rel + "/" + d, follow_links, out);
}

void check_directory(const std::string& dir, const std::string& where) {
    std::error_code ec;
    TFC_CHECK(fs::is_directory(dir, ec), where, "directory not found", "'" + dir + "'",
              "a folder with one sub-folder per class",
              "check the path (relative paths start at the working directory)");
}

}  // namespace

std::vector<std::string> list_subdirs(const std::string& dir, const std::string& where) {
    check_directory(dir, where);
    std::vector<std::string> out;
    std::error_code ec;
    for (const fs::directory_entry& e : fs::directory_iterator(dir, ec)) {
        std::error_code e1;
        if (e.is_directory(e1)) out.push_back(e.path().filename().string());
    }
    TFC_CHECK(!ec, where, "cannot read the directory", "'" + dir + "': " + ec.message(),
              "a readable folder", "check the permissions");
    std::sort(out.begin(), out.end());
    return out;
}

std::vector<std::string> list_valid_files(const std::string& dir,
                                          const std::vector<std::string>& suffixes,
                                          bool follow_links) {
    std::vector<std::pair<std::string, std::vector<std::string>>> entries;
    walk(fs::path(dir), "", follow_links, entries);
    // sorted(os.walk(d), key=root): roots share the prefix `dir`, so compare "" / "/a" / "/a/b".
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
        return (a.first.empty() ? std::string() : "/" + a.first) <
               (b.first.empty() ? std::string() : "/" + b.first);
    });
    std::vector<std::string> out;
    for (auto& [rel, files] : entries) {
        std::sort(files.begin(), files.end());
        for (const auto& f : files) {
            const std::string lf = lower(f);
            if (std::any_of(suffixes.begin(), suffixes.end(),
                            [&](const std::string& s) { return ends_with(lf, s); }))
                out.push_back(rel.empty() ? f : rel + "/" + f);
        }
    }
    return out;
}

}  // namespace tfc::data::image_impl
