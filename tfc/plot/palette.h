// The colours given to successive lines of a plot (the widely used "tab10" categorical palette).
#pragma once

#include <cstddef>
#include <cstdint>

namespace tfc::plot {

struct Rgb {
    uint8_t r, g, b;
};

// Colour of the i-th line of a panel; repeats after kPaletteSize lines.
inline constexpr size_t kPaletteSize = 10;
Rgb line_color(size_t i);

}  // namespace tfc::plot
