// Shared helpers of the tfc/io tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>
#include <zip.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"

namespace tfc::io_test {

// The folder of real Keras files: TFC_KERAS_MODELS_DIR, else `keras-models` in the shared
// folder the dataset tests use (found by looking upwards from the source tree).
inline std::string models_dir() {
    const char* env = std::getenv("TFC_KERAS_MODELS_DIR");
    return env ? env : tfc::testing::shared_dir() + "/keras-models";
}

inline std::string golden_dir() {
    return std::string(TFC_SOURCE_DIR) + "/tests/golden/keras_models";
}

// A fresh scratch folder per test.
inline std::string scratch(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("tfc_io_" + name + "_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    return dir.string();
}

// The tfc::Error message of f(), or "" when it does not throw.
inline std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

// Writes a zip with `entries` (name, bytes) in order, stored or deflated.
inline void write_zip(const std::string& path,
                      const std::vector<std::pair<std::string, std::string>>& entries,
                      bool deflate) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    ASSERT_NE(z, nullptr);
    for (const auto& [name, data] : entries) {
        zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
        const zip_int64_t idx = zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8);
        ASSERT_GE(idx, 0) << name;
        zip_set_file_compression(z, static_cast<zip_uint64_t>(idx),
                                 deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
    }
    ASSERT_EQ(zip_close(z), 0);
}

}  // namespace tfc::io_test
