// Activations by name: values against scalar formulas written from keras/activations.py (Keras
// 2.15) with <cmath>, logits attachment, gradients by finite differences, and name errors.
#include "tfc/layers/activations.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"

namespace tfc {
namespace {

double sigmoid_ref(double x) { return 1.0 / (1.0 + std::exp(-x)); }
double softplus_ref(double x) { return std::log1p(std::exp(-std::fabs(x))) + std::max(x, 0.0); }

// Scalar references. selu constants: keras/activations.py (Klambauer et al. 2017).
const std::map<std::string, std::function<double(double)>>& references() {
    static const std::map<std::string, std::function<double(double)>> refs = {
        {"linear", [](double x) { return x; }},
        {"relu", [](double x) { return std::max(x, 0.0); }},
        {"sigmoid", sigmoid_ref},
        {"tanh", [](double x) { return std::tanh(x); }},
        {"elu", [](double x) { return x > 0 ? x : std::expm1(x); }},
        {"selu",
         [](double x) {
             const double alpha = 1.6732632423543772848170429916717;
             const double scale = 1.0507009873554804934193349852946;
             return scale * (x > 0 ? x : alpha * std::expm1(x));
         }},
        {"softplus", softplus_ref},
        {"softsign", [](double x) { return x / (1.0 + std::fabs(x)); }},
        {"gelu", [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }},
        {"swish", [](double x) { return x * sigmoid_ref(x); }},
        {"silu", [](double x) { return x * sigmoid_ref(x); }},
        {"mish", [](double x) { return x * std::tanh(softplus_ref(x)); }},
        {"leaky_relu", [](double x) { return x > 0 ? x : 0.2 * x; }},
        {"hard_sigmoid", [](double x) { return std::clamp(0.2 * x + 0.5, 0.0, 1.0); }},
        // Keras 3 (keras/src/activations/activations.py): 0 for x <= -3, 1 for x >= 3, x/6 + 1/2.
        {"hard_sigmoid_keras3", [](double x) { return std::clamp(x / 6.0 + 0.5, 0.0, 1.0); }},
        {"exponential", [](double x) { return std::exp(x); }},
    };
    return refs;
}

Tensor grid_f64() {
    std::vector<double> v;
    // Avoids the kinks at 0, +-2.5 (Keras 2 hard_sigmoid) and +-3 (Keras 3's).
    for (int i = 0; i < 24; ++i) v.push_back(-4.1 + 0.35 * i);
    return Tensor::from_vector(v, {4, 6});
}

TEST(Activations, ElementwiseValuesMatchKerasFormulas) {
    const Tensor x = grid_f64();
    const std::vector<double> xs = x.to_doubles();
    for (const auto& [name, ref] : references()) {
        ASSERT_TRUE(is_known_activation(name)) << name;
        const std::vector<double> y64 = get_activation(name)(x).to_doubles();
        const std::vector<double> y32 = get_activation(name)(x.astype(DType::float32)).to_doubles();
        for (std::size_t i = 0; i < xs.size(); ++i) {
            const double want = ref(xs[i]);
            const double mag = std::max(1.0, std::fabs(want));
            EXPECT_NEAR(y64[i], want, 1e-12 * mag) << name << " " << xs[i];
            EXPECT_NEAR(y32[i], want, 2e-6 * mag) << name << " " << xs[i];
        }
    }
}

TEST(Activations, SoftmaxRowsAndLogits) {
    const Tensor x = grid_f64();
    const Tensor y = get_activation("softmax")(x);
    const std::vector<double> xs = x.to_doubles(), ys = y.to_doubles();
    for (int r = 0; r < 4; ++r) {
        double z = 0;
        for (int c = 0; c < 6; ++c) z += std::exp(xs[r * 6 + c]);
        for (int c = 0; c < 6; ++c) EXPECT_NEAR(ys[r * 6 + c], std::exp(xs[r * 6 + c]) / z, 1e-14);
    }
    ASSERT_TRUE(y.keras_logits("softmax").defined());
    EXPECT_TRUE(y.keras_logits("softmax").same_as(x));
    EXPECT_FALSE(y.keras_logits("sigmoid").defined());
    // keras/activations.py rejects 1-D input to softmax.
    EXPECT_THROW(get_activation("softmax")(Tensor::from_vector(std::vector<double>{1, 2}, {2})),
                 Error);
}

TEST(Activations, SigmoidAttachesLogitsOthersDoNot) {
    const Tensor x = grid_f64();
    const Tensor y = get_activation("sigmoid")(x);
    ASSERT_TRUE(y.keras_logits("sigmoid").defined());
    EXPECT_TRUE(y.keras_logits("sigmoid").same_as(x));
    EXPECT_FALSE(y.keras_logits("softmax").defined());
    for (const char* name : {"relu", "tanh", "hard_sigmoid", "swish"}) {
        const Tensor z = get_activation(name)(x);
        EXPECT_FALSE(z.keras_logits("sigmoid").defined()) << name;
        EXPECT_FALSE(z.keras_logits("softmax").defined()) << name;
    }
}

TEST(Activations, LinearSpellings) {
    const Tensor x = grid_f64();
    for (const char* name : {"linear", "", "None"}) {
        EXPECT_TRUE(is_known_activation(name)) << name;
        EXPECT_TRUE(get_activation(name)(x).same_as(x)) << name;
    }
}

TEST(Activations, GradientsMatchFiniteDifferences) {
    const Tensor x = grid_f64();
    std::vector<std::string> names;
    for (const auto& [name, ref] : references()) names.push_back(name);
    names.push_back("softmax");
    for (const auto& name : names) {
        const ActivationFn fn = get_activation(name);
        EXPECT_TRUE(testing::check_gradients(
            [&](const std::vector<Tensor>& in) { return fn(in[0]); }, {x.clone()}))
            << name;
    }
}

TEST(Activations, UnknownNameListsValidNames) {
    EXPECT_FALSE(is_known_activation("relu6x"));
    try {
        get_activation("Relu");
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("[get_activation]"), std::string::npos) << msg;
        EXPECT_NE(msg.find("Got \"Relu\""), std::string::npos) << msg;
        for (const char* n : {"\"relu\"", "\"softmax\"", "\"hard_sigmoid\"", "\"linear\""}) {
            EXPECT_NE(msg.find(n), std::string::npos) << n << " missing from: " << msg;
        }
    }
}

}  // namespace
}  // namespace tfc
