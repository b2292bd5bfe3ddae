// The HDF5 reader's file structure: superblock, object headers, groups (symbol tables and link
// messages), local and global heaps, paths. Section numbers: HDF5 File Format Specification 3.0.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "tfc/core/error.h"
#include "tfc/io/hdf5_reader_impl.h"

namespace tfc::io::h5 {
namespace {

constexpr char kSignature[] = "\x89HDF\r\n\x1a\n";
constexpr int kMaxGroupDepth = 64;  // a Keras file nests a few levels
constexpr std::size_t kMaxHeaderChunks = 4096;
constexpr std::size_t kMaxMessages = 1 << 20;
constexpr std::size_t kMaxTreeNodes = 1 << 20;
constexpr std::uint64_t kMaxName = 1 << 16;

std::string at(std::uint64_t addr) { return "at offset " + std::to_string(addr); }

void check_width(const Reader::Impl& f, unsigned w, const char* what) {
    if (w != 2 && w != 4 && w != 8)
        f.damaged(std::string("the superblock's ") + what + " is invalid", std::to_string(w));
}

// II.A: the superblock is at 0, 512, 1024, 2048, ... (after a user block).
void read_superblock(Reader::Impl& f) {
    for (std::uint64_t pos = 0; pos + 8 <= f.size; pos = pos == 0 ? 512 : 2 * pos) {
        char sig[8];
        f.fetch_into(pos, sig, 8, "the signature");
        if (std::memcmp(sig, kSignature, 8) != 0) continue;
        // The superblock with the root entry is under 256 bytes for every width.
        const std::string sb =
            f.fetch(pos, std::min<std::uint64_t>(256, f.size - pos), "the superblock");
        const auto* p = reinterpret_cast<const unsigned char*>(sb.data());
        if (sb.size() < 24)
            f.damaged("the superblock is truncated", std::to_string(sb.size()) + " bytes");
        const unsigned version = p[8];
        TFC_CHECK(version <= 1, "load_model",
                  "the HDF5 file uses a format version tfc does not read",
                  "superblock version " + std::to_string(version) + " in '" + f.label + "'",
                  "version 0 or 1 (what h5py and Keras write by default)",
                  "re-save the model with Keras (h5py's default libver)");
        f.offset_size = p[13];
        f.length_size = p[14];
        check_width(f, f.offset_size, "size of offsets");
        check_width(f, f.length_size, "size of lengths");
        Cursor c(f, sb, "the superblock");
        c.skip(24 + (version == 1 ? 4 : 0));
        f.base = c.address();
        c.address();  // free-space info
        c.address();  // end of file
        c.address();  // driver info
        TFC_CHECK(f.base <= pos, "load_model", "the superblock's base address is outside the file",
                  std::to_string(f.base) + " in '" + f.label + "'",
                  "the superblock's own offset or 0", "the file is damaged; re-save the model");
        // Root group symbol table entry (III.C): link name offset, object header address, ...
        c.address();
        f.root = c.address();
        return;
    }
    fail("load_model", "not an HDF5 file (or truncated)",
         "'" + f.label + "' (" + std::to_string(f.size) + " bytes)", "a Keras .h5 file",
         "check that the file was saved completely with model.save(\"...h5\")");
}

// III.B: a local heap holds a symbol-table group's names. The free list is checked too, bounded,
// although names are read directly: a list that loops marks a damaged (or hostile) file.
std::string local_heap(const Reader::Impl& f, std::uint64_t addr) {
    const unsigned L = f.length_size, O = f.offset_size;
    const std::string hdr = f.fetch(addr, 8 + 2 * L + O, "a local heap");
    if (hdr.compare(0, 4, "HEAP") != 0 || hdr[4] != 0)
        f.damaged("a group's name heap is invalid", at(addr));
    Cursor c(f, hdr, "a local heap");
    c.skip(8);
    const std::uint64_t data_size = c.length();
    std::uint64_t free_block = c.length();
    const std::uint64_t data_addr = c.address();
    TFC_CHECK(data_size <= f.size, "load_model",
              "a group's name heap claims more data than the file holds",
              std::to_string(data_size) + " bytes " + at(addr) + " of '" + f.label + "' (" +
                  std::to_string(f.size) + " bytes)",
              "a size no larger than the file",
              "the file is damaged or hostile; re-save the model");
    std::string data = f.fetch(data_addr, data_size, "a group's name heap");
    const std::uint64_t max_steps = data_size / (std::uint64_t{2} * L) + 1;
    for (std::uint64_t steps = 0; free_block != 1 && free_block != kUndefinedAddress; ++steps) {
        TFC_CHECK(steps < max_steps, "load_model", "a group's name heap has a free list that loops",
                  "the heap " + at(addr) + " of '" + f.label + "'", "a free list that ends",
                  "the file is damaged or hostile; re-save the model");
        if (free_block > data_size || data_size - free_block < std::uint64_t{2} * L) {
            f.damaged("a group's name heap has a free block outside it", at(addr));
        }
        free_block = decode_le(reinterpret_cast<const unsigned char*>(data.data() + free_block), L);
    }
    return data;
}

std::string heap_name(const Reader::Impl& f, const std::string& heap, std::uint64_t offset) {
    if (offset >= heap.size())
        f.damaged("a link name lies outside its group's name heap",
                  "offset " + std::to_string(offset));
    const std::size_t end = heap.find('\0', static_cast<std::size_t>(offset));
    if (end == std::string::npos || end - offset > kMaxName)
        f.damaged("a link name is not terminated", "offset " + std::to_string(offset));
    return heap.substr(static_cast<std::size_t>(offset), end - static_cast<std::size_t>(offset));
}

// III.A.1 (type 0, group nodes) and III.C: the symbol-table B-tree's leaves point to symbol
// table nodes ("SNOD"), whose entries name the members.
struct GroupWalk {
    Reader::Impl& f;
    const std::string& heap;
    std::vector<Link>& out;
    std::set<std::uint64_t> seen;

    void symbol_node(std::uint64_t addr) {
        const unsigned O = f.offset_size;
        const std::string hdr = f.fetch(addr, 8, "a symbol table node");
        if (hdr.compare(0, 4, "SNOD") != 0 || hdr[4] != 1)
            f.damaged("a group's symbol table node is invalid", at(addr));
        const unsigned count =
            static_cast<unsigned char>(hdr[6]) | (static_cast<unsigned char>(hdr[7]) << 8);
        const std::uint64_t entry = 2 * O + 24;
        const std::string body = f.fetch(addr + 8, count * entry, "a symbol table node");
        Cursor c(f, body, "a symbol table node");
        for (unsigned i = 0; i < count; ++i) {
            Link link;
            link.name = heap_name(f, heap, c.address());
            link.addr = c.address();
            const std::uint64_t cache = c.u(4);
            c.skip(4 + 16);
            if (cache == 2) link.kind = Link::Kind::soft;
            out.push_back(std::move(link));
        }
    }

    void node(std::uint64_t addr, int depth) {
        const unsigned O = f.offset_size, L = f.length_size;
        if (!seen.insert(addr).second || seen.size() > kMaxTreeNodes || depth > kMaxGroupDepth) {
            f.damaged("a group's B-tree revisits a node or is too deep", at(addr));
        }
        const std::string hdr = f.fetch(addr, 8 + 2 * O, "a B-tree node");
        const auto* p = reinterpret_cast<const unsigned char*>(hdr.data());
        if (hdr.compare(0, 4, "TREE") != 0 || p[4] != 0)
            f.damaged("a group's B-tree node is invalid", at(addr));
        const unsigned level = p[5];
        const unsigned entries = p[6] | (p[7] << 8);
        const std::string body = f.fetch(addr + 8 + std::uint64_t{2} * O,
                                         std::uint64_t{entries} * (L + O) + L, "a B-tree node");
        Cursor c(f, body, "a B-tree node");
        std::vector<std::uint64_t> children;
        for (unsigned i = 0; i < entries; ++i) {
            c.length();  // key: a name offset
            children.push_back(c.address());
        }
        for (const std::uint64_t child : children) {
            if (level > 0) {
                node(child, depth + 1);
            } else {
                if (!seen.insert(child).second)
                    f.damaged("a group's B-tree names a node twice", at(child));
                symbol_node(child);
            }
        }
    }
};

// IV.A.2.g: a link message of a "new style" group (compact storage).
Link link_message(const Reader::Impl& f, const std::string& data) {
    Cursor c(f, data, "a link message");
    if (c.u(1) != 1) f.damaged("a link message has an unknown version", "");
    const unsigned flags = static_cast<unsigned>(c.u(1));
    unsigned type = 0;
    if (flags & 0x08) type = static_cast<unsigned>(c.u(1));
    if (flags & 0x04) c.skip(8);  // creation order
    if (flags & 0x10) c.skip(1);  // character set
    const std::uint64_t name_len = c.u(1u << (flags & 3));
    if (name_len == 0 || name_len > kMaxName)
        f.damaged("a link message has an invalid name length", std::to_string(name_len));
    Link link;
    link.name = c.take(name_len);
    if (type == 0) {
        link.addr = c.address();
    } else {
        link.kind = type == 1 ? Link::Kind::soft : Link::Kind::external;
    }
    return link;
}

}  // namespace

std::uint64_t decode_le(const unsigned char* p, unsigned width) {
    std::uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i) v |= std::uint64_t{p[i]} << (8 * i);
    return v;
}

std::uint64_t Cursor::u(unsigned width) {
    if (remaining() < width)
        f_.damaged(what_ + " is truncated", "needs " + std::to_string(width) + " more bytes");
    const std::uint64_t v =
        decode_le(reinterpret_cast<const unsigned char*>(bytes_.data() + pos_), width);
    pos_ += width;
    return v;
}

void Cursor::skip(std::uint64_t n) {
    if (remaining() < n)
        f_.damaged(what_ + " is truncated", "needs " + std::to_string(n) + " more bytes");
    pos_ += n;
}

std::string Cursor::take(std::uint64_t n) {
    if (remaining() < n)
        f_.damaged(what_ + " is truncated", "needs " + std::to_string(n) + " more bytes");
    std::string s = bytes_.substr(static_cast<std::size_t>(pos_), static_cast<std::size_t>(n));
    pos_ += n;
    return s;
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

Reader::Impl::~Impl() {
    if (fd >= 0) ::close(fd);
}

void Reader::Impl::damaged(const std::string& problem, const std::string& got) const {
    fail("load_model", problem, (got.empty() ? "" : got + " ") + "in '" + label + "'",
         "a well-formed Keras file",
         "the file is damaged, truncated or not written by Keras; re-save the model");
}

void Reader::Impl::fetch_into(std::uint64_t addr, void* dst, std::uint64_t n,
                              const std::string& what) const {
    const std::uint64_t off = addr + base;
    if (addr == kUndefinedAddress || off < addr || off > size || n > size - off) {
        damaged(what + " lies outside the file", std::to_string(n) + " bytes at offset " +
                                                     std::to_string(addr) + " of " +
                                                     std::to_string(size));
    }
    if (n == 0) return;
    if (fd < 0) {
        std::memcpy(dst, image.data() + off, static_cast<std::size_t>(n));
        return;
    }
    auto* out = static_cast<char*>(dst);
    for (std::uint64_t done = 0; done < n;) {
        const ssize_t r = ::pread(
            fd, out + done, static_cast<std::size_t>(std::min<std::uint64_t>(n - done, 1u << 30)),
            static_cast<off_t>(off + done));
        if (r <= 0) damaged("the file cannot be read (changed or truncated while reading)", what);
        done += static_cast<std::uint64_t>(r);
    }
}

std::string Reader::Impl::fetch(std::uint64_t addr, std::uint64_t n,
                                const std::string& what) const {
    if (n > size)
        damaged(what + " claims more data than the file holds", std::to_string(n) + " bytes");
    std::string s(static_cast<std::size_t>(n), '\0');
    fetch_into(addr, s.data(), n, what);
    return s;
}

// IV.A.1.a: a version-1 object header (prefix of 16 bytes) and its continuation blocks.
const std::vector<Message>& Reader::Impl::header(std::uint64_t addr) {
    if (auto it = headers.find(addr); it != headers.end()) return it->second;
    const std::string prefix = fetch(addr, 16, "an object header");
    const auto* p = reinterpret_cast<const unsigned char*>(prefix.data());
    TFC_CHECK(prefix.compare(0, 4, "OHDR") != 0, "load_model",
              "the HDF5 file uses version-2 object headers, which tfc does not read",
              "an object " + at(addr) + " in '" + label + "'",
              "version-1 headers (h5py's default libver)",
              "re-save the model with Keras (h5py's default settings)");
    if (p[0] != 1)
        damaged("an object header has an unknown version",
                at(addr) + " (version " + std::to_string(p[0]) + ")");
    std::vector<Message> messages;
    std::vector<std::pair<std::uint64_t, std::uint64_t>> chunks = {
        {addr + 16, decode_le(p + 8, 4)}};
    std::set<std::uint64_t> seen = {addr + 16};
    for (std::size_t i = 0; i < chunks.size(); ++i) {
        if (i >= kMaxHeaderChunks)
            damaged("an object header has too many continuation blocks", at(addr));
        const std::string chunk = fetch(chunks[i].first, chunks[i].second, "an object header");
        Cursor c(*this, chunk, "an object header message");
        while (c.remaining() >= 8) {
            Message m;
            m.type = static_cast<std::uint16_t>(c.u(2));
            const std::uint64_t n = c.u(2);
            m.flags = static_cast<std::uint8_t>(c.u(1));
            c.skip(3);
            m.data = c.take(n);
            if (messages.size() >= kMaxMessages)
                damaged("an object header has too many messages", at(addr));
            if (m.type == kContinuation) {
                Cursor cc(*this, m.data, "a continuation message");
                const std::uint64_t where = cc.address();
                const std::uint64_t len = cc.length();
                if (!seen.insert(where).second)
                    damaged("an object header's continuation blocks form a loop", at(addr));
                chunks.emplace_back(where, len);
                continue;
            }
            if (m.flags & 0x02) {
                TFC_CHECK(
                    m.type != kDatatype && m.type != kDataspace && m.type != kAttribute &&
                        m.type != kLayout && m.type != kFilterPipeline,
                    "load_model",
                    "the file uses shared (committed) header messages, which tfc does not read",
                    "message type " + std::to_string(m.type) + " " + at(addr) + " in '" + label +
                        "'",
                    "messages stored in place", "re-save the model with Keras");
            }
            messages.push_back(std::move(m));
        }
    }
    return headers.emplace(addr, std::move(messages)).first->second;
}

bool Reader::Impl::is_group(std::uint64_t addr) {
    for (const auto& m : header(addr)) {
        if (m.type == kSymbolTable || m.type == kLink || m.type == kLinkInfo) return true;
    }
    return false;
}

const std::vector<Link>& Reader::Impl::links(std::uint64_t group_addr) {
    if (auto it = groups.find(group_addr); it != groups.end()) return it->second;
    std::vector<Link> out;
    bool group = false;
    for (const auto& m : header(group_addr)) {
        if (m.type == kSymbolTable) {
            group = true;
            Cursor c(*this, m.data, "a symbol table message");
            const std::uint64_t tree = c.address();
            const std::string heap = local_heap(*this, c.address());
            GroupWalk walk{*this, heap, out, {}};
            walk.node(tree, 0);
        } else if (m.type == kLink) {
            group = true;
            out.push_back(link_message(*this, m.data));
        } else if (m.type == kLinkInfo) {
            group = true;
            Cursor c(*this, m.data, "a link info message");
            c.skip(1);
            const unsigned flags = static_cast<unsigned>(c.u(1));
            if (flags & 1) c.skip(8);
            TFC_CHECK(c.address() == kUndefinedAddress, "load_model",
                      "a group stores its links densely (fractal heap), which tfc does not read",
                      "the group " + at(group_addr) + " in '" + label + "'",
                      "compact or symbol-table groups",
                      "re-save the model with Keras (h5py's default settings)");
        }
    }
    if (!group) damaged("an object that should be a group is not one", at(group_addr));
    std::sort(out.begin(), out.end(), [](const Link& a, const Link& b) { return a.name < b.name; });
    for (std::size_t i = 1; i < out.size(); ++i) {
        if (out[i].name == out[i - 1].name)
            damaged("a group names a member twice", "'" + out[i].name + "'");
    }
    return groups.emplace(group_addr, std::move(out)).first->second;
}

// IV.E: a global heap collection ("GCOL") holds variable-length strings. Its objects are
// walked as libhdf5 does (object 0, the free space, spans its size header included) and each
// must lie inside the collection.
std::string Reader::Impl::global_object(std::uint64_t collection, std::uint32_t index,
                                        std::uint64_t length) {
    auto it = collections.find(collection);
    if (it == collections.end()) {
        const unsigned L = length_size;
        const std::string hdr = fetch(collection, 8 + L, "a global heap collection");
        if (hdr.compare(0, 4, "GCOL") != 0 || hdr[4] != 1)
            damaged("a string points to an invalid global heap", at(collection));
        const std::uint64_t size =
            decode_le(reinterpret_cast<const unsigned char*>(hdr.data() + 8), L);
        if (size < 8 + L) damaged("a global heap collection is too small", at(collection));
        const std::string body = fetch(collection, size, "a global heap collection");
        std::map<std::uint32_t, std::pair<std::uint64_t, std::uint64_t>> objects;
        const std::uint64_t obj_hdr = 8 + L;  // index (2), references (2), reserved (4), size (L)
        const auto bad = [&](const std::string& what) {
            fail("load_model", "a global heap object " + what,
                 "the collection " + at(collection) + " of '" + label + "'",
                 "objects inside their collection",
                 "the file is damaged or hostile; re-save the model");
        };
        for (std::uint64_t p = 8 + L; p + obj_hdr <= size;) {
            const auto* o = reinterpret_cast<const unsigned char*>(body.data() + p);
            const auto idx = static_cast<std::uint32_t>(decode_le(o, 2));
            const std::uint64_t n = decode_le(o + 8, L);
            if (n > size - p) bad("overruns its collection");
            const std::uint64_t need = idx == 0 ? n : obj_hdr + ((n + 7) & ~std::uint64_t{7});
            if (need < obj_hdr) bad("has an empty free-space record");
            if (need > size - p) bad("overruns its collection");
            if (idx == 0) break;
            if (!objects.emplace(idx, std::make_pair(collection + p + obj_hdr, n)).second)
                bad("index is used twice");
            p += need;
        }
        it = collections.emplace(collection, std::move(objects)).first;
    }
    const auto obj = it->second.find(index);
    if (obj == it->second.end())
        damaged("a string names a global heap object that does not exist",
                "object " + std::to_string(index) + " " + at(collection));
    if (length > obj->second.second)
        damaged("a string is longer than its global heap object",
                std::to_string(length) + " bytes");
    return fetch(obj->second.first, length, "a global heap object");
}

std::optional<std::uint64_t> resolve(Reader::Impl& f, std::uint64_t parent,
                                     const std::string& path) {
    std::uint64_t cur = parent;
    for (const auto& part : split_path(path)) {
        TFC_CHECK(part != "." && part != "..", "load_model",
                  "a path inside the file is not allowed", "'" + part + "'", "plain names",
                  "the file is damaged or hostile");
        if (!f.is_group(cur)) return std::nullopt;
        const auto& ls = f.links(cur);
        const auto it =
            std::lower_bound(ls.begin(), ls.end(), part,
                             [](const Link& l, const std::string& n) { return l.name < n; });
        if (it == ls.end() || it->name != part || it->kind != Link::Kind::hard) return std::nullopt;
        cur = it->addr;
    }
    return cur;
}

namespace {

// Every link of the file, each group entered once: external and soft links are refused (a
// model file must be self-contained) and nesting is bounded.
void walk_links(Reader::Impl& f, std::uint64_t group, const std::string& prefix, int depth,
                std::set<std::uint64_t>& seen) {
    TFC_CHECK(depth < kMaxGroupDepth, "load_model", "groups are nested too deeply",
              "more than " + std::to_string(kMaxGroupDepth) + " levels in '" + f.label + "'",
              "a Keras file (a few levels)", "the file is damaged or hostile; re-save the model");
    for (const Link& l : f.links(group)) {
        if (l.kind != Link::Kind::hard) {
            fail("load_model",
                 "the file contains an external or soft link '" + prefix + l.name + "'",
                 "a link to another file or path in '" + f.label + "'", "only hard links",
                 "a model file must be self-contained; re-save the model with Keras");
        }
        if (f.is_group(l.addr) && seen.insert(l.addr).second)
            walk_links(f, l.addr, prefix + l.name + "/", depth + 1, seen);
    }
}

void walk_all(Reader::Impl& f) {
    std::set<std::uint64_t> seen = {f.root};
    walk_links(f, f.root, "", 0, seen);
}

}  // namespace

Reader::Reader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Reader::Reader(Reader&&) noexcept = default;
Reader& Reader::operator=(Reader&&) noexcept = default;
Reader::~Reader() = default;
Node Reader::root() const { return {impl_->root}; }
const std::string& Reader::label() const { return impl_->label; }
std::uint64_t Reader::size() const { return impl_->size; }

Reader Reader::open(const std::string& path) {
    auto impl = std::make_unique<Impl>();
    impl->label = path;
    impl->fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    TFC_CHECK(impl->fd >= 0 && ::fstat(impl->fd, &st) == 0 && S_ISREG(st.st_mode), "load_model",
              "cannot read the file", "'" + path + "'", "an existing model file", "check the path");
    impl->size = static_cast<std::uint64_t>(st.st_size);
    read_superblock(*impl);
    walk_all(*impl);
    return Reader(std::move(impl));
}

Reader Reader::from_image(std::string bytes, std::string label) {
    auto impl = std::make_unique<Impl>();
    impl->label = std::move(label);
    impl->size = bytes.size();
    impl->image = std::move(bytes);
    read_superblock(*impl);
    walk_all(*impl);
    return Reader(std::move(impl));
}

bool exists(const Reader& f, Node parent, const std::string& path) {
    return !split_path(path).empty() && resolve(f.impl(), parent.addr, path).has_value();
}

std::optional<Node> find(const Reader& f, Node parent, const std::string& path) {
    if (const auto addr = resolve(f.impl(), parent.addr, path)) return Node{*addr};
    return std::nullopt;
}

Node open_group(const Reader& f, Node parent, const std::string& path) {
    const auto addr = resolve(f.impl(), parent.addr, path);
    if (!addr) f.impl().damaged("group '" + path + "' is missing", "'" + path + "'");
    if (!f.impl().is_group(*addr))
        f.impl().damaged("'" + path + "' is not a group", "'" + path + "'");
    return {*addr};
}

bool is_group(const Reader& f, Node obj) { return f.impl().is_group(obj.addr); }

std::vector<std::string> members(const Reader& f, Node group) {
    std::vector<std::string> out;
    for (const auto& l : f.impl().links(group.addr)) out.push_back(l.name);
    return out;
}

}  // namespace tfc::io::h5
