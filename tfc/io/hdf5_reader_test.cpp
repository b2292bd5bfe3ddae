// The HDF5 reader against libhdf5 as the oracle: every group, attribute and dataset of the real
// Keras files (and of files libhdf5 writes with chunking, filters, other float types and byte
// orders) reads the same through both; formats the reader does not handle are refused by name;
// damaged files end in tfc::Error, including the inputs on which libhdf5 itself crashes.
#include "tfc/io/hdf5_reader.h"

#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>

#include "tfc/io/formats_impl.h"
#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/layers/layers.h"

namespace tfc {
namespace {

using io_test::error_of;
using io_test::scratch;
namespace h5 = io::h5;

// What libhdf5 sees in a file: path -> description (members, attribute values, dataset values).
using Walk = std::map<std::string, std::string>;

std::string describe_numbers(const std::vector<double>& v) {
    std::string s;
    for (double x : v) s += (std::isnan(x) ? std::string("nan") : std::to_string(x)) + ",";
    return s;
}

std::string oracle_attr(hid_t obj, const char* name) {
    const hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
    const hid_t t = H5Aget_type(a), s = H5Aget_space(a);
    const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(s));
    std::string out;
    if (H5Tget_class(t) == H5T_STRING) {
        const hid_t mem = H5Tcopy(H5T_C_S1);
        H5Tset_cset(mem, H5Tget_cset(t));
        if (H5Tis_variable_str(t) > 0) {
            H5Tset_size(mem, H5T_VARIABLE);
            std::vector<char*> buf(n);
            H5Aread(a, mem, buf.data());
            for (char* p : buf) out += std::string("str:") + (p ? p : "") + "|";
            H5Dvlen_reclaim(mem, s, H5P_DEFAULT, buf.data());
        } else {
            const std::size_t w = H5Tget_size(t);
            H5Tset_size(mem, w);
            H5Tset_strpad(mem, H5Tget_strpad(t));
            std::vector<char> buf(n * w);
            H5Aread(a, mem, buf.data());
            for (std::size_t i = 0; i < n; ++i)
                out +=
                    "str:" + std::string(buf.data() + i * w, strnlen(buf.data() + i * w, w)) + "|";
        }
        H5Tclose(mem);
    } else {
        std::vector<double> v(n);
        if (n > 0) H5Aread(a, H5T_NATIVE_DOUBLE, v.data());
        out = "num:" + describe_numbers(v);
    }
    H5Tclose(t);
    H5Sclose(s);
    H5Aclose(a);
    return out;
}

void oracle_walk(hid_t group, const std::string& prefix, Walk& w);

herr_t oracle_member(hid_t group, const char* name, const H5L_info_t*, void* data) {
    auto* ctx = static_cast<std::pair<Walk*, std::string>*>(data);
    Walk& w = *ctx->first;
    const std::string path = ctx->second + name;
    w[ctx->second + "#members"] += std::string(name) + "|";
    H5O_info_t info;
    H5Oget_info_by_name(group, name, &info, H5P_DEFAULT);
    const hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        char aname[1024];
        H5Aget_name_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, i, aname, sizeof aname,
                           H5P_DEFAULT);
        w[path + "@" + aname] = oracle_attr(obj, aname);
    }
    if (info.type == H5O_TYPE_GROUP) {
        oracle_walk(obj, path + "/", w);
    } else if (info.type == H5O_TYPE_DATASET) {
        const hid_t s = H5Dget_space(obj), t = H5Dget_type(obj);
        const int rank = H5Sget_simple_extent_ndims(s);
        std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
        H5Sget_simple_extent_dims(s, dims.data(), nullptr);
        std::string shape;
        for (auto d : dims) shape += std::to_string(d) + "x";
        const auto n = static_cast<std::size_t>(H5Sget_simple_extent_npoints(s));
        std::vector<double> v(n);
        if (H5Tget_class(t) == H5T_FLOAT) {  // tfc reads weights as float32
            std::vector<float> x(n);
            if (n > 0) H5Dread(obj, H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, x.data());
            v.assign(x.begin(), x.end());
        } else if (n > 0) {
            H5Dread(obj, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        }
        w[path] =
            (H5Tget_class(t) == H5T_FLOAT ? "float " : "int ") + shape + ":" + describe_numbers(v);
        H5Tclose(t);
        H5Sclose(s);
    }
    H5Oclose(obj);
    return 0;
}

void oracle_walk(hid_t group, const std::string& prefix, Walk& w) {
    std::pair<Walk*, std::string> ctx{&w, prefix};
    w[prefix + "#members"];
    H5Literate(group, H5_INDEX_NAME, H5_ITER_INC, nullptr, oracle_member, &ctx);
}

Walk oracle(const std::string& path) {
    Walk w;
    const hid_t f = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    EXPECT_GE(f, 0) << path;
    H5O_info_t info;
    H5Oget_info(f, &info);
    for (hsize_t i = 0; i < info.num_attrs; ++i) {
        char aname[1024];
        H5Aget_name_by_idx(f, ".", H5_INDEX_NAME, H5_ITER_INC, i, aname, sizeof aname, H5P_DEFAULT);
        w[std::string("@") + aname] = oracle_attr(f, aname);
    }
    oracle_walk(f, "", w);
    H5Fclose(f);
    return w;
}

// The same description through the reader.
void reader_attrs(const h5::Reader& r, h5::Node obj, const std::string& prefix, Walk& w) {
    for (const auto& a : h5::attr_names(r, obj)) {
        std::string d;
        try {
            const auto v = h5::read_string_list_attr(r, obj, a);
            if (!v)
                ADD_FAILURE() << "attribute '" << a << "' of '" << prefix << "' not found by name";
            for (const auto& s : v.value_or(std::vector<std::string>{})) d += "str:" + s + "|";
        } catch (const Error&) {  // a number
        }
        if (d.empty()) d = "num:" + describe_numbers(h5::read_number_attr(r, obj, a));
        w[prefix + "@" + a] = d;
    }
}

void reader_walk(const h5::Reader& r, h5::Node group, const std::string& prefix, Walk& w) {
    auto& members = w[prefix + "#members"];
    for (const auto& name : h5::members(r, group)) {
        members += name + "|";
        const auto obj = h5::find(r, group, name);
        ASSERT_TRUE(obj.has_value()) << prefix << name;
        const std::string path = prefix + name;
        reader_attrs(r, *obj, path, w);
        if (h5::is_group(r, *obj)) reader_walk(r, *obj, path + "/", w);
    }
}

// Compares the reader with libhdf5 on one file (`image`: read from memory instead).
std::size_t compare_with_oracle(const std::string& p, const std::string* image = nullptr) {
    const Walk want = oracle(p);
    const h5::Reader r = image ? h5::Reader::from_image(*image, p) : h5::Reader::open(p);
    Walk got;
    reader_attrs(r, r.root(), "", got);
    reader_walk(r, r.root(), "", got);
    std::size_t datasets = 0;
    for (const auto& [key, value] : want) {
        if (key.find('#') != std::string::npos || key.find('@') != std::string::npos) {
            EXPECT_EQ(got[key], value) << p << " " << key;
            continue;
        }
        ++datasets;
        const std::size_t slash = key.rfind('/');
        const std::string parent = slash == std::string::npos ? "" : key.substr(0, slash);
        const std::string leaf = slash == std::string::npos ? key : key.substr(slash + 1);
        const h5::Node g = parent.empty() ? r.root() : h5::open_group(r, r.root(), parent);
        if (value.rfind("float ", 0) == 0) {
            const Tensor t = h5::read_dataset(r, g, leaf);
            std::string shape;
            for (auto d : t.shape()) shape += std::to_string(d) + "x";
            std::vector<double> v(t.data<float>(), t.data<float>() + t.size());
            EXPECT_EQ("float " + shape + ":" + describe_numbers(v), value) << p << " " << key;
        } else {
            EXPECT_EQ(
                "int :" + describe_numbers({static_cast<double>(h5::read_int_scalar(r, g, leaf))}),
                value)
                << p << " " << key;
        }
    }
    return datasets;
}

TEST(Hdf5Reader, EveryRealKerasFileReadsAsLibhdf5ReadsIt) {
    TFC_SKIP_WITHOUT_SHARED();
    std::size_t files = 0;
    const std::string dir = scratch("reader_real");
    for (const auto& e : std::filesystem::directory_iterator(io_test::models_dir())) {
        const std::string p = e.path().string();
        if (e.path().extension() == ".h5") {
            EXPECT_GT(compare_with_oracle(p), 0u) << p;
            ++files;
        } else if (e.path().extension() == ".keras") {
            const auto z = io::read_keras_zip(p, true);
            const std::string copy = dir + "/" + e.path().stem().string() + ".weights.h5";
            std::ofstream(copy, std::ios::binary) << z.weights;
            EXPECT_GT(compare_with_oracle(copy, &z.weights), 0u) << p;
            ++files;
        }
    }
    EXPECT_GE(files, 22u);
}

// Writes one dataset with libhdf5: file type `ftype`, values given as doubles.
void write_array(hid_t parent, const char* name, hid_t ftype, const std::vector<hsize_t>& dims,
                 const std::vector<double>& values, hid_t dcpl = H5P_DEFAULT) {
    const hid_t s = dims.empty()
                        ? H5Screate(H5S_SCALAR)
                        : H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr);
    const hid_t d = H5Dcreate2(parent, name, ftype, s, H5P_DEFAULT, dcpl, H5P_DEFAULT);
    ASSERT_GE(d, 0) << name;
    ASSERT_GE(H5Dwrite(d, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()), 0)
        << name;
    H5Dclose(d);
    H5Sclose(s);
}

std::vector<double> ramp(std::size_t n, double scale) {
    std::vector<double> v(n);
    for (std::size_t i = 0; i < n; ++i) v[i] = std::sin(0.37 * static_cast<double>(i)) * scale;
    return v;
}

hid_t chunked(const std::vector<hsize_t>& chunk, bool shuffle, bool deflate, bool fletcher) {
    const hid_t dcpl = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_chunk(dcpl, static_cast<int>(chunk.size()), chunk.data());
    if (fletcher) H5Pset_fletcher32(dcpl);
    if (shuffle) H5Pset_shuffle(dcpl);
    if (deflate) H5Pset_deflate(dcpl, 6);
    return dcpl;
}

TEST(Hdf5Reader, LayoutsFiltersFloatTypesAndByteOrdersReadAsLibhdf5ReadsThem) {
    const std::string path = scratch("reader_layouts") + "/arrays.h5";
    const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
    // float16 as numpy/h5py define it: sign 15, exponent 10..14 (bias 15), mantissa 0..9.
    const hid_t half = H5Tcopy(H5T_IEEE_F32LE);
    H5Tset_fields(half, 15, 10, 5, 0, 10);
    H5Tset_size(half, 2);
    H5Tset_ebias(half, 15);
    write_array(f, "f16", half, {3, 5}, ramp(15, 4.0));
    write_array(f, "f64be", H5T_IEEE_F64BE, {4, 3}, ramp(12, 1e-3));
    write_array(f, "f32be", H5T_IEEE_F32BE, {7}, ramp(7, 100.0));
    write_array(f, "scalar", H5T_IEEE_F32LE, {}, {2.5});
    write_array(f, "empty", H5T_IEEE_F32LE, {0, 4}, {});
    const hid_t compact = H5Pcreate(H5P_DATASET_CREATE);
    H5Pset_layout(compact, H5D_COMPACT);
    write_array(f, "compact", H5T_IEEE_F32LE, {2, 3}, ramp(6, 1.0), compact);
    // Chunks that do not divide the shape (edge chunks clipped), every filter combination.
    const hid_t all = chunked({3, 4}, true, true, true);
    write_array(f, "chunk_all", H5T_IEEE_F32LE, {7, 10}, ramp(70, 3.0), all);
    const hid_t deflate = chunked({2, 3, 4}, false, true, false);
    write_array(f, "chunk_deflate_rank3", H5T_IEEE_F64LE, {5, 7, 9}, ramp(315, 0.5), deflate);
    const hid_t plain = chunked({16}, false, false, false);
    write_array(f, "chunk_plain", H5T_IEEE_F32LE, {100}, ramp(100, 1.0), plain);
    const hid_t big =
        chunked({64, 64}, true, true, false);  // many chunks: a B-tree with inner nodes
    write_array(f, "chunk_many", H5T_IEEE_F32LE, {1100, 130}, ramp(1100 * 130, 2.0), big);
    write_array(f, "steps_i32be", H5T_STD_I32BE, {}, {123456});
    write_array(f, "steps_u8", H5T_STD_U8LE, {}, {200});
    write_array(f, "steps_f64", H5T_IEEE_F64LE, {}, {77});
    for (hid_t p : {compact, all, deflate, plain, big}) H5Pclose(p);
    H5Tclose(half);
    H5Fclose(f);

    EXPECT_EQ(compare_with_oracle(path), 13u);
    const h5::Reader r = h5::Reader::open(path);
    EXPECT_EQ(h5::read_int_scalar(r, r.root(), "steps_i32be"), 123456);
    EXPECT_EQ(h5::read_int_scalar(r, r.root(), "steps_u8"), 200);
    EXPECT_EQ(h5::read_int_scalar(r, r.root(), "steps_f64"), 77);
    EXPECT_EQ(h5::dataset_shape(r, r.root(), "chunk_many"), (Shape{1100, 130}));
    EXPECT_NE(error_of([&] {
                  h5::read_dataset(r, r.root(), "steps_u8");
              }).find("not a floating-point array"),
              std::string::npos);
    EXPECT_NE(error_of([&] {
                  h5::read_dataset(r, r.root(), "missing");
              }).find("weight 'missing' is missing"),
              std::string::npos);
}

TEST(Hdf5Reader, FormatsOutsideWhatKerasWritesAreRefusedByName) {
    const std::string dir = scratch("reader_refused");
    {  // libver "latest": superblock version 3, version-2 object headers
        const hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
        H5Pset_libver_bounds(fapl, H5F_LIBVER_LATEST, H5F_LIBVER_LATEST);
        const hid_t f = H5Fcreate((dir + "/latest.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl);
        write_array(f, "x", H5T_IEEE_F32LE, {2}, {1, 2});
        H5Fclose(f);
        H5Pclose(fapl);
        const std::string e = error_of([&] { h5::Reader::open(dir + "/latest.h5"); });
        EXPECT_NE(e.find("superblock version 3"), std::string::npos) << e;
        EXPECT_NE(e.find("Fix:"), std::string::npos) << e;
    }
    {  // an unknown filter (scale-offset) and a compound type
        const hid_t f =
            H5Fcreate((dir + "/odd.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
        const hid_t dcpl = chunked({4}, false, false, false);
        H5Pset_scaleoffset(dcpl, H5Z_SO_FLOAT_DSCALE, 2);
        write_array(f, "scaled", H5T_IEEE_F32LE, {8}, ramp(8, 1.0), dcpl);
        H5Pclose(dcpl);
        const hid_t cmp = H5Tcreate(H5T_COMPOUND, 8);
        H5Tinsert(cmp, "a", 0, H5T_NATIVE_FLOAT);
        H5Tinsert(cmp, "b", 4, H5T_NATIVE_FLOAT);
        const hsize_t n = 2;
        const hid_t s = H5Screate_simple(1, &n, nullptr);
        H5Dclose(H5Dcreate2(f, "compound", cmp, s, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
        H5Sclose(s);
        H5Tclose(cmp);
        H5Fclose(f);
        const h5::Reader r = h5::Reader::open(dir + "/odd.h5");
        EXPECT_NE(error_of([&] {
                      h5::read_dataset(r, r.root(), "scaled");
                  }).find("unsupported compression filter"),
                  std::string::npos);
        EXPECT_NE(
            error_of([&] { h5::read_dataset(r, r.root(), "compound"); }).find("datatype class 6"),
            std::string::npos);
    }
}

std::string file_bytes(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Loads `path` as a model and as weights; only success or tfc::Error are acceptable.
void load_both_ways(const std::string& path) {
    try {
        load_model(path);
    } catch (const Error&) {
    }
    try {
        Sequential m({Input({3}), Dense(4, {.name = "dense"}), Dense(2, {.name = "dense_1"})});
        load_weights(m, path);
    } catch (const Error&) {
    }
}

TEST(Hdf5Reader, InputsThatCrashLibhdf5AreCleanErrors) {
    // docs/fuzzing.md H1-H3: over-reads and huge allocations inside libhdf5 1.10.8.
    const std::string dir = std::string(TFC_SOURCE_DIR) + "/fuzz/hdf5_findings";
    std::size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(dir)) {
        const std::string err = error_of([&] { load_model(e.path().string()); });
        EXPECT_NE(err.find("[load_model]"), std::string::npos) << e.path() << ": " << err;
        load_both_ways(e.path().string());
        ++n;
    }
    EXPECT_GE(n, 5u);
}

TEST(Hdf5Reader, EveryTruncationAndRandomByteDamageEndsInSuccessOrError) {
    const std::string dir = scratch("reader_damage");
    Sequential m({Input({3}), Dense(4, {.name = "dense"}), Dense(2, {.name = "dense_1"})});
    m.compile("adam", "mse");
    m.fit(Tensor::ones({8, 3}), Tensor::zeros({8, 2}), {.epochs = 1, .verbose = 0});
    save_model(m, dir + "/m.h5");
    const std::string good = file_bytes(dir + "/m.h5");
    const std::string bad = dir + "/bad.h5";
    for (std::size_t cut = 0; cut < good.size(); cut += 97) {
        std::ofstream(bad, std::ios::binary | std::ios::trunc) << good.substr(0, cut);
        EXPECT_NE(error_of([&] { load_model(bad); }), "") << cut;
    }
    // Byte damage anywhere in the metadata (the first 4 KB holds the superblock, root group
    // and heaps) and in the rest of the file; most files still load, none may crash.
    std::mt19937 rng(7);
    std::size_t errors = 0;
    for (int i = 0; i < 1500; ++i) {
        std::string b = good;
        const int flips = 1 + static_cast<int>(rng() % 4);
        for (int k = 0; k < flips; ++k) {
            const std::size_t at =
                (i % 2 ? rng() % std::min<std::size_t>(4096, b.size()) : rng() % b.size());
            b[at] = static_cast<char>(rng() % 3 == 0 ? 0xFF : rng() & 0xFF);
        }
        std::ofstream(bad, std::ios::binary | std::ios::trunc) << b;
        errors += error_of([&] { load_model(bad); }).empty() ? 0 : 1;
        load_both_ways(bad);
    }
    EXPECT_GT(errors, 100u);
}

}  // namespace
}  // namespace tfc
