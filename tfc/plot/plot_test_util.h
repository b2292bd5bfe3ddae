// Test helpers shared by the plot tests: a scratch folder, PNG read-back with cairo and pixel
// counting, and checks on error messages.
#pragma once

#include <cairo/cairo.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/plot/palette.h"

namespace tfc::plot::testing {

namespace fs = std::filesystem;

// A fresh folder, removed with its content at the end of the test.
class ScratchDir {
  public:
    ScratchDir() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        path_ = fs::temp_directory_path() / ("tfc_plot_" + std::to_string(getpid()) + "_" +
                                             info->test_suite_name() + "_" + info->name());
        fs::remove_all(path_);
        fs::create_directories(path_);
    }
    ~ScratchDir() {
        std::error_code ec;
        fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
        fs::remove_all(path_, ec);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const fs::path& path() const { return path_; }

    // Names of everything in the folder, sorted.
    std::vector<std::string> entries() const {
        std::vector<std::string> names;
        for (const auto& e : fs::directory_iterator(path_)) names.push_back(e.path().filename());
        std::sort(names.begin(), names.end());
        return names;
    }

  private:
    fs::path path_;
};

struct Image {
    int width = 0, height = 0;
    std::vector<uint32_t> pixels;  // 0xAARRGGBB, row-major

    // Pixels within `tol` per channel of `c` in columns [x0, x1).
    int count_color(Rgb c, int x0, int x1, int tol = 12) const {
        int n = 0;
        for (int y = 0; y < height; ++y) {
            for (int x = std::max(0, x0); x < std::min(width, x1); ++x) {
                const uint32_t p = pixels[static_cast<size_t>(y) * width + x];
                const int r = (p >> 16) & 0xff, g = (p >> 8) & 0xff, b = p & 0xff;
                n += std::abs(r - c.r) <= tol && std::abs(g - c.g) <= tol &&
                     std::abs(b - c.b) <= tol;
            }
        }
        return n;
    }
};

// Reads a PNG with cairo; width stays 0 when the file is not a readable PNG.
inline Image read_png(const std::string& path) {
    Image img;
    cairo_surface_t* s = cairo_image_surface_create_from_png(path.c_str());
    if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
        cairo_surface_flush(s);
        img.width = cairo_image_surface_get_width(s);
        img.height = cairo_image_surface_get_height(s);
        const int stride = cairo_image_surface_get_stride(s);
        const unsigned char* data = cairo_image_surface_get_data(s);
        img.pixels.resize(static_cast<size_t>(img.width) * img.height);
        for (int y = 0; y < img.height; ++y) {
            const auto* row =
                reinterpret_cast<const uint32_t*>(data + static_cast<size_t>(y) * stride);
            std::copy(row, row + img.width,
                      img.pixels.begin() + static_cast<size_t>(y) * img.width);
        }
    }
    cairo_surface_destroy(s);
    return img;
}

inline std::string read_text(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

// Runs `fn`, expects a tfc::Error whose message contains every part.
inline void expect_error(const std::function<void()>& fn,
                         std::initializer_list<std::string> parts) {
    try {
        fn();
        ADD_FAILURE() << "no tfc::Error thrown";
    } catch (const tfc::Error& e) {
        const std::string msg = e.what();
        for (const std::string& part : parts) {
            EXPECT_NE(msg.find(part), std::string::npos)
                << "missing \"" << part << "\" in: " << msg;
        }
        EXPECT_NE(msg.find(" Got "), std::string::npos) << msg;
        EXPECT_NE(msg.find(", expected "), std::string::npos) << msg;
        EXPECT_NE(msg.find(" Fix: "), std::string::npos) << msg;
    }
}

}  // namespace tfc::plot::testing
