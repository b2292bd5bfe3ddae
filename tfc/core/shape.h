// Shapes are small vectors of dimensions. -1 (unknown) is allowed only in model signatures.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace tfc {

using Shape = std::vector<std::int64_t>;

std::int64_t num_elements(const Shape& shape);
std::string shape_str(const Shape& shape);  // Keras style: "(None, 28, 28)" for -1
// Normalises a possibly negative axis against rank; throws with `where` on out-of-range.
int normalize_axis(int axis, int rank, const char* where);
// NumPy broadcasting of two shapes; throws with `where` when they do not broadcast.
Shape broadcast_shapes(const Shape& a, const Shape& b, const char* where);
// Row-major strides in elements.
std::vector<std::int64_t> strides_of(const Shape& shape);

}  // namespace tfc
