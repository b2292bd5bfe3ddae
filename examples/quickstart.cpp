// The README's example, compiled and run by the test suite (with 1 epoch) so it stays true.
//   quickstart [EPOCHS]
#include <cstdlib>
#include <iostream>

#include "tfc/callbacks/callbacks.h"
#include "tfc/datasets/fashion_mnist.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/plot/history_plot.h"
#include "tfc/training/sequential.h"

int main(int argc, char** argv) {
    const int epochs = argc > 1 ? std::atoi(argv[1]) : 5;
    using namespace tfc;
    // --- README example ---
    auto [x_train, y_train, x_test, y_test] = datasets::fashion_mnist::load_data();
    Sequential model({Flatten({.input_shape = {28, 28}}), Dense(128, {.activation = "relu"}),
                      Dropout(0.2), Dense(10, {.activation = "softmax"})});
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    auto stop = std::make_shared<LambdaCallback>(
        LambdaCallbackOptions{.on_epoch_end = [&](int, Logs& logs) {
            if (logs.get("accuracy") > 0.9) model.stop_training = true;
        }});
    History h = model.fit(ops::div(x_train.astype(DType::float32), 255.0), y_train,
                          {.epochs = epochs, .callbacks = {stop}, .validation_split = 0.1});
    plot::plot_history(h.history, "history.png");
    // --- end of README example ---
    auto result =
        model.evaluate_dict(ops::div(x_test.astype(DType::float32), 255.0), y_test, {.verbose = 0});
    std::cout << "test accuracy " << result.at("accuracy") << "\n";
    return result.at("accuracy") > 0.5 ? 0 : 1;
}
