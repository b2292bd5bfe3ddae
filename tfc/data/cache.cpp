// Dataset.cache: the first complete pass stores the elements (in memory, or in a file); later
// passes read them back instead of running the input pipeline. A pass that stops early stores
// nothing (as in tf.data).
// File format (one file, written to "<filename>.tmp-<n>" and renamed when complete):
//   "TFCCACHE" u32 version=1, then per element: u8 1, u32 components, per component:
//   u8 dtype, u8 rank, rank x i64 dims, raw data (host byte order); then u8 0, u64 count.
#include <atomic>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>

#include "tfc/core/error.h"
#include "tfc/data/dataset.h"
#include "tfc/data/dataset_impl.h"

namespace tfc::data {
namespace {

// ---- memory ---------------------------------------------------------------------------------

struct MemoryCache {
    std::mutex mu;
    bool complete = false;
    std::vector<Element> elements;  // immutable once complete
};

class MemoryCacheNode : public DatasetNode {
public:
    explicit MemoryCacheNode(DatasetNodePtr input)
        : input_(std::move(input)), cache_(std::make_shared<MemoryCache>()) {}
    std::int64_t cardinality() const override { return input_->cardinality(); }
    ElementIteratorPtr make_iterator() const override {
        struct It : ElementIterator {
            std::shared_ptr<MemoryCache> cache;
            bool reading = false;
            std::size_t i = 0;
            ElementIteratorPtr in;
            std::vector<Element> filled;
            std::optional<Element> next() override {
                if (reading) {
                    if (i >= cache->elements.size()) return std::nullopt;
                    return cache->elements[i++];
                }
                if (!in) return std::nullopt;
                auto e = in->next();
                if (e) {
                    filled.push_back(*e);
                    return e;
                }
                in.reset();
                std::lock_guard<std::mutex> lock(cache->mu);
                if (!cache->complete) {
                    cache->elements = std::move(filled);
                    cache->complete = true;
                }
                return std::nullopt;
            }
        };
        auto it = std::make_unique<It>();
        it->cache = cache_;
        {
            std::lock_guard<std::mutex> lock(cache_->mu);
            it->reading = cache_->complete;
        }
        if (!it->reading) it->in = input_->make_iterator();
        return it;
    }

private:
    DatasetNodePtr input_;
    std::shared_ptr<MemoryCache> cache_;
};

// ---- file -----------------------------------------------------------------------------------

constexpr char kMagic[8] = {'T', 'F', 'C', 'C', 'A', 'C', 'H', 'E'};
constexpr std::uint32_t kVersion = 1;
constexpr const char* kWhere = "Dataset.cache";

struct FileCloser {
    void operator()(std::FILE* f) const { std::fclose(f); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

class CacheWriter : public ElementIterator {
public:
    CacheWriter(ElementIteratorPtr in, std::string filename)
        : in_(std::move(in)), filename_(std::move(filename)) {
        static std::atomic<std::uint64_t> counter{0};
        tmp_ = filename_ + ".tmp-" + std::to_string(counter.fetch_add(1)) + "-" +
               std::to_string(reinterpret_cast<std::uintptr_t>(this));
        file_.reset(std::fopen(tmp_.c_str(), "wb"));
        TFC_CHECK(file_ != nullptr, kWhere, "cannot create the cache file", "'" + tmp_ + "'",
                  "a writable location", "check that the cache file's folder exists");
        put(kMagic, sizeof(kMagic));
        put(&kVersion, sizeof(kVersion));
    }
    ~CacheWriter() override {
        if (file_) {  // pass abandoned: leave no partial cache behind
            file_.reset();
            std::error_code ec;
            std::filesystem::remove(tmp_, ec);
        }
    }
    std::optional<Element> next() override {
        if (!file_) return std::nullopt;
        auto e = in_->next();
        if (e) {
            write(*e);
            return e;
        }
        const std::uint8_t end = 0;
        put(&end, 1);
        put(&count_, sizeof(count_));
        const bool ok = std::fflush(file_.get()) == 0;
        file_.reset();
        std::error_code ec;
        if (ok) std::filesystem::rename(tmp_, filename_, ec);
        if (!ok || ec) {
            std::filesystem::remove(tmp_, ec);
            fail(kWhere, "cannot complete the cache file", "'" + filename_ + "'",
                 "a writable location with free space", "check disk space and permissions");
        }
        return std::nullopt;
    }

private:
    void put(const void* p, std::size_t n) {
        if (n && std::fwrite(p, 1, n, file_.get()) != n) {
            file_.reset();
            std::error_code ec;
            std::filesystem::remove(tmp_, ec);
            fail(kWhere, "cannot write the cache file", "'" + tmp_ + "'",
                 "a writable location with free space", "check disk space and permissions");
        }
    }
    void write(const Element& e) {
        const std::uint8_t tag = 1;
        const auto k = static_cast<std::uint32_t>(e.size());
        put(&tag, 1);
        put(&k, sizeof(k));
        for (const Tensor& t : e) {
            TFC_CHECK(t.defined(), kWhere, "an element holds an undefined tensor", "undefined",
                      "defined tensors", "return defined tensors from map() and generators");
            const auto dtype = static_cast<std::uint8_t>(t.dtype());
            const auto rank = static_cast<std::uint8_t>(t.rank());
            put(&dtype, 1);
            put(&rank, 1);
            for (int a = 0; a < t.rank(); ++a) {
                const std::int64_t d = t.dim(a);
                put(&d, sizeof(d));
            }
            put(t.raw_data(), t.nbytes());
        }
        ++count_;
    }

    ElementIteratorPtr in_;
    std::string filename_, tmp_;
    FilePtr file_;
    std::uint64_t count_ = 0;
};

class CacheReader : public ElementIterator {
public:
    explicit CacheReader(std::string filename) : filename_(std::move(filename)) {
        std::error_code ec;
        size_ = std::filesystem::file_size(filename_, ec);
        file_.reset(std::fopen(filename_.c_str(), "rb"));
        TFC_CHECK(file_ != nullptr && !ec, kWhere, "cannot open the cache file",
                  "'" + filename_ + "'", "a readable file", "check its permissions");
        char magic[8];
        std::uint32_t version = 0;
        get(magic, sizeof(magic));
        get(&version, sizeof(version));
        if (std::memcmp(magic, kMagic, sizeof(kMagic)) != 0 || version != kVersion) {
            corrupt("not a tfc cache file (bad magic or version)");
        }
    }
    std::optional<Element> next() override {
        if (done_) return std::nullopt;
        std::uint8_t tag = 0;
        get(&tag, 1);
        if (tag == 0) {
            std::uint64_t count = 0;
            get(&count, sizeof(count));
            if (count != read_) corrupt("element count mismatch");
            if (offset_ != size_) corrupt("trailing bytes after the end marker");
            done_ = true;
            return std::nullopt;
        }
        if (tag != 1) corrupt("bad record tag");
        std::uint32_t k = 0;
        get(&k, sizeof(k));
        if (k > 1u << 16) corrupt("absurd number of components");
        Element e;
        for (std::uint32_t c = 0; c < k; ++c) {
            std::uint8_t dtype = 0, rank = 0;
            get(&dtype, 1);
            get(&rank, 1);
            if (dtype > static_cast<std::uint8_t>(DType::bool_) || rank > 32) {
                corrupt("bad dtype or rank");
            }
            Shape shape(rank);
            std::uint64_t n = 1;
            for (auto& d : shape) {
                get(&d, sizeof(d));
                if (d < 0 || static_cast<std::uint64_t>(d) > size_) corrupt("bad dimension");
                n *= static_cast<std::uint64_t>(d);
                if (n > size_) corrupt("tensor larger than the file");
            }
            const auto dt = static_cast<DType>(dtype);
            if (n * dtype_size(dt) > size_ - offset_) corrupt("truncated tensor data");
            Tensor t = Tensor::empty(shape, dt);
            get(t.raw_data(), t.nbytes());
            e.push_back(std::move(t));
        }
        ++read_;
        return e;
    }

private:
    void get(void* p, std::size_t n) {
        if (n && std::fread(p, 1, n, file_.get()) != n) corrupt("unexpected end of file");
        offset_ += n;
    }
    [[noreturn]] void corrupt(const std::string& what) {
        fail(kWhere, "the cache file is damaged: " + what,
             "'" + filename_ + "' at byte offset " + std::to_string(offset_),
             "a cache file written by Dataset.cache", "delete the file to rebuild the cache");
    }

    std::string filename_;
    FilePtr file_;
    std::uint64_t size_ = 0, offset_ = 0, read_ = 0;
    bool done_ = false;
};

class FileCacheNode : public DatasetNode {
public:
    FileCacheNode(DatasetNodePtr input, std::string filename)
        : input_(std::move(input)), filename_(std::move(filename)) {}
    std::int64_t cardinality() const override { return input_->cardinality(); }
    ElementIteratorPtr make_iterator() const override {
        std::error_code ec;
        if (std::filesystem::exists(filename_, ec)) return std::make_unique<CacheReader>(filename_);
        return std::make_unique<CacheWriter>(input_->make_iterator(), filename_);
    }

private:
    DatasetNodePtr input_;
    std::string filename_;
};

}  // namespace

Dataset Dataset::cache() const {
    TFC_CHECK(cardinality() != kInfiniteCardinality, kWhere, "cannot cache an infinite dataset",
              "cardinality INFINITE", "a finite dataset", "call cache() before repeat()");
    return Dataset(std::make_shared<MemoryCacheNode>(detail::node_of(*this)));
}

Dataset Dataset::cache(const std::string& filename) const {
    if (filename.empty()) return cache();  // tf.data: cache("") caches in memory
    TFC_CHECK(cardinality() != kInfiniteCardinality, kWhere, "cannot cache an infinite dataset",
              "cardinality INFINITE", "a finite dataset", "call cache() before repeat()");
    return Dataset(std::make_shared<FileCacheNode>(detail::node_of(*this), filename));
}

}  // namespace tfc::data
