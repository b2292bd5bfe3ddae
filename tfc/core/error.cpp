#include "tfc/core/error.h"

#include <cstdio>
#include <cstdlib>

namespace tfc {

void fail(const std::string& where, const std::string& problem, const std::string& got,
          const std::string& expected, const std::string& fix) {
    std::string msg = "[" + where + "] " + problem;
    if (!msg.empty() && msg.back() != '.') msg += '.';
    if (!got.empty()) msg += " Got " + got + ".";
    if (!expected.empty()) msg += " Expected " + expected + ".";
    if (!fix.empty()) msg += " Fix: " + fix + (fix.back() == '.' ? "" : ".");
    throw Error(msg);
}

void assert_fail(const char* cond, const char* file, int line) {
    std::fprintf(stderr, "tfc internal error: %s at %s:%d\n", cond, file, line);
    std::abort();
}

}  // namespace tfc
