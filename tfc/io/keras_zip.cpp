// The Keras 3 `.keras` zip: metadata.json, config.json and model.weights.h5 (stored entries).
// Reading bounds every entry (count, declared size, actual size) and refuses absolute or
// `..` entry names, encrypted entries and the npz / sharded weight formats.
#include <zip.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "tfc/core/error.h"
#include "tfc/io/formats_impl.h"
#include "tfc/io/json_impl.h"
#include "tfc/io/model_config.h"

namespace tfc::io {
namespace {

constexpr zip_int64_t kMaxEntries = 10000;
constexpr zip_uint64_t kMaxJsonBytes = zip_uint64_t{64} << 20;     // config / metadata
constexpr zip_uint64_t kMaxWeightsBytes = zip_uint64_t{4} << 30;   // model.weights.h5
constexpr zip_uint64_t kMaxRatio = 200;  // uncompressed / compressed, for deflated entries

struct ZipCloser {
    void operator()(zip_t* z) const {
        if (z) zip_discard(z);
    }
};
using ZipPtr = std::unique_ptr<zip_t, ZipCloser>;

void check_entry_name(const std::string& path, const std::string& name) {
    bool bad = name.empty() || name[0] == '/' || name[0] == '\\' || name.find('\\') != std::string::npos ||
               (name.size() > 1 && name[1] == ':') || name.find('\0') != std::string::npos;
    std::size_t start = 0;
    while (!bad && start <= name.size()) {
        const std::size_t end = std::min(name.find('/', start), name.size());
        if (name.compare(start, end - start, "..") == 0 && end - start == 2) bad = true;
        start = end + 1;
    }
    TFC_CHECK(!bad, "load_model", "the archive has an unsafe entry name", "'" + name + "' in '" + path + "'",
              "relative names without '..'", "the file is damaged or hostile; re-save the model");
}

std::string read_entry(zip_t* z, zip_uint64_t index, const zip_stat_t& st, zip_uint64_t limit,
                       const std::string& path) {
    const std::string name = st.name;
    TFC_CHECK((st.valid & ZIP_STAT_SIZE) && st.size <= limit, "load_model",
              "archive entry '" + name + "' is too large", std::to_string(st.size) + " bytes",
              "at most " + std::to_string(limit), "the file is damaged or hostile");
    if ((st.valid & ZIP_STAT_COMP_SIZE) && (st.valid & ZIP_STAT_COMP_METHOD) &&
        st.comp_method != ZIP_CM_STORE) {
        TFC_CHECK(st.size <= kMaxRatio * st.comp_size + 4096, "load_model",
                  "archive entry '" + name + "' expands too much (zip bomb)",
                  std::to_string(st.comp_size) + " -> " + std::to_string(st.size) + " bytes",
                  "a ratio of at most " + std::to_string(kMaxRatio), "the file is hostile");
    }
    TFC_CHECK(!(st.valid & ZIP_STAT_ENCRYPTION_METHOD) || st.encryption_method == ZIP_EM_NONE,
              "load_model", "archive entry '" + name + "' is encrypted", path, "plain entries",
              "re-save the model with Keras");
    zip_file_t* zf = zip_fopen_index(z, index, 0);
    TFC_CHECK(zf != nullptr, "load_model", "archive entry '" + name + "' cannot be opened",
              zip_strerror(z), "a readable entry", "the file is damaged; re-save the model");
    std::string data(static_cast<std::size_t>(st.size), '\0');
    zip_uint64_t got = 0;
    bool ok = true;
    while (got < st.size) {
        const zip_int64_t n = zip_fread(zf, data.data() + got, st.size - got);
        if (n <= 0) {
            ok = false;
            break;
        }
        got += static_cast<zip_uint64_t>(n);
    }
    char extra = 0;
    const bool longer = ok && zip_fread(zf, &extra, 1) > 0;  // actual size above the declared one
    zip_fclose(zf);
    TFC_CHECK(ok && !longer, "load_model", "archive entry '" + name + "' is corrupt or truncated",
              std::to_string(got) + " of " + std::to_string(st.size) + " bytes in '" + path + "'",
              "the declared size", "the file is damaged; re-save the model");
    return data;
}

}  // namespace

ZipEntries read_keras_zip(const std::string& path, bool with_weights) {
    int err = 0;
    ZipPtr z(zip_open(path.c_str(), ZIP_RDONLY | ZIP_CHECKCONS, &err));
    TFC_CHECK(z != nullptr, "load_model", "not a readable .keras zip archive (damaged or truncated)",
              "'" + path + "' (libzip error " + std::to_string(err) + ")", "a Keras 3 .keras file",
              "re-save the model with model.save(\"m.keras\")");
    const zip_int64_t n = zip_get_num_entries(z.get(), 0);
    TFC_CHECK(n >= 0 && n <= kMaxEntries, "load_model", "the archive has too many entries",
              std::to_string(n), "at most " + std::to_string(kMaxEntries), "the file is hostile");
    ZipEntries out;
    bool has_config = false, has_weights = false;
    zip_uint64_t total = 0;
    for (zip_int64_t i = 0; i < n; ++i) {
        zip_stat_t st;
        zip_stat_init(&st);
        TFC_CHECK(zip_stat_index(z.get(), static_cast<zip_uint64_t>(i), 0, &st) == 0 && (st.valid & ZIP_STAT_NAME),
                  "load_model", "an archive entry cannot be read", "'" + path + "'", "a valid zip",
                  "the file is damaged; re-save the model");
        const std::string name = st.name;
        check_entry_name(path, name);
        total += st.size;
        TFC_CHECK(total <= kMaxWeightsBytes + 2 * kMaxJsonBytes, "load_model",
                  "the archive expands to too many bytes", std::to_string(total), "at most 4 GiB",
                  "the file is hostile");
        const auto idx = static_cast<zip_uint64_t>(i);
        if (name == "config.json") {
            out.config = read_entry(z.get(), idx, st, kMaxJsonBytes, path);
            has_config = true;
        } else if (name == "metadata.json") {
            out.metadata = read_entry(z.get(), idx, st, kMaxJsonBytes, path);
        } else if (name == "model.weights.h5") {
            has_weights = true;
            if (with_weights) out.weights = read_entry(z.get(), idx, st, kMaxWeightsBytes, path);
        } else if (name == "model.weights.npz" || name.find(".weights.json") != std::string::npos) {
            fail("load_model", "the weights use a format tfc does not read", "'" + name + "'",
                 "model.weights.h5", "re-save with Keras's default weights format (h5, unsharded)");
        }
    }
    TFC_CHECK(has_config, "load_model", "the archive has no config.json", "'" + path + "'",
              "a Keras 3 .keras file", "re-save the model with model.save(\"m.keras\")");
    TFC_CHECK(has_weights || !with_weights, "load_model", "the archive has no model.weights.h5",
              "'" + path + "'", "a Keras 3 .keras file", "re-save the model with model.save(\"m.keras\")");
    return out;
}

void write_keras_zip(const Model& model, const std::string& path) {
    TFC_CHECK(model.built(), "save_model", "the model has no weights yet", model.name(),
              "a built model", "call build(), fit() or predict() first, or give an input shape");
    const std::string config = model_to_config(model, ConfigStyle::keras3);
    const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
    char date[32];
    std::strftime(date, sizeof date, "%Y-%m-%d@%H:%M:%S", std::localtime(&now));
    const std::string metadata = json{{"keras_version", kKeras3Version}, {"date_saved", date}}.dump();
    write_atomically(path, [&](const std::string& tmp) {
        const std::string weights_tmp = tmp + ".weights.h5";
        std::string weights;
        try {
            write_keras3_weights(model, weights_tmp, true);
            std::ifstream in(weights_tmp, std::ios::binary);
            weights.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
            TFC_CHECK(in.good() || in.eof(), "save_model", "cannot read back the weights", weights_tmp,
                      "a readable temporary file", "check free disk space");
        } catch (...) {
            std::error_code ec;
            std::filesystem::remove(weights_tmp, ec);
            throw;
        }
        std::error_code ec;
        std::filesystem::remove(weights_tmp, ec);
        int err = 0;
        ZipPtr z(zip_open(tmp.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err));
        TFC_CHECK(z != nullptr, "save_model", "cannot create the archive", "'" + tmp + "'",
                  "a writable path", "check that the folder exists and is writable");
        auto add = [&](const char* name, const std::string& data) {
            zip_source_t* src = zip_source_buffer(z.get(), data.data(), data.size(), 0);
            const zip_int64_t idx = src ? zip_file_add(z.get(), name, src, ZIP_FL_ENC_UTF_8) : -1;
            if (idx < 0 && src) zip_source_free(src);
            TFC_CHECK(idx >= 0 && zip_set_file_compression(z.get(), static_cast<zip_uint64_t>(idx),
                                                           ZIP_CM_STORE, 0) == 0,
                      "save_model", "cannot add an archive entry", name, "a writable archive",
                      "check free disk space");
        };
        add("metadata.json", metadata);
        add("config.json", config);
        add("model.weights.h5", weights);
        zip_t* raw = z.release();
        if (zip_close(raw) != 0) {
            const std::string why = zip_strerror(raw);
            zip_discard(raw);
            fail("save_model", "cannot write the archive", why, "a complete write", "check free disk space");
        }
    });
}

}  // namespace tfc::io
