// Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): 60,000 + 10,000 28x28 uint8 images, 10 classes,
// like tf.keras.datasets.fashion_mnist.load_data(). Files are looked up in this order:
//   1. the `directory` argument, when not empty;
//   2. $TFC_FASHION_MNIST_DIR;
//   3. /usr/share/datasets/fashion-mnist (Debian package `dataset-fashion-mnist`).
// Each folder must hold train-images-idx3-ubyte(.gz), train-labels-idx1-ubyte(.gz),
// t10k-images-idx3-ubyte(.gz), t10k-labels-idx1-ubyte(.gz).
#pragma once

#include <string>
#include <utility>

#include "tfc/core/tensor.h"

namespace tfc::datasets::fashion_mnist {

struct Data {
    Tensor x_train;  // uint8 (60000, 28, 28)
    Tensor y_train;  // uint8 (60000,)
    Tensor x_test;   // uint8 (10000, 28, 28)
    Tensor y_test;   // uint8 (10000,)
};

Data load_data(const std::string& directory = "");

// Class names in label order.
const char* class_name(int label);

}  // namespace tfc::datasets::fashion_mnist
