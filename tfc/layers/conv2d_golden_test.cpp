// Conv2D, Conv1D, DepthwiseConv2D and SeparableConv2D against TF.js 4.22 (cpu backend) goldens in
// tests/golden/layers/conv_*.json (tools/golden/conv_layers.js): forward outputs and the
// gradients of L = sum(y * R) w.r.t. the input and every weight, from identical weights, to 1e-4
// relative (float32 engine path: oneDNN primitives).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/layers/conv1d.h"
#include "tfc/layers/conv2d.h"
#include "tfc/layers/depthwise_conv2d.h"
#include "tfc/layers/separable_conv2d.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

using nlohmann::json;

json load(const std::string& file) {
    std::ifstream in(testing::source_dir() + "/tests/golden/layers/" + file);
    EXPECT_TRUE(in.good()) << file << " not found";
    return json::parse(in);
}

Tensor tensor_of(const json& j) {
    return Tensor::from_doubles(j.at("values").get<std::vector<double>>(),
                                j.at("shape").get<Shape>(), DType::float32);
}

Size2 size2(const json& j) { return j.size() == 1 ? Size2(j[0]) : Size2(j[0], j[1]); }

std::shared_ptr<Layer> make_layer(const json& c) {
    const std::string cls = c.at("class_name");
    const json& k = c.at("config");
    const std::string act = k.at("activation"), pad = k.at("padding");
    const bool bias = k.at("use_bias");
    if (cls == "Conv2D") {
        return std::make_shared<Conv2D>(k.at("filters").get<std::int64_t>(),
                                        size2(k.at("kernel_size")),
                                        Conv2DOptions{.strides = size2(k.at("strides")),
                                                      .padding = pad,
                                                      .dilation_rate = size2(k.at("dilation_rate")),
                                                      .groups = k.at("groups").get<std::int64_t>(),
                                                      .activation = act,
                                                      .use_bias = bias});
    }
    if (cls == "Conv1D") {
        return std::make_shared<Conv1D>(
            k.at("filters").get<std::int64_t>(), k.at("kernel_size")[0].get<std::int64_t>(),
            Conv1DOptions{.strides = k.at("strides")[0].get<std::int64_t>(),
                          .padding = pad,
                          .dilation_rate = k.at("dilation_rate")[0].get<std::int64_t>(),
                          .groups = k.at("groups").get<std::int64_t>(),
                          .activation = act,
                          .use_bias = bias});
    }
    if (cls == "DepthwiseConv2D") {
        return std::make_shared<DepthwiseConv2D>(
            size2(k.at("kernel_size")),
            DepthwiseConv2DOptions{.strides = size2(k.at("strides")),
                                   .padding = pad,
                                   .depth_multiplier = k.at("depth_multiplier"),
                                   .dilation_rate = size2(k.at("dilation_rate")),
                                   .activation = act,
                                   .use_bias = bias});
    }
    if (cls == "SeparableConv2D") {
        return std::make_shared<SeparableConv2D>(
            k.at("filters").get<std::int64_t>(), size2(k.at("kernel_size")),
            SeparableConv2DOptions{.strides = size2(k.at("strides")),
                                   .padding = pad,
                                   .dilation_rate = size2(k.at("dilation_rate")),
                                   .depth_multiplier = k.at("depth_multiplier"),
                                   .activation = act,
                                   .use_bias = bias});
    }
    ADD_FAILURE() << "unknown class " << cls;
    return nullptr;
}

void expect_close(const std::vector<double>& got, const std::vector<double>& want,
                  const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    double scale = 0;
    for (double v : want) scale = std::max(scale, std::fabs(v));
    for (std::size_t i = 0; i < want.size(); ++i) {
        EXPECT_NEAR(got[i], want[i], 1e-4 * std::max(1.0, scale)) << what << " [" << i << "]";
    }
}

int run_file(const std::string& file) {
    const json doc = load(file);
    EXPECT_EQ(doc.at("generator").at("tfjs"), "4.22.0");
    int checked = 0;
    for (const json& c : doc.at("cases")) {
        SCOPED_TRACE(file + ": " + c.at("name").get<std::string>());
        std::shared_ptr<Layer> layer = make_layer(c);
        const Tensor x = tensor_of(c.at("x"));
        Shape in_shape = x.shape();
        in_shape[0] = -1;
        Shape want_out = c.at("y").at("shape").get<Shape>();
        want_out[0] = -1;
        EXPECT_EQ(layer->compute_output_shape(in_shape), want_out);
        layer->build(in_shape);
        std::vector<Tensor> ws;
        for (const json& w : c.at("weights")) ws.push_back(tensor_of(w));
        EXPECT_EQ(layer->weights().size(), ws.size());
        if (layer->weights().size() != ws.size()) continue;
        for (std::size_t i = 0; i < ws.size(); ++i) {
            EXPECT_EQ(layer->weights()[i]->name, c.at("weights")[i].at("name"));
        }
        layer->set_weights(ws);
        const Tensor r = tensor_of(c.at("R"));
        autograd::GradientTape tape;
        tape.watch(x);
        const Tensor y = (*layer)(x);
        EXPECT_EQ(y.shape(), c.at("y").at("shape").get<Shape>());
        expect_close(y.to_doubles(), c.at("y").at("values").get<std::vector<double>>(), "y");
        if (c.at("grad_x").is_null()) {
            ++checked;
            continue;
        }
        std::vector<Tensor> sources{x};
        for (Weight* w : layer->weights()) sources.push_back(w->value);
        const std::vector<Tensor> g = tape.gradient(ops::sum(ops::mul(y, r)), sources);
        expect_close(g[0].to_doubles(), c.at("grad_x").get<std::vector<double>>(), "grad_x");
        for (std::size_t i = 0; i + 1 < g.size(); ++i) {
            expect_close(g[i + 1].to_doubles(),
                         c.at("grad_weights")[i].at("values").get<std::vector<double>>(),
                         "grad " + c.at("grad_weights")[i].at("name").get<std::string>());
        }
        ++checked;
    }
    return checked;
}

TEST(ConvGolden, Conv2D) { EXPECT_EQ(run_file("conv_conv2d.json"), 6); }
TEST(ConvGolden, Conv1D) { EXPECT_EQ(run_file("conv_conv1d.json"), 5); }
TEST(ConvGolden, DepthwiseConv2D) { EXPECT_EQ(run_file("conv_depthwise_conv2d.json"), 2); }
TEST(ConvGolden, SeparableConv2D) { EXPECT_EQ(run_file("conv_separable_conv2d.json"), 2); }

}  // namespace
}  // namespace tfc
