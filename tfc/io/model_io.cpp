#include "tfc/io/model_io.h"

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>

#include "tfc/core/error.h"
#include "tfc/io/formats_impl.h"
#include "tfc/io/json_impl.h"
#include "tfc/io/model_config.h"

namespace tfc {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
    if (s.size() < suffix.size()) return false;
    std::string tail = s.substr(s.size() - suffix.size());
    for (char& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return tail == suffix;
}

enum class Kind { h5, keras_zip, tfjs };

Kind kind_of(const std::string& path, const char* where) {
    if (ends_with(path, ".keras")) return Kind::keras_zip;
    if (ends_with(path, ".h5") || ends_with(path, ".hdf5")) return Kind::h5;
    if (ends_with(path, ".json")) return Kind::tfjs;
    fail(where, "unknown model file extension", "'" + path + "'",
         ".h5, .hdf5, .keras or .json (TF.js model.json)",
         "name the file model.h5 (legacy Keras HDF5) or model.keras (Keras 3 zip)");
}

void compile_keras3(Model& model, const std::string& config_text, const LoadOptions& options) {
    if (!options.compile) return;
    const io::json cfg = io::parse_json(config_text, "load_model: config.json");
    if (cfg.is_object() && cfg.contains("compile_config") && cfg["compile_config"].is_object()) {
        io::compile_from_config(model, cfg["compile_config"].dump(), true);
    }
}

// metadata.json's keras_version: "2.13.1" from tf.keras 2.13-2.15, "3.x" from Keras 3. A
// .keras file without one is taken as Keras 3's, whose format it is.
std::string zip_keras_version(const std::string& metadata) {
    if (metadata.empty()) return "3";
    const io::json md = io::parse_json(metadata, "load_model: metadata.json");
    if (md.is_object() && md.contains("keras_version") && md["keras_version"].is_string()) {
        return md["keras_version"].get<std::string>();
    }
    return "3";
}

std::shared_ptr<Model> load_keras_zip(const std::string& path, const LoadOptions& options) {
    const io::ZipEntries z = io::read_keras_zip(path, true);
    io::check_no_code_layers(z.config);
    auto model = io::model_from_config(z.config, zip_keras_version(z.metadata));
    compile_keras3(*model, z.config, options);
    const io::h5::Reader f = io::h5::Reader::from_image(z.weights, "model.weights.h5 in " + path);
    io::load_keras3_weights(f, *model);
    io::read_keras3_optimizer_vars(f, *model);
    return model;
}

}  // namespace

namespace io {

void write_atomically(const std::string& path,
                      const std::function<void(const std::string&)>& write) {
    static std::atomic<unsigned> counter{0};
    const std::filesystem::path target(path);
    const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
    const std::string tmp = (dir / ("." + target.filename().string() + ".tmp" +
                                    std::to_string(::getpid()) + "_" + std::to_string(counter++)))
                                .string();
    try {
        write(tmp);
    } catch (...) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw;
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        fail("save_model", "cannot move the finished file into place", "'" + path + "'",
             "a writable destination", "check permissions of the target folder");
    }
}

}  // namespace io

std::shared_ptr<Model> load_model(const std::string& path, const LoadOptions& options) {
    const Kind kind = kind_of(path, "load_model");
    if (kind == Kind::keras_zip) return load_keras_zip(path, options);
    if (kind == Kind::tfjs) return load_tfjs_model(path, options);
    return io::read_legacy_model(io::h5::Reader::open(path), options);
}

void save_model(const Model& model, const std::string& path) {
    const Kind kind = kind_of(path, "save_model");
    TFC_CHECK(kind != Kind::tfjs, "save_model", "TF.js model.json files are read, not written",
              "'" + path + "'", ".h5 or .keras", "save as model.keras or model.h5");
    if (kind == Kind::keras_zip) {
        io::write_keras_zip(model, path);
    } else {
        io::write_legacy_model(model, path);
    }
}

void load_weights(Model& model, const std::string& path) {
    const io::h5::Reader f = io::h5::Reader::open(path);
    if (io::is_keras3_weights(f)) {
        io::load_keras3_weights(f, model);
        return;
    }
    const io::h5::Node root = f.root();
    if (!io::h5::has_attr(f, root, "layer_names") && io::h5::exists(f, root, "model_weights")) {
        io::load_legacy_weights(f, io::h5::open_group(f, root, "model_weights"),
                                model);  // a full-model file
        return;
    }
    io::load_legacy_weights(f, root, model);
}

void save_weights(const Model& model, const std::string& path) {
    TFC_CHECK(ends_with(path, ".h5") || ends_with(path, ".hdf5"), "save_weights",
              "unknown weights file extension", "'" + path + "'", ".weights.h5 or .h5",
              "name the file model.weights.h5 (Keras 3 layout) or weights.h5 (legacy layout)");
    TFC_CHECK(model.built(), "save_weights", "the model has no weights yet", model.name(),
              "a built model", "call build(), fit() or predict() first, or give an input shape");
    const bool keras3 = ends_with(path, ".weights.h5");
    io::write_atomically(path, [&](const std::string& tmp) {
        if (keras3) {
            io::write_keras3_weights(model, tmp);
            return;
        }
        io::h5::Quiet quiet;
        io::h5::File f = io::h5::create(tmp);
        io::write_legacy_weights(f.id.get(), model);
        io::h5::close(f);
    });
}

std::shared_ptr<Model> model_from_json(const std::string& json_text) {
    return io::model_from_config(json_text);
}

std::string model_to_json(const Model& model) {
    return io::model_to_config(model, io::ConfigStyle::legacy_h5);
}

namespace {

void describe_config(const std::string& text, ModelFileInfo& info) {
    const io::json m = io::parse_json(text, "model info: model_config");
    if (!m.is_object()) return;
    if (m.contains("class_name") && m["class_name"].is_string()) info.model_class = m["class_name"];
    if (!m.contains("config")) return;
    const io::json& c = m["config"];
    const io::json* layers =
        c.is_array() ? &c : (c.is_object() && c.contains("layers") ? &c["layers"] : nullptr);
    if (layers == nullptr || !layers->is_array()) return;
    for (const auto& l : *layers) {
        if (l.is_object() && l.contains("class_name") && l["class_name"].is_string()) {
            info.layer_classes.push_back(l["class_name"].get<std::string>());
        }
    }
}

}  // namespace

ModelFileInfo inspect_model_file(const std::string& path) {
    ModelFileInfo info;
    info.path = path;
    std::error_code ec;
    info.file_size = std::filesystem::file_size(path, ec);
    TFC_CHECK(!ec, "model info", "cannot read the file", "'" + path + "'", "an existing file",
              "check the path");
    const Kind kind = kind_of(path, "model info");
    if (kind == Kind::tfjs) {
        const io::TfjsModelJson m = io::read_tfjs_model_json(path);
        info.format = "tfjs-layers";
        info.keras_version = m.version;
        info.backend = m.backend;
        describe_config(m.model_config, info);
        info.has_training_config = m.has_training_config;
        return info;
    }
    if (kind == Kind::keras_zip) {
        const io::ZipEntries z = io::read_keras_zip(path, false);
        info.format = "keras-zip";
        if (!z.metadata.empty()) {
            const io::json md = io::parse_json(z.metadata, "model info: metadata.json");
            if (md.is_object() && md.contains("keras_version") && md["keras_version"].is_string()) {
                info.keras_version = md["keras_version"];
            }
        }
        describe_config(z.config, info);
        const io::json cfg = io::parse_json(z.config, "model info: config.json");
        info.has_training_config =
            cfg.is_object() && cfg.contains("compile_config") && cfg["compile_config"].is_object();
        return info;
    }
    const io::h5::Reader f = io::h5::Reader::open(path);
    const io::h5::Node root = f.root();
    info.keras_version = io::h5::read_string_attr(f, root, "keras_version").value_or("");
    info.backend = io::h5::read_string_attr(f, root, "backend").value_or("");
    if (auto cfg = io::h5::read_string_attr(f, root, "model_config")) {
        info.format = "keras-h5";
        describe_config(*cfg, info);
        info.has_training_config = io::h5::has_attr(f, root, "training_config");
    } else if (io::is_keras3_weights(f)) {
        info.format = "keras3-weights-h5";
    } else {
        info.format = "keras-h5-weights";
    }
    return info;
}

}  // namespace tfc
