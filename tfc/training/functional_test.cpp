// The functional API (keras/engine/functional.py of Keras 2.15), subclassed models and
// freezing (keras/engine/base_layer.py `trainable`; BatchNormalization in inference mode when
// frozen, keras/layers/normalization/batch_normalization.py).
#include "tfc/training/functional.h"

#include <gtest/gtest.h>

#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/layers/layers.h"
#include "tfc/layers/merge.h"
#include "tfc/ops/ops.h"
#include "tfc/training/sequential.h"

namespace tfc {
namespace {

void expect_close(const Tensor& a, const Tensor& b, double tol = 1e-6) {
    ASSERT_EQ(a.shape(), b.shape());
    const auto x = a.to_doubles(), y = b.to_doubles();
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_NEAR(x[i], y[i], tol) << i;
}

// A separable two-class problem: the label says whether the features sum to more than 0.
std::pair<Tensor, Tensor> toy_data(std::int64_t n, std::int64_t d) {
    std::vector<float> xv(static_cast<std::size_t>(n * d));
    std::vector<std::int32_t> yv(static_cast<std::size_t>(n));
    const Tensor r = random_uniform({n, d}, -1.0, 1.0);
    const auto rv = r.to_doubles();
    for (std::int64_t i = 0; i < n; ++i) {
        double s = 0;
        for (std::int64_t j = 0; j < d; ++j) {
            xv[i * d + j] = static_cast<float>(rv[i * d + j]);
            s += rv[i * d + j];
        }
        yv[i] = s > 0 ? 1 : 0;
    }
    return {Tensor::from_vector(xv, {n, d}), Tensor::from_vector(yv, {n})};
}

TEST(Functional, ChainMatchesItsLayers) {
    set_random_seed(1);
    KerasTensor in = Input({4}, "fin");
    auto hidden = std::make_shared<Dense>(8, DenseOptions{.activation = "relu", .name = "fhidden"});
    auto head = std::make_shared<Dense>(3, DenseOptions{.name = "fhead"});
    KerasTensor out = apply_layer(head, apply_layer(hidden, in));
    EXPECT_EQ(out.shape(), (Shape{-1, 3}));
    Functional model(in, out, "chain");
    ASSERT_EQ(model.layers().size(), 3u);  // Keras lists the InputLayer too
    EXPECT_EQ(model.layers()[0]->class_name(), "InputLayer");
    EXPECT_EQ(model.layers()[1], hidden);
    EXPECT_EQ(model.get_layer("fhead"), head);
    EXPECT_EQ(model.get_layer(2), head);
    EXPECT_THROW(model.get_layer("nope"), Error);
    const Tensor x = random_uniform({5, 4}, -1.0, 1.0);
    expect_close(model.predict(x), (*head)((*hidden)(x)));
    EXPECT_EQ(model.count_params(), 4 * 8 + 8 + 8 * 3 + 3);
    // A chain prints Keras's sequential-like table, with the InputLayer's list-shaped output.
    const std::string s = model.summary_string();
    EXPECT_NE(s.find(" fin (InputLayer)            [(None, 4)]"), std::string::npos) << s;
    EXPECT_EQ(s.find("Connected to"), std::string::npos) << s;
}

TEST(Functional, SubModelAtAnInnerLayerSharesWeights) {
    set_random_seed(2);
    KerasTensor in = Input({6});
    KerasTensor h = apply_layer(Dense(5, {.activation = "tanh", .name = "cut_here"}), in);
    KerasTensor out = apply_layer(Dense(2, {.activation = "softmax"}), h);
    Functional model(in, out);
    Functional features(model.input(), model.layer_output("cut_here"));
    EXPECT_EQ(features.output_shape(), (Shape{-1, 5}));
    const Tensor x = random_uniform({4, 6}, -1.0, 1.0);
    expect_close(features.predict(x), (*model.get_layer("cut_here"))(x));
    // Same layer objects: changing the big model's weights changes the features.
    auto w = model.get_layer("cut_here")->get_weights();
    w[0] = ops::mul(w[0], 2.0);
    model.get_layer("cut_here")->set_weights(w);
    expect_close(features.predict(x), (*model.get_layer("cut_here"))(x));
    EXPECT_EQ(model.layer_input("cut_here").node(), model.input().node());
}

TEST(Functional, MultiInputMultiOutputWithASharedLayer) {
    set_random_seed(3);
    KerasTensor a = Input({3}, "in_a"), b = Input({3}, "in_b");
    auto shared = std::make_shared<Dense>(4, DenseOptions{.name = "shared"});
    KerasTensor ea = apply_layer(shared, a), eb = apply_layer(shared, b);
    EXPECT_EQ(ea.node_index(), 0);
    EXPECT_EQ(eb.node_index(), 1);
    KerasTensor sum = apply_layer(Add({.name = "sum"}), {ea, eb});
    KerasTensor cat = apply_layer(Concatenate({.name = "cat"}), {ea, eb});
    EXPECT_EQ(cat.shape(), (Shape{-1, 8}));
    Functional model({a, b}, {sum, cat}, "two_by_two");
    EXPECT_TRUE(model.input_shape().empty());
    const Tensor xa = random_uniform({7, 3}, -1.0, 1.0);
    const Tensor xb = random_uniform({7, 3}, -1.0, 1.0);
    const auto ys = model.predict_multi({xa, xb}, {.batch_size = 3});
    ASSERT_EQ(ys.size(), 2u);
    expect_close(ys[0], ops::add((*shared)(xa), (*shared)(xb)));
    expect_close(ys[1], ops::concat({(*shared)(xa), (*shared)(xb)}, -1));
    EXPECT_THROW(model.layer_output("shared"), Error);  // two calls: ambiguous
    expect_close(Functional(b, model.layer_output("shared", 1)).predict(xb), (*shared)(xb));
    EXPECT_THROW(Functional(a, model.layer_output("shared", 1)), Error);  // that call used b
    EXPECT_THROW(model.call(xa, false), Error);
    EXPECT_THROW(model.call_multi({xa}, false), Error);
    // Graph table (print_layer_summary_with_connections): 98 columns, "Connected to".
    const std::string s = model.summary_string();
    EXPECT_NE(s.find("Connected to"), std::string::npos) << s;
    EXPECT_NE(s.find("['shared[0][0]',"), std::string::npos) << s;
    EXPECT_NE(s.find("'shared[1][0]']"), std::string::npos) << s;
    EXPECT_NE(s.find(std::string(98, '=')), std::string::npos) << s;
}

TEST(Functional, GraphErrors) {
    KerasTensor a = Input({3}), b = Input({3});
    KerasTensor s = apply_layer(Add(), {a, b});
    EXPECT_THROW(Functional(a, s), Error);  // b is not an input: graph disconnected
    KerasTensor h = apply_layer(Dense(2), a);
    EXPECT_THROW(Functional(h, s), Error);               // inputs must come from Input()
    EXPECT_THROW(apply_layer(Dense(2), {a, b}), Error);  // a plain layer takes one input
    EXPECT_THROW(apply_layer(Add(), {a, apply_layer(Dense(4), b)}), Error);  // incompatible shapes
    try {
        Functional(a, s);
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("graph disconnected"), std::string::npos);
    }
}

TEST(Functional, MasksPropagateThroughTheGraph) {
    KerasTensor in = Input({3, 2});
    KerasTensor m = apply_layer(Masking(0.0), in);
    KerasTensor out = apply_layer(Add(), {m, m});
    Functional model(in, out);
    std::vector<float> v = {1, 1, 0, 0, 2, 2};
    const Tensor y = model.call(Tensor::from_vector(v, {1, 3, 2}), false);
    ASSERT_TRUE(y.keras_mask().defined());
    const auto mask = y.keras_mask().to_doubles();
    EXPECT_EQ(mask, (std::vector<double>{1, 0, 1}));  // the zero time step is masked
}

// Keras's seq2seq pattern: an encoder LSTM with return_state=True whose [h, c] start a decoder
// LSTM. The graph must compute what the layers compute when called directly, every output of a
// call is its own KerasTensor, and the model trains through the states.
TEST(Functional, ReturnStateOutputsFeedOtherLayers) {
    set_random_seed(11);
    KerasTensor enc_in = Input({5, 3}), dec_in = Input({4, 2});
    auto encoder = std::make_shared<LSTM>(6, LSTMOptions{.return_state = true});
    auto decoder = std::make_shared<LSTM>(6, LSTMOptions{.return_sequences = true});
    auto gru = std::make_shared<GRU>(3, GRUOptions{.return_state = true});
    auto head = std::make_shared<Dense>(2);
    const std::vector<KerasTensor> enc =
        apply_layer_multi(encoder, std::vector<KerasTensor>{enc_in});
    ASSERT_EQ(enc.size(), 3u);
    EXPECT_EQ(enc[0].shape(), (Shape{-1, 6}));
    EXPECT_EQ(enc[2].shape(), (Shape{-1, 6}));
    EXPECT_EQ(enc[2].tensor_index(), 2);
    EXPECT_EQ(enc[1].node(), enc[2].node());
    const KerasTensor dec = apply_layer(decoder, {dec_in, enc[1], enc[2]});
    const std::vector<KerasTensor> g = apply_layer_multi(gru, std::vector<KerasTensor>{dec});
    ASSERT_EQ(g.size(), 2u);
    const KerasTensor out = apply_layer(head, g[1]);
    Functional model({enc_in, dec_in}, {out, enc[1]});

    const Tensor xe = random_uniform({7, 5, 3}, -1.0, 1.0),
                 xd = random_uniform({7, 4, 2}, -1.0, 1.0);
    const std::vector<Tensor> ys = model.predict_multi({xe, xd});
    ASSERT_EQ(ys.size(), 2u);
    const std::vector<Tensor> e = encoder->call_with_state(xe);
    const Tensor d = decoder->call_with_state(xd, {e[1], e[2]})[0];
    const Tensor want = (*head)(gru->call_with_state(d)[1], false);
    expect_close(ys[0], want);
    expect_close(ys[1], e[1]);

    // The outputs of a call are found again by layer name, e.g. for a sub-model of the states.
    const std::vector<KerasTensor> found = model.layer_outputs(encoder->name());
    ASSERT_EQ(found.size(), 3u);
    EXPECT_EQ(found[2].node(), enc[2].node());
    EXPECT_EQ(found[2].tensor_index(), 2);
    EXPECT_EQ(model.layer_output(encoder->name()).tensor_index(), 0);
    Functional states(enc_in, found[2]);
    expect_close(states.predict(xe), e[2]);

    // A layer with several outputs is refused by apply_layer, with the way out in the message.
    const auto twice = std::make_shared<LSTM>(4, LSTMOptions{.return_state = true});
    try {
        apply_layer(twice, enc_in);
        ADD_FAILURE() << "no error";
    } catch (const Error& err) {
        EXPECT_NE(std::string(err.what()).find("apply_layer_multi"), std::string::npos)
            << err.what();
    }
    // The refused call left no node behind: the next call is the layer's first.
    EXPECT_EQ(apply_layer_multi(twice, std::vector<KerasTensor>{enc_in})[0].node_index(), 0);

    // A Sequential model takes single-output layers only (Keras's rule).
    try {
        Sequential seq({Input({5, 3}), LSTM(4, {.return_state = true})});
        ADD_FAILURE() << "no error";
    } catch (const Error& err) {
        EXPECT_NE(std::string(err.what()).find("several outputs"), std::string::npos) << err.what();
    }

    // The summary lists every output shape (a list Keras wraps over lines) and which output
    // each call reads.
    const std::string text = model.summary_string();
    EXPECT_NE(text.find("[(None, 6),"), std::string::npos) << text;
    EXPECT_NE(text.find("[(None, 3),"), std::string::npos) << text;
    EXPECT_NE(text.find(encoder->name() + "[0][2]"), std::string::npos) << text;

    // Training reaches the encoder only through the states.
    Functional trainable(std::vector<KerasTensor>{enc_in, dec_in}, std::vector<KerasTensor>{out});
    trainable.compile("adam", "mse");
    const Tensor y = random_uniform({7, 2}, -1.0, 1.0);
    const Tensor before = encoder->kernel().clone();
    History h = trainable.fit({xe, xd}, y, {.batch_size = 7, .epochs = 150, .verbose = 0});
    EXPECT_LT(h.history["loss"].back(), 0.5 * h.history["loss"].front());
    EXPECT_GT(ops::max(ops::abs(ops::sub(encoder->kernel(), before))).item(), 0.0);
}

TEST(Functional, FitsThroughTheModelApi) {
    set_random_seed(4);
    auto [x, y] = toy_data(256, 4);
    KerasTensor in = Input({4});
    KerasTensor h1 = apply_layer(Dense(16, {.activation = "relu"}), in);
    KerasTensor h2 = apply_layer(Dense(16, {.activation = "relu"}), in);
    KerasTensor out =
        apply_layer(Dense(2, {.activation = "softmax"}), apply_layer(Concatenate(), {h1, h2}));
    Functional model(in, out);
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    History h = model.fit(x, y, {.batch_size = 32, .epochs = 15, .verbose = 0});
    EXPECT_LT(h.history["loss"].back(), h.history["loss"].front());
    EXPECT_GT(model.evaluate(x, y, {.verbose = 0})[1], 0.9);
}

TEST(Freezing, ModelAndLayerFlags) {
    set_random_seed(5);
    KerasTensor in = Input({4});
    auto bn = std::make_shared<BatchNormalization>();
    auto d1 = std::make_shared<Dense>(8);
    KerasTensor out =
        apply_layer(Dense(2, {.activation = "softmax"}), apply_layer(bn, apply_layer(d1, in)));
    Functional model(in, out);
    const std::size_t all = model.trainable_weights().size();
    d1->set_trainable(false);
    bn->set_trainable(false);
    EXPECT_EQ(model.trainable_weights().size(), all - 4);
    const std::string s = model.summary_string();
    // d1: 4*8+8 weights, bn: 4*8 (gamma, beta trainable when unfrozen, moving stats never).
    EXPECT_NE(s.find("Non-trainable params: " + std::to_string(4 * 8 + 8 + 4 * 8)),
              std::string::npos)
        << s;

    auto [x, y] = toy_data(64, 4);
    const Tensor mm = bn->moving_mean().clone();
    const Tensor k1 = d1->get_weights()[0];
    model.compile("adam", "sparse_categorical_crossentropy");
    model.fit(x, y, {.batch_size = 16, .epochs = 2, .verbose = 0});
    // A frozen BatchNormalization runs in inference mode: its moving stats do not move.
    expect_close(bn->moving_mean(), mm, 0.0);
    expect_close(d1->get_weights()[0], k1, 0.0);

    model.set_trainable(false);
    EXPECT_TRUE(model.trainable_weights().empty());
    model.set_trainable(true);
    EXPECT_EQ(model.trainable_weights().size(), all);
}

// A subclassed model: layers are members registered with track(); only call() is written.
class TwoLayerNet : public Model {
public:
    TwoLayerNet() : Model("two_layer_net") {}
    Tensor call(const Tensor& x, bool training) override {
        return (*out_)((*dropout_)((*hidden_)(x), training));
    }

private:
    std::shared_ptr<Dense> hidden_ =
        track(std::make_shared<Dense>(16, DenseOptions{.activation = "relu"}));
    std::shared_ptr<Dropout> dropout_ = track(std::make_shared<Dropout>(0.1));
    std::shared_ptr<Dense> out_ =
        track(std::make_shared<Dense>(2, DenseOptions{.activation = "softmax"}));
};

TEST(Subclassed, TrainsWithFit) {
    set_random_seed(6);
    auto [x, y] = toy_data(256, 4);
    TwoLayerNet model;
    EXPECT_FALSE(model.built());
    EXPECT_THROW(model.summary_string(), Error);
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    History h = model.fit(x, y, {.batch_size = 32, .epochs = 15, .verbose = 0});
    EXPECT_TRUE(model.built());
    EXPECT_EQ(model.input_shape(), (Shape{-1, 4}));
    EXPECT_EQ(model.output_shape(), (Shape{-1, 2}));
    EXPECT_EQ(model.layers().size(), 3u);
    EXPECT_EQ(model.count_params(), 4 * 16 + 16 + 16 * 2 + 2);
    EXPECT_LT(h.history["loss"].back(), h.history["loss"].front());
    EXPECT_GT(model.evaluate(x, y, {.verbose = 0})[1], 0.9);
    EXPECT_NE(model.summary_string().find("(None, 16)"), std::string::npos);
}

}  // namespace
}  // namespace tfc
