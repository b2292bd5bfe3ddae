// Real files written by Keras 2.0.5 ... 3.14: every Sequential-shaped one loads and matches the
// oracle (tests/golden/keras_models, tools/golden/keras_models_oracle.py); Lambda files are
// refused with the documented error. The branched functional files: functional_files_test.cpp.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

using io_test::error_of;
using io_test::models_dir;

nlohmann::json read_json(const std::string& path) {
    std::ifstream f(path);
    EXPECT_TRUE(f.good()) << path;
    return nlohmann::json::parse(f);
}

std::string read_text(const std::string& path) {
    std::ifstream f(path);
    std::stringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

bool have_models() { return std::filesystem::exists(models_dir() + "/keras2.3.1_theano_backend_mlp.h5"); }

// Compares predictions with the fixture: |y - y*| <= 1e-5 |y*| + 1e-7.
void expect_matches_golden(Model& model, const std::string& case_name) {
    const auto fx = read_json(io_test::golden_dir() + "/" + case_name + ".json");
    const Shape in_shape = fx["input_shape"].get<Shape>();
    const Tensor x = Tensor::from_vector(fx["inputs"].get<std::vector<float>>(), in_shape);
    const Tensor y = model.predict(x);
    EXPECT_EQ(y.shape(), fx["output_shape"].get<Shape>());
    const auto want = fx["expected"].get<std::vector<double>>();
    ASSERT_EQ(static_cast<std::size_t>(y.size()), want.size());
    double worst = 0;
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double got = y.at(static_cast<std::int64_t>(i));
        EXPECT_LE(std::fabs(got - want[i]), 1e-5 * std::fabs(want[i]) + 1e-7) << case_name << " [" << i << "]";
        worst = std::max(worst, std::fabs(got - want[i]) / (std::fabs(want[i]) + 1e-7));
    }
    std::printf("  %s: max relative difference %.3g\n", case_name.c_str(), worst);
}

TEST(RealKerasFiles, Keras205WeightsOnlyWithListFormArchitecture) {
    if (!have_models()) GTEST_SKIP() << "no " << models_dir();
    auto m = model_from_json(read_text(models_dir() + "/keras2.0.5_creditcard_mlp_weights_only.architecture.json"));
    load_weights(*m, models_dir() + "/keras2.0.5_creditcard_mlp_weights_only.h5");
    expect_matches_golden(*m, "keras2.0.5_creditcard_mlp_weights_only");
}

TEST(RealKerasFiles, TfKeras224WeightsOnly) {
    if (!have_models()) GTEST_SKIP();
    auto m = model_from_json(read_text(models_dir() + "/tfkeras2.2.4-tf_mnist_mlp_weights_only.architecture.json"));
    load_weights(*m, models_dir() + "/tfkeras2.2.4-tf_mnist_mlp_weights_only.h5");
    expect_matches_golden(*m, "tfkeras2.2.4-tf_mnist_mlp_weights_only");
}

TEST(RealKerasFiles, Keras231TheanoFullModelCompiles) {
    if (!have_models()) GTEST_SKIP();
    auto m = load_model(models_dir() + "/keras2.3.1_theano_backend_mlp.h5");
    expect_matches_golden(*m, "keras2.3.1_theano_backend_mlp");
    ASSERT_TRUE(m->compiled());
    EXPECT_EQ(m->optimizer().class_name(), "Adam");
    EXPECT_NEAR(m->optimizer().learning_rate(), 0.001, 1e-9);
    EXPECT_EQ(m->loss()->name(), "binary_crossentropy");
}

TEST(RealKerasFiles, Keras314KerasZip) {
    if (!have_models()) GTEST_SKIP();
    auto m = load_model(models_dir() + "/keras3.14.0_mnist_mlp.keras");
    expect_matches_golden(*m, "keras3.14.0_mnist_mlp_keras");
    ASSERT_TRUE(m->compiled());
    EXPECT_NEAR(m->optimizer().learning_rate(), 1e-4, 1e-9);
}

TEST(RealKerasFiles, Keras314WeightsH5) {
    if (!have_models()) GTEST_SKIP();
    auto m = load_model(models_dir() + "/keras3.14.0_mnist_mlp.keras", {.compile = false});
    for (const auto& l : m->layers()) {
        for (auto* w : l->weights()) w->value.fill(0.0);
    }
    load_weights(*m, models_dir() + "/keras3.14.0_mnist_mlp.weights.h5");
    expect_matches_golden(*m, "keras3.14.0_mnist_mlp_weights_h5");
}

TEST(RealKerasFiles, LambdaFilesAreRefused) {
    if (!have_models()) GTEST_SKIP();
    const std::pair<const char*, const char*> cases[] = {
        {"keras2.2.4_carnd_cnn_LAMBDA.h5", "Lambda layer 'lambda_1'"},
        {"tf2.6_sunspots_conv1d_lstm_LAMBDA.h5", "Lambda layer 'lambda'"},
        {"keras3.7.0_siamese_functional_nested_LAMBDA.keras", "Lambda layer '"},
    };
    for (const auto& [file, want] : cases) {
        const std::string e = error_of([&] { load_model(models_dir() + "/" + file); });
        EXPECT_NE(e.find(want), std::string::npos) << file << ": " << e;
        EXPECT_NE(e.find("Rescaling"), std::string::npos) << e;
    }
}

// Sequential-shaped files with conv / BN / pooling / embedding / recurrent layers: each loads
// (compiling from its training config when it has one) and matches its fixture. The oracle of
// each fixture is recorded in the fixture ("oracle"): TF.js cross-checked by float64 numpy, or
// numpy alone for the causal Conv1D files TF.js cannot build.
struct RealCase {
    const char* file;
    const char* golden;
};

class RealSequentialFile : public ::testing::TestWithParam<RealCase> {};

TEST_P(RealSequentialFile, LoadsAndMatchesTheOracle) {
    if (!have_models()) GTEST_SKIP();
    const RealCase& c = GetParam();
    auto m = load_model(models_dir() + "/" + c.file);
    expect_matches_golden(*m, c.golden);
}

INSTANTIATE_TEST_SUITE_P(
    Files, RealSequentialFile,
    ::testing::Values(
        RealCase{"tfkeras2.1.6_conv1d_accelerometer_activity.h5", "tfkeras2.1.6_conv1d_accelerometer_activity"},
        RealCase{"keras2.2.4_text_embedding_gru.h5", "keras2.2.4_text_embedding_gru"},
        RealCase{"keras2.3.1_mnist_cnn_batchnorm.h5", "keras2.3.1_mnist_cnn_batchnorm"},
        RealCase{"keras3.13.2_h5_imdb_simplernn_no_training_config.h5",
                 "keras3.13.2_h5_imdb_simplernn_no_training_config"},
        RealCase{"keras3.4.1_fashion_cnn.keras", "keras3.4.1_fashion_cnn_keras"},
        RealCase{"tf2.11_mnist_cnn_dropout.h5", "tf2.11_mnist_cnn_dropout"},
        RealCase{"tf2.13_sarcasm_embedding_gap1d_dropout.h5", "tf2.13_sarcasm_embedding_gap1d_dropout"},
        RealCase{"tf2.15_sunspots_conv1d_lstm.h5", "tf2.15_sunspots_conv1d_lstm"},
        RealCase{"tf2.4_text_embedding_bilstm.h5", "tf2.4_text_embedding_bilstm"},
        RealCase{"tf2.5_functional_conv1d_bn_encoder_no_optimizer_weights.h5",
                 "tf2.5_functional_conv1d_bn_encoder_no_optimizer_weights"},
        RealCase{"tf2.8_text_embedding_globalmaxpool1d.h5", "tf2.8_text_embedding_globalmaxpool1d"},
        RealCase{"tf2.9_mnist_cnn.h5", "tf2.9_mnist_cnn"}),
    [](const ::testing::TestParamInfo<RealCase>& info) {
        std::string n = info.param.golden;
        for (char& ch : n) {
            if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
        }
        return n;
    });

TEST(RealKerasFiles, OldGruKeepsResetAfterFalseAndHardSigmoid) {
    if (!have_models()) GTEST_SKIP();
    auto m = load_model(models_dir() + "/keras2.2.4_text_embedding_gru.h5");
    const auto gru = std::dynamic_pointer_cast<GRU>(m->layers()[1]);
    ASSERT_NE(gru, nullptr);
    EXPECT_FALSE(gru->options().reset_after);
    EXPECT_EQ(gru->options().recurrent_activation, "hard_sigmoid");
    EXPECT_EQ(gru->bias().shape(), (Shape{96}));
    ASSERT_TRUE(m->compiled());
    EXPECT_EQ(m->optimizer().class_name(), "RMSprop");
}

TEST(RealKerasFiles, BidirectionalWeightsAreForwardThenBackward) {
    if (!have_models()) GTEST_SKIP();
    auto m = load_model(models_dir() + "/tf2.4_text_embedding_bilstm.h5");
    const auto bi = std::dynamic_pointer_cast<Bidirectional>(m->layers()[1]);
    ASSERT_NE(bi, nullptr);
    EXPECT_EQ(bi->forward_layer()->name(), "forward_lstm");
    EXPECT_EQ(bi->backward_layer()->name(), "backward_lstm");
    EXPECT_EQ(bi->options().merge_mode, "concat");
    const auto ws = bi->weights();
    ASSERT_EQ(ws.size(), 6u);
    EXPECT_EQ(ws[0]->value.raw_data(), bi->forward_layer()->kernel().raw_data());
    EXPECT_EQ(ws[3]->value.raw_data(), bi->backward_layer()->kernel().raw_data());
}

TEST(RealKerasFiles, InspectReportsFormatAndVersion) {
    if (!have_models()) GTEST_SKIP();
    auto info = inspect_model_file(models_dir() + "/keras2.3.1_theano_backend_mlp.h5");
    EXPECT_EQ(info.format, "keras-h5");
    EXPECT_EQ(info.keras_version, "2.3.1");
    EXPECT_EQ(info.backend, "theano");
    EXPECT_EQ(info.model_class, "Sequential");
    EXPECT_TRUE(info.has_training_config);
    info = inspect_model_file(models_dir() + "/keras3.14.0_mnist_mlp.keras");
    EXPECT_EQ(info.format, "keras-zip");
    EXPECT_EQ(info.keras_version, "3.14.0");
    info = inspect_model_file(models_dir() + "/keras3.14.0_mnist_mlp.weights.h5");
    EXPECT_EQ(info.format, "keras3-weights-h5");
    info = inspect_model_file(models_dir() + "/keras2.0.5_creditcard_mlp_weights_only.h5");
    EXPECT_EQ(info.format, "keras-h5-weights");
    EXPECT_EQ(info.keras_version, "2.0.5");
}

}  // namespace
}  // namespace tfc
