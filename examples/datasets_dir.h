// The examples' data folder: `--data DIR` when given, else $TFC_SHARED_DIR/datasets, else the
// repository's sibling `../shared/datasets` (as for the tests). A missing folder (or `sub` inside
// it) ends the example with the standard message and exit status 2.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>

namespace tfc_examples {

inline std::string datasets_dir(const char* example, const std::string& given,
                                const std::string& sub = "") {
    std::string dir = given;
    if (dir.empty()) {
        const char* shared = std::getenv("TFC_SHARED_DIR");
        dir = std::string(shared != nullptr ? shared : "../shared") + "/datasets";
    }
    const std::string want = sub.empty() ? dir : dir + "/" + sub;
    if (!std::filesystem::is_directory(want)) {
        std::cerr << "[" << example << "] no data folder. Got '" << want
                  << "', expected the shared datasets" << (sub.empty() ? "" : "' " + sub)
                  << ". Fix: pass --data DATASETS_DIR or set TFC_SHARED_DIR "
                  << "to the folder holding datasets/.\n";
        std::exit(2);
    }
    return dir;
}

}  // namespace tfc_examples
