// flow_from_directory's listing, split and first batch against keras_preprocessing on the flowers
// folders; flow() bookkeeping; image_dataset_from_directory's split, labels and resize (the
// resize against torch's half-pixel bilinear, the rule of tf.image.resize).
#include <gtest/gtest.h>

#include "tests/harness/gradcheck.h"

#include <filesystem>
#include <fstream>
#include <set>
#include <unistd.h>

#include "tfc/core/error.h"
#include "tfc/data/image.h"
#include "tfc/data/image_data_generator.h"
#include "tfc/data/image_dataset.h"
#include "tfc/data/image_impl.h"
#include "tfc/data/image_test_util.h"

namespace tfc::data {
namespace {

using image_test::flowers;
using image_test::load_golden;
using image_test::sha256;

TEST(FlowFromDirectory, ListingsMatchKeras) {
    TFC_SKIP_WITHOUT_SHARED();
    const auto g = load_golden("flow_from_directory");
    for (const auto& l : g["listings"]) {
        SCOPED_TRACE(l["directory"].get<std::string>() + " " + l["subset"].dump());
        const ImageDataGenerator gen({.validation_split = l["validation_split"]});
        FlowFromDirectoryOptions o{.target_size = {150, 150}, .shuffle = false};
        if (!l["subset"].is_null()) o.subset = l["subset"];
        if (l.contains("classes_arg")) o.classes = l["classes_arg"].get<std::vector<std::string>>();
        const DirectoryIterator it = gen.flow_from_directory(flowers(l["directory"]), o);
        EXPECT_EQ(it.samples(), l["samples"].get<std::int64_t>());
        std::map<std::string, std::int64_t> ci = l["class_indices"];
        EXPECT_EQ(it.class_indices, ci);
        std::string names;
        for (const auto& f : it.filenames) names += f + "\n";
        EXPECT_EQ(sha256(names.data(), names.size()), l["filenames_sha256"]);
        EXPECT_EQ(sha256(it.classes.data(), it.classes.size() * 4), l["classes_sha256"]);
        EXPECT_EQ(it.filenames.front(), l["first"][0]);
        EXPECT_EQ(it.filenames.back(), l["last"][2]);
    }
}

TEST(FlowFromDirectory, FirstBatchMatchesKeras) {
    TFC_SKIP_WITHOUT_SHARED();
    const auto g = load_golden("flow_from_directory")["first_batch"];
    const ImageDataGenerator gen({.rescale = g["rescale"]});
    DirectoryIterator it = gen.flow_from_directory(
        flowers(g["directory"]),
        {.target_size = {150, 150}, .class_mode = "binary", .batch_size = 8, .shuffle = false});
    const Element b = it[0];
    ASSERT_EQ(b.size(), 2u);
    EXPECT_EQ(b[0].shape(), (Shape{8, 150, 150, 3}));
    EXPECT_EQ(b[1].to_doubles(), g["y"].get<std::vector<double>>());
    const std::vector<float> x = b[0].to_floats();
    EXPECT_EQ(sha256(x.data(), x.size() * 4), g["sha256_all"]);
    for (std::size_t i = 0; i < g["images"].size(); ++i) {
        std::vector<float> one(x.begin() + static_cast<std::ptrdiff_t>(i * 150 * 150 * 3),
                               x.begin() + static_cast<std::ptrdiff_t>((i + 1) * 150 * 150 * 3));
        EXPECT_LE(image_test::summary_max_diff(g["images"][i], one), 1e-3);
    }
}

TEST(FlowFromDirectory, ShuffledEpochsAndAugmentation) {
    TFC_SKIP_WITHOUT_SHARED();
    const ImageDataGenerator gen({.rescale = 1.0 / 255, .rotation_range = 40, .width_shift_range = 0.2,
                                  .height_shift_range = 0.2, .shear_range = 0.2, .zoom_range = {0.2},
                                  .horizontal_flip = true, .validation_split = 0.2});
    auto make = [&] {
        return gen.flow_from_directory(flowers("validation"), {.target_size = {64, 64}, .batch_size = 40,
                                                               .seed = 7, .subset = "validation"});
    };
    DirectoryIterator a = make(), b = make();
    EXPECT_EQ(a.n(), 97);
    EXPECT_EQ(a.size(), 3);
    const Element a0 = a.next(), b0 = b.next();
    EXPECT_EQ(a0[0].to_floats(), b0[0].to_floats());  // same seed, same batch
    EXPECT_EQ(a0[1].shape(), (Shape{40, 5}));
    a.next();
    const Element last = a.next();
    EXPECT_EQ(last[0].dim(0), 17);  // 97 = 40 + 40 + 17
    for (float v : a0[0].to_floats()) ASSERT_TRUE(v >= 0.f && v <= 1.f);
    const Element again = a.next();  // new epoch
    EXPECT_EQ(again[0].dim(0), 40);
}

TEST(Flow, SubsetsBatchesAndLabels) {
    std::vector<float> xs(10 * 4 * 4 * 1);
    for (std::size_t i = 0; i < xs.size(); ++i) xs[i] = static_cast<float>(i / 16);
    const Tensor x = Tensor::from_vector(xs, {10, 4, 4, 1});
    const Tensor y = Tensor::from_vector(std::vector<std::int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, {10});
    const ImageDataGenerator gen({.validation_split = 0.3});
    NumpyArrayIterator val = gen.flow(x, y, {.batch_size = 2, .shuffle = false, .subset = "validation"});
    EXPECT_EQ(val.n(), 3);
    const Element b0 = val[0], b1 = val[1];
    EXPECT_EQ(b0[1].to_doubles(), (std::vector<double>{0, 1}));
    EXPECT_EQ(b1[1].to_doubles(), (std::vector<double>{2}));
    EXPECT_EQ(b1[0].at(0), 2.0);
    NumpyArrayIterator train = gen.flow(x, y, {.batch_size = 4, .seed = 3, .subset = "training"});
    std::set<double> seen;
    for (const Element& b : train.as_dataset()) {
        const auto labels = b[1].to_doubles();
        const auto pix = b[0].to_floats();
        for (std::size_t i = 0; i < labels.size(); ++i) {
            seen.insert(labels[i]);
            EXPECT_EQ(pix[i * 16], labels[i]);  // the image travels with its label
        }
    }
    EXPECT_EQ(seen, (std::set<double>{3, 4, 5, 6, 7, 8, 9}));
    EXPECT_THROW(gen.flow(Tensor::zeros({3, 4, 4}), Tensor(), {}), Error);
    EXPECT_THROW(val[5], Error);
}

TEST(FlowFromDirectory, Errors) {
    const ImageDataGenerator gen;
    EXPECT_THROW(gen.flow_from_directory("/nonexistent/flowers"), Error);
    TFC_SKIP_WITHOUT_SHARED();  // the option errors are checked on a real folder
    EXPECT_THROW(gen.flow_from_directory(flowers("train"), {.class_mode = "multi"}), Error);
    EXPECT_THROW(gen.flow_from_directory(flowers("train"), {.subset = "test"}), Error);
}

TEST(FlowFromDirectory, CorruptAndNonImageFilesInFolders) {
    const std::string dir = std::filesystem::temp_directory_path().string() + "/tfc_image_dir_" +
                            std::to_string(::getpid());
    std::filesystem::create_directories(dir + "/a/sub");
    std::filesystem::create_directories(dir + "/b");
    { std::ofstream(dir + "/a/readme.txt") << "not listed"; }
    { std::ofstream(dir + "/a/sub/broken.JPG") << "not a jpeg"; }
    { std::ofstream(dir + "/b/weird.xpng") << "listed: the suffix test has no dot"; }
    // Batches of 1: a batch decodes its images on several threads, and which failure is
    // reported first is then up to the scheduler.
    const DirectoryIterator it =
        ImageDataGenerator().flow_from_directory(dir, {.batch_size = 1, .shuffle = false});
    EXPECT_EQ(it.filenames, (std::vector<std::string>{"a/sub/broken.JPG", "b/weird.xpng"}));
    DirectoryIterator copy = it;
    try {
        copy.next();
        ADD_FAILURE() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("broken.JPG"), std::string::npos) << e.what();
    }
    std::filesystem::remove_all(dir);
}

TEST(ImageDatasetFromDirectory, SplitLabelsAndShapes) {
    TFC_SKIP_WITHOUT_SHARED();
    const std::string dir = flowers("validation");
    const ImageDataset train = image_dataset_from_directory(
        dir, {.batch_size = 32, .image_size = {64, 64}, .seed = 123, .validation_split = 0.2,
              .subset = "training"});
    const ImageDataset val = image_dataset_from_directory(
        dir, {.label_mode = "categorical", .batch_size = 32, .image_size = {64, 64}, .seed = 123,
              .validation_split = 0.2, .subset = "validation"});
    EXPECT_EQ(train.class_names, (std::vector<std::string>{"daisy", "dandelion", "roses", "sunflowers", "tulips"}));
    EXPECT_EQ(val.file_paths.size(), 98u);  // int(0.2 * 494) = 98, the last ones
    EXPECT_EQ(train.file_paths.size(), 396u);
    std::set<std::string> all(train.file_paths.begin(), train.file_paths.end());
    for (const auto& p : val.file_paths) EXPECT_EQ(all.count(p), 0u);
    std::int64_t n = 0;
    for (const Element& b : val) {
        EXPECT_EQ(b[0].dim(1), 64);
        EXPECT_EQ(b[0].dim(3), 3);
        EXPECT_EQ(b[1].dim(1), 5);
        n += b[0].dim(0);
    }
    EXPECT_EQ(n, 98);
    const Element first = *train.begin();
    EXPECT_EQ(first[1].dtype(), DType::int32);
    EXPECT_EQ(first[0].shape(), (Shape{32, 64, 64, 3}));
    EXPECT_THROW(image_dataset_from_directory(dir, {.validation_split = 0.2, .subset = "training"}), Error);
    EXPECT_THROW(image_dataset_from_directory(dir, {.label_mode = "binary"}), Error);
}

TEST(ImageDatasetFromDirectory, ResizeMatchesHalfPixelBilinear) {
    TFC_SKIP_WITHOUT_SHARED();
    const auto g = load_golden("tf_resize");
    double worst = 0.0;
    for (const auto& c : g["cases"]) {
        const Image img = load_img(flowers(c["file"]));
        const ImageSize size{c["size"][0], c["size"][1]};
        std::vector<float> out(static_cast<std::size_t>(size.height * size.width * 3));
        image_impl::tf_resize(img, size, "bilinear", out.data());
        worst = std::max(worst, image_test::summary_max_diff(c, out));
    }
    EXPECT_LE(worst, 2e-3);
    std::printf("tf.image.resize bilinear rule: max |diff| %.3g (0-255 scale)\n", worst);
}

}  // namespace
}  // namespace tfc::data
