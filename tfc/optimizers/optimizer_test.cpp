// The optimizer base: clipping (keras/optimizers/optimizer.py of Keras 2.15, `_clip_gradients`),
// gradient filtering, iteration counting, validation, in-place updates, get_optimizer and
// OptimizerRef. Expected values are the Keras/TF formulas evaluated in float64 in the test.
#include "tfc/optimizers/optimizer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "tfc/autograd/tape.h"
#include "tfc/optimizers/optimizer_test_util.h"
#include "tfc/optimizers/optimizers.h"

namespace tfc {
namespace {

using testing::all_close;
using testing::make_grad;
using testing::make_var;

double l2(const std::vector<double>& g) {
    double s = 0;
    for (double x : g) s += x * x;
    return std::sqrt(s);
}

// w - lr * scale * g in float64.
std::vector<double> sgd_step(std::vector<double> w,
                             const std::vector<double>& g,
                             double lr,
                             double scale) {
    for (std::size_t i = 0; i < w.size(); ++i) w[i] -= lr * scale * g[i];
    return w;
}

// Every optimizer kind, in a variant that uses all of its slots.
std::vector<std::shared_ptr<Optimizer>> every_optimizer() {
    return {std::make_shared<SGD>(),
            std::make_shared<SGD>(SGDOptions{.momentum = 0.9, .nesterov = true}),
            std::make_shared<RMSprop>(),
            std::make_shared<RMSprop>(RMSpropOptions{.momentum = 0.9, .centered = true}),
            std::make_shared<Adam>(),
            std::make_shared<Adam>(AdamOptions{.amsgrad = true}),
            std::make_shared<Adagrad>()};
}

// ---- clipping ----

TEST(OptimizerClip, ClipnormClipsEachGradientByItsOwnNorm) {
    // tf.clip_by_norm: g * c / max(||g||, c). ||g1|| = 2.5 > c is scaled, ||g2|| < c is not.
    const std::vector<double> w1 = {0.5, -0.25, 1.0}, g1 = {1.5, -2.0, 0.0};
    const std::vector<double> w2 = {0.125, 0.75}, g2 = {0.25, -0.5};
    const double c = 1.0, lr = 0.5;
    Tensor v1 = make_var(w1), v2 = make_var(w2);
    SGD opt({.learning_rate = lr, .clipnorm = c});
    opt.apply_gradients({make_grad(g1), make_grad(g2)}, {v1, v2});
    EXPECT_TRUE(all_close(v1.to_doubles(), sgd_step(w1, g1, lr, c / std::max(l2(g1), c)), 1e-6,
                          1e-7, "clipped"));
    EXPECT_TRUE(all_close(v2.to_doubles(), sgd_step(w2, g2, lr, 1.0), 1e-6, 1e-7, "unclipped"));
}

TEST(OptimizerClip, GlobalClipnormScalesAllGradientsTogether) {
    // tf.clip_by_global_norm: scale = c * min(1 / global_norm, 1 / c).
    const std::vector<double> w1 = {0.5, -0.25, 1.0}, g1 = {1.5, -2.0, 0.0};
    const std::vector<double> w2 = {0.125, 0.75}, g2 = {0.25, -0.5};
    const double c = 1.0, lr = 0.5;
    const double global = std::sqrt(l2(g1) * l2(g1) + l2(g2) * l2(g2));
    const double scale = c * std::min(1.0 / global, 1.0 / c);
    Tensor v1 = make_var(w1), v2 = make_var(w2);
    SGD opt({.learning_rate = lr, .global_clipnorm = c});
    opt.apply_gradients({make_grad(g1), make_grad(g2)}, {v1, v2});
    EXPECT_TRUE(all_close(v1.to_doubles(), sgd_step(w1, g1, lr, scale), 1e-6, 1e-7, "v1"));
    EXPECT_TRUE(all_close(v2.to_doubles(), sgd_step(w2, g2, lr, scale), 1e-6, 1e-7, "v2"));

    // Below the threshold nothing changes.
    Tensor v3 = make_var(w2);
    SGD loose({.learning_rate = lr, .global_clipnorm = 100.0});
    loose.apply_gradients({make_grad(g2)}, {v3});
    EXPECT_TRUE(all_close(v3.to_doubles(), sgd_step(w2, g2, lr, 1.0), 1e-6, 1e-7, "loose"));
}

TEST(OptimizerClip, ClipvalueClipsElementwise) {
    const std::vector<double> w = {0.5, -0.25, 1.0, 0.0}, g = {1.5, -2.0, 0.125, -0.25};
    const double c = 0.25, lr = 0.5;
    std::vector<double> want = w;
    for (std::size_t i = 0; i < w.size(); ++i) want[i] -= lr * std::clamp(g[i], -c, c);
    Tensor v = make_var(w);
    SGD opt({.learning_rate = lr, .clipvalue = c});
    opt.apply_gradients({make_grad(g)}, {v});
    EXPECT_TRUE(all_close(v.to_doubles(), want, 1e-6, 1e-7, "clipvalue"));
}

TEST(OptimizerClip, ClippingDoesNotTouchTheCallersGradients) {
    const std::vector<double> g = {3.0, -4.0};
    const Tensor grad = make_grad(g);
    Tensor v = make_var({0.0, 0.0});
    for (auto opt :
         {SGD({.clipnorm = 1.0}), SGD({.clipvalue = 1.0}), SGD({.global_clipnorm = 1.0})}) {
        opt.apply_gradients({grad}, {v});
        EXPECT_EQ(grad.to_doubles(), g);
    }
}

TEST(OptimizerClip, LargeGradientClipnormUsesThreadedNorm) {
    const std::int64_t n = 100000;
    const std::vector<double> g = testing::grad_sequence(1, n, 1.0);
    const std::vector<double> w(static_cast<std::size_t>(n), 0.0);
    Tensor v = make_var(w);
    const double c = 2.0;
    SGD opt({.learning_rate = 1.0, .clipnorm = c});
    opt.apply_gradients({make_grad(g)}, {v});
    EXPECT_TRUE(all_close(v.to_doubles(), sgd_step(w, g, 1.0, c / std::max(l2(g), c)), 1e-5, 1e-9,
                          "large clipnorm"));
}

TEST(OptimizerClip, AtMostOneClipOption) {
    EXPECT_THROW(SGD({.clipnorm = 1.0, .clipvalue = 1.0}), Error);
    EXPECT_THROW(SGD({.clipnorm = 1.0, .global_clipnorm = 1.0}), Error);
    EXPECT_THROW(Adam({.clipvalue = 1.0, .global_clipnorm = 1.0}), Error);
    EXPECT_THROW(RMSprop({.clipnorm = 1.0, .clipvalue = 0.5, .global_clipnorm = 2.0}), Error);
    try {
        Adagrad({.clipnorm = 1.0, .clipvalue = 0.5});
        FAIL() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind("[Optimizer] at most one of", 0), 0u) << msg;
        EXPECT_NE(msg.find("Got clipnorm=1 clipvalue=0.5."), std::string::npos) << msg;
        EXPECT_NE(msg.find("Fix:"), std::string::npos) << msg;
    }
}

TEST(OptimizerClip, ClipValuesMustBePositiveAndFinite) {
    EXPECT_THROW(SGD({.clipnorm = 0.0}), Error);
    EXPECT_THROW(SGD({.clipvalue = -1.0}), Error);
    EXPECT_THROW(SGD({.global_clipnorm = std::numeric_limits<double>::quiet_NaN()}), Error);
    EXPECT_THROW(SGD({.clipnorm = std::numeric_limits<double>::infinity()}), Error);
    EXPECT_NO_THROW(SGD({.clipnorm = 1e-3}));
}

// ---- learning rate ----

TEST(OptimizerLearningRate, NegativeOrNonFiniteIsRejected) {
    EXPECT_THROW(SGD({.learning_rate = -0.1}), Error);
    EXPECT_THROW(Adam({.learning_rate = -1e-3}), Error);
    EXPECT_THROW(RMSprop({.learning_rate = std::numeric_limits<double>::quiet_NaN()}), Error);
    EXPECT_THROW(Adagrad({.learning_rate = std::numeric_limits<double>::infinity()}), Error);
    Adam opt;
    EXPECT_THROW(opt.set_learning_rate(-0.5), Error);
    EXPECT_THROW(opt.set_learning_rate(std::numeric_limits<double>::infinity()), Error);
    EXPECT_EQ(opt.learning_rate(), 0.001);  // unchanged after a rejected value
    try {
        opt.set_learning_rate(-0.5);
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind("[Adam.set_learning_rate] invalid learning rate.", 0), 0u) << msg;
        EXPECT_NE(msg.find("Got learning_rate=-0.5."), std::string::npos) << msg;
    }
    opt.set_learning_rate(0.0);
    EXPECT_EQ(opt.learning_rate(), 0.0);
}

TEST(OptimizerLearningRate, ZeroLearningRateLeavesWeights) {
    for (const auto& opt : every_optimizer()) {
        opt->set_learning_rate(0.0);
        const std::vector<double> w = {0.5, -1.0, 2.0};
        Tensor v = make_var(w);
        for (int t = 0; t < 3; ++t) opt->apply_gradients({make_grad({1.0, -2.0, 0.5})}, {v});
        EXPECT_EQ(v.to_doubles(), w) << opt->class_name();
    }
}

// ---- apply_gradients ----

TEST(OptimizerApply, ZeroGradientLeavesWeights) {
    for (const auto& opt : every_optimizer()) {
        const std::vector<double> w = {0.5, -1.0, 2.0, 0.0};
        Tensor v = make_var(w);
        for (int t = 0; t < 3; ++t) opt->apply_gradients({make_grad({0, 0, 0, 0})}, {v});
        EXPECT_EQ(v.to_doubles(), w) << opt->class_name();
        EXPECT_EQ(opt->iterations(), 3);
    }
}

TEST(OptimizerApply, UndefinedGradientIsSkipped) {
    for (const auto& opt : every_optimizer()) {
        const std::vector<double> w1 = {0.5, -1.0}, w2 = {2.0, 3.0};
        Tensor v1 = make_var(w1), v2 = make_var(w2);
        opt->apply_gradients({Tensor(), make_grad({1.0, -1.0})}, {v1, v2});
        EXPECT_EQ(v1.to_doubles(), w1) << opt->class_name();
        EXPECT_NE(v2.to_doubles(), w2) << opt->class_name();
        EXPECT_EQ(opt->iterations(), 1);
        for (const char* name : {"m", "v", "velocity", "accumulator"}) {
            EXPECT_FALSE(opt->get_slot(v1, name).defined()) << opt->class_name() << " " << name;
        }
    }
}

TEST(OptimizerApply, AllGradientsUndefinedIsAnError) {
    Tensor v = make_var({1.0});
    Adam opt;
    EXPECT_THROW(opt.apply_gradients({Tensor()}, {v}), Error);
    EXPECT_EQ(opt.iterations(), 0);
    EXPECT_NO_THROW(opt.apply_gradients({}, {}));  // nothing to do
}

TEST(OptimizerApply, MismatchedInputsAreErrors) {
    Tensor v = make_var({1.0, 2.0});
    SGD opt;
    EXPECT_THROW(opt.apply_gradients({make_grad({1.0, 2.0})}, {v, v}), Error);
    EXPECT_THROW(opt.apply_gradients({make_grad({1.0, 2.0, 3.0})}, {v}), Error);
    EXPECT_THROW(opt.apply_gradients({make_grad({1.0, 2.0}).astype(DType::float64)}, {v}), Error);
    Tensor v64 = Tensor::from_doubles({1.0, 2.0}, {2}, DType::float64);
    EXPECT_THROW(opt.apply_gradients({make_grad({1.0, 2.0})}, {v64}), Error);
    EXPECT_THROW(opt.apply_gradients({make_grad({1.0})}, {Tensor()}), Error);
    EXPECT_EQ(opt.iterations(), 0);
}

TEST(OptimizerApply, IterationsCountSteps) {
    Tensor v = make_var({1.0});
    RMSprop opt;
    for (int t = 1; t <= 5; ++t) {
        opt.apply_gradients({make_grad({0.5})}, {v});
        EXPECT_EQ(opt.iterations(), t);
    }
}

TEST(OptimizerApply, VariablesAndSlotsKeepTheirBuffers) {
    for (const auto& opt : every_optimizer()) {
        Tensor v1 = make_var({0.5, -1.0, 2.0});
        Tensor v2 = Tensor::from_doubles({1, 2, 3, 4, 5, 6}, {2, 3}, DType::float32);
        v2.set_requires_grad(true);
        const void* p1 = v1.raw_data();
        const void* p2 = v2.raw_data();
        const Tensor g1 = make_grad({0.1, 0.2, -0.3});
        const Tensor g2 = Tensor::from_doubles({1, -1, 2, -2, 3, -3}, {2, 3}, DType::float32);
        opt->apply_gradients({g1, g2}, {v1, v2});
        std::vector<const void*> slot_ptrs;
        for (const char* name :
             {"m", "v", "vhat", "velocity", "momentum", "average_gradient", "accumulator"}) {
            Tensor s = opt->get_slot(v2, name);
            slot_ptrs.push_back(s.defined() ? s.raw_data() : nullptr);
        }
        for (int t = 0; t < 4; ++t) opt->apply_gradients({g1, g2}, {v1, v2});
        EXPECT_EQ(v1.raw_data(), p1) << opt->class_name();
        EXPECT_EQ(v2.raw_data(), p2) << opt->class_name();
        EXPECT_EQ(v2.shape(), (Shape{2, 3}));
        EXPECT_TRUE(v1.requires_grad());
        std::size_t k = 0;
        for (const char* name :
             {"m", "v", "vhat", "velocity", "momentum", "average_gradient", "accumulator"}) {
            Tensor s = opt->get_slot(v2, name);
            EXPECT_EQ(s.defined() ? s.raw_data() : nullptr, slot_ptrs[k++])
                << opt->class_name() << " slot " << name;
        }
    }
}

TEST(OptimizerApply, DoesNotRecordOnAnActiveTape) {
    Tensor v = make_var({1.0, 2.0});
    SGD opt({.momentum = 0.5, .clipnorm = 0.1});
    autograd::GradientTape tape;
    const std::size_t before = tape.num_entries();
    opt.apply_gradients({make_grad({3.0, 4.0})}, {v});
    EXPECT_EQ(tape.num_entries(), before);
}

TEST(OptimizerApply, CopiesDoNotShareSlots) {
    Tensor v = make_var({1.0, 2.0});
    const Tensor g = make_grad({0.5, -0.5});
    Adam a;
    a.apply_gradients({g}, {v});
    const std::vector<double> m_before = a.get_slot(v, "m").to_doubles();
    Adam b = a;
    EXPECT_EQ(b.iterations(), 1);
    b.apply_gradients({g}, {v});
    EXPECT_EQ(a.get_slot(v, "m").to_doubles(), m_before);
    EXPECT_NE(b.get_slot(v, "m").raw_data(), a.get_slot(v, "m").raw_data());
    EXPECT_EQ(b.iterations(), 2);
    EXPECT_EQ(a.iterations(), 1);
}

// ---- get_optimizer and OptimizerRef ----

TEST(GetOptimizer, KerasStringsWithKeras2Defaults) {
    // Defaults: keras-reference.md §1.3 (keras/optimizers/{sgd,rmsprop,adam,adagrad}.py).
    const auto sgd = std::dynamic_pointer_cast<SGD>(get_optimizer("sgd"));
    ASSERT_NE(sgd, nullptr);
    EXPECT_EQ(sgd->learning_rate(), 0.01);
    EXPECT_EQ(sgd->momentum(), 0.0);
    EXPECT_FALSE(sgd->nesterov());

    const auto rms = std::dynamic_pointer_cast<RMSprop>(get_optimizer("RMSprop"));
    ASSERT_NE(rms, nullptr);
    EXPECT_EQ(rms->learning_rate(), 0.001);
    EXPECT_EQ(rms->rho(), 0.9);
    EXPECT_EQ(rms->momentum(), 0.0);
    EXPECT_EQ(rms->epsilon(), 1e-7);
    EXPECT_FALSE(rms->centered());

    const auto adam = std::dynamic_pointer_cast<Adam>(get_optimizer("ADAM"));
    ASSERT_NE(adam, nullptr);
    EXPECT_EQ(adam->learning_rate(), 0.001);
    EXPECT_EQ(adam->beta_1(), 0.9);
    EXPECT_EQ(adam->beta_2(), 0.999);
    EXPECT_EQ(adam->epsilon(), 1e-7);
    EXPECT_FALSE(adam->amsgrad());

    const auto ada = std::dynamic_pointer_cast<Adagrad>(get_optimizer("Adagrad"));
    ASSERT_NE(ada, nullptr);
    EXPECT_EQ(ada->learning_rate(), 0.001);
    EXPECT_EQ(ada->initial_accumulator_value(), 0.1);
    EXPECT_EQ(ada->epsilon(), 1e-7);

    for (const char* name : {"sgd", "rmsprop", "adam", "adagrad"}) {
        const ClipOptions clip = get_optimizer(name)->clip_options();
        EXPECT_FALSE(clip.clipnorm || clip.clipvalue || clip.global_clipnorm) << name;
    }
}

TEST(GetOptimizer, UnknownNameIsAnError) {
    EXPECT_THROW(get_optimizer("adamw_typo"), Error);
    EXPECT_THROW(get_optimizer(""), Error);
    try {
        get_optimizer("nadamx");
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_EQ(msg.rfind("[get_optimizer] unknown optimizer. Got 'nadamx'.", 0), 0u) << msg;
    }
}

TEST(OptimizerRef, FromNamesObjectsAndPointers) {
    const OptimizerRef by_cstr = "adam";
    EXPECT_EQ(by_cstr.get()->class_name(), "Adam");
    const OptimizerRef by_string = std::string("SGD");
    EXPECT_EQ(by_string.get()->class_name(), "SGD");

    const SGD sgd({.learning_rate = 0.5, .momentum = 0.25});
    const OptimizerRef by_object = sgd;
    const auto copy = std::dynamic_pointer_cast<SGD>(by_object.get());
    ASSERT_NE(copy, nullptr);
    EXPECT_EQ(copy->learning_rate(), 0.5);
    EXPECT_EQ(copy->momentum(), 0.25);

    const OptimizerRef by_temporary = Adagrad({.learning_rate = 0.2});
    EXPECT_EQ(by_temporary.get()->learning_rate(), 0.2);

    auto shared = std::make_shared<RMSprop>();
    const OptimizerRef by_pointer = shared;
    EXPECT_EQ(by_pointer.get().get(), shared.get());

    EXPECT_THROW(OptimizerRef{OptimizerPtr{}}, Error);
    EXPECT_THROW(OptimizerRef("lbfgs"), Error);
}

}  // namespace
}  // namespace tfc
