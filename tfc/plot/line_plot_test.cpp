#include "tfc/plot/line_plot.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "tfc/plot/palette.h"
#include "tfc/plot/plot_test_util.h"

namespace tfc::plot {
namespace {

using testing::expect_error;
using testing::read_png;
using testing::read_text;
using testing::ScratchDir;

// Loss against learning rate, the course's lr-sweep plot: lr = 1e-8 * 10^(epoch / 20).
Line lr_sweep() {
    Line line{"loss", {}, {}};
    for (int e = 0; e < 100; ++e) {
        const double lr = 1e-8 * std::pow(10.0, e / 20.0);
        line.x.push_back(lr);
        line.y.push_back(20.0 / (1.0 + std::pow(std::log10(lr) + 5.0, 2.0)));
    }
    return line;
}

TEST(PlotLines, LogXPng) {
    ScratchDir dir;
    const std::string path = dir.file("lr.png");
    plot_lines({lr_sweep()}, path, {"LR sweep", "learning rate", "loss", true});
    const auto img = read_png(path);
    ASSERT_EQ(img.width, 900);
    ASSERT_EQ(img.height, 500);
    EXPECT_GT(img.count_color(line_color(0), 0, 450), 150);
    EXPECT_GT(img.count_color(line_color(0), 450, 900), 150);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"lr.png"});
}

TEST(PlotLines, SeveralLinesGetDistinctColours) {
    ScratchDir dir;
    std::vector<Line> lines(3);
    const char* names[] = {"series", "forecast", "naive"};
    for (int k = 0; k < 3; ++k) {
        lines[k].label = names[k];
        for (int t = 0; t < 200; ++t) {
            lines[k].x.push_back(t);
            lines[k].y.push_back(10.0 * k + std::sin(t / 10.0));
        }
    }
    const std::string path = dir.file("forecast.png");
    plot_lines(lines, path, {"Forecast", "time", "value", false, 640, 400});
    const auto img = read_png(path);
    ASSERT_EQ(img.width, 640);
    ASSERT_EQ(img.height, 400);
    for (int k = 0; k < 3; ++k) EXPECT_GT(img.count_color(line_color(k), 0, 640), 150) << k;
    for (int k = 0; k < 3; ++k) {
        for (int j = k + 1; j < 3; ++j) {
            const Rgb a = line_color(k), b = line_color(j);
            EXPECT_TRUE(a.r != b.r || a.g != b.g || a.b != b.b);
        }
    }
}

TEST(PlotLines, SvgContainsPaths) {
    ScratchDir dir;
    const std::string path = dir.file("lr.svg");
    plot_lines({lr_sweep()}, path, {"", "", "", true});
    const std::string svg = read_text(path);
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("<path"), std::string::npos);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"lr.svg"});
}

TEST(PlotLines, NanAndInfinitePointsAreSkipped) {
    ScratchDir dir;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    const double inf = std::numeric_limits<double>::infinity();
    Line line{"y", {0, 1, 2, 3, 4, 5, nan}, {0, 1, nan, 3, inf, 5, 6}};
    Line all_nan{"nothing", {1, 2}, {nan, nan}};
    const std::string path = dir.file("nan.png");
    plot_lines({line, all_nan}, path);
    EXPECT_EQ(read_png(path).width, 900);
}

TEST(PlotLines, EmptyLinesThrow) {
    ScratchDir dir;
    expect_error([&] { plot_lines({}, dir.file("a.png")); },
                 {"[plot_lines]", "nothing to plot", "Got 0 lines"});
}

TEST(PlotLines, MismatchedLengthsThrow) {
    ScratchDir dir;
    expect_error(
        [&] {
            plot_lines({Line{"forecast", {1, 2, 3}, {1, 2}}}, dir.file("a.png"));
        },
        {"[plot_lines]", "\"forecast\"", "mismatched lengths", "x.size()=3", "y.size()=2",
         "equal sizes"});
    EXPECT_TRUE(dir.entries().empty());
}

TEST(PlotLines, LogXWithNonPositiveXThrows) {
    ScratchDir dir;
    XYPlotOptions opts;
    opts.log_x = true;
    expect_error(
        [&] {
            plot_lines({Line{"loss", {1e-3, 0.0}, {1, 2}}}, dir.file("a.png"), opts);
        },
        {"[plot_lines]", "log_x", "x=0", "index 1", "x > 0", "log_x = false"});
    expect_error(
        [&] {
            plot_lines({Line{"loss", {-1.0}, {1}}}, dir.file("a.png"), opts);
        },
        {"[plot_lines]", "x=-1"});
    EXPECT_TRUE(dir.entries().empty());
}

TEST(PlotLines, OutputErrorsUseThePlotLinesPrefix) {
    ScratchDir dir;
    expect_error([&] { plot_lines({lr_sweep()}, dir.file("a.bmp")); },
                 {"[plot_lines]", "unknown file extension", "\".bmp\""});
    expect_error([&] { plot_lines({lr_sweep()}, dir.file("missing/a.png")); },
                 {"[plot_lines]", "folder does not exist"});
    if (std::filesystem::is_directory("/proc")) {
        expect_error([&] { plot_lines({lr_sweep()}, "/proc/tfc_plot_lines.svg"); },
                     {"[plot_lines]", "cannot write"});
    }
    EXPECT_TRUE(dir.entries().empty());
}

}  // namespace
}  // namespace tfc::plot
