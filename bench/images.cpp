// Decode + augment + batch throughput of ImageDataGenerator.flow_from_directory on the flowers
// training folder, with the settings of bench/peers/keras_images.py (the Keras peer):
// target_size 150x150, batch 32, categorical, rescale 1/255, rotation 40, shifts 0.2, shear 0.2,
// zoom 0.2, horizontal flip, fill "nearest". Also times image_dataset_from_directory (no
// augmentation, 150x150 bilinear) for reference.
// Usage (from the repository root): bench_images [FLOWERS_TRAIN_DIR] [EPOCHS]
// Threads: OMP_NUM_THREADS. Without a directory: $TFC_SHARED_DIR or ../shared.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tfc/data/image_data_generator.h"
#include "tfc/data/image_dataset.h"

using namespace tfc::data;

int main(int argc, char** argv) {
    const char* shared = std::getenv("TFC_SHARED_DIR");  // default: ../shared from the repository root
    std::string dir = argc > 1 ? argv[1]
                               : std::string(shared ? shared : "../shared") + "/datasets/images/flowers/train";
    const int epochs = argc > 2 ? std::atoi(argv[2]) : 1;
    const ImageDataGenerator gen({.rescale = 1.0 / 255, .rotation_range = 40, .width_shift_range = 0.2,
                                  .height_shift_range = 0.2, .shear_range = 0.2, .zoom_range = {0.2},
                                  .horizontal_flip = true, .fill_mode = "nearest"});
    DirectoryIterator it = gen.flow_from_directory(
        dir, {.target_size = {150, 150}, .class_mode = "categorical", .batch_size = 32, .seed = 1});
    std::int64_t images = 0;
    auto t0 = std::chrono::steady_clock::now();
    for (int e = 0; e < epochs; ++e) {
        for (std::int64_t i = 0; i < it.size(); ++i) images += it[i][0].dim(0);
        it.on_epoch_end();
    }
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("{\"bench\": \"flow_from_directory_augment\", \"images\": %lld, \"seconds\": %.3f, "
                "\"images_per_s\": %.1f}\n", static_cast<long long>(images), secs, images / secs);

    const ImageDataset ds = image_dataset_from_directory(dir, {.image_size = {150, 150}, .seed = 1});
    images = 0;
    t0 = std::chrono::steady_clock::now();
    for (int e = 0; e < epochs; ++e)
        for (const Element& b : ds) images += b[0].dim(0);
    secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    std::printf("{\"bench\": \"image_dataset_from_directory\", \"images\": %lld, \"seconds\": %.3f, "
                "\"images_per_s\": %.1f}\n", static_cast<long long>(images), secs, images / secs);
    return 0;
}
