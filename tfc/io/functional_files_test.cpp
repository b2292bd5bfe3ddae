// Functional models in Keras files: configs round trip exactly, predictions round trip bitwise
// through .h5 and .keras, several inputs train with fit({a, b}, y), and the two branched real
// files (wide & deep, seq2seq with masks and initial states) load and match the oracle.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tfc/core/random.h"
#include "tfc/io/io_test_util.h"
#include "tfc/io/model_config.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"
#include "tfc/training/functional.h"
#include "tfc/training/model_layer.h"

namespace tfc {
namespace {

using io_test::error_of;
using io_test::models_dir;
using io_test::scratch;

Tensor ramp(const Shape& shape, int salt) {
    std::vector<float> v(static_cast<std::size_t>(num_elements(shape)));
    for (std::size_t i = 0; i < v.size(); ++i) {
        v[i] = static_cast<float>(((i * 37 + static_cast<std::size_t>(salt) * 11) % 101) / 101.0 -
                                  0.5);
    }
    return Tensor::from_vector(v, shape);
}

// Integer ids in [1, vocab) with `lead` leading and `trail` trailing zeros per row.
Tensor ids(std::int64_t batch, std::int64_t steps, std::int64_t vocab, int salt) {
    std::vector<float> v(static_cast<std::size_t>(batch * steps));
    for (std::int64_t b = 0; b < batch; ++b) {
        for (std::int64_t t = 0; t < steps; ++t) {
            const bool pad = t < b || t >= steps - (b % 2) * 2;
            v[static_cast<std::size_t>(b * steps + t)] =
                pad ? 0.0f : static_cast<float>(1 + (b * 131 + t * 17 + salt) % (vocab - 1));
        }
    }
    return Tensor::from_vector(v, {batch, steps});
}

void expect_bitwise_equal(const Tensor& a, const Tensor& b) {
    ASSERT_EQ(a.shape(), b.shape());
    EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0);
}

// Weights-only files of both layouts load into a fresh copy of the architecture and predict the
// same bits.
void expect_weights_files_round_trip(Model& m, const std::string& dir,
                                     const std::vector<Tensor>& xs) {
    for (const char* name : {"w.h5", "w.weights.h5"}) {
        auto fresh = model_from_json(model_to_json(m));
        save_weights(m, dir + "/" + name);
        load_weights(*fresh, dir + "/" + name);
        expect_bitwise_equal(fresh->predict(xs), m.predict(xs));
    }
}

// Two inputs, a shared Dense called twice, Add and Concatenate merges.
std::shared_ptr<Functional> wide_and_deep() {
    KerasTensor wide = Input({5}, "wide_input");
    KerasTensor deep = Input({6}, "deep_input");
    auto shared = std::make_shared<Dense>(6, DenseOptions{.activation = "tanh", .name = "shared"});
    KerasTensor h1 = apply_layer(shared, deep);
    KerasTensor h2 = apply_layer(shared, h1);  // the same layer on its own output
    KerasTensor sum = apply_layer(Add({.name = "add"}), std::vector<KerasTensor>{h1, h2});
    KerasTensor cat =
        apply_layer(Concatenate({.name = "concat"}), std::vector<KerasTensor>{wide, sum});
    KerasTensor out = apply_layer(Dense(1, {.name = "output"}), cat);
    return std::make_shared<Functional>(std::vector<KerasTensor>{wide, deep},
                                        std::vector<KerasTensor>{out}, "wide_deep");
}

// An encoder LSTM's last output is the decoder LSTM's initial state [h, c]; masks from
// Embedding(mask_zero) run through both, as in Keras's seq2seq tutorials.
std::shared_ptr<Functional> seq2seq() {
    KerasTensor enc_in = Input({7}, "enc_in");
    KerasTensor dec_in = Input({5}, "dec_in");
    KerasTensor e = apply_layer(Embedding(11, 4, {.mask_zero = true, .name = "enc_emb"}), enc_in);
    KerasTensor d = apply_layer(Embedding(13, 4, {.mask_zero = true, .name = "dec_emb"}), dec_in);
    KerasTensor h = apply_layer(LSTM(6, {.name = "encoder"}), e);
    KerasTensor seq = apply_layer(LSTM(6, {.return_sequences = true, .name = "decoder"}),
                                  std::vector<KerasTensor>{d, h, h});
    KerasTensor out =
        apply_layer(TimeDistributed(Dense(13, {.activation = "softmax"}), {.name = "td"}), seq);
    return std::make_shared<Functional>(std::vector<KerasTensor>{enc_in, dec_in},
                                        std::vector<KerasTensor>{out}, "s2s");
}

TEST(FunctionalFiles, ConfigRoundTripIsExact) {
    for (auto model : {std::static_pointer_cast<Model>(wide_and_deep()),
                       std::static_pointer_cast<Model>(seq2seq())}) {
        const std::string json = model_to_json(*model);
        auto back = model_from_json(json);
        ASSERT_NE(std::dynamic_pointer_cast<Functional>(back), nullptr);
        EXPECT_EQ(model_to_json(*back), json);
        EXPECT_EQ(back->summary_string(), model->summary_string());
    }
}

TEST(FunctionalFiles, SavedFilesGiveBitwiseIdenticalPredictions) {
    set_random_seed(3);
    auto wd = wide_and_deep();
    const std::vector<Tensor> xw{ramp({4, 5}, 1), ramp({4, 6}, 2)};
    auto s2s = seq2seq();
    const std::vector<Tensor> xs{ids(4, 7, 11, 3), ids(4, 5, 13, 4)};
    const std::string dir = scratch("functional_files");
    for (const char* ext : {".h5", ".keras"}) {
        for (auto& [model, x] :
             {std::pair<std::shared_ptr<Functional>, std::vector<Tensor>>{wd, xw}, {s2s, xs}}) {
            const std::string path = dir + "/" + model->name() + ext;
            save_model(*model, path);
            auto back = load_model(path);
            auto fn = std::dynamic_pointer_cast<Functional>(back);
            ASSERT_NE(fn, nullptr) << path;
            EXPECT_EQ(fn->inputs().size(), 2u);
            expect_bitwise_equal(back->predict(x), model->predict(x));
            EXPECT_EQ(inspect_model_file(path).model_class, "Functional");
        }
    }
    // Weights-only files of both layouts load into a fresh copy of the architecture.
    expect_weights_files_round_trip(*s2s, dir, xs);
}

// Saves a model with several outputs as .h5 and as .keras in `dir`; each file loads back as a
// Functional model that predicts every output bit for bit and prints the same summary.
void expect_outputs_survive_saving(Functional& model, const std::vector<Tensor>& xs,
                                   const std::string& dir) {
    const std::vector<Tensor> want = model.predict_multi(xs);
    for (const char* ext : {".h5", ".keras"}) {
        SCOPED_TRACE(ext);
        const std::string path = dir + "/model" + ext;
        save_model(model, path);
        auto back = std::dynamic_pointer_cast<Functional>(load_model(path));
        ASSERT_NE(back, nullptr);
        const std::vector<Tensor> got = back->predict_multi(xs);
        ASSERT_EQ(got.size(), want.size());
        for (std::size_t k = 0; k < got.size(); ++k) expect_bitwise_equal(got[k], want[k]);
        EXPECT_EQ(back->summary_string(), model.summary_string());
    }
}

// Layers with several outputs: the encoder's return_state [h, c] start the decoder, a GRU's
// final state feeds a Dense layer, and the model's second output is a state.
std::shared_ptr<Functional> seq2seq_states() {
    KerasTensor enc_in = Input({6, 3}, "enc_in");
    KerasTensor dec_in = Input({4, 2}, "dec_in");
    const std::vector<KerasTensor> enc =
        apply_layer_multi(LSTM(5, {.return_state = true, .name = "encoder"}), enc_in);
    KerasTensor seq = apply_layer(LSTM(5, {.return_sequences = true, .name = "decoder"}),
                                  std::vector<KerasTensor>{dec_in, enc[1], enc[2]});
    const std::vector<KerasTensor> g =
        apply_layer_multi(GRU(3, {.return_state = true, .name = "summary"}), seq);
    KerasTensor out = apply_layer(Dense(2, {.name = "head"}), g[1]);
    return std::make_shared<Functional>(std::vector<KerasTensor>{enc_in, dec_in},
                                        std::vector<KerasTensor>{out, enc[2]}, "s2s_states");
}

TEST(FunctionalFiles, ReturnStateGraphsRoundTrip) {
    set_random_seed(5);
    auto model = seq2seq_states();
    const std::vector<Tensor> xs{ramp({3, 6, 3}, 5), ramp({3, 4, 2}, 6)};
    // Keras 2 JSON names the outputs by tensor index, and reads back to the same text.
    const std::string json = model_to_json(*model);
    EXPECT_NE(json.find(R"(["encoder",0,2,{}])"), std::string::npos) << json;
    EXPECT_NE(json.find(R"(["summary",0,1,{}])"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("output_layers":[["head",0,0],["encoder",0,2]])"), std::string::npos)
        << json;
    EXPECT_EQ(model_to_json(*model_from_json(json)), json);
    expect_outputs_survive_saving(*model, xs, scratch("functional_states"));
}

// Bidirectional with merge_mode None and return_state, and one started from initial states.
TEST(FunctionalFiles, BidirectionalStatesRoundTrip) {
    set_random_seed(6);
    KerasTensor x = Input({5, 3}, "seq");
    const std::vector<KerasTensor> a = apply_layer_multi(
        Bidirectional(LSTM(4, {.return_sequences = true, .return_state = true}),
                      {.merge_mode = std::nullopt, .name = "bi_lstm"}),
        x);
    KerasTensor both = apply_layer(Concatenate(), {a[0], a[1]});
    KerasTensor y = apply_layer(Bidirectional(GRU(4), {.merge_mode = "mul", .name = "bi_gru"}),
                                {both, a[2], a[4]});
    auto model = std::make_shared<Functional>(std::vector<KerasTensor>{x},
                                              std::vector<KerasTensor>{y, a[5]}, "bi_states");
    const std::vector<Tensor> xs{ramp({3, 5, 3}, 9)};
    const std::string json = model_to_json(*model);
    EXPECT_NE(json.find(R"("merge_mode":null)"), std::string::npos) << json;
    EXPECT_NE(json.find(R"([["concatenate",0,0,{}],["bi_lstm",0,2,{}],["bi_lstm",0,4,{}]])"),
              std::string::npos)
        << json;
    EXPECT_EQ(model_to_json(*model_from_json(json)), json);
    expect_outputs_survive_saving(*model, xs, scratch("functional_bidirectional_states"));
}

// A model compiled with one loss per output keeps its losses, weights and metrics in both
// formats' training config (Keras 2's list forms), and evaluates the same after loading.
TEST(FunctionalFiles, SeveralOutputsCompileConfigRoundTrips) {
    set_random_seed(8);
    auto model = seq2seq_states();
    model->compile("adam", CompileOptions{.loss = {"mse", "mae"},
                                          .loss_weights = {0.5, 2.0},
                                          .metrics = {{"mae"}, {}}});
    const std::vector<Tensor> xs{ramp({4, 6, 3}, 3), ramp({4, 4, 2}, 4)};
    const std::vector<Tensor> ys{ramp({4, 2}, 5), ramp({4, 5}, 6)};
    model->fit(xs, ys, {.batch_size = 2, .epochs = 1, .verbose = 0});
    const std::vector<double> want = model->evaluate(xs, ys, {.verbose = 0});
    ASSERT_EQ(want.size(), 4u);  // loss, head_loss, encoder_loss, head_mae
    const std::string dir = scratch("functional_multi_loss");
    for (const char* ext : {".h5", ".keras"}) {
        SCOPED_TRACE(ext);
        const std::string path = dir + "/m" + ext;
        save_model(*model, path);
        auto back = load_model(path);
        ASSERT_TRUE(back->compiled());
        ASSERT_EQ(back->losses().size(), 2u);
        EXPECT_EQ(back->losses()[1]->name(), "mean_absolute_error");
        EXPECT_EQ(back->loss_weights(), (std::vector<double>{0.5, 2.0}));
        const std::vector<double> got = back->evaluate(xs, ys, {.verbose = 0});
        EXPECT_EQ(back->metrics_names(), model->metrics_names());
        ASSERT_EQ(got.size(), want.size());
        for (std::size_t i = 0; i < got.size(); ++i) EXPECT_DOUBLE_EQ(got[i], want[i]) << i;
    }
}

// Keras also writes per-output compile arguments as dicts keyed by output name.
TEST(FunctionalFiles, SeveralOutputsCompileConfigAsDicts) {
    auto model = seq2seq_states();  // outputs "head" and "encoder"
    io::compile_from_config(*model, R"({"optimizer_config": {"class_name": "SGD", "config":
        {"learning_rate": 0.01}}, "loss": {"encoder": "mae", "head": "mse"},
        "loss_weights": {"head": 3.0, "encoder": 0.5},
        "metrics": {"head": ["mae"], "encoder": []}})", false);
    ASSERT_EQ(model->losses().size(), 2u);
    EXPECT_EQ(model->losses()[0]->name(), "mean_squared_error");
    EXPECT_EQ(model->losses()[1]->name(), "mean_absolute_error");
    EXPECT_EQ(model->loss_weights(), (std::vector<double>{3.0, 0.5}));
    ASSERT_EQ(model->compiled_metrics().size(), 2u);
    EXPECT_EQ(model->compiled_metrics()[0].size(), 1u);
    EXPECT_TRUE(model->compiled_metrics()[1].empty());
    for (const char* bad : {R"({"loss": {"decoder": "mse", "head": "mse"}})",
                            R"({"loss": ["mse"]})", R"({"loss": "mse"})"}) {
        SCOPED_TRACE(bad);
        EXPECT_NE(error_of([&] { io::compile_from_config(*model, bad, false); })
                      .find("compile = false"),
                  std::string::npos);
    }
}

TEST(FunctionalFiles, SeveralInputsTrainWithFit) {
    set_random_seed(5);
    auto m = wide_and_deep();
    m->compile("adam", "mse");
    const std::int64_t n = 256;
    Tensor wide = ramp({n, 5}, 7), deep = ramp({n, 6}, 8);
    // A target both inputs contribute to.
    std::vector<float> y(static_cast<std::size_t>(n));
    for (std::int64_t i = 0; i < n; ++i) {
        y[static_cast<std::size_t>(i)] = wide.at(i * 5) - 2.0f * deep.at(i * 6 + 1);
    }
    const Tensor target = Tensor::from_vector(y, {n, 1});
    const double before = m->evaluate({wide, deep}, target, {.verbose = 0})[0];
    History h = m->fit({wide, deep}, target,
                       {.batch_size = 16, .epochs = 30, .verbose = 0, .validation_split = 0.25});
    const double after = m->evaluate({wide, deep}, target, {.verbose = 0})[0];
    EXPECT_LT(after, 0.2 * before);
    EXPECT_EQ(h.history["val_loss"].size(), 30u);
    EXPECT_EQ(m->predict({wide, deep}).shape(), (Shape{n, 1}));
    // One array short: the error names the count.
    EXPECT_NE(error_of([&] {
                  m->fit({wide}, target, {.verbose = 0});
              }).find("wrong number of input arrays"),
              std::string::npos);
    // Inputs that disagree on the sample count.
    EXPECT_NE(error_of([&] {
                  m->predict({wide, ramp({n - 1, 6}, 1)});
              }).find("different numbers of samples"),
              std::string::npos);
}

TEST(FunctionalFiles, MalformedGraphsAreRefused) {
    const std::string base = R"({"class_name": "Functional", "config": {"name": "f", "layers": [
        {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 3], "name": "in"},
         "name": "in", "inbound_nodes": []},
        {"class_name": "Dense", "config": {"name": "d", "units": 2}, "name": "d",
         "inbound_nodes": [[["INBOUND", 0, TENSOR, {}]]]}],
        "input_layers": [["in", 0, 0]], "output_layers": [["d", 0, 0]]}})";
    auto with = [&](const std::string& inbound, const std::string& tensor) {
        std::string s = base;
        s.replace(s.find("INBOUND"), 7, inbound);
        s.replace(s.find("TENSOR"), 6, tensor);
        return s;
    };
    EXPECT_EQ(error_of([&] { model_from_json(with("in", "0")); }), "");
    EXPECT_NE(
        error_of([&] { model_from_json(with("nowhere", "0")); }).find("unknown layer's output"),
        std::string::npos);
    EXPECT_NE(error_of([&] { model_from_json(with("in", "1")); }).find("does not have"),
              std::string::npos);
    EXPECT_NE(error_of([&] { model_from_json(with("in", "-1")); }).find("does not have"),
              std::string::npos);
    // A call waiting on itself never resolves.
    EXPECT_NE(error_of([&] { model_from_json(with("d", "0")); }).find("cannot be built"),
              std::string::npos);
}

// A small conv feature extractor with BatchNormalization (non-trainable statistics).
std::shared_ptr<Functional> conv_base(const std::string& name) {
    KerasTensor in = Input({8, 8, 3});
    KerasTensor x = apply_layer(Conv2D(4, 3, {.padding = "same", .name = name + "_conv"}), in);
    x = apply_layer(BatchNormalization({.name = name + "_bn"}), x);
    x = apply_layer(ReLU({.name = name + "_relu"}), x);
    return std::make_shared<Functional>(in, x, name);
}

// Keras's transfer-learning shapes: a model inside a Sequential, and one encoder shared by two
// inputs of a functional model (siamese); both through .h5 and .keras.
TEST(FunctionalFiles, NestedModelsRoundTrip) {
    set_random_seed(9);
    auto base = as_layer(conv_base("base"));
    auto seq = std::make_shared<Sequential>(
        std::initializer_list<LayerHandle>{LayerPtr(base), GlobalAveragePooling2D({.name = "gap"}),
                                           Dense(2, {.name = "head"})},
        "transfer");
    auto encoder = as_layer(conv_base("encoder"));
    KerasTensor a = Input({8, 8, 3}, "left"), b = Input({8, 8, 3}, "right");
    KerasTensor fa =
        apply_layer(GlobalAveragePooling2D({.name = "gap_a"}), apply_layer(encoder, a));
    KerasTensor fb =
        apply_layer(GlobalAveragePooling2D({.name = "gap_b"}), apply_layer(encoder, b));
    KerasTensor out =
        apply_layer(Dense(1, {.name = "score"}),
                    apply_layer(Concatenate({.name = "pair"}), std::vector<KerasTensor>{fa, fb}));
    auto siamese = std::make_shared<Functional>(std::vector<KerasTensor>{a, b},
                                                std::vector<KerasTensor>{out}, "siamese");
    // Move the BatchNormalization statistics away from their initial values.
    const Tensor x1 = ramp({4, 8, 8, 3}, 1), x2 = ramp({4, 8, 8, 3}, 2);
    seq->compile("adam", "mse");
    seq->fit(x1, ramp({4, 2}, 3), {.epochs = 2, .verbose = 0});
    const std::string dir = scratch("nested_models");
    for (const char* ext : {".h5", ".keras"}) {
        save_model(*seq, dir + "/seq" + ext);
        auto back = load_model(dir + "/seq" + ext);
        EXPECT_NE(std::dynamic_pointer_cast<ModelLayer>(back->get_layer("base")), nullptr);
        expect_bitwise_equal(back->predict(x1), seq->predict(x1));
        EXPECT_EQ(model_to_json(*back), model_to_json(*seq));
        EXPECT_EQ(back->summary_string(), seq->summary_string());

        save_model(*siamese, dir + "/siamese" + ext);
        auto sback = load_model(dir + "/siamese" + ext);
        expect_bitwise_equal(sback->predict({x1, x2}), siamese->predict({x1, x2}));
        EXPECT_EQ(model_to_json(*sback), model_to_json(*siamese));
    }
    // Weights-only files too (both layouts).
    expect_weights_files_round_trip(*seq, dir, {x1});
}

// Freezing a nested model freezes every layer in it (BatchNormalization then runs in inference
// mode), and fit() leaves its weights untouched.
TEST(FunctionalFiles, FrozenNestedModel) {
    set_random_seed(10);
    auto base = as_layer(conv_base("frozen"));
    Sequential model({LayerPtr(base), GlobalAveragePooling2D(), Dense(2)});
    base->set_trainable(false);
    EXPECT_FALSE(base->model()->get_layer("frozen_bn")->trainable());
    EXPECT_EQ(model.trainable_weights().size(), 2u);  // the head's kernel and bias
    const auto before = base->get_weights();
    model.compile("adam", "mse");
    model.fit(ramp({8, 8, 8, 3}, 4), ramp({8, 2}, 5), {.epochs = 2, .verbose = 0});
    const auto after = base->get_weights();
    ASSERT_EQ(before.size(), after.size());
    for (std::size_t i = 0; i < before.size(); ++i) expect_bitwise_equal(after[i], before[i]);
    base->set_trainable(true);
    EXPECT_EQ(model.trainable_weights().size(), 2u + 4u);  // + conv kernel/bias, BN gamma/beta
}

// ---- the real branched files ----

nlohmann::json fixture(const std::string& name) {
    std::ifstream f(io_test::golden_dir() + "/" + name + ".json");
    if (!f.good()) return nullptr;
    return nlohmann::json::parse(f);
}

void expect_matches_fixture(Model& model, const nlohmann::json& fx) {
    std::vector<Tensor> xs;
    for (const auto& in : fx["inputs_list"]) {
        xs.push_back(
            Tensor::from_vector(in["values"].get<std::vector<float>>(), in["shape"].get<Shape>()));
    }
    const Tensor y = model.predict(xs);
    ASSERT_EQ(y.shape(), fx["output_shape"].get<Shape>());
    const auto want = fx["expected"].get<std::vector<double>>();
    double worst = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double got = y.at(static_cast<std::int64_t>(i));
        EXPECT_LE(std::fabs(got - want[i]), 1e-5 * std::fabs(want[i]) + 1e-7) << "[" << i << "]";
        worst = std::max(worst, std::fabs(got - want[i]) / (std::fabs(want[i]) + 1e-7));
    }
    std::printf("  max relative difference %.3g\n", worst);
}

TEST(FunctionalFiles, RealWideAndDeepFile) {
    const std::string path = models_dir() + "/tfkeras2.2.4-tf_wide_deep_functional_concat.h5";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
    auto m = load_model(path);
    auto fn = std::dynamic_pointer_cast<Functional>(m);
    ASSERT_NE(fn, nullptr);
    ASSERT_EQ(fn->inputs().size(), 2u);
    EXPECT_EQ(fn->inputs()[0].layer()->name(), "wide_input");  // input_layers order
    EXPECT_EQ(fn->inputs()[1].layer()->name(), "deep_input");
    EXPECT_TRUE(m->compiled());
    EXPECT_EQ(m->count_params(), (6 * 30 + 30) + (30 * 30 + 30) + (35 + 1));
    const auto fx = fixture("tfkeras2.2.4-tf_wide_deep_functional_concat");
    if (fx.is_null()) GTEST_SKIP() << "no golden fixture";
    expect_matches_fixture(*m, fx);
}

TEST(FunctionalFiles, RealSeq2SeqFileWithMasksAndInitialState) {
    const std::string path = models_dir() + "/keras2.2.4_seq2seq_functional_embedding_lstm.h5";
    if (!std::filesystem::exists(path)) GTEST_SKIP() << "no " << path;
    auto m = load_model(path);
    auto fn = std::dynamic_pointer_cast<Functional>(m);
    ASSERT_NE(fn, nullptr);
    EXPECT_EQ(fn->layer_output("lstm_2").inbound().size(), 3u);  // [x, h0, c0]
    EXPECT_EQ(fn->output_shape(), (Shape{-1, 45, 89}));
    const auto fx = fixture("keras2.2.4_seq2seq_functional_embedding_lstm");
    if (fx.is_null()) GTEST_SKIP() << "no golden fixture";
    expect_matches_fixture(*m, fx);
}

}  // namespace
}  // namespace tfc
