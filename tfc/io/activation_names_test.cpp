// "hard_sigmoid" across Keras versions (activation_names_impl.h): Keras 2's clip(0.2x + 0.5) in
// files written by Keras 2, Keras 3's relu6(x + 3) / 6 in files written by Keras >= 3 (a real
// Keras 3.14 file with one activation renamed), both written back under the name each format's
// Keras knows, and refused where that Keras has no such function.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <string>

#include "tfc/io/activation_names_impl.h"
#include "tfc/io/formats_impl.h"
#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

using io_test::error_of;
using io_test::scratch;

std::string first_dense_activation(const Model& m) {
    for (const auto& l : m.layers()) {
        if (const auto* d = dynamic_cast<const Dense*>(l.get())) return d->options().activation;
    }
    return "";
}

std::shared_ptr<Sequential> dense_model(const std::string& activation) {
    auto m = std::make_shared<Sequential>(std::initializer_list<LayerHandle>{
        Dense(4, {.activation = activation, .input_shape = {3}}), Dense(2)});
    m->build({-1, 3});
    return m;
}

Tensor probe_inputs() {
    return Tensor::from_vector(std::vector<float>{-9, -2.9f, -1, 0, 1, 2.4f, 2.9f, 9, 4}, {3, 3});
}

TEST(ActivationNames, KerasMajorVersion) {
    EXPECT_EQ(io::keras_major_version("3.14.0"), 3);
    EXPECT_EQ(io::keras_major_version("2.15.0"), 2);
    EXPECT_EQ(io::keras_major_version("2.2.4-tf"), 2);
    EXPECT_EQ(io::keras_major_version("10.1"), 10);
    EXPECT_EQ(io::keras_major_version(""), 2);
    EXPECT_EQ(io::keras_major_version("tfjs-layers 4.22.0"), 2);
}

// A real Keras 3.14 .keras file with its first Dense's "relu" renamed "hard_sigmoid": the layer
// computes Keras 3's function; the same file claiming keras_version 2.15.0 computes Keras 2's.
TEST(ActivationNames, RealKeras3FileLoadsKeras3HardSigmoid) {
    const std::string src = io_test::models_dir() + "/keras3.14.0_mnist_mlp.keras";
    if (!std::filesystem::exists(src)) GTEST_SKIP() << "no " << src;
    const io::ZipEntries z = io::read_keras_zip(src, true);
    std::string config = z.config;
    const std::size_t at = config.find("\"relu\"");
    ASSERT_NE(at, std::string::npos);
    config.replace(at, 6, "\"hard_sigmoid\"");
    const std::string dir = scratch("hard_sigmoid_k3");
    const std::string k3 = dir + "/k3.keras", k2 = dir + "/k2.keras";
    std::string metadata2 = z.metadata;
    metadata2.replace(metadata2.find("3.14.0"), 6, "2.15.0");
    io_test::write_zip(
        k3,
        {{"metadata.json", z.metadata}, {"config.json", config}, {"model.weights.h5", z.weights}},
        false);
    io_test::write_zip(
        k2,
        {{"metadata.json", metadata2}, {"config.json", config}, {"model.weights.h5", z.weights}},
        false);
    auto m3 = load_model(k3, {.compile = false});
    auto m2 = load_model(k2, {.compile = false});
    EXPECT_EQ(first_dense_activation(*m3), "hard_sigmoid_keras3");
    EXPECT_EQ(first_dense_activation(*m2), "hard_sigmoid");

    // The first Dense's output against both formulas, in double precision.
    const Tensor x =
        ops::div(testing::random_f64({2, 28, 28}, 0, 255, 5), 255.0).astype(DType::float32);
    const auto layers3 = m3->layers();
    const auto layers2 = m2->layers();
    const auto* dense = dynamic_cast<const Dense*>(layers3[1].get());
    ASSERT_NE(dense, nullptr) << layers3[1]->name();
    const Tensor flat = ops::reshape(x, {2, 784});
    const std::vector<double> z1 =
        ops::add(ops::matmul(flat.astype(DType::float64), dense->kernel().astype(DType::float64)),
                 dense->bias().astype(DType::float64))
            .to_doubles();
    const std::vector<double> y3 = (*layers3[1])(flat).to_doubles();
    const std::vector<double> y2 = (*layers2[1])(flat).to_doubles();
    int differ = 0;
    for (std::size_t i = 0; i < z1.size(); ++i) {
        const double want3 = std::clamp(z1[i] / 6.0 + 0.5, 0.0, 1.0);
        const double want2 = std::clamp(0.2 * z1[i] + 0.5, 0.0, 1.0);
        EXPECT_NEAR(y3[i], want3, 1e-5) << i;
        EXPECT_NEAR(y2[i], want2, 1e-5) << i;
        differ += std::fabs(want3 - want2) > 1e-3;
    }
    EXPECT_GT(differ, 10) << "the probe should tell the two functions apart";
}

TEST(ActivationNames, Keras3HardSigmoidRoundTripsThroughKerasFiles) {
    auto mp = dense_model("hard_sigmoid_keras3");
    Sequential& m = *mp;
    const Tensor y = m.predict(probe_inputs());
    const std::string dir = scratch("hard_sigmoid_rt");
    save_model(m, dir + "/m.keras");
    const std::string config = io::read_keras_zip(dir + "/m.keras", false).config;
    EXPECT_NE(config.find("\"hard_sigmoid\""), std::string::npos) << config;
    EXPECT_EQ(config.find("hard_sigmoid_keras3"), std::string::npos) << config;
    auto back = load_model(dir + "/m.keras");
    EXPECT_EQ(first_dense_activation(*back), "hard_sigmoid_keras3");
    EXPECT_EQ(back->predict(probe_inputs()).to_doubles(), y.to_doubles());

    // Keras 2 has no relu6(x + 3) / 6: the .h5 writer and to_json refuse, naming .keras.
    const std::string e = error_of([&] { save_model(m, dir + "/m.h5"); });
    EXPECT_NE(e.find("[save_model]"), std::string::npos) << e;
    EXPECT_NE(e.find("save as .keras"), std::string::npos) << e;
    EXPECT_FALSE(std::filesystem::exists(dir + "/m.h5"));
    EXPECT_NE(error_of([&] { model_to_json(m); }), "");

    // Recurrent gates too: Keras 2's in .h5, Keras 3's in .keras.
    for (const char* gate : {"hard_sigmoid", "hard_sigmoid_keras3"}) {
        Sequential r(
            {Input({5, 3}),
             GRU(4, {.recurrent_activation = gate, .reset_after = false, .return_sequences = true}),
             LSTM(2, {.recurrent_activation = gate})});
        const Tensor xs = testing::random_f64({2, 5, 3}, -3, 3, 9).astype(DType::float32);
        const Tensor yr = r.predict(xs);
        const std::string path = dir + (std::string(gate) == "hard_sigmoid" ? "/r.h5" : "/r.keras");
        save_model(r, path);
        auto rb = load_model(path);
        EXPECT_EQ(rb->predict(xs).to_doubles(), yr.to_doubles()) << gate;
        const auto* lstm = dynamic_cast<const LSTM*>(rb->layers().back().get());
        ASSERT_NE(lstm, nullptr);
        EXPECT_EQ(lstm->options().recurrent_activation, gate);
    }
}

TEST(ActivationNames, Keras2HardSigmoidStaysKeras2AndIsRefusedInKeras3Files) {
    auto mp = dense_model("hard_sigmoid");
    Sequential& m = *mp;
    const Tensor y = m.predict(probe_inputs());
    const std::string dir = scratch("hard_sigmoid_k2");
    save_model(m, dir + "/m.h5");
    auto back = load_model(dir + "/m.h5");
    EXPECT_EQ(first_dense_activation(*back), "hard_sigmoid");
    EXPECT_EQ(back->predict(probe_inputs()).to_doubles(), y.to_doubles());
    auto from_json = model_from_json(model_to_json(m));
    EXPECT_EQ(first_dense_activation(*from_json), "hard_sigmoid");

    const std::string e = error_of([&] { save_model(m, dir + "/m.keras"); });
    EXPECT_NE(e.find("Keras 2's hard_sigmoid"), std::string::npos) << e;
    EXPECT_NE(e.find("save as .h5"), std::string::npos) << e;
    EXPECT_FALSE(std::filesystem::exists(dir + "/m.keras"));
}

TEST(ActivationNames, JsonConfigsFollowTheirKerasVersionAndRefuseInternalNames) {
    const std::string body =
        R"("class_name": "Sequential", "config": {"name": "s", "layers": [{"class_name": "Dense",
        "config": {"name": "d", "units": 2, "activation": "hard_sigmoid",
        "batch_input_shape": [null, 3]}}]})";
    auto k3 = model_from_json("{" + body + R"(, "keras_version": "3.1.0"})");
    auto k2 = model_from_json("{" + body + R"(, "keras_version": "2.15.0"})");
    auto none = model_from_json("{" + body + "}");
    EXPECT_EQ(first_dense_activation(*k3), "hard_sigmoid_keras3");
    EXPECT_EQ(first_dense_activation(*k2), "hard_sigmoid");
    EXPECT_EQ(first_dense_activation(*none), "hard_sigmoid");

    std::string internal = "{" + body + "}";
    internal.replace(internal.find("hard_sigmoid"), 12, "hard_sigmoid_keras3");
    const std::string e = error_of([&] { model_from_json(internal); });
    EXPECT_NE(e.find("layer 'd'"), std::string::npos) << e;
    EXPECT_NE(e.find("no Keras version has"), std::string::npos) << e;
}

}  // namespace
}  // namespace tfc
