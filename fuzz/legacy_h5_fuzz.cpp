// libFuzzer target: tfc::load_model on a legacy Keras HDF5 file (.h5), compiling from the
// training config as load_model does by default.
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string path = tfc::fuzz::write_input(data, size, ".h5");
    tfc::fuzz::expect_error_or_success([&] { tfc::load_model(path); });
    return 0;
}
