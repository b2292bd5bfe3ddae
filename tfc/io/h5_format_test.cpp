// Writing: legacy .h5 has Keras's structure (walked with the HDF5 C API next to a real Keras
// file of the same architecture), round trips give bitwise-identical predictions, and the
// weights-only and .keras formats round trip too.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cstring>
#include <map>

#include "tfc/core/random.h"
#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

using io_test::models_dir;
using io_test::scratch;

// One line per object and attribute: path, kind, and for attributes/datasets the type class,
// string kind (vlen/fixed, cset), rank and shape. Values are not compared.
struct Walk {
    std::map<std::string, std::string> entries;
};

std::string type_desc(hid_t type) {
    std::string s;
    switch (H5Tget_class(type)) {
        case H5T_STRING:
            s = H5Tis_variable_str(type) > 0 ? "vlen-str" : "fixed-str";
            s += H5Tget_cset(type) == H5T_CSET_UTF8 ? "/utf8" : "/ascii";
            return s;
        case H5T_FLOAT: return "float" + std::to_string(8 * H5Tget_size(type));
        case H5T_INTEGER: return "int" + std::to_string(8 * H5Tget_size(type));
        default: return "other";
    }
}

std::string space_desc(hid_t space) {
    const int rank = H5Sget_simple_extent_ndims(space);
    hsize_t dims[16] = {};
    H5Sget_simple_extent_dims(space, dims, nullptr);
    std::string s = "(";
    for (int i = 0; i < rank; ++i) s += (i ? "," : "") + std::to_string(dims[i]);
    return s + ")";
}

herr_t attr_cb(hid_t obj, const char* name, const H5A_info_t*, void* data) {
    auto* w = static_cast<std::pair<Walk*, std::string>*>(data);
    hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    hid_t t = H5Aget_type(a), s = H5Aget_space(a);
    // Array lengths of name lists depend on the model, so only the rank is kept for them.
    std::string shape = space_desc(s);
    w->first->entries[w->second + "@" + name] = type_desc(t) + " rank" + std::to_string(H5Sget_simple_extent_ndims(s)) +
                                                (H5Tget_class(t) == H5T_STRING ? "" : " " + shape);
    H5Tclose(t);
    H5Sclose(s);
    H5Aclose(a);
    return 0;
}

herr_t obj_cb(hid_t root, const char* name, const H5O_info_t* info, void* data) {
    auto* w = static_cast<Walk*>(data);
    const std::string path = name;
    hid_t o = H5Oopen(root, name, H5P_DEFAULT);
    if (info->type == H5O_TYPE_DATASET) {
        hid_t t = H5Dget_type(o), s = H5Dget_space(o), p = H5Dget_create_plist(o);
        w->entries[path] = "dataset " + type_desc(t) + " " + space_desc(s) + " layout" +
                           std::to_string(H5Pget_layout(p)) + " filters" + std::to_string(H5Pget_nfilters(p));
        H5Pclose(p);
        H5Tclose(t);
        H5Sclose(s);
    } else {
        w->entries[path] = "group";
    }
    std::pair<Walk*, std::string> ctx{w, path};
    hsize_t idx = 0;
    H5Aiterate2(o, H5_INDEX_NAME, H5_ITER_INC, &idx, attr_cb, &ctx);
    H5Oclose(o);
    return 0;
}

Walk walk(const std::string& path, const std::vector<std::string>& skip_prefixes) {
    Walk w;
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_GE(f, 0) << path;
    H5Ovisit(f, H5_INDEX_NAME, H5_ITER_INC, obj_cb, &w);
    H5Fclose(f);
    // Theano-era Keras named weights "dense/bias", TF-era Keras "dense/bias:0": compare without it.
    std::map<std::string, std::string> renamed;
    for (auto& [k, v] : w.entries) {
        std::string key = k;
        for (std::size_t p; (p = key.find(":0")) != std::string::npos;) key.erase(p, 2);
        renamed[key] = v;
    }
    w.entries = renamed;
    for (auto it = w.entries.begin(); it != w.entries.end();) {
        bool drop = false;
        for (const auto& p : skip_prefixes) drop = drop || it->first.rfind(p, 0) == 0;
        it = drop ? w.entries.erase(it) : std::next(it);
    }
    return w;
}

Tensor inputs(const Shape& shape) {
    set_random_seed(7);
    std::vector<float> v(static_cast<std::size_t>(num_elements(shape)));
    for (std::size_t i = 0; i < v.size(); ++i) v[i] = static_cast<float>((i * 37 % 101) / 101.0 - 0.5);
    return Tensor::from_vector(v, shape);
}

void expect_bitwise_equal(const Tensor& a, const Tensor& b) {
    ASSERT_EQ(a.shape(), b.shape());
    EXPECT_EQ(std::memcmp(a.raw_data(), b.raw_data(), a.nbytes()), 0);
}

// The architecture of keras2.3.1_theano_backend_mlp.h5: Dense(12, relu) -> Dense(38, sigmoid).
std::shared_ptr<Sequential> theano_like() {
    auto m = std::make_shared<Sequential>(
        std::initializer_list<LayerHandle>{
            Dense(12, {.activation = "relu", .input_shape = {12}, .name = "dense_118"}),
            Dense(38, {.activation = "sigmoid", .name = "dense_119"})},
        "sequential_38");
    return m;
}

TEST(H5Format, SameStructureAsARealKerasFile) {
    const std::string real = models_dir() + "/keras2.3.1_theano_backend_mlp.h5";
    if (!std::filesystem::exists(real)) GTEST_SKIP();
    auto m = theano_like();
    m->compile("adam", "binary_crossentropy");
    const std::string ours = scratch("structure") + "/m.h5";
    save_model(*m, ours);
    // Keras >= 2.7 adds top_level_model_weights; optimizer weights are not written by tfc.
    const Walk want = walk(real, {"optimizer_weights"});
    const Walk got = walk(ours, {"optimizer_weights", "model_weights/top_level_model_weights"});
    EXPECT_EQ(got.entries.size(), want.entries.size());
    for (const auto& [k, v] : want.entries) {
        auto it = got.entries.find(k);
        ASSERT_NE(it, got.entries.end()) << "missing " << k;
        // Keras 2.3.1 (h5py 2) wrote fixed-length name lists; TF 2.x Keras writes vlen: both are
        // strings, so only the type class and rank must agree.
        const bool str = v.find("-str") != std::string::npos;
        if (str) {
            EXPECT_NE(it->second.find("-str"), std::string::npos) << k;
            EXPECT_EQ(it->second.substr(it->second.find(" rank")), v.substr(v.find(" rank"))) << k;
        } else {
            EXPECT_EQ(it->second, v) << k;
        }
    }
}

// A functional model: tfc re-saves a real tf.keras 2.2.4 wide & deep file (two inputs,
// Concatenate) and the walk of both files agrees (InputLayer groups included).
TEST(H5Format, FunctionalSameStructureAsARealKerasFile) {
    const std::string real = models_dir() + "/tfkeras2.2.4-tf_wide_deep_functional_concat.h5";
    if (!std::filesystem::exists(real)) GTEST_SKIP();
    auto m = load_model(real);
    const std::string ours = scratch("structure_functional") + "/m.h5";
    save_model(*m, ours);
    const Walk want = walk(real, {"optimizer_weights"});
    const Walk got = walk(ours, {"optimizer_weights", "model_weights/top_level_model_weights"});
    EXPECT_EQ(got.entries.size(), want.entries.size());
    for (const auto& [k, v] : want.entries) {
        auto it = got.entries.find(k);
        ASSERT_NE(it, got.entries.end()) << "missing " << k;
        const bool str = v.find("-str") != std::string::npos;
        if (str) {
            EXPECT_EQ(it->second.substr(it->second.find(" rank")), v.substr(v.find(" rank"))) << k;
        } else {
            EXPECT_EQ(it->second, v) << k;
        }
    }
}

TEST(H5Format, LegacyRoundTripIsBitwise) {
    auto m = theano_like();
    m->compile("adam", "binary_crossentropy");
    const Tensor x = inputs({5, 12});
    const Tensor y = m->predict(x);
    const std::string path = scratch("roundtrip") + "/model.h5";
    save_model(*m, path);
    auto back = load_model(path);
    expect_bitwise_equal(back->predict(x), y);
    EXPECT_TRUE(back->compiled());
    EXPECT_EQ(back->loss()->name(), "binary_crossentropy");
    EXPECT_EQ(back->name(), "sequential_38");
    // No temporary files are left behind.
    std::size_t files = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(std::filesystem::path(path).parent_path())) ++files;
    EXPECT_EQ(files, 1u);
}

TEST(H5Format, KerasZipRoundTripIsBitwise) {
    Sequential m({Input({4, 3}), Flatten(), Dense(8, {.activation = "relu"}), Dropout(0.1),
                  Dense(3, {.activation = "softmax"})});
    const Tensor x = inputs({6, 4, 3});
    const Tensor y = m.predict(x);
    const std::string path = scratch("zip") + "/model.keras";
    save_model(m, path);
    auto back = load_model(path);
    expect_bitwise_equal(back->predict(x), y);
    EXPECT_EQ(inspect_model_file(path).format, "keras-zip");
}

TEST(H5Format, WeightsOnlyRoundTrips) {
    for (const char* name : {"w.h5", "w.weights.h5"}) {
        Sequential a({Input({5}), Dense(4, {.activation = "tanh"}), Dense(2)});
        Sequential b({Input({5}), Dense(4, {.activation = "tanh"}), Dense(2)});
        const std::string path = scratch("weights") + "/" + name;
        save_weights(a, path);
        load_weights(b, path);
        const Tensor x = inputs({3, 5});
        expect_bitwise_equal(b.predict(x), a.predict(x));
    }
}

TEST(H5Format, LoadWeightsChecksTheArchitecture) {
    Sequential a({Input({5}), Dense(4), Dense(2)});
    Sequential wider({Input({5}), Dense(6), Dense(2)});
    Sequential deeper({Input({5}), Dense(4), Dense(2), Dense(2)});
    const std::string path = scratch("mismatch") + "/w.h5";
    save_weights(a, path);
    EXPECT_NE(io_test::error_of([&] { load_weights(wider, path); }).find("does not fit layer"), std::string::npos);
    EXPECT_NE(io_test::error_of([&] { load_weights(deeper, path); }).find("different numbers of layers"),
              std::string::npos);
}

}  // namespace
}  // namespace tfc
