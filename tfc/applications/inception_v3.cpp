// InceptionV3 (keras/applications/inception_v3.py of Keras 2.15; Szegedy et al. 2015): every
// convolution is conv2d_bn = Conv2D(use_bias=False) -> BatchNormalization(scale=False) ->
// Activation("relu"), unnamed (so Keras's per-class counters name them: conv2d, conv2d_1, ...);
// the eleven Inception modules are Concatenates named mixed0 ... mixed10 (mixed9_0, mixed9_1
// inside the last two). The course cuts it at get_layer("mixed7") for transfer learning.
#include "tfc/applications/applications.h"
#include "tfc/applications/weights_file.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"

namespace tfc::applications {
namespace {

KerasTensor conv2d_bn(const KerasTensor& x, std::int64_t filters, std::int64_t rows, std::int64_t cols,
                      const std::string& padding = "same", Size2 strides = 1) {
    KerasTensor y = apply_layer(Conv2D(filters, Size2(rows, cols),
                                       {.strides = strides, .padding = padding, .use_bias = false}), x);
    y = apply_layer(BatchNormalization({.scale = false}), y);
    return apply_layer(Activation("relu"), y);
}

KerasTensor avg_pool_same(const KerasTensor& x) {
    return apply_layer(AveragePooling2D({.pool_size = {3, 3}, .strides = ops::Size2{1, 1}, .padding = "same"}), x);
}

KerasTensor max_pool(const KerasTensor& x) {
    return apply_layer(MaxPooling2D({.pool_size = {3, 3}, .strides = ops::Size2{2, 2}}), x);
}

KerasTensor concat(const std::vector<KerasTensor>& xs, const std::string& name = "") {
    return apply_layer(Concatenate({.axis = 3, .name = name}), xs);
}

// mixed0-2: 35 x 35 x 256/288.
KerasTensor module_a(const KerasTensor& x, std::int64_t pool_filters, const std::string& name) {
    KerasTensor b1 = conv2d_bn(x, 64, 1, 1);
    KerasTensor b5 = conv2d_bn(conv2d_bn(x, 48, 1, 1), 64, 5, 5);
    KerasTensor b3 = conv2d_bn(conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3), 96, 3, 3);
    KerasTensor bp = conv2d_bn(avg_pool_same(x), pool_filters, 1, 1);
    return concat({b1, b5, b3, bp}, name);
}

// mixed4-7: 17 x 17 x 768 with factorised 7x7 convolutions of width `c`.
KerasTensor module_c(const KerasTensor& x, std::int64_t c, const std::string& name) {
    KerasTensor b1 = conv2d_bn(x, 192, 1, 1);
    KerasTensor b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, c, 1, 1), c, 1, 7), 192, 7, 1);
    KerasTensor d = conv2d_bn(x, c, 1, 1);
    d = conv2d_bn(d, c, 7, 1);
    d = conv2d_bn(d, c, 1, 7);
    d = conv2d_bn(d, c, 7, 1);
    d = conv2d_bn(d, 192, 1, 7);
    KerasTensor bp = conv2d_bn(avg_pool_same(x), 192, 1, 1);
    return concat({b1, b7, d, bp}, name);
}

// mixed9-10: 8 x 8 x 2048.
KerasTensor module_e(const KerasTensor& x, int i) {
    KerasTensor b1 = conv2d_bn(x, 320, 1, 1);
    KerasTensor b3 = conv2d_bn(x, 384, 1, 1);
    b3 = concat({conv2d_bn(b3, 384, 1, 3), conv2d_bn(b3, 384, 3, 1)}, "mixed9_" + std::to_string(i));
    KerasTensor d = conv2d_bn(conv2d_bn(x, 448, 1, 1), 384, 3, 3);
    d = concat({conv2d_bn(d, 384, 1, 3), conv2d_bn(d, 384, 3, 1)});
    KerasTensor bp = conv2d_bn(avg_pool_same(x), 192, 1, 1);
    return concat({b1, b3, d, bp}, "mixed" + std::to_string(9 + i));
}

}  // namespace

std::shared_ptr<Functional> InceptionV3(const InceptionV3Options& o) {
    const std::string where = "InceptionV3";
    detail::check_top_options(o.include_top, o.pooling, o.classes, o.weights, where);
    const Shape shape = detail::application_input_shape(o.input_shape, 299, 75, where);
    KerasTensor img_input = Input(shape);
    KerasTensor x = conv2d_bn(img_input, 32, 3, 3, "valid", 2);
    x = conv2d_bn(x, 32, 3, 3, "valid");
    x = conv2d_bn(x, 64, 3, 3);
    x = max_pool(x);
    x = conv2d_bn(x, 80, 1, 1, "valid");
    x = conv2d_bn(x, 192, 3, 3, "valid");
    x = max_pool(x);

    x = module_a(x, 32, "mixed0");
    x = module_a(x, 64, "mixed1");
    x = module_a(x, 64, "mixed2");

    // mixed3: 17 x 17 x 768 (grid reduction).
    {
        KerasTensor b3 = conv2d_bn(x, 384, 3, 3, "valid", 2);
        KerasTensor d = conv2d_bn(conv2d_bn(x, 64, 1, 1), 96, 3, 3);
        d = conv2d_bn(d, 96, 3, 3, "valid", 2);
        x = concat({b3, d, max_pool(x)}, "mixed3");
    }
    x = module_c(x, 128, "mixed4");
    x = module_c(x, 160, "mixed5");
    x = module_c(x, 160, "mixed6");
    x = module_c(x, 192, "mixed7");

    // mixed8: 8 x 8 x 1280 (grid reduction).
    {
        KerasTensor b3 = conv2d_bn(conv2d_bn(x, 192, 1, 1), 320, 3, 3, "valid", 2);
        KerasTensor b7 = conv2d_bn(conv2d_bn(conv2d_bn(x, 192, 1, 1), 192, 1, 7), 192, 7, 1);
        b7 = conv2d_bn(b7, 192, 3, 3, "valid", 2);
        x = concat({b3, b7, max_pool(x)}, "mixed8");
    }
    x = module_e(x, 0);
    x = module_e(x, 1);

    if (o.include_top) {
        x = apply_layer(GlobalAveragePooling2D({.name = "avg_pool"}), x);
        x = apply_layer(Dense(o.classes, {.activation = o.classifier_activation, .name = "predictions"}), x);
    } else if (o.pooling == "avg") {
        x = apply_layer(GlobalAveragePooling2D(), x);
    } else if (o.pooling == "max") {
        x = apply_layer(GlobalMaxPooling2D(), x);
    }
    auto model = std::make_shared<Functional>(img_input, x, "inception_v3");
    detail::load_application_weights(*model, o.weights,
                                     o.include_top ? "inception_v3_weights_tf_dim_ordering_tf_kernels.h5"
                                                   : "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5",
                                     where);
    return model;
}

Tensor preprocess_input(const Tensor& x) {
    return ops::sub(ops::div(x.astype(DType::float32), 127.5), 1.0);
}

}  // namespace tfc::applications
