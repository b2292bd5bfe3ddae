// Internals of the image files (tfc/data/image*.cpp). Not part of the public API.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tfc/data/image.h"

namespace tfc::data::image_impl {

// Decoders: the file's own layout (1, 2, 3 or 4 channels, 8 bits). Throw tfc::Error on bad data.
Image decode_jpeg(const std::uint8_t* data, std::size_t size, const std::string& name,
                  bool want_grayscale);
Image decode_png(const std::uint8_t* data, std::size_t size, const std::string& name);

// PIL Image.convert to "rgb", "grayscale" or "rgba".
Image convert_mode(Image image, const std::string& color_mode);

// Reads a whole file; throws tfc::Error naming `where` when it cannot.
std::vector<std::uint8_t> read_file(const std::string& path, const std::string& where);

// tf.image.resize(method = "bilinear" | "nearest", antialias=False) on 8-bit pixels, written to
// dst as float32 HWC (out.height x out.width x image.channels).
void tf_resize(const Image& image, ImageSize out, const std::string& method, float* dst);

// scipy.ndimage.affine_transform(order=1) on every channel of an HWC float image, with the
// boundary modes "nearest", "constant", "reflect", "wrap". m maps output (row, col, 1) to input
// (row, col): in_r = m[0]*r + m[1]*c + m[2]; in_c = m[3]*r + m[4]*c + m[5]. Flips are applied
// to the output positions afterwards (flip_rows / flip_cols).
enum class FillMode { nearest, constant, reflect, wrap };
FillMode parse_fill_mode(const std::string& mode, const std::string& where);
void affine_sample(const float* src, std::int64_t h, std::int64_t w, std::int64_t c,
                   const double m[6], FillMode mode, float cval, bool flip_rows, bool flip_cols,
                   float* dst);

// Files: Keras's listing helpers.
// Sorted names of the sub-folders of `dir` (os.listdir + isdir, sorted).
std::vector<std::string> list_subdirs(const std::string& dir, const std::string& where);
// keras_preprocessing _iter_valid_files: (root, file) in sorted os.walk order, with names whose
// lower case ends with one of `suffixes`. Returns paths relative to `dir` ("sub/file.jpg").
std::vector<std::string> list_valid_files(const std::string& dir,
                                          const std::vector<std::string>& suffixes,
                                          bool follow_links);

}  // namespace tfc::data::image_impl
