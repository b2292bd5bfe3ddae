// GradientTape semantics (tf.GradientTape): accumulation, unreachable sources, NoGradGuard,
// single use, nested tapes, intermediate sources, trainable (requires_grad) tensors, and the
// ReLU-mask handshake between max pooling and the ReLU before it.
// Expected gradients are the closed-form derivatives of the small functions used.
#include "tfc/autograd/tape.h"

#include <gtest/gtest.h>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"
#include "tfc/ops/pool.h"

namespace tfc::autograd {
namespace {

Tensor vec(std::vector<double> v) {
    const auto n = static_cast<std::int64_t>(v.size());
    return Tensor::from_vector(v, {n});
}

TEST(Tape, ValueUsedTwiceAccumulates) {
    Tensor x = vec({1, 2, 3});
    GradientTape tape;
    tape.watch(x);
    Tensor y = ops::add(ops::mul(x, 3.0), ops::square(x));  // 3x + x^2 -> 3 + 2x
    auto g = tape.gradient(ops::sum(y), {x});
    EXPECT_EQ(g[0].to_doubles(), (std::vector<double>{5, 7, 9}));
}

TEST(Tape, DiamondGraph) {
    Tensor x = vec({2});
    GradientTape tape;
    tape.watch(x);
    Tensor a = ops::mul(x, x);               // x^2
    Tensor b = ops::mul(a, x);               // x^3
    Tensor y = ops::add(ops::mul(a, b), b);  // x^5 + x^3 -> 5x^4 + 3x^2 = 80 + 12
    EXPECT_EQ(tape.gradient(y, {x})[0].item(), 92.0);
}

TEST(Tape, UnreachableSourcesGetZeros) {
    Tensor x = vec({1, 2});
    Tensor z = Tensor::ones({2, 2}, DType::float64);
    GradientTape tape;
    tape.watch(x);
    tape.watch(z);
    Tensor y = ops::sum(ops::mul(x, 2.0));
    auto g = tape.gradient(y, {x, z});
    EXPECT_EQ(g[0].to_doubles(), (std::vector<double>{2, 2}));
    EXPECT_EQ(g[1].shape(), z.shape());
    EXPECT_EQ(g[1].to_doubles(), std::vector<double>(4, 0.0));
}

TEST(Tape, NonScalarTargetIsSummed) {
    Tensor x = vec({1, 2});
    GradientTape tape;
    tape.watch(x);
    auto g = tape.gradient(ops::mul(x, x), {x});
    EXPECT_EQ(g[0].to_doubles(), (std::vector<double>{2, 4}));
}

TEST(Tape, NoGradGuardRecordsNothing) {
    Tensor x = vec({1, 2});
    GradientTape tape;
    tape.watch(x);
    {
        NoGradGuard ng;
        Tensor y = ops::mul(x, x);
        EXPECT_FALSE(should_record({&x}));
        EXPECT_EQ(tape.num_entries(), 0u);
        { NoGradGuard nested; }
        ops::exp(x);
        EXPECT_EQ(tape.num_entries(), 0u);
    }
    EXPECT_TRUE(should_record({&x}));
    ops::exp(x);
    EXPECT_EQ(tape.num_entries(), 1u);
}

TEST(Tape, UnwatchedInputsAreNotRecorded) {
    Tensor x = vec({1, 2});
    GradientTape tape;
    ops::mul(x, x);
    EXPECT_EQ(tape.num_entries(), 0u);
    auto g = tape.gradient(ops::sum(x), {x});
    EXPECT_EQ(g[0].to_doubles(), (std::vector<double>{0, 0}));
}

TEST(Tape, UsedTwiceThrows) {
    Tensor x = vec({1});
    GradientTape tape;
    tape.watch(x);
    Tensor y = ops::mul(x, x);
    tape.gradient(y, {x});
    try {
        tape.gradient(y, {x});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("[GradientTape::gradient]"), std::string::npos);
    }
    // After gradient() the tape no longer records.
    ops::mul(x, x);
    EXPECT_EQ(tape.num_entries(), 0u);
}

TEST(Tape, BadArgumentsThrow) {
    GradientTape tape;
    EXPECT_THROW(tape.watch(Tensor()), Error);
    GradientTape t2;
    EXPECT_THROW(t2.gradient(Tensor(), {}), Error);
    GradientTape t3;
    EXPECT_THROW(t3.gradient(vec({1}), {Tensor()}), Error);
}

TEST(Tape, NestedTapesBothRecord) {
    Tensor x = vec({3});
    GradientTape outer;
    outer.watch(x);
    Tensor y;
    {
        GradientTape inner;
        inner.watch(x);
        y = ops::mul(ops::mul(x, x), x);  // x^3 -> 3x^2 = 27
        EXPECT_EQ(inner.gradient(y, {x})[0].item(), 27.0);
        // inner's backward pass is not recorded on the outer tape
    }
    Tensor z = ops::mul(y, 2.0);  // recorded on outer only
    EXPECT_EQ(outer.gradient(z, {x})[0].item(), 54.0);
}

TEST(Tape, InnerTapeSeesOnlyWhatItWatches) {
    Tensor x = vec({2});
    Tensor w = vec({5});
    GradientTape outer;
    outer.watch(x);
    GradientTape inner;
    inner.watch(w);
    Tensor y = ops::mul(x, w);
    auto gi = inner.gradient(y, {w, x});
    EXPECT_EQ(gi[0].item(), 2.0);
    EXPECT_EQ(gi[1].item(), 0.0);  // x is not watched by inner
    auto go = outer.gradient(y, {x, w});
    EXPECT_EQ(go[0].item(), 5.0);
    EXPECT_EQ(go[1].item(), 0.0);
}

TEST(Tape, IntermediateSource) {
    Tensor x = vec({1, 2});
    GradientTape tape;
    tape.watch(x);
    Tensor h = ops::mul(x, 3.0);
    Tensor y = ops::sum(ops::square(h));  // dy/dh = 2h, dy/dx = 6h
    auto g = tape.gradient(y, {h, x});
    EXPECT_EQ(g[0].to_doubles(), (std::vector<double>{6, 12}));
    EXPECT_EQ(g[1].to_doubles(), (std::vector<double>{18, 36}));
}

TEST(Tape, TargetAsSource) {
    Tensor x = vec({1, 2});
    GradientTape tape;
    tape.watch(x);
    Tensor y = ops::exp(x);
    EXPECT_EQ(tape.gradient(y, {y})[0].to_doubles(), (std::vector<double>{1, 1}));
}

TEST(Tape, RequiresGradTensorsAreWatchedByEveryTape) {
    Tensor w = vec({4});
    w.set_requires_grad(true);
    for (int i = 0; i < 2; ++i) {
        GradientTape tape;
        Tensor y = ops::square(w);
        EXPECT_EQ(tape.gradient(y, {w})[0].item(), 8.0);
    }
    EXPECT_FALSE(should_record({&w}));  // no active tape
}

TEST(Tape, StopGradientBlocks) {
    Tensor x = vec({2});
    GradientTape tape;
    tape.watch(x);
    Tensor y = ops::mul(ops::stop_gradient(ops::square(x)), x);  // treated as 4 * x
    EXPECT_EQ(tape.gradient(y, {x})[0].item(), 4.0);
}

// A ReLU recorded by hand with relu_output, whose rule reports whether the incoming gradient was
// already marked zero wherever the output is <= 0, then applies the mask itself.
struct ProbedRelu {
    bool saw_marked = false;
    bool called = false;
    Tensor operator()(const Tensor& x) {
        Tensor y;
        {
            NoGradGuard pause;
            y = ops::relu(x);
        }
        record(
            "probed_relu", {x}, y,
            [this, x, y](const Tensor& g) {
                called = true;
                saw_marked = zero_where_not_positive(g, y);
                NoGradGuard pause;
                return std::vector<Tensor>{ops::mul(
                    g, ops::greater(x, Tensor::zeros(x.shape(), x.dtype())).astype(x.dtype()))};
            },
            true);
        return y;
    }
};

TEST(Tape, MaxPoolAfterAReluMarksItsGradientOnlyWhenNothingElseUsesIt) {
    // Windows (2x2 over a 2x4 image): one with a positive maximum, one all <= 0.
    const Tensor x =
        Tensor::from_vector(std::vector<double>{1, -2, -1, -3, 4, 3, -2, -5}, {1, 2, 4, 1});
    EXPECT_FALSE(only_positive_cells_matter(x));  // no gradient() running
    const auto run = [&](bool y_is_source, bool y_used_twice) {
        ProbedRelu probe;
        GradientTape tape;
        tape.watch(x);
        const Tensor y = probe(x);
        Tensor loss = ops::sum(ops::max_pool2d(y, 2, 2));
        if (y_used_twice) loss = ops::add(loss, ops::sum(y));
        std::vector<Tensor> sources{x};
        if (y_is_source) sources.push_back(y);
        const std::vector<Tensor> g = tape.gradient(loss, sources);
        EXPECT_TRUE(probe.called);
        // d loss / dx: 1 at the first window's maximum (4), plus 1 at every x > 0 when y is used
        // twice; never at the all-negative window.
        const std::vector<double> want = y_used_twice ? std::vector<double>{1, 0, 0, 0, 2, 1, 0, 0}
                                                      : std::vector<double>{0, 0, 0, 0, 1, 0, 0, 0};
        EXPECT_EQ(g[0].to_doubles(), want);
        if (y_is_source) {
            // The exact max-pool gradient of y: the all-zero window's first cell gets 1.
            EXPECT_EQ(g[1].to_doubles(), (std::vector<double>{0, 0, 1, 0, 1, 0, 0, 0}));
        }
        return probe.saw_marked;
    };
    EXPECT_TRUE(run(false, false));
    EXPECT_FALSE(run(true, false));  // a source is never fused
    EXPECT_FALSE(run(false, true));  // a sum of two consumers' gradients is not marked
}

}  // namespace
}  // namespace tfc::autograd
