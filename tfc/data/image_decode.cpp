// JPEG / PNG decoding, PIL colour conversion, load_img, img_to_array and array_to_img.
// libjpeg reports fatal errors through error_exit, which by default calls exit(); ours jumps back
// with longjmp and turns the message into a tfc::Error. The libjpeg state lives on the heap so that
// nothing a longjmp could leave indeterminate is a local of the function that called setjmp.
#include <csetjmp>
#include <cstdio>
#include <fstream>
#include <memory>

// jpeglib.h needs FILE and size_t before it.
#include <jpeglib.h>
#include <jerror.h>
#include <png.h>

#include "tfc/core/error.h"
#include "tfc/data/image.h"
#include "tfc/data/image_impl.h"

namespace tfc::data {
namespace image_impl {
namespace {

struct JpegErrorManager {
    jpeg_error_mgr pub;
    std::jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpeg_error_exit(j_common_ptr cinfo) {
    auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, err->message);
    std::longjmp(err->jump, 1);
}

// Warnings (msg_level -1) are silent, except premature end of data: PIL refuses truncated images
// ("image file is truncated"), so we do too instead of returning grey-filled rows.
void jpeg_emit_message(j_common_ptr cinfo, int msg_level) {
    auto* err = reinterpret_cast<JpegErrorManager*>(cinfo->err);
    if (msg_level < 0 && cinfo->err->msg_code == JWRN_JPEG_EOF) {
        std::snprintf(err->message, sizeof(err->message), "the data ends before the image does");
        std::longjmp(err->jump, 1);
    }
    if (msg_level < 0) cinfo->err->num_warnings++;
}

struct JpegState {
    jpeg_decompress_struct cinfo{};
    JpegErrorManager err{};
    Image out{};
    std::vector<JSAMPROW> rows{};
};

}  // namespace

Image decode_jpeg(const std::uint8_t* data, std::size_t size, const std::string& name,
                  bool want_grayscale) {
    auto state = std::make_unique<JpegState>();
    JpegState* const s = state.get();
    s->cinfo.err = jpeg_std_error(&s->err.pub);
    s->err.pub.error_exit = jpeg_error_exit;
    s->err.pub.emit_message = jpeg_emit_message;
    if (setjmp(s->err.jump)) {
        jpeg_destroy_decompress(&s->cinfo);
        fail("decode_image", "corrupt or truncated JPEG in " + name + " (" + s->err.message + ")",
             std::to_string(size) + " bytes", "a complete baseline or progressive JPEG",
             "re-encode or remove the file");
    }
    jpeg_create_decompress(&s->cinfo);
    jpeg_mem_src(&s->cinfo, data, static_cast<unsigned long>(size));
    jpeg_read_header(&s->cinfo, TRUE);
    const J_COLOR_SPACE in_space = s->cinfo.jpeg_color_space;
    if (in_space == JCS_CMYK || in_space == JCS_YCCK) {
        jpeg_destroy_decompress(&s->cinfo);
        fail("decode_image", "CMYK JPEGs are not supported (" + name + ")", "a CMYK/YCCK JPEG",
             "a greyscale or colour (YCbCr/RGB) JPEG", "convert the file to RGB");
    }
    const bool gray_file = in_space == JCS_GRAYSCALE;
    s->cinfo.out_color_space = (gray_file || want_grayscale) ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&s->cinfo);
    s->out.height = s->cinfo.output_height;
    s->out.width = s->cinfo.output_width;
    s->out.channels = s->cinfo.output_components;
    const std::size_t stride = static_cast<std::size_t>(s->out.width * s->out.channels);
    s->out.pixels.resize(stride * static_cast<std::size_t>(s->out.height));
    s->rows.resize(static_cast<std::size_t>(s->out.height));
    for (std::int64_t r = 0; r < s->out.height; ++r)
        s->rows[static_cast<std::size_t>(r)] = s->out.pixels.data() + stride * static_cast<std::size_t>(r);
    while (s->cinfo.output_scanline < s->cinfo.output_height) {
        jpeg_read_scanlines(&s->cinfo, s->rows.data() + s->cinfo.output_scanline,
                            s->cinfo.output_height - s->cinfo.output_scanline);
    }
    jpeg_finish_decompress(&s->cinfo);
    jpeg_destroy_decompress(&s->cinfo);
    return std::move(s->out);
}

Image decode_png(const std::uint8_t* data, std::size_t size, const std::string& name) {
    png_image img{};
    img.version = PNG_IMAGE_VERSION;
    auto png_fail = [&](const char* what) {
        const std::string msg = img.message;
        png_image_free(&img);
        fail("decode_image", std::string(what) + " PNG in " + name + " (" + msg + ")",
             std::to_string(size) + " bytes", "a complete PNG file", "re-encode or remove the file");
    };
    if (!png_image_begin_read_from_memory(&img, data, size)) png_fail("unreadable");
    const bool color = (img.format & PNG_FORMAT_FLAG_COLOR) != 0;
    const bool alpha = (img.format & PNG_FORMAT_FLAG_ALPHA) != 0;
    img.format = color ? (alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB)
                       : (alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY);
    Image out;
    out.height = img.height;
    out.width = img.width;
    out.channels = (color ? 3 : 1) + (alpha ? 1 : 0);
    out.pixels.resize(PNG_IMAGE_SIZE(img));
    if (!png_image_finish_read(&img, nullptr, out.pixels.data(), 0, nullptr))
        png_fail("corrupt or truncated");
    png_image_free(&img);
    return out;
}

Image convert_mode(Image image, const std::string& color_mode) {
    const std::int64_t c = image.channels;
    const std::int64_t want = color_mode == "rgb" ? 3 : color_mode == "rgba" ? 4 : 1;
    if (c == want) return image;
    const std::size_t n = static_cast<std::size_t>(image.height * image.width);
    Image out{image.height, image.width, want, std::vector<std::uint8_t>(n * static_cast<std::size_t>(want))};
    const std::uint8_t* src = image.pixels.data();
    std::uint8_t* dst = out.pixels.data();
    for (std::size_t i = 0; i < n; ++i, src += c, dst += want) {
        std::uint8_t rgb[3];
        const std::uint8_t a = (c == 2 || c == 4) ? src[c - 1] : 255;
        if (c <= 2) {
            rgb[0] = rgb[1] = rgb[2] = src[0];
        } else {
            rgb[0] = src[0], rgb[1] = src[1], rgb[2] = src[2];
        }
        if (want == 1) {
            // PIL's L = R*299/1000 + G*587/1000 + B*114/1000 in 16-bit fixed point (Convert.c L24).
            dst[0] = c <= 2 ? src[0]
                            : static_cast<std::uint8_t>((rgb[0] * 19595 + rgb[1] * 38470 +
                                                         rgb[2] * 7471 + 0x8000) >> 16);
        } else {
            dst[0] = rgb[0], dst[1] = rgb[1], dst[2] = rgb[2];
            if (want == 4) dst[3] = a;
        }
    }
    return out;
}

std::vector<std::uint8_t> read_file(const std::string& path, const std::string& where) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) {
        fail(where, "cannot open the image file", "'" + path + "'", "an existing, readable file",
             "check the path (relative paths start at the working directory)");
    }
    const std::streamsize size = in.tellg();
    std::vector<std::uint8_t> bytes(static_cast<std::size_t>(size < 0 ? 0 : size));
    in.seekg(0);
    if (size > 0 && !in.read(reinterpret_cast<char*>(bytes.data()), size)) {
        fail(where, "cannot read the image file", "'" + path + "'", "a readable file",
             "check the file's permissions");
    }
    return bytes;
}

}  // namespace image_impl

namespace {

std::string sniff_format(const std::uint8_t* d, std::size_t n) {
    auto starts = [&](std::initializer_list<int> magic) {
        if (n < magic.size()) return false;
        std::size_t i = 0;
        for (int m : magic)
            if (d[i++] != m) return false;
        return true;
    };
    if (starts({0xFF, 0xD8, 0xFF})) return "jpeg";
    if (starts({0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A})) return "png";
    if (starts({'B', 'M'})) return "bmp";
    if (starts({'G', 'I', 'F', '8'})) return "gif";
    if (starts({'I', 'I', 42, 0}) || starts({'M', 'M', 0, 42})) return "tiff";
    if (n >= 2 && d[0] == 'P' && d[1] >= '1' && d[1] <= '7') return "ppm";
    return "";
}

void check_options(const LoadImgOptions& o, const std::string& where) {
    TFC_CHECK(o.color_mode == "rgb" || o.color_mode == "grayscale" || o.color_mode == "rgba",
              where, "unknown color_mode", "'" + o.color_mode + "'",
              "\"rgb\", \"grayscale\" or \"rgba\"", "pass one of those");
    TFC_CHECK(o.interpolation == "nearest" || o.interpolation == "bilinear", where,
              "unsupported interpolation", "'" + o.interpolation + "'",
              "\"nearest\" or \"bilinear\"", "pass one of those");
    TFC_CHECK(o.target_size.empty() || (o.target_size.height > 0 && o.target_size.width > 0), where,
              "target_size must be positive",
              "(" + std::to_string(o.target_size.height) + ", " + std::to_string(o.target_size.width) + ")",
              "(height, width) > 0, or {} to keep the size", "fix target_size");
}

}  // namespace

Image decode_image(const std::uint8_t* data, std::size_t size, const LoadImgOptions& options,
                   const std::string& name) {
    check_options(options, "decode_image");
    const std::string format = sniff_format(data, size);
    Image img;
    if (format == "jpeg") {
        img = image_impl::decode_jpeg(data, size, name, false);
    } else if (format == "png") {
        img = image_impl::decode_png(data, size, name);
    } else {
        fail("decode_image", "not a JPEG or PNG image: " + name,
             format.empty() ? "unrecognised content (" + std::to_string(size) + " bytes)"
                            : "a " + format + " file",
             "JPEG or PNG data", "convert the file to JPEG or PNG, or remove it from the folder");
    }
    img = image_impl::convert_mode(std::move(img), options.color_mode);
    const ImageSize ts = options.target_size;
    if (!ts.empty() && (ts.height != img.height || ts.width != img.width))
        img = resize_image(img, ts, options.interpolation);
    return img;
}

Image decode_image(const std::vector<std::uint8_t>& bytes, const LoadImgOptions& options,
                   const std::string& name) {
    return decode_image(bytes.data(), bytes.size(), options, name);
}

Image load_img(const std::string& path, const LoadImgOptions& options) {
    const std::vector<std::uint8_t> bytes = image_impl::read_file(path, "load_img");
    return decode_image(bytes, options, "'" + path + "'");
}

Tensor img_to_array(const Image& image) {
    Tensor x = Tensor::empty({image.height, image.width, image.channels});
    float* dst = x.data<float>();
    for (std::size_t i = 0; i < image.pixels.size(); ++i) dst[i] = image.pixels[i];
    return x;
}

Image array_to_img(const Tensor& x) {
    TFC_CHECK(x.rank() == 3 && (x.dim(2) == 1 || x.dim(2) == 3 || x.dim(2) == 4), "array_to_img",
              "expected an HWC image", shape_str(x.shape()), "(height, width, 1 | 3 | 4)",
              "reshape the array");
    const std::vector<float> v = x.to_floats();
    Image out{x.dim(0), x.dim(1), x.dim(2), std::vector<std::uint8_t>(v.size())};
    for (std::size_t i = 0; i < v.size(); ++i) {
        const float f = v[i] < 0.f ? 0.f : v[i] > 255.f ? 255.f : v[i];
        out.pixels[i] = static_cast<std::uint8_t>(f);
    }
    return out;
}

}  // namespace tfc::data
