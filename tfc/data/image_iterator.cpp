// ImageDataGenerator's iterators: flow (NumpyArrayIterator) and flow_from_directory
// (DirectoryIterator), with keras_preprocessing's Iterator bookkeeping: batch_index,
// total_batches_seen, reseeding with seed + total_batches_seen before each batch, a new
// permutation at each epoch start. tfc's Generator stands in for NumPy's global RNG.
// The random parameters of a batch are drawn in order first; then the images are decoded and
// transformed in parallel (OpenMP), so results do not depend on the number of threads.
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>

#include "tfc/core/error.h"
#include "tfc/data/image_data_generator.h"
#include "tfc/data/image_impl.h"

namespace tfc::data {

struct ImageIterator::State {
    std::int64_t n = 0;
    std::int64_t batch_size = 32;
    bool shuffle = true;
    std::optional<std::uint64_t> seed{};
    std::int64_t batch_index = 0;
    std::int64_t total_batches_seen = 0;
    std::vector<std::int64_t> index_array{};
    bool has_index = false;
    Generator rng{0};
    std::mutex mu;
    // Builds the batch for these sample indices, drawing random parameters from rng.
    std::function<Element(const std::vector<std::int64_t>&, Generator&)> make_batch;

    void set_index_array() {
        if (shuffle) {
            index_array = rng.permutation(n);
        } else {
            index_array.resize(static_cast<std::size_t>(n));
            for (std::int64_t i = 0; i < n; ++i) index_array[static_cast<std::size_t>(i)] = i;
        }
        has_index = true;
    }
    std::vector<std::int64_t> slice(std::int64_t start) const {
        const std::int64_t stop = std::min(start + batch_size, n);
        return {index_array.begin() + start, index_array.begin() + std::max(start, stop)};
    }
};

namespace {

// Runs fn(i) for i in [0, count) on OpenMP threads and rethrows the first exception.
void parallel_for(std::int64_t count, const std::function<void(std::int64_t)>& fn) {
    std::exception_ptr error;
    std::mutex mu;
#pragma omp parallel for schedule(dynamic)
    for (std::int64_t i = 0; i < count; ++i) {
        try {
            fn(i);
        } catch (...) {
            std::lock_guard<std::mutex> lock(mu);
            if (!error) error = std::current_exception();
        }
    }
    if (error) std::rethrow_exception(error);
}

void check_batch_size(std::int64_t b, const char* where) {
    TFC_CHECK(b > 0, where, "batch_size must be positive", std::to_string(b), "an integer >= 1",
              "pass e.g. .batch_size = 32");
}

void check_subset(const std::string& subset, const char* where) {
    TFC_CHECK(subset.empty() || subset == "training" || subset == "validation", where,
              "invalid subset", "'" + subset + "'", "\"training\", \"validation\" or empty",
              "pass one of those");
}

// The per-sample tail shared by both iterators: transform into dst, then rescale.
void transform_one(const ImageDataGenerator& gen, const float* src, const Shape& s,
                   const TransformParams& p, float* dst) {
    gen.apply_transform(src, s[0], s[1], s[2], p, dst);
    const double rescale = gen.options().rescale;
    if (rescale != 0.0) {
        const auto f = static_cast<float>(rescale);
        for (std::int64_t i = 0, n = s[0] * s[1] * s[2]; i < n; ++i) dst[i] *= f;
    }
}

std::shared_ptr<ImageIterator::State> make_state(std::int64_t n, std::int64_t batch_size,
                                                 bool shuffle, std::optional<std::uint64_t> seed) {
    auto st = std::make_shared<ImageIterator::State>();
    st->n = n;
    st->batch_size = batch_size;
    st->shuffle = shuffle;
    st->seed = seed;
    st->rng.seed(seed ? *seed : global_generator().next_u64());
    return st;
}

}  // namespace

ImageIterator::ImageIterator(std::shared_ptr<State> state) : state_(std::move(state)) {}

std::int64_t ImageIterator::size() const {
    return (state_->n + state_->batch_size - 1) / state_->batch_size;
}
std::int64_t ImageIterator::n() const { return state_->n; }
std::int64_t ImageIterator::batch_size() const { return state_->batch_size; }

Element ImageIterator::operator[](std::int64_t index) {
    State& s = *state_;
    std::lock_guard<std::mutex> lock(s.mu);
    TFC_CHECK(index >= 0 && index < size(), "ImageIterator", "batch index out of range",
              std::to_string(index), "0 <= index < " + std::to_string(size()),
              "iterate over range(len(iterator))");
    if (s.seed) s.rng.seed(*s.seed + static_cast<std::uint64_t>(s.total_batches_seen));
    s.total_batches_seen++;
    if (!s.has_index) s.set_index_array();
    return s.make_batch(s.slice(index * s.batch_size), s.rng);
}

Element ImageIterator::next() {
    State& s = *state_;
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.seed) s.rng.seed(*s.seed + static_cast<std::uint64_t>(s.total_batches_seen));
    if (s.batch_index == 0) s.set_index_array();
    const std::int64_t current = s.n == 0 ? 0 : (s.batch_index * s.batch_size) % s.n;
    s.batch_index = s.n > current + s.batch_size ? s.batch_index + 1 : 0;
    s.total_batches_seen++;
    return s.make_batch(s.slice(current), s.rng);
}

void ImageIterator::on_epoch_end() {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->set_index_array();
}

void ImageIterator::reset() {
    std::lock_guard<std::mutex> lock(state_->mu);
    state_->batch_index = 0;
}

Dataset ImageIterator::as_dataset() const {
    ImageIterator self = *this;
    return Dataset::from_generator([self]() -> Dataset::Generator {
        auto i = std::make_shared<std::int64_t>(0);
        return [self, i]() mutable -> std::optional<Element> {
            if (*i >= self.size()) {
                if (*i == self.size()) self.on_epoch_end();
                *i = self.size() + 1;
                return std::nullopt;
            }
            return self[(*i)++];
        };
    });
}

// ---------------------------------------------------------------------------------------------
NumpyArrayIterator ImageDataGenerator::flow(const Tensor& x_in, const Tensor& y_in,
                                            FlowOptions options) const {
    constexpr const char* where = "ImageDataGenerator.flow";
    check_batch_size(options.batch_size, where);
    check_subset(options.subset, where);
    TFC_CHECK(x_in.defined() && x_in.rank() == 4, where, "x must be a batch of images",
              x_in.defined() ? shape_str(x_in.shape()) : "an undefined tensor",
              "(samples, height, width, channels)", "add a channel axis for greyscale images");
    TFC_CHECK(!y_in.defined() || (y_in.rank() >= 1 && y_in.dim(0) == x_in.dim(0)), where,
              "x and y have different numbers of samples",
              "x " + shape_str(x_in.shape()) + ", y " + (y_in.defined() ? shape_str(y_in.shape()) : ""),
              "the same first dimension", "pass one label row per image");
    Tensor x = x_in.dtype() == DType::float32 ? x_in : x_in.astype(DType::float32);
    Tensor y = y_in;
    std::int64_t first = 0, count = x.dim(0);
    if (!options.subset.empty()) {
        const auto split = static_cast<std::int64_t>(static_cast<double>(count) * options_.validation_split);
        if (options.subset == "validation") {
            count = split;
        } else {
            first = split;
            count -= split;
        }
    }
    auto st = make_state(count, options.batch_size, options.shuffle, options.seed);
    const ImageDataGenerator gen = *this;
    const Shape img_shape{x.dim(1), x.dim(2), x.dim(3)};
    st->make_batch = [gen, x, y, first, img_shape](const std::vector<std::int64_t>& idx,
                                                   Generator& rng) -> Element {
        const auto b = static_cast<std::int64_t>(idx.size());
        const std::int64_t per = img_shape[0] * img_shape[1] * img_shape[2];
        std::vector<TransformParams> params;
        for (std::int64_t i = 0; i < b; ++i) params.push_back(gen.get_random_transform(img_shape, rng));
        Tensor bx = Tensor::empty({b, img_shape[0], img_shape[1], img_shape[2]});
        const float* src = x.data<float>();
        float* dst = bx.data<float>();
        parallel_for(b, [&](std::int64_t i) {
            transform_one(gen, src + (first + idx[static_cast<std::size_t>(i)]) * per, img_shape,
                          params[static_cast<std::size_t>(i)], dst + i * per);
        });
        if (!y.defined()) return {bx};
        Shape ys = y.shape();
        ys[0] = b;
        Tensor by = Tensor::empty(ys, y.dtype());
        const std::size_t row = y.nbytes() / static_cast<std::size_t>(y.dim(0));
        const auto* ysrc = static_cast<const std::uint8_t*>(y.raw_data());
        auto* ydst = static_cast<std::uint8_t*>(by.raw_data());
        for (std::int64_t i = 0; i < b; ++i)
            std::memcpy(ydst + static_cast<std::size_t>(i) * row,
                        ysrc + static_cast<std::size_t>(first + idx[static_cast<std::size_t>(i)]) * row, row);
        return {bx, by};
    };
    return NumpyArrayIterator(st);
}

// ---------------------------------------------------------------------------------------------
DirectoryIterator::DirectoryIterator(std::shared_ptr<State> state,
                                     std::map<std::string, std::int64_t> ci,
                                     std::vector<std::string> fn, std::vector<std::int32_t> cl,
                                     std::string directory)
    : ImageIterator(std::move(state)), class_indices(std::move(ci)), filenames(std::move(fn)),
      classes(std::move(cl)), directory_(std::move(directory)) {}

std::vector<std::string> DirectoryIterator::filepaths() const {
    std::vector<std::string> out;
    for (const auto& f : filenames) out.push_back(directory_ + "/" + f);
    return out;
}

DirectoryIterator ImageDataGenerator::flow_from_directory(const std::string& directory,
                                                          FlowFromDirectoryOptions o) const {
    constexpr const char* where = "ImageDataGenerator.flow_from_directory";
    check_batch_size(o.batch_size, where);
    check_subset(o.subset, where);
    TFC_CHECK(o.class_mode == "categorical" || o.class_mode == "binary" || o.class_mode == "sparse" ||
                  o.class_mode == "input" || o.class_mode == "none" || o.class_mode.empty(),
              where, "invalid class_mode", "'" + o.class_mode + "'",
              "\"categorical\", \"binary\", \"sparse\", \"input\" or \"none\"", "pass one of those");
    TFC_CHECK(o.color_mode == "rgb" || o.color_mode == "grayscale" || o.color_mode == "rgba", where,
              "invalid color_mode", "'" + o.color_mode + "'", "\"rgb\", \"grayscale\" or \"rgba\"",
              "pass one of those");
    TFC_CHECK(o.target_size.height > 0 && o.target_size.width > 0, where,
              "target_size must be positive",
              "(" + std::to_string(o.target_size.height) + ", " + std::to_string(o.target_size.width) + ")",
              "(height, width) > 0", "pass e.g. .target_size = {150, 150}");
    TFC_CHECK(o.interpolation == "nearest" || o.interpolation == "bilinear", where,
              "unsupported interpolation", "'" + o.interpolation + "'", "\"nearest\" or \"bilinear\"",
              "pass one of those");
    std::vector<std::string> class_names =
        o.classes.empty() ? image_impl::list_subdirs(directory, where) : o.classes;
    std::map<std::string, std::int64_t> class_indices;
    for (std::size_t i = 0; i < class_names.size(); ++i)
        class_indices.emplace(class_names[i], static_cast<std::int64_t>(i));
    static const std::vector<std::string> kFormats = {"png", "jpg", "jpeg", "bmp", "ppm", "tif", "tiff"};
    std::vector<std::string> filenames;
    std::vector<std::int32_t> classes;
    for (std::size_t k = 0; k < class_names.size(); ++k) {
        const std::vector<std::string> files =
            image_impl::list_valid_files(directory + "/" + class_names[k], kFormats, o.follow_links);
        std::size_t start = 0, stop = files.size();
        if (!o.subset.empty()) {
            const double n = static_cast<double>(files.size()), vs = options_.validation_split;
            const double lo = o.subset == "validation" ? 0.0 : vs, hi = o.subset == "validation" ? vs : 1.0;
            start = static_cast<std::size_t>(lo * n);
            stop = static_cast<std::size_t>(hi * n);
        }
        for (std::size_t i = start; i < stop; ++i) {
            filenames.push_back(class_names[k] + "/" + files[i]);
            classes.push_back(static_cast<std::int32_t>(k));
        }
    }
    auto st = make_state(static_cast<std::int64_t>(filenames.size()), o.batch_size, o.shuffle, o.seed);
    const ImageDataGenerator gen = *this;
    const std::int64_t channels = o.color_mode == "rgb" ? 3 : o.color_mode == "rgba" ? 4 : 1;
    const Shape img_shape{o.target_size.height, o.target_size.width, channels};
    const LoadImgOptions load{.color_mode = o.color_mode, .target_size = o.target_size,
                              .interpolation = o.interpolation};
    std::vector<std::string> paths;
    for (const auto& f : filenames) paths.push_back(directory + "/" + f);
    const auto num_classes = static_cast<std::int64_t>(class_names.size());
    const std::string mode = o.class_mode;
    st->make_batch = [gen, paths, classes, img_shape, load, num_classes, mode](
                         const std::vector<std::int64_t>& idx, Generator& rng) -> Element {
        const auto b = static_cast<std::int64_t>(idx.size());
        const std::int64_t per = img_shape[0] * img_shape[1] * img_shape[2];
        std::vector<TransformParams> params;
        for (std::int64_t i = 0; i < b; ++i) params.push_back(gen.get_random_transform(img_shape, rng));
        Tensor bx = Tensor::empty({b, img_shape[0], img_shape[1], img_shape[2]});
        float* dst = bx.data<float>();
        parallel_for(b, [&](std::int64_t i) {
            const Image img = load_img(paths[static_cast<std::size_t>(idx[static_cast<std::size_t>(i)])], load);
            std::vector<float> src(img.pixels.begin(), img.pixels.end());
            transform_one(gen, src.data(), img_shape, params[static_cast<std::size_t>(i)], dst + i * per);
        });
        if (mode == "none" || mode.empty()) return {bx};
        if (mode == "input") return {bx, bx.clone()};
        Tensor by = mode == "categorical" ? Tensor::zeros({b, num_classes}) : Tensor::empty({b});
        float* y = by.data<float>();
        for (std::int64_t i = 0; i < b; ++i) {
            const std::int32_t k = classes[static_cast<std::size_t>(idx[static_cast<std::size_t>(i)])];
            if (mode == "categorical") {
                y[i * num_classes + k] = 1.0f;
            } else {
                y[i] = static_cast<float>(k);
            }
        }
        return {bx, by};
    };
    return DirectoryIterator(st, std::move(class_indices), std::move(filenames), std::move(classes),
                             directory);
}

}  // namespace tfc::data
