// Internal helpers shared by the initializer sources.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "tfc/core/random.h"
#include "tfc/core/tensor.h"

namespace tfc::detail {

// Throws the standard error unless dtype is float32/float64.
void check_float_dtype(DType dtype, const std::string& where);

// A tensor whose elements are draw(g) in row-major order, where g is a fresh Generator(seed)
// when a seed is given, else the global generator.
Tensor fill_random(const Shape& shape, DType dtype, std::optional<std::uint64_t> seed,
                   const std::string& where, const std::function<double(Generator&)>& draw);

}  // namespace tfc::detail
