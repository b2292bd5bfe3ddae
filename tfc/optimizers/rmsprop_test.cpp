// RMSprop against Keras 2.15's update rule evaluated in float64 (keras/optimizers/rmsprop.py,
// `RMSprop.update_step`, dense branch):
//   velocity <- rho * velocity + (1 - rho) * g^2
//   centered: average_grad <- rho * average_grad + (1 - rho) * g
//             denominator = velocity - average_grad^2 + epsilon
//   else:     denominator = velocity + epsilon
//   increment = g * lr * rsqrt(denominator)
//   momentum > 0: momentum_slot <- momentum * momentum_slot + increment; w <- w - momentum_slot
//   else:         w <- w - increment
#include "tfc/optimizers/rmsprop.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tfc/optimizers/optimizer_test_util.h"

namespace tfc {
namespace {

using testing::replay_against_reference;

testing::ReferenceStep keras_rmsprop(const Optimizer& opt, const RMSpropOptions& o) {
    struct State {
        std::vector<double> velocity, average_grad, momentum;
    };
    auto s = std::make_shared<State>();
    return [&opt, o, s](std::vector<double>& w, const std::vector<double>& g, int) {
        const double lr = opt.learning_rate();
        if (s->velocity.empty()) {
            s->velocity.assign(w.size(), 0.0);
            s->average_grad.assign(w.size(), 0.0);
            s->momentum.assign(w.size(), 0.0);
        }
        for (std::size_t i = 0; i < w.size(); ++i) {
            double& v = s->velocity[i];
            v = o.rho * v + (1 - o.rho) * g[i] * g[i];
            double denominator = v + o.epsilon;
            if (o.centered) {
                double& a = s->average_grad[i];
                a = o.rho * a + (1 - o.rho) * g[i];
                denominator = v - a * a + o.epsilon;
            }
            const double increment = g[i] * lr / std::sqrt(denominator);
            if (o.momentum > 0) {
                s->momentum[i] = o.momentum * s->momentum[i] + increment;
                w[i] -= s->momentum[i];
            } else {
                w[i] -= increment;
            }
        }
    };
}

void check_variant(const RMSpropOptions& o) {
    for (double scale : {1.0, 1e-3, 1e-6}) {
        RMSprop opt(o);
        EXPECT_TRUE(replay_against_reference(opt, keras_rmsprop(opt, o),
                                             {.scale = scale, .start_at_zero = scale < 1}))
            << "scale " << scale << " momentum " << o.momentum << " centered " << o.centered;
    }
}

TEST(RMSprop, DefaultsMatchKerasFormula) { check_variant({}); }

TEST(RMSprop, MomentumMatchesKerasFormula) { check_variant({.momentum = 0.9}); }

TEST(RMSprop, CenteredMatchesKerasFormula) {
    // Keras adds epsilon after subtracting the squared mean (TF.js subtracts it: oracles.md §2).
    check_variant({.centered = true});
}

TEST(RMSprop, CenteredWithMomentumMatchesKerasFormula) {
    check_variant(
        {.learning_rate = 0.01, .rho = 0.8, .momentum = 0.5, .epsilon = 1e-6, .centered = true});
}

TEST(RMSprop, LargeVariableRunsThreadedLoop) {
    const RMSpropOptions o{.momentum = 0.9, .centered = true};
    RMSprop opt(o);
    EXPECT_TRUE(replay_against_reference(opt, keras_rmsprop(opt, o), {.n = 50000, .steps = 4}));
}

TEST(RMSprop, SlotsFollowTheOptions) {
    const Tensor w = testing::make_var({1.0, 2.0});
    const Tensor g = testing::make_grad({0.5, -0.5});
    RMSprop plain;
    plain.apply_gradients({g}, {w});
    EXPECT_TRUE(plain.get_slot(w, "velocity").defined());
    EXPECT_FALSE(plain.get_slot(w, "momentum").defined());
    EXPECT_FALSE(plain.get_slot(w, "average_gradient").defined());
    RMSprop full({.momentum = 0.5, .centered = true});
    full.apply_gradients({g}, {w});
    EXPECT_TRUE(full.get_slot(w, "momentum").defined());
    EXPECT_TRUE(full.get_slot(w, "average_gradient").defined());
}

TEST(RMSprop, OptionsAndValidation) {
    const RMSprop opt({.rho = 0.8, .momentum = 0.1, .epsilon = 1e-6, .centered = true});
    EXPECT_EQ(opt.class_name(), "RMSprop");
    EXPECT_EQ(opt.rho(), 0.8);
    EXPECT_EQ(opt.momentum(), 0.1);
    EXPECT_EQ(opt.epsilon(), 1e-6);
    EXPECT_TRUE(opt.centered());
    EXPECT_THROW(RMSprop({.rho = 1.5}), Error);
    EXPECT_THROW(RMSprop({.momentum = -1}), Error);
    EXPECT_THROW(RMSprop({.epsilon = -1e-7}), Error);
}

}  // namespace
}  // namespace tfc
