#include "tfc/plot/line_plot.h"

#include <cmath>
#include <cstdio>

#include "tfc/core/error.h"
#include "tfc/plot/figure_impl.h"

namespace tfc::plot {
namespace {

std::string name_of(const Line& line, size_t index) {
    return line.label.empty() ? "#" + std::to_string(index) : "\"" + line.label + "\"";
}

std::string number(double v) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), "%g", v);
    return buf;
}

}  // namespace

void plot_lines(const std::vector<Line>& lines,
                const std::string& path,
                const XYPlotOptions& opts) {
    const std::string where = "plot_lines";
    if (lines.empty()) {
        throw Error(
            "[plot_lines] nothing to plot. Got 0 lines, expected at least one. Fix: pass "
            "one Line per curve, e.g. {\"loss\", lrs, losses}.");
    }
    for (size_t i = 0; i < lines.size(); ++i) {
        const Line& line = lines[i];
        if (line.x.size() != line.y.size()) {
            throw Error("[plot_lines] line " + name_of(line, i) +
                        " has mismatched lengths. Got x.size()=" + std::to_string(line.x.size()) +
                        " and y.size()=" + std::to_string(line.y.size()) +
                        ", expected equal sizes. Fix: give one x per y value.");
        }
        if (!opts.log_x) continue;
        for (size_t k = 0; k < line.x.size(); ++k) {
            if (line.x[k] <= 0.0) {
                throw Error(
                    "[plot_lines] log_x needs positive x values. Got x=" + number(line.x[k]) +
                    " at index " + std::to_string(k) + " of line " + name_of(line, i) +
                    ", expected x > 0. Fix: drop the non-positive points or set "
                    "log_x = false.");
            }
        }
    }
    check_output(where, path, opts.width, opts.height);

    FigureSpec figure;
    figure.width = opts.width;
    figure.height = opts.height;
    PanelSpec panel;
    panel.title = opts.title;
    panel.x_label = opts.x_label;
    panel.y_label = opts.y_label;
    panel.log_x = opts.log_x;
    panel.lines = lines;
    figure.panels.push_back(std::move(panel));
    render_figure(where, figure, path);
}

}  // namespace tfc::plot
