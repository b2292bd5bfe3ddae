// End to end: the Fashion-MNIST model trained on the real data, bitwise reproducibility,
// and the training loop's bad-input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <filesystem>

#include "tfc/callbacks/callbacks.h"
#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/datasets/fashion_mnist.h"
#include "tfc/io/model_io.h"
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/plot/history_plot.h"
#include "tfc/training/sequential.h"

namespace tfc {
namespace {

bool have_fashion_mnist() { return std::filesystem::exists("/usr/share/datasets/fashion-mnist"); }

Sequential course_model() {
    return Sequential({
        Flatten({.input_shape = {28, 28}}),
        Dense(128, {.activation = "relu"}),
        Dropout(0.2),
        Dense(10, {.activation = "softmax"}),
    });
}

std::string error_of(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(FashionMnistE2E, FiveEpochsOfAdamReachTheCourseAccuracy) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist not installed";
    set_random_seed(1);
    auto d = datasets::fashion_mnist::load_data();
    Tensor x_train = ops::div(d.x_train.astype(DType::float32), 255.0);
    Tensor x_test = ops::div(d.x_test.astype(DType::float32), 255.0);
    Sequential model = course_model();
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    EXPECT_EQ(model.count_params(), 101770);  // 784*128+128 + 128*10+10
    History h = model.fit(x_train, d.y_train.astype(DType::int32), {.epochs = 5, .verbose = 0});
    ASSERT_EQ(h.history["loss"].size(), 5u);
    ASSERT_EQ(h.history["accuracy"].size(), 5u);
    EXPECT_LT(h.history["loss"].back(), h.history["loss"].front());
    const auto r = model.evaluate_dict(x_test, d.y_test.astype(DType::int32), {.verbose = 0});
    EXPECT_GE(r.at("accuracy"), 0.87) << "test loss " << r.at("loss");
    // predict() returns probabilities whose argmax gives the same accuracy.
    Tensor p = model.predict(x_test);
    Tensor pred = ops::argmax(p, -1);
    std::int64_t hits = 0;
    for (std::int64_t i = 0; i < pred.size(); ++i) hits += pred.at(i) == d.y_test.at(i);
    EXPECT_NEAR(static_cast<double>(hits) / pred.size(), r.at("accuracy"), 1e-9);
    // Saved as .keras, reloaded (compiled from the file), re-evaluated to the same numbers.
    const auto path = (std::filesystem::temp_directory_path() / "tfc_e2e_fashion.keras").string();
    save_model(model, path);
    EXPECT_GT(std::filesystem::file_size(path), 101770u * 4);
    auto back = load_model(path);
    const auto again = back->evaluate_dict(x_test, d.y_test.astype(DType::int32), {.verbose = 0});
    EXPECT_EQ(again.at("accuracy"), r.at("accuracy"));
    EXPECT_EQ(again.at("loss"), r.at("loss"));
    const auto png = (std::filesystem::temp_directory_path() / "tfc_e2e_history.png").string();
    plot::plot_history(h.history, png);
    EXPECT_GT(std::filesystem::file_size(png), 1000u);
}

std::vector<Tensor> train_small(std::uint64_t seed) {
    set_random_seed(seed);
    auto d = datasets::fashion_mnist::load_data();
    std::vector<std::int64_t> rows;
    for (int i = 0; i < 2048; ++i) rows.push_back(i);
    Tensor x = ops::div(ops::take_rows(d.x_train, rows).astype(DType::float32), 255.0);
    Tensor y = ops::take_rows(d.y_train, rows).astype(DType::int32);
    Sequential model = course_model();
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    model.fit(x, y, {.epochs = 2, .verbose = 0, .validation_split = 0.1});
    return model.get_weights();
}

TEST(FashionMnistE2E, SameSeedOnOneThreadGivesBitwiseIdenticalWeights) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist not installed";
    const int threads = kernels::cpu::num_threads();
    kernels::cpu::set_num_threads(1);
    auto a = train_small(123);
    auto b = train_small(123);
    auto c = train_small(124);
    kernels::cpu::set_num_threads(threads);
    ASSERT_EQ(a.size(), b.size());
    bool differs_with_other_seed = false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        ASSERT_EQ(a[i].shape(), b[i].shape());
        EXPECT_EQ(std::memcmp(a[i].raw_data(), b[i].raw_data(), a[i].nbytes()), 0) << "weight " << i;
        differs_with_other_seed |= std::memcmp(a[i].raw_data(), c[i].raw_data(), a[i].nbytes()) != 0;
    }
    EXPECT_TRUE(differs_with_other_seed);
}

TEST(TrainingErrors, SampleCountMismatch) {
    Sequential model = course_model();
    model.compile("adam", "sparse_categorical_crossentropy");
    const std::string msg = error_of([&] {
        model.fit(Tensor::zeros({10, 28, 28}), Tensor::zeros({9}, DType::int32), {.verbose = 0});
    });
    EXPECT_NE(msg.find("different numbers of samples"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Got x (10, 28, 28) and y (9,)"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
}

TEST(TrainingErrors, WrongInputShapeForTheModel) {
    Sequential model = course_model();
    model.compile("adam", "sparse_categorical_crossentropy");
    const std::string msg = error_of([&] {
        model.fit(Tensor::zeros({10, 784}), Tensor::zeros({10}, DType::int32), {.verbose = 0});
    });
    EXPECT_NE(msg.find("input shape does not match"), std::string::npos) << msg;
    EXPECT_NE(msg.find("(10, 784)"), std::string::npos) << msg;
    const std::string msg2 = error_of([&] { model.predict(Tensor::zeros({4, 28, 27})); });
    EXPECT_NE(msg2.find("(4, 28, 27)"), std::string::npos) << msg2;
}

TEST(TrainingErrors, LossThatDoesNotFitTheOutput) {
    Sequential model = course_model();
    // One-hot loss with integer labels of shape (N,): Keras fails on the shape mismatch.
    model.compile("adam", "categorical_crossentropy");
    const std::string msg = error_of([&] {
        model.fit(Tensor::zeros({8, 28, 28}), Tensor::zeros({8}, DType::int32), {.verbose = 0});
    });
    EXPECT_FALSE(msg.empty());
    EXPECT_NE(msg.find("Got"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
}

TEST(TrainingErrors, UncompiledModel) {
    Sequential model = course_model();
    const std::string msg = error_of(
        [&] { model.fit(Tensor::zeros({8, 28, 28}), Tensor::zeros({8}, DType::int32)); });
    EXPECT_NE(msg.find("compiled"), std::string::npos) << msg;
}

TEST(TrainingErrors, NanLossStopsTrainingWithTerminateOnNaN) {
    Sequential model({Dense(1, {.input_shape = {3}})});
    model.compile("sgd", "mse");
    Tensor x = Tensor::ones({64, 3});
    Tensor y = Tensor::ones({64, 1});
    y.data<float>()[5] = std::nanf("");
    auto cb = std::make_shared<TerminateOnNaN>();
    History h = model.fit(x, y, {.batch_size = 4, .epochs = 3, .verbose = 0, .callbacks = {cb}});
    EXPECT_TRUE(model.stop_training);
    ASSERT_EQ(h.history["loss"].size(), 1u);  // stopped during the first epoch
    EXPECT_TRUE(std::isnan(h.history["loss"][0]));
}

}  // namespace
}  // namespace tfc
