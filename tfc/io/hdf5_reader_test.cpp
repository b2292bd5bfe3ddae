// The HDF5 reader against libhdf5 as the oracle: every group, attribute and dataset of the real
// Keras files (and of files libhdf5 writes with chunking, filters, other float types and byte
// orders) reads the same through both; formats the reader does not handle are refused by name;
// damaged files end in tfc::Error, including the inputs on which libhdf5 itself crashes.
#include <gtest/gtest.h>
#include <hdf5.h>

#include <cmath>
#include <fstream>
#include <map>
#include <random>

#include "tfc/io/hdf5_reader.h"
#include "tfc/io/io_test_util.h"
#include "tfc/io/formats_impl.h"
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
            for (std::size_t i = 0; i < n; ++i) out += "str:" + std::string(buf.data() + i * w, strnlen(buf.data() + i * w, w)) + "|";
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
        H5Aget_name_by_idx(obj, ".", H5_INDEX_NAME, H5_ITER_INC, i, aname, sizeof aname, H5P_DEFAULT);
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
        if (n > 0) H5Dread(obj, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        w[path] = (H5Tget_class(t) == H5T_FLOAT ? "float " : "int ") + shape + ":" + describe_numbers(v);
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
            if (!v) ADD_FAILURE() << "attribute '" << a << "' of '" << prefix << "' not found by name";
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
            EXPECT_EQ("int :" + describe_numbers({static_cast<double>(h5::read_int_scalar(r, g, leaf))}), value)
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

}  // namespace
}  // namespace tfc
