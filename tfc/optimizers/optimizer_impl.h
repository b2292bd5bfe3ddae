// Internals shared by the optimizer sources: option validation and the size above which the
// fused update loops run on all OpenMP threads (as in kernels/cpu/elementwise.cpp: below ~32k
// elements a parallel region costs more than the loop).
#pragma once

#include <cstdint>
#include <string>

namespace tfc::optimizers_impl {

constexpr std::int64_t kParallelMin = 32768;

// Throws tfc::Error "[where] `name` must be ..." unless lo <= value <= hi (or < hi when
// hi_open) and value is finite.
void check_range(
    const char* where, const char* name, double value, double lo, double hi, bool hi_open = false);

std::string format_number(double value);

}  // namespace tfc::optimizers_impl
