#include "tfc/plot/axis_ticks.h"

#include <gtest/gtest.h>

#include <cmath>

namespace tfc::plot {
namespace {

void expect_inside(const AxisTicks& axis) {
    ASSERT_EQ(axis.values.size(), axis.labels.size());
    ASSERT_GE(axis.values.size(), 2u);
    for (size_t i = 0; i < axis.values.size(); ++i) {
        EXPECT_GE(axis.values[i], axis.lo * (1 - 1e-12));
        EXPECT_LE(axis.values[i], axis.hi * (1 + 1e-12));
        if (i > 0) {
            EXPECT_GT(axis.values[i], axis.values[i - 1]);
        }
    }
}

TEST(AxisTicks, LinearNiceSteps) {
    const AxisTicks axis = linear_ticks(0.12, 1.3, 6);
    expect_inside(axis);
    EXPECT_LT(axis.lo, 0.12);
    EXPECT_GT(axis.hi, 1.3);
    EXPECT_EQ(axis.labels, (std::vector<std::string>{"0.2", "0.4", "0.6", "0.8", "1.0", "1.2"}));
}

TEST(AxisTicks, LinearIntegerEpochs) {
    const AxisTicks axis = linear_ticks(1, 25, 4, /*integer=*/true);
    EXPECT_EQ(axis.labels, (std::vector<std::string>{"0", "5", "10", "15", "20", "25"}));
    const AxisTicks one = linear_ticks(1, 1, 4, /*integer=*/true);
    EXPECT_EQ(one.labels, (std::vector<std::string>{"1"}));
    const AxisTicks two = linear_ticks(1, 2, 6, /*integer=*/true);
    EXPECT_EQ(two.labels, (std::vector<std::string>{"1", "2"}));
}

TEST(AxisTicks, LinearFlatAndNegativeRanges) {
    expect_inside(linear_ticks(5.0, 5.0));
    expect_inside(linear_ticks(0.0, 0.0));
    const AxisTicks axis = linear_ticks(-1.0, 1.0, 4);
    bool has_zero = false;
    for (const std::string& label : axis.labels) {
        EXPECT_NE(label, "-0");
        has_zero = has_zero || label == "0" || label == "0.0";
    }
    EXPECT_TRUE(has_zero);
}

TEST(AxisTicks, LinearLabelFormats) {
    EXPECT_EQ(format_linear_tick(0.25, 0.05), "0.25");
    EXPECT_EQ(format_linear_tick(1500, 500), "1500");
    EXPECT_EQ(format_linear_tick(-1e-17, 0.1), "0.0");
    EXPECT_EQ(format_linear_tick(2e-7, 1e-7), "2e-07");
    EXPECT_EQ(format_linear_tick(3e6, 1e6), "3e+06");
}

TEST(AxisTicks, LogDecades) {
    const AxisTicks axis = log_ticks(1e-8, 1e-3);
    EXPECT_EQ(axis.labels,
              (std::vector<std::string>{"1e-08", "1e-07", "1e-06", "1e-05", "0.0001", "0.001"}));
    EXPECT_LT(axis.lo, 1e-8);
    EXPECT_GT(axis.hi, 1e-3);
}

TEST(AxisTicks, LogShortRangeGetsIntermediateTicks) {
    const AxisTicks axis = log_ticks(2.0, 30.0);
    expect_inside(axis);
    EXPECT_GE(axis.values.size(), 3u);
    const AxisTicks tiny = log_ticks(3.0, 4.0);
    expect_inside(tiny);
}

TEST(AxisTicks, LogManyDecadesAreThinned) {
    const AxisTicks axis = log_ticks(1e-20, 1e20);
    expect_inside(axis);
    EXPECT_LE(axis.values.size(), 9u);
}

}  // namespace
}  // namespace tfc::plot
