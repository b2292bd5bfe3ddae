// Feature extraction (docs/transfer_learning.md): train a small functional CNN on
// Fashion-MNIST, cut a sub-model at its inner "features" layer, turn MNIST images into feature
// vectors with it, and train a Dense classifier on those vectors.
//   feature_extraction [PRETRAIN_SAMPLES] [TARGET_SAMPLES]
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

#include "examples/datasets_dir.h"
#include "tfc/core/random.h"
#include "tfc/datasets/fashion_mnist.h"
#include "tfc/datasets/idx.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/training/functional.h"
#include "tfc/training/sequential.h"

using namespace tfc;

namespace {

Tensor first_rows(const Tensor& t, std::int64_t n) {
    std::vector<std::int64_t> rows;
    for (std::int64_t i = 0; i < std::min(n, t.dim(0)); ++i) rows.push_back(i);
    return ops::take_rows(t, rows);
}
Tensor images(const Tensor& u8, std::int64_t n) {
    const Tensor x = first_rows(u8, n);
    return ops::div(x.astype(DType::float32), 255.0).reshaped({x.dim(0), 28, 28, 1});
}
Tensor labels(const Tensor& y, std::int64_t n) { return first_rows(y, n).astype(DType::int32); }

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t n_pre = argc > 1 ? std::atoll(argv[1]) : 6000;
    const std::int64_t n_target = argc > 2 ? std::atoll(argv[2]) : 1000;
    set_random_seed(7);
    const std::string mnist =
        tfc_examples::datasets_dir("feature_extraction", "", "mnist-10k") + "/mnist-10k/";

    KerasTensor in = Input({28, 28, 1});
    KerasTensor x = apply_layer(Conv2D(8, {3, 3}, {.activation = "relu"}), in);
    x = apply_layer(MaxPooling2D(), x);
    x = apply_layer(Conv2D(16, {3, 3}, {.activation = "relu"}), x);
    x = apply_layer(MaxPooling2D(), x);
    x = apply_layer(Flatten(), x);
    x = apply_layer(Dense(32, {.activation = "relu", .name = "features"}), x);
    KerasTensor out = apply_layer(Dense(10, {.activation = "softmax"}), x);
    Functional cnn(in, out, "fashion_cnn");
    auto fashion = datasets::fashion_mnist::load_data();
    cnn.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    cnn.fit(images(fashion.x_train, n_pre), labels(fashion.y_train, n_pre),
            {.batch_size = 64, .epochs = 1, .verbose = 0});

    // The sub-model from the input to the inner layer shares the trained weights.
    Functional extractor(cnn.input(), cnn.layer_output("features"), "extractor");
    const Tensor f_train = extractor.predict(
        images(datasets::read_idx(mnist + "train-images-idx3-ubyte.gz"), n_target));
    const Tensor y_train =
        labels(datasets::read_idx(mnist + "train-labels-idx1-ubyte.gz"), n_target);
    const Tensor f_test =
        extractor.predict(images(datasets::read_idx(mnist + "test-images-idx3-ubyte.gz"), 100000));
    const Tensor y_test = labels(datasets::read_idx(mnist + "test-labels-idx1-ubyte.gz"), 100000);

    Sequential classifier({Dense(10, {.activation = "softmax", .input_shape = {32}})});
    classifier.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    classifier.fit(f_train, y_train, {.batch_size = 32, .epochs = 30, .verbose = 0});
    const double acc = classifier.evaluate_dict(f_test, y_test, {.verbose = 0}).at("accuracy");
    std::cout << "features " << shape_str(f_train.shape()) << " from layer 'features' of a CNN "
              << "trained on " << n_pre << " Fashion-MNIST images\n";
    std::cout << "Dense classifier on MNIST features (" << n_target << " train, " << f_test.dim(0)
              << " test): test accuracy " << acc << "\n";
    return acc > 0.3 ? 0 : 1;
}
