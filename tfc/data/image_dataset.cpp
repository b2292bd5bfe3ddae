// image_dataset_from_directory, following keras/utils/image_dataset.py and dataset_utils.py
// (TF 2.x): index_directory, the seeded shuffle of the file list, the split that takes the LAST
// int(split * n) files for "validation", then shuffle(8 * batch_size) -> batch -> decode + resize.
// The decode runs per batch on OpenMP threads.
#include "tfc/data/image_dataset.h"

#include <algorithm>
#include <exception>
#include <mutex>

#include "tfc/core/error.h"
#include "tfc/core/random.h"
#include "tfc/data/image_impl.h"

namespace tfc::data {
namespace {

constexpr const char* kWhere = "image_dataset_from_directory";

void check_options(const ImageDatasetOptions& o) {
    TFC_CHECK(o.labels == "inferred" || o.labels == "none", kWhere, "invalid labels",
              "'" + o.labels + "'", "\"inferred\" or \"none\"",
              "use \"inferred\" to label by sub-folder");
    TFC_CHECK(o.label_mode == "int" || o.label_mode == "categorical" || o.label_mode == "binary" ||
                  o.label_mode == "none",
              kWhere, "invalid label_mode", "'" + o.label_mode + "'",
              "\"int\", \"categorical\", \"binary\" or \"none\"", "pass one of those");
    TFC_CHECK(o.color_mode == "rgb" || o.color_mode == "grayscale" || o.color_mode == "rgba", kWhere,
              "invalid color_mode", "'" + o.color_mode + "'", "\"rgb\", \"grayscale\" or \"rgba\"",
              "pass one of those");
    TFC_CHECK(o.interpolation == "bilinear" || o.interpolation == "nearest", kWhere,
              "unsupported interpolation", "'" + o.interpolation + "'", "\"bilinear\" or \"nearest\"",
              "pass one of those");
    TFC_CHECK(o.batch_size > 0, kWhere, "batch_size must be positive", std::to_string(o.batch_size),
              "an integer >= 1", "pass e.g. .batch_size = 32");
    TFC_CHECK(o.image_size.height > 0 && o.image_size.width > 0, kWhere, "image_size must be positive",
              "(" + std::to_string(o.image_size.height) + ", " + std::to_string(o.image_size.width) + ")",
              "(height, width) > 0", "pass e.g. .image_size = {180, 180}");
    TFC_CHECK(o.validation_split >= 0.0 && o.validation_split < 1.0, kWhere,
              "validation_split must be between 0 and 1", std::to_string(o.validation_split),
              "0 < validation_split < 1", "pass e.g. 0.2");
    TFC_CHECK(o.subset.empty() || o.subset == "training" || o.subset == "validation", kWhere,
              "invalid subset", "'" + o.subset + "'", "\"training\", \"validation\" or empty",
              "pass one of those");
    TFC_CHECK((o.validation_split > 0) == !o.subset.empty(), kWhere,
              "subset and validation_split go together",
              "validation_split=" + std::to_string(o.validation_split) + ", subset='" + o.subset + "'",
              "both set or both unset", "set .validation_split together with .subset");
    TFC_CHECK(!(o.validation_split > 0 && o.shuffle && !o.seed), kWhere,
              "a seed is needed to split shuffled data", "no seed",
              "the same seed for the \"training\" and \"validation\" calls",
              "pass .seed = 123 to both calls");
}

}  // namespace

ImageDataset image_dataset_from_directory(const std::string& directory, ImageDatasetOptions o) {
    check_options(o);
    const bool labelled = o.labels == "inferred" && o.label_mode != "none";
    std::vector<std::string> subdirs;
    std::vector<std::string> class_names;
    if (o.labels == "inferred") {
        subdirs = image_impl::list_subdirs(directory, kWhere);
        if (!o.class_names.empty()) {
            std::vector<std::string> given = o.class_names;
            std::sort(given.begin(), given.end());
            TFC_CHECK(given == subdirs, kWhere, "class_names do not match the sub-folders",
                      std::to_string(o.class_names.size()) + " class_names",
                      "exactly the " + std::to_string(subdirs.size()) + " sub-folder names",
                      "pass the folder names (any order) or leave class_names empty");
            subdirs = o.class_names;  // keep the given order
        }
        class_names = subdirs;
    } else {
        image_impl::list_subdirs(directory, kWhere);  // checks that the folder exists
        subdirs = {""};
    }
    TFC_CHECK(!(o.label_mode == "binary" && labelled && class_names.size() != 2), kWhere,
              "label_mode \"binary\" needs exactly 2 classes", std::to_string(class_names.size()),
              "2 class folders", "use label_mode \"int\" or \"categorical\"");
    static const std::vector<std::string> kFormats = {".bmp", ".gif", ".jpeg", ".jpg", ".png"};
    std::vector<std::string> paths;
    std::vector<std::int32_t> labels;
    for (std::size_t k = 0; k < subdirs.size(); ++k) {
        const std::string dir = subdirs[k].empty() ? directory : directory + "/" + subdirs[k];
        for (const auto& f : image_impl::list_valid_files(dir, kFormats, o.follow_links)) {
            paths.push_back(dir + "/" + f);
            labels.push_back(static_cast<std::int32_t>(k));
        }
    }
    if (o.shuffle) {
        const std::uint64_t seed = o.seed ? *o.seed : global_generator().next_u64();
        Generator rng(seed);
        const std::vector<std::int64_t> perm = rng.permutation(static_cast<std::int64_t>(paths.size()));
        std::vector<std::string> p2;
        std::vector<std::int32_t> l2;
        for (std::int64_t i : perm) {
            p2.push_back(paths[static_cast<std::size_t>(i)]);
            l2.push_back(labels[static_cast<std::size_t>(i)]);
        }
        paths.swap(p2);
        labels.swap(l2);
    }
    if (!o.subset.empty()) {
        // Keras: samples[:-k] / samples[-k:], including its k = 0 behaviour ([] / everything).
        const auto n = static_cast<std::int64_t>(paths.size());
        const auto k = static_cast<std::int64_t>(o.validation_split * static_cast<double>(n));
        const std::int64_t cut = k == 0 ? 0 : n - k;
        if (o.subset == "training") {
            paths.resize(static_cast<std::size_t>(cut));
            labels.resize(static_cast<std::size_t>(cut));
        } else {
            paths.erase(paths.begin(), paths.begin() + cut);
            labels.erase(labels.begin(), labels.begin() + cut);
        }
    }
    TFC_CHECK(!paths.empty(), kWhere, "no images found", "'" + directory + "'",
              "files ending in .bmp, .gif, .jpeg, .jpg or .png (in class sub-folders)",
              "check the directory and the subset");

    std::vector<std::int64_t> order(paths.size());
    for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<std::int64_t>(i);
    Dataset ds = Dataset::from_tensor_slices(
        {Tensor::from_vector(order, {static_cast<std::int64_t>(order.size())})});
    if (o.shuffle) ds = ds.shuffle(o.batch_size * 8, {.seed = o.seed});
    ds = ds.batch(o.batch_size);

    const std::int64_t channels = o.color_mode == "rgb" ? 3 : o.color_mode == "rgba" ? 4 : 1;
    const std::string label_mode = labelled ? o.label_mode : "none";
    const auto num_classes = static_cast<std::int64_t>(class_names.size());
    const ImageSize size = o.image_size;
    const std::string interpolation = o.interpolation, color_mode = o.color_mode;
    ds = ds.map([paths, labels, channels, label_mode, num_classes, size, interpolation,
                 color_mode](const Element& e) -> Element {
        const std::vector<double> idx = e[0].to_doubles();
        const auto b = static_cast<std::int64_t>(idx.size());
        const std::int64_t per = size.height * size.width * channels;
        Tensor x = Tensor::empty({b, size.height, size.width, channels});
        float* dst = x.data<float>();
        std::exception_ptr error;
        std::mutex mu;
#pragma omp parallel for schedule(dynamic)
        for (std::int64_t i = 0; i < b; ++i) {
            try {
                const std::string& path = paths[static_cast<std::size_t>(idx[static_cast<std::size_t>(i)])];
                const std::vector<std::uint8_t> bytes = image_impl::read_file(path, kWhere);
                Image img;
                if (bytes.size() >= 3 && bytes[0] == 0xFF && bytes[1] == 0xD8 && bytes[2] == 0xFF) {
                    // TF asks libjpeg for grey output directly.
                    img = image_impl::decode_jpeg(bytes.data(), bytes.size(), "'" + path + "'",
                                                  color_mode == "grayscale");
                    img = image_impl::convert_mode(std::move(img), color_mode);
                } else {
                    img = decode_image(bytes, {.color_mode = color_mode}, "'" + path + "'");
                }
                image_impl::tf_resize(img, size, interpolation, dst + i * per);
            } catch (...) {
                std::lock_guard<std::mutex> lock(mu);
                if (!error) error = std::current_exception();
            }
        }
        if (error) std::rethrow_exception(error);
        if (label_mode == "none") return {x};
        std::vector<std::int32_t> lab(static_cast<std::size_t>(b));
        for (std::int64_t i = 0; i < b; ++i)
            lab[static_cast<std::size_t>(i)] = labels[static_cast<std::size_t>(idx[static_cast<std::size_t>(i)])];
        if (label_mode == "int") return {x, Tensor::from_vector(lab, {b})};
        if (label_mode == "binary") {
            std::vector<float> v(lab.begin(), lab.end());
            return {x, Tensor::from_vector(v, {b, 1})};
        }
        Tensor y = Tensor::zeros({b, num_classes});
        for (std::int64_t i = 0; i < b; ++i) y.data<float>()[i * num_classes + lab[static_cast<std::size_t>(i)]] = 1.0f;
        return {x, y};
    });
    return ImageDataset(ds, class_names, paths);
}

}  // namespace tfc::data
