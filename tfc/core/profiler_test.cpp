// The profiler: off by default, rows for layer calls, backward rules and optimizer steps when
// on, call counts that match what ran, inclusive forward times and a readable report.
#include "tfc/core/profiler.h"

#include <gtest/gtest.h>

#include <thread>

#include "tfc/autograd/tape.h"
#include "tfc/layers/dense.h"
#include "tfc/ops/ops.h"
#include "tfc/optimizers/sgd.h"

namespace tfc::profiler {
namespace {

const Row* find(const std::vector<Row>& rows, const std::string& name) {
    for (const Row& r : rows) {
        if (r.name == name) return &r;
    }
    return nullptr;
}

// Restores the profiler's state after each test.
class Profiler : public ::testing::Test {
protected:
    void SetUp() override {
        was_on_ = enabled();
        reset();
    }
    void TearDown() override {
        enable(was_on_);
        reset();
    }

private:
    bool was_on_ = false;
};

void train_step(Dense& dense, SGD& sgd, const Tensor& x) {
    autograd::GradientTape tape;
    const Tensor y = dense(x);
    const Tensor loss = ops::mean(ops::square(y));
    const std::vector<Tensor> vars = dense.trainable_weights();
    sgd.apply_gradients(tape.gradient(loss, vars), vars);
}

TEST_F(Profiler, OffRecordsNothing) {
    enable(false);
    Dense dense(3);
    SGD sgd;
    train_step(dense, sgd, Tensor::ones({4, 2}));
    EXPECT_TRUE(rows().empty());
}

TEST_F(Profiler, CountsLayerCallsBackwardRulesAndOptimizerSteps) {
    enable(true);
    Dense dense(3, {.name = "probe"});
    SGD sgd;
    for (int i = 0; i < 3; ++i) train_step(dense, sgd, Tensor::ones({4, 2}));
    const std::vector<Row> r = rows();
    const Row* fwd = find(r, "forward probe");
    const Row* opt = find(r, "optimizer SGD");
    ASSERT_NE(fwd, nullptr);
    ASSERT_NE(opt, nullptr);
    EXPECT_EQ(fwd->calls, 3);
    EXPECT_EQ(opt->calls, 3);
    bool any_backward = false;
    for (const Row& row : r) {
        EXPECT_GE(row.seconds, 0.0) << row.name;
        if (row.name.rfind("backward ", 0) == 0) {
            any_backward = true;
            EXPECT_EQ(row.calls % 3, 0) << row.name << ": one per step and rule use";
        }
    }
    EXPECT_TRUE(any_backward);
    for (std::size_t i = 1; i < r.size(); ++i) EXPECT_GE(r[i - 1].seconds, r[i].seconds);
    const std::string text = report();
    EXPECT_NE(text.find("forward probe"), std::string::npos) << text;
    EXPECT_NE(text.find("optimizer SGD"), std::string::npos) << text;
}

TEST_F(Profiler, ScopesMeasureWallTimeAndNest) {
    enable(true);
    {
        const Scope outer(Kind::forward, "outer");
        const Scope inner(Kind::forward, "inner");
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    const std::vector<Row> r = rows();
    const Row* outer = find(r, "forward outer");
    const Row* inner = find(r, "forward inner");
    ASSERT_NE(outer, nullptr);
    ASSERT_NE(inner, nullptr);
    EXPECT_GE(inner->seconds, 0.019);
    EXPECT_GE(outer->seconds, inner->seconds);
    // Shares count the outermost forward row only, so the inner one does not double it.
    const std::string text = report();
    EXPECT_NE(text.find("100.0%"), std::string::npos) << text;
}

}  // namespace
}  // namespace tfc::profiler
