// Pooling, global pooling, ZeroPadding2D, Cropping2D and UpSampling2D layers: goldens from
// TF.js 4.22 (tools/golden/pool_norm_tfjs.js) and, where TF.js is wrong (AveragePooling "same"
// gradient, masked GlobalAveragePooling1D), from the Keras formula in torch float64
// (tools/golden/pool_norm_torch.py); float64 gradient checks through the layers; shapes, names
// and bad-input errors.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/layers/average_pooling.h"
#include "tfc/layers/cropping2d.h"
#include "tfc/layers/global_pooling.h"
#include "tfc/layers/max_pooling.h"
#include "tfc/layers/up_sampling2d.h"
#include "tfc/layers/zero_padding2d.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

using json = nlohmann::json;
using ops::Size2;

json load(const std::string& file) {
    std::ifstream in(testing::source_dir() + "/tests/golden/layers/" + file);
    EXPECT_TRUE(in.good()) << file;
    return json::parse(in);
}

Tensor tensor_of(const json& values, const json& shape) {
    return Tensor::from_vector(values.get<std::vector<double>>(), shape.get<Shape>())
        .astype(DType::float32);
}

void expect_close(const Tensor& got, const json& want, const std::string& what) {
    const std::vector<double> g = got.to_doubles();
    const std::vector<double> w = want.get<std::vector<double>>();
    ASSERT_EQ(g.size(), w.size()) << what;
    for (std::size_t i = 0; i < g.size(); ++i) {
        ASSERT_NEAR(g[i], w[i], 1e-4 * std::max(std::fabs(w[i]), 0.1)) << what << " at " << i;
    }
}

Size2 pair_of(const json& v) {
    if (v.is_array()) return {v[0].get<std::int64_t>(), v[1].get<std::int64_t>()};
    return {v.get<std::int64_t>(), v.get<std::int64_t>()};
}

// Builds the layer a golden case names, from its TF.js (camelCase) or Keras (snake_case) config.
std::shared_ptr<Layer> make_layer(const json& c) {
    const std::string cls = c["class_name"];
    const json& k = c["config"];
    const auto get = [&](const char* camel, const char* snake) -> const json* {
        if (k.contains(camel)) return &k[camel];
        if (k.contains(snake)) return &k[snake];
        return nullptr;
    };
    const std::string padding = k.value("padding", json("valid")).is_string()
                                    ? k.value("padding", std::string("valid"))
                                    : std::string();
    if (cls == "MaxPooling2D" || cls == "AveragePooling2D") {
        Pooling2DOptions o{.pool_size = pair_of(*get("poolSize", "pool_size")), .padding = padding};
        if (const json* s = get("strides", "strides")) o.strides = pair_of(*s);
        if (cls == "MaxPooling2D") return std::make_shared<MaxPooling2D>(o);
        return std::make_shared<AveragePooling2D>(o);
    }
    if (cls == "MaxPooling1D" || cls == "AveragePooling1D") {
        const json* p = get("poolSize", "pool_size");
        Pooling1DOptions o{.pool_size = p->is_array() ? (*p)[0].get<std::int64_t>()
                                                      : p->get<std::int64_t>(),
                           .padding = padding};
        if (const json* s = get("strides", "strides")) {
            o.strides = s->is_array() ? (*s)[0].get<std::int64_t>() : s->get<std::int64_t>();
        }
        if (cls == "MaxPooling1D") return std::make_shared<MaxPooling1D>(o);
        return std::make_shared<AveragePooling1D>(o);
    }
    GlobalPoolingOptions go{.keepdims = k.value("keepdims", false)};
    if (cls == "GlobalAveragePooling1D") return std::make_shared<GlobalAveragePooling1D>(go);
    if (cls == "GlobalMaxPooling1D") return std::make_shared<GlobalMaxPooling1D>(go);
    if (cls == "GlobalAveragePooling2D") return std::make_shared<GlobalAveragePooling2D>(go);
    if (cls == "GlobalMaxPooling2D") return std::make_shared<GlobalMaxPooling2D>(go);
    const auto pad = [](const json& v) -> Padding2D {
        if (v.is_number()) return Padding2D(v.get<std::int64_t>());
        if (v[0].is_number()) return Padding2D(v[0].get<std::int64_t>(), v[1].get<std::int64_t>());
        const Size2 r = pair_of(v[0]), c = pair_of(v[1]);
        return Padding2D(std::array<std::int64_t, 2>{r.h, r.w}, std::array<std::int64_t, 2>{c.h, c.w});
    };
    if (cls == "ZeroPadding2D") return std::make_shared<ZeroPadding2D>(ZeroPadding2DOptions{.padding = pad(k["padding"])});
    if (cls == "Cropping2D") return std::make_shared<Cropping2D>(Cropping2DOptions{.cropping = pad(k["cropping"])});
    if (cls == "UpSampling2D") return std::make_shared<UpSampling2D>(UpSampling2DOptions{.size = pair_of(k["size"])});
    ADD_FAILURE() << "unknown class " << cls;
    return nullptr;
}

// Runs every case of a fixture: output, and d(sum(y * R))/dx when the fixture has it.
int run_fixture(const std::string& file) {
    const json doc = load(file);
    int checked = 0;
    for (const json& c : doc["cases"]) {
        std::shared_ptr<Layer> layer = make_layer(c);
        Tensor x = tensor_of(c["x"], c["x_shape"]);
        if (c.contains("mask")) {
            std::vector<double> m;
            for (const auto& row : c["mask"]) for (const auto& v : row) m.push_back(v.get<double>());
            Tensor x2 = ops::reshape(x, x.shape());
            x2.set_keras_mask(Tensor::from_vector(m, {x.dim(0), x.dim(1)}).astype(DType::bool_));
            x = x2;
        }
        const std::string name = c["name"];
        Tensor y;
        std::vector<Tensor> g;
        {
            autograd::GradientTape tape;
            tape.watch(x);
            y = (*layer)(x);
            const Tensor r = tensor_of(c["r"], json(y.shape()));
            g = tape.gradient(ops::sum(ops::mul(y, r)), {x});
        }
        if (c.contains("y_shape")) {
            EXPECT_EQ(y.shape(), c["y_shape"].get<Shape>()) << name;
        }
        EXPECT_EQ(layer->compute_output_shape(x.shape()), y.shape()) << name;
        expect_close(y, c["y"], file + ":" + name + " y");
        if (c.contains("dx")) expect_close(g[0], c["dx"], file + ":" + name + " dx");
        ++checked;
    }
    return checked;
}

TEST(PoolingGolden, TfjsPooling2D) { EXPECT_EQ(run_fixture("pool_2d.json"), 10); }
TEST(PoolingGolden, TfjsPooling1D) { EXPECT_EQ(run_fixture("pool_1d.json"), 8); }
TEST(PoolingGolden, TfjsGlobalPooling) { EXPECT_EQ(run_fixture("pool_global.json"), 4); }
TEST(PoolingGolden, TfjsPaddingCroppingUpsampling) {
    EXPECT_EQ(run_fixture("pool_reshaping.json"), 7);
}
TEST(PoolingGolden, KerasFormulaAveragePoolingSameGradient) {
    EXPECT_EQ(run_fixture("pool_avg_same.json"), 6);
}
TEST(PoolingGolden, KerasFormulaMaskedGlobalAveragePooling1D) {
    EXPECT_EQ(run_fixture("pool_gap1d_masked.json"), 2);
}

TEST(PoolingLayers, NamesShapesAndDefaults) {
    MaxPooling2D m;
    EXPECT_EQ(m.class_name(), "MaxPooling2D");
    EXPECT_EQ(m.name().rfind("max_pooling2d", 0), 0u);
    EXPECT_EQ(m.strides(), (Size2{2, 2}));  // strides=None -> pool_size
    EXPECT_EQ(m.compute_output_shape({-1, 28, 28, 3}), (Shape{-1, 14, 14, 3}));
    EXPECT_EQ(m.count_params(), 0);
    AveragePooling2D a({.pool_size = {3, 3}, .strides = Size2{2, 2}, .padding = "same"});
    EXPECT_EQ(a.compute_output_shape({-1, 7, 8, 2}), (Shape{-1, 4, 4, 2}));
    EXPECT_EQ(a.name().rfind("average_pooling2d", 0), 0u);
    MaxPooling1D m1({.pool_size = 3, .strides = 1, .padding = "same"});
    EXPECT_EQ(m1.compute_output_shape({-1, 10, 4}), (Shape{-1, 10, 4}));
    AveragePooling1D a1;
    EXPECT_EQ(a1.compute_output_shape({-1, 9, 4}), (Shape{-1, 4, 4}));
    EXPECT_EQ(a1.compute_output_shape({-1, -1, 4}), (Shape{-1, -1, 4}));
    GlobalAveragePooling2D g({.keepdims = true});
    EXPECT_EQ(g.compute_output_shape({-1, 5, 6, 7}), (Shape{-1, 1, 1, 7}));
    GlobalMaxPooling1D g1;
    EXPECT_EQ(g1.compute_output_shape({-1, 5, 7}), (Shape{-1, 7}));
    ZeroPadding2D z;
    EXPECT_EQ(z.compute_output_shape({-1, 5, 6, 7}), (Shape{-1, 7, 8, 7}));
    ZeroPadding2D z2({.padding = {{1, 0}, {2, 3}}});
    EXPECT_EQ(z2.compute_output_shape({-1, 5, 6, 7}), (Shape{-1, 6, 11, 7}));
    Cropping2D c({.cropping = {1, 2}});
    EXPECT_EQ(c.compute_output_shape({-1, 5, 6, 7}), (Shape{-1, 3, 2, 7}));
    UpSampling2D u;
    EXPECT_EQ(u.compute_output_shape({-1, 5, 6, 7}), (Shape{-1, 10, 12, 7}));
    EXPECT_EQ(u.name().rfind("up_sampling2d", 0), 0u);
}

TEST(PoolingLayers, GradientChecksFloat64) {
    const Tensor x4 = testing::random_f64({2, 5, 5, 2}, -1, 1, 5);
    const Tensor x3 = testing::random_f64({2, 7, 3}, -1, 1, 6);
    std::vector<std::pair<std::shared_ptr<Layer>, Tensor>> cases = {
        {std::make_shared<MaxPooling2D>(Pooling2DOptions{.padding = "same"}), x4},
        {std::make_shared<AveragePooling2D>(Pooling2DOptions{.pool_size = {3, 3}, .strides = Size2{2, 1}, .padding = "same"}), x4},
        {std::make_shared<MaxPooling1D>(Pooling1DOptions{.pool_size = 3, .strides = 2}), x3},
        {std::make_shared<AveragePooling1D>(Pooling1DOptions{.padding = "same"}), x3},
        {std::make_shared<GlobalAveragePooling1D>(), x3},
        {std::make_shared<GlobalMaxPooling2D>(), x4},
        {std::make_shared<ZeroPadding2D>(ZeroPadding2DOptions{.padding = {{1, 0}, {2, 1}}}), x4},
        {std::make_shared<Cropping2D>(Cropping2DOptions{.cropping = {{1, 0}, {2, 1}}}), x4},
        {std::make_shared<UpSampling2D>(UpSampling2DOptions{.size = {2, 3}}), x4},
    };
    for (auto& [layer, x] : cases) {
        EXPECT_TRUE(testing::check_gradients(
            [&, l = layer](const std::vector<Tensor>& in) { return (*l)(in[0]); }, {x}))
            << layer->class_name();
    }
    // Masked GlobalAveragePooling1D: the mask rides on the input.
    GlobalAveragePooling1D gap;
    const Tensor mask = Tensor::from_vector(
        std::vector<std::uint8_t>{1, 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0}, {2, 7}).astype(DType::bool_);
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>& in) {
            Tensor xm = ops::reshape(in[0], in[0].shape());
            xm.set_keras_mask(mask);
            const Tensor y = gap(xm);
            EXPECT_FALSE(y.keras_mask().defined());
            return y;
        },
        {x3}));
}

TEST(PoolingLayers, BadInputErrors) {
    MaxPooling2D m;
    EXPECT_THROW(m(Tensor::zeros({2, 4, 4})), Error);              // wrong rank
    MaxPooling2D big({.pool_size = {5, 5}});
    EXPECT_THROW(big(Tensor::zeros({1, 4, 4, 1})), Error);         // pool larger than input
    EXPECT_THROW(big.compute_output_shape({-1, 4, 4, 1}), Error);
    AveragePooling1D a1({.pool_size = 4});
    try {
        a1(Tensor::zeros({1, 3, 2}));
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[" + a1.name() + "]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("padding=\"same\""), std::string::npos) << msg;
    }
    EXPECT_THROW(MaxPooling2D({.padding = "causal"}), Error);
    EXPECT_THROW(MaxPooling2D({.data_format = "channels_first"}), Error);
    EXPECT_THROW(MaxPooling1D({.pool_size = 0}), Error);
    EXPECT_THROW(UpSampling2D({.interpolation = "bilinear"}), Error);
    EXPECT_THROW(ZeroPadding2D({.padding = -1}), Error);
    Cropping2D c({.cropping = {2, 0}});
    EXPECT_THROW(c(Tensor::zeros({1, 4, 4, 1})), Error);
    // Mask that does not fit the sequence.
    GlobalAveragePooling1D gap;
    Tensor x = Tensor::zeros({2, 5, 3});
    x.set_keras_mask(Tensor::ones({2, 4}, DType::bool_));
    EXPECT_THROW(gap(x), Error);
    // GlobalMaxPooling1D does not support masking (Keras 2).
    GlobalMaxPooling1D gmp;
    Tensor xm = Tensor::zeros({2, 5, 3});
    xm.set_keras_mask(Tensor::ones({2, 5}, DType::bool_));
    EXPECT_THROW(gmp(xm), Error);
}

}  // namespace
}  // namespace tfc
