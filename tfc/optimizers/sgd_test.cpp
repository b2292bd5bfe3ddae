// SGD against Keras 2.15's update rule evaluated in float64 (keras/optimizers/sgd.py,
// `SGD.update_step`, dense branch):
//   m <- -g * lr + m * momentum
//   nesterov: w <- w + (-g * lr + m * momentum)      otherwise: w <- w + m
#include "tfc/optimizers/sgd.h"

#include <gtest/gtest.h>

#include <vector>

#include "tfc/optimizers/optimizer_test_util.h"

namespace tfc {
namespace {

using testing::replay_against_reference;
using testing::ReplayOptions;

testing::ReferenceStep keras_sgd(const Optimizer& opt, double momentum, bool nesterov) {
    auto m = std::make_shared<std::vector<double>>();
    return
        [&opt, momentum, nesterov, m](std::vector<double>& w, const std::vector<double>& g, int) {
            const double lr = opt.learning_rate();
            if (m->empty()) m->assign(w.size(), 0.0);
            for (std::size_t i = 0; i < w.size(); ++i) {
                (*m)[i] = -g[i] * lr + (*m)[i] * momentum;
                w[i] += nesterov ? -g[i] * lr + (*m)[i] * momentum : (*m)[i];
            }
        };
}

TEST(SGD, PlainMatchesKerasFormula) {
    SGD opt;
    EXPECT_TRUE(replay_against_reference(opt, keras_sgd(opt, 0.0, false), {}));
}

TEST(SGD, MomentumMatchesKerasFormula) {
    for (double scale : {1.0, 1e-3, 1e-6}) {
        SGD opt({.learning_rate = 0.05, .momentum = 0.9});
        EXPECT_TRUE(replay_against_reference(opt, keras_sgd(opt, 0.9, false),
                                             {.scale = scale, .start_at_zero = scale < 1}))
            << "scale " << scale;
    }
}

TEST(SGD, NesterovMatchesKerasFormula) {
    for (double scale : {1.0, 1e-3, 1e-6}) {
        SGD opt({.learning_rate = 0.05, .momentum = 0.8, .nesterov = true});
        EXPECT_TRUE(replay_against_reference(opt, keras_sgd(opt, 0.8, true),
                                             {.scale = scale, .start_at_zero = scale < 1}))
            << "scale " << scale;
    }
}

TEST(SGD, NesterovWithoutMomentumIsPlainSGD) {
    SGD opt({.learning_rate = 0.1, .nesterov = true});
    EXPECT_TRUE(replay_against_reference(opt, keras_sgd(opt, 0.0, true), {}));
}

TEST(SGD, LearningRateChangeKeepsLrInsideTheVelocity) {
    // Keras's m <- mu m - lr g: after an lr change the old velocity keeps its old lr
    // (unlike TF-classic/PyTorch momentum, keras-reference.md §1.3).
    for (bool nesterov : {false, true}) {
        SGD opt({.learning_rate = 0.1, .momentum = 0.9, .nesterov = nesterov});
        ReplayOptions o{.steps = 10};
        o.before_step = [](Optimizer& op, int t) {
            if (t == 4) op.set_learning_rate(0.01);
            if (t == 8) op.set_learning_rate(0.0);
        };
        EXPECT_TRUE(replay_against_reference(opt, keras_sgd(opt, 0.9, nesterov), o));
    }
}

TEST(SGD, LargeVariableRunsThreadedLoop) {
    SGD opt({.learning_rate = 0.01, .momentum = 0.9, .nesterov = true});
    EXPECT_TRUE(replay_against_reference(opt, keras_sgd(opt, 0.9, true), {.n = 70001, .steps = 4}));
}

TEST(SGD, OptionsAndValidation) {
    const SGD opt({.learning_rate = 0.2, .momentum = 0.5, .nesterov = true, .clipvalue = 3.0});
    EXPECT_EQ(opt.class_name(), "SGD");
    EXPECT_EQ(opt.learning_rate(), 0.2);
    EXPECT_EQ(opt.momentum(), 0.5);
    EXPECT_TRUE(opt.nesterov());
    EXPECT_EQ(opt.clip_options().clipvalue, 3.0);
    EXPECT_FALSE(opt.clip_options().clipnorm.has_value());
    EXPECT_THROW(SGD({.momentum = -0.1}), Error);
    EXPECT_THROW(SGD({.momentum = 1.5}), Error);
}

}  // namespace
}  // namespace tfc
