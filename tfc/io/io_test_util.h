// Shared helpers of the tfc/io tests.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <unistd.h>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"

namespace tfc::io_test {

// The folder of real Keras files: TFC_KERAS_MODELS_DIR, else `keras-models` in the shared
// folder the dataset tests use (found by looking upwards from the source tree).
inline std::string models_dir() {
    const char* env = std::getenv("TFC_KERAS_MODELS_DIR");
    return env ? env : tfc::testing::shared_dir() + "/keras-models";
}

inline std::string golden_dir() { return std::string(TFC_SOURCE_DIR) + "/tests/golden/keras_models"; }

// A fresh scratch folder per test.
inline std::string scratch(const std::string& name) {
    const auto dir = std::filesystem::temp_directory_path() / ("tfc_io_" + name + "_" +
                                                               std::to_string(::getpid()));
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

}  // namespace tfc::io_test
