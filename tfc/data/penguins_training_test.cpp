// End to end: the penguins CSV through read_csv and a Dataset pipeline into a small Dense model.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "tests/harness/gradcheck.h"
#include "tfc/core/random.h"
#include "tfc/data/csv.h"
#include "tfc/data/dataset.h"
#include "tfc/layers/layers.h"
#include "tfc/ops/ops.h"
#include "tfc/training/sequential.h"

namespace tfc::data {
namespace {

TEST(PenguinsTraining, DenseModelBeatsTheMajorityBaseline) {
    TFC_SKIP_WITHOUT_SHARED();
    const std::vector<std::string> features = {"bill_length_mm", "bill_depth_mm",
                                               "flipper_length_mm", "body_mass_g"};
    Table all = read_csv(testing::shared_dir() + "/datasets/basic/penguins/penguins.csv");
    std::vector<std::int64_t> train_rows, test_rows;
    std::map<std::string, std::int64_t> classes{{"Adelie", 0}, {"Chinstrap", 1}, {"Gentoo", 2}};
    for (std::int64_t r = 0; r < all.num_rows(); ++r) {
        bool complete = true;
        for (const auto& f : features) complete = complete && !std::isnan(all[f].number(r));
        if (!complete) continue;  // the two rows without measurements
        (all["split"].strings()[r] == "train" ? train_rows : test_rows).push_back(r);
    }
    ASSERT_EQ(train_rows.size() + test_rows.size(), 342u);
    auto xy = [&](const std::vector<std::int64_t>& rows) {
        Table t = all.take_rows(rows);
        std::vector<std::int64_t> y;
        for (const auto& s : t["species"].strings()) y.push_back(classes.at(s));
        return std::pair{t.to_tensor(features),
                         Tensor::from_vector(y, {static_cast<std::int64_t>(y.size())})};
    };
    auto [x_train, y_train] = xy(train_rows);
    auto [x_test, y_test] = xy(test_rows);
    // Normalise with the training statistics.
    Tensor mu = ops::mean(x_train, {0}, true);
    Tensor sd = ops::sqrt(ops::mean(ops::square(ops::sub(x_train, mu)), {0}, true));
    x_train = ops::div(ops::sub(x_train, mu), sd);
    x_test = ops::div(ops::sub(x_test, mu), sd);

    // Shuffle through the pipeline (as a user would), then train.
    set_random_seed(1);
    auto batches = Dataset::from_tensor_slices({x_train, y_train})
                       .shuffle(1000, {.seed = 5})
                       .batch(static_cast<std::int64_t>(train_rows.size()))
                       .as_vector();
    ASSERT_EQ(batches.size(), 1u);
    Sequential model({Dense(16, {.activation = "relu", .input_shape = {4}}),
                      Dense(3, {.activation = "softmax"})});
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    model.fit(batches[0][0], batches[0][1], {.batch_size = 16, .epochs = 40, .verbose = 0});

    const auto pred = ops::argmax(model.predict(x_test), -1).to_doubles();
    const auto truth = y_test.to_doubles();
    double correct = 0;
    for (std::size_t i = 0; i < pred.size(); ++i) correct += pred[i] == truth[i] ? 1 : 0;
    const double accuracy = correct / static_cast<double>(pred.size());
    // Majority-class baseline: the most frequent training class, predicted for every test row.
    std::vector<int> counts(3, 0);
    for (double y : y_train.to_doubles()) ++counts[static_cast<int>(y)];
    const int majority = static_cast<int>(std::max_element(counts.begin(), counts.end()) - counts.begin());
    const double baseline =
        static_cast<double>(std::count(truth.begin(), truth.end(), majority)) / truth.size();
    std::printf("penguins: test accuracy %.4f (%zu rows), majority baseline %.4f\n", accuracy,
                truth.size(), baseline);
    EXPECT_GE(accuracy, 0.95);
    EXPECT_GT(accuracy, baseline + 0.4);
}

}  // namespace
}  // namespace tfc::data
