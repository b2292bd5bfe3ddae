// Conv1D: Keras defaults and layout, causal padding, output shapes, gradient checks, errors.
#include "tfc/layers/conv1d.h"

#include <gtest/gtest.h>

#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

TEST(Conv1D, DefaultsAndLayout) {
    Conv1D c(16, 5, {.input_shape = {100, 3}});
    EXPECT_EQ(c.class_name(), "Conv1D");
    EXPECT_EQ(c.name().rfind("conv1d", 0), 0u);
    EXPECT_EQ(c.options().padding, "valid");
    EXPECT_EQ(c.options().strides, 1);
    c.build({-1, 100, 3});
    EXPECT_EQ(c.kernel().shape(), (Shape{5, 3, 16}));
    EXPECT_EQ(c.count_params(), 5 * 3 * 16 + 16);
    EXPECT_EQ(c.compute_output_shape({-1, 100, 3}), (Shape{-1, 96, 16}));
    EXPECT_EQ(
        Conv1D(4, 3, {.padding = "causal", .dilation_rate = 4}).compute_output_shape({-1, 20, 1}),
        (Shape{-1, 20, 4}));
    EXPECT_EQ(Conv1D(4, 4, {.strides = 2, .padding = "same"}).compute_output_shape({8, 9, 1}),
              (Shape{8, 5, 4}));
    EXPECT_EQ(Conv1D(4, 3).compute_output_shape({-1, -1, 2}), (Shape{-1, -1, 4}));
}

TEST(Conv1D, CausalOutputDependsOnlyOnThePast) {
    Conv1D c(2, 3, {.padding = "causal", .dilation_rate = 2, .bias_initializer = "ones"});
    Tensor x = testing::random_f64({1, 9, 2}, -1, 1, 3).astype(DType::float32);
    const std::vector<double> y0 = c(x).to_doubles();
    x.data<float>()[4 * 2 + 1] += 1.0f;  // step 4
    const std::vector<double> y1 = c(x).to_doubles();
    for (int t = 0; t < 9; ++t) {
        const bool changed = y0[t * 2] != y1[t * 2] || y0[t * 2 + 1] != y1[t * 2 + 1];
        EXPECT_EQ(changed, t == 4 || t == 6 || t == 8) << t;
    }
}

TEST(Conv1D, GradientChecks) {
    std::vector<std::pair<Conv1DOptions, Shape>> cases;
    cases.push_back({{.padding = "causal", .activation = "tanh"}, {2, 7, 3}});
    cases.push_back({{.padding = "causal", .dilation_rate = 2}, {1, 9, 2}});
    cases.push_back({{.strides = 2, .padding = "same", .groups = 2}, {2, 8, 4}});
    cases.push_back({{.use_bias = false}, {2, 6, 2}});
    std::uint64_t seed = 40;
    for (auto& [opts, shape] : cases) {
        Conv1D layer(4, 3, opts);
        layer.build({-1, shape[1], shape[2]});
        std::vector<Tensor> inputs{testing::random_f64(shape, -1, 1, seed++)};
        for (const Tensor& w : testing::use_f64_weights(layer, seed)) inputs.push_back(w);
        seed += static_cast<std::uint64_t>(layer.weights().size());
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>& v) { return layer(v[0]); }, inputs))
            << opts.padding;
    }
}

TEST(Conv1D, Errors) {
    EXPECT_THROW(Conv1D(4, 5).build({-1, 3, 2}), Error);  // kernel longer than the input
    EXPECT_NO_THROW(Conv1D(4, 5, {.padding = "causal"}).build({-1, 3, 2}));
    EXPECT_THROW(Conv1D(4, 3)(Tensor::zeros({2, 10})), Error);  // rank 2
    EXPECT_THROW(Conv1D(4, 3)(Tensor::zeros({2, 10, 10, 1})), Error);
    EXPECT_THROW(Conv1D(4, 3, {.groups = 2}).build({-1, 10, 3}), Error);
    EXPECT_THROW(Conv1D(4, 3, {.strides = 2, .dilation_rate = 2}), Error);
    EXPECT_THROW(Conv1D(4, 0), Error);
    EXPECT_THROW(Conv1D(4, 3, {.padding = "reflect"}), Error);
}

}  // namespace
}  // namespace tfc
