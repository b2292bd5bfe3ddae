// Internal to tfc/io: the reading side of HDF5, written from the HDF5 File Format Specification
// (version 3.0) without libhdf5. Model files come from outside (exam submissions), and libhdf5
// 1.10.8 trusts too much of what it reads (docs/fuzzing.md); so every read goes through this
// reader, and libhdf5 is only used to write files tfc makes itself.
//
// It reads what h5py writes with its default settings (every Keras version does so): superblock
// version 0 or 1, version-1 object headers with continuation blocks, symbol-table groups
// (v1 B-tree + local heap) and compact link messages, attribute messages (fixed or
// variable-length strings in global heap collections, numbers), and datasets stored compact,
// contiguous or chunked (v1 B-tree) with the deflate, shuffle and fletcher32 filters. Anything
// else is refused by name. Every offset, length and count is checked against the file before it
// is followed or allocated, every walk is bounded, and each object is visited at most once.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::io::h5 {

// An object of the file (group or dataset): the address of its object header.
struct Node {
    std::uint64_t addr = 0;
};

class Reader {
public:
    // Opens a file on disk; refuses non-HDF5 / truncated files and external or soft links
    // anywhere in the file (the whole group tree is walked once).
    static Reader open(const std::string& path);
    // An in-memory image (the model.weights.h5 entry of a .keras zip).
    static Reader from_image(std::string bytes, std::string label);

    Reader(Reader&&) noexcept;
    Reader& operator=(Reader&&) noexcept;
    ~Reader();

    Node root() const;
    const std::string& label() const;  // for messages: the path, or "model.weights.h5 in X.keras"
    std::uint64_t size() const;        // bytes of the file: the bound for every allocation

    struct Impl;
    Impl& impl() const { return *impl_; }

private:
    explicit Reader(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> impl_;
};

// Paths are relative to `parent`, '/'-separated; every component must be a hard link.
bool exists(const Reader& f, Node parent, const std::string& path);
// The object at `path` (group or dataset); nullopt when it does not exist.
std::optional<Node> find(const Reader& f, Node parent, const std::string& path);
Node open_group(const Reader& f, Node parent, const std::string& path);
bool is_group(const Reader& f, Node obj);
// Member names of a group, in the file's (name) order.
std::vector<std::string> members(const Reader& f, Node group);
// Attribute names of an object, in header order.
std::vector<std::string> attr_names(const Reader& f, Node obj);
bool has_attr(const Reader& f, Node obj, const std::string& name);

// A scalar (or 1-element) string attribute, fixed or variable length.
std::optional<std::string> read_string_attr(const Reader& f, Node obj, const std::string& name);
// A string-array attribute joined over Keras's chunks name, name0, name1, ...; an empty
// numeric array (what Keras writes for no names) gives {}; absent gives nullopt.
std::optional<std::vector<std::string>> read_string_list_attr(const Reader& f, Node obj,
                                                              const std::string& name);
// A numeric attribute as float64 values (any integer or float type).
std::vector<double> read_number_attr(const Reader& f, Node obj, const std::string& name);

// A float dataset (float16/32/64, either byte order) as float32.
Tensor read_dataset(const Reader& f, Node parent, const std::string& path);
Shape dataset_shape(const Reader& f, Node parent, const std::string& path);
// A scalar step count (optimizer iterations): integer or float data, >= 0.
std::int64_t read_int_scalar(const Reader& f, Node parent, const std::string& path);

}  // namespace tfc::io::h5
