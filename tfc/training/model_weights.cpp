// Model weights: get/set, counts, and the interim weights file.
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <filesystem>
#include <unordered_set>

#include "tfc/core/error.h"
#include "tfc/training/model.h"

namespace tfc {
namespace {

constexpr char kMagic[4] = {'T', 'F', 'C', 'W'};
constexpr std::uint32_t kVersion = 1;
constexpr std::uint64_t kMaxElements = std::uint64_t{1} << 34;  // 64 GiB of float32: refuse more

template <typename T>
void put(std::ofstream& f, T v) {
    f.write(reinterpret_cast<const char*>(&v), sizeof(T));
}

template <typename T>
T get(std::ifstream& f, const std::string& path) {
    T v{};
    f.read(reinterpret_cast<char*>(&v), sizeof(T));
    TFC_CHECK(f.good(), "load_weights", "file is truncated", "'" + path + "' ends early",
              "a complete weights file", "re-save the weights; the file was cut short");
    return v;
}

}  // namespace

std::vector<Tensor> Model::trainable_weights() const {
    std::vector<Tensor> out;
    std::unordered_set<std::uint64_t> seen;
    for (const auto& l : layers()) {
        for (auto& t : l->trainable_weights()) {
            if (seen.insert(t.id()).second) out.push_back(t);
        }
    }
    return out;
}

std::vector<Tensor> Model::non_trainable_weights() const {
    std::vector<Tensor> out;
    for (const auto& l : layers()) {
        for (auto& t : l->non_trainable_weights()) out.push_back(t);
    }
    return out;
}

std::vector<Tensor> Model::get_weights() const {
    std::vector<Tensor> out;
    for (const auto& l : layers()) {
        for (auto& t : l->get_weights()) out.push_back(t);
    }
    return out;
}

void Model::set_weights(const std::vector<Tensor>& weights) {
    std::size_t total = 0;
    for (const auto& l : layers()) total += l->weights().size();
    TFC_CHECK(weights.size() == total, "Model.set_weights", "wrong number of weight arrays",
              std::to_string(weights.size()), std::to_string(total),
              "pass the list get_weights() returns for this architecture");
    std::size_t k = 0;
    for (const auto& l : layers()) {
        const std::size_t n = l->weights().size();
        l->set_weights(std::vector<Tensor>(weights.begin() + k, weights.begin() + k + n));
        k += n;
    }
}

std::int64_t Model::count_params() const {
    std::int64_t n = 0;
    for (const auto& l : layers()) n += l->count_params();
    return n;
}

void Model::save_weights(const std::string& path) const {
    TFC_CHECK(built(), "save_weights", "the model has no weights yet", "an unbuilt model",
              "a built model", "call fit(), build() or predict() first");
    const std::string tmp = path + ".tmp";
    {
        std::ofstream f(tmp, std::ios::binary | std::ios::trunc);
        TFC_CHECK(f.good(), "save_weights", "cannot open the file for writing", "'" + path + "'",
                  "a writable path", "check that the folder exists and is writable");
        f.write(kMagic, 4);
        put<std::uint32_t>(f, kVersion);
        std::vector<std::pair<std::string, Tensor>> all;
        for (const auto& l : layers()) {
            for (auto* w : l->weights()) all.emplace_back(l->name() + "/" + w->name, w->value);
        }
        put<std::uint64_t>(f, all.size());
        for (const auto& [name, t] : all) {
            put<std::uint32_t>(f, static_cast<std::uint32_t>(name.size()));
            f.write(name.data(), static_cast<std::streamsize>(name.size()));
            put<std::uint8_t>(f, static_cast<std::uint8_t>(t.dtype()));
            put<std::uint32_t>(f, static_cast<std::uint32_t>(t.rank()));
            for (auto d : t.shape()) put<std::int64_t>(f, d);
            f.write(static_cast<const char*>(t.raw_data()), static_cast<std::streamsize>(t.nbytes()));
        }
        f.flush();
        TFC_CHECK(f.good(), "save_weights", "write failed", "'" + path + "'", "a complete write",
                  "check free disk space");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        fail("save_weights", "cannot move the finished file into place", "'" + path + "'",
             "a writable destination", "check permissions of the target folder");
    }
}

void Model::load_weights(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    TFC_CHECK(f.good(), "load_weights", "cannot open the file", "'" + path + "'",
              "an existing weights file", "check the path");
    const auto file_size = std::filesystem::file_size(path);
    char magic[4] = {};
    f.read(magic, 4);
    TFC_CHECK(f.good() && std::memcmp(magic, kMagic, 4) == 0, "load_weights",
              "not a tfc weights file", "'" + path + "'", "a file written by save_weights()",
              "load a file produced by Model::save_weights");
    const auto version = get<std::uint32_t>(f, path);
    TFC_CHECK(version == kVersion, "load_weights", "unsupported weights file version",
              std::to_string(version), std::to_string(kVersion), "re-save with this tfc version");
    const auto count = get<std::uint64_t>(f, path);
    std::vector<Weight*> targets;
    for (const auto& l : layers()) {
        for (auto* w : l->weights()) targets.push_back(w);
    }
    TFC_CHECK(count == targets.size(), "load_weights", "weight count does not match the model",
              std::to_string(count) + " in the file", std::to_string(targets.size()),
              "load weights saved from the same architecture");
    std::vector<Tensor> values;
    for (std::uint64_t i = 0; i < count; ++i) {
        const auto name_len = get<std::uint32_t>(f, path);
        TFC_CHECK(name_len < 4096, "load_weights", "corrupt weight name length",
                  std::to_string(name_len), "< 4096", "the file is damaged; re-save it");
        std::string name(name_len, '\0');
        f.read(name.data(), name_len);
        const auto dt = get<std::uint8_t>(f, path);
        TFC_CHECK(dt <= static_cast<std::uint8_t>(DType::bool_), "load_weights", "corrupt dtype",
                  std::to_string(dt), "a known dtype code", "the file is damaged; re-save it");
        const auto rank = get<std::uint32_t>(f, path);
        TFC_CHECK(rank <= 8, "load_weights", "corrupt rank", std::to_string(rank), "<= 8",
                  "the file is damaged; re-save it");
        Shape shape(rank);
        std::uint64_t n = 1;
        for (auto& d : shape) {
            d = get<std::int64_t>(f, path);
            TFC_CHECK(d >= 0 && static_cast<std::uint64_t>(d) <= kMaxElements, "load_weights",
                      "corrupt dimension", std::to_string(d), "0 <= dim <= 2^34",
                      "the file is damaged; re-save it");
            n *= static_cast<std::uint64_t>(d);
            TFC_CHECK(n <= kMaxElements, "load_weights", "weight too large", name,
                      "<= 2^34 elements", "the file is damaged; re-save it");
        }
        const std::uint64_t bytes = n * dtype_size(static_cast<DType>(dt));
        TFC_CHECK(bytes <= file_size, "load_weights", "weight larger than the file",
                  name + " claims " + std::to_string(bytes) + " bytes",
                  "at most " + std::to_string(file_size), "the file is damaged; re-save it");
        Tensor t = Tensor::empty(shape, static_cast<DType>(dt));
        f.read(static_cast<char*>(t.raw_data()), static_cast<std::streamsize>(bytes));
        TFC_CHECK(f.good(), "load_weights", "file is truncated", "'" + path + "' ends inside " + name,
                  "a complete weights file", "re-save the weights; the file was cut short");
        values.push_back(t);
    }
    for (std::size_t i = 0; i < targets.size(); ++i) {
        TFC_CHECK(values[i].shape() == targets[i]->value.shape(), "load_weights",
                  "weight '" + targets[i]->name + "' has the wrong shape",
                  shape_str(values[i].shape()), shape_str(targets[i]->value.shape()),
                  "load weights saved from the same architecture");
    }
    for (std::size_t i = 0; i < targets.size(); ++i) {
        targets[i]->value.copy_from(values[i].astype(targets[i]->value.dtype()));
    }
}

}  // namespace tfc
