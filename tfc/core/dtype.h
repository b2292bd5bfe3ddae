// Element types. float32 is the compute type; float64 runs every op through the reference kernels
// (gradient checks); int32/int64 hold labels and token ids, uint8 images, bool masks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tfc {

enum class DType : std::uint8_t { float32, float64, int32, int64, uint8, bool_ };

std::size_t dtype_size(DType dtype);
const char* dtype_name(DType dtype);  // Keras / NumPy spelling: "float32", "int64", "bool", ...
DType dtype_from_name(const std::string& name);
bool is_floating(DType dtype);

template <typename T>
constexpr DType dtype_of();
template <> constexpr DType dtype_of<float>() { return DType::float32; }
template <> constexpr DType dtype_of<double>() { return DType::float64; }
template <> constexpr DType dtype_of<std::int32_t>() { return DType::int32; }
template <> constexpr DType dtype_of<std::int64_t>() { return DType::int64; }
template <> constexpr DType dtype_of<std::uint8_t>() { return DType::uint8; }
template <> constexpr DType dtype_of<bool>() { return DType::bool_; }

}  // namespace tfc
