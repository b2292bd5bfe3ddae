// ImageDataGenerator (keras_preprocessing 1.1 / tf.keras 2.x): random affine augmentation,
// rescaling, and batch iterators over arrays (flow) and class folders (flow_from_directory).
//   ImageDataGenerator gen({.rescale = 1.0 / 255, .rotation_range = 40, .width_shift_range = 0.2,
//                           .height_shift_range = 0.2, .shear_range = 0.2, .zoom_range = {0.2},
//                           .horizontal_flip = true, .fill_mode = "nearest"});
//   auto it = gen.flow_from_directory(dir, {.target_size = {150, 150}, .batch_size = 20,
//                                           .class_mode = "binary"});
//   Element b = it.next();  // b[0]: (20, 150, 150, 3) float32, b[1]: (20,) float32
// Random draws use tfc's Generator (splitmix64), not NumPy's Mersenne Twister: the same seed
// gives a reproducible but different sequence of transforms and shuffles than Keras.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tfc/core/random.h"
#include "tfc/core/tensor.h"
#include "tfc/data/dataset.h"
#include "tfc/data/image.h"

namespace tfc::data {

struct ImageDataGeneratorOptions {
    double rescale = 0.0;             // 0 = None; else x *= rescale after the transform
    double rotation_range = 0.0;      // degrees, theta ~ U(-r, r)
    double width_shift_range = 0.0;   // < 1: fraction of the width; >= 1: pixels
    double height_shift_range = 0.0;  // < 1: fraction of the height; >= 1: pixels
    double shear_range = 0.0;         // degrees
    std::vector<double> zoom_range{};  // {} or {0}: none; {z}: [1-z, 1+z]; {lo, hi}
    bool horizontal_flip = false;
    bool vertical_flip = false;
    std::string fill_mode = "nearest";  // "nearest", "constant", "reflect", "wrap"
    double cval = 0.0;
    double validation_split = 0.0;  // in [0, 1); used with subset "training" / "validation"
};

// The dictionary of get_random_transform / apply_transform. tx and zx act on rows (height),
// ty and zy on columns (width), as in Keras.
struct TransformParams {
    double theta = 0.0;  // degrees
    double tx = 0.0;
    double ty = 0.0;
    double shear = 0.0;  // degrees
    double zx = 1.0;
    double zy = 1.0;
    bool flip_horizontal = false;
    bool flip_vertical = false;
};

struct FlowOptions {
    std::int64_t batch_size = 32;
    bool shuffle = true;
    std::optional<std::uint64_t> seed{};
    std::string subset{};  // "", "training" or "validation"
};

struct FlowFromDirectoryOptions {
    ImageSize target_size{256, 256};
    std::string color_mode = "rgb";  // "rgb", "grayscale", "rgba"
    std::vector<std::string> classes{};  // {}: sorted sub-folder names
    std::string class_mode = "categorical";  // "categorical", "binary", "sparse", "input", "none"
    std::int64_t batch_size = 32;
    bool shuffle = true;
    std::optional<std::uint64_t> seed{};
    std::string subset{};  // "", "training" or "validation"
    std::string interpolation = "nearest";  // PIL resample for target_size
    bool follow_links = false;
};

class ImageDataGenerator;

// keras_preprocessing's Iterator: a Sequence of ceil(n / batch_size) batches. Copies share state.
// Each batch is an Element {x} or {x, y}: x float32 (b, h, w, c).
class ImageIterator {
public:
    std::int64_t size() const;  // len(): number of batches
    std::int64_t n() const;     // number of samples
    std::int64_t batch_size() const;
    Element operator[](std::int64_t index);  // __getitem__
    Element next();       // the endless next(): wraps around, reshuffling at each epoch start
    void on_epoch_end();  // new permutation when shuffle is on
    void reset();         // next() starts again at batch 0
    // One pass = one epoch of size() batches through operator[], then on_epoch_end().
    Dataset as_dataset() const;

    struct State;
    explicit ImageIterator(std::shared_ptr<State> state);

protected:
    std::shared_ptr<State> state_;
};

// ImageDataGenerator.flow(x, y): x (n, h, w, c) float32 (other dtypes are converted), y optional
// with n rows (any dtype, gathered as is).
class NumpyArrayIterator : public ImageIterator {
public:
    using ImageIterator::ImageIterator;
};

class DirectoryIterator : public ImageIterator {
public:
    DirectoryIterator(std::shared_ptr<State> state, std::map<std::string, std::int64_t> class_indices,
                      std::vector<std::string> filenames, std::vector<std::int32_t> classes,
                      std::string directory);
    std::map<std::string, std::int64_t> class_indices;  // class name -> index
    std::vector<std::string> filenames;  // relative to the directory: "class/file.jpg"
    std::vector<std::int32_t> classes;   // one class index per file
    std::vector<std::string> filepaths() const;
    std::int64_t samples() const { return static_cast<std::int64_t>(filenames.size()); }
    std::int64_t num_classes() const { return static_cast<std::int64_t>(class_indices.size()); }

private:
    std::string directory_;
};

class ImageDataGenerator {
public:
    explicit ImageDataGenerator(ImageDataGeneratorOptions options = {});

    // Draws in Keras's order: theta, tx, ty, shear, (zx, zy), flip_h, flip_v. img_shape is
    // (h, w, c). With a seed the draws come from Generator(seed), otherwise from `rng` or tfc's
    // global generator.
    TransformParams get_random_transform(const Shape& img_shape,
                                         std::optional<std::uint64_t> seed = {}) const;
    TransformParams get_random_transform(const Shape& img_shape, Generator& rng) const;

    // x: (h, w, c) float32. Affine transform (scipy order-1 semantics, Keras's matrix and centre
    // (h/2 + 0.5, w/2 + 0.5)), then horizontal flip, then vertical flip. Returns a new tensor.
    Tensor apply_transform(const Tensor& x, const TransformParams& params) const;
    // Same on raw HWC floats (dst must not alias src).
    void apply_transform(const float* src, std::int64_t h, std::int64_t w, std::int64_t c,
                         const TransformParams& params, float* dst) const;
    Tensor random_transform(const Tensor& x, std::optional<std::uint64_t> seed = {}) const;
    Tensor standardize(const Tensor& x) const;  // x * rescale (when set)

    NumpyArrayIterator flow(const Tensor& x, const Tensor& y = Tensor(), FlowOptions options = {}) const;
    DirectoryIterator flow_from_directory(const std::string& directory,
                                          FlowFromDirectoryOptions options = {}) const;

    const ImageDataGeneratorOptions& options() const { return options_; }

private:
    ImageDataGeneratorOptions options_;
    double zoom_lo_ = 1.0, zoom_hi_ = 1.0;
};

// The 3x3 matrix (row-major, first two rows) mapping output (row, col, 1) to input (row, col)
// for the given parameters and image size: C * R * Shift * Shear * Zoom * C^-1.
void transform_matrix(const TransformParams& params, std::int64_t h, std::int64_t w, double m[6]);

}  // namespace tfc::data
