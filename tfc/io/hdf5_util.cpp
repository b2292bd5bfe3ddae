#include <H5PLpublic.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "tfc/core/error.h"
#include "tfc/io/hdf5_impl.h"

namespace tfc::io::h5 {
namespace {

constexpr std::uint64_t kMaxAttrBytes = std::uint64_t{64} << 20;  // 64 MiB per attribute
constexpr int kMaxRank = 8;
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 36;
constexpr std::size_t kMaxChunks = 100000;

[[noreturn]] void damaged(const File& f, const std::string& problem, const std::string& got) {
    fail("load_model", problem, got + " in '" + f.label + "'", "a well-formed Keras file",
         "the file is damaged, truncated or not written by Keras; re-save the model");
}

// The walk over every link of the file. H5Lvisit is not used: libhdf5 1.10.8 only remembers
// groups whose header counts several links, so a group entry that names an ancestor of
// reference count 1 made it recurse until the stack overflowed. Here every group is entered at
// most once (by header address) and nesting is bounded.
constexpr int kMaxGroupDepth = 64;

struct LinkWalk {
    std::set<haddr_t> groups;  // groups already entered
    std::string prefix;        // path of the group being listed
    std::string bad;           // the first link that is not a hard link
    int depth = 0;
};

herr_t check_link(hid_t group, const char* name, const H5L_info_t* info, void* op_data) {
    auto* walk = static_cast<LinkWalk*>(op_data);
    if (info->type != H5L_TYPE_HARD) {
        walk->bad = walk->prefix + name;
        return 1;  // stop: refused link type
    }
    H5O_info_t oinfo;
    if (H5Oget_info_by_name(group, name, &oinfo, H5P_DEFAULT) < 0) return -1;
    if (oinfo.type != H5O_TYPE_GROUP || !walk->groups.insert(oinfo.addr).second) return 0;
    if (walk->depth >= kMaxGroupDepth) return 2;  // stop: nested too deeply
    const hid_t sub = H5Gopen2(group, name, H5P_DEFAULT);
    if (sub < 0) return -1;
    const std::string outer = walk->prefix;
    walk->prefix += std::string(name) + "/";
    ++walk->depth;
    const herr_t r = H5Literate(sub, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, check_link, walk);
    --walk->depth;
    walk->prefix = outer;
    H5Gclose(sub);
    return r;
}

void refuse_foreign_links(const File& f) {
    LinkWalk walk;
    H5O_info_t root;
    if (H5Oget_info(f.id.get(), &root) >= 0) walk.groups.insert(root.addr);
    const herr_t r = H5Literate(f.id.get(), H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, check_link, &walk);
    TFC_CHECK(r != 2, "load_model", "groups are nested too deeply",
              "more than " + std::to_string(kMaxGroupDepth) + " levels in '" + f.label + "'",
              "a Keras file (a few levels)", "the file is damaged or hostile; re-save the model");
    if (r > 0) {
        fail("load_model", "the file contains an external or soft link '" + walk.bad + "'",
             "a link to another file or path in '" + f.label + "'", "only hard links",
             "a model file must be self-contained; re-save the model with Keras");
    }
    if (r < 0) damaged(f, "the file's group structure cannot be read", "a broken link table");
}

// Reads up to n bytes at offset into dst; returns the count read (short at the end).
using ByteReader = std::function<std::size_t(std::uint64_t offset, char* dst, std::size_t n)>;

std::uint64_t decode_le(const unsigned char* p, unsigned width) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i) v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

// libhdf5 1.10.8 trusts two heap structures it reads from the file (docs/fuzzing.md):
//   - a local heap ("HEAP", group name tables): it walks the free list without a bound, allocating
//     a node per step, so a list that loops eats all memory; it allocates whatever data size the
//     prefix claims;
//   - a global heap collection ("GCOL", variable-length strings such as layer_names): it does not
//     check that an object fits in its collection, and copies the claimed size when the string is
//     read (a 155 GB memcpy from a 30 KB file); an empty free-space record makes it loop forever.
// Both start with a signature, so every candidate is checked before libhdf5 opens the file. Bytes
// that spell a signature but do not form a version-0 "HEAP" / version-1 "GCOL" header are skipped.
// The address and length widths come from the superblock (at 0, 512, 1024, ...; widths at bytes
// 13-14 in versions 0-1, 9-10 in versions 2-3).
void check_heaps(const File& f, const ByteReader& read) {
    unsigned O = 0, L = 0;
    for (std::uint64_t at = 0; at < f.size && O == 0; at = at == 0 ? 512 : 2 * at) {
        unsigned char sb[16];
        if (read(at, reinterpret_cast<char*>(sb), sizeof sb) != sizeof sb) break;
        if (std::memcmp(sb, "\x89HDF\r\n\x1a\n", 8) != 0) continue;
        const bool v01 = sb[8] <= 1;
        O = v01 ? sb[13] : sb[9];
        L = v01 ? sb[14] : sb[10];
    }
    if (O == 0 || O > 8 || L == 0 || L > 8) return;  // libhdf5 refuses such a file itself
    const std::uint64_t free_null = 1;  // H5HL_FREE_NULL
    // Free blocks are disjoint and hold (next offset, size) each, so all the free lists of a
    // well-formed file have at most this many blocks together.
    const std::uint64_t max_steps = f.size / (2 * L) + 1;
    std::uint64_t steps = 0;
    auto check_heap = [&](std::uint64_t at) {
        unsigned char prefix[8 + 2 * 8 + 8];
        const std::size_t want = 8 + 2 * L + O;
        if (read(at, reinterpret_cast<char*>(prefix), want) != want) return;
        if (prefix[4] != 0 || prefix[5] != 0 || prefix[6] != 0 || prefix[7] != 0) return;  // not a prefix
        const std::uint64_t data_size = decode_le(prefix + 8, L);
        std::uint64_t free_block = decode_le(prefix + 8 + L, L);
        const std::uint64_t data_addr = decode_le(prefix + 8 + 2 * L, O);
        TFC_CHECK(data_size <= f.size, "load_model", "a group's name heap claims more data than the file holds",
                  std::to_string(data_size) + " bytes at offset " + std::to_string(at) + " of '" + f.label + "' (" +
                      std::to_string(f.size) + " bytes)",
                  "a size no larger than the file", "the file is damaged or hostile; re-save the model");
        while (free_block != free_null && free_block < data_size) {
            TFC_CHECK(++steps <= max_steps, "load_model", "a group's name heap has a free list that loops",
                      "the heap at offset " + std::to_string(at) + " of '" + f.label + "'",
                      "a free list that ends", "the file is damaged or hostile; re-save the model");
            unsigned char next[8];
            if (read(data_addr + free_block, reinterpret_cast<char*>(next), L) != L) return;  // libhdf5 refuses it
            free_block = decode_le(next, L);
        }
    };
    auto check_collection = [&](std::uint64_t at) {
        unsigned char hdr[8 + 8];
        if (read(at, reinterpret_cast<char*>(hdr), 8 + L) != 8 + L) return;
        if (hdr[4] != 1 || hdr[5] != 0 || hdr[6] != 0 || hdr[7] != 0) return;  // not a collection
        const std::uint64_t size = decode_le(hdr + 8, L);
        const std::uint64_t end = at + std::min(size, f.size - at);  // libhdf5 refuses reading past the file
        const std::uint64_t obj_hdr = 8 + L;  // index (2), references (2), reserved (4), size (L)
        const auto bad = [&](const std::string& what) {
            fail("load_model", "a global heap object " + what,
                 "the collection at offset " + std::to_string(at) + " of '" + f.label + "'",
                 "objects inside their collection", "the file is damaged or hostile; re-save the model");
        };
        // The walk of libhdf5's loader: object 0 (free space) spans `size` bytes, header included;
        // others a header plus the size rounded up to 8.
        for (std::uint64_t p = at + 8 + L; p + obj_hdr <= end;) {
            unsigned char obj[8 + 8];
            if (read(p, reinterpret_cast<char*>(obj), obj_hdr) != obj_hdr) return;
            const unsigned index = obj[0] | (obj[1] << 8);
            const std::uint64_t n = decode_le(obj + 8, L);
            if (n > end - p) bad("overruns its collection");
            const std::uint64_t need = index == 0 ? n : obj_hdr + ((n + 7) & ~std::uint64_t{7});
            if (need < obj_hdr) bad("has an empty free-space record");
            if (need > end - p) bad("overruns its collection");
            p += need;
        }
    };
    constexpr std::size_t kChunk = std::size_t{1} << 20;
    std::string buf(kChunk + 3, '\0');
    std::size_t carry = 0;  // the last 3 bytes of the previous chunk, kept for a split signature
    for (std::uint64_t pos = 0;;) {
        const std::size_t got = read(pos, buf.data() + carry, kChunk);
        const std::size_t n = carry + got;
        for (std::size_t i = 0; i + 4 <= n; ++i) {
            if (buf[i] == 'H' && std::memcmp(buf.data() + i, "HEAP", 4) == 0) check_heap(pos - carry + i);
            if (buf[i] == 'G' && std::memcmp(buf.data() + i, "GCOL", 4) == 0) check_collection(pos - carry + i);
        }
        if (got < kChunk) break;
        pos += got;
        carry = std::min<std::size_t>(3, n);
        std::memmove(buf.data(), buf.data() + n - carry, carry);
    }
}

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

std::vector<std::string> split_path(const std::string& path) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (start <= path.size()) {
        const std::size_t end = std::min(path.find('/', start), path.size());
        if (end > start) parts.push_back(path.substr(start, end - start));
        start = end + 1;
    }
    return parts;
}

// True when every component of `path` under `parent` exists as a hard link.
bool hard_path(hid_t parent, const std::vector<std::string>& parts) {
    std::string prefix;
    for (const auto& p : parts) {
        TFC_CHECK(p != "." && p != "..", "load_model", "a path inside the file is not allowed",
                  "'" + p + "'", "plain names", "the file is damaged or hostile");
        prefix += (prefix.empty() ? "" : "/") + p;
        if (H5Lexists(parent, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
        H5L_info_t info;
        if (H5Lget_info(parent, prefix.c_str(), &info, H5P_DEFAULT) < 0) return false;
        if (info.type != H5L_TYPE_HARD) return false;
    }
    return true;
}

std::string joined(const std::vector<std::string>& parts) {
    std::string s;
    for (const auto& p : parts) s += (s.empty() ? "" : "/") + p;
    return s;
}

Handle open_attr(hid_t obj, const std::string& name) { return Handle(H5Aopen(obj, name.c_str(), H5P_DEFAULT)); }

// Reads all strings of an open string attribute (any rank), with size bounds.
std::vector<std::string> read_strings(const File& f, hid_t attr, const std::string& name) {
    Handle type(H5Aget_type(attr));
    Handle space(H5Aget_space(attr));
    if (!type.valid() || !space.valid()) damaged(f, "attribute '" + name + "' cannot be read", name);
    const hssize_t n = H5Sget_simple_extent_npoints(space.get());
    if (n < 0) damaged(f, "attribute '" + name + "' has a bad shape", name);
    if (H5Tget_class(type.get()) != H5T_STRING) {
        if (n == 0) return {};  // Keras writes an empty float64 array for "no names"
        damaged(f, "attribute '" + name + "' is not a string", name);
    }
    const auto count = static_cast<std::uint64_t>(n);
    const std::uint64_t limit = std::min<std::uint64_t>(kMaxAttrBytes, f.size);
    std::vector<std::string> out;
    if (H5Tis_variable_str(type.get()) > 0) {
        if (count * sizeof(char*) > limit) damaged(f, "attribute '" + name + "' is too large", std::to_string(count) + " strings");
        Handle mem(H5Tcopy(H5T_C_S1));
        H5Tset_size(mem.get(), H5T_VARIABLE);
        H5Tset_cset(mem.get(), H5Tget_cset(type.get()));
        std::vector<char*> buf(count, nullptr);
        if (count > 0 && H5Aread(attr, mem.get(), buf.data()) < 0) {
            damaged(f, "attribute '" + name + "' cannot be read", name);
        }
        std::uint64_t total = 0;
        bool too_big = false;
        for (char* s : buf) {
            const std::size_t len = s ? std::strlen(s) : 0;
            total += len;
            if (total > limit) too_big = true;
            if (!too_big) out.emplace_back(s ? s : "", len);
        }
        if (count > 0) H5Dvlen_reclaim(mem.get(), space.get(), H5P_DEFAULT, buf.data());
        if (too_big) damaged(f, "attribute '" + name + "' is too large", std::to_string(total) + " bytes");
        return out;
    }
    const std::size_t width = H5Tget_size(type.get());
    if (width == 0 || count * width > limit) {
        damaged(f, "attribute '" + name + "' is too large", std::to_string(count * width) + " bytes");
    }
    std::vector<char> buf(count * width);
    if (count > 0 && H5Aread(attr, type.get(), buf.data()) < 0) {
        damaged(f, "attribute '" + name + "' cannot be read", name);
    }
    for (std::uint64_t i = 0; i < count; ++i) {
        const char* s = buf.data() + i * width;
        out.emplace_back(s, strnlen(s, width));
    }
    return out;
}

struct DatasetInfo {
    Handle id;
    Shape shape;
    std::uint64_t elements = 1;
};

DatasetInfo open_checked_dataset(const File& f, hid_t parent, const std::string& path) {
    const auto parts = split_path(path);
    const std::string where = joined(parts);
    if (parts.empty() || !hard_path(parent, parts)) {
        damaged(f, "weight '" + path + "' is missing (or is not a plain dataset)", "'" + path + "'");
    }
    H5O_info_t oinfo;
    if (H5Oget_info_by_name(parent, where.c_str(), &oinfo, H5P_DEFAULT) < 0 || oinfo.type != H5O_TYPE_DATASET) {
        damaged(f, "weight '" + path + "' is not a dataset", "'" + path + "'");
    }
    DatasetInfo d;
    d.id = Handle(H5Dopen2(parent, where.c_str(), H5P_DEFAULT));
    if (!d.id.valid()) damaged(f, "weight '" + path + "' cannot be opened", "'" + path + "'");
    Handle dcpl(H5Dget_create_plist(d.id.get()));
    if (!dcpl.valid()) damaged(f, "weight '" + path + "' has no creation properties", "'" + path + "'");
    const H5D_layout_t layout = H5Pget_layout(dcpl.get());
    TFC_CHECK(layout == H5D_CONTIGUOUS || layout == H5D_CHUNKED || layout == H5D_COMPACT, "load_model",
              "weight '" + path + "' uses a virtual or unknown storage layout",
              "layout " + std::to_string(static_cast<int>(layout)) + " in '" + f.label + "'",
              "contiguous, chunked or compact data", "a model file must be self-contained; re-save it");
    TFC_CHECK(H5Pget_external_count(dcpl.get()) == 0, "load_model",
              "weight '" + path + "' stores its data in an external file", "'" + f.label + "'",
              "data inside the file", "a model file must be self-contained; re-save it");
    const int nfilters = H5Pget_nfilters(dcpl.get());
    for (int i = 0; i < nfilters; ++i) {
        unsigned flags = 0;
        std::size_t nelem = 0;
        const H5Z_filter_t id = H5Pget_filter2(dcpl.get(), static_cast<unsigned>(i), &flags, &nelem,
                                               nullptr, 0, nullptr, nullptr);
        TFC_CHECK(id == H5Z_FILTER_DEFLATE || id == H5Z_FILTER_SHUFFLE || id == H5Z_FILTER_FLETCHER32,
                  "load_model", "weight '" + path + "' uses an unsupported compression filter",
                  "filter " + std::to_string(id), "none, deflate, shuffle or fletcher32",
                  "re-save the model without custom compression");
    }
    Handle type(H5Dget_type(d.id.get()));
    TFC_CHECK(type.valid() && H5Tget_class(type.get()) == H5T_FLOAT &&
                  (H5Tget_size(type.get()) == 4 || H5Tget_size(type.get()) == 8 ||
                   H5Tget_size(type.get()) == 2),
              "load_model", "weight '" + path + "' is not a floating-point array",
              "'" + f.label + "'", "float16, float32 or float64 data", "re-save the model");
    Handle space(H5Dget_space(d.id.get()));
    const int rank = space.valid() ? H5Sget_simple_extent_ndims(space.get()) : -1;
    if (rank < 0 || rank > kMaxRank || H5Sget_simple_extent_type(space.get()) == H5S_NULL) {
        damaged(f, "weight '" + path + "' has an invalid shape", "rank " + std::to_string(rank));
    }
    hsize_t dims[kMaxRank] = {};
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    for (int i = 0; i < rank; ++i) {
        if (dims[i] > kMaxElements || (dims[i] > 0 && d.elements > kMaxElements / dims[i])) {
            fail("load_model", "weight '" + path + "' claims an impossible size",
                 "a dimension of " + std::to_string(dims[i]) + " in '" + f.label + "'",
                 "at most 2^36 elements", "the file is damaged or hostile");
        }
        d.elements *= dims[i];
        d.shape.push_back(static_cast<std::int64_t>(dims[i]));
    }
    const std::uint64_t bytes = d.elements * H5Tget_size(type.get());
    TFC_CHECK(bytes <= f.size, "load_model", "weight '" + path + "' claims more data than the file holds",
              std::to_string(bytes) + " bytes declared, file '" + f.label + "' has " + std::to_string(f.size),
              "a size no larger than the file", "the file is damaged or hostile");
    return d;
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

File open_read(const std::string& path) {
    disable_plugins();
    std::error_code ec;
    const auto size = std::filesystem::file_size(path, ec);
    TFC_CHECK(!ec && std::filesystem::is_regular_file(path, ec), "load_model", "cannot read the file",
              "'" + path + "'", "an existing model file", "check the path");
    File f;
    f.size = size;
    f.label = path;
    TFC_CHECK(H5Fis_hdf5(path.c_str()) > 0, "load_model", "not an HDF5 file (or truncated)",
              "'" + path + "' (" + std::to_string(size) + " bytes)", "a Keras .h5 file",
              "check that the file was saved completely with model.save(\"...h5\")");
    std::ifstream in(path, std::ios::binary);
    check_heaps(f, [&](std::uint64_t offset, char* dst, std::size_t n) -> std::size_t {
        if (offset >= f.size) return 0;
        in.clear();
        in.seekg(static_cast<std::streamoff>(offset));
        in.read(dst, static_cast<std::streamsize>(std::min<std::uint64_t>(n, f.size - offset)));
        return static_cast<std::size_t>(in.gcount());
    });
    Handle fapl = file_access_list();
    f.id = Handle(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()));
    TFC_CHECK(f.id.valid(), "load_model", "the HDF5 file cannot be opened (damaged or truncated)",
              "'" + path + "'", "a complete Keras .h5 file", "re-save the model; the file is damaged");
    refuse_foreign_links(f);
    return f;
}

File open_image(const std::string& bytes, const std::string& label) {
    disable_plugins();
    File f;
    f.size = bytes.size();
    f.label = label;
    Handle fapl = file_access_list();
    H5Pset_fapl_core(fapl.get(), 1 << 16, false);
    TFC_CHECK(!bytes.empty() && H5Pset_file_image(fapl.get(), const_cast<char*>(bytes.data()), bytes.size()) >= 0,
              "load_model", "the weights image cannot be used", label, "an HDF5 image", "re-save the model");
    check_heaps(f, [&](std::uint64_t offset, char* dst, std::size_t n) -> std::size_t {
        if (offset >= bytes.size()) return 0;
        const std::size_t k = static_cast<std::size_t>(std::min<std::uint64_t>(n, bytes.size() - offset));
        std::memcpy(dst, bytes.data() + offset, k);
        return k;
    });
    f.id = Handle(H5Fopen(label.c_str(), H5F_ACC_RDONLY, fapl.get()));
    TFC_CHECK(f.id.valid(), "load_model", "the weights file is not valid HDF5 (damaged or truncated)",
              "'" + label + "'", "a Keras weights file", "re-save the model; the file is damaged");
    refuse_foreign_links(f);
    return f;
}

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

bool exists(const File&, hid_t parent, const std::string& path) {
    const auto parts = split_path(path);
    return !parts.empty() && hard_path(parent, parts);
}

Handle open_group(const File& f, hid_t parent, const std::string& path) {
    const auto parts = split_path(path);
    if (!parts.empty() && !hard_path(parent, parts)) {
        damaged(f, "group '" + path + "' is missing", "'" + path + "'");
    }
    const std::string where = parts.empty() ? "." : joined(parts);
    H5O_info_t info;
    if (H5Oget_info_by_name(parent, where.c_str(), &info, H5P_DEFAULT) < 0 || info.type != H5O_TYPE_GROUP) {
        damaged(f, "'" + path + "' is not a group", "'" + path + "'");
    }
    Handle g(H5Gopen2(parent, where.c_str(), H5P_DEFAULT));
    if (!g.valid()) damaged(f, "group '" + path + "' cannot be opened", "'" + path + "'");
    return g;
}

bool has_attr(hid_t obj, const std::string& name) { return H5Aexists(obj, name.c_str()) > 0; }

std::optional<std::string> read_string_attr(const File& f, hid_t obj, const std::string& name) {
    if (!has_attr(obj, name)) return std::nullopt;
    Handle a = open_attr(obj, name);
    if (!a.valid()) damaged(f, "attribute '" + name + "' cannot be opened", name);
    auto v = read_strings(f, a.get(), name);
    if (v.size() != 1) damaged(f, "attribute '" + name + "' is not a single string", std::to_string(v.size()) + " values");
    return v[0];
}

std::optional<std::vector<std::string>> read_string_list_attr(const File& f, hid_t obj,
                                                              const std::string& name) {
    if (has_attr(obj, name)) {
        Handle a = open_attr(obj, name);
        if (!a.valid()) damaged(f, "attribute '" + name + "' cannot be opened", name);
        return read_strings(f, a.get(), name);
    }
    if (!has_attr(obj, name + "0")) return std::nullopt;
    std::vector<std::string> out;
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kMaxChunks && has_attr(obj, name + std::to_string(i)); ++i) {
        Handle a = open_attr(obj, name + std::to_string(i));
        for (auto& s : read_strings(f, a.get(), name + std::to_string(i))) {
            total += s.size();
            if (total > kMaxAttrBytes) damaged(f, "attribute '" + name + "' is too large", std::to_string(total) + " bytes");
            out.push_back(std::move(s));
        }
    }
    return out;
}

Shape dataset_shape(const File& f, hid_t parent, const std::string& path) {
    return open_checked_dataset(f, parent, path).shape;
}

Tensor read_dataset(const File& f, hid_t parent, const std::string& path) {
    DatasetInfo d = open_checked_dataset(f, parent, path);
    Tensor t = Tensor::empty(d.shape, DType::float32);
    if (d.elements > 0 &&
        H5Dread(d.id.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, t.raw_data()) < 0) {
        damaged(f, "weight '" + path + "' cannot be read (truncated or corrupt data)", "'" + path + "'");
    }
    return t;
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

std::int64_t read_int_scalar(const File& f, hid_t parent, const std::string& path) {
    const auto parts = split_path(path);
    if (parts.empty() || !hard_path(parent, parts)) {
        damaged(f, "'" + path + "' is missing (or is not a plain dataset)", "'" + path + "'");
    }
    H5O_info_t oinfo;
    const std::string where = joined(parts);
    if (H5Oget_info_by_name(parent, where.c_str(), &oinfo, H5P_DEFAULT) < 0 || oinfo.type != H5O_TYPE_DATASET) {
        damaged(f, "'" + path + "' is not a dataset", "'" + path + "'");
    }
    Handle d(H5Dopen2(parent, where.c_str(), H5P_DEFAULT));
    Handle type(d.valid() ? H5Dget_type(d.get()) : -1);
    Handle space(d.valid() ? H5Dget_space(d.get()) : -1);
    const H5T_class_t cls = type.valid() ? H5Tget_class(type.get()) : H5T_NO_CLASS;
    TFC_CHECK(space.valid() && (cls == H5T_INTEGER || cls == H5T_FLOAT) &&
                  H5Sget_simple_extent_npoints(space.get()) == 1,
              "load_model", "'" + path + "' is not a single number", "'" + f.label + "'",
              "a scalar step count", "the file is damaged; re-save it");
    double v = 0;
    if (H5Dread(d.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, &v) < 0 || !(v >= 0) || v > 1e15) {
        damaged(f, "'" + path + "' cannot be read as a step count", "'" + path + "'");
    }
    return static_cast<std::int64_t>(v);
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
