// ImageDataGenerator.apply_transform against keras_preprocessing 1.1 (scipy order 1) on flowers
// images and tiny arrays, plus get_random_transform's ranges and reproducibility.
#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"

#include <cmath>

#include "tfc/core/error.h"
#include "tfc/data/image.h"
#include "tfc/data/image_data_generator.h"
#include "tfc/data/image_test_util.h"

namespace tfc::data {
namespace {

using image_test::flowers;
using image_test::load_golden;

TransformParams params_from(const nlohmann::json& j) {
    TransformParams p;
    p.theta = j.value("theta", 0.0);
    p.tx = j.value("tx", 0.0);
    p.ty = j.value("ty", 0.0);
    p.shear = j.value("shear", 0.0);
    p.zx = j.value("zx", 1.0);
    p.zy = j.value("zy", 1.0);
    p.flip_horizontal = j.value("flip_horizontal", false);
    p.flip_vertical = j.value("flip_vertical", false);
    return p;
}

TEST(ApplyTransform, MatchesKerasOnFlowers) {
    TFC_SKIP_WITHOUT_SHARED();
    const auto g = load_golden("apply_transform");
    double worst = 0.0;
    int exact = 0, n = 0;
    for (const auto& c : g["cases"]) {
        SCOPED_TRACE(c["name"].get<std::string>() + " " + c["file"].get<std::string>());
        const ImageDataGenerator gen({.fill_mode = c["fill_mode"], .cval = c["cval"]});
        const Tensor x = img_to_array(load_img(flowers(c["file"])));
        const Tensor y = gen.apply_transform(x, params_from(c["params"]));
        const std::vector<float> v = y.to_floats();
        const double d = image_test::summary_max_diff(c, v) / 255.0;  // on a [0, 1] scale
        EXPECT_LE(d, 1e-3);
        worst = std::max(worst, d);
        exact += image_test::sha256(v.data(), v.size() * 4) == c["sha256"];
        ++n;
    }
    RecordProperty("max_abs_diff_01", std::to_string(worst));
    RecordProperty("bit_exact", std::to_string(exact) + "/" + std::to_string(n));
    std::printf("apply_transform: max |diff| %.3g on a [0,1] scale; %d/%d outputs bit-identical\n",
                worst, exact, n);
}

TEST(ApplyTransform, FillModesOnTinyArrays) {
    const auto g = load_golden("apply_transform");
    for (const auto& c : g["small"]) {
        SCOPED_TRACE(c["name"].get<std::string>());
        const nlohmann::json& in = c["input"];
        const bool rank2 = !in[0][0].is_array();
        const std::int64_t h = in.size(), w = in[0].size(), ch = rank2 ? 1 : in[0][0].size();
        std::vector<float> xs;
        for (const auto& row : in)
            for (const auto& px : row)
                if (rank2) {
                    xs.push_back(px.get<float>());
                } else {
                    for (const auto& v : px) xs.push_back(v.get<float>());
                }
        const ImageDataGenerator gen({.fill_mode = c["fill_mode"], .cval = c["cval"]});
        const std::vector<float> out =
            gen.apply_transform(Tensor::from_vector(xs, {h, w, ch}), params_from(c["params"])).to_floats();
        std::size_t k = 0;
        for (const auto& row : c["output"])
            for (const auto& px : row)
                if (rank2) {
                    EXPECT_NEAR(out[k++], px.get<double>(), 1e-4);
                } else {
                    for (const auto& v : px) EXPECT_NEAR(out[k++], v.get<double>(), 1e-4);
                }
    }
}

TEST(ApplyTransform, IdentityAndFlips) {
    const Tensor x = Tensor::from_vector(std::vector<float>{1, 2, 3, 4, 5, 6}, {2, 3, 1});
    const ImageDataGenerator gen;
    EXPECT_EQ(gen.apply_transform(x, {}).to_floats(), x.to_floats());
    EXPECT_EQ(gen.apply_transform(x, {.flip_horizontal = true}).to_floats(),
              (std::vector<float>{3, 2, 1, 6, 5, 4}));
    EXPECT_EQ(gen.apply_transform(x, {.flip_vertical = true}).to_floats(),
              (std::vector<float>{4, 5, 6, 1, 2, 3}));
    EXPECT_THROW(gen.apply_transform(Tensor::zeros({2, 3}), {}), Error);
}

TEST(GetRandomTransform, RangesAndReproducibility) {
    const ImageDataGenerator gen({.rotation_range = 40, .width_shift_range = 0.2,
                                  .height_shift_range = 0.1, .shear_range = 20,
                                  .zoom_range = {0.2}, .horizontal_flip = true});
    const Shape s{150, 100, 3};
    int flips = 0;
    for (std::uint64_t seed = 0; seed < 400; ++seed) {
        const TransformParams p = gen.get_random_transform(s, seed);
        const TransformParams q = gen.get_random_transform(s, seed);
        EXPECT_EQ(p.theta, q.theta);
        EXPECT_EQ(p.zy, q.zy);
        EXPECT_LE(std::fabs(p.theta), 40.0);
        EXPECT_LE(std::fabs(p.tx), 0.1 * 150);  // height_shift feeds tx (rows)
        EXPECT_LE(std::fabs(p.ty), 0.2 * 100);  // width_shift feeds ty (columns)
        EXPECT_LE(std::fabs(p.shear), 20.0);
        EXPECT_TRUE(p.zx >= 0.8 && p.zx <= 1.2 && p.zy >= 0.8 && p.zy <= 1.2);
        EXPECT_FALSE(p.flip_vertical);
        flips += p.flip_horizontal;
    }
    EXPECT_GT(flips, 150);
    EXPECT_LT(flips, 250);
    // Pixel ranges >= 1 are absolute.
    const ImageDataGenerator px({.width_shift_range = 3.0});
    for (std::uint64_t seed = 0; seed < 50; ++seed) EXPECT_LE(std::fabs(px.get_random_transform(s, seed).ty), 3.0);
}

TEST(ImageDataGenerator, RejectsBadOptions) {
    EXPECT_THROW(ImageDataGenerator({.fill_mode = "mirror"}), Error);
    EXPECT_THROW(ImageDataGenerator({.validation_split = 1.5}), Error);
    EXPECT_THROW(ImageDataGenerator({.zoom_range = {0.1, 0.2, 0.3}}), Error);
    EXPECT_THROW(ImageDataGenerator({.rotation_range = -5}), Error);
}

TEST(ImageDataGenerator, StandardizeRescales) {
    const ImageDataGenerator gen({.rescale = 1.0 / 255});
    const Tensor x = Tensor::from_vector(std::vector<float>{0, 255, 51}, {1, 3, 1});
    const auto y = gen.standardize(x).to_floats();
    EXPECT_FLOAT_EQ(y[1], 1.0f);
    EXPECT_FLOAT_EQ(y[2], 0.2f);
}

}  // namespace
}  // namespace tfc::data
