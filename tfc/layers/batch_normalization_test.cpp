// BatchNormalization and LayerNormalization layers: TF.js 4.22 goldens
// (tools/golden/pool_norm_tfjs.js) for the output, the gradients of sum(y * R) and the moving
// statistics after one training call; float64 gradient checks; weights, trainable=false and
// errors.
#include "tfc/layers/batch_normalization.h"

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/layers/layer_normalization.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

using json = nlohmann::json;

json load(const std::string& file) {
    std::ifstream in(testing::source_dir() + "/tests/golden/layers/" + file);
    EXPECT_TRUE(in.good()) << file;
    return json::parse(in);
}

Tensor vec(const json& v, const Shape& shape) {
    return Tensor::from_vector(v.get<std::vector<double>>(), shape).astype(DType::float32);
}

void expect_close(const Tensor& got, const json& want, const std::string& what) {
    const std::vector<double> g = got.to_doubles();
    const std::vector<double> w = want.get<std::vector<double>>();
    ASSERT_EQ(g.size(), w.size()) << what;
    for (std::size_t i = 0; i < g.size(); ++i) {
        ASSERT_NEAR(g[i], w[i], 1e-4 * std::max(std::fabs(w[i]), 0.1)) << what << " at " << i;
    }
}

TEST(BatchNormalizationGolden, TfjsTrainingAndInference) {
    const json doc = load("norm_batch.json");
    int n = 0;
    for (const json& c : doc["cases"]) {
        const Shape shape = c["x_shape"].get<Shape>();
        const std::int64_t ch = shape.back();
        BatchNormalization bn({.momentum = c["config"]["momentum"].get<double>(),
                               .epsilon = c["config"]["epsilon"].get<double>()});
        bn.build(shape);
        const json& w = c["initial_weights"];
        bn.set_weights({vec(w["gamma"], {ch}), vec(w["beta"], {ch}), vec(w["moving_mean"], {ch}),
                        vec(w["moving_variance"], {ch})});
        const Tensor x = vec(c["x"], shape), r = vec(c["r"], shape);
        const bool training = c["training"];
        std::vector<Tensor> g;
        Tensor y;
        {
            autograd::GradientTape tape;
            tape.watch(x);
            y = bn(x, training);
            g = tape.gradient(ops::sum(ops::mul(y, r)), {x, bn.gamma(), bn.beta()});
        }
        const std::string name = c["name"];
        expect_close(y, c["y"], name + " y");
        expect_close(g[0], c["dx"], name + " dx");
        expect_close(g[1], c["dgamma"], name + " dgamma");
        expect_close(g[2], c["dbeta"], name + " dbeta");
        expect_close(bn.moving_mean(), c["moving_mean_after"], name + " moving_mean");
        expect_close(bn.moving_variance(), c["moving_variance_after"], name + " moving_variance");
        ++n;
    }
    EXPECT_EQ(n, 6);
}

TEST(LayerNormalizationGolden, Tfjs) {
    const json doc = load("norm_layer.json");
    int n = 0;
    for (const json& c : doc["cases"]) {
        const Shape shape = c["x_shape"].get<Shape>();
        const std::int64_t ch = shape.back();
        LayerNormalization ln({.epsilon = c["config"]["epsilon"].get<double>()});
        ln.build(shape);
        ln.set_weights({vec(c["gamma"], {ch}), vec(c["beta"], {ch})});
        const Tensor x = vec(c["x"], shape), r = vec(c["r"], shape);
        std::vector<Tensor> g;
        Tensor y;
        {
            autograd::GradientTape tape;
            tape.watch(x);
            y = ln(x, true);
            g = tape.gradient(ops::sum(ops::mul(y, r)), {x, ln.gamma(), ln.beta()});
        }
        const std::string name = c["name"];
        expect_close(y, c["y"], name + " y");
        expect_close(g[0], c["dx"], name + " dx");
        expect_close(g[1], c["dgamma"], name + " dgamma");
        expect_close(g[2], c["dbeta"], name + " dbeta");
        ++n;
    }
    EXPECT_EQ(n, 2);
}

TEST(BatchNormalization, WeightsDefaultsAndParamCount) {
    BatchNormalization bn;
    EXPECT_EQ(bn.class_name(), "BatchNormalization");
    EXPECT_EQ(bn.name().rfind("batch_normalization", 0), 0u);
    EXPECT_DOUBLE_EQ(bn.options().momentum, 0.99);
    EXPECT_DOUBLE_EQ(bn.options().epsilon, 1e-3);
    bn.build({-1, 8, 8, 16});
    auto ws = bn.weights();
    ASSERT_EQ(ws.size(), 4u);
    EXPECT_EQ(ws[0]->name, "gamma");
    EXPECT_EQ(ws[1]->name, "beta");
    EXPECT_EQ(ws[2]->name, "moving_mean");
    EXPECT_EQ(ws[3]->name, "moving_variance");
    EXPECT_EQ(bn.count_params(), 64);
    EXPECT_EQ(bn.trainable_weights().size(), 2u);
    EXPECT_EQ(bn.non_trainable_weights().size(), 2u);
    EXPECT_FALSE(bn.moving_mean().requires_grad());
    EXPECT_EQ(bn.gamma().to_doubles(), std::vector<double>(16, 1.0));
    EXPECT_EQ(bn.moving_variance().to_doubles(), std::vector<double>(16, 1.0));
    BatchNormalization no_scale({.scale = false});
    no_scale.build({-1, 3});
    EXPECT_EQ(no_scale.weights().size(), 3u);  // InceptionV3-style BN
    EXPECT_FALSE(no_scale.gamma().defined());
    LayerNormalization ln;
    ln.build({-1, 5, 6});
    EXPECT_EQ(ln.count_params(), 12);
    EXPECT_EQ(ln.class_name(), "LayerNormalization");
}

TEST(BatchNormalization, FrozenLayerRunsInInferenceModeEvenWhenTraining) {
    BatchNormalization bn;
    const Tensor x = testing::random_f64({8, 3}, -2, 2, 1).astype(DType::float32);
    bn.build({-1, 3});
    bn.set_trainable(false);
    const std::vector<double> mm0 = bn.moving_mean().to_doubles();
    const Tensor y = bn(x, /*training=*/true);
    EXPECT_EQ(bn.moving_mean().to_doubles(), mm0);  // no update
    // Inference with moving stats 0 / 1: y = x / sqrt(1 + eps).
    const auto xv = x.to_doubles(), yv = y.to_doubles();
    for (std::size_t i = 0; i < xv.size(); ++i) EXPECT_NEAR(yv[i], xv[i] / std::sqrt(1.001), 1e-6);
    EXPECT_TRUE(bn.trainable_weights().empty());
    bn.set_trainable(true);
    bn(x, true);
    EXPECT_NE(bn.moving_mean().to_doubles(), mm0);
}

// Replaces every weight with a float64 copy; trainable ones get requires_grad.
std::vector<Tensor> f64_weights(Layer& layer, std::uint64_t seed) {
    std::vector<Tensor> out;
    for (Weight* w : layer.weights()) {
        const bool var = w->name == "moving_variance";
        w->value = testing::random_f64(w->value.shape(), var ? 0.5 : -1.0, var ? 1.5 : 1.0, seed++);
        w->value.set_requires_grad(w->trainable);
        if (w->trainable) out.push_back(w->value);
    }
    return out;
}

TEST(BatchNormalization, GradientChecksFloat64) {
    for (bool training : {true, false}) {
        BatchNormalization bn({.axis = 1});
        bn.build({-1, 3, 4});
        const std::vector<Tensor> w = f64_weights(bn, 10);
        const Tensor x = testing::random_f64({5, 3, 4}, -2, 2, 2);
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>& in) { return bn(in[0], training); }, {x, w[0], w[1]}))
            << "training " << training;
    }
    LayerNormalization ln;
    ln.build({-1, 4, 5});
    const std::vector<Tensor> w = f64_weights(ln, 20);
    const Tensor x = testing::random_f64({2, 4, 5}, -2, 2, 3);
    EXPECT_TRUE(testing::check_gradients(
        [&](const std::vector<Tensor>& in) { return ln(in[0], true); }, {x, w[0], w[1]}));
}

TEST(BatchNormalization, BadInputErrors) {
    EXPECT_THROW(BatchNormalization({.epsilon = 0}), Error);
    EXPECT_THROW(BatchNormalization({.momentum = 1.5}), Error);
    BatchNormalization bn({.axis = 3});
    EXPECT_THROW(bn.build({-1, 4}), Error);  // axis out of range
    BatchNormalization b2;
    EXPECT_THROW(b2.build({-1, -1}), Error);  // unknown feature size
    BatchNormalization b3;
    b3(Tensor::zeros({2, 4}));
    EXPECT_THROW(b3(Tensor::zeros({2, 5})), Error);
    EXPECT_THROW(b3(Tensor::zeros({2, 3, 4})), Error);
    Tensor masked = Tensor::zeros({2, 3, 4});
    masked.set_keras_mask(Tensor::ones({2, 3}, DType::bool_));
    BatchNormalization b4;
    EXPECT_THROW(b4(masked, true), Error);  // masked statistics are refused
    EXPECT_NO_THROW(b4(masked, false));
    LayerNormalization ln;
    ln(Tensor::zeros({2, 4}));
    EXPECT_THROW(ln(Tensor::zeros({2, 3})), Error);
    EXPECT_THROW(LayerNormalization({.epsilon = -1}), Error);
}

}  // namespace
}  // namespace tfc
