#include "tfc/datasets/idx.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/core/error.h"
#include "tfc/datasets/fashion_mnist.h"

namespace tfc::datasets {
namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) {
    return (fs::temp_directory_path() / ("tfc_idx_test_" + name)).string();
}

void write_bytes(const std::string& path, const std::vector<unsigned char>& bytes) {
    std::ofstream f(path, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::vector<unsigned char> read_bytes(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<unsigned char>(std::istreambuf_iterator<char>(f), {});
}

void write_gz(const std::string& path, const std::vector<unsigned char>& bytes) {
    gzFile g = gzopen(path.c_str(), "wb");
    gzwrite(g, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(g);
}

// A 2x3 uint8 IDX tensor: magic 00 00 08 02, dims 2 and 3 (big-endian), then 6 bytes.
std::vector<unsigned char> small_idx() {
    return {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, 4, 5, 6};
}

std::string error_of(const std::string& path) {
    try {
        read_idx(path);
    } catch (const Error& e) {
        return e.what();
    }
    return "";
}

TEST(Idx, ReadsPlainAndGzip) {
    const auto plain = temp_path("plain.idx");
    const auto gz = temp_path("small.idx.gz");
    write_bytes(plain, small_idx());
    write_gz(gz, small_idx());
    for (const auto& p : {plain, gz}) {
        Tensor t = read_idx(p);
        EXPECT_EQ(t.shape(), (Shape{2, 3}));
        EXPECT_EQ(t.dtype(), DType::uint8);
        EXPECT_EQ(t.at(0), 1);
        EXPECT_EQ(t.at(5), 6);
    }
}

TEST(Idx, TruncatedDataIsAnError) {
    auto b = small_idx();
    b.pop_back();
    const auto p = temp_path("trunc.idx");
    write_bytes(p, b);
    const std::string msg = error_of(p);
    EXPECT_NE(msg.find("[read_idx] file is truncated"), std::string::npos) << msg;
    EXPECT_NE(msg.find("Fix:"), std::string::npos);
}

TEST(Idx, TrailingBytesAndBadMagicAreErrors) {
    auto b = small_idx();
    b.push_back(9);
    const auto p = temp_path("trailing.idx");
    write_bytes(p, b);
    EXPECT_NE(error_of(p).find("trailing bytes"), std::string::npos);
    auto c = small_idx();
    c[0] = 0x1f;
    write_bytes(p, c);
    EXPECT_NE(error_of(p).find("bad magic"), std::string::npos);
}

TEST(Idx, AbsurdDimensionsAreRefusedBeforeAllocating) {
    // 4 dims of 65535: claims 2^64-ish bytes.
    std::vector<unsigned char> b = {0, 0, 8, 4};
    for (int i = 0; i < 4; ++i) b.insert(b.end(), {0, 0, 0xff, 0xff});
    const auto p = temp_path("absurd.idx");
    write_bytes(p, b);
    EXPECT_NE(error_of(p).find("absurd size"), std::string::npos);
}

TEST(Idx, TruncatedGzipIsAnError) {
    const auto real = "/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz";
    if (!fs::exists(real)) GTEST_SKIP() << "dataset-fashion-mnist not installed";
    auto bytes = read_bytes(real);
    bytes.resize(bytes.size() / 2);
    const auto p = temp_path("cut.gz");
    write_bytes(p, bytes);
    EXPECT_FALSE(error_of(p).empty());
}

TEST(Idx, MissingFileNamesThePath) {
    EXPECT_NE(error_of("/nonexistent/dir/x.idx").find("/nonexistent/dir/x.idx"), std::string::npos);
}

TEST(FashionMnist, LoadsTheRealDataset) {
    if (!fs::exists("/usr/share/datasets/fashion-mnist")) GTEST_SKIP() << "not installed";
    auto d = fashion_mnist::load_data();
    EXPECT_EQ(d.x_train.shape(), (Shape{60000, 28, 28}));
    EXPECT_EQ(d.y_train.shape(), (Shape{60000}));
    EXPECT_EQ(d.x_test.shape(), (Shape{10000, 28, 28}));
    EXPECT_EQ(d.y_test.shape(), (Shape{10000}));
    // The Fashion-MNIST paper (Xiao et al. 2017, Table 1) gives 6,000 training and 1,000 test
    // images per class.
    std::vector<int> train(10, 0), test(10, 0);
    for (std::int64_t i = 0; i < d.y_train.size(); ++i) ++train[static_cast<int>(d.y_train.at(i))];
    for (std::int64_t i = 0; i < d.y_test.size(); ++i) ++test[static_cast<int>(d.y_test.at(i))];
    for (int c = 0; c < 10; ++c) {
        EXPECT_EQ(train[c], 6000);
        EXPECT_EQ(test[c], 1000);
    }
}

TEST(FashionMnist, MissingFilesSayHowToInstall) {
    const auto dir = temp_path("empty_dir");
    fs::create_directories(dir);
    // Point every lookup at empty folders.
    setenv("TFC_FASHION_MNIST_DIR", dir.c_str(), 1);
    try {
        fashion_mnist::load_data(dir);
        if (fs::exists("/usr/share/datasets/fashion-mnist")) SUCCEED();  // falls back to Debian's
    } catch (const Error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("apt-get install dataset-fashion-mnist"), std::string::npos) << msg;
        EXPECT_NE(msg.find(dir), std::string::npos) << msg;
    }
    unsetenv("TFC_FASHION_MNIST_DIR");
}

TEST(FashionMnist, CorruptFileInFolderIsReported) {
    const auto dir = temp_path("corrupt_dir");
    fs::create_directories(dir);
    for (const char* stem : {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                             "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"}) {
        write_bytes((fs::path(dir) / stem).string(), small_idx());
    }
    try {
        fashion_mnist::load_data(dir);
        FAIL() << "expected an error";
    } catch (const Error& e) {
        EXPECT_NE(std::string(e.what()).find("unexpected layout"), std::string::npos) << e.what();
    }
}

TEST(MnistShared, ReadsTheSharedDigits) {
    const auto dir = testing::shared_dir() + "/datasets/mnist-10k";
    if (!fs::exists(dir)) GTEST_SKIP() << "shared datasets not present";
    for (const auto& e : fs::directory_iterator(dir)) {
        const auto name = e.path().filename().string();
        if (name.find("images") != std::string::npos && name.find("idx") != std::string::npos) {
            Tensor t = read_idx(e.path().string());
            EXPECT_EQ(t.rank(), 3);
            EXPECT_EQ(t.dim(1), 28);
        }
    }
}

}  // namespace
}  // namespace tfc::datasets
