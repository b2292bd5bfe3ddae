// MobileNetV2 (keras/applications/mobilenet_v2.py of Keras 2.15; Sandler et al. 2018): the
// stem Conv1, 17 inverted residual blocks (expand 1x1 -> depthwise 3x3 -> project 1x1, Add when
// the shape is kept), Conv_1, and the top. Layer names, BatchNormalization momentum 0.999 and
// epsilon 1e-3, ReLU(6.) and the stride-2 padding (imagenet_utils.correct_pad) are Keras's.
#include <cmath>
#include <cstdio>

#include "tfc/applications/applications.h"
#include "tfc/applications/weights_file.h"
#include "tfc/core/error.h"
#include "tfc/layers/layers.h"

namespace tfc::applications {
namespace {

// _make_divisible: the nearest multiple of `divisor`, not more than 10% below v.
std::int64_t make_divisible(double v, std::int64_t divisor) {
    std::int64_t n = std::max<std::int64_t>(
        divisor, static_cast<std::int64_t>(v + static_cast<double>(divisor) / 2.0) / divisor * divisor);
    if (static_cast<double>(n) < 0.9 * v) n += divisor;
    return n;
}

KerasTensor conv_bn_relu6(const KerasTensor& x, std::int64_t filters, Size2 kernel, Size2 strides,
                          const std::string& padding, const std::string& conv_name,
                          const std::string& bn_name, const std::string& relu_name) {
    KerasTensor y = apply_layer(Conv2D(filters, kernel, {.strides = strides, .padding = padding,
                                                         .use_bias = false, .name = conv_name}), x);
    y = apply_layer(BatchNormalization({.momentum = 0.999, .epsilon = 1e-3, .name = bn_name}), y);
    if (relu_name.empty()) return y;
    return apply_layer(ReLU({.max_value = 6.0, .name = relu_name}), y);
}

KerasTensor inverted_res_block(const KerasTensor& inputs, std::int64_t expansion, std::int64_t stride,
                               double alpha, std::int64_t filters, int block_id) {
    const std::int64_t in_channels = inputs.shape().back();
    const std::int64_t pointwise_filters =
        make_divisible(static_cast<double>(static_cast<std::int64_t>(static_cast<double>(filters) * alpha)), 8);
    KerasTensor x = inputs;
    std::string prefix = "block_" + std::to_string(block_id) + "_";
    if (block_id != 0) {
        x = conv_bn_relu6(x, expansion * in_channels, 1, 1, "same", prefix + "expand",
                          prefix + "expand_BN", prefix + "expand_relu");
    } else {
        prefix = "expanded_conv_";
    }
    if (stride == 2) {
        // correct_pad(x, 3): one extra row/column at the bottom/right for even sizes.
        const Shape& s = x.shape();
        const std::int64_t adjust_h = s[1] < 0 ? 1 : 1 - s[1] % 2, adjust_w = s[2] < 0 ? 1 : 1 - s[2] % 2;
        x = apply_layer(ZeroPadding2D({.padding = Padding2D({1 - adjust_h, 1}, {1 - adjust_w, 1}),
                                       .name = prefix + "pad"}), x);
    }
    x = apply_layer(DepthwiseConv2D(3, {.strides = stride, .padding = stride == 1 ? "same" : "valid",
                                        .use_bias = false, .name = prefix + "depthwise"}), x);
    x = apply_layer(BatchNormalization({.momentum = 0.999, .epsilon = 1e-3, .name = prefix + "depthwise_BN"}), x);
    x = apply_layer(ReLU({.max_value = 6.0, .name = prefix + "depthwise_relu"}), x);
    x = conv_bn_relu6(x, pointwise_filters, 1, 1, "same", prefix + "project", prefix + "project_BN", "");
    if (in_channels == pointwise_filters && stride == 1) {
        return apply_layer(Add({.name = prefix + "add"}), std::vector<KerasTensor>{inputs, x});
    }
    return x;
}

// Python's str(float) for the alphas Keras publishes: "1.0", "0.35", "0.5", ...
std::string py_float(double v) {
    char buf[32];
    if (v == std::floor(v)) std::snprintf(buf, sizeof buf, "%.1f", v);
    else std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

}  // namespace

std::shared_ptr<Functional> MobileNetV2(const MobileNetV2Options& o) {
    const std::string where = "MobileNetV2";
    detail::check_top_options(o.include_top, o.pooling, o.classes, o.weights, where);
    TFC_CHECK(o.alpha > 0 && o.alpha <= 4, where, "alpha is out of range", std::to_string(o.alpha),
              "0 < alpha <= 4 (published weights: 0.35, 0.5, 0.75, 1.0, 1.3, 1.4)",
              "pass a width multiplier such as 1.0");
    std::int64_t default_size = 224;
    if (!o.input_shape.empty() && o.input_shape.size() == 3 && o.input_shape[0] == o.input_shape[1]) {
        for (std::int64_t s : {96, 128, 160, 192, 224}) {
            if (o.input_shape[0] == s) default_size = s;
        }
    }
    const Shape shape = detail::application_input_shape(o.input_shape, default_size, 32, where);
    std::int64_t rows = shape[0];
    if (o.weights == "imagenet" && (shape[0] != shape[1] || (rows != 96 && rows != 128 && rows != 160 &&
                                                              rows != 192 && rows != 224))) {
        rows = 224;  // Keras loads the 224 weights for other sizes (with a warning)
    }

    KerasTensor img_input = Input(shape);
    KerasTensor x = conv_bn_relu6(img_input, make_divisible(32 * o.alpha, 8), 3, 2, "same", "Conv1",
                                  "bn_Conv1", "Conv1_relu");
    struct Block {
        std::int64_t filters, stride, expansion;
    };
    // (filters, stride, expansion) of blocks 0..16, from the paper's Table 2.
    const Block blocks[] = {{16, 1, 1},  {24, 2, 6},  {24, 1, 6},  {32, 2, 6},  {32, 1, 6},  {32, 1, 6},
                            {64, 2, 6},  {64, 1, 6},  {64, 1, 6},  {64, 1, 6},  {96, 1, 6},  {96, 1, 6},
                            {96, 1, 6},  {160, 2, 6}, {160, 1, 6}, {160, 1, 6}, {320, 1, 6}};
    int id = 0;
    for (const Block& b : blocks) x = inverted_res_block(x, b.expansion, b.stride, o.alpha, b.filters, id++);
    // No alpha on the last conv unless it widens the net (the paper).
    const std::int64_t last = o.alpha > 1.0 ? make_divisible(1280 * o.alpha, 8) : 1280;
    x = conv_bn_relu6(x, last, 1, 1, "valid", "Conv_1", "Conv_1_bn", "out_relu");
    if (o.include_top) {
        x = apply_layer(GlobalAveragePooling2D(), x);
        x = apply_layer(Dense(o.classes, {.activation = o.classifier_activation, .name = "predictions"}), x);
    } else if (o.pooling == "avg") {
        x = apply_layer(GlobalAveragePooling2D(), x);
    } else if (o.pooling == "max") {
        x = apply_layer(GlobalMaxPooling2D(), x);
    }
    char name[64];
    std::snprintf(name, sizeof name, "mobilenetv2_%0.2f_%lld", o.alpha, static_cast<long long>(rows));
    auto model = std::make_shared<Functional>(img_input, x, name);
    detail::load_application_weights(
        *model, o.weights,
        "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_" + py_float(o.alpha) + "_" +
            std::to_string(rows) + (o.include_top ? "" : "_no_top") + ".h5",
        where);
    return model;
}

}  // namespace tfc::applications
