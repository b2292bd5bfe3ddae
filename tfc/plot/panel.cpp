#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>
#include <vector>

#include "tfc/plot/axis_ticks.h"
#include "tfc/plot/palette.h"
#include "tfc/plot/panel_impl.h"

namespace tfc::plot {
namespace {

constexpr double kPad = 8.0;
constexpr double kTickFont = 11.0;
constexpr double kLabelFont = 12.5;
constexpr double kTitleFont = 14.0;
constexpr double kLegendFont = 11.0;
constexpr double kLineWidth = 2.0;
constexpr double kTickLength = 5.0;
constexpr double kLegendRow = 17.0;
constexpr double kLegendSample = 24.0;

bool usable(double x, double y, bool log_x) {
    return std::isfinite(x) && std::isfinite(y) && (!log_x || x > 0.0);
}

void set_font(cairo_t* cr, double size, bool bold = false) {
    cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL,
                           bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
    cairo_set_font_size(cr, size);
}

double text_width(cairo_t* cr, const std::string& text) {
    cairo_text_extents_t ext;
    cairo_text_extents(cr, text.c_str(), &ext);
    return ext.x_advance;
}

// Draws `text` with its anchor at (x, y): halign 0 = left, 0.5 = centre, 1 = right; the font's
// ascent-descent band is centred vertically on y, so labels with and without descenders align.
void show_text(cairo_t* cr, const std::string& text, double x, double y, double halign) {
    cairo_font_extents_t font;
    cairo_font_extents(cr, &font);
    cairo_move_to(cr, x - halign * text_width(cr, text), y + (font.ascent - font.descent) / 2.0);
    cairo_show_text(cr, text.c_str());
}

void set_rgb(cairo_t* cr, Rgb c) {
    cairo_set_source_rgb(cr, c.r / 255.0, c.g / 255.0, c.b / 255.0);
}

// Maps data coordinates to the plot rectangle.
struct Frame {
    double left, right, top, bottom;
    AxisTicks xs, ys;
    bool log_x;

    double px(double x) const {
        const double t =
            log_x ? (std::log10(x) - std::log10(xs.lo)) / (std::log10(xs.hi) - std::log10(xs.lo))
                  : (x - xs.lo) / (xs.hi - xs.lo);
        return left + t * (right - left);
    }
    double py(double y) const { return bottom - (y - ys.lo) / (ys.hi - ys.lo) * (bottom - top); }
};

struct Box {
    double x, y, w, h;
    bool contains(double px, double py) const {
        return px >= x && px <= x + w && py >= y && py <= y + h;
    }
};

void data_range(const PanelSpec& panel, double& xmin, double& xmax, double& ymin, double& ymax) {
    xmin = ymin = INFINITY;
    xmax = ymax = -INFINITY;
    for (const Line& line : panel.lines) {
        for (size_t i = 0; i < line.x.size(); ++i) {
            if (!usable(line.x[i], line.y[i], panel.log_x)) continue;
            xmin = std::min(xmin, line.x[i]);
            xmax = std::max(xmax, line.x[i]);
            ymin = std::min(ymin, line.y[i]);
            ymax = std::max(ymax, line.y[i]);
        }
    }
}

void draw_axes(cairo_t* cr, const Frame& f) {
    // Grid.
    cairo_set_line_width(cr, 1.0);
    cairo_set_source_rgb(cr, 0.88, 0.88, 0.88);
    for (double v : f.xs.values) {
        const double x = std::round(f.px(v)) + 0.5;
        cairo_move_to(cr, x, f.top);
        cairo_line_to(cr, x, f.bottom);
    }
    for (double v : f.ys.values) {
        const double y = std::round(f.py(v)) + 0.5;
        cairo_move_to(cr, f.left, y);
        cairo_line_to(cr, f.right, y);
    }
    cairo_stroke(cr);

    // Frame and tick marks.
    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    const double l = std::round(f.left) + 0.5, r = std::round(f.right) + 0.5;
    const double t = std::round(f.top) + 0.5, b = std::round(f.bottom) + 0.5;
    cairo_rectangle(cr, l, t, r - l, b - t);
    for (double v : f.xs.values) {
        const double x = std::round(f.px(v)) + 0.5;
        cairo_move_to(cr, x, b);
        cairo_line_to(cr, x, b + kTickLength);
    }
    for (double v : f.ys.values) {
        const double y = std::round(f.py(v)) + 0.5;
        cairo_move_to(cr, l - kTickLength, y);
        cairo_line_to(cr, l, y);
    }
    cairo_stroke(cr);

    // Tick labels.
    set_font(cr, kTickFont);
    for (size_t i = 0; i < f.xs.values.size(); ++i) {
        show_text(cr, f.xs.labels[i], f.px(f.xs.values[i]), b + kTickLength + 3.0 + kTickFont / 2.0,
                  0.5);
    }
    for (size_t i = 0; i < f.ys.values.size(); ++i) {
        show_text(cr, f.ys.labels[i], l - kTickLength - 3.0, f.py(f.ys.values[i]), 1.0);
    }
}

// Calls visit(px, py) for points along every drawn segment (a few per segment), for the legend
// placement.
template <typename Visit>
void sample_lines(const PanelSpec& panel, const Frame& f, Visit visit) {
    for (const Line& line : panel.lines) {
        bool have_prev = false;
        double prev_x = 0.0, prev_y = 0.0;
        for (size_t i = 0; i < line.x.size(); ++i) {
            if (!usable(line.x[i], line.y[i], panel.log_x)) {
                have_prev = false;
                continue;
            }
            const double x = f.px(line.x[i]), y = f.py(line.y[i]);
            if (have_prev) {
                const int n =
                    std::clamp(static_cast<int>(std::hypot(x - prev_x, y - prev_y) / 6.0), 1, 200);
                for (int k = 1; k < n; ++k) {
                    visit(prev_x + (x - prev_x) * k / n, prev_y + (y - prev_y) * k / n);
                }
            }
            visit(x, y);
            prev_x = x;
            prev_y = y;
            have_prev = true;
        }
    }
}

void draw_lines(cairo_t* cr, const PanelSpec& panel, const Frame& f) {
    cairo_save(cr);
    cairo_rectangle(cr, f.left, f.top, f.right - f.left, f.bottom - f.top);
    cairo_clip(cr);
    cairo_set_line_width(cr, kLineWidth);
    cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND);
    cairo_set_line_cap(cr, CAIRO_LINE_CAP_ROUND);
    for (size_t li = 0; li < panel.lines.size(); ++li) {
        const Line& line = panel.lines[li];
        set_rgb(cr, line_color(li));
        // Runs of usable points become polylines; a lone point becomes a dot.
        size_t i = 0;
        while (i < line.x.size()) {
            if (!usable(line.x[i], line.y[i], panel.log_x)) {
                ++i;
                continue;
            }
            size_t end = i;
            while (end < line.x.size() && usable(line.x[end], line.y[end], panel.log_x)) ++end;
            if (end - i == 1) {
                cairo_arc(cr, f.px(line.x[i]), f.py(line.y[i]), 2.5, 0.0, 2.0 * std::numbers::pi);
                cairo_fill(cr);
            } else {
                cairo_move_to(cr, f.px(line.x[i]), f.py(line.y[i]));
                for (size_t k = i + 1; k < end; ++k)
                    cairo_line_to(cr, f.px(line.x[k]), f.py(line.y[k]));
                cairo_stroke(cr);
            }
            i = end;
        }
    }
    cairo_restore(cr);
}

void draw_legend(cairo_t* cr, const PanelSpec& panel, const Frame& f) {
    bool any_label = false;
    for (const Line& line : panel.lines) any_label = any_label || !line.label.empty();
    if (!any_label) return;

    set_font(cr, kLegendFont);
    double label_w = 0.0;
    for (const Line& line : panel.lines) label_w = std::max(label_w, text_width(cr, line.label));
    const double w = 10.0 + kLegendSample + 6.0 + label_w + 10.0;
    const double h = kLegendRow * static_cast<double>(panel.lines.size()) + 8.0;
    const double inset = 8.0;

    // Corner with the fewest curve samples under it, preferring upper right, upper left, lower
    // left, lower right on ties.
    const Box corners[] = {
        {f.right - inset - w, f.top + inset, w, h},
        {f.left + inset, f.top + inset, w, h},
        {f.left + inset, f.bottom - inset - h, w, h},
        {f.right - inset - w, f.bottom - inset - h, w, h},
    };
    size_t best = 0;
    long best_count = -1;
    for (size_t c = 0; c < 4; ++c) {
        long count = 0;
        sample_lines(panel, f, [&](double x, double y) { count += corners[c].contains(x, y); });
        if (best_count < 0 || count < best_count) {
            best = c;
            best_count = count;
        }
    }
    const Box& box = corners[best];

    cairo_rectangle(cr, box.x + 0.5, box.y + 0.5, box.w, box.h);
    cairo_set_source_rgba(cr, 1.0, 1.0, 1.0, 0.85);
    cairo_fill_preserve(cr);
    cairo_set_source_rgb(cr, 0.7, 0.7, 0.7);
    cairo_set_line_width(cr, 1.0);
    cairo_stroke(cr);

    for (size_t i = 0; i < panel.lines.size(); ++i) {
        const double row_y = box.y + 4.0 + kLegendRow * (static_cast<double>(i) + 0.5);
        set_rgb(cr, line_color(i));
        cairo_set_line_width(cr, kLineWidth);
        cairo_move_to(cr, box.x + 10.0, row_y);
        cairo_line_to(cr, box.x + 10.0 + kLegendSample, row_y);
        cairo_stroke(cr);
        cairo_set_source_rgb(cr, 0.1, 0.1, 0.1);
        show_text(cr, panel.lines[i].label, box.x + 10.0 + kLegendSample + 6.0, row_y, 0.0);
    }
}

}  // namespace

void draw_panel(
    cairo_t* cr, const PanelSpec& panel, double x, double y, double width, double height) {
    double xmin, xmax, ymin, ymax;
    data_range(panel, xmin, xmax, ymin, ymax);
    const bool has_data = xmin <= xmax;

    Frame f{};
    f.log_x = panel.log_x;
    f.top = y + kPad + (panel.title.empty() ? 4.0 : kTitleFont + 12.0);
    f.bottom = y + height - kPad - kTickLength - kTickFont - 8.0 -
               (panel.x_label.empty() ? 0.0 : kLabelFont + 6.0);
    const int y_count = std::clamp(static_cast<int>((f.bottom - f.top) / 60.0), 3, 8);
    f.ys = has_data ? linear_ticks(ymin, ymax, y_count) : linear_ticks(0.0, 1.0, y_count);

    set_font(cr, kTickFont);
    double tick_w = 0.0;
    for (const std::string& label : f.ys.labels) tick_w = std::max(tick_w, text_width(cr, label));
    f.left =
        x + kPad + (panel.y_label.empty() ? 0.0 : kLabelFont + 8.0) + tick_w + kTickLength + 6.0;
    f.right = x + width - kPad - 12.0;

    const int x_count = std::clamp(static_cast<int>((f.right - f.left) / 90.0), 2, 10);
    if (panel.log_x) {
        f.xs = has_data ? log_ticks(xmin, xmax) : log_ticks(1.0, 10.0);
    } else {
        f.xs = has_data ? linear_ticks(xmin, xmax, x_count, panel.integer_x)
                        : linear_ticks(0.0, 1.0, x_count, panel.integer_x);
    }

    draw_axes(cr, f);
    draw_lines(cr, panel, f);
    draw_legend(cr, panel, f);

    cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
    if (!panel.title.empty()) {
        set_font(cr, kTitleFont, /*bold=*/true);
        show_text(cr, panel.title, (f.left + f.right) / 2.0, y + kPad + kTitleFont / 2.0 + 2.0,
                  0.5);
    }
    set_font(cr, kLabelFont);
    if (!panel.x_label.empty()) {
        show_text(cr, panel.x_label, (f.left + f.right) / 2.0, y + height - kPad - kLabelFont / 2.0,
                  0.5);
    }
    if (!panel.y_label.empty()) {
        cairo_save(cr);
        cairo_translate(cr, x + kPad + kLabelFont / 2.0, (f.top + f.bottom) / 2.0);
        cairo_rotate(cr, -std::numbers::pi / 2.0);
        show_text(cr, panel.y_label, 0.0, 0.0, 0.5);
        cairo_restore(cr);
    }
}

}  // namespace tfc::plot
