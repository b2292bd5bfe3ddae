// Adagrad against Keras 2.15's update rule evaluated in float64 (keras/optimizers/adagrad.py,
// `Adagrad.build` and `Adagrad.update_step`, dense branch):
//   accumulator starts at initial_accumulator_value
//   accumulator <- accumulator + g^2
//   w <- w - lr * g / sqrt(accumulator + epsilon)
#include "tfc/optimizers/adagrad.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "tfc/optimizers/optimizer_test_util.h"

namespace tfc {
namespace {

using testing::replay_against_reference;

testing::ReferenceStep keras_adagrad(const Optimizer& opt, const AdagradOptions& o) {
    auto acc = std::make_shared<std::vector<double>>();
    return [&opt, o, acc](std::vector<double>& w, const std::vector<double>& g, int) {
        const double lr = opt.learning_rate();
        if (acc->empty()) acc->assign(w.size(), o.initial_accumulator_value);
        for (std::size_t i = 0; i < w.size(); ++i) {
            (*acc)[i] += g[i] * g[i];
            w[i] -= lr * g[i] / std::sqrt((*acc)[i] + o.epsilon);
        }
    };
}

void check_variant(const AdagradOptions& o) {
    for (double scale : {1.0, 1e-3, 1e-6}) {
        Adagrad opt(o);
        EXPECT_TRUE(replay_against_reference(opt, keras_adagrad(opt, o),
                                             {.scale = scale, .start_at_zero = scale < 1}))
            << "scale " << scale;
    }
}

TEST(Adagrad, DefaultsMatchKerasFormula) { check_variant({}); }

TEST(Adagrad, ZeroInitialAccumulatorMatchesKerasFormula) {
    // With acc0 = 0 and tiny gradients, epsilon inside the sqrt dominates.
    check_variant({.learning_rate = 0.01, .initial_accumulator_value = 0.0, .epsilon = 1e-7});
}

TEST(Adagrad, AccumulatorStartsAtInitialValue) {
    const Tensor w = testing::make_var({1.0, 2.0, 3.0});
    Adagrad opt({.initial_accumulator_value = 0.25});
    opt.apply_gradients({testing::make_grad({0.0, 0.5, -2.0})}, {w});
    const std::vector<double> acc = opt.get_slot(w, "accumulator").to_doubles();
    const std::vector<double> want = {0.25, 0.25 + 0.25, 0.25 + 4.0};
    EXPECT_TRUE(testing::all_close(acc, want, 0.0, 0.0, "accumulator"));
}

TEST(Adagrad, LargeVariableRunsThreadedLoop) {
    const AdagradOptions o{.learning_rate = 0.01};
    Adagrad opt(o);
    EXPECT_TRUE(replay_against_reference(opt, keras_adagrad(opt, o), {.n = 40000, .steps = 4}));
}

TEST(Adagrad, OptionsAndValidation) {
    const Adagrad opt({.initial_accumulator_value = 0.5, .epsilon = 1e-6});
    EXPECT_EQ(opt.class_name(), "Adagrad");
    EXPECT_EQ(opt.initial_accumulator_value(), 0.5);
    EXPECT_EQ(opt.epsilon(), 1e-6);
    EXPECT_THROW(Adagrad({.initial_accumulator_value = -0.1}), Error);
    EXPECT_THROW(Adagrad({.epsilon = NAN}), Error);
}

}  // namespace
}  // namespace tfc
