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
using io_test::write_zip;

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

// Found by fuzzing (docs/fuzzing.md): inputs that crashed or hung a loader before the fix.

TEST(HostileFilesFuzzFound, RequiredSizeKeyMissing) {
    // A Conv2D without kernel_size read element 0 of an empty vector.
    for (const char* cls : {"Conv1D", "Conv2D", "DepthwiseConv2D", "SeparableConv2D"}) {
        const std::string json = std::string(R"({"class_name": "Sequential", "config": {"layers": [
            {"class_name": ")") + cls + R"(", "config": {"name": "c", "filters": 2,
             "batch_input_shape": [null, 8, 8, 3]}}]}})";
        const std::string e = error_of([&] { model_from_json(json); });
        EXPECT_NE(e.find("config key 'kernel_size' is missing"), std::string::npos) << cls << ": " << e;
    }
}

TEST(HostileFilesFuzzFound, WeightsBeyondTheBudgetAreRefusedBeforeAllocating) {
    // 121 bytes of JSON asked for a 10^5 x 10^5 kernel (40 GB); absurd dimensions must not
    // overflow the count either.
    for (const char* dims : {"[null, 100000]", "[null, 1099511627776]"}) {
        const std::string json = std::string(R"({"class_name": "Sequential", "config": {"layers": [
            {"class_name": "Dense", "config": {"units": 100000, "batch_input_shape": )") + dims +
                                 "}}]}}";
        const std::string e = error_of([&] { model_from_json(json); });
        EXPECT_NE(e.find("the model's weights are too large"), std::string::npos) << dims << ": " << e;
        EXPECT_NE(e.find("dense"), std::string::npos) << e;
    }
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::uint64_t get_le64(const std::string& b, std::size_t at) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i) v = (v << 8) | static_cast<unsigned char>(b[at + i]);
    return v;
}

void put_le64(std::string& b, std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b[at + i] = static_cast<char>((v >> (8 * i)) & 0xff);
}

// The first local heap of a file tfc saved: "HEAP", version 0, 3 reserved bytes, data size,
// free-list head, data address (8-byte lengths and addresses, h5py's defaults).
std::size_t first_local_heap(const std::string& b) {
    const std::size_t at = b.find("HEAP");
    EXPECT_NE(at, std::string::npos);
    EXPECT_GE(get_le64(b, at + 8), 32u);
    return at;
}

TEST(HostileFilesFuzzFound, LocalHeapFreeListThatLoops) {
    // libhdf5 1.10.8 walks this list forever, allocating on every step (2 GB in seconds).
    const std::string dir = scratch("heap_loop");
    std::string b = file_bytes(saved_model(dir));
    const std::size_t at = first_local_heap(b);
    const std::uint64_t data = get_le64(b, at + 24);
    put_le64(b, at + 16, 16);    // the free list starts at offset 16 of the heap's data ...
    put_le64(b, data + 16, 16);  // ... whose block names itself as the next one
    put_le64(b, data + 24, 16);
    std::ofstream(dir + "/loop.h5", std::ios::binary) << b;
    const std::string e = error_of([&] { load_model(dir + "/loop.h5"); });
    EXPECT_NE(e.find("free list that loops"), std::string::npos) << e;
    Sequential m({Input({3}), Dense(4, {.name = "dense"}), Dense(2, {.name = "dense_1"})});
    EXPECT_NE(error_of([&] { load_weights(m, dir + "/loop.h5"); }).find("free list that loops"),
              std::string::npos);
}

TEST(HostileFilesFuzzFound, LocalHeapLargerThanTheFile) {
    // libhdf5 allocates the size a heap claims before reading it.
    const std::string dir = scratch("heap_size");
    std::string b = file_bytes(saved_model(dir));
    put_le64(b, first_local_heap(b) + 8, std::uint64_t{1} << 40);
    std::ofstream(dir + "/big.h5", std::ios::binary) << b;
    const std::string e = error_of([&] { load_model(dir + "/big.h5"); });
    EXPECT_NE(e.find("claims more data than the file holds"), std::string::npos) << e;
}

TEST(HostileFilesFuzzFound, GlobalHeapObjectLargerThanItsCollection) {
    // libhdf5 copied the claimed size when reading layer_names: a 155 GB memcpy from a 30 KB file.
    // Collection: "GCOL", version 1, 3 reserved, size (8); then objects: index (2), references
    // (2), reserved (4), size (8), data.
    const std::string dir = scratch("gcol");
    std::string b = file_bytes(saved_model(dir));
    const std::size_t at = b.find("GCOL");
    ASSERT_NE(at, std::string::npos);
    ASSERT_NE(b[at + 16], 0);  // the first object is a real one (index 1), not free space
    put_le64(b, at + 24, (std::uint64_t{0x24} << 32) | get_le64(b, at + 24));
    std::ofstream(dir + "/gcol.h5", std::ios::binary) << b;
    const std::string e = error_of([&] { load_model(dir + "/gcol.h5"); });
    EXPECT_NE(e.find("global heap object overruns its collection"), std::string::npos) << e;
    // An empty free-space record (index 0, size 0) made libhdf5's loader loop forever.
    put_le64(b, at + 16, 0);
    put_le64(b, at + 24, 0);
    std::ofstream(dir + "/gcol0.h5", std::ios::binary) << b;
    EXPECT_NE(error_of([&] { load_model(dir + "/gcol0.h5"); }).find("empty free-space record"),
              std::string::npos);
}

TEST(HostileFilesFuzzFound, GroupThatContainsItsAncestor) {
    // A group entry naming an ancestor whose header counts one link: H5Lvisit recursed until the
    // stack overflowed. The walk now enters each group once, so the file loads.
    const std::string dir = scratch("group_cycle");
    const std::string path = saved_model(dir);
    haddr_t addr = 0;
    {
        hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
        ASSERT_GE(H5Lcreate_hard(f, "/model_weights", f, "/model_weights/dense/loop", H5P_DEFAULT, H5P_DEFAULT), 0);
        H5O_info_t info;
        ASSERT_GE(H5Oget_info_by_name(f, "/model_weights", &info, H5P_DEFAULT), 0);
        ASSERT_EQ(info.rc, 2u);
        addr = info.addr;
        H5Fclose(f);
    }
    // Version-1 object header: version, reserved, message count (2), reference count (4), ...
    std::string b = file_bytes(path);
    ASSERT_EQ(b[addr], 1);
    b[addr + 4] = 1;
    std::ofstream(dir + "/cycle.h5", std::ios::binary) << b;
    EXPECT_EQ(error_of([&] { load_model(dir + "/cycle.h5"); }), "");
}

TEST(HostileFilesFuzzFound, GroupsNestedTooDeeply) {
    const std::string dir = scratch("deep_groups");
    const std::string path = saved_model(dir);
    hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDWR, H5P_DEFAULT);
    std::string p = "/extra";
    for (int i = 0; i < 70; ++i, p += "/g") H5Gclose(H5Gcreate2(f, p.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    H5Fclose(f);
    EXPECT_NE(error_of([&] { load_model(path); }).find("groups are nested too deeply"), std::string::npos);
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
