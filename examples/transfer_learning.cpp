// Transfer learning (docs/transfer_learning.md): pretrain a small CNN on Fashion-MNIST, save it
// as a Keras .keras file, load it back, freeze its convolutional base, put a new head on it and
// fine-tune on a small MNIST training set; then train the same architecture from scratch on the
// same data for the same wall-clock time, and print both test accuracies.
//   transfer_learning [PRETRAIN_SAMPLES] [TARGET_SAMPLES]
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <vector>

#include "examples/datasets_dir.h"
#include "tfc/core/random.h"
#include "tfc/datasets/fashion_mnist.h"
#include "tfc/datasets/idx.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/training/functional.h"
#include "tfc/training/sequential.h"

using namespace tfc;

namespace {

Tensor images(const Tensor& u8, std::int64_t n) {
    std::vector<std::int64_t> rows;
    for (std::int64_t i = 0; i < std::min(n, u8.dim(0)); ++i) rows.push_back(i);
    const Tensor x = ops::take_rows(u8, rows);
    return ops::div(x.astype(DType::float32), 255.0).reshaped({x.dim(0), 28, 28, 1});
}

Tensor labels(const Tensor& y, std::int64_t n) {
    std::vector<std::int64_t> rows;
    for (std::int64_t i = 0; i < std::min(n, y.dim(0)); ++i) rows.push_back(i);
    return ops::take_rows(y, rows).astype(DType::int32);
}

// The base (two conv blocks) and the classifier head; `name` prefixes keep names unique.
std::vector<LayerPtr> cnn_base() {
    return {std::make_shared<Conv2D>(8, Size2{3, 3}, Conv2DOptions{.activation = "relu"}),
            std::make_shared<MaxPooling2D>(),
            std::make_shared<Conv2D>(16, Size2{3, 3}, Conv2DOptions{.activation = "relu"}),
            std::make_shared<MaxPooling2D>(), std::make_shared<Flatten>()};
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
    const std::int64_t n_pre = argc > 1 ? std::atoll(argv[1]) : 12000;
    const std::int64_t n_target = argc > 2 ? std::atoll(argv[2]) : 500;
    set_random_seed(42);
    const std::string mnist =
        tfc_examples::datasets_dir("transfer_learning", "", "mnist-10k") + "/mnist-10k/";

    // 1. Pretrain on Fashion-MNIST.
    auto fashion = datasets::fashion_mnist::load_data();
    Sequential source;
    source.add(Input({28, 28, 1}));
    for (const auto& l : cnn_base()) source.add(l);
    source.add(Dense(10, {.activation = "softmax"}));
    source.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    auto t0 = std::chrono::steady_clock::now();
    source.fit(images(fashion.x_train, n_pre), labels(fashion.y_train, n_pre),
               {.batch_size = 64, .epochs = 2, .verbose = 0});
    const double fashion_acc = source
                                   .evaluate_dict(images(fashion.x_test, 10000),
                                                  labels(fashion.y_test, 10000), {.verbose = 0})
                                   .at("accuracy");
    std::cout << "pretrained on " << n_pre << " Fashion-MNIST images in " << seconds_since(t0)
              << " s: Fashion-MNIST test accuracy " << fashion_acc << "\n";

    // 2. Save in Keras's format and load it back.
    const std::string path = "transfer_base.keras";
    save_model(source, path);
    auto loaded = load_model(path, {.compile = false});
    std::cout << "saved and reloaded " << path << " (" << loaded->layers().size() << " layers)\n";

    // 3. Freeze the loaded base and put a new head on it (functional API).
    const Tensor x_train =
        images(datasets::read_idx(mnist + "train-images-idx3-ubyte.gz"), n_target);
    const Tensor y_train =
        labels(datasets::read_idx(mnist + "train-labels-idx1-ubyte.gz"), n_target);
    const Tensor x_test = images(datasets::read_idx(mnist + "test-images-idx3-ubyte.gz"), 100000);
    const Tensor y_test = labels(datasets::read_idx(mnist + "test-labels-idx1-ubyte.gz"), 100000);
    KerasTensor in = Input({28, 28, 1});
    KerasTensor x = in;
    auto base_layers = loaded->layers();
    base_layers.pop_back();  // drop the Fashion-MNIST classifier
    for (const auto& l : base_layers) {
        l->set_trainable(false);
        x = apply_layer(l, x);
    }
    KerasTensor out = apply_layer(Dense(10, {.activation = "softmax", .name = "mnist_head"}), x);
    Functional transfer(in, out, "transfer");
    transfer.summary();
    transfer.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    const int epochs = 10;
    t0 = std::chrono::steady_clock::now();
    transfer.fit(x_train, y_train, {.batch_size = 32, .epochs = epochs, .verbose = 0});
    const double budget = seconds_since(t0);
    const double transfer_acc =
        transfer.evaluate_dict(x_test, y_test, {.verbose = 0}).at("accuracy");

    // 4. The same architecture from scratch, trained for the same wall-clock time.
    Sequential scratch;
    scratch.add(Input({28, 28, 1}));
    for (const auto& l : cnn_base()) scratch.add(l);
    scratch.add(Dense(10, {.activation = "softmax"}));
    scratch.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    t0 = std::chrono::steady_clock::now();
    int scratch_epochs = 0;
    while (seconds_since(t0) < budget) {
        scratch.fit(x_train, y_train, {.batch_size = 32, .epochs = 1, .verbose = 0});
        ++scratch_epochs;
    }
    const double scratch_acc = scratch.evaluate_dict(x_test, y_test, {.verbose = 0}).at("accuracy");

    std::cout << "MNIST, " << n_target << " training images, " << x_test.dim(0)
              << " test images, time budget " << budget << " s\n";
    std::cout << "  transfer (frozen Fashion-MNIST base + new head, " << epochs
              << " epochs): test accuracy " << transfer_acc << "\n";
    std::cout << "  from scratch (" << scratch_epochs << " epochs in " << seconds_since(t0)
              << " s): test accuracy " << scratch_acc << "\n";
    return transfer_acc > 0.5 ? 0 : 1;
}
