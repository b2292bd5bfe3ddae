// Internal: draws one panel (frame, grid, ticks, labels, lines, legend) into a cairo context.
#pragma once

#include <cairo.h>

#include "tfc/plot/figure_impl.h"

namespace tfc::plot {

// The panel fills the rectangle (x, y, width, height) of `cr`, in user units.
void draw_panel(
    cairo_t* cr, const PanelSpec& panel, double x, double y, double width, double height);

}  // namespace tfc::plot
