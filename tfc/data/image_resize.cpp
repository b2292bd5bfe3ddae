// Resizing 8-bit images.
//  * resize_image: PIL's Image.resize rules (Pillow 9), used by keras_preprocessing's load_img.
//    NEAREST samples input pixel floor((x + 0.5) * in / out), with the position accumulated in
//    double as PIL's affine scaler does. BILINEAR is PIL's separable resampler: a triangle filter
//    whose support grows with the reduction factor (antialiasing when shrinking), weights
//    normalised per output pixel and rounded to 22-bit fixed point, horizontal pass first, each
//    pass rounded and clipped to 8 bits.
//  * tf_resize: tf.image.resize (antialias=False, half-pixel centres) to float32, used by
//    image_dataset_from_directory.
#include <algorithm>
#include <cmath>

#include "tfc/core/error.h"
#include "tfc/data/image.h"
#include "tfc/data/image_impl.h"

namespace tfc::data {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;

// Per output position: first input index, count and fixed-point weights.
struct Taps {
    std::vector<int> first, count;
    std::vector<int> weights;  // out_size * max_count
    int max_count = 0;
};

Taps bilinear_taps(std::int64_t in_size, std::int64_t out_size) {
    const double scale = static_cast<double>(in_size) / static_cast<double>(out_size);
    const double filterscale = std::max(scale, 1.0);
    const double support = 1.0 * filterscale;  // the triangle filter's support is 1
    Taps t;
    t.max_count = static_cast<int>(std::ceil(support)) * 2 + 1;
    t.first.resize(static_cast<std::size_t>(out_size));
    t.count.resize(static_cast<std::size_t>(out_size));
    t.weights.assign(static_cast<std::size_t>(out_size * t.max_count), 0);
    std::vector<double> k(static_cast<std::size_t>(t.max_count));
    for (std::int64_t x = 0; x < out_size; ++x) {
        const double center = (static_cast<double>(x) + 0.5) * scale;
        int lo = static_cast<int>(center - support + 0.5);
        if (lo < 0) lo = 0;
        int hi = static_cast<int>(center + support + 0.5);
        if (hi > in_size) hi = static_cast<int>(in_size);
        const int n = hi - lo;
        double sum = 0.0;
        for (int i = 0; i < n; ++i) {
            double v = (i + lo - center + 0.5) * (1.0 / filterscale);
            v = v < 0 ? -v : v;
            k[static_cast<std::size_t>(i)] = v < 1.0 ? 1.0 - v : 0.0;
            sum += k[static_cast<std::size_t>(i)];
        }
        for (int i = 0; i < n; ++i) {
            double w = sum != 0.0 ? k[static_cast<std::size_t>(i)] / sum : k[static_cast<std::size_t>(i)];
            const double f = w * (1 << kPrecisionBits);
            t.weights[static_cast<std::size_t>(x * t.max_count + i)] =
                static_cast<int>(w < 0 ? -0.5 + f : 0.5 + f);
        }
        t.first[static_cast<std::size_t>(x)] = lo;
        t.count[static_cast<std::size_t>(x)] = n;
    }
    return t;
}

inline std::uint8_t clip8(int v) {
    v >>= kPrecisionBits;
    return static_cast<std::uint8_t>(v < 0 ? 0 : v > 255 ? 255 : v);
}

Image pil_bilinear(const Image& in, std::int64_t oh, std::int64_t ow) {
    const std::int64_t c = in.channels;
    Image tmp = in;
    if (ow != in.width) {  // horizontal pass
        const Taps t = bilinear_taps(in.width, ow);
        tmp = Image{in.height, ow, c, std::vector<std::uint8_t>(static_cast<std::size_t>(in.height * ow * c))};
        for (std::int64_t y = 0; y < in.height; ++y) {
            const std::uint8_t* row = in.pixels.data() + y * in.width * c;
            std::uint8_t* dst = tmp.pixels.data() + y * ow * c;
            for (std::int64_t x = 0; x < ow; ++x) {
                const int* k = t.weights.data() + x * t.max_count;
                const int lo = t.first[static_cast<std::size_t>(x)], n = t.count[static_cast<std::size_t>(x)];
                for (std::int64_t ch = 0; ch < c; ++ch) {
                    int ss = 1 << (kPrecisionBits - 1);
                    for (int i = 0; i < n; ++i) ss += row[(lo + i) * c + ch] * k[i];
                    dst[x * c + ch] = clip8(ss);
                }
            }
        }
    }
    if (oh == tmp.height) return tmp;
    const Taps t = bilinear_taps(tmp.height, oh);  // vertical pass
    Image out{oh, tmp.width, c, std::vector<std::uint8_t>(static_cast<std::size_t>(oh * tmp.width * c))};
    const std::int64_t stride = tmp.width * c;
    for (std::int64_t y = 0; y < oh; ++y) {
        const int* k = t.weights.data() + y * t.max_count;
        const int lo = t.first[static_cast<std::size_t>(y)], n = t.count[static_cast<std::size_t>(y)];
        std::uint8_t* dst = out.pixels.data() + y * stride;
        for (std::int64_t i = 0; i < stride; ++i) {
            int ss = 1 << (kPrecisionBits - 1);
            for (int j = 0; j < n; ++j) ss += tmp.pixels[static_cast<std::size_t>((lo + j) * stride + i)] * k[j];
            dst[i] = clip8(ss);
        }
    }
    return out;
}

// PIL's affine scaler: position starts at step/2 and advances by `step` in double.
std::vector<std::int64_t> nearest_index(std::int64_t in_size, std::int64_t out_size) {
    const double step = static_cast<double>(in_size) / static_cast<double>(out_size);
    std::vector<std::int64_t> idx(static_cast<std::size_t>(out_size));
    double pos = step * 0.5;
    for (std::int64_t x = 0; x < out_size; ++x, pos += step) {
        const std::int64_t i = pos < 0.0 ? -1 : static_cast<std::int64_t>(pos);
        idx[static_cast<std::size_t>(x)] = std::clamp<std::int64_t>(i, 0, in_size - 1);
    }
    return idx;
}

Image pil_nearest(const Image& in, std::int64_t oh, std::int64_t ow) {
    const std::int64_t c = in.channels;
    const auto ys = nearest_index(in.height, oh), xs = nearest_index(in.width, ow);
    Image out{oh, ow, c, std::vector<std::uint8_t>(static_cast<std::size_t>(oh * ow * c))};
    std::uint8_t* dst = out.pixels.data();
    for (std::int64_t y = 0; y < oh; ++y) {
        const std::uint8_t* row = in.pixels.data() + ys[static_cast<std::size_t>(y)] * in.width * c;
        for (std::int64_t x = 0; x < ow; ++x)
            for (std::int64_t ch = 0; ch < c; ++ch) *dst++ = row[xs[static_cast<std::size_t>(x)] * c + ch];
    }
    return out;
}

}  // namespace

Image resize_image(const Image& image, ImageSize size, const std::string& interpolation) {
    TFC_CHECK(size.height > 0 && size.width > 0, "resize_image", "the size must be positive",
              "(" + std::to_string(size.height) + ", " + std::to_string(size.width) + ")",
              "(height, width) > 0", "fix the target size");
    TFC_CHECK(image.height > 0 && image.width > 0, "resize_image", "empty image", "0 pixels",
              "a non-empty image", "check the decoded file");
    if (size.height == image.height && size.width == image.width) return image;
    if (interpolation == "nearest") return pil_nearest(image, size.height, size.width);
    if (interpolation == "bilinear") return pil_bilinear(image, size.height, size.width);
    fail("resize_image", "unsupported interpolation", "'" + interpolation + "'",
         "\"nearest\" or \"bilinear\"", "pass one of those");
}

namespace image_impl {

void tf_resize(const Image& image, ImageSize out, const std::string& method, float* dst) {
    const std::int64_t c = image.channels, ih = image.height, iw = image.width;
    const std::uint8_t* src = image.pixels.data();
    // TF computes the scale and source positions in float.
    const float sy = static_cast<float>(ih) / static_cast<float>(out.height);
    const float sx = static_cast<float>(iw) / static_cast<float>(out.width);
    if (method == "nearest") {
        for (std::int64_t y = 0; y < out.height; ++y) {
            const std::int64_t yi = std::min<std::int64_t>(
                static_cast<std::int64_t>(std::floor((static_cast<float>(y) + 0.5f) * sy)), ih - 1);
            for (std::int64_t x = 0; x < out.width; ++x) {
                const std::int64_t xi = std::min<std::int64_t>(
                    static_cast<std::int64_t>(std::floor((static_cast<float>(x) + 0.5f) * sx)), iw - 1);
                for (std::int64_t ch = 0; ch < c; ++ch) *dst++ = src[(yi * iw + xi) * c + ch];
            }
        }
        return;
    }
    TFC_CHECK(method == "bilinear", "image_dataset_from_directory", "unsupported interpolation",
              "'" + method + "'", "\"bilinear\" or \"nearest\"", "pass one of those");
    struct Tap { std::int64_t lo, hi; float f; };
    auto taps = [](std::int64_t n_in, std::int64_t n_out, float scale) {
        std::vector<Tap> t(static_cast<std::size_t>(n_out));
        for (std::int64_t i = 0; i < n_out; ++i) {
            const float p = (static_cast<float>(i) + 0.5f) * scale - 0.5f;
            const float pf = std::floor(p);
            t[static_cast<std::size_t>(i)] = {std::max<std::int64_t>(static_cast<std::int64_t>(pf), 0),
                                              std::min<std::int64_t>(static_cast<std::int64_t>(std::ceil(p)), n_in - 1),
                                              p - pf};
        }
        return t;
    };
    const auto ty = taps(ih, out.height, sy), tx = taps(iw, out.width, sx);
    for (const Tap& a : ty) {
        const std::uint8_t* r0 = src + a.lo * iw * c;
        const std::uint8_t* r1 = src + a.hi * iw * c;
        for (const Tap& b : tx) {
            for (std::int64_t ch = 0; ch < c; ++ch) {
                const float tl = r0[b.lo * c + ch], tr = r0[b.hi * c + ch];
                const float bl = r1[b.lo * c + ch], br = r1[b.hi * c + ch];
                const float top = tl + (tr - tl) * b.f;
                const float bottom = bl + (br - bl) * b.f;
                *dst++ = top + (bottom - top) * a.f;
            }
        }
    }
}

}  // namespace image_impl
}  // namespace tfc::data
