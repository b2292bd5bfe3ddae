// Losses against tests/golden/losses.json (torch float64 with the Keras-2 formulas; see
// tools/golden/README.md): per-sample losses, the reduced value with and without sample_weight,
// and the gradient w.r.t. y_pred, or w.r.t. the logits for the from_logits and shortcut cases.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/losses/losses.h"
#include "tfc/ops/ops.h"

namespace tfc::losses {
namespace {

using nlohmann::json;

const json& golden() {
    static const json doc = [] {
        std::ifstream in(tfc::testing::source_dir() + "/tests/golden/losses.json");
        EXPECT_TRUE(in.good()) << "tests/golden/losses.json not found";
        return json::parse(in);
    }();
    return doc;
}

// Nested JSON array -> flat values and shape.
void flatten(const json& j, std::vector<double>& values, Shape& shape, std::size_t depth = 0) {
    if (!j.is_array()) {
        values.push_back(j.get<double>());
        return;
    }
    if (shape.size() == depth) shape.push_back(static_cast<std::int64_t>(j.size()));
    for (const auto& e : j) flatten(e, values, shape, depth + 1);
}

Tensor tensor_of(const json& j, DType dtype) {
    std::vector<double> values;
    Shape shape;
    flatten(j, values, shape);
    return Tensor::from_doubles(values, shape, dtype);
}

std::vector<double> flat(const json& j) {
    std::vector<double> values;
    Shape shape;
    flatten(j, values, shape);
    return values;
}

LossPtr make_loss(const json& spec) {
    const std::string cls = spec.at("class_name");
    const json& c = spec.at("config");
    if (cls == "BinaryCrossentropy") {
        return std::make_shared<BinaryCrossentropy>(BinaryCrossentropyOptions{
            .from_logits = c.at("from_logits"), .label_smoothing = c.at("label_smoothing")});
    }
    if (cls == "CategoricalCrossentropy") {
        return std::make_shared<CategoricalCrossentropy>(CategoricalCrossentropyOptions{
            .from_logits = c.at("from_logits"), .label_smoothing = c.at("label_smoothing")});
    }
    if (cls == "SparseCategoricalCrossentropy") {
        return std::make_shared<SparseCategoricalCrossentropy>(
            SparseCategoricalCrossentropyOptions{.from_logits = c.at("from_logits")});
    }
    if (cls == "Huber") return std::make_shared<Huber>(HuberOptions{.delta = c.at("delta")});
    return get_loss(cls);  // MeanSquaredError, MeanAbsoluteError
}

struct Tolerance {
    double rtol;
    double atol;
};

void expect_close(const std::vector<double>& got, const std::vector<double>& want, Tolerance tol,
                  const std::string& what) {
    ASSERT_EQ(got.size(), want.size()) << what;
    for (std::size_t i = 0; i < got.size(); ++i) {
        EXPECT_NEAR(got[i], want[i], tol.rtol * std::fabs(want[i]) + tol.atol)
            << what << " [" << i << "]";
    }
}

// The golden clips at float32's 1 - eps = 0.99999988; float64 clips at 0.9999999, as Keras in
// float64 would. True when a case has a probability (CCE: after renormalising) between the two.
bool hits_upper_clip(const json& c) {
    const std::string kind = c.at("kind");
    if (kind != "bce_prob" && kind != "cce_prob" && kind != "scce_prob") return false;
    const double bound = static_cast<double>(1.0f - 1e-7f);
    for (const auto& row : c.at("y_pred")) {
        double total = 0.0;
        for (double p : flat(row)) total += p;
        for (double p : flat(row)) {
            if ((kind == "cce_prob" ? p / total : p) > bound) return true;
        }
    }
    return false;
}

void run_case(const json& c, DType dtype) {
    SCOPED_TRACE(c.at("name").get<std::string>() + " in " + dtype_name(dtype));
    Tolerance tol = dtype == DType::float32 ? Tolerance{1e-5, 1e-7} : Tolerance{1e-7, 1e-12};
    // There -log(1 - eps) is 1.19e-7 (float32 bound) against 1.0e-7 (float64 bound).
    if (dtype == DType::float64 && hits_upper_clip(c)) tol.atol = 5e-8;
    const Tolerance grad_tol =
        dtype == DType::float32 ? Tolerance{1e-5, 1e-7} : Tolerance{1e-7, 1e-12};
    const std::string kind = c.at("kind");
    LossPtr loss = make_loss(c.at("loss"));

    const DType label_dtype = c.at("y_true_dtype") == "int32" ? DType::int32 : dtype;
    Tensor y_true = tensor_of(c.at("y_true"), label_dtype);
    Tensor sample_weight;
    if (!c.at("sample_weight").is_null()) sample_weight = tensor_of(c.at("sample_weight"), dtype);

    autograd::GradientTape tape;
    Tensor source;  // what the golden gradient is taken with respect to
    Tensor y_pred;
    if (c.contains("logits")) {
        // A Keras sigmoid/softmax activation: y_pred carries its logits.
        source = tensor_of(c.at("logits"), dtype);
        tape.watch(source);
        const bool sigmoid = kind == "bce_shortcut";
        y_pred = sigmoid ? ops::sigmoid(source) : ops::softmax(source);
        y_pred.set_keras_logits(source, sigmoid ? "sigmoid" : "softmax");
    } else {
        source = tensor_of(c.at("y_pred"), dtype);
        tape.watch(source);
        y_pred = source;
    }
    ASSERT_EQ(c.at("grad_wrt").get<std::string>(), c.contains("logits") ? "logits" : "y_pred");

    Tensor value = (*loss)(y_true, y_pred, sample_weight);
    EXPECT_EQ(value.rank(), 0);
    EXPECT_EQ(value.dtype(), dtype);
    const std::vector<Tensor> grads = tape.gradient(value, {source});
    expect_close({value.item()}, {c.at("value").get<double>()}, tol, "value");
    expect_close(grads[0].to_doubles(), flat(c.at("grad")), grad_tol, "gradient");
    EXPECT_EQ(grads[0].shape(), source.shape());

    Tensor per_sample = loss->call(y_true, y_pred);
    expect_close(per_sample.to_doubles(), flat(c.at("per_sample_loss")), tol, "per_sample");
}

TEST(LossesGolden, HasAllCases) {
    EXPECT_EQ(golden().at("cases").size(), 34u);
    EXPECT_EQ(golden().at("epsilon").at("clip_low").get<double>(), static_cast<double>(1e-7f));
}

TEST(LossesGolden, Float32) {
    for (const auto& c : golden().at("cases")) run_case(c, DType::float32);
}

TEST(LossesGolden, Float64) {
    int skipped = 0;
    for (const auto& c : golden().at("cases")) {
        // In BCE the bound enters log(1 - p + eps): the float64 value differs by design.
        if (c.at("kind") == "bce_prob" && hits_upper_clip(c)) {
            ++skipped;
            continue;
        }
        run_case(c, DType::float64);
    }
    EXPECT_EQ(skipped, 2);  // binary_crossentropy_probabilities, with and without weights
}

}  // namespace
}  // namespace tfc::losses
