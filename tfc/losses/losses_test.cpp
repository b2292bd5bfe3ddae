// Loss behaviour beyond the goldens: names, shape rules, sample-weight forms, error messages.
// Expected values are relations between two computations, never typed-in numbers.
#include "tfc/losses/losses.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {
namespace {

// Runs f, expects a tfc::Error whose message contains every fragment.
template <typename F>
void expect_error(F&& f, const std::vector<std::string>& fragments) {
    try {
        f();
        ADD_FAILURE() << "expected tfc::Error";
    } catch (const Error& e) {
        const std::string msg = e.what();
        for (const auto& frag : fragments) {
            EXPECT_NE(msg.find(frag), std::string::npos)
                << "missing \"" << frag << "\" in: " << msg;
        }
    }
}

Tensor probs() {
    return Tensor::from_vector(std::vector<float>{0.25f, 0.5f, 0.25f, 0.125f, 0.75f, 0.125f},
                               {2, 3});
}

TEST(GetLoss, KerasNamesAndAliases) {
    const std::vector<std::pair<std::string, std::string>> names = {
        {"binary_crossentropy", "BinaryCrossentropy"},
        {"bce", "BinaryCrossentropy"},
        {"categorical_crossentropy", "CategoricalCrossentropy"},
        {"sparse_categorical_crossentropy", "SparseCategoricalCrossentropy"},
        {"mse", "MeanSquaredError"},
        {"mean_squared_error", "MeanSquaredError"},
        {"MSE", "MeanSquaredError"},
        {"mae", "MeanAbsoluteError"},
        {"mean_absolute_error", "MeanAbsoluteError"},
        {"huber", "Huber"},
        {"huber_loss", "Huber"},
        {"Huber", "Huber"},
        {"SparseCategoricalCrossentropy", "SparseCategoricalCrossentropy"},
    };
    for (const auto& [id, cls] : names) EXPECT_EQ(get_loss(id)->class_name(), cls) << id;
    EXPECT_EQ(get_loss("mse")->name(), "mean_squared_error");
    EXPECT_EQ(get_loss("huber")->name(), "huber_loss");
    expect_error([] { get_loss("binary_crossentropyy"); },
                 {"[get_loss] unknown loss", "\"binary_crossentropyy\"", "Fix:"});
}

TEST(LossRef, FromStringPointerAndObject) {
    EXPECT_EQ(LossRef("mae").get()->class_name(), "MeanAbsoluteError");
    EXPECT_EQ(LossRef(std::string("bce")).get()->class_name(), "BinaryCrossentropy");
    const LossRef by_value = BinaryCrossentropy({.from_logits = true});
    const auto* bce = dynamic_cast<const BinaryCrossentropy*>(by_value.get().get());
    ASSERT_NE(bce, nullptr);
    EXPECT_TRUE(bce->options().from_logits);
    EXPECT_EQ(LossRef(get_loss("mse")).get()->name(), "mean_squared_error");
}

TEST(Loss, LabelsOfShapeNEqualLabelsOfShapeN1) {
    // compile_utils.match_dtype_and_rank: y (N,) against y_pred (N, 1) becomes (N, 1).
    const Tensor y_pred = Tensor::from_vector(std::vector<float>{0.25f, 0.5f, 0.875f}, {3, 1});
    const Tensor y_n = Tensor::from_vector(std::vector<float>{0.f, 1.f, 1.f}, {3});
    const Tensor y_n1 = y_n.reshaped({3, 1});
    const Tensor w = Tensor::from_vector(std::vector<float>{1.f, 0.f, 2.f}, {3});
    for (const char* id : {"bce", "mse", "mae", "huber"}) {
        LossPtr loss = get_loss(id);
        EXPECT_EQ(loss->call(y_n, y_pred).shape(), (Shape{3})) << id;
        EXPECT_EQ((*loss)(y_n, y_pred, w).item(), (*loss)(y_n1, y_pred, w).item()) << id;
    }
}

TEST(Loss, SampleWeightForms) {
    const Tensor y = Tensor::from_vector(std::vector<float>{0, 1, 0, 0, 0, 1}, {2, 3});
    const CategoricalCrossentropy cce;
    const Tensor per = cce.call(y, probs());
    const Tensor w = Tensor::from_vector(std::vector<float>{2.f, 0.5f}, {2});
    const double want = (per.at(0) * 2.0 + per.at(1) * 0.5) / 2.0;  // divides by N, not sum(w)
    EXPECT_NEAR(cce(y, probs(), w).item(), want, 1e-6);
    EXPECT_NEAR(cce(y, probs(), w.reshaped({2, 1})).item(), want, 1e-6);
    EXPECT_NEAR(cce(y, probs(), w.astype(DType::float64)).item(), want, 1e-6);
    EXPECT_NEAR(cce(y, probs(), Tensor::scalar(3.0)).item(), cce(y, probs()).item() * 3.0, 1e-6);
    expect_error(
        [&] { cce(y, probs(), Tensor::ones({3})); },
        {"[CategoricalCrossentropy] sample_weight does not match", "(3,)", "(2,)", "Fix:"});
}

TEST(Loss, IntegerAndFloatLabelsAgree) {
    const Tensor ids = Tensor::from_vector(std::vector<std::int32_t>{1, 1}, {2});
    const Tensor ids_f = Tensor::from_vector(std::vector<float>{1.f, 1.f}, {2, 1});
    const SparseCategoricalCrossentropy scce;
    EXPECT_EQ(scce(ids, probs()).item(), scce(ids_f, probs()).item());
    const Tensor one_hot = ops::one_hot(ids, 3, DType::int32);
    EXPECT_NEAR(CategoricalCrossentropy()(one_hot, probs()).item(), scce(ids, probs()).item(),
                1e-6);
}

TEST(Loss, LabelSmoothingIsALabelTransform) {
    const Tensor y = Tensor::from_vector(std::vector<float>{0, 1, 0, 1, 0, 0}, {2, 3});
    const float s = 0.2f;
    const Tensor smoothed_bce = ops::add(ops::mul(y, 1.0 - s), 0.5 * s);
    EXPECT_NEAR(BinaryCrossentropy({.label_smoothing = s})(y, probs()).item(),
                BinaryCrossentropy()(smoothed_bce, probs()).item(), 1e-6);
    const Tensor smoothed_cce = ops::add(ops::mul(y, 1.0 - s), s / 3.0);
    EXPECT_NEAR(CategoricalCrossentropy({.label_smoothing = s})(y, probs()).item(),
                CategoricalCrossentropy()(smoothed_cce, probs()).item(), 1e-6);
}

TEST(Loss, ShortcutIgnoresFromLogitsAndMatchesLogitsPath) {
    const Tensor z = Tensor::from_vector(std::vector<float>{-30.f, 0.5f, 30.f, 2.f}, {4, 1});
    const Tensor y = Tensor::from_vector(std::vector<float>{1.f, 0.f, 0.f, 1.f}, {4, 1});
    Tensor p = ops::sigmoid(z);
    const double clipped = BinaryCrossentropy()(y, p).item();
    p.set_keras_logits(z, "sigmoid");
    const double logits = BinaryCrossentropy({.from_logits = true})(y, z).item();
    EXPECT_EQ(BinaryCrossentropy()(y, p).item(), logits);
    EXPECT_EQ(BinaryCrossentropy({.from_logits = true})(y, p).item(), logits);
    EXPECT_GT(logits, clipped + 1.0);  // saturated outputs: no clipping on the shortcut
    // A "softmax" logits tag does not apply to BCE.
    Tensor q = ops::sigmoid(z);
    q.set_keras_logits(z, "softmax");
    EXPECT_EQ(BinaryCrossentropy()(y, q).item(), clipped);
}

TEST(Loss, NanLabelsPropagate) {
    const Tensor y = Tensor::from_vector(std::vector<float>{NAN, 1.f, 0.f, 1.f, 0.f, 0.f}, {2, 3});
    for (const char* id : {"bce", "categorical_crossentropy", "mse", "mae", "huber"}) {
        const Tensor per = get_loss(id)->call(y, probs());
        EXPECT_TRUE(std::isnan(per.at(0))) << id;
        EXPECT_FALSE(std::isnan(per.at(1))) << id;
    }
}

TEST(Loss, EmptyBatchGivesZero) {
    const Tensor y = Tensor::zeros({0, 3});
    EXPECT_EQ(MeanSquaredError()(y, Tensor::zeros({0, 3})).item(), 0.0);
}

TEST(LossErrors, OneHotVersusSparseMixUps) {
    const Tensor ids = Tensor::from_vector(std::vector<std::int32_t>{1, 2}, {2});
    expect_error([&] { CategoricalCrossentropy()(ids, probs()); },
                 {"[CategoricalCrossentropy] y_true and y_pred shapes differ",
                  "Got y_true (2,), y_pred (2, 3)", "Expected the same shape",
                  "SparseCategoricalCrossentropy", "one-hot"});
    const Tensor one_hot = ops::one_hot(ids, 3);
    expect_error([&] { SparseCategoricalCrossentropy()(one_hot, probs()); },
                 {"[SparseCategoricalCrossentropy] y_true must hold one class id per sample",
                  "y_true (2, 3)", "(2,) or (2, 1)", "CategoricalCrossentropy"});
}

TEST(LossErrors, SparseLabelOutOfRange) {
    const SparseCategoricalCrossentropy scce;
    expect_error(
        [&] {
            scce(Tensor::from_vector(std::vector<std::int32_t>{0, 3}, {2}), probs());
        },
        {"label out of range", "at position 1", "[0, 3)", "Fix:"});
    expect_error(
        [&] {
            scce(Tensor::from_vector(std::vector<float>{NAN, 0.f}, {2}), probs());
        },
        {"label out of range", "nan at position 0"});
}

TEST(LossErrors, ShapesRanksAndOptions) {
    expect_error(
        [] {
            MeanSquaredError()(Tensor::zeros({4, 2}), Tensor::zeros({4, 3}));
        },
        {"[MeanSquaredError] y_true and y_pred shapes differ", "(4, 2)", "(4, 3)"});
    expect_error([] { MeanAbsoluteError()(Tensor::scalar(1.0), Tensor::scalar(1.0)); },
                 {"[MeanAbsoluteError] y_pred needs a last", "rank >= 1"});
    expect_error(
        [] {
            BinaryCrossentropy()(Tensor::zeros({2, 1}), Tensor::zeros({2, 1}, DType::int32));
        },
        {"y_pred must be floating point", "int32"});
    expect_error([] { BinaryCrossentropy()(Tensor(), Tensor::zeros({2, 1})); }, {"undefined"});
    expect_error([] { BinaryCrossentropy({.label_smoothing = 1.5}); }, {"label_smoothing"});
    expect_error([] { Huber({.delta = -1.0}); }, {"[Huber] delta"});
    expect_error(
        [] {
            BinaryCrossentropy({.axis = 2})(Tensor::zeros({2, 1}), Tensor::zeros({2, 1}));
        },
        {"BinaryCrossentropy"});
}

}  // namespace
}  // namespace tfc::losses
