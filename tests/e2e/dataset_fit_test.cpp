// model.fit / evaluate / predict fed by a tf.data-style Dataset.
#include <gtest/gtest.h>

#include <filesystem>

#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/data/dataset.h"
#include "tfc/datasets/fashion_mnist.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/training/sequential.h"

namespace tfc {
namespace {

TEST(DatasetFit, FashionMnistTrainsFromADatasetPipeline) {
    if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist")) GTEST_SKIP();
    set_random_seed(5);
    auto d = datasets::fashion_mnist::load_data();
    // The pipeline does the scaling, as a course notebook's map(lambda x, y: (x / 255, y)).
    auto scale = [](const data::Element& e) {
        return data::Element{ops::div(e[0].astype(DType::float32), 255.0), e[1].astype(DType::int32)};
    };
    data::Dataset train = data::Dataset::from_tensor_slices({d.x_train, d.y_train})
                              .shuffle(10000, {.seed = 1})
                              .batch(32)
                              .map(scale)
                              .prefetch(2);
    data::Dataset test =
        data::Dataset::from_tensor_slices({d.x_test, d.y_test}).batch(256).map(scale);
    Sequential model({Flatten({.input_shape = {28, 28}}), Dense(128, {.activation = "relu"}),
                      Dense(10, {.activation = "softmax"})});
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    History h = model.fit(train, {.epochs = 2, .verbose = 0}, -1, &test);
    ASSERT_EQ(h.history["loss"].size(), 2u);
    ASSERT_EQ(h.history["val_accuracy"].size(), 2u);
    const auto r = model.evaluate(test);
    EXPECT_GE(r[1], 0.85);
    EXPECT_DOUBLE_EQ(r[1], h.history["val_accuracy"].back());
    Tensor p = model.predict(test);
    EXPECT_EQ(p.shape(), (Shape{10000, 10}));
}

TEST(DatasetFit, InfiniteDatasetNeedsStepsPerEpoch) {
    Sequential model({Dense(1, {.input_shape = {2}})});
    model.compile("sgd", "mse");
    auto ds = data::Dataset::from_tensor_slices({Tensor::ones({8, 2}), Tensor::ones({8, 1})})
                  .batch(4)
                  .repeat();
    EXPECT_THROW(model.fit(ds, {.verbose = 0}), Error);
    History h = model.fit(ds, {.epochs = 3, .verbose = 0}, 5);
    EXPECT_EQ(h.history["loss"].size(), 3u);
}

TEST(DatasetFit, ValidationSplitAndBadElementsAreErrors) {
    Sequential model({Dense(1, {.input_shape = {2}})});
    model.compile("sgd", "mse");
    auto ds = data::Dataset::from_tensor_slices({Tensor::ones({8, 2}), Tensor::ones({8, 1})}).batch(4);
    EXPECT_THROW(model.fit(ds, {.verbose = 0, .validation_split = 0.2}), Error);
    auto single = data::Dataset::from_tensor_slices({Tensor::ones({8, 2})}).batch(4);
    try {
        model.fit(single, {.verbose = 0});
        FAIL();
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("(x, y)"), std::string::npos) << e.what();
    }
}

}  // namespace
}  // namespace tfc
