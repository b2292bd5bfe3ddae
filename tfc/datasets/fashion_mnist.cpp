#include "tfc/datasets/fashion_mnist.h"

#include <cstdlib>
#include <filesystem>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/datasets/idx.h"

namespace tfc::datasets::fashion_mnist {
namespace {

constexpr const char* kDebianDir = "/usr/share/datasets/fashion-mnist";

// The file `stem` in `dir`, gzip'ed or plain; empty when neither exists.
std::string find_file(const std::string& dir, const std::string& stem) {
    for (const std::string& name : {stem + ".gz", stem}) {
        const auto p = std::filesystem::path(dir) / name;
        std::error_code ec;
        if (std::filesystem::is_regular_file(p, ec)) return p.string();
    }
    return "";
}

void check_pair(const Tensor& x, const Tensor& y, const std::string& what) {
    TFC_CHECK(x.rank() == 3 && x.dim(1) == 28 && x.dim(2) == 28 && x.dtype() == DType::uint8,
              "fashion_mnist.load_data", what + " images have an unexpected layout",
              shape_str(x.shape()) + " " + dtype_name(x.dtype()), "(N, 28, 28) uint8",
              "point the loader at genuine Fashion-MNIST IDX files");
    TFC_CHECK(y.rank() == 1 && y.dim(0) == x.dim(0), "fashion_mnist.load_data",
              what + " labels do not match the images",
              std::to_string(y.dim(0)) + " labels for " + std::to_string(x.dim(0)) + " images",
              "one label per image", "point the loader at genuine Fashion-MNIST IDX files");
    const auto* p = static_cast<const std::uint8_t*>(y.raw_data());
    for (std::int64_t i = 0; i < y.size(); ++i) {
        TFC_CHECK(p[i] < 10, "fashion_mnist.load_data", what + " label out of range",
                  std::to_string(p[i]) + " at index " + std::to_string(i), "0..9",
                  "the label file is corrupt; reinstall it");
    }
}

}  // namespace

Data load_data(const std::string& directory) {
    std::vector<std::string> candidates;
    if (!directory.empty()) candidates.push_back(directory);
    if (const char* env = std::getenv("TFC_FASHION_MNIST_DIR")) candidates.emplace_back(env);
    candidates.emplace_back(kDebianDir);
    std::string tried;
    for (const auto& dir : candidates) {
        const std::string xtr = find_file(dir, "train-images-idx3-ubyte");
        const std::string ytr = find_file(dir, "train-labels-idx1-ubyte");
        const std::string xte = find_file(dir, "t10k-images-idx3-ubyte");
        const std::string yte = find_file(dir, "t10k-labels-idx1-ubyte");
        if (xtr.empty() || ytr.empty() || xte.empty() || yte.empty()) {
            tried += (tried.empty() ? "" : ", ") + dir;
            continue;
        }
        Data d{read_idx(xtr), read_idx(ytr), read_idx(xte), read_idx(yte)};
        check_pair(d.x_train, d.y_train, "train");
        check_pair(d.x_test, d.y_test, "test");
        return d;
    }
    fail("fashion_mnist.load_data", "Fashion-MNIST files not found", "looked in: " + tried,
         "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and "
         "t10k-labels-idx1-ubyte.gz in one folder",
         "install them with `sudo apt-get install dataset-fashion-mnist`, or set "
         "TFC_FASHION_MNIST_DIR to a folder holding the four IDX files");
}

const char* class_name(int label) {
    static const char* names[] = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                  "Sandal",      "Shirt",   "Sneaker",  "Bag",   "Ankle boot"};
    return label >= 0 && label < 10 ? names[label] : "?";
}

}  // namespace tfc::datasets::fashion_mnist
