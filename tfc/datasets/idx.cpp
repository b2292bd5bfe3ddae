#include "tfc/datasets/idx.h"

#include <zlib.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <vector>

#include "tfc/core/error.h"

namespace tfc::datasets {
namespace {

constexpr std::uint64_t kMaxBytes = std::uint64_t{4} << 30;  // refuse claims above 4 GiB

// Reads the whole (possibly gzip'ed) file; gzread passes plain files through unchanged.
std::vector<unsigned char> slurp(const std::string& path, std::uint64_t limit) {
    std::error_code ec;
    TFC_CHECK(std::filesystem::is_regular_file(path, ec), "read_idx", "file not found",
              "'" + path + "'", "an existing IDX file (.gz or plain)",
              "check the path, or install the data (see the dataset's error message)");
    gzFile f = gzopen(path.c_str(), "rb");
    TFC_CHECK(f != nullptr, "read_idx", "cannot open the file", "'" + path + "'",
              "a readable file", "check the file's permissions");
    std::vector<unsigned char> out;
    unsigned char buf[1 << 16];
    for (;;) {
        const int n = gzread(f, buf, sizeof(buf));
        if (n < 0) {
            int err = 0;
            std::string msg = gzerror(f, &err);
            gzclose(f);
            fail("read_idx", "corrupt compressed data", "'" + path + "': " + msg,
                 "a valid gzip stream", "re-download or reinstall the file");
        }
        if (n == 0) break;
        out.insert(out.end(), buf, buf + n);
        if (out.size() > limit) {
            gzclose(f);
            fail("read_idx", "file is larger than any IDX tensor allowed", "'" + path + "'",
                 "at most " + std::to_string(limit) + " bytes", "check that this is an IDX file");
        }
    }
    // gzread silently stops at a truncated gzip member; gzclose reports Z_BUF_ERROR then.
    const int rc = gzclose(f);
    TFC_CHECK(rc == Z_OK, "read_idx", "compressed file is truncated or damaged", "'" + path + "'",
              "a complete gzip file", "re-download or reinstall the file");
    return out;
}

std::uint32_t be32(const unsigned char* p) {
    return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
           std::uint32_t{p[3]};
}

}  // namespace

Tensor read_idx(const std::string& path) {
    const auto bytes = slurp(path, kMaxBytes + 64);
    TFC_CHECK(bytes.size() >= 4 && bytes[0] == 0 && bytes[1] == 0, "read_idx",
              "not an IDX file (bad magic number)", "'" + path + "'",
              "the bytes 00 00 <type> <rank> at the start", "check that this is an IDX file");
    const unsigned type = bytes[2];
    const unsigned rank = bytes[3];
    std::size_t elem = 0;
    switch (type) {
        case 0x08: case 0x09: elem = 1; break;
        case 0x0B: elem = 2; break;
        case 0x0C: case 0x0D: elem = 4; break;
        case 0x0E: elem = 8; break;
        default:
            fail("read_idx", "unknown IDX element type", "type byte " + std::to_string(type) +
                 " in '" + path + "'", "0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E",
                 "check that this is an IDX file");
    }
    TFC_CHECK(rank >= 1 && rank <= 8, "read_idx", "unsupported rank", std::to_string(rank),
              "1..8", "check that this is an IDX file");
    TFC_CHECK(bytes.size() >= 4 + 4 * rank, "read_idx", "file is truncated in its header",
              std::to_string(bytes.size()) + " bytes in '" + path + "'",
              std::to_string(4 + 4 * rank) + " header bytes", "re-download the file");
    Shape shape;
    std::uint64_t count = 1;
    for (unsigned i = 0; i < rank; ++i) {
        const std::uint32_t d = be32(&bytes[4 + 4 * i]);
        shape.push_back(d);
        count *= d;
        TFC_CHECK(count * elem <= kMaxBytes, "read_idx", "dimensions claim an absurd size",
                  shape_str(shape) + " in '" + path + "'", "at most 4 GiB of data",
                  "the header is corrupt; re-download the file");
    }
    const std::size_t header = 4 + 4 * rank;
    const std::uint64_t need = count * elem;
    TFC_CHECK(bytes.size() - header == need, "read_idx",
              bytes.size() - header < need ? "file is truncated" : "file has trailing bytes",
              std::to_string(bytes.size() - header) + " data bytes in '" + path + "'",
              std::to_string(need) + " bytes for shape " + shape_str(shape),
              "re-download or reinstall the file");
    const unsigned char* p = bytes.data() + header;
    if (type == 0x08) {
        Tensor t = Tensor::empty(shape, DType::uint8);
        std::memcpy(t.raw_data(), p, need);
        return t;
    }
    if (type == 0x0E) {
        Tensor t = Tensor::empty(shape, DType::float64);
        double* d = t.data<double>();
        for (std::uint64_t i = 0; i < count; ++i) {
            std::uint64_t v = 0;
            for (int b = 0; b < 8; ++b) v = (v << 8) | p[i * 8 + b];
            std::memcpy(&d[i], &v, 8);
        }
        return t;
    }
    if (type == 0x0D) {
        Tensor t = Tensor::empty(shape, DType::float32);
        float* d = t.data<float>();
        for (std::uint64_t i = 0; i < count; ++i) {
            const std::uint32_t v = be32(p + i * 4);
            std::memcpy(&d[i], &v, 4);
        }
        return t;
    }
    Tensor t = Tensor::empty(shape, DType::int32);
    std::int32_t* d = t.data<std::int32_t>();
    for (std::uint64_t i = 0; i < count; ++i) {
        if (type == 0x09) d[i] = static_cast<std::int8_t>(p[i]);
        else if (type == 0x0B) d[i] = static_cast<std::int16_t>((p[2 * i] << 8) | p[2 * i + 1]);
        else d[i] = static_cast<std::int32_t>(be32(p + 4 * i));
    }
    return t;
}

}  // namespace tfc::datasets
