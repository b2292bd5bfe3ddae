// ImageDataGenerator: options, random parameters, the affine matrix and apply_transform.
// The iterators (flow, flow_from_directory) are in image_iterator.cpp.
#include "tfc/data/image_data_generator.h"

#include <cmath>
#include <numbers>

#include "tfc/core/error.h"
#include "tfc/data/image_impl.h"

namespace tfc::data {
namespace {

constexpr const char* kWhere = "ImageDataGenerator";

using Mat3 = std::array<std::array<double, 3>, 3>;

Mat3 matmul(const Mat3& a, const Mat3& b) {
    Mat3 r{};
    for (int i = 0; i < 3; ++i)
        for (int j = 0; j < 3; ++j) r[i][j] = a[i][0] * b[0][j] + a[i][1] * b[1][j] + a[i][2] * b[2][j];
    return r;
}

bool has_affine(const TransformParams& p) {
    return p.theta != 0 || p.tx != 0 || p.ty != 0 || p.shear != 0 || p.zx != 1 || p.zy != 1;
}

double deg2rad(double d) { return d * (std::numbers::pi / 180.0); }

}  // namespace

ImageDataGenerator::ImageDataGenerator(ImageDataGeneratorOptions options)
    : options_(std::move(options)) {
    const auto& o = options_;
    image_impl::parse_fill_mode(o.fill_mode, kWhere);
    TFC_CHECK(o.validation_split >= 0.0 && o.validation_split < 1.0, kWhere,
              "validation_split must be in [0, 1)", std::to_string(o.validation_split),
              "a fraction such as 0.2", "pass a value between 0 and 1");
    TFC_CHECK(o.rotation_range >= 0 && o.width_shift_range >= 0 && o.height_shift_range >= 0 &&
                  o.shear_range >= 0,
              kWhere, "ranges must not be negative",
              "rotation_range=" + std::to_string(o.rotation_range) + ", width_shift_range=" +
                  std::to_string(o.width_shift_range) + ", height_shift_range=" +
                  std::to_string(o.height_shift_range) + ", shear_range=" + std::to_string(o.shear_range),
              "values >= 0", "pass the magnitude; the sign is drawn at random");
    if (o.zoom_range.size() == 1) {
        zoom_lo_ = 1.0 - o.zoom_range[0];
        zoom_hi_ = 1.0 + o.zoom_range[0];
    } else if (o.zoom_range.size() == 2) {
        zoom_lo_ = o.zoom_range[0];
        zoom_hi_ = o.zoom_range[1];
    } else {
        TFC_CHECK(o.zoom_range.empty(), kWhere, "zoom_range takes one or two values",
                  std::to_string(o.zoom_range.size()) + " values", "{z} or {lower, upper}",
                  "pass {0.2} for [0.8, 1.2], or {0.8, 1.2}");
    }
}

TransformParams ImageDataGenerator::get_random_transform(const Shape& img_shape,
                                                         std::optional<std::uint64_t> seed) const {
    if (seed) {
        Generator rng(*seed);
        return get_random_transform(img_shape, rng);
    }
    return get_random_transform(img_shape, global_generator());
}

TransformParams ImageDataGenerator::get_random_transform(const Shape& img_shape, Generator& rng) const {
    TFC_CHECK(img_shape.size() == 3, "ImageDataGenerator.get_random_transform",
              "expected the shape of one image", shape_str(img_shape), "(height, width, channels)",
              "pass x.shape() of a single image");
    const auto& o = options_;
    TransformParams p;
    if (o.rotation_range != 0) p.theta = rng.uniform(-o.rotation_range, o.rotation_range);
    if (o.height_shift_range != 0) {
        p.tx = rng.uniform(-o.height_shift_range, o.height_shift_range);
        if (o.height_shift_range < 1) p.tx *= static_cast<double>(img_shape[0]);
    }
    if (o.width_shift_range != 0) {
        p.ty = rng.uniform(-o.width_shift_range, o.width_shift_range);
        if (o.width_shift_range < 1) p.ty *= static_cast<double>(img_shape[1]);
    }
    if (o.shear_range != 0) p.shear = rng.uniform(-o.shear_range, o.shear_range);
    if (!(zoom_lo_ == 1 && zoom_hi_ == 1)) {
        p.zx = rng.uniform(zoom_lo_, zoom_hi_);
        p.zy = rng.uniform(zoom_lo_, zoom_hi_);
    }
    // Keras always draws both coins, even when flipping is off.
    p.flip_horizontal = (rng.uniform() < 0.5) && o.horizontal_flip;
    p.flip_vertical = (rng.uniform() < 0.5) && o.vertical_flip;
    return p;
}

void transform_matrix(const TransformParams& p, std::int64_t h, std::int64_t w, double m[6]) {
    // Composed in Keras's order (affine_transformations.apply_affine_transform).
    Mat3 t{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
    bool any = false;
    auto compose = [&](const Mat3& b) {
        t = any ? matmul(t, b) : b;
        any = true;
    };
    if (p.theta != 0) {
        const double th = deg2rad(p.theta);
        compose({{{std::cos(th), -std::sin(th), 0}, {std::sin(th), std::cos(th), 0}, {0, 0, 1}}});
    }
    if (p.tx != 0 || p.ty != 0) compose({{{1, 0, p.tx}, {0, 1, p.ty}, {0, 0, 1}}});
    if (p.shear != 0) {
        const double s = deg2rad(p.shear);
        compose({{{1, -std::sin(s), 0}, {0, std::cos(s), 0}, {0, 0, 1}}});
    }
    if (p.zx != 1 || p.zy != 1) compose({{{p.zx, 0, 0}, {0, p.zy, 0}, {0, 0, 1}}});
    // transform_matrix_offset_center: the centre is (h/2 + 0.5, w/2 + 0.5), as in Keras.
    const double ox = static_cast<double>(h) / 2 + 0.5, oy = static_cast<double>(w) / 2 + 0.5;
    const Mat3 offset{{{1, 0, ox}, {0, 1, oy}, {0, 0, 1}}};
    const Mat3 reset{{{1, 0, -ox}, {0, 1, -oy}, {0, 0, 1}}};
    const Mat3 r = matmul(matmul(offset, t), reset);
    m[0] = r[0][0], m[1] = r[0][1], m[2] = r[0][2];
    m[3] = r[1][0], m[4] = r[1][1], m[5] = r[1][2];
}

void ImageDataGenerator::apply_transform(const float* src, std::int64_t h, std::int64_t w,
                                         std::int64_t c, const TransformParams& p, float* dst) const {
    const bool fr = p.flip_vertical, fc = p.flip_horizontal;
    if (has_affine(p)) {
        double m[6];
        transform_matrix(p, h, w, m);
        image_impl::affine_sample(src, h, w, c, m, image_impl::parse_fill_mode(options_.fill_mode, kWhere),
                                  static_cast<float>(options_.cval), fr, fc, dst);
        return;
    }
    for (std::int64_t r = 0; r < h; ++r) {
        const std::int64_t orow = fr ? h - 1 - r : r;
        for (std::int64_t col = 0; col < w; ++col) {
            const std::int64_t ocol = fc ? w - 1 - col : col;
            const float* s = src + (r * w + col) * c;
            float* d = dst + (orow * w + ocol) * c;
            for (std::int64_t ch = 0; ch < c; ++ch) d[ch] = s[ch];
        }
    }
}

Tensor ImageDataGenerator::apply_transform(const Tensor& x, const TransformParams& params) const {
    TFC_CHECK(x.defined() && x.rank() == 3, "ImageDataGenerator.apply_transform",
              "expected one image", x.defined() ? shape_str(x.shape()) : "an undefined tensor",
              "(height, width, channels)", "pass a single HWC image; use flow() for batches");
    const Tensor src = x.dtype() == DType::float32 ? x : x.astype(DType::float32);
    Tensor out = Tensor::empty(x.shape());
    apply_transform(src.data<float>(), x.dim(0), x.dim(1), x.dim(2), params, out.data<float>());
    return out;
}

Tensor ImageDataGenerator::random_transform(const Tensor& x, std::optional<std::uint64_t> seed) const {
    TFC_CHECK(x.defined() && x.rank() == 3, "ImageDataGenerator.random_transform",
              "expected one image", x.defined() ? shape_str(x.shape()) : "an undefined tensor",
              "(height, width, channels)", "pass a single HWC image");
    return apply_transform(x, get_random_transform(x.shape(), seed));
}

Tensor ImageDataGenerator::standardize(const Tensor& x) const {
    Tensor out = x.dtype() == DType::float32 ? x.clone() : x.astype(DType::float32);
    if (options_.rescale != 0.0) {
        float* d = out.data<float>();
        const auto s = static_cast<float>(options_.rescale);
        for (std::int64_t i = 0; i < out.size(); ++i) d[i] *= s;
    }
    return out;
}

}  // namespace tfc::data
