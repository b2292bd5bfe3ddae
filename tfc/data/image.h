// Image loading in the manner of keras_preprocessing.image (Keras 2.x): load_img, img_to_array,
// plus decode_image from memory. JPEG (libjpeg) and PNG (libpng) are decoded to 8-bit pixels the
// way PIL does, then converted and resized with PIL's rules, so load_img + img_to_array give the
// same float32 HWC 0-255 arrays as keras_preprocessing (see docs/images.md for measured gaps).
//   Image img = load_img(path, {.color_mode = "rgb", .target_size = {150, 150}});
//   Tensor x = img_to_array(img);  // (150, 150, 3) float32
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc::data {

// An 8-bit image, rows of interleaved channels (HWC). channels: 1 (L), 2 (LA), 3 (RGB), 4 (RGBA).
struct Image {
    std::int64_t height = 0;
    std::int64_t width = 0;
    std::int64_t channels = 0;
    std::vector<std::uint8_t> pixels{};
};

// (height, width); {0, 0} means "keep the size".
struct ImageSize {
    std::int64_t height = 0;
    std::int64_t width = 0;
    bool empty() const { return height == 0 && width == 0; }
};

struct LoadImgOptions {
    std::string color_mode = "rgb";         // "rgb", "grayscale" or "rgba"
    ImageSize target_size{};                // resize to (height, width) when set
    std::string interpolation = "nearest";  // PIL resample: "nearest" or "bilinear"
};

// keras_preprocessing.image.load_img: decodes the file, converts to color_mode with PIL's rules
// (grayscale = (19595 R + 38470 G + 7471 B + 2^15) >> 16), then resizes with PIL's NEAREST or
// BILINEAR (antialiased when shrinking) resampling. JPEG and PNG only; any other content, a
// truncated or corrupt file, or a missing file throws tfc::Error.
Image load_img(const std::string& path, const LoadImgOptions& options = {});

// The same from bytes in memory. `name` only appears in error messages.
Image decode_image(const std::uint8_t* data, std::size_t size, const LoadImgOptions& options = {},
                   const std::string& name = "<memory>");
Image decode_image(const std::vector<std::uint8_t>& bytes, const LoadImgOptions& options = {},
                   const std::string& name = "<memory>");

// PIL Image.resize(size, NEAREST | BILINEAR) on 8-bit pixels.
Image resize_image(const Image& image, ImageSize size, const std::string& interpolation);

// keras_preprocessing.image.img_to_array: float32 (height, width, channels), values 0-255.
Tensor img_to_array(const Image& image);

// keras_preprocessing.image.array_to_img (scale=False): clips to 0-255 and rounds toward zero
// like numpy's uint8 cast. x: (height, width, channels) float32.
Image array_to_img(const Tensor& x);

}  // namespace tfc::data
