// Round trips of every registered conv / pooling / normalization / sequence layer through .h5,
// .keras and weights-only files: predictions are bitwise identical and the configs written
// before and after are identical strings. Also the Keras-version config variants the readers
// accept and the options they refuse.
#include <gtest/gtest.h>

#include <cstring>

#include "tfc/io/formats_impl.h"
#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

using io_test::error_of;
using io_test::scratch;

// Deterministic non-trivial values for every weight (BN statistics included), so a weight
// lost or swapped on the way changes the predictions.
void fill_weights(Model& m) {
    std::uint32_t s = 12345;
    for (const auto& l : m.layers()) {
        for (Weight* w : l->weights()) {
            std::vector<float> v(static_cast<std::size_t>(w->value.size()));
            for (float& x : v) {
                s = s * 1664525u + 1013904223u;
                x = static_cast<float>((s >> 8) % 1000) / 1000.0f * 0.8f + 0.1f;  // (0.1, 0.9)
                if (w->name.find("variance") == std::string::npos && (s & 1)) x = -x;
            }
            w->value.copy_from(Tensor::from_vector(v, w->value.shape()));
        }
    }
}

Tensor float_inputs(const Shape& shape) {
    std::vector<float> v(static_cast<std::size_t>(num_elements(shape)));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 37 % 101) / 101.0 - 0.5);
    return Tensor::from_vector(v, shape);
}

// Ids in [1, vocab) with leading zeros (padding) in later rows, so masks matter.
Tensor id_inputs(const Shape& shape, int vocab) {
    std::vector<float> v(static_cast<std::size_t>(num_elements(shape)));
    const std::int64_t steps = shape[1];
    for (std::size_t i = 0; i < v.size(); ++i) {
        const auto row = static_cast<std::int64_t>(i) / steps, t = static_cast<std::int64_t>(i) % steps;
        v[i] = t < 2 * row ? 0.0f : static_cast<float>(1 + (i * 7 + 3) % (vocab - 1));
    }
    return Tensor::from_vector(v, shape);
}

void expect_bitwise_equal(const Tensor& a, const Tensor& b, const std::string& what) {
    ASSERT_EQ(a.shape(), b.shape()) << what;
    EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0) << what;
}

std::string keras3_config(const Model& m, const std::string& dir) {
    const std::string path = dir + "/config_probe.keras";
    save_model(m, path);
    return io::read_keras_zip(path, false).config;
}

// Saves `m` every way and checks predictions and configs of what comes back.
void check_round_trips(Sequential& m, const Tensor& x, const std::string& tag) {
    fill_weights(m);
    const Tensor y = m.predict(x);
    const std::string dir = scratch("rt_" + tag);
    const std::string json = model_to_json(m);
    const std::string k3 = keras3_config(m, dir);

    save_model(m, dir + "/m.h5");
    auto from_h5 = load_model(dir + "/m.h5");
    expect_bitwise_equal(from_h5->predict(x), y, tag + " .h5");
    EXPECT_EQ(model_to_json(*from_h5), json) << tag << " .h5 config";
    EXPECT_EQ(keras3_config(*from_h5, dir), k3) << tag << " .h5 -> keras3 config";

    save_model(m, dir + "/m.keras");
    auto from_zip = load_model(dir + "/m.keras");
    expect_bitwise_equal(from_zip->predict(x), y, tag + " .keras");
    EXPECT_EQ(model_to_json(*from_zip), json) << tag << " .keras config";
    EXPECT_EQ(keras3_config(*from_zip, dir), k3) << tag << " .keras -> keras3 config";

    for (const char* file : {"w.h5", "w.weights.h5"}) {
        auto fresh = model_from_json(json);
        save_weights(m, dir + "/" + file);
        load_weights(*fresh, dir + "/" + file);
        expect_bitwise_equal(fresh->predict(x), y, tag + " " + file);
    }
}

TEST(LayerRoundTrip, Conv2DFamily) {
    Sequential m({Input({9, 8, 3}),
                  ZeroPadding2D({.padding = Padding2D({1, 2}, {0, 1})}),
                  Conv2D(4, {3, 2}, {.strides = {2, 1}, .padding = "same", .activation = "relu"}),
                  BatchNormalization({.scale = false}),
                  DepthwiseConv2D(3, {.padding = "same", .depth_multiplier = 2, .activation = "tanh"}),
                  SeparableConv2D(5, {2, 3}, {.dilation_rate = {1, 2}, .depth_multiplier = 2,
                                              .use_bias = false}),
                  MaxPooling2D({.pool_size = {2, 2}, .strides = ops::Size2{1, 1}, .padding = "same"}),
                  UpSampling2D({.size = {2, 1}}),
                  Cropping2D({.cropping = Padding2D({1, 0}, {0, 1})}),
                  AveragePooling2D({.pool_size = {3, 2}, .padding = "same"}),
                  LayerNormalization({.epsilon = 1e-4}),
                  GlobalAveragePooling2D(),
                  Dense(3, {.activation = "softmax"})});
    check_round_trips(m, float_inputs({2, 9, 8, 3}), "conv2d");
}

TEST(LayerRoundTrip, Conv2DWithGlobalMaxAndBatchNormWithoutCenter) {
    Sequential m({Input({6, 6, 2}), Conv2D(3, 3, {.groups = 1, .use_bias = false}),
                  BatchNormalization({.axis = 3, .momentum = 0.9, .center = false}),
                  GlobalMaxPooling2D({.keepdims = true}), Flatten()});
    check_round_trips(m, float_inputs({3, 6, 6, 2}), "conv2d_gmp");
}

TEST(LayerRoundTrip, Conv1DFamily) {
    Sequential m({Input({16, 3}),
                  Conv1D(4, 3, {.padding = "causal", .dilation_rate = 2, .activation = "relu"}),
                  MaxPooling1D({.pool_size = 2}),
                  Conv1D(5, 2, {.strides = 2, .padding = "same"}),
                  AveragePooling1D({.pool_size = 3, .strides = 1, .padding = "same"}),
                  BatchNormalization(),
                  GlobalMaxPooling1D(), Dense(2)});
    check_round_trips(m, float_inputs({2, 16, 3}), "conv1d");
}

TEST(LayerRoundTrip, MaskedTextStack) {
    Sequential m({Input({9}),
                  Embedding(30, 6, {.mask_zero = true, .input_length = 9}),
                  Bidirectional(LSTM(5, {.return_sequences = true}), {.merge_mode = "sum"}),
                  // hard_sigmoid means different functions in .h5 and .keras files: its round
                  // trips are in activation_names_test.cpp.
                  GRU(4, {.reset_after = false, .return_sequences = true}),
                  TimeDistributed(Dense(3, {.activation = "tanh"})),
                  SimpleRNN(3, {.return_sequences = true, .go_backwards = true}),
                  GlobalAveragePooling1D(), Dense(1, {.activation = "sigmoid"})});
    check_round_trips(m, id_inputs({3, 9}, 30), "text");
}

TEST(LayerRoundTrip, BidirectionalGruWithBackwardLayerAndMasking) {
    Sequential m({Input({7, 4}), Masking(0.5),
                  Bidirectional(GRU(3, {.return_sequences = true}),
                                {.merge_mode = "concat",
                                 .backward_layer = std::make_shared<GRU>(
                                     3, GRUOptions{.reset_after = false, .return_sequences = true,
                                                   .go_backwards = true})}),
                  Bidirectional(SimpleRNN(2), {.merge_mode = "mul"}), Dense(2)});
    check_round_trips(m, float_inputs({2, 7, 4}), "bigru");
}

TEST(LayerConfigVariants, SizesAsIntsOrListsAndBatchNormAxisAsList) {
    // Keras 2 lists ([3], [2, 2]), hand-written ints, BN axis [3] (Keras 2) and 3 / -1.
    auto a = model_from_json(R"({"class_name": "Sequential", "config": {"name": "a", "layers": [
      {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 8, 8, 2], "name": "in"}},
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 3, "kernel_size": [3, 3],
       "strides": [1, 1], "padding": "same", "dilation_rate": [1, 1], "data_format": "channels_last"}},
      {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": [3]}},
      {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": [2, 2], "strides": null}},
      {"class_name": "ZeroPadding2D", "config": {"name": "z", "padding": [[1, 0], [0, 2]]}}]}})");
    auto b = model_from_json(R"({"class_name": "Sequential", "config": {"name": "b", "layers": [
      {"class_name": "InputLayer", "config": {"batch_shape": [null, 8, 8, 2], "name": "in"}},
      {"class_name": "Conv2D", "config": {"name": "c", "filters": 3, "kernel_size": 3, "strides": 1,
       "padding": "same", "dilation_rate": 1, "data_format": null}},
      {"class_name": "BatchNormalization", "config": {"name": "bn", "axis": 3}},
      {"class_name": "MaxPooling2D", "config": {"name": "p", "pool_size": 2}},
      {"class_name": "ZeroPadding2D", "config": {"name": "z", "padding": [[1, 0], [0, 2]]}}]}})");
    EXPECT_EQ(a->output_shape(), (Shape{-1, 5, 6, 3}));
    EXPECT_EQ(b->output_shape(), a->output_shape());
    fill_weights(*a);
    b->layers()[0]->set_weights(a->layers()[0]->get_weights());
    b->layers()[1]->set_weights(a->layers()[1]->get_weights());
    const Tensor x = float_inputs({2, 8, 8, 2});
    expect_bitwise_equal(b->predict(x), a->predict(x), "list vs int configs");
    const auto pad = std::dynamic_pointer_cast<ZeroPadding2D>(a->layers()[3])->options().padding;
    EXPECT_EQ(pad.top, 1);
    EXPECT_EQ(pad.bottom, 0);
    EXPECT_EQ(pad.right, 2);
}

TEST(LayerConfigVariants, RecurrentKeysAcrossVersions) {
    // Keras 2.2: implementation 1, unroll; Keras 3: module keys around the nested layer,
    // zero_output_for_mask; Embedding input_length.
    auto m = model_from_json(R"({"class_name": "Sequential", "config": {"name": "r", "layers": [
      {"class_name": "Embedding", "config": {"name": "e", "input_dim": 10, "output_dim": 4,
       "input_length": 6, "batch_input_shape": [null, 6], "mask_zero": true}},
      {"class_name": "Bidirectional", "config": {"name": "bi", "merge_mode": "ave", "layer":
       {"module": "keras.layers", "class_name": "GRU", "registered_name": null, "config": {"name": "g",
        "units": 3, "return_sequences": true, "reset_after": false, "recurrent_activation": "hard_sigmoid",
        "implementation": 1, "unroll": true, "time_major": false, "stateful": false}}}},
      {"class_name": "TimeDistributed", "config": {"name": "td", "layer": {"class_name": "Dense",
       "config": {"name": "d", "units": 2}}}},
      {"class_name": "LSTM", "config": {"name": "l", "units": 2, "implementation": 0,
       "zero_output_for_mask": true}}]}})");
    EXPECT_EQ(m->output_shape(), (Shape{-1, 2}));
    const auto bi = std::dynamic_pointer_cast<Bidirectional>(m->layers()[1]);
    ASSERT_NE(bi, nullptr);
    EXPECT_EQ(bi->options().merge_mode, "ave");
    EXPECT_EQ(bi->forward_layer()->name(), "forward_g");
    EXPECT_FALSE(std::dynamic_pointer_cast<GRU>(bi->forward_layer())->options().reset_after);
    EXPECT_EQ(std::dynamic_pointer_cast<Embedding>(m->layers()[0])->options().input_length, 6);
    EXPECT_EQ(bi->weights().size(), 6u);
    // Written back with the inner name and Keras 2.15 keys.
    const std::string json = model_to_json(*m);
    EXPECT_NE(json.find(R"("layer":{"class_name":"GRU","config":{"name":"g")"), std::string::npos) << json;
    EXPECT_NE(json.find(R"("merge_mode":"ave")"), std::string::npos);
    EXPECT_EQ(model_to_json(*model_from_json(json)), json);
}

TEST(LayerConfigVariants, Keras3NestedWeightsLiveUnderTheCell) {
    Sequential m({Input({5, 3}), Bidirectional(LSTM(2)), Dense(1)});
    fill_weights(m);
    const std::string path = scratch("k3paths") + "/m.weights.h5";
    save_weights(m, path);
    const io::h5::Reader f = io::h5::Reader::open(path);
    for (const char* p : {"layers/bidirectional/forward_layer/cell/vars/0",
                          "layers/bidirectional/backward_layer/cell/vars/2", "layers/dense/vars/1"}) {
        EXPECT_TRUE(io::h5::exists(f, f.root(), p)) << p;
    }
}

TEST(LayerConfigVariants, RefusalsNameTheKeyAndTheFix) {
    const std::pair<const char*, const char*> cases[] = {
        {R"({"class_name": "LSTM", "config": {"name": "l", "units": 2, "stateful": true}})", "'stateful'"},
        {R"({"class_name": "GRU", "config": {"name": "g", "units": 2, "time_major": true}})", "'time_major'"},
        {R"({"class_name": "Bidirectional", "config": {"name": "b", "merge_mode": "max",
            "layer": {"class_name": "LSTM", "config": {"name": "l", "units": 2}}}})", "'merge_mode'"},
        {R"({"class_name": "Conv2D", "config": {"name": "c", "filters": 2, "kernel_size": 3,
            "data_format": "channels_first"}})", "'data_format'"},
        {R"({"class_name": "Conv1D", "config": {"name": "c", "filters": 2, "kernel_size": [3, 3]}})",
         "'kernel_size'"},
        {R"({"class_name": "Conv2D", "config": {"name": "c", "filters": 99999999999, "kernel_size": 3}})",
         "'filters'"},
        {R"({"class_name": "BatchNormalization", "config": {"name": "bn", "axis": [1, 2]}})", "'axis'"},
        {R"({"class_name": "BatchNormalization", "config": {"name": "bn", "renorm": true}})", "'renorm'"},
        {R"({"class_name": "Embedding", "config": {"name": "e", "input_dim": 4000000000,
            "output_dim": 4096}})", "'input_dim'"},
        {R"({"class_name": "TimeDistributed", "config": {"name": "t", "layer": {"class_name": "Lambda",
            "config": {"name": "lam"}}}})", "Lambda layer 'lam'"},
        {R"({"class_name": "TimeDistributed", "config": {"name": "t", "layer": [1, 2]}})", "'layer'"},
        {R"({"class_name": "ZeroPadding2D", "config": {"name": "z", "padding": [[1, 2, 3], [0, 0]]}})",
         "'padding'"},
    };
    for (const auto& [layer, want] : cases) {
        const std::string json = std::string(R"({"class_name": "Sequential", "config": {"name": "s",
            "layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 6, 6, 4]}}, )") +
                                 layer + "]}}";
        const std::string e = error_of([&] { model_from_json(json); });
        EXPECT_NE(e.find(want), std::string::npos) << layer << "\n -> " << e;
        EXPECT_NE(e.find("Fix:"), std::string::npos) << e;
    }
}

}  // namespace
}  // namespace tfc
