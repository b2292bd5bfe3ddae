// Merge layers: values against the element-wise ops they compose, Keras's shape rules
// (keras/layers/merging/base_merge.py `_compute_elemwise_op_output_shape`, concatenate.py
// `build`), mask merging (base_merge.py / concatenate.py `compute_mask`) and float64 gradients.
#include "tfc/layers/merge.h"

#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/layers/masking.h"
#include "tfc/ops/ops.h"

namespace tfc {
namespace {

using testing::check_gradients;
using testing::random_f64;

void expect_same(const Tensor& a, const Tensor& b) {
    ASSERT_EQ(a.shape(), b.shape());
    const auto x = a.to_doubles(), y = b.to_doubles();
    for (std::size_t i = 0; i < x.size(); ++i) EXPECT_DOUBLE_EQ(x[i], y[i]) << i;
}

TEST(Merge, ValuesAreTheElementwiseOps) {
    const Tensor a = random_f64({2, 3}, -1, 1, 1), b = random_f64({2, 3}, -1, 1, 2),
                 c = random_f64({2, 3}, -1, 1, 3);
    expect_same(Add()({a, b, c}), ops::add(ops::add(a, b), c));
    expect_same(Multiply()({a, b, c}), ops::mul(ops::mul(a, b), c));
    expect_same(Average()({a, b, c}), ops::div(ops::add(ops::add(a, b), c), 3.0));
    expect_same(Concatenate()({a, b}), ops::concat({a, b}, -1));
    expect_same(Concatenate({.axis = 0})({a, b}), ops::concat({a, b}, 0));
}

TEST(Merge, LowerRankInputsGetAxesAfterTheBatch) {
    // Keras `_Merge.call` expands a lower-rank input at axis 1: (2, 3) -> (2, 1, 3).
    const Tensor a = random_f64({2, 3}, -1, 1, 4), b = random_f64({2, 4, 3}, -1, 1, 5);
    const Tensor y = Add()({a, b});
    expect_same(y, ops::add(ops::expand_dims(a, 1), b));
    EXPECT_EQ(Add().compute_output_shape(std::vector<Shape>{{-1, 3}, {-1, 4, 3}}),
              (Shape{-1, 4, 3}));
    EXPECT_EQ(Multiply().compute_output_shape(std::vector<Shape>{{-1, 1, 3}, {-1, 4, 1}}),
              (Shape{-1, 4, 3}));
    EXPECT_EQ(Add().compute_output_shape(std::vector<Shape>{{-1, -1, 3}, {-1, 4, 3}}),
              (Shape{-1, -1, 3}));
}

TEST(Merge, ShapeErrors) {
    EXPECT_THROW(Add().compute_output_shape(std::vector<Shape>{{-1, 3}, {-1, 4}}), Error);
    EXPECT_THROW(Add()({Tensor::zeros({2, 3}), Tensor::zeros({3, 3})}), Error);  // batch sizes
    EXPECT_THROW(Concatenate().compute_output_shape(std::vector<Shape>{{-1, 3, 2}, {-1, 4, 2}}),
                 Error);
    EXPECT_THROW(Concatenate({.axis = 3}).compute_output_shape(std::vector<Shape>{{-1, 3}}),
                 Error);
    EXPECT_THROW(Add()(Tensor::zeros({2, 3})), Error);  // a single tensor, not a list
    EXPECT_THROW(Average()(std::vector<Tensor>{}), Error);
    try {
        Add({.name = "add_x"}).compute_output_shape(std::vector<Shape>{{-1, 3}, {-1, 4}});
    } catch (const Error& e) {
        const std::string m = e.what();
        EXPECT_NE(m.find("[add_x]"), std::string::npos) << m;
        EXPECT_NE(m.find("Fix:"), std::string::npos) << m;
    }
}

TEST(Merge, ConcatenateShapes) {
    Concatenate c({.axis = 1});
    EXPECT_EQ(c.compute_output_shape(std::vector<Shape>{{-1, 3, 2}, {-1, 4, 2}}),
              (Shape{-1, 7, 2}));
    EXPECT_EQ(c.compute_output_shape(std::vector<Shape>{{-1, -1, 2}, {-1, 4, 2}}),
              (Shape{-1, -1, 2}));
}

TEST(Merge, GradientsFloat64) {
    const std::vector<Tensor> xs = {random_f64({2, 3}, -1, 1, 11), random_f64({2, 3}, -1, 1, 12),
                                    random_f64({2, 1}, -1, 1, 13)};
    auto add = std::make_shared<Add>();
    auto mul = std::make_shared<Multiply>();
    auto avg = std::make_shared<Average>();
    auto cat = std::make_shared<Concatenate>();
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& v) { return (*add)(v); }, xs));
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& v) { return (*mul)(v); }, xs));
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& v) { return (*avg)(v); }, xs));
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& v) { return (*cat)(v); }, xs));
    auto cat0 = std::make_shared<Concatenate>(ConcatenateOptions{.axis = 0});
    EXPECT_TRUE(check_gradients([&](const std::vector<Tensor>& v) { return (*cat0)(v); },
                                {random_f64({2, 3}, -1, 1, 14), random_f64({1, 3}, -1, 1, 15)}));
}

TEST(Merge, MasksAreAndedForElementwiseMerges) {
    // Two (1, 3, 1) sequences; Masking(0) masks their zero steps.
    Tensor a = Tensor::from_vector(std::vector<float>{1, 0, 1}, {1, 3, 1});
    Tensor b = Tensor::from_vector(std::vector<float>{1, 1, 0}, {1, 3, 1});
    Masking ma, mb;
    const Tensor y = Add()({ma(a), mb(b)});
    ASSERT_TRUE(y.keras_mask().defined());
    const auto m = y.keras_mask().to_doubles();
    ASSERT_EQ(m.size(), 3u);
    // Expected: the element-wise AND of the two input masks.
    const auto m1 = ma(a).keras_mask().to_doubles(), m2 = mb(b).keras_mask().to_doubles();
    for (int i = 0; i < 3; ++i) EXPECT_EQ(m[i], (m1[i] != 0 && m2[i] != 0) ? 1.0 : 0.0);
    EXPECT_FALSE(Add()({a, b}).keras_mask().defined());  // no mask in, none out
}

TEST(Merge, ConcatenateMaskTreatsMissingMasksAsTrue) {
    Tensor a = Tensor::from_vector(std::vector<float>{1, 0, 1}, {1, 3, 1});
    Tensor b = Tensor::from_vector(std::vector<float>{0, 0, 0, 0, 0, 0}, {1, 3, 2});
    Masking ma;
    const Tensor am = ma(a);
    const Tensor y = Concatenate()({am, b});  // features axis; b has no mask
    EXPECT_EQ(y.shape(), (Shape{1, 3, 3}));
    ASSERT_TRUE(y.keras_mask().defined());
    expect_same(y.keras_mask().astype(DType::float64), am.keras_mask().astype(DType::float64));
}

}  // namespace
}  // namespace tfc
