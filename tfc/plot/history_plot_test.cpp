#include "tfc/plot/history_plot.h"

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

Series sample_history(int epochs = 12) {
    Series h;
    for (int e = 0; e < epochs; ++e) {
        h["loss"].push_back(1.0 * std::exp(-e / 4.0) + 0.1);
        h["val_loss"].push_back(0.9 * std::exp(-e / 5.0) + 0.25);
        h["accuracy"].push_back(1.0 - 0.5 * std::exp(-e / 4.0));
        h["val_accuracy"].push_back(0.9 - 0.45 * std::exp(-e / 5.0));
    }
    return h;
}

// A curve across a panel leaves hundreds of exactly coloured pixels; a legend sample alone only
// a few dozen.
constexpr int kCurvePixels = 150;

TEST(PlotHistory, PngHasBothPanelsWithTrainAndValCurves) {
    ScratchDir dir;
    const std::string path = dir.file("history.png");
    plot_history(sample_history(), path, {"run 1", 800, 360});

    const auto img = read_png(path);
    ASSERT_EQ(img.width, 800);
    ASSERT_EQ(img.height, 360);
    // Left half: loss (first colour) and val_loss (second colour); right half: the accuracies.
    for (const auto& [x0, x1] : {std::pair{0, 400}, std::pair{400, 800}}) {
        EXPECT_GT(img.count_color(line_color(0), x0, x1), kCurvePixels) << x0;
        EXPECT_GT(img.count_color(line_color(1), x0, x1), kCurvePixels) << x0;
    }
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"history.png"});  // no temp file left
}

TEST(PlotHistory, LossOnlyUsesFullWidth) {
    ScratchDir dir;
    Series h;
    h["loss"] = {0.9, 0.7, 0.5, 0.45, 0.4, 0.38, 0.35, 0.33};
    const std::string path = dir.file("loss.png");
    plot_history(h, path);
    const auto img = read_png(path);
    ASSERT_EQ(img.width, 1000);
    ASSERT_EQ(img.height, 420);
    EXPECT_GT(img.count_color(line_color(0), 0, 500), kCurvePixels);
    EXPECT_GT(img.count_color(line_color(0), 500, 1000), kCurvePixels);
}

TEST(PlotHistory, NanBreaksTheLineAndSingleEpochIsADot) {
    ScratchDir dir;
    Series h;
    const double nan = std::numeric_limits<double>::quiet_NaN();
    h["loss"] = {1.0, 0.8, nan, 0.5, 0.4};
    h["accuracy"] = {0.5};
    h["lr"] = {0.1, 0.1, 0.1, 0.1, 0.1};  // learning-rate logs are not plotted
    const std::string path = dir.file("nan.png");
    plot_history(h, path, {"", 600, 300});
    const auto img = read_png(path);
    ASSERT_EQ(img.width, 600);
    EXPECT_GT(img.count_color(line_color(0), 0, 300), 50);
    EXPECT_GT(img.count_color(line_color(0), 300, 600), 5);  // the single accuracy dot
}

TEST(PlotHistory, SvgContainsPaths) {
    ScratchDir dir;
    const std::string path = dir.file("history.svg");
    plot_history(sample_history(), path, {"svg run"});
    const std::string svg = read_text(path);
    EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    EXPECT_NE(svg.find("<path"), std::string::npos);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"history.svg"});
}

TEST(PlotHistory, ReplacesAnExistingFile) {
    ScratchDir dir;
    const std::string path = dir.file("h.png");
    { std::ofstream(path) << "old"; }
    plot_history(sample_history(), path);
    EXPECT_EQ(read_png(path).width, 1000);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"h.png"});
}

TEST(PlotHistory, EmptyHistoryThrows) {
    ScratchDir dir;
    expect_error([&] { plot_history({}, dir.file("a.png")); },
                 {"[plot_history]", "empty history", "Got 0 keys"});
    Series empty_values;
    empty_values["loss"] = {};
    expect_error([&] { plot_history(empty_values, dir.file("a.png")); },
                 {"[plot_history]", "empty history", "Got 1 key"});
    EXPECT_TRUE(dir.entries().empty());
}

TEST(PlotHistory, UnknownExtensionThrows) {
    ScratchDir dir;
    expect_error([&] { plot_history(sample_history(), dir.file("a.jpg")); },
                 {"[plot_history]", "unknown file extension", "\".jpg\"", "\".png\" or \".svg\""});
    expect_error([&] { plot_history(sample_history(), dir.file("noext")); },
                 {"[plot_history]", "unknown file extension"});
    EXPECT_TRUE(dir.entries().empty());
}

TEST(PlotHistory, MissingFolderThrows) {
    ScratchDir dir;
    expect_error([&] { plot_history(sample_history(), dir.file("no/such/dir/a.png")); },
                 {"[plot_history]", "folder does not exist", "no/such/dir"});
    EXPECT_TRUE(dir.entries().empty());
}

TEST(PlotHistory, UnwritableFolderThrows) {
    // /proc refuses new files even for root.
    if (std::filesystem::is_directory("/proc")) {
        expect_error([&] { plot_history(sample_history(), "/proc/tfc_plot_history.png"); },
                     {"[plot_history]", "cannot write", "/proc/tfc_plot_history.png"});
    }
    if (geteuid() != 0) {
        ScratchDir dir;
        std::filesystem::permissions(
            dir.path(), std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
        expect_error([&] { plot_history(sample_history(), dir.file("a.png")); },
                     {"[plot_history]", "cannot write"});
        std::filesystem::permissions(dir.path(), std::filesystem::perms::owner_all);
        EXPECT_TRUE(dir.entries().empty());
    }
}

TEST(PlotHistory, FailedRenameLeavesNoTempFile) {
    ScratchDir dir;
    // The target name is taken by a folder: the temp file is written, the rename fails.
    std::filesystem::create_directory(dir.file("taken.png"));
    std::filesystem::create_directory(dir.file("taken.png/inside"));
    expect_error([&] { plot_history(sample_history(), dir.file("taken.png")); },
                 {"[plot_history]", "cannot write", "taken.png"});
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"taken.png"});
}

TEST(PlotHistory, InvalidSizeThrows) {
    ScratchDir dir;
    expect_error(
        [&] {
            plot_history(sample_history(), dir.file("a.png"), {"", 10, 420});
        },
        {"[plot_history]", "invalid image size", "10x420"});
}

}  // namespace
}  // namespace tfc::plot
