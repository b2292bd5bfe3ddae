// Shared by the fuzz targets (docs/fuzzing.md): input bytes to a file in a per-process scratch
// folder, and the fixed small model that the weights targets load into. A tfc::Error is the
// expected outcome for a bad file; anything else (a crash, a sanitizer report, another exception
// type, a timeout or a huge allocation) is a finding.
#pragma once

#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "tfc/core/error.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc::fuzz {

// The per-process scratch folder, removed at exit.
inline const std::filesystem::path& scratch_dir() {
    static const std::filesystem::path dir = [] {
        const char* base = std::getenv("TFC_FUZZ_TMPDIR");
        auto d = std::filesystem::path(base ? base : "/tmp") / ("tfc_fuzz_" + std::to_string(::getpid()));
        std::filesystem::create_directories(d);
        std::atexit([] {
            std::error_code ec;
            std::filesystem::remove_all(scratch_dir(), ec);
        });
        return d;
    }();
    return dir;
}

// Writes the input to `<scratch>/input<extension>` and returns the path.
inline std::string write_input(const std::uint8_t* data, std::size_t size, const std::string& extension) {
    const std::string path = (scratch_dir() / ("input" + extension)).string();
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    out.close();
    if (!out) std::abort();  // the scratch folder is broken: not a finding in the loader
    return path;
}

// A small model with one layer of each weight layout the readers handle: Dense (kernel, bias),
// Conv1D, BatchNormalization (four weights, two non-trainable), an LSTM inside Bidirectional
// (Keras 3 `forward_layer/cell/vars`), a GRU (reset_after bias) and a TimeDistributed Dense.
// fuzz/make_seeds.cpp saves this same model as the weights seeds.
inline std::shared_ptr<Sequential> make_fixed_model() {
    return std::make_shared<Sequential>(std::initializer_list<LayerHandle>{
        Input({6, 3}), Conv1D(2, 2, {.name = "conv1d"}),
        BatchNormalization({.name = "batch_normalization"}),
        Bidirectional(LSTM(2, {.return_sequences = true, .name = "lstm"}), {.name = "bidirectional"}),
        GRU(2, {.return_sequences = true, .name = "gru"}),
        TimeDistributed(Dense(2, {.name = "inner_dense"}), {.name = "time_distributed"}),
        Flatten({.name = "flatten"}), Dense(2, {.name = "dense"})});
}

// Runs f and swallows tfc::Error only: every other exception escapes and libFuzzer reports it.
template <class F>
void expect_error_or_success(F&& f) {
    try {
        f();
    } catch (const tfc::Error&) {
    }
}

}  // namespace tfc::fuzz
