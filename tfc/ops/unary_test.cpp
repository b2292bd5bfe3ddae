// Gradient checks of every unary op and activation, with inputs kept away from kinks, plus the
// gradient at the kinks themselves (TF conventions) and forward values from their definitions.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using testing::check_gradients;
using testing::random_f64;
using testing::random_f64_away_from_zero;
using UnaryFn = std::function<Tensor(const Tensor&)>;

struct UnaryCase {
    const char* name;
    UnaryFn fn;
    Tensor x;
};

std::vector<UnaryCase> cases() {
    const Shape s{3, 5};
    // Away from 0 by 0.05 (kinks of relu, abs, leaky_relu, elu, selu).
    Tensor az = random_f64_away_from_zero(s, 0.05, 1);
    // Scaled by 4 so that hard_sigmoid (kinks at +-2.5) and clip (kinks at -0.5, 0.7) see both
    // the flat and the linear parts; values within 0.05 of a kink are shifted away.
    Tensor wide = random_f64(s, -4, 4, 2);
    double* w = wide.data<double>();
    for (std::int64_t i = 0; i < wide.size(); ++i) {
        for (double kink : {-2.5, 2.5, -0.5, 0.7}) {
            if (std::fabs(w[i] - kink) < 0.05) w[i] = kink + 0.1;
        }
    }
    Tensor pos = random_f64(s, 0.2, 3, 3);
    Tensor any = random_f64(s, -3, 3, 4);
    return {
        {"neg", [](const Tensor& x) { return neg(x); }, any},
        {"abs", [](const Tensor& x) { return abs(x); }, az},
        {"exp", [](const Tensor& x) { return exp(x); }, any},
        {"exponential", [](const Tensor& x) { return exponential(x); }, any},
        {"log", [](const Tensor& x) { return log(x); }, pos},
        {"sqrt", [](const Tensor& x) { return sqrt(x); }, pos},
        {"square", [](const Tensor& x) { return square(x); }, any},
        {"clip", [](const Tensor& x) { return clip(x, -0.5, 0.7); }, wide},
        {"relu", [](const Tensor& x) { return relu(x); }, az},
        {"sigmoid", [](const Tensor& x) { return sigmoid(x); }, any},
        {"tanh", [](const Tensor& x) { return tanh(x); }, any},
        {"elu", [](const Tensor& x) { return elu(x); }, az},
        {"elu_alpha", [](const Tensor& x) { return elu(x, 0.7); }, az},
        {"selu", [](const Tensor& x) { return selu(x); }, az},
        {"softplus", [](const Tensor& x) { return softplus(x); }, any},
        {"softsign", [](const Tensor& x) { return softsign(x); }, az},
        {"gelu", [](const Tensor& x) { return gelu(x); }, any},
        {"gelu_tanh", [](const Tensor& x) { return gelu(x, true); }, any},
        {"swish", [](const Tensor& x) { return swish(x); }, any},
        {"leaky_relu", [](const Tensor& x) { return leaky_relu(x); }, az},
        {"leaky_relu_alpha", [](const Tensor& x) { return leaky_relu(x, 0.01); }, az},
        {"hard_sigmoid", [](const Tensor& x) { return hard_sigmoid(x); }, wide},
    };
}

TEST(UnaryGrad, EveryOp) {
    for (const auto& c : cases()) {
        UnaryFn fn = c.fn;
        EXPECT_TRUE(check_gradients([fn](const std::vector<Tensor>& in) { return fn(in[0]); },
                                    {c.x.clone()}))
            << c.name;
    }
}

TEST(UnaryGrad, SignHasZeroGradient) {
    Tensor x = random_f64_away_from_zero({4}, 0.1, 5);
    autograd::GradientTape tape;
    tape.watch(x);
    auto g = tape.gradient(sum(mul(sign(x), x)), {x});
    // d/dx sum(sign(x) * x) with sign treated as a constant = sign(x).
    EXPECT_EQ(g[0].to_doubles(), sign(x).to_doubles());
    EXPECT_TRUE(check_gradients([](const std::vector<Tensor>& in) { return sign(in[0]); }, {x}));
}

// Gradients exactly at the kinks follow TF's kernels: ReluGrad (x > 0), sign(0) = 0 for abs,
// LeakyReluGrad (x > 0 ? 1 : alpha), EluGrad/SeluGrad (branch picked by output < 0), and
// clip_by_value passing the gradient at both bounds.
TEST(UnaryGrad, KinkConventions) {
    auto grad_at = [](const std::function<Tensor(const Tensor&)>& f, double v,
                      DType dt = DType::float64) {
        Tensor x = Tensor::scalar(v, dt);
        autograd::GradientTape tape;
        tape.watch(x);
        return tape.gradient(f(x), {x})[0].item();
    };
    const double selu_scale = 1.0507009873554804934193349852946;  // keras/activations.py
    EXPECT_EQ(grad_at([](const Tensor& x) { return relu(x); }, 0.0), 0.0);
    EXPECT_EQ(grad_at([](const Tensor& x) { return abs(x); }, 0.0), 0.0);
    EXPECT_EQ(grad_at([](const Tensor& x) { return leaky_relu(x, 0.3); }, 0.0), 0.3);
    EXPECT_EQ(grad_at([](const Tensor& x) { return elu(x); }, 0.0), 1.0);
    EXPECT_NEAR(grad_at([](const Tensor& x) { return selu(x); }, 0.0), selu_scale, 1e-15);
    EXPECT_EQ(grad_at([](const Tensor& x) { return clip(x, -1.0, 1.0); }, 1.0), 1.0);
    EXPECT_EQ(grad_at([](const Tensor& x) { return clip(x, -1.0, 1.0); }, -1.0), 1.0);
    EXPECT_EQ(grad_at([](const Tensor& x) { return clip(x, -1.0, 1.0); }, 1.5), 0.0);
    EXPECT_NEAR(grad_at([](const Tensor& x) { return hard_sigmoid(x); }, 2.5), 0.2, 1e-15);
    for (DType dt : {DType::float32, DType::float64}) {
        EXPECT_NEAR(grad_at([](const Tensor& x) { return hard_sigmoid(x); }, -2.5, dt), 0.2, 1e-7);
        EXPECT_NEAR(grad_at([](const Tensor& x) { return hard_sigmoid(x); }, 2.5, dt), 0.2, 1e-7);
    }
    EXPECT_EQ(grad_at([](const Tensor& x) { return hard_sigmoid(x); }, 3.0), 0.0);
}

// Forward values against the Keras 2.15 formulas evaluated independently with <cmath>.
TEST(Unary, ForwardMatchesDefinitions) {
    Tensor x = random_f64({64}, -4, 4, 6);
    const auto xv = x.to_doubles();
    const double a = 1.6732632423543772848170429916717, l = 1.0507009873554804934193349852946;
    struct Def {
        const char* name;
        Tensor y;
        std::function<double(double)> f;
    };
    const Def defs[] = {
        {"sigmoid", sigmoid(x), [](double v) { return 1 / (1 + std::exp(-v)); }},
        {"softplus", softplus(x), [](double v) { return std::log(1 + std::exp(v)); }},
        {"softsign", softsign(x), [](double v) { return v / (1 + std::fabs(v)); }},
        {"elu", elu(x, 0.5), [](double v) { return v > 0 ? v : 0.5 * (std::exp(v) - 1); }},
        {"selu", selu(x), [&](double v) { return l * (v > 0 ? v : a * (std::exp(v) - 1)); }},
        {"gelu", gelu(x), [](double v) { return 0.5 * v * std::erfc(-v / std::sqrt(2.0)); }},
        {"gelu_tanh", gelu(x, true),
         [](double v) {
             return 0.5 * v * (1 + std::tanh(0.7978845608028654 * (v + 0.044715 * v * v * v)));
         }},
        {"swish", swish(x), [](double v) { return v / (1 + std::exp(-v)); }},
        {"leaky_relu", leaky_relu(x), [](double v) { return v > 0 ? v : 0.2 * v; }},
        {"hard_sigmoid", hard_sigmoid(x),
         [](double v) { return std::min(1.0, std::max(0.0, 0.2 * v + 0.5)); }},
        {"clip", clip(x, -1, 2), [](double v) { return std::min(2.0, std::max(-1.0, v)); }},
    };
    for (const auto& d : defs) {
        const auto yv = d.y.to_doubles();
        for (std::size_t i = 0; i < xv.size(); ++i) {
            EXPECT_NEAR(yv[i], d.f(xv[i]), 1e-12) << d.name << " at " << xv[i];
        }
    }
}

TEST(Unary, Errors) {
    Tensor i = Tensor::zeros({2}, DType::int32);
    EXPECT_THROW(relu(i), Error);
    EXPECT_THROW(exp(Tensor()), Error);
    EXPECT_THROW(clip(Tensor::zeros({2}), 1.0, 0.0), Error);
}

}  // namespace
}  // namespace tfc::ops
