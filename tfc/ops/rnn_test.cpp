// ops::rnn: float64 finite-difference gradients for every cell and option (masks, go_backwards,
// zero_output_for_mask, initial states, recurrent dropout scale), the float32 oneDNN kernel
// against the float64 reference kernel, masking semantics, and input errors.
#include "tfc/ops/rnn.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/layers/activations.h"
#include "tfc/ops/embedding.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

using ops::RnnCell;

struct Case {
    std::string label;
    RnnCell cell;
    bool reset_after = true;
    std::string ra = "sigmoid";
    bool masked = false;
    bool go_backwards = false;
    bool zero_output = false;
    bool initial_state = false;
    bool scale = false;
};

int gates(RnnCell c) { return c == RnnCell::lstm ? 4 : c == RnnCell::gru ? 3 : 1; }

constexpr std::int64_t B = 2, T = 4, I = 3, U = 3;

// Mask with a masked step at the start, in the middle and at the end.
Tensor test_mask() {
    return Tensor::from_vector(std::vector<std::uint8_t>{0, 1, 0, 1, 1, 1, 1, 0}, {B, T});
}

ops::RnnOptions options_of(const Case& c) {
    ops::RnnOptions o;
    o.cell = c.cell;
    o.reset_after = c.reset_after;
    o.recurrent_activation = c.ra;
    o.go_backwards = c.go_backwards;
    o.zero_output_for_mask = c.zero_output;
    if (c.masked) o.mask = test_mask();
    if (c.scale) o.recurrent_scale = testing::random_f64({B, U}, 0.5, 1.5, 99);
    return o;
}

// inputs: x, kernel, recurrent_kernel, bias, [h0, (c0)]
std::vector<Tensor> make_inputs(const Case& c, std::uint64_t seed) {
    const std::int64_t G = gates(c.cell);
    std::vector<Tensor> in{testing::random_f64({B, T, I}, -1, 1, seed),
                           testing::random_f64({I, G * U}, -0.6, 0.6, seed + 1),
                           testing::random_f64({U, G * U}, -0.6, 0.6, seed + 2)};
    const bool two = c.cell == RnnCell::gru && c.reset_after;
    in.push_back(testing::random_f64(two ? Shape{2, G * U} : Shape{G * U}, -0.3, 0.3, seed + 3));
    if (c.initial_state) {
        in.push_back(testing::random_f64({B, U}, -0.8, 0.8, seed + 4));
        if (c.cell == RnnCell::lstm) in.push_back(testing::random_f64({B, U}, -0.8, 0.8, seed + 5));
    }
    return in;
}

// Sequence, last output and states side by side, so every output is checked.
Tensor run_all(const Case& c, const std::vector<Tensor>& in) {
    std::vector<Tensor> init(in.begin() + 4, in.end());
    ops::RnnOptions o = options_of(c);
    if (o.recurrent_scale.defined() && in[0].dtype() == DType::float32) {
        o.recurrent_scale = o.recurrent_scale.astype(DType::float32);
    }
    auto r = ops::rnn(in[0], in[1], in[2], in[3], init, o);
    std::vector<Tensor> parts{ops::reshape(r.sequence, {B, T * U}), r.last_output};
    for (auto& s : r.states) parts.push_back(s);
    return ops::concat(parts, 1);
}

std::vector<Case> all_cases() {
    std::vector<Case> cs;
    for (RnnCell cell : {RnnCell::simple_rnn, RnnCell::lstm, RnnCell::gru}) {
        const std::string n = cell == RnnCell::lstm  ? "lstm"
                              : cell == RnnCell::gru ? "gru"
                                                     : "srnn";
        cs.push_back({n, cell});
        cs.push_back({n + "_masked", cell, true, "sigmoid", true});
        cs.push_back({n + "_masked_zero_back", cell, true, "sigmoid", true, true, true});
        cs.push_back({n + "_init_scale", cell, true, "sigmoid", true, false, false, true, true});
    }
    cs.push_back({"lstm_hard_sigmoid", RnnCell::lstm, true, "hard_sigmoid", true});
    cs.push_back({"lstm_hard_sigmoid_keras3", RnnCell::lstm, true, "hard_sigmoid_keras3", true});
    cs.push_back(
        {"gru_hard_sigmoid_keras3", RnnCell::gru, true, "hard_sigmoid_keras3", false, true});
    cs.push_back({"gru_reset_before", RnnCell::gru, false});
    cs.push_back(
        {"gru_reset_before_all", RnnCell::gru, false, "sigmoid", true, true, false, true, true});
    cs.push_back({"gru_reset_before_hard", RnnCell::gru, false, "hard_sigmoid", true, false, true});
    return cs;
}

TEST(RnnOp, GradientCheckEveryCellAndOption) {
    std::uint64_t seed = 10;
    for (const Case& c : all_cases()) {
        SCOPED_TRACE(c.label);
        const std::vector<Tensor> in = make_inputs(c, seed += 10);
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>& v) { return run_all(c, v); }, in));
    }
}

TEST(RnnOp, Float32KernelMatchesFloat64Reference) {
    std::uint64_t seed = 500;
    for (const Case& c : all_cases()) {
        SCOPED_TRACE(c.label);
        const std::vector<Tensor> in64 = make_inputs(c, seed += 10);
        std::vector<Tensor> in32;
        for (const Tensor& t : in64) {
            Tensor f = t.astype(DType::float32);
            f.set_requires_grad(true);
            in32.push_back(f);
        }
        std::vector<Tensor> w64;
        for (const Tensor& t : in64) {
            Tensor d = t.clone();
            d.set_requires_grad(true);
            w64.push_back(d);
        }
        std::vector<std::vector<double>> outs, grads32, grads64;
        for (int pass = 0; pass < 2; ++pass) {
            const std::vector<Tensor>& in = pass == 0 ? in32 : w64;
            autograd::GradientTape tape;
            Tensor y = run_all(c, in);
            const Tensor r = testing::random_f64(y.shape(), -1, 1, 3).astype(y.dtype());
            Tensor loss = ops::sum(ops::mul(y, r));
            outs.push_back(y.to_doubles());
            auto g = tape.gradient(loss, in);
            for (auto& t : g) (pass == 0 ? grads32 : grads64).push_back(t.to_doubles());
        }
        for (std::size_t i = 0; i < outs[0].size(); ++i) EXPECT_NEAR(outs[0][i], outs[1][i], 1e-5);
        for (std::size_t k = 0; k < grads32.size(); ++k) {
            for (std::size_t i = 0; i < grads32[k].size(); ++i) {
                EXPECT_NEAR(grads32[k][i], grads64[k][i], 1e-4 * (1 + std::fabs(grads64[k][i])))
                    << "input " << k << " element " << i;
            }
        }
    }
}

// The fused op's gate activations are the named activations: one LSTM step from (h0, c0) with
// each gate recurrent activation (Keras 2's and Keras 3's hard_sigmoid included), against the
// same step composed from ops and layers/activations.
TEST(RnnOp, GateActivationsAreTheNamedActivations) {
    for (const char* ra : {"sigmoid", "hard_sigmoid", "hard_sigmoid_keras3"}) {
        SCOPED_TRACE(ra);
        const Tensor x = testing::random_f64({B, 1, I}, -2, 2, 71);
        const Tensor k = testing::random_f64({I, 4 * U}, -2, 2, 72);
        const Tensor rk = testing::random_f64({U, 4 * U}, -2, 2, 73);
        const Tensor b = testing::random_f64({4 * U}, -1, 1, 74);
        const Tensor h0 = testing::random_f64({B, U}, -1, 1, 75);
        const Tensor c0 = testing::random_f64({B, U}, -1, 1, 76);
        ops::RnnOptions o;
        o.cell = RnnCell::lstm;
        o.recurrent_activation = ra;
        const auto r = ops::rnn(x, k, rk, b, {h0, c0}, o);
        const Tensor z =
            ops::add(ops::add(ops::matmul(ops::reshape(x, {B, I}), k), ops::matmul(h0, rk)), b);
        auto gate = [&](int g) { return ops::slice(z, {0, g * U}, {B, U}); };
        const ActivationFn f = get_activation(ra);
        const Tensor c =
            ops::add(ops::mul(f(gate(1)), c0), ops::mul(f(gate(0)), ops::tanh(gate(2))));
        const Tensor h = ops::mul(f(gate(3)), ops::tanh(c));
        const std::vector<double> got_h = r.states[0].to_doubles(), want_h = h.to_doubles();
        const std::vector<double> got_c = r.states[1].to_doubles(), want_c = c.to_doubles();
        for (std::size_t i = 0; i < want_h.size(); ++i) {
            EXPECT_NEAR(got_h[i], want_h[i], 1e-12);
            EXPECT_NEAR(got_c[i], want_c[i], 1e-12);
        }
    }
}

// A right-padded sequence gives the same final state as the unpadded prefix, and masked steps
// repeat the last output; with zero_output_for_mask they output zeros.
TEST(RnnOp, MaskedStepsKeepStateAndRepeatOutput) {
    for (RnnCell cell : {RnnCell::simple_rnn, RnnCell::lstm, RnnCell::gru}) {
        Case c{"", cell};
        const std::vector<Tensor> in = make_inputs(c, 77);
        ops::RnnOptions o;
        o.cell = cell;
        o.mask = Tensor::from_vector(std::vector<std::uint8_t>{1, 1, 0, 0, 1, 1, 0, 0}, {B, T});
        auto masked = ops::rnn(in[0], in[1], in[2], in[3], {}, o);
        ops::RnnOptions plain;
        plain.cell = cell;
        auto prefix =
            ops::rnn(ops::slice(in[0], {0, 0, 0}, {B, 2, I}), in[1], in[2], in[3], {}, plain);
        const auto a = masked.states[0].to_doubles(), b = prefix.states[0].to_doubles();
        for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12);
        const auto seq = masked.sequence.to_doubles();
        for (std::int64_t bb = 0; bb < B; ++bb) {
            for (std::int64_t j = 0; j < U; ++j) {
                EXPECT_EQ(seq[(bb * T + 3) * U + j], seq[(bb * T + 1) * U + j]);
            }
        }
        o.zero_output_for_mask = true;
        auto zero = ops::rnn(in[0], in[1], in[2], in[3], {}, o);
        const auto zs = zero.sequence.to_doubles();
        for (std::int64_t bb = 0; bb < B; ++bb) {
            for (std::int64_t j = 0; j < U; ++j) EXPECT_EQ(zs[(bb * T + 2) * U + j], 0.0);
        }
    }
}

TEST(RnnOp, GoBackwardsEqualsReversedInput) {
    Case c{"", RnnCell::lstm};
    const std::vector<Tensor> in = make_inputs(c, 88);
    ops::RnnOptions o;
    o.cell = RnnCell::lstm;
    o.go_backwards = true;
    auto back = ops::rnn(in[0], in[1], in[2], in[3], {}, o);
    std::vector<Tensor> steps;
    for (std::int64_t t = T - 1; t >= 0; --t)
        steps.push_back(ops::slice(in[0], {0, t, 0}, {B, 1, I}));
    o.go_backwards = false;
    auto fwd = ops::rnn(ops::concat(steps, 1), in[1], in[2], in[3], {}, o);
    const auto a = back.sequence.to_doubles(), b = fwd.sequence.to_doubles();
    for (std::size_t i = 0; i < a.size(); ++i) EXPECT_NEAR(a[i], b[i], 1e-12);
}

TEST(RnnOp, Errors) {
    const Tensor k = Tensor::zeros({I, U}), rk = Tensor::zeros({U, U}), b = Tensor::zeros({U});
    try {
        ops::rnn(Tensor::zeros({B, I}), k, rk, b);
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("RNN on 2-D input"), std::string::npos) << e.what();
    }
    const Tensor x = Tensor::zeros({B, T, I});
    ops::RnnOptions o;
    o.mask = Tensor::ones({B, T + 1}, DType::bool_);
    try {
        ops::rnn(x, k, rk, b, {}, o);
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("mask shape does not fit"), std::string::npos);
    }
    EXPECT_THROW(ops::rnn(x, Tensor::zeros({I + 1, U}), rk, b), Error);
    EXPECT_THROW(ops::rnn(x, k, Tensor::zeros({U, 2 * U}), b), Error);
    EXPECT_THROW(ops::rnn(x, k, rk, Tensor::zeros({U + 1})), Error);
    EXPECT_THROW(ops::rnn(x, k, rk, b, {Tensor::zeros({B, U + 1})}), Error);
    EXPECT_THROW(ops::rnn(x, k, rk, b, {Tensor::zeros({B, U}), Tensor::zeros({B, U})}), Error);
    EXPECT_THROW(ops::rnn(Tensor::zeros({B, 0, I}), k, rk, b), Error);
    ops::RnnOptions bad;
    bad.activation = "gelu";
    EXPECT_THROW(ops::rnn(x, k, rk, b, {}, bad), Error);
    ops::RnnOptions gru;
    gru.cell = RnnCell::gru;
    EXPECT_THROW(ops::rnn(x, Tensor::zeros({I, 3 * U}), Tensor::zeros({U, 3 * U}),
                          Tensor::zeros({3 * U}), {}, gru),
                 Error);  // reset_after needs [2, 3U]
}

TEST(EmbeddingOp, LookupGradientAndIndexErrors) {
    const Tensor emb = testing::random_f64({5, 3}, -1, 1, 1);
    const Tensor ids = Tensor::from_vector(std::vector<std::int32_t>{0, 4, 4, 2, 1, 0}, {2, 3});
    const Tensor y = ops::embedding_lookup(emb, ids);
    EXPECT_EQ(y.shape(), (Shape{2, 3, 3}));
    const auto e = emb.to_doubles(), v = y.to_doubles();
    for (int j = 0; j < 3; ++j) EXPECT_EQ(v[1 * 3 + j], e[4 * 3 + j]);
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>& in) { return ops::embedding_lookup(in[0], ids); }, {emb}));
    try {
        ops::embedding_lookup(emb, Tensor::from_vector(std::vector<std::int64_t>{1, 7}, {2}));
        FAIL() << "expected tfc::Error";
    } catch (const Error& err) {
        const std::string m = err.what();
        EXPECT_NE(m.find("index 7"), std::string::npos) << m;
        EXPECT_NE(m.find("input_dim 5"), std::string::npos) << m;
    }
    EXPECT_THROW(
        ops::embedding_lookup(emb, Tensor::from_vector(std::vector<std::int32_t>{-1}, {1})), Error);
    EXPECT_THROW(ops::embedding_lookup(emb, Tensor::from_vector(std::vector<double>{1.5}, {1})),
                 Error);
    const Tensor m = ops::not_equal_zero_mask(ids);
    EXPECT_EQ(m.dtype(), DType::bool_);
    EXPECT_EQ(m.to_doubles(), (std::vector<double>{0, 1, 1, 1, 1, 0}));
}

}  // namespace
}  // namespace tfc
