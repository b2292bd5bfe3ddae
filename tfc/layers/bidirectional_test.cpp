// Bidirectional's list calls (Keras 2.15 bidirectional.py): merge_mode None returns [fwd, bwd],
// return_state appends the forward then the backward states, initial states are split in half.
// Values against the two wrapped layers run on their own, finite-difference gradients through
// every output and initial state, masks, shapes, and the refusals of single-output uses.
// TF.js's own numbers for these calls: tfc/io/tfjs_model_test.cpp (bidirectional_states).
#include "tfc/layers/bidirectional.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/layers/embedding.h"
#include "tfc/layers/gru.h"
#include "tfc/layers/input_layer.h"
#include "tfc/layers/lstm.h"
#include "tfc/ops/ops.h"
#include "tfc/training/functional.h"
#include "tfc/training/sequential.h"

namespace tfc {
namespace {

std::vector<Tensor> f64_weights(Layer& layer, std::uint64_t seed) {
    return testing::use_f64_weights(layer, seed, 0.6);
}

void expect_equal(const Tensor& a, const Tensor& b, const std::string& what) {
    ASSERT_EQ(a.shape(), b.shape()) << what;
    const auto va = a.to_doubles(), vb = b.to_doubles();
    for (std::size_t i = 0; i < va.size(); ++i) EXPECT_EQ(va[i], vb[i]) << what << " at " << i;
}

// x[:, ::-1] of a [B, T, U] tensor, by index arithmetic.
Tensor reversed_in_time(const Tensor& x) {
    const std::int64_t B = x.dim(0), T = x.dim(1), U = x.dim(2);
    const auto v = x.to_doubles();
    std::vector<double> r(v.size());
    for (std::int64_t b = 0; b < B; ++b)
        for (std::int64_t t = 0; t < T; ++t)
            for (std::int64_t u = 0; u < U; ++u)
                r[(b * T + t) * U + u] = v[(b * T + (T - 1 - t)) * U + u];
    return Tensor::from_doubles(r, x.shape(), x.dtype());
}

TEST(BidirectionalList, MergeModeNoneAndStatesAreTheWrappedLayersOutputs) {
    set_random_seed(41);
    Bidirectional bi(LSTM(3, {.return_sequences = true, .return_state = true}),
                     {.merge_mode = std::nullopt});
    bi.build({-1, 4, 2});
    f64_weights(*bi.forward_layer(), 10);
    f64_weights(*bi.backward_layer(), 20);
    EXPECT_EQ(bi.output_count(), 6);
    EXPECT_EQ(bi.compute_output_shapes({-1, 4, 2}),
              (std::vector<Shape>{{-1, 4, 3}, {-1, 4, 3}, {-1, 3}, {-1, 3}, {-1, 3}, {-1, 3}}));
    EXPECT_EQ(bi.initial_state_shapes(), (std::vector<Shape>(4, Shape{-1, 3})));
    const Tensor x = testing::random_f64({2, 4, 2}, -1, 1, 5);
    std::vector<Tensor> states;
    for (std::uint64_t s = 0; s < 4; ++s)
        states.push_back(testing::random_f64({2, 3}, -1, 1, 6 + s));

    for (const bool with_states : {false, true}) {
        SCOPED_TRACE(with_states ? "initial states" : "zero states");
        std::vector<Tensor> in{x};
        if (with_states) in.insert(in.end(), states.begin(), states.end());
        const std::vector<Tensor> out = bi.call_list(in, false);
        ASSERT_EQ(out.size(), 6u);
        const std::vector<Tensor> fs =
            with_states ? std::vector<Tensor>{states[0], states[1]} : std::vector<Tensor>{};
        const std::vector<Tensor> bs =
            with_states ? std::vector<Tensor>{states[2], states[3]} : std::vector<Tensor>{};
        const std::vector<Tensor> f = bi.forward_layer()->call_with_state(x, fs);
        const std::vector<Tensor> b = bi.backward_layer()->call_with_state(x, bs);
        expect_equal(out[0], f[0], "forward sequence");
        // The backward layer's sequence comes back in input time order.
        expect_equal(out[1], reversed_in_time(b[0]), "backward sequence");
        expect_equal(out[2], f[1], "forward h");
        expect_equal(out[3], f[2], "forward c");
        expect_equal(out[4], b[1], "backward h");
        expect_equal(out[5], b[2], "backward c");
    }
}

TEST(BidirectionalList, GradientsReachEveryOutputAndInitialState) {
    set_random_seed(42);
    for (const bool none : {true, false}) {
        SCOPED_TRACE(none ? "merge_mode None" : "merge_mode ave");
        Bidirectional bi(GRU(2, {.return_sequences = !none, .return_state = true}),
                         {.merge_mode = none ? std::optional<std::string>() : "ave"});
        bi.build({-1, 3, 2});
        std::vector<Tensor> in = f64_weights(*bi.forward_layer(), 30);
        for (auto& w : f64_weights(*bi.backward_layer(), 40)) in.push_back(w);
        const Tensor x = testing::random_f64({2, 3, 2}, -1, 1, 7);
        const Tensor h_f = testing::random_f64({2, 2}, -1, 1, 8);
        const Tensor h_b = testing::random_f64({2, 2}, -1, 1, 9);
        for (const Tensor& t : {x, h_f, h_b}) {
            Tensor w = t;
            w.set_requires_grad(true);
            in.push_back(w);
        }
        const std::size_t nx = in.size() - 3;
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>& v) {
                const std::vector<Tensor> out = bi.call_list({v[nx], v[nx + 1], v[nx + 2]}, false);
                // A different weight per output, so that a swapped pair would show.
                Tensor total = ops::sum(out[0]);
                for (std::size_t k = 1; k < out.size(); ++k) {
                    total = ops::add(total, ops::mul(ops::sum(ops::mul(out[k], out[k])),
                                                     0.5 + static_cast<double>(k)));
                }
                return total;
            },
            in));
    }
}

TEST(BidirectionalList, MaskedSequencesMaskBothUnmergedOutputs) {
    set_random_seed(43);
    Embedding e(6, 3, {.mask_zero = true});
    Bidirectional bi(LSTM(2, {.return_sequences = true}), {.merge_mode = std::nullopt});
    const Tensor ids =
        Tensor::from_vector(std::vector<std::int32_t>{3, 1, 0, 5, 0, 0, 2, 4, 1, 3}, {2, 5});
    const Tensor emb = e(ids);
    const std::vector<Tensor> out = bi.call_list({emb}, false);
    ASSERT_EQ(out.size(), 2u);
    for (const Tensor& y : out) {
        ASSERT_TRUE(y.keras_mask().defined());
        expect_equal(y.keras_mask(), emb.keras_mask(), "mask");
        // zero_output_for_mask (Keras 2 sets it on both directions): step 2 of sample 0 is zero.
        const auto v = y.to_doubles();
        for (int j = 0; j < 2; ++j) EXPECT_EQ(v[2 * 2 + j], 0.0);
    }
}

TEST(BidirectionalList, FunctionalGraphAndRefusals) {
    set_random_seed(44);
    KerasTensor x = Input({5, 2});
    auto bi = std::make_shared<Bidirectional>(LSTM(3, {.return_state = true}));
    const std::vector<KerasTensor> outs = apply_layer_multi(bi, x);
    ASSERT_EQ(outs.size(), 5u);
    EXPECT_EQ(outs[0].shape(), (Shape{-1, 6}));
    EXPECT_EQ(outs[4].shape(), (Shape{-1, 3}));
    // A second Bidirectional GRU started from the first one's h states.
    auto gru = std::make_shared<Bidirectional>(GRU(3), BidirectionalOptions{.merge_mode = "sum"});
    const KerasTensor y = apply_layer(gru, {x, outs[1], outs[3]});
    Functional model(std::vector<KerasTensor>{x}, std::vector<KerasTensor>{y, outs[2]});
    const Tensor data = Tensor::from_vector(std::vector<float>(2 * 5 * 2, 0.25f), {2, 5, 2});
    const std::vector<Tensor> got = model.predict_multi({data});
    ASSERT_EQ(got.size(), 2u);
    EXPECT_EQ(got[0].shape(), (Shape{2, 3}));
    const std::vector<Tensor> direct = bi->call_list({data}, false);
    expect_equal(got[1], direct[2], "c of the forward LSTM");
    expect_equal(got[0], gru->call_list({data, direct[1], direct[3]}, false)[0], "GRU output");

    // One output is all apply_layer, Sequential and call() can take.
    EXPECT_THROW(apply_layer(std::make_shared<Bidirectional>(LSTM(2, {.return_state = true})), x),
                 Error);
    Sequential seq;
    EXPECT_THROW(seq.add(Bidirectional(LSTM(2), {.merge_mode = std::nullopt})), Error);
    // Initial states must cover both directions.
    EXPECT_THROW(apply_layer(std::make_shared<Bidirectional>(GRU(3)), {x, outs[1]}), Error);
    Bidirectional two(LSTM(2));
    try {
        two.call_list({Tensor::zeros({1, 3, 2}), Tensor::zeros({1, 2})}, false);
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("wrong number of initial states"), std::string::npos)
            << e.what();
    }
    EXPECT_THROW(
        Bidirectional(LSTM(2), {.backward_layer = std::make_shared<LSTM>(
                                    2, LSTMOptions{.return_state = true, .go_backwards = true})}),
        Error);
}

}  // namespace
}  // namespace tfc
