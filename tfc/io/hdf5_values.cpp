// The HDF5 reader's values: datatypes, dataspaces, attributes and dataset data (compact,
// contiguous, chunked with deflate / shuffle / fletcher32). Section numbers: HDF5 File Format
// Specification 3.0.
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <set>

#include "tfc/core/error.h"
#include "tfc/io/hdf5_reader_impl.h"

namespace tfc::io::h5 {
namespace {

constexpr std::uint64_t kMaxAttrBytes = std::uint64_t{64} << 20;  // 64 MiB per attribute
constexpr std::size_t kMaxChunks = 100000;                        // name0, name1, ... chunks
constexpr unsigned kMaxRank = 8;
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 36;
constexpr std::uint64_t kMaxChunkBytes = std::uint64_t{1} << 28;
constexpr int kMaxTreeDepth = 64;

struct Datatype {
    enum class Class { integer, floating, string, vlen_string } cls = Class::integer;
    std::uint32_t size = 0;
    bool big_endian = false;
    bool is_signed = false;
};

struct Dataspace {
    std::vector<std::uint64_t> dims;
    std::uint64_t elements = 1;
};

[[noreturn]] void unsupported(const Reader::Impl& f, const std::string& what,
                              const std::string& got) {
    fail("load_model", "the file uses " + what + ", which tfc does not read",
         got + " in '" + f.label + "'",
         "what h5py writes for Keras (numbers, strings, plain or chunked arrays)",
         "re-save the model with Keras (model.save) using h5py's default settings");
}

// IV.A.2.d
Datatype parse_datatype(const Reader::Impl& f, Cursor& c, int depth) {
    if (depth > 4) f.damaged("a datatype nests too deeply", "");
    const unsigned class_version = static_cast<unsigned>(c.u(1));
    const unsigned cls = class_version & 0x0F;
    const std::uint64_t bits = c.u(3);
    Datatype t;
    t.size = static_cast<std::uint32_t>(c.u(4));
    t.big_endian = (bits & 1) != 0;
    switch (cls) {
        case 0: {  // fixed-point: bit offset (2), precision (2)
            t.is_signed = (bits & 0x08) != 0;
            const std::uint64_t offset = c.u(2), precision = c.u(2);
            if ((t.size != 1 && t.size != 2 && t.size != 4 && t.size != 8) || offset != 0 ||
                precision != std::uint64_t{8} * t.size) {
                unsupported(
                    f, "an unusual integer type",
                    std::to_string(t.size) + " bytes, " + std::to_string(precision) + " bits");
            }
            return t;
        }
        case 1: {  // IEEE floating point: offset, precision, exponent/mantissa location and size,
                   // bias
            t.cls = Datatype::Class::floating;
            const std::uint64_t offset = c.u(2), precision = c.u(2), eloc = c.u(1), esize = c.u(1),
                                mloc = c.u(1), msize = c.u(1), bias = c.u(4);
            const bool ieee =
                offset == 0 && precision == std::uint64_t{8} * t.size && mloc == 0 &&
                (bits & 0x40) == 0 &&
                ((t.size == 2 && eloc == 10 && esize == 5 && msize == 10 && bias == 15) ||
                 (t.size == 4 && eloc == 23 && esize == 8 && msize == 23 && bias == 127) ||
                 (t.size == 8 && eloc == 52 && esize == 11 && msize == 52 && bias == 1023));
            if (!ieee)
                unsupported(f, "a non-IEEE floating-point type", std::to_string(t.size) + " bytes");
            return t;
        }
        case 3:  // fixed-length string
            t.cls = Datatype::Class::string;
            if (t.size == 0) f.damaged("a string type has length 0", "");
            return t;
        case 9: {  // variable-length: bits 0-3 = 1 for a string; the base type follows
            if ((bits & 0x0F) != 1) unsupported(f, "variable-length sequences", "a vlen datatype");
            t.cls = Datatype::Class::vlen_string;
            const Datatype base = parse_datatype(f, c, depth + 1);
            if (base.size != 1)
                f.damaged("a variable-length string has characters of several bytes",
                          std::to_string(base.size));
            if (t.size != 4 + f.offset_size + 4)
                f.damaged("a variable-length string type has a wrong size", std::to_string(t.size));
            return t;
        }
        default:
            unsupported(f, "HDF5 datatype class " + std::to_string(cls),
                        "class " + std::to_string(cls));
    }
}

// IV.A.2.b
Dataspace parse_dataspace(const Reader::Impl& f, const std::string& bytes,
                          const std::string& owner) {
    Cursor c(f, bytes, "a dataspace message");
    const std::uint64_t version = c.u(1), rank = c.u(1), flags = c.u(1);
    bool null = false;
    if (version == 1) {
        c.skip(5);
    } else if (version == 2) {
        null = c.u(1) == 2;
    } else {
        f.damaged("a dataspace has an unknown version", std::to_string(version));
    }
    if (rank > 32 || (flags & 2))
        f.damaged("a dataspace is invalid", "rank " + std::to_string(rank));
    Dataspace s;
    for (std::uint64_t i = 0; i < rank; ++i) {
        const std::uint64_t d = c.length();
        if (d > kMaxElements || (d > 0 && s.elements > kMaxElements / d)) {
            fail("load_model", owner + " claims an impossible size",
                 "a dimension of " + std::to_string(d) + " in '" + f.label + "'",
                 "at most 2^36 elements", "the file is damaged or hostile");
        }
        s.dims.push_back(d);
        s.elements *= d;
    }
    if (null) s.elements = 0;
    return s;
}

struct Attribute {
    Datatype type;
    Dataspace space;
    std::string data;
};

std::uint64_t pad8(std::uint64_t n) { return (n + 7) & ~std::uint64_t{7}; }

// IV.A.2.m: versions 1 (fields padded to 8 bytes), 2 and 3.
std::optional<Attribute> find_attribute(Reader::Impl& f, std::uint64_t obj,
                                        const std::string& wanted,
                                        std::vector<std::string>* names = nullptr) {
    for (const auto& m : f.header(obj)) {
        if (m.type == kAttributeInfo) {
            Cursor c(f, m.data, "an attribute info message");
            c.skip(1);
            if (c.u(1) & 1) c.skip(2);
            if (c.address() != kUndefinedAddress)
                unsupported(f, "dense attribute storage", "an object");
            continue;
        }
        if (m.type != kAttribute) continue;
        Cursor c(f, m.data, "an attribute message");
        const std::uint64_t version = c.u(1);
        if (version < 1 || version > 3)
            f.damaged("an attribute has an unknown version", std::to_string(version));
        if (c.u(1) & 3) unsupported(f, "shared attribute types", "an attribute");
        const std::uint64_t name_size = c.u(2), type_size = c.u(2), space_size = c.u(2);
        if (version == 3) c.skip(1);
        const auto padded = [&](std::uint64_t n) { return version == 1 ? pad8(n) : n; };
        std::string name = c.take(padded(name_size));
        name = name.substr(
            0, std::min<std::size_t>(name.find('\0'), static_cast<std::size_t>(name_size)));
        if (names) {
            names->push_back(name);
            continue;
        }
        if (name != wanted) continue;
        const std::string type_bytes = c.take(padded(type_size));
        Cursor tc(f, type_bytes, "an attribute's datatype");
        Attribute a;
        a.type = parse_datatype(f, tc, 0);
        a.space = parse_dataspace(f, c.take(padded(space_size)), "attribute '" + name + "'");
        const std::uint64_t bytes = a.space.elements * a.type.size;
        if (bytes > c.remaining())
            f.damaged("attribute '" + name + "' holds less data than its shape needs",
                      std::to_string(c.remaining()) + " bytes");
        a.data = c.take(bytes);
        return a;
    }
    return std::nullopt;
}

double number_at(const Datatype& t, const char* p) {
    unsigned char b[8] = {};
    const std::size_t n = std::min<std::size_t>(t.size, 8);  // 1, 2, 4 or 8 after parse_datatype
    std::memcpy(b, p, n);
    if (t.big_endian) std::reverse(b, b + n);
    if (t.cls == Datatype::Class::floating) {
        if (t.size == 8) {
            double d;
            std::memcpy(&d, b, 8);
            return d;
        }
        if (t.size == 4) {
            float x;
            std::memcpy(&x, b, 4);
            return x;
        }
        // IEEE half: sign, 5 exponent bits (bias 15), 10 mantissa bits.
        const unsigned h = b[0] | (b[1] << 8);
        const unsigned e = (h >> 10) & 0x1F, m = h & 0x3FF;
        const double sign = (h & 0x8000) ? -1.0 : 1.0;
        if (e == 0) return sign * std::ldexp(m, -24);
        if (e == 31) return m ? NAN : sign * INFINITY;
        return sign * std::ldexp(1024 + m, static_cast<int>(e) - 25);
    }
    const std::uint64_t u = decode_le(b, t.size);
    if (t.is_signed && t.size < 8 && (u >> (8 * t.size - 1)))
        return static_cast<double>(u) - std::ldexp(1.0, 8 * static_cast<int>(t.size));
    return t.is_signed ? static_cast<double>(static_cast<std::int64_t>(u)) : static_cast<double>(u);
}

std::vector<std::string> attribute_strings(Reader::Impl& f, const Attribute& a,
                                           const std::string& name) {
    const std::uint64_t count = a.space.elements;
    std::vector<std::string> out;
    if (a.type.cls == Datatype::Class::integer || a.type.cls == Datatype::Class::floating) {
        if (count == 0) return out;  // Keras writes an empty float64 array for "no names"
        f.damaged("attribute '" + name + "' is not a string", "'" + name + "'");
    }
    const std::uint64_t limit = std::min(kMaxAttrBytes, f.size);
    std::uint64_t total = 0;
    for (std::uint64_t i = 0; i < count; ++i) {
        const char* p = a.data.data() + i * a.type.size;
        if (a.type.cls == Datatype::Class::string) {
            out.emplace_back(p, strnlen(p, a.type.size));
        } else {  // length (4), collection address, object index (4)
            const auto* u = reinterpret_cast<const unsigned char*>(p);
            const std::uint64_t len = decode_le(u, 4);
            total += len;
            if (total > limit)
                f.damaged("attribute '" + name + "' is too large",
                          std::to_string(total) + " bytes");
            out.push_back(len == 0 ? std::string()
                                   : f.global_object(decode_le(u + 4, f.offset_size),
                                                     static_cast<std::uint32_t>(
                                                         decode_le(u + 4 + f.offset_size, 4)),
                                                     len));
            out.back().resize(strnlen(out.back().c_str(), out.back().size()));
        }
    }
    return out;
}

// IV.A.2.i
struct Layout {
    enum class Kind { compact, contiguous, chunked } kind = Kind::contiguous;
    std::string compact;
    std::uint64_t addr = kUndefinedAddress;
    std::vector<std::uint64_t> chunk;  // chunk dims, then the element size
};

Layout parse_layout(const Reader::Impl& f, const std::string& bytes) {
    Cursor c(f, bytes, "a data layout message");
    const std::uint64_t version = c.u(1);
    Layout l;
    if (version == 1 || version == 2) {
        const std::uint64_t dims = c.u(1), cls = c.u(1);
        c.skip(5);
        if (cls > 2) f.damaged("a dataset has an unknown layout", std::to_string(cls));
        l.kind = static_cast<Layout::Kind>(cls);
        if (cls != 0) l.addr = c.address();
        for (std::uint64_t i = 0; i < dims; ++i) l.chunk.push_back(c.u(4));
        if (cls == 0) l.compact = c.take(c.u(4));
        if (cls != 2) l.chunk.clear();
        return l;
    }
    if (version != 3) unsupported(f, "data layout version " + std::to_string(version), "a dataset");
    const std::uint64_t cls = c.u(1);
    if (cls == 0) {
        l.kind = Layout::Kind::compact;
        l.compact = c.take(c.u(2));
    } else if (cls == 1) {
        l.addr = c.address();
        c.length();
    } else if (cls == 2) {
        l.kind = Layout::Kind::chunked;
        const std::uint64_t dims = c.u(1);
        l.addr = c.address();
        for (std::uint64_t i = 0; i < dims; ++i) l.chunk.push_back(c.u(4));
    } else {
        unsupported(f, "a virtual or unknown storage layout", "layout " + std::to_string(cls));
    }
    return l;
}

// IV.A.2.l: filter ids in pipeline order (1 deflate, 2 shuffle, 3 fletcher32).
std::vector<unsigned> parse_filters(const Reader::Impl& f, const std::string& bytes,
                                    const std::string& path) {
    Cursor c(f, bytes, "a filter pipeline message");
    const std::uint64_t version = c.u(1), n = c.u(1);
    if (version == 1)
        c.skip(6);
    else if (version != 2)
        f.damaged("a filter pipeline has an unknown version", std::to_string(version));
    std::vector<unsigned> ids;
    for (std::uint64_t i = 0; i < n; ++i) {
        const auto id = static_cast<unsigned>(c.u(2));
        const std::uint64_t name_len = (version == 1 || id >= 256) ? c.u(2) : 0;
        c.skip(2);  // flags
        const std::uint64_t values = c.u(2);
        c.skip(version == 1 ? pad8(name_len) : name_len);
        c.skip(4 * values + (version == 1 && values % 2 ? 4 : 0));
        TFC_CHECK(id >= 1 && id <= 3, "load_model",
                  "weight '" + path + "' uses an unsupported compression filter",
                  "filter " + std::to_string(id), "none, deflate, shuffle or fletcher32",
                  "re-save the model without custom compression");
        ids.push_back(id);
    }
    return ids;
}

struct Dataset {
    Datatype type;
    Dataspace space;
    Layout layout;
    std::vector<unsigned> filters;
};

Dataset open_dataset(Reader::Impl& f, std::uint64_t parent, const std::string& path) {
    const auto addr = split_path(path).empty() ? std::nullopt : resolve(f, parent, path);
    if (!addr)
        f.damaged("weight '" + path + "' is missing (or is not a plain dataset)", "'" + path + "'");
    Dataset d;
    bool has_type = false, has_space = false, has_layout = false;
    for (const auto& m : f.header(*addr)) {
        if (m.type == kDatatype) {
            Cursor c(f, m.data, "a datatype message");
            d.type = parse_datatype(f, c, 0);
            has_type = true;
        } else if (m.type == kDataspace) {
            d.space = parse_dataspace(f, m.data, "weight '" + path + "'");
            has_space = true;
        } else if (m.type == kLayout) {
            d.layout = parse_layout(f, m.data);
            has_layout = true;
        } else if (m.type == kFilterPipeline) {
            d.filters = parse_filters(f, m.data, path);
        } else if (m.type == kExternalFiles) {
            fail("load_model", "weight '" + path + "' stores its data in an external file",
                 "'" + f.label + "'", "data inside the file",
                 "a model file must be self-contained; re-save it");
        }
    }
    if (!has_type || !has_space || !has_layout)
        f.damaged("weight '" + path + "' is not a dataset", "'" + path + "'");
    if (d.space.dims.size() > kMaxRank)
        f.damaged("weight '" + path + "' has an invalid shape",
                  "rank " + std::to_string(d.space.dims.size()));
    // Stored data is no larger than the file; deflate expands at most 1032:1 (zlib's limit).
    const bool deflated = std::find(d.filters.begin(), d.filters.end(), 1u) != d.filters.end();
    const std::uint64_t bytes = d.space.elements * d.type.size;
    const std::uint64_t limit = deflated ? f.size * 1032 : f.size;
    TFC_CHECK(bytes <= limit, "load_model",
              "weight '" + path + "' claims more data than the file holds",
              std::to_string(bytes) + " bytes declared, file '" + f.label + "' has " +
                  std::to_string(f.size),
              deflated ? "at most 1032 times the file (deflate's limit)"
                       : "a size no larger than the file",
              "the file is damaged or hostile");
    return d;
}

void unshuffle(std::string& data, std::uint32_t width) {
    if (width <= 1) return;
    const std::size_t n = data.size() / width;
    std::string out(data);
    for (std::size_t b = 0; b < width; ++b) {
        for (std::size_t i = 0; i < n; ++i) out[i * width + b] = data[b * n + i];
    }
    data = std::move(out);
}

// III.A.1 (type 1): the chunk B-tree; each leaf entry is a chunk's stored size, filter mask and
// offsets, pointing at its bytes. Chunks are unfiltered and copied into `out`.
struct ChunkWalk {
    Reader::Impl& f;
    const Dataset& d;
    const std::string& path;
    char* out;
    std::uint64_t chunk_bytes = 0;
    std::set<std::uint64_t> seen;

    void chunk(std::uint64_t addr, std::uint64_t stored, std::uint32_t mask,
               const std::vector<std::uint64_t>& offset) {
        const auto& dims = d.space.dims;
        const auto& cd = d.layout.chunk;
        for (std::size_t i = 0; i < dims.size(); ++i) {
            if (offset[i] % cd[i] != 0 || offset[i] >= dims[i])
                f.damaged("weight '" + path + "' has a chunk outside the array",
                          "offset " + std::to_string(offset[i]));
        }
        std::string data = f.fetch(addr, stored, "a chunk of weight '" + path + "'");
        for (std::size_t k = d.filters.size(); k-- > 0;) {
            if (mask & (1u << k)) continue;
            if (d.filters[k] == 3) {
                if (data.size() < 4)
                    f.damaged("weight '" + path + "' has a chunk without its checksum", "");
                data.resize(data.size() - 4);
            } else if (d.filters[k] == 2) {
                unshuffle(data, d.type.size);
            } else {
                // Room for the chunk and the checksums of filters applied before deflate.
                std::string plain(static_cast<std::size_t>(chunk_bytes + 4 * d.filters.size()),
                                  '\0');
                auto n = static_cast<uLongf>(plain.size());
                if (uncompress(reinterpret_cast<Bytef*>(plain.data()), &n,
                               reinterpret_cast<const Bytef*>(data.data()),
                               static_cast<uLong>(data.size())) != Z_OK) {
                    f.damaged("weight '" + path + "' has a chunk that does not decompress",
                              std::to_string(stored) + " bytes");
                }
                plain.resize(n);
                data = std::move(plain);
            }
        }
        if (data.size() != chunk_bytes)
            f.damaged("weight '" + path + "' has a chunk of the wrong size",
                      std::to_string(data.size()) + " bytes");
        // Copy row by row (runs along the last dimension), clipping at the array's edges.
        const std::size_t rank = dims.size();
        const std::uint64_t w = d.type.size;
        if (rank == 0) {
            std::memcpy(out, data.data(), static_cast<std::size_t>(w));
            return;
        }
        const std::uint64_t run = std::min(cd[rank - 1], dims[rank - 1] - offset[rank - 1]);
        std::vector<std::uint64_t> idx(rank, 0);  // position inside the chunk (last dim stays 0)
        while (true) {
            bool inside = true;
            std::uint64_t src = 0, dst = 0;
            for (std::size_t i = 0; i < rank; ++i) {
                if (offset[i] + idx[i] >= dims[i]) inside = false;
                src = src * cd[i] + idx[i];
                dst = dst * dims[i] + offset[i] + idx[i];
            }
            if (inside)
                std::memcpy(out + dst * w, data.data() + src * w,
                            static_cast<std::size_t>(run * w));
            std::size_t i = rank - 1;
            while (i-- > 0) {
                if (++idx[i] < cd[i]) break;
                idx[i] = 0;
            }
            if (i == static_cast<std::size_t>(-1)) break;
        }
    }

    void node(std::uint64_t addr, int depth) {
        if (!seen.insert(addr).second || depth > kMaxTreeDepth)
            f.damaged("weight '" + path + "' has a chunk index that loops", "");
        const unsigned O = f.offset_size;
        const std::string hdr = f.fetch(addr, 8 + 2 * O, "a chunk index node");
        const auto* p = reinterpret_cast<const unsigned char*>(hdr.data());
        if (hdr.compare(0, 4, "TREE") != 0 || p[4] != 1)
            f.damaged("weight '" + path + "' has an invalid chunk index", "");
        const unsigned level = p[5], entries = p[6] | (p[7] << 8);
        const std::uint64_t key = 8 + 8 * d.layout.chunk.size();
        const std::string body =
            f.fetch(addr + 8 + std::uint64_t{2} * O, std::uint64_t{entries} * (key + O) + key,
                    "a chunk index node");
        Cursor c(f, body, "a chunk index node");
        for (unsigned e = 0; e < entries; ++e) {
            const std::uint64_t stored = c.u(4);
            const auto mask = static_cast<std::uint32_t>(c.u(4));
            std::vector<std::uint64_t> offset;
            for (std::size_t i = 0; i < d.layout.chunk.size(); ++i) offset.push_back(c.u(8));
            const std::uint64_t child = c.address();
            if (level > 0) {
                node(child, depth + 1);
            } else {
                chunk(child, stored, mask, offset);
            }
        }
    }
};

// The dataset's bytes in row-major order (elements * type size); unwritten data reads as zeros.
// Writes the dataset's bytes in row-major order (elements * type size) to `out`; data never
// written (an undefined address, chunks absent from the index) reads as zeros.
void dataset_bytes(Reader::Impl& f, const Dataset& d, const std::string& path, char* out) {
    const std::uint64_t bytes = d.space.elements * d.type.size;
    if (d.layout.kind == Layout::Kind::compact) {
        if (d.layout.compact.size() < bytes)
            f.damaged("weight '" + path + "' holds less data than its shape needs", "");
        std::memcpy(out, d.layout.compact.data(), static_cast<std::size_t>(bytes));
        return;
    }
    if (d.layout.kind == Layout::Kind::contiguous && bytes > 0 &&
        d.layout.addr != kUndefinedAddress) {
        if (!d.filters.empty())
            f.damaged("weight '" + path + "' has filters on contiguous data", "");
        f.fetch_into(d.layout.addr, out, bytes, "the data of weight '" + path + "'");
        return;
    }
    std::memset(out, 0, static_cast<std::size_t>(bytes));
    if (bytes == 0 || d.layout.addr == kUndefinedAddress) return;
    const auto& cd = d.layout.chunk;
    if (cd.size() != d.space.dims.size() + 1 || cd.back() != d.type.size) {
        f.damaged("weight '" + path + "' has chunks that do not fit its shape",
                  std::to_string(cd.size()) + " chunk dimensions");
    }
    ChunkWalk walk{f, d, path, out};
    walk.chunk_bytes = d.type.size;
    for (std::size_t i = 0; i + 1 < cd.size(); ++i) {
        if (cd[i] == 0 || walk.chunk_bytes * cd[i] > kMaxChunkBytes)
            f.damaged("weight '" + path + "' has an invalid chunk size", std::to_string(cd[i]));
        walk.chunk_bytes *= cd[i];
    }
    walk.node(d.layout.addr, 0);
}

}  // namespace

std::vector<std::string> attr_names(const Reader& f, Node obj) {
    std::vector<std::string> names;
    find_attribute(f.impl(), obj.addr, "", &names);
    return names;
}

bool has_attr(const Reader& f, Node obj, const std::string& name) {
    const auto names = attr_names(f, obj);
    return std::find(names.begin(), names.end(), name) != names.end();
}

std::optional<std::string> read_string_attr(const Reader& f, Node obj, const std::string& name) {
    const auto a = find_attribute(f.impl(), obj.addr, name);
    if (!a) return std::nullopt;
    auto v = attribute_strings(f.impl(), *a, name);
    if (v.size() != 1)
        f.impl().damaged("attribute '" + name + "' is not a single string",
                         std::to_string(v.size()) + " values");
    return v[0];
}

std::optional<std::vector<std::string>> read_string_list_attr(const Reader& f, Node obj,
                                                              const std::string& name) {
    if (const auto a = find_attribute(f.impl(), obj.addr, name))
        return attribute_strings(f.impl(), *a, name);
    std::vector<std::string> out;
    std::uint64_t total = 0;
    std::size_t i = 0;
    for (; i < kMaxChunks; ++i) {
        const std::string part = name + std::to_string(i);
        const auto a = find_attribute(f.impl(), obj.addr, part);
        if (!a) break;
        for (auto& s : attribute_strings(f.impl(), *a, part)) {
            total += s.size();
            if (total > kMaxAttrBytes)
                f.impl().damaged("attribute '" + name + "' is too large",
                                 std::to_string(total) + " bytes");
            out.push_back(std::move(s));
        }
    }
    if (i == 0) return std::nullopt;
    return out;
}

std::vector<double> read_number_attr(const Reader& f, Node obj, const std::string& name) {
    const auto a = find_attribute(f.impl(), obj.addr, name);
    if (!a) f.impl().damaged("attribute '" + name + "' is missing", "'" + name + "'");
    if (a->type.cls != Datatype::Class::integer && a->type.cls != Datatype::Class::floating) {
        f.impl().damaged("attribute '" + name + "' is not a number", "'" + name + "'");
    }
    std::vector<double> out;
    for (std::uint64_t i = 0; i < a->space.elements; ++i)
        out.push_back(number_at(a->type, a->data.data() + i * a->type.size));
    return out;
}

Shape dataset_shape(const Reader& f, Node parent, const std::string& path) {
    const Dataset d = open_dataset(f.impl(), parent.addr, path);
    Shape s;
    for (const auto dim : d.space.dims) s.push_back(static_cast<std::int64_t>(dim));
    return s;
}

Tensor read_dataset(const Reader& f, Node parent, const std::string& path) {
    const Dataset d = open_dataset(f.impl(), parent.addr, path);
    TFC_CHECK(d.type.cls == Datatype::Class::floating, "load_model",
              "weight '" + path + "' is not a floating-point array", "'" + f.label() + "'",
              "float16, float32 or float64 data", "re-save the model");
    Shape shape;
    for (const auto dim : d.space.dims) shape.push_back(static_cast<std::int64_t>(dim));
    Tensor t = Tensor::empty(shape, DType::float32);
    auto* out = static_cast<float*>(t.raw_data());
    if (d.type.size == 4 && !d.type.big_endian) {  // what Keras writes: straight into the tensor
        dataset_bytes(f.impl(), d, path, reinterpret_cast<char*>(out));
        return t;
    }
    std::string raw(static_cast<std::size_t>(d.space.elements * d.type.size), '\0');
    dataset_bytes(f.impl(), d, path, raw.data());
    for (std::uint64_t i = 0; i < d.space.elements; ++i)
        out[i] = static_cast<float>(number_at(d.type, raw.data() + i * d.type.size));
    return t;
}

std::int64_t read_int_scalar(const Reader& f, Node parent, const std::string& path) {
    const Dataset d = open_dataset(f.impl(), parent.addr, path);
    TFC_CHECK((d.type.cls == Datatype::Class::integer || d.type.cls == Datatype::Class::floating) &&
                  d.space.elements == 1,
              "load_model", "'" + path + "' is not a single number", "'" + f.label() + "'",
              "a scalar step count", "the file is damaged; re-save it");
    char raw[8] = {};
    dataset_bytes(f.impl(), d, path, raw);
    const double v = number_at(d.type, raw);
    if (!(v >= 0) || v > 1e15)
        f.impl().damaged("'" + path + "' cannot be read as a step count", "'" + path + "'");
    return static_cast<std::int64_t>(v);
}

}  // namespace tfc::io::h5
