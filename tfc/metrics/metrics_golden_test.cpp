// Metrics against tests/golden/metrics.json (numpy float64, Keras-2 rules; TF.js cross-check)
// and the cross-entropy metrics against the per-sample losses of tests/golden/losses.json.
// Also: running means over batches of different sizes give the golden full-batch values.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/metrics/metrics.h"
#include "tfc/ops/ops.h"

namespace tfc::metrics {
namespace {

using nlohmann::json;

json load(const std::string& file) {
    std::ifstream in(tfc::testing::source_dir() + "/tests/golden/" + file);
    EXPECT_TRUE(in.good()) << file << " not found";
    return json::parse(in);
}

void flatten(const json& j, std::vector<double>& values, Shape& shape, std::size_t depth = 0) {
    if (!j.is_array()) {
        values.push_back(j.get<double>());
        return;
    }
    if (shape.size() == depth) shape.push_back(static_cast<std::int64_t>(j.size()));
    for (const auto& e : j) flatten(e, values, shape, depth + 1);
}

Tensor tensor_of(const json& j, DType dtype = DType::float32) {
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

// Rows [begin, begin + n) of t.
Tensor rows(const Tensor& t, std::int64_t begin, std::int64_t n) {
    std::vector<std::int64_t> idx(n);
    for (std::int64_t i = 0; i < n; ++i) idx[i] = begin + i;
    return ops::take_rows(t, idx);
}

// Feeds (y_true, y_pred, w) in batches of 2, 1, 3, 2, 1, 3, ... rows.
void update_in_batches(Metric& m, const Tensor& y_true, const Tensor& y_pred, const Tensor& w) {
    const std::int64_t sizes[] = {2, 1, 3};
    std::int64_t begin = 0;
    for (int k = 0; begin < y_pred.dim(0); ++k) {
        const std::int64_t n = std::min(sizes[k % 3], y_pred.dim(0) - begin);
        m.update_state(rows(y_true, begin, n), rows(y_pred, begin, n),
                       w.defined() ? rows(w, begin, n) : Tensor());
        begin += n;
    }
}

TEST(MetricsGolden, AccuracyMaeMse) {
    const json doc = load("metrics.json");
    ASSERT_EQ(doc.at("cases").size(), 6u);
    for (const auto& c : doc.at("cases")) {
        SCOPED_TRACE(c.at("name").get<std::string>());
        const std::string id = c.at("metric");
        const Tensor y_true = tensor_of(c.at("y_true"));
        const Tensor y_pred = tensor_of(c.at("y_pred"));
        const Tensor w = tensor_of(c.at("sample_weight"));
        MetricPtr m = resolve_metric(id, y_true.shape(), y_pred.shape());
        EXPECT_EQ(m->name(), id);
        if (c.at("config").contains("threshold")) {
            auto* b = dynamic_cast<BinaryAccuracy*>(m.get());
            ASSERT_NE(b, nullptr);
            EXPECT_EQ(b->threshold(), c.at("config").at("threshold").get<double>());
        }
        auto* wrapper = dynamic_cast<MeanMetricWrapper*>(m.get());
        ASSERT_NE(wrapper, nullptr);
        const std::vector<double> per = wrapper->per_sample(y_true, y_pred).to_doubles();
        const std::vector<double> want = flat(c.at("per_sample"));
        ASSERT_EQ(per.size(), want.size());
        for (std::size_t i = 0; i < per.size(); ++i) EXPECT_NEAR(per[i], want[i], 1e-12) << i;

        EXPECT_EQ(m->result(), 0.0);  // nothing seen yet
        m->update_state(y_true, y_pred);
        EXPECT_NEAR(m->result(), c.at("value").get<double>(), 1e-12);
        m->reset_state();
        m->update_state(y_true, y_pred, w);
        EXPECT_NEAR(m->result(), c.at("value_weighted").get<double>(), 1e-12);

        // Running means over uneven batches.
        m->reset_state();
        update_in_batches(*m, y_true, y_pred, Tensor());
        EXPECT_NEAR(m->result(), c.at("value").get<double>(), 1e-12);
        m->reset_state();
        update_in_batches(*m, y_true, y_pred, w);
        EXPECT_NEAR(m->result(), c.at("value_weighted").get<double>(), 1e-12);

        // Integer class ids and float64 predictions give the same values.
        if (id == "sparse_categorical_accuracy") {
            m->reset_state();
            m->update_state(y_true.astype(DType::int64), y_pred.astype(DType::float64), w);
            EXPECT_NEAR(m->result(), c.at("value_weighted").get<double>(), 1e-12);
        }
    }
}

MetricPtr crossentropy_metric(const json& loss) {
    const std::string cls = loss.at("class_name");
    const bool from_logits = loss.at("config").at("from_logits");
    if (cls == "BinaryCrossentropy") {
        return std::make_shared<BinaryCrossentropy>(
            BinaryCrossentropyOptions{.from_logits = from_logits});
    }
    if (cls == "CategoricalCrossentropy") {
        return std::make_shared<CategoricalCrossentropy>(
            CategoricalCrossentropyOptions{.from_logits = from_logits});
    }
    return std::make_shared<SparseCategoricalCrossentropy>(
        SparseCategoricalCrossentropyOptions{.from_logits = from_logits});
}

TEST(MetricsGolden, CrossentropiesFromLossGoldens) {
    const json doc = load("losses.json");
    int checked = 0;
    for (const auto& c : doc.at("cases")) {
        const std::string kind = c.at("kind");
        if (kind.find("ce_") == std::string::npos) continue;  // bce_*, cce_*, scce_*
        SCOPED_TRACE(c.at("name").get<std::string>());
        const Tensor y_true = tensor_of(
            c.at("y_true"), c.at("y_true_dtype") == "int32" ? DType::int32 : DType::float32);
        // Rows [begin, begin + n) of y_pred; a sigmoid/softmax output carries its logits.
        auto predictions = [&](std::int64_t begin, std::int64_t n) {
            if (!c.contains("logits")) return rows(tensor_of(c.at("y_pred")), begin, n);
            const Tensor z = rows(tensor_of(c.at("logits")), begin, n);
            const bool sigmoid = kind == "bce_shortcut";
            Tensor y_pred = sigmoid ? ops::sigmoid(z) : ops::softmax(z);
            y_pred.set_keras_logits(z, sigmoid ? "sigmoid" : "softmax");
            return y_pred;
        };
        const std::vector<double> per = flat(c.at("per_sample_loss"));
        std::vector<double> w(per.size(), 1.0);
        Tensor sample_weight;
        if (!c.at("sample_weight").is_null()) {
            w = flat(c.at("sample_weight"));
            sample_weight = tensor_of(c.at("sample_weight"));
        }
        double total = 0.0, count = 0.0;
        for (std::size_t i = 0; i < per.size(); ++i) {
            total += per[i] * w[i];
            count += w[i];
        }
        MetricPtr m = crossentropy_metric(c.at("loss"));
        const std::int64_t n = static_cast<std::int64_t>(per.size());
        for (std::int64_t begin = 0; begin < n; begin += 4) {  // batches of 4, 4, ..., rest
            const std::int64_t size = std::min<std::int64_t>(4, n - begin);
            m->update_state(rows(y_true, begin, size), predictions(begin, size),
                            sample_weight.defined() ? rows(sample_weight, begin, size) : Tensor());
        }
        const double want = total / count;  // the Mean divides by sum(w), not N
        EXPECT_NEAR(m->result(), want, 1e-5 * std::fabs(want) + 1e-7);
        ++checked;
    }
    EXPECT_EQ(checked, 26);
}

}  // namespace
}  // namespace tfc::metrics
