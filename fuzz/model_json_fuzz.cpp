// libFuzzer target: tfc::model_from_json on architecture JSON (model.to_json()).
#include "fuzz/fuzz_util.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    tfc::fuzz::expect_error_or_success([&] { tfc::model_from_json(text); });
    return 0;
}
