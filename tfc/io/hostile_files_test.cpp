// Hostile files are refused with tfc::Error, never a crash, hang or huge allocation: Lambda
// layers, external links, truncation, weights that do not fit the config, absurd shape claims,
// unsafe zip entry names and zip bombs.
#include <gtest/gtest.h>
#include <hdf5.h>
#include <zip.h>

#include <fstream>

#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

using io_test::error_of;
using io_test::scratch;

std::string saved_model(const std::string& dir, std::int64_t units = 4) {
    Sequential m({Input({3}), Dense(units, {.name = "dense"}), Dense(2, {.name = "dense_1"})});
    const std::string path = dir + "/model.h5";
    save_model(m, path);
    return path;
}

void set_string_attr(hid_t obj, const char* name, const std::string& value) {
    if (H5Aexists(obj, name) > 0) H5Adelete(obj, name);
    hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    hid_t s = H5Screate(H5S_SCALAR);
    hid_t a = H5Acreate2(obj, name, t, s, H5P_DEFAULT, H5P_DEFAULT);
    const char* p = value.c_str();
    H5Awrite(a, t, &p);
    H5Aclose(a);
    H5Sclose(s);
    H5Tclose(t);
}

TEST(HostileFiles, LambdaLayerInH5IsRefusedBeforeAnythingElse) {
    const std::string path = saved_model(scratch("lambda"));
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    set_string_attr(f, "model_config", R"({"class_name": "Sequential", "config": {"layers": [
        {"class_name": "Lambda", "config": {"name": "evil", "function": ["YmFkY29kZQ==", null, null],
         "function_type": "lambda", "batch_input_shape": [null, 3]}}]}})");
    H5Fclose(f);
    const std::string e = error_of([&] { load_model(path); });
    EXPECT_NE(e.find("Lambda layer 'evil'"), std::string::npos) << e;
    EXPECT_NE(e.find("Reshape"), std::string::npos) << e;
}

TEST(HostileFiles, ExternalLinkIsRefused) {
    const std::string path = saved_model(scratch("elink"));
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(f, "model_weights/dense/dense/kernel:0", H5P_DEFAULT);
    H5Lcreate_external("/etc/hidden_test_data.h5", "/x", f, "model_weights/dense/dense/kernel:0",
                       H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    const std::string e = error_of([&] { load_model(path); });
    EXPECT_NE(e.find("external or soft link"), std::string::npos) << e;
    EXPECT_NE(error_of([&] { inspect_model_file(path); }), "");
}

TEST(HostileFiles, SoftLinkIsRefused) {
    const std::string path = saved_model(scratch("slink"));
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Lcreate_soft("/model_weights/dense_1", f, "model_weights/alias", H5P_DEFAULT, H5P_DEFAULT);
    H5Fclose(f);
    EXPECT_NE(error_of([&] { load_model(path); }).find("external or soft link"), std::string::npos);
}

TEST(HostileFiles, TruncatedFilesFailCleanly) {
    const std::string dir = scratch("truncated");
    const std::string path = saved_model(dir);
    const auto size = std::filesystem::file_size(path);
    for (const double frac : {0.0, 0.1, 0.5, 0.9, 0.99}) {
        const std::string cut = dir + "/cut.h5";
        std::filesystem::copy_file(path, cut, std::filesystem::copy_options::overwrite_existing);
        std::filesystem::resize_file(cut, static_cast<std::uintmax_t>(static_cast<double>(size) * frac));
        const std::string e = error_of([&] { load_model(cut); });
        EXPECT_FALSE(e.empty()) << "fraction " << frac;
    }
}

TEST(HostileFiles, WeightShapeThatDoesNotFitTheConfig) {
    const std::string dir = scratch("shape");
    const std::string path = saved_model(dir, 4);
    Sequential three({Input({3}), Dense(5, {.name = "dense"}), Dense(2, {.name = "dense_1"})});
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    set_string_attr(f, "model_config", model_to_json(three));
    H5Fclose(f);
    const std::string e = error_of([&] { load_model(path); });
    EXPECT_NE(e.find("does not fit layer 'dense'"), std::string::npos) << e;
    EXPECT_NE(e.find("(3, 4)"), std::string::npos) << e;
}

TEST(HostileFiles, HugeShapeClaimIsRefusedBeforeAllocating) {
    const std::string path = saved_model(scratch("huge"));
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    H5Ldelete(f, "model_weights/dense/dense/kernel:0", H5P_DEFAULT);
    const hsize_t dims[2] = {hsize_t{1} << 20, hsize_t{1} << 20};  // 2^40 elements, never stored
    hid_t s = H5Screate_simple(2, dims, nullptr);
    hid_t d = H5Dcreate2(f, "model_weights/dense/dense/kernel:0", H5T_IEEE_F32LE, s, H5P_DEFAULT,
                         H5P_DEFAULT, H5P_DEFAULT);
    ASSERT_GE(d, 0);
    H5Dclose(d);
    H5Sclose(s);
    H5Fclose(f);
    EXPECT_LT(std::filesystem::file_size(path), 1u << 20);
    const std::string e = error_of([&] { load_model(path); });
    EXPECT_NE(e.find("kernel:0"), std::string::npos) << e;
    EXPECT_TRUE(e.find("impossible size") != std::string::npos ||
                e.find("more data than the file") != std::string::npos || e.find("does not fit") != std::string::npos)
        << e;
}

void write_zip(const std::string& path, const std::vector<std::pair<std::string, std::string>>& entries,
               bool deflate) {
    int err = 0;
    zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    ASSERT_NE(z, nullptr);
    for (const auto& [name, data] : entries) {
        zip_source_t* src = zip_source_buffer(z, data.data(), data.size(), 0);
        const zip_int64_t idx = zip_file_add(z, name.c_str(), src, ZIP_FL_ENC_UTF_8);
        ASSERT_GE(idx, 0) << name;
        zip_set_file_compression(z, static_cast<zip_uint64_t>(idx), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 9);
    }
    ASSERT_EQ(zip_close(z), 0);
}

TEST(HostileFiles, ZipWithParentDirectoryEntriesIsRefused) {
    const std::string dir = scratch("traversal");
    const std::string config = R"({"class_name": "Sequential", "config": {"layers": []}})";
    for (const char* bad : {"../evil.json", "a/../../evil", "/etc/evil", "..\\evil", "C:/evil"}) {
        const std::string path = dir + "/m.keras";
        write_zip(path, {{"config.json", config}, {bad, "x"}}, false);
        const std::string e = error_of([&] { load_model(path); });
        EXPECT_NE(e.find("unsafe entry name"), std::string::npos) << bad << ": " << e;
    }
}

TEST(HostileFiles, ZipBombIsRefused) {
    const std::string path = scratch("bomb") + "/m.keras";
    write_zip(path, {{"config.json", "{}"}, {"model.weights.h5", std::string(std::size_t{32} << 20, '\0')}}, true);
    EXPECT_LT(std::filesystem::file_size(path), std::uintmax_t{1} << 20);
    const std::string e = error_of([&] { load_model(path); });
    EXPECT_NE(e.find("zip bomb"), std::string::npos) << e;
}

TEST(HostileFiles, NotAModelFile) {
    const std::string dir = scratch("garbage");
    std::ofstream(dir + "/x.h5") << "this is not hdf5";
    std::ofstream(dir + "/x.keras") << "this is not a zip";
    EXPECT_NE(error_of([&] { load_model(dir + "/x.h5"); }).find("not an HDF5 file"), std::string::npos);
    EXPECT_NE(error_of([&] { load_model(dir + "/x.keras"); }).find("zip"), std::string::npos);
    EXPECT_NE(error_of([&] { load_model(dir + "/missing.h5"); }), "");
    EXPECT_NE(error_of([&] { load_model(dir + "/x.txt"); }).find("extension"), std::string::npos);
}

}  // namespace
}  // namespace tfc
