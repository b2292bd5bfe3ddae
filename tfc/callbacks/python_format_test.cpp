// python_repr and python_format against CPython 3.11: every expected string below was printed
// by CPython's repr() / str.format() for the same input (hex literals pin the exact doubles).
#include "tfc/callbacks/python_format.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "tfc/core/error.h"

namespace tfc {
namespace {

TEST(PythonRepr, MatchesCPython) {
    EXPECT_EQ(python_repr(0.5), "0.5");
    EXPECT_EQ(python_repr(100.0), "100.0");
    EXPECT_EQ(python_repr(12345.0), "12345.0");
    EXPECT_EQ(python_repr(1e16), "1e+16");
    EXPECT_EQ(python_repr(1e22), "1e+22");
    EXPECT_EQ(python_repr(1e-5), "1e-05");
    EXPECT_EQ(python_repr(0.0001), "0.0001");
    EXPECT_EQ(python_repr(0.00012345), "0.00012345");
    EXPECT_EQ(python_repr(1.5e-05), "1.5e-05");
    EXPECT_EQ(python_repr(0x1.c12218377de66p+46), "123456789012345.6");
    EXPECT_EQ(python_repr(0x1.18b54f22aeb03p+50), "1234567890123456.8");
    EXPECT_EQ(python_repr(0.1 + 0.2), "0.30000000000000004");
    EXPECT_EQ(python_repr(-2.5), "-2.5");
    EXPECT_EQ(python_repr(1.0 / 3.0), "0.3333333333333333");
    // A float32 loss widened to double, as Keras's logs hold it.
    EXPECT_EQ(python_repr(static_cast<double>(0x1.62e43p-1f)), "0.6931471824645996");
    EXPECT_EQ(python_repr(0.0), "0.0");
    EXPECT_EQ(python_repr(-0.0), "-0.0");
    EXPECT_EQ(python_repr(5e-324), "5e-324");
    EXPECT_EQ(python_repr(1.7976931348623157e308), "1.7976931348623157e+308");
    EXPECT_EQ(python_repr(std::numeric_limits<double>::quiet_NaN()), "nan");
    EXPECT_EQ(python_repr(std::numeric_limits<double>::infinity()), "inf");
    EXPECT_EQ(python_repr(-std::numeric_limits<double>::infinity()), "-inf");
}

TEST(PythonFormat, CheckpointPatterns) {
    const std::string w = "test";
    EXPECT_EQ(python_format("weights.{epoch:02d}-{val_loss:.2f}.h5",
                            {{"epoch", std::int64_t{3}}, {"val_loss", 0.123456}}, w),
              "weights.03-0.12.h5");
    EXPECT_EQ(
        python_format("w.{epoch}.{loss}.h5", {{"epoch", std::int64_t{12}}, {"loss", 0.25}}, w),
        "w.12.0.25.h5");
    EXPECT_EQ(
        python_format("m-{epoch:03d}-{acc:.4f}-{loss:.3e}-{loss:g}.h5",
                      {{"epoch", std::int64_t{7}}, {"acc", 0.98765}, {"loss", 0.000123456}}, w),
        "m-007-0.9877-1.235e-04-0.000123456.h5");
}

TEST(PythonFormat, WidthPaddingAndEscapes) {
    const std::map<std::string, FormatValue> v{
        {"epoch", std::int64_t{7}}, {"loss", 3.14159}, {"neg", -1.5}};
    EXPECT_EQ(python_format("{epoch:5d}|{loss:10.3f}|{loss:010.3f}|{neg:08.2f}|{epoch:.2f}|{{x}}",
                            v, "test"),
              "    7|     3.142|000003.142|-0001.50|7.00|{x}");
    const std::map<std::string, FormatValue> special{
        {"x", std::numeric_limits<double>::quiet_NaN()},
        {"y", std::numeric_limits<double>::infinity()},
        {"z", 2.0}};
    EXPECT_EQ(python_format("{x:.2f}|{y:.1f}|{z:e}", special, "test"), "nan|inf|2.000000e+00");
    // Round-half-even on the exact binary value, as CPython.
    EXPECT_EQ(python_format("{x:.2f}|{x:.0f}|{y:.0f}|{z:.1f}",
                            {{"x", 0.125}, {"y", 2.5}, {"z", 0.25}}, "test"),
              "0.12|0|2|0.2");
    EXPECT_EQ(python_format("no placeholders", {}, "test"), "no placeholders");
}

TEST(PythonFormat, ErrorsNameTheProblem) {
    const std::map<std::string, FormatValue> v{{"epoch", std::int64_t{1}}, {"loss", 0.5}};
    try {
        python_format("w.{val_loss:.2f}.h5", v, "ModelCheckpoint");
        FAIL();
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[ModelCheckpoint]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("`val_loss`"), std::string::npos) << msg;
        EXPECT_NE(msg.find("epoch, loss"), std::string::npos) << msg;
    }
    EXPECT_THROW(python_format("{loss:d}", v, "t"), Error);      // Python: ValueError
    EXPECT_THROW(python_format("{epoch:.2d}", v, "t"), Error);   // Python: ValueError
    EXPECT_THROW(python_format("{epoch", v, "t"), Error);        // Python: ValueError
    EXPECT_THROW(python_format("epoch}", v, "t"), Error);        // Python: ValueError
    EXPECT_THROW(python_format("{loss:>8.2f}", v, "t"), Error);  // outside the subset
}

}  // namespace
}  // namespace tfc
