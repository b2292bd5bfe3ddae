// Adam against Keras 2.15's update rule evaluated in float64 (keras/optimizers/adam.py,
// `Adam.update_step`, dense branch; the "epsilon-hat" form):
//   alpha = lr * sqrt(1 - beta_2^t) / (1 - beta_1^t)
//   m <- m + (g - m) * (1 - beta_1);  v <- v + (g^2 - v) * (1 - beta_2)
//   amsgrad: v_hat <- max(v_hat, v); v = v_hat
//   w <- w - (m * alpha) / (sqrt(v) + epsilon)
#include "tfc/optimizers/adam.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "tfc/optimizers/optimizer_test_util.h"

namespace tfc {
namespace {

using testing::replay_against_reference;

testing::ReferenceStep keras_adam(const Optimizer& opt, const AdamOptions& o) {
    struct State {
        std::vector<double> m, v, v_hat;
    };
    auto s = std::make_shared<State>();
    return [&opt, o, s](std::vector<double>& w, const std::vector<double>& g, int t) {
        const double lr = opt.learning_rate();
        if (s->m.empty()) {
            s->m.assign(w.size(), 0.0);
            s->v.assign(w.size(), 0.0);
            s->v_hat.assign(w.size(), 0.0);
        }
        const double alpha =
            lr * std::sqrt(1 - std::pow(o.beta_2, t)) / (1 - std::pow(o.beta_1, t));
        for (std::size_t i = 0; i < w.size(); ++i) {
            s->m[i] += (g[i] - s->m[i]) * (1 - o.beta_1);
            s->v[i] += (g[i] * g[i] - s->v[i]) * (1 - o.beta_2);
            double v = s->v[i];
            if (o.amsgrad) {
                s->v_hat[i] = std::max(s->v_hat[i], s->v[i]);
                v = s->v_hat[i];
            }
            w[i] -= (s->m[i] * alpha) / (std::sqrt(v) + o.epsilon);
        }
    };
}

void check_variant(const AdamOptions& o, int steps = 8) {
    // Scale 1e-6 puts sqrt(v) below epsilon: the regime where Keras's epsilon-hat form and the
    // bias-corrected form (TF.js, PyTorch) differ by up to 3.8x (oracles.md §2).
    for (double scale : {1.0, 1e-3, 1e-6}) {
        Adam opt(o);
        EXPECT_TRUE(replay_against_reference(
            opt, keras_adam(opt, o), {.steps = steps, .scale = scale, .start_at_zero = scale < 1}))
            << "scale " << scale << " amsgrad " << o.amsgrad;
    }
}

TEST(Adam, DefaultsMatchKerasFormula) { check_variant({}); }

TEST(Adam, AmsgradMatchesKerasFormula) { check_variant({.amsgrad = true}, 12); }

TEST(Adam, CustomBetasMatchKerasFormula) {
    check_variant({.learning_rate = 0.01, .beta_1 = 0.5, .beta_2 = 0.9, .epsilon = 1e-4});
}

TEST(Adam, LearningRateChangeMidRun) {
    const AdamOptions o{};
    Adam opt(o);
    testing::ReplayOptions r{.steps = 10};
    r.before_step = [](Optimizer& op, int t) {
        if (t == 5) op.set_learning_rate(0.02);
    };
    EXPECT_TRUE(replay_against_reference(opt, keras_adam(opt, o), r));
}

TEST(Adam, LargeVariableRunsThreadedLoop) {
    const AdamOptions o{.amsgrad = true};
    Adam opt(o);
    EXPECT_TRUE(replay_against_reference(opt, keras_adam(opt, o), {.n = 40000, .steps = 4}));
}

TEST(Adam, SlotsFollowTheOptions) {
    const Tensor w = testing::make_var({1.0, 2.0});
    const Tensor g = testing::make_grad({0.5, -0.5});
    Adam plain;
    plain.apply_gradients({g}, {w});
    EXPECT_TRUE(plain.get_slot(w, "m").defined());
    EXPECT_TRUE(plain.get_slot(w, "v").defined());
    EXPECT_FALSE(plain.get_slot(w, "vhat").defined());
    Adam ams({.amsgrad = true});
    ams.apply_gradients({g}, {w});
    EXPECT_TRUE(ams.get_slot(w, "vhat").defined());
}

TEST(Adam, OptionsAndValidation) {
    const Adam opt({.beta_1 = 0.8, .beta_2 = 0.99, .epsilon = 1e-8, .amsgrad = true});
    EXPECT_EQ(opt.class_name(), "Adam");
    EXPECT_EQ(opt.beta_1(), 0.8);
    EXPECT_EQ(opt.beta_2(), 0.99);
    EXPECT_EQ(opt.epsilon(), 1e-8);
    EXPECT_TRUE(opt.amsgrad());
    EXPECT_THROW(Adam({.beta_1 = 1.0}), Error);
    EXPECT_THROW(Adam({.beta_2 = -0.5}), Error);
    EXPECT_THROW(Adam({.epsilon = -1.0}), Error);
}

}  // namespace
}  // namespace tfc
