// Internal: a figure is a title above panels laid out side by side; rendering it to PNG or SVG
// bytes and writing them atomically. No cairo types here.
#pragma once

#include <string>
#include <vector>

#include "tfc/plot/line_plot.h"

namespace tfc::plot {

struct PanelSpec {
    std::string title, x_label, y_label;
    bool log_x = false;
    bool integer_x = false;   // x ticks on whole numbers (epochs)
    std::vector<Line> lines;  // already validated: x.size() == y.size()
};

struct FigureSpec {
    std::string title;
    int width = 0, height = 0;
    std::vector<PanelSpec> panels;
};

enum class ImageFormat { png, svg };

// Checks what the caller `where` can check before drawing: the image size, the extension of
// `path` and that its folder exists. Returns the format. Throws tfc::Error.
ImageFormat check_output(const std::string& where, const std::string& path, int width, int height);

// Draws the figure and writes it to `path` through a temporary file in the same folder that is
// renamed over `path`; the temporary file is removed on every failure. Throws tfc::Error.
void render_figure(const std::string& where, const FigureSpec& figure, const std::string& path);

}  // namespace tfc::plot
