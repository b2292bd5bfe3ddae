// Internal to the HDF5 reader (hdf5_reader.cpp: file structure; hdf5_values.cpp: datatypes,
// attributes and dataset data). Section numbers refer to the HDF5 File Format Specification 3.0.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tfc/io/hdf5_reader.h"

namespace tfc::io::h5 {

inline constexpr std::uint64_t kUndefinedAddress = ~std::uint64_t{0};

// One header message (IV.A.1.a): its type, flags and a copy of its bytes.
struct Message {
    std::uint16_t type = 0;
    std::uint8_t flags = 0;
    std::string data;
};

// Header message types used here (IV.A.2).
enum MessageType : std::uint16_t {
    kDataspace = 0x0001,
    kLinkInfo = 0x0002,
    kDatatype = 0x0003,
    kLink = 0x0006,
    kExternalFiles = 0x0007,
    kLayout = 0x0008,
    kFilterPipeline = 0x000B,
    kAttribute = 0x000C,
    kContinuation = 0x0010,
    kSymbolTable = 0x0011,
    kAttributeInfo = 0x0015,
};

struct Link {
    enum class Kind { hard, soft, external };
    std::string name;
    Kind kind = Kind::hard;
    std::uint64_t addr = 0;  // the object header, for hard links
};

struct Reader::Impl {
    std::string label;
    std::uint64_t size = 0;
    std::string image;  // the whole file, for in-memory images
    int fd = -1;        // or the open file
    unsigned offset_size = 8;
    unsigned length_size = 8;
    std::uint64_t base = 0;  // addresses are relative to it
    std::uint64_t root = 0;
    std::map<std::uint64_t, std::vector<Message>> headers;
    std::map<std::uint64_t, std::vector<Link>> groups;
    // Global heap collections (IV.E): object index -> (address of the data, size).
    std::map<std::uint64_t, std::map<std::uint32_t, std::pair<std::uint64_t, std::uint64_t>>>
        collections;

    Impl() = default;
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;
    ~Impl();

    // "[load_model] <problem>. Got <got> in '<label>', expected a well-formed Keras file. Fix:
    // ...".
    [[noreturn]] void damaged(const std::string& problem, const std::string& got) const;
    // `n` bytes at relative address `addr`, after checking that they lie inside the file.
    std::string fetch(std::uint64_t addr, std::uint64_t n, const std::string& what) const;
    void fetch_into(std::uint64_t addr, void* dst, std::uint64_t n, const std::string& what) const;

    const std::vector<Message>& header(std::uint64_t addr);
    const std::vector<Link>& links(std::uint64_t group_addr);
    bool is_group(std::uint64_t addr);
    // The bytes of one global heap object; `length` (from a variable-length descriptor) must
    // not exceed the object.
    std::string global_object(std::uint64_t collection, std::uint32_t index, std::uint64_t length);
};

// Little-endian reads over a copied structure; running past its end is a damaged file.
class Cursor {
public:
    Cursor(const Reader::Impl& f, const std::string& bytes, std::string what)
        : f_(f), bytes_(bytes), what_(std::move(what)) {}
    std::uint64_t u(unsigned width);
    std::uint64_t address() { return u(f_.offset_size); }
    std::uint64_t length() { return u(f_.length_size); }
    void skip(std::uint64_t n);
    std::string take(std::uint64_t n);
    std::uint64_t pos() const { return pos_; }
    std::uint64_t remaining() const { return bytes_.size() - pos_; }
    const std::string& what() const { return what_; }

private:
    const Reader::Impl& f_;
    const std::string& bytes_;
    std::string what_;
    std::uint64_t pos_ = 0;
};

std::uint64_t decode_le(const unsigned char* p, unsigned width);
std::vector<std::string> split_path(const std::string& path);
// The object at `path` under `parent` (hard links only); nullopt when a component is missing.
std::optional<std::uint64_t> resolve(Reader::Impl& f, std::uint64_t parent,
                                     const std::string& path);

}  // namespace tfc::io::h5
