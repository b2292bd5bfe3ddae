// IDX files (the MNIST / Fashion-MNIST container), plain or gzip-compressed.
// Format (LeCun et al.): magic 0x00 0x00 <type> <rank>, then rank big-endian uint32 dimensions,
// then the data in big-endian order. Type 0x08 = uint8 is what (Fashion-)MNIST uses; 0x09 int8,
// 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64 are read too (converted to float32/int32).
#pragma once

#include <string>

#include "tfc/core/tensor.h"

namespace tfc::datasets {

// Reads a whole IDX file (".gz" or plain, detected from the content). Every malformed input
// (bad magic, truncated data, trailing bytes, absurd sizes) throws tfc::Error naming the file.
Tensor read_idx(const std::string& path);

}  // namespace tfc::datasets
