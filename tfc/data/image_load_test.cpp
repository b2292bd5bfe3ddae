// load_img / decode_image against keras_preprocessing's load_img (PIL) on the flowers JPEGs, and
// the error paths (missing, truncated, corrupt and non-image files).
#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <unistd.h>

#include "tfc/core/error.h"
#include "tfc/data/image.h"
#include "tfc/data/image_test_util.h"

namespace tfc::data {
namespace {

using image_test::flowers;
using image_test::load_golden;
using image_test::sha256;

std::string first_file(const std::string& rel) {
    std::vector<std::string> files;
    for (const auto& e : std::filesystem::directory_iterator(flowers(rel))) files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    return files.at(0);
}

TEST(ImageLoad, MatchesPilForEveryCase) {
    TFC_SKIP_WITHOUT_SHARED();
    const auto g = load_golden("load_img");
    int images = 0, exact = 0;
    double worst = 0.0;
    for (const auto& c : g["cases"]) {
        LoadImgOptions o{.color_mode = c["color_mode"], .interpolation = c["interpolation"]};
        if (!c["target_size"].is_null()) o.target_size = {c["target_size"][0], c["target_size"][1]};
        for (const auto& im : c["images"]) {
            const Image img = load_img(flowers(im["file"]), o);
            const auto shape = im["shape"].get<std::vector<std::int64_t>>();
            ASSERT_EQ(img.height, shape[0]);
            ASSERT_EQ(img.width, shape[1]);
            ASSERT_EQ(img.channels, shape[2]);
            ++images;
            exact += sha256(img.pixels.data(), img.pixels.size()) == im["sha256"];
            if (im.contains("grid")) {
                std::vector<float> v(img.pixels.begin(), img.pixels.end());
                worst = std::max(worst, image_test::summary_max_diff(im, v));
            }
        }
    }
    RecordProperty("exact", exact);
    EXPECT_EQ(exact, images) << "images whose bytes differ from PIL's";
    EXPECT_EQ(worst, 0.0);
}

TEST(ImageLoad, DecodesAllFlowersLikePil) {
    TFC_SKIP_WITHOUT_SHARED();
    const auto g = load_golden("load_img")["all_decoded"];
    testing::Sha256 h;
    std::int64_t count = 0;
    for (const char* split : {"train", "validation", "test"}) {
        for (const char* cls : {"daisy", "dandelion", "roses", "sunflowers", "tulips"}) {
            std::vector<std::string> files;
            for (const auto& e : std::filesystem::directory_iterator(flowers(std::string(split) + "/" + cls)))
                files.push_back(e.path().string());
            std::sort(files.begin(), files.end());
            for (const auto& f : files) {
                const Image img = load_img(f);
                h.update(img.pixels.data(), img.pixels.size());
                ++count;
            }
        }
    }
    EXPECT_EQ(count, g["count"].get<std::int64_t>());
    EXPECT_EQ(h.hex(), g["sha256"].get<std::string>());
}

TEST(ImageLoad, ImgToArrayIsFloatHwc) {
    TFC_SKIP_WITHOUT_SHARED();
    const Image img = load_img(first_file("validation/roses"));
    const Tensor x = img_to_array(img);
    ASSERT_EQ(x.shape(), (Shape{img.height, img.width, 3}));
    EXPECT_EQ(x.dtype(), DType::float32);
    for (std::size_t i = 0; i < img.pixels.size(); i += 97) EXPECT_EQ(x.at(static_cast<std::int64_t>(i)), img.pixels[i]);
    const Image back = array_to_img(x);
    EXPECT_EQ(back.pixels, img.pixels);
}

TEST(ImageLoad, DecodeFromMemoryEqualsLoadImg) {
    TFC_SKIP_WITHOUT_SHARED();
    const std::string first = first_file("train/daisy");
    std::ifstream in(first, std::ios::binary);
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const Image a = decode_image(bytes, {.color_mode = "grayscale", .target_size = {50, 70}});
    const Image b = load_img(first, {.color_mode = "grayscale", .target_size = {50, 70}});
    EXPECT_EQ(a.pixels, b.pixels);
    EXPECT_EQ(a.channels, 1);
}

class ImageErrors : public ::testing::Test {
protected:
    std::string dir = std::filesystem::temp_directory_path().string() + "/tfc_image_errors_" +
                      std::to_string(::getpid());
    void SetUp() override { std::filesystem::create_directories(dir); }
    void TearDown() override { std::filesystem::remove_all(dir); }
    std::vector<std::uint8_t> jpeg_bytes() {
        std::ifstream in(first_file("test/tulips"), std::ios::binary);
        return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    }
    static std::string message_of(const std::function<void()>& fn) {
        try {
            fn();
        } catch (const Error& e) {
            return e.what();
        }
        return "";
    }
};

TEST_F(ImageErrors, MissingFile) {
    const std::string m = message_of([&] { load_img(dir + "/nope.jpg"); });
    EXPECT_NE(m.find("[load_img] cannot open"), std::string::npos) << m;
    EXPECT_NE(m.find("Fix:"), std::string::npos);
}

TEST_F(ImageErrors, TruncatedJpegAtEveryLength) {
    TFC_SKIP_WITHOUT_SHARED();  // the cases start from a real flowers JPEG
    const auto bytes = jpeg_bytes();
    for (std::size_t n : {std::size_t{0}, std::size_t{2}, std::size_t{3}, std::size_t{20},
                          std::size_t{300}, bytes.size() / 2, bytes.size() - 10}) {
        const std::string m = message_of([&] { decode_image(bytes.data(), n); });
        EXPECT_NE(m.find("[decode_image]"), std::string::npos) << "length " << n << ": " << m;
    }
}

TEST_F(ImageErrors, CorruptJpegAndPng) {
    TFC_SKIP_WITHOUT_SHARED();  // the cases start from a real flowers JPEG
    auto bytes = jpeg_bytes();
    for (std::size_t i = 20; i < 200; ++i) bytes[i] = static_cast<std::uint8_t>(i * 37);
    EXPECT_THROW(decode_image(bytes), Error);
    std::vector<std::uint8_t> png = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2};
    const std::string m = message_of([&] { decode_image(png); });
    EXPECT_NE(m.find("PNG"), std::string::npos) << m;
}

TEST_F(ImageErrors, NonImageFiles) {
    const std::string txt = "hello, not an image";
    std::vector<std::uint8_t> bytes(txt.begin(), txt.end());
    std::string m = message_of([&] { decode_image(bytes, {}, "notes.txt"); });
    EXPECT_NE(m.find("not a JPEG or PNG image: notes.txt"), std::string::npos) << m;
    std::vector<std::uint8_t> bmp = {'B', 'M', 0, 0, 0, 0};
    m = message_of([&] { decode_image(bmp); });
    EXPECT_NE(m.find("a bmp file"), std::string::npos) << m;
}

TEST_F(ImageErrors, BadOptions) {
    TFC_SKIP_WITHOUT_SHARED();  // the cases start from a real flowers JPEG
    const auto bytes = jpeg_bytes();
    EXPECT_THROW(decode_image(bytes, {.color_mode = "cmyk"}), Error);
    EXPECT_THROW(decode_image(bytes, {.target_size = {10, 10}, .interpolation = "lanczos"}), Error);
    EXPECT_THROW(decode_image(bytes, {.target_size = {-1, 10}}), Error);
}

}  // namespace
}  // namespace tfc::data
