// Optimizer state in model files: training resumes bitwise where it stopped after a save/load
// through .h5 and .keras, and the states in real Keras files of three generations land on the
// right variables (checked against the names Keras wrote next to each array).
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <filesystem>

#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"
#include "tfc/optimizers/optimizers.h"

namespace tfc {
namespace {

using io_test::models_dir;
using io_test::scratch;

Tensor ramp(const Shape& shape, int salt) {
    std::vector<float> v(static_cast<std::size_t>(num_elements(shape)));
    for (std::size_t i = 0; i < v.size(); ++i) {
        v[i] = static_cast<float>(((i * 29 + static_cast<std::size_t>(salt) * 7) % 97) / 97.0 - 0.5);
    }
    return Tensor::from_vector(v, shape);
}

std::shared_ptr<Sequential> small_model() {
    return std::make_shared<Sequential>(std::initializer_list<LayerHandle>{
        Input({6}), Dense(5, {.activation = "tanh"}), Dense(3, {.activation = "softmax"})});
}

void expect_same_weights(const Model& a, const Model& b) {
    const auto wa = a.get_weights(), wb = b.get_weights();
    ASSERT_EQ(wa.size(), wb.size());
    for (std::size_t i = 0; i < wa.size(); ++i) {
        ASSERT_EQ(wa[i].shape(), wb[i].shape());
        EXPECT_EQ(std::memcmp(wa[i].raw_data(), wb[i].raw_data(), wa[i].nbytes()), 0) << "weight " << i;
    }
}

TEST(OptimizerState, TrainingResumesBitwiseAfterSaveAndLoad) {
    const Tensor x = ramp({8, 6}, 1);
    const Tensor y = Tensor::from_vector(std::vector<float>{0, 1, 2, 0, 1, 2, 0, 1}, {8});
    const std::vector<std::pair<std::string, std::function<OptimizerPtr()>>> cases = {
        {"adam", [] { return std::make_shared<Adam>(AdamOptions{.learning_rate = 0.01}); }},
        {"adam_amsgrad", [] { return std::make_shared<Adam>(AdamOptions{.learning_rate = 0.01, .amsgrad = true}); }},
        {"sgd", [] { return std::make_shared<SGD>(SGDOptions{.learning_rate = 0.1, .momentum = 0.9}); }},
        {"rmsprop", [] { return std::make_shared<RMSprop>(RMSpropOptions{.momentum = 0.5, .centered = true}); }},
        {"adagrad", [] { return std::make_shared<Adagrad>(); }}};
    const std::string dir = scratch("optimizer_state");
    for (const auto& [name, opt] : cases) {
        for (const char* ext : {".h5", ".keras"}) {
            auto m = small_model();
            m->compile(opt(), "sparse_categorical_crossentropy");
            for (int i = 0; i < 3; ++i) m->train_on_batch(x, y);
            const std::string path = dir + "/" + name + ext;
            save_model(*m, path);
            auto back = load_model(path);
            ASSERT_TRUE(back->compiled()) << path;
            EXPECT_EQ(back->optimizer().iterations(), 3) << path;
            for (int i = 0; i < 3; ++i) {
                m->train_on_batch(x, y);
                back->train_on_batch(x, y);
            }
            expect_same_weights(*m, *back);
        }
    }
}

// Reads a dataset of a real file with the HDF5 C API (independently of tfc's reader).
std::vector<float> read_floats(const std::string& file, const std::string& path) {
    hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    hid_t d = H5Dopen2(f, path.c_str(), H5P_DEFAULT);
    hid_t s = H5Dget_space(d);
    std::vector<float> v(static_cast<std::size_t>(H5Sget_simple_extent_npoints(s)));
    H5Dread(d, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
    H5Sclose(s);
    H5Dclose(d);
    H5Fclose(f);
    return v;
}

// The first trainable variable's slot in tfc equals the array Keras named after it.
void expect_slot(const std::string& file, const std::string& dataset, Model& m, std::size_t var,
                 const std::string& slot) {
    const auto want = read_floats(file, dataset);
    const Tensor got = m.optimizer().get_slot(m.trainable_weights().at(var), slot);
    ASSERT_TRUE(got.defined()) << dataset;
    ASSERT_EQ(static_cast<std::size_t>(got.size()), want.size()) << dataset;
    EXPECT_EQ(std::memcmp(got.raw_data(), want.data(), want.size() * sizeof(float)), 0) << dataset;
}

TEST(OptimizerState, RealFilesOfThreeKerasGenerations) {
    if (!std::filesystem::exists(models_dir() + "/tf2.9_mnist_cnn.h5")) GTEST_SKIP();
    {  // TF 2.9 optimizer_v2: "Adam/iter:0", then every m, then every v.
        const std::string file = models_dir() + "/tf2.9_mnist_cnn.h5";
        auto m = load_model(file);
        EXPECT_GT(m->optimizer().iterations(), 0);
        expect_slot(file, "optimizer_weights/Adam/conv2d/kernel/m:0", *m, 0, "m");
        expect_slot(file, "optimizer_weights/Adam/conv2d_1/bias/v:0", *m, 3, "v");
        expect_slot(file, "optimizer_weights/Adam/dense_1/bias/v:0", *m, 7, "v");
    }
    {  // TF 2.15: "iteration:0", then m and v per variable.
        const std::string file = models_dir() + "/tf2.15_sunspots_conv1d_lstm.h5";
        auto m = load_model(file);
        EXPECT_GT(m->optimizer().iterations(), 0);
        expect_slot(file, "optimizer_weights/Adam/m/conv1d/kernel:0", *m, 0, "m");
        expect_slot(file, "optimizer_weights/Adam/v/lstm/lstm_cell/kernel:0", *m, 2, "v");
    }
    {  // Keras 2.2.4: iterations, every m, every v, every vhat ("Variable_k" names by position).
        const std::string file = models_dir() + "/keras2.2.4_seq2seq_functional_embedding_lstm.h5";
        auto m = load_model(file);
        const std::size_t n = m->trainable_weights().size();
        ASSERT_EQ(n, 10u);
        expect_slot(file, "optimizer_weights/training_1/Adam/Variable:0", *m, 0, "m");
        expect_slot(file, "optimizer_weights/training_1/Adam/Variable_" + std::to_string(n + 3) + ":0", *m, 3, "v");
    }
    {  // Keras 2.3.1 on Theano: names without ":0", m_k / v_k / vhat_k.
        const std::string file = models_dir() + "/keras2.3.1_theano_backend_mlp.h5";
        auto m = load_model(file);
        expect_slot(file, "optimizer_weights/training/Adam/m_2", *m, 2, "m");
        expect_slot(file, "optimizer_weights/training/Adam/v_3", *m, 3, "v");
    }
    {  // Keras 2.2.4 RMSprop: only the accumulators, no step count.
        const std::string file = models_dir() + "/keras2.2.4_text_embedding_gru.h5";
        auto m = load_model(file);
        expect_slot(file, "optimizer_weights/training_37/RMSprop/Variable_2:0", *m, 2, "velocity");
    }
}

TEST(OptimizerState, Keras3ZipRestoresIterationsAndSlots) {
    const std::string file = models_dir() + "/keras3.14.0_mnist_mlp.keras";
    if (!std::filesystem::exists(file)) GTEST_SKIP();
    auto m = load_model(file);
    EXPECT_GT(m->optimizer().iterations(), 0);
    // Keras 3 order: iterations, learning_rate, then (m, v) per variable; the first kernel's m
    // is (784, 64) and not all zeros after training.
    const Tensor mom = m->optimizer().get_slot(m->trainable_weights()[0], "m");
    ASSERT_TRUE(mom.defined());
    EXPECT_EQ(mom.shape(), (Shape{784, 64}));
    double sum = 0;
    for (std::int64_t i = 0; i < mom.size(); ++i) sum += std::fabs(mom.at(i));
    EXPECT_GT(sum, 0.0);
    // Round trip through tfc's own .keras writer keeps it.
    const std::string path = scratch("optimizer_state_k3") + "/m.keras";
    save_model(*m, path);
    auto back = load_model(path);
    EXPECT_EQ(back->optimizer().iterations(), m->optimizer().iterations());
    const Tensor mom2 = back->optimizer().get_slot(back->trainable_weights()[0], "m");
    EXPECT_EQ(std::memcmp(mom.raw_data(), mom2.raw_data(), mom.nbytes()), 0);
}

}  // namespace
}  // namespace tfc
