// The layer registry and config parsing across Keras versions.
#include <gtest/gtest.h>

#include "tfc/core/error.h"
#include "tfc/io/layer_registry.h"
#include "tfc/io/model_config.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(LayerRegistry, ListsTheCoreLayers) {
    const auto names = io::LayerRegistry::instance().class_names();
    for (const char* n : {"Activation", "Dense", "Dropout", "Flatten", "InputLayer", "LeakyReLU",
                          "ReLU", "RepeatVector", "Reshape", "Rescaling", "Softmax"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
    }
}

TEST(ModelConfig, Keras205ListForm) {
    auto m = model_from_json(R"({"class_name": "Sequential", "config": [
      {"class_name": "Dense", "config": {"units": 4, "activation": "relu", "batch_input_shape": [null, 3],
       "kernel_initializer": {"class_name": "VarianceScaling", "config": {"scale": 1.0, "mode": "fan_avg",
       "distribution": "uniform", "seed": null}}, "name": "dense_1", "trainable": true}},
      {"class_name": "Dropout", "config": {"rate": 0.25, "name": "dropout_1"}},
      {"class_name": "Dense", "config": {"units": 1, "activation": "sigmoid", "name": "dense_2"}}]})");
    ASSERT_TRUE(m->built());
    EXPECT_EQ(m->layers().size(), 3u);
    EXPECT_EQ(m->layers()[0]->name(), "dense_1");
    EXPECT_EQ(m->output_shape(), (Shape{-1, 1}));
}

TEST(ModelConfig, Keras3Dicts) {
    auto m = model_from_json(R"({"module": "keras", "class_name": "Sequential", "config": {"name": "s3",
      "layers": [{"module": "keras.layers", "class_name": "InputLayer", "config": {"batch_shape": [null, 2, 3],
      "dtype": "float32", "sparse": false, "name": "input_layer"}, "registered_name": null},
      {"module": "keras.layers", "class_name": "Flatten", "config": {"name": "flatten", "dtype":
      {"module": "keras", "class_name": "DTypePolicy", "config": {"name": "float32"}, "registered_name": null}},
      "registered_name": null},
      {"module": "keras.layers", "class_name": "LeakyReLU", "config": {"name": "lr", "negative_slope": 0.1}},
      {"module": "keras.layers", "class_name": "Dense", "config": {"name": "d", "units": 2, "activation":
      "softmax", "trainable": false, "kernel_initializer": {"module": "keras.initializers", "class_name":
      "GlorotUniform", "config": {"seed": 3}, "registered_name": null}}}]}})");
    EXPECT_EQ(m->name(), "s3");
    EXPECT_EQ(m->input_shape(), (Shape{-1, 2, 3}));
    EXPECT_EQ(m->layers().size(), 3u);
    EXPECT_DOUBLE_EQ(std::dynamic_pointer_cast<LeakyReLU>(m->layers()[1])->alpha(), 0.1);
    EXPECT_FALSE(m->layers()[2]->trainable());
}

TEST(ModelConfig, FunctionalChainLoadsAsSequential) {
    auto m = model_from_json(R"({"class_name": "Functional", "config": {"name": "f", "layers": [
      {"class_name": "InputLayer", "name": "in", "config": {"batch_input_shape": [null, 5], "name": "in"},
       "inbound_nodes": []},
      {"class_name": "Dense", "name": "a", "config": {"name": "a", "units": 3}, "inbound_nodes": [[["in", 0, 0, {}]]]},
      {"class_name": "Dense", "name": "b", "config": {"name": "b", "units": 2}, "inbound_nodes": [[["a", 0, 0, {}]]]}],
      "input_layers": [["in", 0, 0]], "output_layers": [["b", 0, 0]]}})");
    EXPECT_EQ(m->output_shape(), (Shape{-1, 2}));
}

TEST(ModelConfig, RefusesLambdaNamingTheLayerAndAlternatives) {
    const std::string e = error_of([] {
        model_from_json(R"({"class_name": "Sequential", "config": {"layers": [
          {"class_name": "Lambda", "config": {"name": "normalise", "function": ["4wAAAA==", null, null],
           "function_type": "lambda", "batch_input_shape": [null, 4]}}]}})");
    });
    EXPECT_NE(e.find("Lambda layer 'normalise'"), std::string::npos) << e;
    EXPECT_NE(e.find("Rescaling"), std::string::npos) << e;
    EXPECT_NE(e.find("register a C++ layer"), std::string::npos) << e;
}

TEST(ModelConfig, UnknownLayerListsTheSupportedOnes) {
    const std::string e = error_of([] {
        model_from_json(R"({"class_name": "Sequential", "config": {"layers": [
          {"class_name": "FancyLayer", "config": {"name": "fancy"}}]}})");
    });
    EXPECT_NE(e.find("unsupported layer type 'FancyLayer'"), std::string::npos) << e;
    EXPECT_NE(e.find("Dense"), std::string::npos) << e;
}

TEST(ModelConfig, BadValuesAreErrorsNotCrashes) {
    for (const char* bad : {
             R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": -3}}]}})",
             R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": "x"}}]}})",
             R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 2, "activation": "nope"}}]}})",
             R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dropout", "config": {"rate": 7}}]}})",
             R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "Dense", "config": {"units": 2, "dtype": "int8"}}]}})",
             R"({"class_name": "Sequential", "config": {"layers": 5}})",
             R"({"class_name": "Sequential")",
             R"([[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]])",
             R"({"class_name": "Sequential", "config": {"layers": [{"class_name": "InputLayer", "config": {"batch_input_shape": [null, 1099511627777]}}]}})",
         }) {
        EXPECT_FALSE(error_of([&] { model_from_json(bad); }).empty()) << bad;
    }
}

TEST(ModelConfig, WriteThenReadKeepsEveryLayer) {
    Sequential m({Input({4}), Dense(3, {.activation = "tanh", .use_bias = false}), ReLU({.max_value = 6.0}),
                  Reshape({3, 1}), Flatten(), Dropout(0.3, {.seed = 5}), Rescaling(0.5, {.offset = 1.0}),
                  LeakyReLU({.alpha = 0.2}), Activation("sigmoid"), Softmax({.axis = -1}),
                  RepeatVector(2)},
                 "roundtrip");
    for (auto style : {io::ConfigStyle::legacy_h5, io::ConfigStyle::keras3}) {
        auto back = io::model_from_config(io::model_to_config(m, style));
        ASSERT_EQ(back->layers().size(), m.layers().size());
        for (std::size_t i = 0; i < m.layers().size(); ++i) {
            EXPECT_EQ(back->layers()[i]->class_name(), m.layers()[i]->class_name());
            EXPECT_EQ(back->layers()[i]->name(), m.layers()[i]->name());
        }
        EXPECT_EQ(back->input_shape(), m.input_shape());
        EXPECT_EQ(io::model_to_config(*back, style), io::model_to_config(m, style));
    }
}

}  // namespace
}  // namespace tfc
