// Model-level behaviour: summary(), weights round trip, predict/evaluate shapes, validation split.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/training/sequential.h"

namespace tfc {
namespace {

// A row of Keras 2.15's summary table (tf_keras/utils/layer_utils.py print_summary with the
// Sequential defaults: line_length 65, positions [.45, .85, 1.0] -> column stops 29, 55, 65, a
// leading space before the first column).
std::string row(const std::string& a, const std::string& b, const std::string& c) {
    std::string line = " " + a;
    line += std::string(29 - line.size(), ' ') + b;
    line += std::string(55 - line.size(), ' ') + c;
    line += std::string(65 - line.size(), ' ');
    return line + "\n";
}

TEST(ModelSummary, MatchesKerasTableForTheCourseModel) {
    Sequential model({Flatten({.input_shape = {28, 28}, .name = "flatten"}),
                      Dense(128, {.activation = "relu", .name = "dense"}),
                      Dropout(0.2, {.name = "dropout"}),
                      Dense(10, {.activation = "softmax", .name = "dense_1"})},
                     "sequential");
    const std::string blank = std::string(65, ' ') + "\n";
    std::string expected = "Model: \"sequential\"\n" + std::string(65, '_') + "\n" +
                           row("Layer (type)", "Output Shape", "Param #") +
                           std::string(65, '=') + "\n";
    expected += row("flatten (Flatten)", "(None, 784)", "0") + blank;
    expected += row("dense (Dense)", "(None, 128)", "100480") + blank;
    expected += row("dropout (Dropout)", "(None, 128)", "0") + blank;
    expected += row("dense_1 (Dense)", "(None, 10)", "1290") + blank;
    expected += std::string(65, '=') + "\n";
    // 101770 float32 weights = 407080 bytes = 397.54 KB (readable_memory_size, base 1024).
    expected += "Total params: 101770 (397.54 KB)\n";
    expected += "Trainable params: 101770 (397.54 KB)\n";
    expected += "Non-trainable params: 0 (0.00 Byte)\n";
    expected += std::string(65, '_') + "\n";
    EXPECT_EQ(model.summary_string(), expected);
}

TEST(ModelSummary, UnbuiltModelIsAnError) {
    Sequential model({Dense(4)});
    try {
        model.summary_string();
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("not yet been built"), std::string::npos);
    }
}

TEST(ModelSummary, FrozenLayerCountsAsNonTrainable) {
    Sequential model({Dense(3, {.input_shape = {2}, .name = "a"}), Dense(1, {.name = "b"})});
    model.layers()[0]->set_trainable(false);
    const std::string s = model.summary_string();
    EXPECT_NE(s.find("Trainable params: 4 (16.00 Byte)"), std::string::npos) << s;
    EXPECT_NE(s.find("Non-trainable params: 9 (36.00 Byte)"), std::string::npos) << s;
}

TEST(ModelWeights, SaveLoadRoundTripIsBitwise) {
    set_random_seed(3);
    Sequential a({Dense(5, {.activation = "relu", .input_shape = {4}}), Dense(2)});
    Sequential b({Dense(5, {.activation = "relu", .input_shape = {4}}), Dense(2)});
    const auto path = (std::filesystem::temp_directory_path() / "tfc_weights_rt.tfcw").string();
    a.save_weights(path);
    b.load_weights(path);
    Tensor x = random_uniform({3, 4}, -1, 1);
    Tensor pa = a.predict(x), pb = b.predict(x);
    EXPECT_EQ(std::memcmp(pa.raw_data(), pb.raw_data(), pa.nbytes()), 0);
    EXPECT_FALSE(std::filesystem::exists(path + ".tmp"));
}

TEST(ModelWeights, TruncatedAndMismatchedFilesAreRefused) {
    Sequential a({Dense(5, {.input_shape = {4}}), Dense(2)});
    const auto path = (std::filesystem::temp_directory_path() / "tfc_weights_bad.tfcw").string();
    a.save_weights(path);
    std::filesystem::resize_file(path, std::filesystem::file_size(path) - 7);
    try {
        a.load_weights(path);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("truncated"), std::string::npos) << e.what();
    }
    Sequential other({Dense(6, {.input_shape = {4}}), Dense(2)});
    other.save_weights(path);
    try {
        a.load_weights(path);
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("wrong shape"), std::string::npos) << e.what();
    }
}

TEST(ModelFit, ValidationSplitTakesTheLastFractionBeforeShuffling) {
    // y encodes the row index; a callback-free check through evaluate on the split parts: a
    // model that can only fit the training rows shows val metrics on rows 8..9 (Keras's
    // train_validation_split: split_at = floor(10 * 0.8) = 8).
    set_random_seed(0);
    Tensor x = Tensor::zeros({10, 1});
    std::vector<float> yv;
    for (int i = 0; i < 10; ++i) yv.push_back(i < 8 ? 0.0f : 100.0f);
    Tensor y = Tensor::from_vector(yv, {10, 1});
    Sequential model({Dense(1, {.input_shape = {1}})});
    model.compile("sgd", "mse");
    History h = model.fit(x, y, {.batch_size = 4, .epochs = 1, .verbose = 0,
                                 .validation_split = 0.2});
    // Every validation target is 100 and every training target 0: val_loss ≈ 100^2 exactly
    // when the split is the last 20%.
    ASSERT_EQ(h.history["val_loss"].size(), 1u);
    EXPECT_GT(h.history["val_loss"][0], 9000.0);
    EXPECT_LT(h.history["loss"][0], 1.0);
}

TEST(ModelPredict, ReturnsOneRowPerSampleAcrossBatches) {
    Sequential model({Dense(3, {.input_shape = {2}})});
    Tensor p = model.predict(Tensor::ones({70, 2}), {.batch_size = 32});
    EXPECT_EQ(p.shape(), (Shape{70, 3}));
}

}  // namespace
}  // namespace tfc
