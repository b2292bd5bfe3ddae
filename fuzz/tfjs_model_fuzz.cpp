// libFuzzer target: tfc::load_model on a TF.js layers model (model.json + one weight shard).
// The input is the model.json text, a NUL byte, then the bytes of the shard, which is written as
// `group1-shard1of1.bin` beside it (the seeds' manifests name that one file; mutations of the
// manifest reach the missing-shard, size and path checks too).
#include <cstring>

#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
    const std::size_t json_size = nul ? static_cast<std::size_t>(nul - data) : size;
    const std::string path = tfc::fuzz::write_input(data, json_size, ".json");
    const std::string shard = (tfc::fuzz::scratch_dir() / "group1-shard1of1.bin").string();
    std::ofstream out(shard, std::ios::binary | std::ios::trunc);
    if (nul)
        out.write(reinterpret_cast<const char*>(nul + 1),
                  static_cast<std::streamsize>(size - json_size - 1));
    out.close();
    tfc::fuzz::expect_error_or_success([&] { tfc::load_model(path); });
    return 0;
}
