#include <cairo-svg.h>
#include <cairo.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <system_error>

#include "tfc/core/error.h"
#include "tfc/plot/figure_impl.h"
#include "tfc/plot/panel_impl.h"

namespace tfc::plot {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxSide = 20000;
constexpr double kFigureTitleFont = 16.0;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

fs::path folder_of(const std::string& path) {
    const fs::path parent = fs::path(path).parent_path();
    return parent.empty() ? fs::path(".") : parent;
}

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
    static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
    return CAIRO_STATUS_SUCCESS;
}

void draw_figure(cairo_t* cr, const FigureSpec& figure) {
    cairo_set_source_rgb(cr, 1.0, 1.0, 1.0);
    cairo_paint(cr);
    double top = 0.0;
    if (!figure.title.empty()) {
        cairo_select_font_face(cr, "sans-serif", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
        cairo_set_font_size(cr, kFigureTitleFont);
        cairo_text_extents_t ext;
        cairo_text_extents(cr, figure.title.c_str(), &ext);
        cairo_set_source_rgb(cr, 0.0, 0.0, 0.0);
        cairo_move_to(cr, (figure.width - ext.x_advance) / 2.0,
                      8.0 + kFigureTitleFont / 2.0 - (ext.y_bearing + ext.height / 2.0));
        cairo_show_text(cr, figure.title.c_str());
        top = kFigureTitleFont + 12.0;
    }
    const double panel_w = static_cast<double>(figure.width) /
                           static_cast<double>(std::max<size_t>(1, figure.panels.size()));
    for (size_t i = 0; i < figure.panels.size(); ++i) {
        draw_panel(cr, figure.panels[i], panel_w * static_cast<double>(i), top, panel_w,
                   figure.height - top);
    }
}

// Renders to an in-memory PNG or SVG document.
std::string render_bytes(const std::string& where, const FigureSpec& figure, ImageFormat format) {
    std::string bytes;
    cairo_surface_t* surface =
        format == ImageFormat::png
            ? cairo_image_surface_create(CAIRO_FORMAT_RGB24, figure.width, figure.height)
            : cairo_svg_surface_create_for_stream(append_bytes, &bytes, figure.width,
                                                  figure.height);
    cairo_t* cr = cairo_create(surface);
    draw_figure(cr, figure);
    cairo_status_t status = cairo_status(cr);
    cairo_destroy(cr);
    if (status == CAIRO_STATUS_SUCCESS) {
        if (format == ImageFormat::png) {
            status = cairo_surface_write_to_png_stream(surface, append_bytes, &bytes);
        } else {
            cairo_surface_finish(surface);
            status = cairo_surface_status(surface);
        }
    }
    cairo_surface_destroy(surface);
    if (status != CAIRO_STATUS_SUCCESS) {
        throw Error("[" + where + "] drawing failed. Got cairo status " +
                    quoted(cairo_status_to_string(status)) +
                    ", expected success. Fix: check the image size and free memory.");
    }
    return bytes;
}

fs::path temp_path_for(const fs::path& target) {
    static std::atomic<unsigned> counter{0};
    std::string name = ".";
    name += target.filename().string();
    name += ".tmp" + std::to_string(getpid()) + "_" + std::to_string(counter++);
    return target.parent_path() / name;
}

void write_atomic(const std::string& where, const std::string& path, const std::string& bytes) {
    const fs::path target = folder_of(path) / fs::path(path).filename();
    const fs::path temp = temp_path_for(target);
    auto fail = [&](const std::string& reason) {
        std::error_code ignored;
        fs::remove(temp, ignored);
        throw Error("[" + where + "] cannot write the output file. Got " + quoted(path) + " (" +
                    reason +
                    "), expected a writable file in an existing folder. Fix: choose "
                    "a folder you can write to, and a path that is not a folder.");
    };
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) fail(std::strerror(errno));
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        out.close();
        if (!out) fail("write error");
    }
    std::error_code ec;
    fs::rename(temp, target, ec);
    if (ec) fail(ec.message());
}

}  // namespace

ImageFormat check_output(const std::string& where, const std::string& path, int width, int height) {
    if (width < 100 || height < 100 || width > kMaxSide || height > kMaxSide) {
        throw Error("[" + where + "] invalid image size. Got " + std::to_string(width) + "x" +
                    std::to_string(height) + ", expected 100 to " + std::to_string(kMaxSide) +
                    " pixels per side. Fix: set width and height in the options.");
    }
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    ImageFormat format;
    if (ext == ".png") {
        format = ImageFormat::png;
    } else if (ext == ".svg") {
        format = ImageFormat::svg;
    } else {
        throw Error("[" + where + "] unknown file extension. Got " +
                    quoted(ext.empty() ? path : ext) +
                    ", expected \".png\" or \".svg\". Fix: end the file name with .png or .svg.");
    }
    const fs::path folder = folder_of(path);
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) {
        throw Error("[" + where + "] the output folder does not exist. Got " +
                    quoted(folder.string()) +
                    ", expected an existing folder. Fix: create it first, e.g. with "
                    "std::filesystem::create_directories.");
    }
    return format;
}

void render_figure(const std::string& where, const FigureSpec& figure, const std::string& path) {
    const ImageFormat format = check_output(where, path, figure.width, figure.height);
    write_atomic(where, path, render_bytes(where, figure, format));
}

}  // namespace tfc::plot
