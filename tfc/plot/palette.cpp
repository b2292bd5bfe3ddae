#include "tfc/plot/palette.h"

namespace tfc::plot {

Rgb line_color(size_t i) {
    static constexpr Rgb kColors[kPaletteSize] = {
        {31, 119, 180},   // blue
        {255, 127, 14},   // orange
        {44, 160, 44},    // green
        {214, 39, 40},    // red
        {148, 103, 189},  // purple
        {140, 86, 75},    // brown
        {227, 119, 194},  // pink
        {127, 127, 127},  // grey
        {188, 189, 34},   // olive
        {23, 190, 207},   // cyan
    };
    return kColors[i % kPaletteSize];
}

}  // namespace tfc::plot
