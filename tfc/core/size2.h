// A 2-D size given as one number for both axes or as {rows, cols}, like Keras's kernel_size,
// pool_size, strides and dilation_rate: Conv2D(32, 3), MaxPooling2D({.pool_size = {3, 3}}).
#pragma once

#include <cstdint>

namespace tfc {

struct Size2 {
    Size2(std::int64_t both) : h(both), w(both) {}  // NOLINT(runtime/explicit)
    Size2(std::int64_t rows, std::int64_t cols) : h(rows), w(cols) {}
    std::int64_t h;
    std::int64_t w;
    std::int64_t operator[](int axis) const { return axis == 0 ? h : w; }
    bool operator==(const Size2&) const = default;
};

}  // namespace tfc
