// Replays every training fixture in tests/golden/training/*.json (schema: tools/golden/README.md):
// the fixture's 2-layer MLP is built from ops (dense + relu, dense + linear/sigmoid/softmax), the
// Keras loss is computed with ops, gradients come from a GradientTape and the optimizer under test
// applies them. The 20 reported losses, the weights after step 1 and the final weights must match.
//
// Losses as Keras 2.15 reports them (keras/losses.py): the per-sample loss (mean over the last
// axis), then sum_over_batch_size (mean over the batch). For a sigmoid/softmax output layer the
// cross-entropies use Keras's logits shortcut (keras/backend.py `_get_logits`): the loss comes
// from the pre-activation z without clipping, which is what the fixtures hold.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/autograd/tape.h"
#include "tfc/ops/ops.h"
#include "tfc/optimizers/optimizer_test_util.h"
#include "tfc/optimizers/optimizers.h"

namespace tfc {
namespace {

using nlohmann::json;

// Tolerances. The relative 1e-5 is the float32 bound for these 20-step runs. The absolute floor
// serves values near 0 (some weights end near 1e-3), where float32 rounding noise is absolute,
// not relative: with rtol alone one weight of -1.9e-3 fails by 1.9e-8. The largest absolute
// deviation measured here is 2.3e-7, and the fixtures' own cross-checks (float32 TF.js against
// the float64 oracle) reach 7.4e-7, so the floor is 1e-6, about 8 float32 ulps at 1.0: room for
// another valid float32 summation order, far below any semantic difference (e.g. Adam's epsilon
// form or lr inside vs outside the velocity).
constexpr double kRtol = 1e-5;
constexpr double kAtol = 1e-6;

std::filesystem::path fixture_dir() {
    return std::filesystem::path(testing::source_dir()) / "tests" / "golden" / "training";
}

std::vector<std::string> fixture_names() {
    std::vector<std::string> names;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(fixture_dir(), ec)) {
        if (entry.path().extension() == ".json") names.push_back(entry.path().stem().string());
    }
    std::sort(names.begin(), names.end());
    return names;
}

json load_fixture(const std::string& name) {
    std::ifstream in(fixture_dir() / (name + ".json"));
    EXPECT_TRUE(in.good()) << "cannot open fixture " << name;
    return json::parse(in);
}

Tensor matrix_f32(const json& rows) {
    std::vector<double> values;
    for (const auto& row : rows) {
        for (const auto& v : row) values.push_back(v.get<double>());
    }
    const auto n = static_cast<std::int64_t>(rows.size());
    return Tensor::from_doubles(values, {n, static_cast<std::int64_t>(values.size()) / n},
                                DType::float32);
}

std::vector<double> flat(const json& values) { return values.get<std::vector<double>>(); }

std::optional<double> opt_key(const json& config, const char* key) {
    if (!config.contains(key) || config[key].is_null()) return std::nullopt;
    return config[key].get<double>();
}

OptimizerPtr make_optimizer(const json& spec) {
    const std::string cls = spec["class_name"];
    const json& c = spec["config"];
    if (cls == "SGD") {
        return std::make_shared<SGD>(SGDOptions{.learning_rate = c["learning_rate"],
                                                .momentum = c["momentum"],
                                                .nesterov = c["nesterov"],
                                                .clipnorm = opt_key(c, "clipnorm"),
                                                .clipvalue = opt_key(c, "clipvalue"),
                                                .global_clipnorm = opt_key(c, "global_clipnorm")});
    }
    if (cls == "RMSprop") {
        return std::make_shared<RMSprop>(RMSpropOptions{.learning_rate = c["learning_rate"],
                                                        .rho = c["rho"],
                                                        .momentum = c["momentum"],
                                                        .epsilon = c["epsilon"],
                                                        .centered = c["centered"]});
    }
    if (cls == "Adam") {
        return std::make_shared<Adam>(AdamOptions{.learning_rate = c["learning_rate"],
                                                  .beta_1 = c["beta_1"],
                                                  .beta_2 = c["beta_2"],
                                                  .epsilon = c["epsilon"],
                                                  .amsgrad = c["amsgrad"]});
    }
    if (cls == "Adagrad") {
        return std::make_shared<Adagrad>(
            AdagradOptions{.learning_rate = c["learning_rate"],
                           .initial_accumulator_value = c["initial_accumulator_value"],
                           .epsilon = c["epsilon"]});
    }
    ADD_FAILURE() << "unknown optimizer class " << cls;
    return nullptr;
}

// Keras per-sample losses (keras/losses.py of Keras 2.15), then the batch mean.
Tensor keras_loss(const std::string& name, const json& config, const Tensor& y, const Tensor& z) {
    Tensor per_sample;
    if (name == "mse") {
        per_sample = ops::mean(ops::square(ops::sub(z, y)), {-1});
    } else if (name == "mae") {
        per_sample = ops::mean(ops::abs(ops::sub(z, y)), {-1});
    } else if (name == "huber") {
        // keras/losses.py `huber`: where(|e| <= d, 0.5 e^2, d |e| - 0.5 d^2), mean over last axis.
        const double d = config["delta"];
        const Tensor err = ops::sub(z, y);
        const Tensor abs_err = ops::abs(err);
        const Tensor quadratic = ops::mul(ops::square(err), 0.5);
        const Tensor linear = ops::sub(ops::mul(abs_err, d), 0.5 * d * d);
        const Tensor outside = ops::greater(abs_err, Tensor::scalar(d));
        per_sample = ops::mean(ops::where(outside, linear, quadratic), {-1});
    } else if (name == "binary_crossentropy") {
        per_sample = ops::mean(ops::sigmoid_cross_entropy_with_logits(y, z), {-1});
    } else if (name == "categorical_crossentropy") {
        per_sample = ops::softmax_cross_entropy_with_logits(y, z);
    } else if (name == "sparse_categorical_crossentropy") {
        per_sample = ops::sparse_softmax_cross_entropy_with_logits(y, z);
    } else {
        ADD_FAILURE() << "unknown loss " << name;
        return Tensor::scalar(0.0);
    }
    return ops::mean(per_sample);
}

class GoldenTraining : public ::testing::TestWithParam<std::string> {};

TEST(GoldenTrainingFiles, AllThirtyNinePresent) {
    // 6 optimizers x 6 losses, plus lr change, clipnorm and clipvalue (tools/golden/README.md).
    EXPECT_EQ(fixture_names().size(), 39u) << "in " << fixture_dir();
}

TEST_P(GoldenTraining, MatchesFixture) {
    const json fx = load_fixture(GetParam());
    const std::string loss_name = fx["loss"]["name"];
    const json& loss_config = fx["loss"]["config"];
    ASSERT_EQ(fx["model"]["layers"][0]["activation"], "relu");
    const std::string out_act = fx["model"]["layers"][1]["activation"];
    const bool uses_logits = out_act == "sigmoid" || out_act == "softmax";
    ASSERT_EQ(uses_logits, loss_name.find("crossentropy") != std::string::npos)
        << "this replay expects cross-entropies after sigmoid/softmax, others after linear";

    const Tensor x = matrix_f32(fx["x"]);
    Tensor y;
    if (fx["y_dtype"] == "int32") {
        y = Tensor::from_vector(fx["y"].get<std::vector<std::int32_t>>(),
                                {static_cast<std::int64_t>(fx["y"].size())});
    } else {
        y = matrix_f32(fx["y"]);
    }

    std::vector<Tensor> vars;
    for (const auto& w : fx["initial_weights"]) {
        Tensor t = Tensor::from_doubles(flat(w["values"]), w["shape"].get<Shape>(), DType::float32);
        t.set_requires_grad(true);
        vars.push_back(t);
    }
    ASSERT_EQ(vars.size(), 4u);
    std::vector<const void*> buffers;
    for (Tensor& v : vars) buffers.push_back(v.raw_data());

    OptimizerPtr opt = make_optimizer(fx["optimizer"]);
    ASSERT_NE(opt, nullptr);
    const int steps = fx["steps"];
    const bool lr_schedule = fx.contains("learning_rates");

    auto expect_weights = [&](const json& want, const std::string& when) {
        for (std::size_t i = 0; i < vars.size(); ++i) {
            EXPECT_TRUE(testing::all_close(vars[i].to_doubles(), flat(want[i]["values"]), kRtol,
                                           kAtol, when + " " + want[i]["name"].get<std::string>()));
        }
    };

    std::vector<double> losses;
    for (int t = 0; t < steps; ++t) {
        if (lr_schedule) opt->set_learning_rate(fx["learning_rates"][t].get<double>());
        autograd::GradientTape tape;
        const Tensor h = ops::relu(ops::dense(x, vars[0], vars[1]));
        const Tensor z = ops::dense(h, vars[2], vars[3]);
        const Tensor loss = keras_loss(loss_name, loss_config, y, z);
        losses.push_back(loss.item());
        opt->apply_gradients(tape.gradient(loss, vars), vars);
        if (t == 0) expect_weights(fx["weights_after_step_1"], "after step 1:");
    }
    EXPECT_EQ(opt->iterations(), steps);
    EXPECT_TRUE(testing::all_close(losses, flat(fx["losses"]), kRtol, kAtol, "losses"));
    expect_weights(fx["final_weights"], "final:");
    for (std::size_t i = 0; i < vars.size(); ++i) {
        EXPECT_EQ(vars[i].raw_data(), buffers[i]) << "variable " << i << " was reallocated";
    }
}

INSTANTIATE_TEST_SUITE_P(Fixtures,
                         GoldenTraining,
                         ::testing::ValuesIn(fixture_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                             return info.param;
                         });

}  // namespace
}  // namespace tfc
