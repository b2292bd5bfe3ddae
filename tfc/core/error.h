// Errors. User mistakes throw tfc::Error with the message form
//   "[where] problem. Got X, expected Y. Fix: Z."
// Broken internal invariants abort with file:line (TFC_ASSERT).
#pragma once

#include <stdexcept>
#include <string>

namespace tfc {

class Error : public std::runtime_error {
public:
    explicit Error(const std::string& message) : std::runtime_error(message) {}
};

// Builds the standard message and throws. `got`, `expected` or `fix` may be empty.
[[noreturn]] void fail(const std::string& where, const std::string& problem, const std::string& got,
                       const std::string& expected, const std::string& fix);

[[noreturn]] void assert_fail(const char* cond, const char* file, int line);

}  // namespace tfc

#define TFC_ASSERT(cond)                                      \
    do {                                                      \
        if (!(cond)) ::tfc::assert_fail(#cond, __FILE__, __LINE__); \
    } while (0)

// TFC_CHECK(cond, where, problem, got, expected, fix): throws tfc::Error when cond is false.
#define TFC_CHECK(cond, ...)                 \
    do {                                     \
        if (!(cond)) ::tfc::fail(__VA_ARGS__); \
    } while (0)
