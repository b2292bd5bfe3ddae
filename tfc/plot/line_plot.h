// plot_lines: a generic x/y line chart written to .png or .svg (learning-rate sweeps with a log x
// axis, forecast vs actual series, ...). See docs/plot.md.
#pragma once

#include <string>
#include <vector>

namespace tfc::plot {

// One named curve. x and y must have the same length; points with a NaN or infinite coordinate
// are skipped and break the line.
struct Line {
    std::string label;
    std::vector<double> x, y;
};

struct XYPlotOptions {
    std::string title, x_label, y_label;
    bool log_x = false;  // log10 x axis; every finite x must then be > 0
    int width = 900;     // pixels (PNG) or points (SVG)
    int height = 500;
};

// Draws every line in its own colour, with axes, "nice" ticks, grid and a legend. The format comes
// from the extension (.png or .svg). The file is written to a temporary file in the same folder
// and then renamed, so `path` is either the old file or the complete new one.
// Throws tfc::Error on user mistakes (no lines, x/y length mismatch, log_x with x <= 0, unknown
// extension, missing or unwritable folder).
void plot_lines(const std::vector<Line>& lines,
                const std::string& path,
                const XYPlotOptions& opts = {});

}  // namespace tfc::plot
