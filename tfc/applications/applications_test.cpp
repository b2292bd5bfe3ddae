// tfc::applications against the facts Keras publishes about its own models: parameter counts
// (total / trainable / non-trainable) and layer counts of Keras's model.summary(), layer names,
// the feature-map shape of the layer the course cuts at; plus a weights-file round trip in
// Keras's legacy layout (what Keras's published weight files use) and the input checks.
#include <gtest/gtest.h>

#include <cstring>
#include <filesystem>

#include "tfc/applications/applications.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

std::int64_t count(const std::vector<Tensor>& ws) {
    std::int64_t n = 0;
    for (const auto& w : ws) n += w.size();
    return n;
}

std::string error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

Tensor image_batch(std::int64_t n, std::int64_t size) {
    std::vector<float> v(static_cast<std::size_t>(n * size * size * 3));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 7919) % 256);
    return applications::preprocess_input(Tensor::from_vector(v, {n, size, size, 3}));
}

// Keras 2.15: MobileNetV2() summary: Total params 3,538,984; Trainable 3,504,872;
// Non-trainable 34,112; 156 layers (the TF transfer-learning tutorial's base model without the
// top has 154 layers and 2,257,984 parameters).
TEST(Applications, MobileNetV2MatchesKerasCounts) {
    auto m = applications::MobileNetV2();
    EXPECT_EQ(m->name(), "mobilenetv2_1.00_224");
    EXPECT_EQ(m->count_params(), 3538984);
    EXPECT_EQ(count(m->trainable_weights()), 3504872);
    EXPECT_EQ(count(m->non_trainable_weights()), 34112);
    EXPECT_EQ(m->layers().size(), 156u);
    EXPECT_EQ(m->layers()[1]->name(), "Conv1");
    EXPECT_EQ(m->layers()[2]->name(), "bn_Conv1");
    EXPECT_EQ(m->get_layer("block_1_pad")->class_name(), "ZeroPadding2D");
    EXPECT_EQ(m->get_layer("block_16_project_BN")->class_name(), "BatchNormalization");
    EXPECT_EQ(m->get_layer("block_2_add")->class_name(), "Add");
    EXPECT_EQ(m->layers().back()->name(), "predictions");
    EXPECT_EQ(m->output_shape(), (Shape{-1, 1000}));

    auto base = applications::MobileNetV2({.input_shape = {160, 160, 3}, .include_top = false});
    EXPECT_EQ(base->name(), "mobilenetv2_1.00_160");
    EXPECT_EQ(base->layers().size(), 154u);
    EXPECT_EQ(base->count_params(), 2257984);
    EXPECT_EQ(base->output_shape(), (Shape{-1, 5, 5, 1280}));
    auto pooled = applications::MobileNetV2({.input_shape = {96, 96, 3}, .include_top = false, .pooling = "avg"});
    EXPECT_EQ(pooled->output_shape(), (Shape{-1, 1280}));
}

// Keras 2.15: InceptionV3() summary: Total 23,851,784; Trainable 23,817,352; Non-trainable
// 34,432; without the top 21,802,784 and 311 layers; at 150x150 (the course's horses-or-humans
// transfer model) mixed7 is (None, 7, 7, 768).
TEST(Applications, InceptionV3MatchesKerasCounts) {
    auto m = applications::InceptionV3();
    EXPECT_EQ(m->count_params(), 23851784);
    EXPECT_EQ(count(m->trainable_weights()), 23817352);
    EXPECT_EQ(count(m->non_trainable_weights()), 34432);
    EXPECT_EQ(m->layers().size(), 313u);
    EXPECT_EQ(m->get_layer("avg_pool")->class_name(), "GlobalAveragePooling2D");
    for (int i = 0; i <= 10; ++i) {
        EXPECT_EQ(m->get_layer("mixed" + std::to_string(i))->class_name(), "Concatenate");
    }
    auto base = applications::InceptionV3({.input_shape = {150, 150, 3}, .include_top = false});
    EXPECT_EQ(base->count_params(), 21802784);
    EXPECT_EQ(base->layers().size(), 311u);
    EXPECT_EQ(base->layer_output("mixed7").shape(), (Shape{-1, 7, 7, 768}));
    EXPECT_EQ(base->output_shape(), (Shape{-1, 3, 3, 2048}));
}

// A sub-model cut at mixed7 runs, and Keras's legacy weights layout round trips bitwise into a
// fresh instance (Keras's published weight files are this layout, loaded by layer order).
TEST(Applications, WeightsFilesLoadIntoAFreshInstance) {
    set_random_seed(11);
    auto a = applications::MobileNetV2({.input_shape = {96, 96, 3}, .alpha = 0.35, .include_top = false,
                                        .pooling = "avg"});
    const Tensor x = image_batch(2, 96);
    const Tensor y = a->predict(x);
    EXPECT_EQ(y.shape(), (Shape{2, 1280}));
    const auto dir = std::filesystem::temp_directory_path() / "tfc_applications_test";
    std::filesystem::create_directories(dir);
    const std::string path = (dir / "mobilenet_v2_0.35_96_no_top.h5").string();
    save_weights(*a, path);
    auto b = applications::MobileNetV2({.input_shape = {96, 96, 3}, .alpha = 0.35, .include_top = false,
                                        .weights = path, .pooling = "avg"});
    const Tensor y2 = b->predict(x);
    ASSERT_EQ(y2.shape(), y.shape());
    EXPECT_EQ(std::memcmp(y.raw_data(), y2.raw_data(), y.nbytes()), 0);

    auto inc = applications::InceptionV3({.input_shape = {75, 75, 3}, .include_top = false});
    Functional cut(inc->input(), inc->layer_output("mixed7"));
    EXPECT_EQ(cut.predict(image_batch(1, 75)).shape(), (Shape{1, 3, 3, 768}));
}

TEST(Applications, BadOptionsAreRefused) {
    EXPECT_NE(error_of([] { applications::InceptionV3({.input_shape = {64, 64, 3}}); }).find("too small"),
              std::string::npos);
    EXPECT_NE(error_of([] { applications::MobileNetV2({.input_shape = {96, 96, 1}}); }).find("(rows, cols, 3)"),
              std::string::npos);
    EXPECT_NE(error_of([] { applications::MobileNetV2({.include_top = false, .pooling = "mean"}); })
                  .find("unknown pooling mode"),
              std::string::npos);
    EXPECT_NE(error_of([] { applications::MobileNetV2({.weights = "imagenet", .classes = 10}); })
                  .find("1000 classes"),
              std::string::npos);
    // No download: a missing cache file is named in the error.
    ::setenv("KERAS_HOME", "/nonexistent-keras-home", 1);
    const std::string e = error_of([] { applications::MobileNetV2({.include_top = false, .weights = "imagenet"}); });
    ::unsetenv("KERAS_HOME");
    EXPECT_NE(e.find("mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"), std::string::npos) << e;
}

}  // namespace
}  // namespace tfc
