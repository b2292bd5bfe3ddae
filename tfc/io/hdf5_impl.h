// Internal to tfc/io: the writing side of HDF5, a thin layer over the libhdf5 C API with the
// settings h5py uses. Files are only read through hdf5_reader.h, never through libhdf5 (a model
// file is untrusted input; see docs/fuzzing.md).
#pragma once

#include <hdf5.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::io::h5 {

// Owns an hid_t and closes it with the matching H5*close.
class Handle {
public:
    Handle() = default;
    explicit Handle(hid_t id) : id_(id) {}
    ~Handle();
    Handle(Handle&& o) noexcept : id_(o.id_) { o.id_ = -1; }
    Handle& operator=(Handle&& o) noexcept;
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
    hid_t get() const { return id_; }
    hid_t release() {
        const hid_t id = id_;
        id_ = -1;
        return id;
    }
    bool valid() const { return id_ >= 0; }

private:
    hid_t id_ = -1;
};

// Silences HDF5's automatic error stack printing for its lifetime.
class Quiet {
public:
    Quiet();
    ~Quiet();
    Quiet(const Quiet&) = delete;
    Quiet& operator=(const Quiet&) = delete;

private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

// A file being written.
struct File {
    Handle id;
    std::string label;  // the path, for messages
};

// Creates (truncates) a file for writing with the library defaults h5py uses.
File create(const std::string& path);
// Closes and flushes; throws on failure.
void close(File& f);

Handle create_group(hid_t parent, const std::string& name);
// Groups along `path` ("a/b/c" creates a, a/b) and returns the last one.
Handle create_groups(hid_t parent, const std::string& path);
// Variable-length scalar string; utf8 picks the character set.
void write_string_attr(hid_t obj, const std::string& name, const std::string& value, bool utf8);
// Variable-length string array; an empty list is written as an empty float64 array (as Keras).
void write_string_list_attr(hid_t obj, const std::string& name,
                            const std::vector<std::string>& values);
void write_dataset(hid_t parent, const std::string& name, const Tensor& value);
void write_int_scalar(hid_t parent, const std::string& name, std::int64_t value);

}  // namespace tfc::io::h5
