// Progbar tests. Every expected string below is derived by hand from the Keras 2 source
// tf_keras/utils/generic_utils.py, class Progbar (keras-team/tf-keras, commit 6add81a; the Keras 2
// line of tf.keras.utils.Progbar), with an injected clock so the times are exact. The rule each
// expectation exercises is named next to it.
#include "tfc/training/progbar.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "tfc/core/error.h"

namespace tfc {
namespace {

struct FakeClock {
    double t = 0.0;
};

// A non-dynamic bar writing to a string, driven by `clock`.
Progbar make_bar(int64_t target,
                 int verbose,
                 std::ostringstream& out,
                 FakeClock& clock,
                 const std::string& unit = "step") {
    Progbar bar(target, verbose, &out, 30, 0.05, unit);
    bar.set_clock([&clock] { return clock.t; });
    bar.set_dynamic_display(false);
    return bar;
}

// _format_time: "%.0f" seconds when >= 1 s or exactly 0, else ms, else us.
TEST(ProgbarFormat, TimeUnits) {
    EXPECT_EQ(progbar_format_time(0.0, "step"), " 0s/step");
    EXPECT_EQ(progbar_format_time(1.0, "step"), " 1s/step");
    EXPECT_EQ(progbar_format_time(12.7, "epoch"), " 13s/epoch");
    EXPECT_EQ(progbar_format_time(0.0123, "step"), " 12ms/step");
    EXPECT_EQ(progbar_format_time(0.999, "step"), " 999ms/step");
    EXPECT_EQ(progbar_format_time(0.000045, "sample"), " 45us/sample");
}

// update(): "%.4f" when abs(avg) > 1e-3 (verbose 1) or avg > 1e-3 (verbose 2), else "%.4e".
TEST(ProgbarFormat, Values) {
    EXPECT_EQ(progbar_format_value(0.123456), "0.1235");
    EXPECT_EQ(progbar_format_value(123.456789), "123.4568");
    EXPECT_EQ(progbar_format_value(0.0011), "0.0011");
    EXPECT_EQ(progbar_format_value(0.001), "1.0000e-03");  // strictly greater than 1e-3
    EXPECT_EQ(progbar_format_value(0.0005), "5.0000e-04");
    EXPECT_EQ(progbar_format_value(0.0), "0.0000e+00");
    EXPECT_EQ(progbar_format_value(-0.5), "-0.5000");
    EXPECT_EQ(progbar_format_value(-0.5, /*abs_threshold=*/false), "-5.0000e-01");
    EXPECT_EQ(progbar_format_value(1.5e-7), "1.5000e-07");
}

// verbose=1, not a terminal: every redraw starts with "\n" (the non-dynamic branch), the bar is
// "%{numdigits}d/%d [" + '=' * (prog_width - 1) + '>' + '.' padding, and the finalize line ends
// with "\n".
TEST(Progbar, Verbose1Lines) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(10, 1, out, clock);

    clock.t = 0.5;  // step 1: time_per_unit = 0.5 / 1, ETA = 0.5 * 9 = 4.5 -> "%ds" -> "4s"
    bar.update(1, {{"loss", 0.5}, {"accuracy", 0.75}});
    clock.t = 0.52;  // less than interval=0.05 after the last redraw: skipped
    bar.update(2, {{"loss", 0.45}, {"accuracy", 0.77}});
    clock.t = 1.5;  // first step excluded: (1.5 - 0.5) / 4 = 0.25, ETA = 0.25 * 5 = 1.25 -> "1s"
    bar.update(5, {{"loss", 0.4}, {"accuracy", 0.8}});
    clock.t = 2.5;  // elapsed "%.0f" % 2.5 -> "2" (round half to even); (2.5 - 0.5) / 9 -> 222ms
    bar.update(10, {{"loss", 0.0005}, {"accuracy", 0.9}}, true);

    const std::string expected =
        "\n 1/10 [==>...........................] - ETA: 4s - loss: 0.5000 - accuracy: 0.7500"
        "\n 5/10 [==============>...............] - ETA: 1s - loss: 0.4000 - accuracy: 0.8000"
        "\n10/10 [==============================] - 2s 222ms/step - loss: 5.0000e-04"
        " - accuracy: 0.9000\n";
    EXPECT_EQ(out.str(), expected);
}

// finalize defaults to current >= target (Keras' finalize=None); a finalize update is never
// throttled by `interval`.
TEST(Progbar, Verbose1DefaultFinalize) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(3, 1, out, clock);
    clock.t = 1.0;
    bar.update(1);
    clock.t = 1.01;
    bar.update(3);  // (1.01 - 1.0) / 2 = 5ms per step, elapsed "1s"
    EXPECT_EQ(out.str(),
              "\n1/3 [=========>....................] - ETA: 2s"
              "\n3/3 [==============================] - 1s 5ms/step\n");
}

// ETA branches: > 3600 -> "%d:%02d:%02d", > 60 -> "%d:%02d", else "%ds" (3600 exactly is "60:00").
TEST(Progbar, EtaFormats) {
    const std::pair<double, std::string> cases[] = {
        {1861.6, "1:02:03"},  // ETA 2 * 1861.6 = 3723.2 s
        {1800.0, "60:00"},    // ETA 3600 s, not > 3600
        {31.0, "1:02"},       // ETA 62 s
        {6.2, "12s"},         // ETA 12.4 s
    };
    for (const auto& [t, eta] : cases) {
        std::ostringstream out;
        FakeClock clock;
        Progbar bar = make_bar(3, 1, out, clock);
        clock.t = t;
        bar.update(1, {});
        EXPECT_EQ(out.str(), "\n1/3 [=========>....................] - ETA: " + eta) << t;
    }
}

// A line shorter than the previous one is padded with spaces up to the previous total width
// (len(bar) + len(info)), even without dynamic display.
TEST(Progbar, PadsShorterLine) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(2, 1, out, clock);
    clock.t = 1.0;
    bar.update(1, {{"loss", -12345678.9}});
    clock.t = 1.5;  // elapsed "%.0f" % 1.5 -> "2"; (1.5 - 1.0) / 1 -> 500ms
    bar.update(2, {{"loss", 0.5}}, true);
    // Widths: 36 + 33 = 69 before, 36 + 31 = 67 after: two spaces of padding.
    EXPECT_EQ(out.str(),
              "\n1/2 [==============>...............] - ETA: 1s - loss: -12345678.9000"
              "\n2/2 [==============================] - 2s 500ms/step - loss: 0.5000  \n");
}

// Dynamic display: each redraw starts with '\b' * previous total width, then '\r'.
TEST(Progbar, DynamicDisplayBackspaces) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(2, 1, out, clock);
    bar.set_dynamic_display(true);
    clock.t = 1.0;
    bar.update(1, {});
    clock.t = 2.0;
    bar.update(2, {}, true);
    const std::string first = "1/2 [==============>...............] - ETA: 1s";
    const std::string second = "2/2 [==============================] - 2s 1s/step\n";
    EXPECT_EQ(out.str(), "\r" + first + std::string(first.size(), '\b') + "\r" + second);
}

// Unknown target: "%7d/Unknown" and the elapsed + per-step form while running. Finalizing sets
// target = current (what ProgbarLogger does before its last update).
TEST(Progbar, UnknownTarget) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(-1, 1, out, clock);
    clock.t = 1.0;
    bar.update(5, {{"loss", 0.25}});
    clock.t = 2.0;
    bar.update(8, {{"loss", 0.125}}, true);
    EXPECT_EQ(bar.target(), 8);
    EXPECT_EQ(out.str(),
              "\n      5/Unknown - 1s 200ms/step - loss: 0.2500"
              "\n8/8 [==============================] - 2s 250ms/step - loss: 0.1250\n");
}

// verbose=2: nothing until finalize, then "%{numdigits}d/%d - {elapsed}s - values -
// {epoch time}/epoch - {time per step}/step\n"; values use avg > 1e-3 (no abs).
TEST(Progbar, Verbose2OneLine) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(100, 2, out, clock);
    for (int step = 1; step < 100; ++step) {
        clock.t = 0.032 * step;
        bar.update(step, {{"loss", 0.3}, {"accuracy", 0.85}}, false);
    }
    EXPECT_EQ(out.str(), "");
    clock.t = 3.2;  // 3.2 s per epoch -> " 3s/epoch", 3.2 / 100 -> " 32ms/step"
    bar.update(100,
               {{"loss", 0.25}, {"accuracy", 0.9}, {"val_loss", -0.5}, {"val_accuracy", 0.0005}},
               true);
    EXPECT_EQ(out.str(),
              "100/100 - 3s - loss: 0.2500 - accuracy: 0.9000 - val_loss: -5.0000e-01"
              " - val_accuracy: 5.0000e-04 - 3s/epoch - 32ms/step\n");
}

// Stateful display: values are shown as given, keep their first-seen order, and a name missing
// from a later update keeps its last value.
TEST(Progbar, ValuesKeepOrderAndLastValue) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(4, 1, out, clock);
    clock.t = 1.0;
    bar.update(1, {{"loss", 0.9}, {"mae", 0.2}});
    clock.t = 2.0;
    bar.update(2, {{"mae", 0.1}});  // prog_width 7 then 15: (prog_width - 1) '=' then '>'
    EXPECT_EQ(out.str(),
              "\n1/4 [======>.......................] - ETA: 3s - loss: 0.9000 - mae: 0.2000"
              "\n2/4 [==============>...............] - ETA: 2s - loss: 0.9000 - mae: 0.1000");
}

TEST(Progbar, Verbose0PrintsNothing) {
    std::ostringstream out;
    FakeClock clock;
    Progbar bar = make_bar(2, 0, out, clock);
    bar.update(1, {{"loss", 1.0}});
    bar.update(2, {{"loss", 1.0}}, true);
    EXPECT_EQ(out.str(), "");
}

TEST(Progbar, InvalidArgumentsThrow) {
    std::ostringstream out;
    try {
        Progbar bar(0, 1, &out);
        FAIL() << "no throw";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[Progbar]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Got target=0"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
    EXPECT_THROW(Progbar(10, 3, &out), Error);
    EXPECT_THROW(Progbar(10, 1, nullptr), Error);
    EXPECT_THROW(Progbar(10, 1, &out, 0), Error);
}

}  // namespace
}  // namespace tfc
