#include <H5PLpublic.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "tfc/core/error.h"
#include "tfc/io/hdf5_impl.h"
#include "tfc/io/hdf5_reader_impl.h"

namespace tfc::io::h5 {
namespace {

Handle file_access_list() {
    Handle fapl(H5Pcreate(H5P_FILE_ACCESS));
    TFC_CHECK(fapl.valid(), "load_model", "HDF5 property list creation failed", "", "", "");
    H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG);
#if H5_VERSION_GE(1, 10, 7)
    H5Pset_file_locking(fapl.get(), false, true);  // read-only mounts must work
#endif
    return fapl;
}

void disable_plugins() {
    // Filter plugins are shared libraries: a model file must never make us load code.
    static const bool done = [] {
        H5PLset_loading_state(0);
        return true;
    }();
    (void)done;
}

}  // namespace

Handle::~Handle() {
    if (id_ < 0) return;
    switch (H5Iget_type(id_)) {
        case H5I_FILE: H5Fclose(id_); break;
        case H5I_GROUP: H5Gclose(id_); break;
        case H5I_DATASET: H5Dclose(id_); break;
        case H5I_ATTR: H5Aclose(id_); break;
        case H5I_DATATYPE: H5Tclose(id_); break;
        case H5I_DATASPACE: H5Sclose(id_); break;
        case H5I_GENPROP_LST: H5Pclose(id_); break;
        default: break;
    }
}

Handle& Handle::operator=(Handle&& o) noexcept {
    if (this != &o) {
        Handle tmp(id_);
        id_ = o.id_;
        o.id_ = -1;
    }
    return *this;
}

Quiet::Quiet() {
    H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}
Quiet::~Quiet() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

File create(const std::string& path) {
    disable_plugins();
    File f;
    f.label = path;
    Handle fapl = file_access_list();
    f.id = Handle(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, fapl.get()));
    TFC_CHECK(f.id.valid(), "save_model", "cannot create the file", "'" + path + "'",
              "a writable path", "check that the folder exists and is writable");
    return f;
}

void close(File& f) {
    if (!f.id.valid()) return;
    const hid_t id = f.id.release();
    const herr_t flushed = H5Fflush(id, H5F_SCOPE_GLOBAL);
    const herr_t closed = H5Fclose(id);
    TFC_CHECK(flushed >= 0 && closed >= 0, "save_model", "cannot finish writing the file",
              "'" + f.label + "'", "a complete write", "check free disk space");
}

Handle create_group(hid_t parent, const std::string& name) {
    Handle g(H5Gcreate2(parent, name.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    TFC_CHECK(g.valid(), "save_model", "cannot create group", "'" + name + "'", "a new group",
              "layer and weight names must be unique");
    return g;
}

Handle create_groups(hid_t parent, const std::string& path) {
    Handle cur;
    hid_t at = parent;
    for (const auto& p : split_path(path)) {
        Handle next = H5Lexists(at, p.c_str(), H5P_DEFAULT) > 0
                          ? Handle(H5Gopen2(at, p.c_str(), H5P_DEFAULT))
                          : create_group(at, p);
        TFC_CHECK(next.valid(), "save_model", "cannot open group", "'" + p + "'", "a group",
                  "layer and weight names must be unique");
        cur = std::move(next);
        at = cur.get();
    }
    return cur;
}

void write_string_attr(hid_t obj, const std::string& name, const std::string& value, bool utf8) {
    Handle type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII);
    Handle space(H5Screate(H5S_SCALAR));
    Handle a(H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
    const char* p = value.c_str();
    TFC_CHECK(a.valid() && H5Awrite(a.get(), type.get(), &p) >= 0, "save_model",
              "cannot write attribute", "'" + name + "'", "a writable file", "check free disk space");
}

void write_string_list_attr(hid_t obj, const std::string& name, const std::vector<std::string>& values) {
    const hsize_t n = values.size();
    Handle space(H5Screate_simple(1, &n, nullptr));
    if (values.empty()) {
        Handle a(H5Acreate2(obj, name.c_str(), H5T_IEEE_F64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT));
        TFC_CHECK(a.valid(), "save_model", "cannot write attribute", "'" + name + "'",
                  "a writable file", "check free disk space");
        return;
    }
    Handle type(H5Tcopy(H5T_C_S1));
    H5Tset_size(type.get(), H5T_VARIABLE);
    H5Tset_cset(type.get(), H5T_CSET_ASCII);
    std::vector<const char*> ptrs;
    for (const auto& v : values) ptrs.push_back(v.c_str());
    Handle a(H5Acreate2(obj, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT));
    TFC_CHECK(a.valid() && H5Awrite(a.get(), type.get(), ptrs.data()) >= 0, "save_model",
              "cannot write attribute", "'" + name + "'", "a writable file", "check free disk space");
}

void write_dataset(hid_t parent, const std::string& name, const Tensor& value) {
    const Tensor t = value.dtype() == DType::float32 ? value : value.astype(DType::float32);
    std::vector<hsize_t> dims(t.shape().begin(), t.shape().end());
    Handle space(t.rank() == 0 ? H5Screate(H5S_SCALAR)
                               : H5Screate_simple(t.rank(), dims.data(), nullptr));
    Handle d(H5Dcreate2(parent, name.c_str(), H5T_IEEE_F32LE, space.get(), H5P_DEFAULT,
                        H5P_DEFAULT, H5P_DEFAULT));
    TFC_CHECK(d.valid() && H5Dwrite(d.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT,
                                    t.raw_data()) >= 0,
              "save_model", "cannot write weight", "'" + name + "'", "a writable file",
              "check free disk space");
}

void write_int_scalar(hid_t parent, const std::string& name, std::int64_t value) {
    Handle space(H5Screate(H5S_SCALAR));
    Handle d(H5Dcreate2(parent, name.c_str(), H5T_STD_I64LE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                        H5P_DEFAULT));
    TFC_CHECK(d.valid() && H5Dwrite(d.get(), H5T_NATIVE_INT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, &value) >= 0,
              "save_model", "cannot write a scalar", "'" + name + "'", "a writable file",
              "check free disk space");
}

}  // namespace tfc::io::h5
