// Embedding, SimpleRNN, LSTM, GRU, Masking, Bidirectional, TimeDistributed: Keras defaults,
// weight layouts and parameter counts, masks in and out, return_state, dropout, float64
// finite-difference gradients (masks included) and input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/layers/bidirectional.h"
#include "tfc/layers/dense.h"
#include "tfc/layers/embedding.h"
#include "tfc/layers/gru.h"
#include "tfc/layers/lstm.h"
#include "tfc/layers/masking.h"
#include "tfc/layers/simple_rnn.h"
#include "tfc/layers/time_distributed.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

// Recurrent weights in [-0.6, 0.6): larger ones saturate the gates.
std::vector<Tensor> use_f64_weights(Layer& layer, std::uint64_t seed, double lim = 0.6) {
    return testing::use_f64_weights(layer, seed, lim);
}

Tensor ids_with_padding() {  // [2, 5], zeros at the start, middle and end
    return Tensor::from_vector(std::vector<std::int32_t>{3, 1, 0, 5, 0, 0, 2, 4, 1, 3}, {2, 5});
}

TEST(Embedding, DefaultsMaskAndErrors) {
    set_random_seed(3);
    Embedding e(6, 4, {.mask_zero = true});
    EXPECT_EQ(e.class_name(), "Embedding");
    const Tensor y = e(ids_with_padding());
    EXPECT_EQ(y.shape(), (Shape{2, 5, 4}));
    EXPECT_EQ(e.count_params(), 24);
    for (double v : e.embeddings().to_doubles()) EXPECT_LE(std::fabs(v), 0.05);
    const Tensor m = y.keras_mask();
    ASSERT_TRUE(m.defined());
    EXPECT_EQ(m.to_doubles(), (std::vector<double>{1, 1, 0, 1, 0, 0, 1, 1, 1, 1}));
    Embedding plain(6, 4);
    EXPECT_FALSE(plain(ids_with_padding()).keras_mask().defined());
    try {
        e(Tensor::from_vector(std::vector<std::int32_t>{1, 6}, {1, 2}));
        FAIL() << "expected tfc::Error";
    } catch (const Error& err) {
        const std::string msg = err.what();
        EXPECT_NE(msg.find("index 6"), std::string::npos) << msg;
        EXPECT_NE(msg.find("input_dim 6"), std::string::npos) << msg;
    }
    EXPECT_THROW(Embedding(0, 3), Error);
    Embedding fixed(6, 2, {.input_length = 5});
    EXPECT_EQ(fixed.compute_output_shape({-1, -1}), (Shape{-1, 5, 2}));
    EXPECT_THROW(fixed(Tensor::zeros({1, 4}, DType::int32)), Error);
}

TEST(Recurrent, KerasWeightsDefaultsAndParamCounts) {
    set_random_seed(5);
    LSTM l(3);
    l.build({-1, 7, 2});
    auto ws = l.weights();
    ASSERT_EQ(ws.size(), 3u);
    EXPECT_EQ(ws[0]->name, "kernel");
    EXPECT_EQ(ws[0]->value.shape(), (Shape{2, 12}));
    EXPECT_EQ(ws[1]->value.shape(), (Shape{3, 12}));
    EXPECT_EQ(ws[2]->value.shape(), (Shape{12}));
    EXPECT_EQ(l.count_params(), 4 * (3 * (2 + 3) + 3));
    // unit_forget_bias: [0, 1, 0, 0] blocks.
    const auto b = l.bias().to_doubles();
    for (int j = 0; j < 12; ++j) EXPECT_EQ(b[j], (j >= 3 && j < 6) ? 1.0 : 0.0);
    // Orthogonal over the whole [u, 4u] matrix: rows are orthonormal.
    const auto r = l.recurrent_kernel().to_doubles();
    for (int i = 0; i < 3; ++i) {
        for (int k = 0; k < 3; ++k) {
            double dot = 0;
            for (int j = 0; j < 12; ++j) dot += r[i * 12 + j] * r[k * 12 + j];
            EXPECT_NEAR(dot, i == k ? 1.0 : 0.0, 1e-5);
        }
    }
    GRU g(4);
    g.build({-1, 5, 3});
    EXPECT_EQ(g.bias().shape(), (Shape{2, 12}));
    EXPECT_EQ(g.count_params(), 3 * (4 * (3 + 4) + 2 * 4));
    GRU g2(4, {.reset_after = false});
    g2.build({-1, 5, 3});
    EXPECT_EQ(g2.bias().shape(), (Shape{12}));
    SimpleRNN s(4, {.use_bias = false});
    s.build({-1, 5, 3});
    EXPECT_EQ(s.count_params(), 4 * (3 + 4));
    EXPECT_EQ(s.class_name(), "SimpleRNN");
    EXPECT_EQ(l.compute_output_shape({-1, 7, 2}), (Shape{-1, 3}));
    LSTM seq(3, {.return_sequences = true});
    EXPECT_EQ(seq.compute_output_shape({-1, 7, 2}), (Shape{-1, 7, 3}));
    EXPECT_EQ(LSTM(2).name().rfind("lstm", 0), 0u);
    EXPECT_EQ(SimpleRNN(2).name().rfind("simple_rnn", 0), 0u);
}

TEST(Recurrent, ReturnStateAndMasksInAndOut) {
    set_random_seed(7);
    Embedding e(6, 3, {.mask_zero = true});
    LSTM l(4, {.return_sequences = true, .return_state = true});
    const Tensor emb = e(ids_with_padding());
    const std::vector<Tensor> outs = l.call_with_state(emb);
    ASSERT_EQ(outs.size(), 3u);
    EXPECT_EQ(outs[0].shape(), (Shape{2, 5, 4}));
    EXPECT_EQ(outs[1].shape(), (Shape{2, 4}));
    ASSERT_TRUE(outs[0].keras_mask().defined());  // return_sequences passes the mask on
    // Final h = last output of a used step; sample 0 ends masked so it repeats step 3.
    const auto seq = outs[0].to_doubles(), h = outs[1].to_doubles();
    for (int j = 0; j < 4; ++j) EXPECT_EQ(h[j], seq[3 * 4 + j]);
    LSTM last(4);
    const Tensor y = last(emb);
    EXPECT_FALSE(y.keras_mask().defined());
    // A mask that does not fit.
    Tensor bad = ops::reshape(emb, emb.shape());
    bad.set_keras_mask(Tensor::ones({2, 4}, DType::bool_));
    EXPECT_THROW(last(bad), Error);
    // Initial state changes the result.
    const Tensor h0 = Tensor::ones({2, 4});
    const auto with = last.call_with_state(emb, {h0, h0});
    EXPECT_NE(with[0].to_doubles(), y.to_doubles());
    EXPECT_THROW(last.call_with_state(emb, {h0}), Error);
}

TEST(Recurrent, ErrorsOn2DInputAndBadOptions) {
    LSTM l(4);
    try {
        l(Tensor::zeros({2, 3}));
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("RNN on 2-D input"), std::string::npos) << e.what();
    }
    EXPECT_THROW(LSTM(0), Error);
    EXPECT_THROW(GRU(3, {.dropout = 1.0}), Error);
    EXPECT_THROW(SimpleRNN(3, {.activation = "gelu"}), Error);
    LSTM built(2);
    built(Tensor::zeros({1, 3, 4}));
    EXPECT_THROW(built(Tensor::zeros({1, 3, 5})), Error);
    // A Bidirectional with states returns several tensors: a single-output call is refused
    // rather than its states dropped.
    try {
        Bidirectional bi(LSTM(3, {.return_state = true}));
        bi(Tensor::zeros({1, 3, 4}));
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("several outputs"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("call_list"), std::string::npos) << e.what();
    }
}

TEST(Recurrent, DropoutOnlyWhenTraining) {
    set_random_seed(11);
    GRU g(4, {.dropout = 0.5, .recurrent_dropout = 0.5});
    const Tensor x = testing::random_f64({3, 6, 2}, -1, 1, 1).astype(DType::float32);
    const auto a = g(x, false).to_doubles(), b = g(x, false).to_doubles();
    EXPECT_EQ(a, b);
    EXPECT_NE(g(x, true).to_doubles(), a);
}

TEST(Recurrent, GradientChecksWithMasks) {
    const Tensor ids = ids_with_padding();
    int seed = 100;
    auto check = [&](Layer& rnn) {
        Embedding e(6, 3, {.mask_zero = true});
        e.build({-1, 5});
        rnn.ensure_built({-1, 5, 3});
        std::vector<Tensor> in = use_f64_weights(e, seed += 10, 1.0);
        for (auto& w : use_f64_weights(rnn, seed += 10)) in.push_back(w);
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>&) { return rnn(e(ids)); }, in));
        // Unmasked float input, gradient w.r.t. the input too.
        const Tensor x = testing::random_f64({2, 5, 3}, -1, 1, seed);
        std::vector<Tensor> in2{x};
        for (Weight* w : rnn.weights()) in2.push_back(w->value);
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>& v) { return rnn(v[0]); }, in2));
    };
    SimpleRNN s(3, {.return_sequences = true});
    check(s);
    LSTM l(3, {.go_backwards = true});
    check(l);
    GRU g(3, {.return_sequences = true});
    check(g);
    GRU g2(3, {.reset_after = false});
    check(g2);
}

TEST(Bidirectional, NamesWeightsShapesAndGradients) {
    set_random_seed(13);
    Bidirectional bi(LSTM(3, {.return_sequences = true, .name = "enc"}));
    EXPECT_EQ(bi.forward_layer()->name(), "forward_enc");
    EXPECT_EQ(bi.backward_layer()->name(), "backward_enc");
    EXPECT_TRUE(bi.backward_layer()->config().go_backwards);
    EXPECT_TRUE(bi.forward_layer()->config().zero_output_for_mask);
    bi.build({-1, 5, 3});
    EXPECT_EQ(bi.count_params(), 2 * 4 * (3 * (3 + 3) + 3));
    ASSERT_EQ(bi.weights().size(), 6u);
    EXPECT_EQ(bi.weights()[0]->name, "forward_enc/kernel");
    EXPECT_EQ(bi.weights()[3]->name, "backward_enc/kernel");
    EXPECT_EQ(bi.compute_output_shape({-1, 5, 3}), (Shape{-1, 5, 6}));
    EXPECT_THROW(Bidirectional(Dense(3)), Error);
    EXPECT_THROW(Bidirectional(LSTM(3), {.merge_mode = "max"}), Error);

    Embedding e(6, 3, {.mask_zero = true});
    e.build({-1, 5});
    std::vector<Tensor> in = use_f64_weights(e, 1, 1.0);
    for (auto& w : use_f64_weights(*bi.forward_layer(), 10)) in.push_back(w);
    for (auto& w : use_f64_weights(*bi.backward_layer(), 20)) in.push_back(w);
    const Tensor ids = ids_with_padding();
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>&) { return bi(e(ids)); }, in));
    const Tensor y = bi(e(ids));
    ASSERT_TRUE(y.keras_mask().defined());
    // zero_output_for_mask: masked steps are 0 in both halves.
    const auto v = y.to_doubles();
    for (int j = 0; j < 6; ++j) EXPECT_EQ(v[(0 * 5 + 2) * 6 + j], 0.0);
}

TEST(Masking, MasksAllEqualStepsAndFeedsRnn) {
    std::vector<double> xv(2 * 4 * 2);
    for (std::size_t i = 0; i < xv.size(); ++i) xv[i] = 0.25 * static_cast<double>(i % 7) - 0.5;
    xv[2] = xv[3] = 0.0;    // sample 0, step 1 masked
    xv[14] = xv[15] = 0.0;  // sample 1, step 3 masked
    const Tensor x = Tensor::from_doubles(xv, {2, 4, 2}, DType::float64);
    Masking m;
    const Tensor y = m(x);
    EXPECT_EQ(y.keras_mask().to_doubles(), (std::vector<double>{1, 0, 1, 1, 1, 1, 1, 0}));
    EXPECT_EQ(Masking(-1.0).mask_value(), -1.0);
    SimpleRNN r(3);
    r.build({-1, 4, 2});
    // Weights only: nudging a masked (all mask_value) step would unmask it.
    const std::vector<Tensor> in = use_f64_weights(r, 40);
    EXPECT_TRUE(testing::check_gradients([&](const std::vector<Tensor>&) { return r(m(x)); }, in));
}

TEST(TimeDistributed, AppliesPerTimestep) {
    set_random_seed(17);
    TimeDistributed td(Dense(2));
    const Tensor x = testing::random_f64({3, 4, 5}, -1, 1, 2);
    td.build({-1, 4, 5});
    EXPECT_EQ(td.count_params(), 12);
    EXPECT_EQ(td.compute_output_shape({-1, 4, 5}), (Shape{-1, 4, 2}));
    std::vector<Tensor> in{x};
    for (auto& w : use_f64_weights(*td.layer(), 50)) in.push_back(w);
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>& v) { return td(v[0]); }, in));
    // Equals the inner layer applied to one timestep.
    const Tensor y = td(x);
    const Tensor y1 = (*td.layer())(ops::reshape(ops::slice(x, {0, 2, 0}, {3, 1, 5}), {3, 5}));
    const auto a = y.to_doubles(), b = y1.to_doubles();
    for (int s = 0; s < 3; ++s) {
        for (int j = 0; j < 2; ++j) EXPECT_NEAR(a[(s * 4 + 2) * 2 + j], b[s * 2 + j], 1e-12);
    }
    EXPECT_THROW(td(Tensor::zeros({3, 5})), Error);
}

}  // namespace
}  // namespace tfc
