// Releases cairo's and fontconfig's process-wide caches after the last plot test, so that
// LeakSanitizer (the ASan preset) reports only real leaks. Font lookups allocate caches that live
// until exit by design; cairo's own test suite frees them the same way.
#include <cairo/cairo.h>
#include <dlfcn.h>
#include <gtest/gtest.h>

namespace {

class CairoCleanup : public ::testing::Environment {
  public:
    void TearDown() override {
        cairo_debug_reset_static_data();
        // fontconfig is loaded through cairo, not linked by the tests: look FcFini up at run time.
        using FcFiniFn = void (*)();
        if (void* sym = dlsym(RTLD_DEFAULT, "FcFini")) reinterpret_cast<FcFiniFn>(sym)();
    }
};

[[maybe_unused]] const ::testing::Environment* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new CairoCleanup);

}  // namespace
