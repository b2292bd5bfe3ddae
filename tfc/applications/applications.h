// tfc::applications: Keras's pretrained-model architectures (keras/applications/*.py of Keras
// 2.15) with Keras's exact layer names, layer order and defaults, so that Keras's published
// weight files load into them (legacy weights .h5, matched by the order of layers with weights,
// as Keras's model.load_weights does).
//   auto base = applications::MobileNetV2({.input_shape = {160, 160, 3}, .include_top = false,
//                                          .weights = "path/to/..._no_top.h5"});
//   base->set_trainable(false);
//   KerasTensor x = apply_layer(GlobalAveragePooling2D(), base->output());
//   Functional model(base->input(), apply_layer(Dense(1), x));
// weights: "" (random initialisation, Keras's weights=None), a path to a weights file, or
// "imagenet": the file Keras itself would download, looked up in the Keras cache
// (~/.keras/models or $KERAS_HOME/models); tfc does not download it.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "tfc/core/tensor.h"
#include "tfc/training/functional.h"

namespace tfc::applications {

struct MobileNetV2Options {
    Shape input_shape{};  // (rows, cols, 3); empty: (224, 224, 3)
    double alpha = 1.0;   // width multiplier
    bool include_top = true;
    std::string weights{};
    std::string pooling{};  // include_top = false: "" (4-D features), "avg" or "max"
    std::int64_t classes = 1000;
    std::string classifier_activation = "softmax";
};
std::shared_ptr<Functional> MobileNetV2(const MobileNetV2Options& options = {});

struct InceptionV3Options {
    Shape input_shape{};  // (rows, cols, 3), each >= 75; empty: (299, 299, 3)
    bool include_top = true;
    std::string weights{};
    std::string pooling{};
    std::int64_t classes = 1000;
    std::string classifier_activation = "softmax";
};
std::shared_ptr<Functional> InceptionV3(const InceptionV3Options& options = {});

// mobilenet_v2.preprocess_input / inception_v3.preprocess_input (imagenet_utils mode "tf"):
// pixels in [0, 255] to [-1, 1], x / 127.5 - 1.
Tensor preprocess_input(const Tensor& x);

}  // namespace tfc::applications
