// libFuzzer target: tfc::load_weights from a legacy weights-only .h5 (root `layer_names`, or a
// full model file's `model_weights`) into the fixed model of fuzz_util.h.
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const auto model = tfc::fuzz::make_fixed_model();
    const std::string path = tfc::fuzz::write_input(data, size, ".h5");
    tfc::fuzz::expect_error_or_success([&] { tfc::load_weights(*model, path); });
    return 0;
}
