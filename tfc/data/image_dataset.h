// image_dataset_from_directory (tf.keras.utils, TF 2.x): a Dataset of (images, labels) batches
// from a folder with one sub-folder per class.
//   auto ds = image_dataset_from_directory(dir, {.image_size = {180, 180}, .seed = 123,
//                                                .validation_split = 0.2, .subset = "training"});
//   ds.class_names;  // sorted folder names
//   for (const Element& b : ds) { b[0]: (32, 180, 180, 3) float32 0-255; b[1]: (32,) int32 }
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tfc/data/dataset.h"
#include "tfc/data/image.h"

namespace tfc::data {

struct ImageDatasetOptions {
    std::string labels = "inferred";  // "inferred" (from folders) or "none"
    std::string label_mode = "int";   // "int", "categorical", "binary" or "none"
    std::vector<std::string> class_names{};  // {}: sorted sub-folder names; else these, in order
    std::string color_mode = "rgb";   // "rgb", "grayscale", "rgba"
    std::int64_t batch_size = 32;
    ImageSize image_size{256, 256};
    bool shuffle = true;
    std::optional<std::uint64_t> seed{};
    double validation_split = 0.0;  // 0 = None
    std::string subset{};           // "", "training" or "validation"
    std::string interpolation = "bilinear";  // tf.image.resize: "bilinear" or "nearest"
    bool follow_links = false;
};

// A Dataset with Keras's extra attributes.
class ImageDataset : public Dataset {
public:
    ImageDataset(Dataset ds, std::vector<std::string> class_names, std::vector<std::string> file_paths)
        : Dataset(std::move(ds)), class_names(std::move(class_names)), file_paths(std::move(file_paths)) {}
    std::vector<std::string> class_names;
    std::vector<std::string> file_paths;  // after the seeded shuffle and the split
};

// Files with extensions bmp, gif, jpeg, jpg, png (only JPEG and PNG decode). The file list is
// shuffled with the seed (tfc's Generator, so the order differs from NumPy's), then the last
// int(validation_split * n) files form "validation" and the rest "training". Each pass reshuffles
// with a buffer of 8 * batch_size (as TF does), decodes, resizes with tf.image.resize rules
// (half-pixel centres, no antialiasing) to float32 0-255 and batches. Labels: "int" -> int32 (b,),
// "categorical" -> float32 (b, classes), "binary" -> float32 (b, 1).
ImageDataset image_dataset_from_directory(const std::string& directory, ImageDatasetOptions options = {});

}  // namespace tfc::data
