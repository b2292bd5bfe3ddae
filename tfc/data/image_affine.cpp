// The resampling kernel behind ImageDataGenerator.apply_transform: scipy.ndimage.affine_transform
// with order=1 (bilinear), applied to every channel, with scipy 1.10's boundary modes:
//   nearest  : the coordinate is clamped to [0, n-1]
//   constant : a coordinate outside [0, n-1] on either axis gives cval outright (no blending)
//   reflect  : half-sample symmetric extension  ...c b a | a b c ... c | c b a...
//   wrap     : the coordinate is wrapped with period n-1 (scipy's legacy "wrap")
// Source positions are computed per output pixel in double, in scipy's order
// (row * m00 + col * m01 + offset), and the interpolation runs in double.
#include <cmath>

#include "tfc/core/error.h"
#include "tfc/data/image_impl.h"

namespace tfc::data::image_impl {
namespace {

struct AxisTaps {
    std::int64_t i0 = 0, i1 = 0;
    double f = 0.0;
    bool outside = false;  // constant mode: use cval
};

inline std::int64_t reflect_index(std::int64_t i, std::int64_t n) {
    const std::int64_t period = 2 * n;
    i %= period;
    if (i < 0) i += period;
    return i < n ? i : period - 1 - i;
}

inline AxisTaps axis_taps(double p, std::int64_t n, FillMode mode) {
    AxisTaps t;
    const double last = static_cast<double>(n - 1);
    switch (mode) {
        case FillMode::constant:
            if (p < 0.0 || p > last) {
                t.outside = true;
                return t;
            }
            break;
        case FillMode::nearest:
            p = p < 0.0 ? 0.0 : p > last ? last : p;
            break;
        case FillMode::wrap:
            if (n <= 1) {
                p = 0.0;
            } else if (p < 0.0) {
                const double period = last;
                p += period * (static_cast<double>(static_cast<std::int64_t>(-p / period)) + 1.0);
            } else if (p > last) {
                const double period = last;
                p -= period * static_cast<double>(static_cast<std::int64_t>(p / period));
            }
            break;
        case FillMode::reflect:
            break;
    }
    const double fl = std::floor(p);
    const auto i = static_cast<std::int64_t>(fl);
    t.f = p - fl;
    if (mode == FillMode::reflect) {
        t.i0 = reflect_index(i, n);
        t.i1 = reflect_index(i + 1, n);
    } else {
        t.i0 = i < 0 ? 0 : i > n - 1 ? n - 1 : i;
        t.i1 = i + 1 > n - 1 ? n - 1 : (i + 1 < 0 ? 0 : i + 1);
    }
    return t;
}

}  // namespace

FillMode parse_fill_mode(const std::string& mode, const std::string& where) {
    if (mode == "nearest") return FillMode::nearest;
    if (mode == "constant") return FillMode::constant;
    if (mode == "reflect") return FillMode::reflect;
    if (mode == "wrap") return FillMode::wrap;
    fail(where, "unknown fill_mode", "'" + mode + "'",
         "\"nearest\", \"constant\", \"reflect\" or \"wrap\"", "pass one of those");
}

void affine_sample(const float* src, std::int64_t h, std::int64_t w, std::int64_t c,
                   const double m[6], FillMode mode, float cval, bool flip_rows, bool flip_cols,
                   float* dst) {
    for (std::int64_t r = 0; r < h; ++r) {
        const std::int64_t out_r = flip_rows ? h - 1 - r : r;
        const double rr = static_cast<double>(r);
        for (std::int64_t col = 0; col < w; ++col) {
            const double cc = static_cast<double>(col);
            const double pr = 0.0 + rr * m[0] + cc * m[1] + m[2];
            const double pc = 0.0 + rr * m[3] + cc * m[4] + m[5];
            const std::int64_t out_c = flip_cols ? w - 1 - col : col;
            float* o = dst + (out_r * w + out_c) * c;
            const AxisTaps a = axis_taps(pr, h, mode);
            const AxisTaps b = a.outside ? AxisTaps{} : axis_taps(pc, w, mode);
            if (a.outside || b.outside) {
                for (std::int64_t ch = 0; ch < c; ++ch) o[ch] = cval;
                continue;
            }
            const float* p00 = src + (a.i0 * w + b.i0) * c;
            const float* p01 = src + (a.i0 * w + b.i1) * c;
            const float* p10 = src + (a.i1 * w + b.i0) * c;
            const float* p11 = src + (a.i1 * w + b.i1) * c;
            const double w00 = (1.0 - a.f) * (1.0 - b.f), w01 = (1.0 - a.f) * b.f;
            const double w10 = a.f * (1.0 - b.f), w11 = a.f * b.f;
            for (std::int64_t ch = 0; ch < c; ++ch) {
                o[ch] = static_cast<float>(w00 * p00[ch] + w01 * p01[ch] + w10 * p10[ch] +
                                           w11 * p11[ch]);
            }
        }
    }
}

}  // namespace tfc::data::image_impl
