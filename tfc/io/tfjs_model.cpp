// TF.js layers models: `model.json` (a Keras-style topology plus a weights manifest) and the
// binary weight shards it names, as TF.js's model.save() handlers and tensorflowjs_converter
// (--output_format tfjs_layers_model) write them. Read only; data, never code.
//
// model.json: {"modelTopology": {"class_name", "config", "keras_version", "backend"} (TF.js) or
// {"model_config", "training_config", ...} (the converter), "format": "layers-model",
// "weightsManifest": [{"paths": [shard files], "weights": [{name, shape, dtype}]}], ...}.
// A group's weights are its shards concatenated, little-endian, in manifest order (a weight
// may straddle two shards). Weight names are "<layer name>/<weight name>" (TF.js:
// "dense_Dense1/kernel", "bidirectional_B1/forward_lstm_L1/kernel"); the converter's Keras names
// add the RNN cell ("lstm/lstm_cell/kernel") and are matched without it, as TF.js does.
//
// Hostile files: shard paths must be plain relative names inside the model's folder (no
// absolute paths, "..", backslashes, drive letters or URLs) naming regular files (no symlinks,
// FIFOs or devices); every shape, dtype and size is checked against the manifest and the model
// before anything is allocated; model.json <= 64 MiB, weights <= 4 GiB.
#include <bit>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/io/formats_impl.h"
#include "tfc/io/json_impl.h"
#include "tfc/io/model_config.h"

namespace tfc::io {
namespace {

namespace fs = std::filesystem;

constexpr const char* kWhere = "load_tfjs_model";
constexpr std::uint64_t kMaxJsonBytes = std::uint64_t{64} << 20;
constexpr std::uint64_t kMaxWeightBytes = std::uint64_t{4} << 30;
constexpr std::int64_t kMaxElements = std::int64_t{1} << 36;  // per weight, as for HDF5
constexpr std::int64_t kMaxDim = std::int64_t{1} << 40;
constexpr std::size_t kMaxShards = 10000;
constexpr std::size_t kMaxRank = 8;

const char* const kResave =
    "the files are damaged or hostile; save the model again with TF.js's model.save()";

// A regular file (symlinks, FIFOs and devices refused: they could leave the model's folder,
// block, or never end), and its size.
std::uint64_t regular_file_size(const fs::path& p, const std::string& what, bool follow) {
    std::error_code ec;
    const fs::file_status st = follow ? fs::status(p, ec) : fs::symlink_status(p, ec);
    std::string quoted = "'";
    quoted += p.string();
    quoted += "'";
    TFC_CHECK(!ec && fs::exists(st), kWhere, what + " does not exist", quoted, "an existing file",
              "keep model.json and its weight shards together in one folder");
    TFC_CHECK(fs::is_regular_file(st), kWhere, what + " is not a regular file",
              fs::is_symlink(st) ? quoted + " (a symbolic link)" : quoted, "a regular file",
              "copy the file itself into the model's folder");
    const std::uint64_t size = fs::file_size(p, ec);
    TFC_CHECK(!ec, kWhere, "cannot read the size of " + what, quoted, "a readable file",
              "check permissions");
    return size;
}

// Reads exactly `size` bytes of `p` into dst (the file may have changed since it was sized).
void read_exactly(const fs::path& p, char* dst, std::uint64_t size, const std::string& what) {
    std::ifstream in(p, std::ios::binary);
    TFC_CHECK(in.good(), kWhere, "cannot open " + what, "'" + p.string() + "'", "a readable file",
              "check permissions");
    if (size > 0) in.read(dst, static_cast<std::streamsize>(size));
    TFC_CHECK(static_cast<std::uint64_t>(in.gcount()) == size, kWhere, what + " ended early",
              std::to_string(in.gcount()) + " bytes of '" + p.string() + "'",
              std::to_string(size) + " bytes", kResave);
}

json read_model_json(const std::string& path) {
    const std::uint64_t size = regular_file_size(path, "model.json", true);
    TFC_CHECK(size <= kMaxJsonBytes, kWhere, "model.json is too large",
              std::to_string(size) + " bytes", "at most " + std::to_string(kMaxJsonBytes), kResave);
    std::string text(static_cast<std::size_t>(size), '\0');
    read_exactly(path, text.data(), size, "model.json");
    json doc = parse_json(text, std::string(kWhere) + ": " + path);
    TFC_CHECK(doc.is_object(), kWhere, "model.json is not a JSON object", json_excerpt(doc),
              "{\"modelTopology\": ..., \"weightsManifest\": [...]}", kResave);
    return doc;
}

// The Keras-style model config inside model.json, and the converter's training config.
struct Topology {
    const json* model_config = nullptr;
    const json* training_config = nullptr;  // converter files only
};

Topology topology_of(const json& doc) {
    if (doc.contains("format")) {
        const json& f = doc["format"];
        TFC_CHECK(!(f.is_string() && f.get<std::string>() == "graph-model"), kWhere,
                  "this is a TF.js graph model, which holds a TensorFlow graph, not Keras layers",
                  "format \"graph-model\"", "format \"layers-model\"",
                  "export the Keras model itself: model.save() in TF.js, or tensorflowjs_converter "
                  "--input_format keras --output_format tfjs_layers_model");
        TFC_CHECK(f.is_null() || (f.is_string() && f.get<std::string>() == "layers-model"), kWhere,
                  "unknown model.json format", json_excerpt(f), "\"layers-model\"", kResave);
    }
    if (!doc.contains("modelTopology")) {
        TFC_CHECK(!doc.contains("class_name"), kWhere,
                  "this is a Keras architecture JSON (model.to_json()), not a TF.js model.json",
                  "a top-level \"class_name\"", "\"modelTopology\" and \"weightsManifest\"",
                  "build it with tfc::model_from_json(text) and load the weights with "
                  "tfc::load_weights");
        fail(kWhere, "model.json has no modelTopology", json_excerpt(doc),
             "{\"modelTopology\": ..., \"weightsManifest\": [...]}",
             "save the model with TF.js's model.save() (a layers model)");
    }
    const json& t = doc["modelTopology"];
    TFC_CHECK(t.is_object(), kWhere, "modelTopology is not a JSON object", json_excerpt(t),
              "a Keras model config {\"class_name\", \"config\"}", kResave);
    Topology out;
    out.model_config = t.contains("model_config") ? &t["model_config"] : &t;
    if (t.contains("training_config") && t["training_config"].is_object()) {
        out.training_config = &t["training_config"];
    }
    const json& m = *out.model_config;
    TFC_CHECK(m.is_object() && m.contains("class_name") && m["class_name"].is_string() &&
                  m.contains("config"),
              kWhere, "modelTopology is not a Keras model config", json_excerpt(m),
              "{\"class_name\": \"Sequential\" or \"Model\", \"config\": ...}", kResave);
    return out;
}

// ---- the manifest ------------------------------------------------------------------------------

struct Entry {
    std::string name;  // as written in the manifest
    Shape shape;
    bool int32 = false;        // else float32
    bool skip = false;         // optimizer state (group "optimizer"): not model weights
    std::size_t group = 0;     // index of its manifest group
    std::uint64_t offset = 0;  // in the group's concatenated shards
    std::uint64_t bytes = 0;
};

struct Group {
    std::vector<fs::path> shards;
    std::vector<std::string> shard_names;
    std::vector<Entry> entries;
    std::uint64_t bytes = 0;
};

// A shard path is a plain relative path inside the model's folder.
void check_shard_path(const std::string& p) {
    bool ok = !p.empty() && p.size() <= 4096 && p.front() != '/' &&
              p.find('\\') == std::string::npos && p.find(':') == std::string::npos;
    for (const char c : p) ok = ok && static_cast<unsigned char>(c) >= 0x20;
    if (ok) {
        for (const auto& part : fs::path(p)) ok = ok && part != ".." && !part.empty();
    }
    TFC_CHECK(ok, kWhere, "unsafe weight shard path in the manifest", "'" + p + "'",
              "a file name relative to model.json's folder, without '..', '/' at the start, "
              "backslashes, drive letters or URLs",
              "the file is hostile or damaged; keep the shards next to model.json");
}

Shape checked_shape(const json& s, const std::string& name) {
    TFC_CHECK(s.is_array() && s.size() <= kMaxRank, kWhere,
              "weight '" + name + "' has an invalid shape", json_excerpt(s),
              "a list of at most 8 sizes", kResave);
    Shape shape;
    std::int64_t n = 1;
    for (const json& d : s) {
        TFC_CHECK(
            d.is_number_integer() && d.get<std::int64_t>() >= 0 && d.get<std::int64_t>() <= kMaxDim,
            kWhere, "weight '" + name + "' has an invalid size in its shape", json_excerpt(s),
            "integers in [0, 2^40]", kResave);
        const std::int64_t v = d.get<std::int64_t>();
        TFC_CHECK(v == 0 || n <= kMaxElements / v, kWhere,
                  "weight '" + name + "' claims too many elements", json_excerpt(s),
                  "at most 2^36 elements", kResave);
        n *= v;
        shape.push_back(v);
    }
    return shape;
}

Entry parse_entry(const json& w) {
    TFC_CHECK(w.is_object() && w.contains("name") && w["name"].is_string() &&
                  !w["name"].get<std::string>().empty(),
              kWhere, "a weightsManifest entry has no name", json_excerpt(w),
              "{\"name\", \"shape\", \"dtype\"}", kResave);
    Entry e;
    e.name = w["name"].get<std::string>();
    TFC_CHECK(w.contains("shape") && w.contains("dtype") && w["dtype"].is_string(), kWhere,
              "weight '" + e.name + "' has no shape or dtype", json_excerpt(w),
              "{\"name\", \"shape\", \"dtype\"}", kResave);
    TFC_CHECK(!w.contains("quantization") || w["quantization"].is_null(), kWhere,
              "weight '" + e.name + "' is quantized", json_excerpt(w["quantization"]),
              "float32 weights",
              "convert the model again without --quantize_uint8 / --quantize_uint16 / "
              "--quantize_float16");
    const std::string dtype = w["dtype"].get<std::string>();
    TFC_CHECK(dtype == "float32" || dtype == "int32", kWhere,
              "weight '" + e.name + "' has an unsupported dtype", "'" + dtype + "'",
              "float32 (or int32)", "save the model with float32 weights");
    e.int32 = dtype == "int32";
    e.shape = checked_shape(w["shape"], e.name);
    e.bytes = static_cast<std::uint64_t>(num_elements(e.shape)) * 4;
    e.skip = w.contains("group") && w["group"].is_string() &&
             w["group"].get<std::string>() == "optimizer";
    return e;
}

std::vector<Group> parse_manifest(const json& doc, const fs::path& dir) {
    TFC_CHECK(
        doc.contains("weightsManifest") && doc["weightsManifest"].is_array(), kWhere,
        "model.json has no weightsManifest list",
        doc.contains("weightsManifest") ? json_excerpt(doc["weightsManifest"]) : "none",
        "[{\"paths\": [...], \"weights\": [...]}]",
        "save the model with TF.js's model.save(); the weights live in the manifest's shards");
    std::vector<Group> groups;
    std::size_t shards = 0;
    std::uint64_t total = 0;
    for (const json& g : doc["weightsManifest"]) {
        TFC_CHECK(g.is_object() && g.contains("paths") && g["paths"].is_array() &&
                      g.contains("weights") && g["weights"].is_array(),
                  kWhere, "a weightsManifest group is malformed", json_excerpt(g),
                  "{\"paths\": [...], \"weights\": [...]}", kResave);
        Group group;
        for (const json& p : g["paths"]) {
            TFC_CHECK(p.is_string(), kWhere, "a shard path is not a string", json_excerpt(p),
                      "a file name", kResave);
            const std::string s = p.get<std::string>();
            check_shard_path(s);
            TFC_CHECK(++shards <= kMaxShards, kWhere, "the manifest names too many shards",
                      "more than " + std::to_string(kMaxShards), "fewer shard files", kResave);
            group.shards.push_back(dir / fs::path(s));
            group.shard_names.push_back(s);
        }
        for (const json& w : g["weights"]) {
            Entry e = parse_entry(w);
            e.group = groups.size();
            e.offset = group.bytes;
            group.bytes += e.bytes;
            total += e.bytes;
            TFC_CHECK(
                total <= kMaxWeightBytes, kWhere, "the manifest claims too many weight bytes",
                "more than " + std::to_string(kMaxWeightBytes) + " (at weight '" + e.name + "')",
                "at most 4 GiB", kResave);
            group.entries.push_back(std::move(e));
        }
        TFC_CHECK(!group.shards.empty() || group.bytes == 0, kWhere,
                  "a weightsManifest group has weights but no shard files", json_excerpt(g),
                  "\"paths\" naming its shards", kResave);
        groups.push_back(std::move(group));
    }
    return groups;
}

// ---- matching manifest names to the model's weights ---------------------------------------------

struct Target {
    Layer* layer = nullptr;
    std::size_t layer_index = 0;
    std::size_t index = 0;  // in layer->weights()
    Shape shape;
    const Entry* entry = nullptr;
};

std::string listed(const std::vector<std::string>& names) {
    std::string s;
    for (std::size_t i = 0; i < names.size() && i < 12; ++i) s += (i ? ", " : "") + names[i];
    if (names.size() > 12) s += ", ... (" + std::to_string(names.size()) + " in all)";
    return s.empty() ? "none" : s;
}

// The model weight a manifest name refers to: "<layer>/<weight>" exactly (TF.js), after dropping
// a trailing ":0", or without the component before the last (the RNN cell in the converter's
// Keras names: "lstm/lstm_cell/kernel" -> "lstm/kernel").
Target* find_target(std::map<std::string, Target>& targets, std::string name) {
    if (name.size() > 2 && name.compare(name.size() - 2, 2, ":0") == 0) {
        name.resize(name.size() - 2);
    }
    auto it = targets.find(name);
    if (it != targets.end()) return &it->second;
    const std::size_t last = name.rfind('/');
    if (last == std::string::npos || last == 0) return nullptr;
    const std::size_t before = name.rfind('/', last - 1);
    if (before == std::string::npos) return nullptr;
    it = targets.find(name.substr(0, before) + name.substr(last));
    return it == targets.end() ? nullptr : &it->second;
}

void assign_names(Model& model, const std::vector<Group>& groups,
                  std::map<std::string, Target>& targets, std::vector<LayerPtr>& layers) {
    layers = model.layers();
    for (std::size_t li = 0; li < layers.size(); ++li) {
        const auto ws = layers[li]->weights();
        for (std::size_t k = 0; k < ws.size(); ++k) {
            const std::string name = layers[li]->name() + "/" + ws[k]->name;
            TFC_CHECK(targets.count(name) == 0, kWhere, "two model weights share a name",
                      "'" + name + "'", "unique layer names", "give each layer its own name");
            targets[name] = Target{layers[li].get(), li, k, ws[k]->value.shape(), nullptr};
        }
    }
    std::vector<std::string> model_names;
    for (const auto& [name, t] : targets) model_names.push_back(name);
    for (const Group& g : groups) {
        for (const Entry& e : g.entries) {
            if (e.skip) continue;
            Target* t = find_target(targets, e.name);
            TFC_CHECK(t != nullptr, kWhere,
                      "a weight in the manifest belongs to no layer of the model",
                      "'" + e.name + "'", "one of the model's weights: " + listed(model_names),
                      "load a model.json whose weights were saved with its own topology");
            TFC_CHECK(t->entry == nullptr, kWhere, "a weight appears twice in the manifest",
                      "'" + e.name + "' and '" + (t->entry ? t->entry->name : "") + "'",
                      "each weight once", kResave);
            TFC_CHECK(e.shape == t->shape, kWhere,
                      "weight '" + e.name + "' does not fit layer '" + t->layer->name() + "'",
                      shape_str(e.shape) + " in the manifest",
                      shape_str(t->shape) + " for " + t->layer->weights()[t->index]->name,
                      "load a model.json whose weights were saved with its own topology");
            t->entry = &e;
        }
    }
    std::vector<std::string> missing;
    for (const auto& [name, t] : targets) {
        if (t.entry == nullptr) missing.push_back(name);
    }
    TFC_CHECK(missing.empty(), kWhere, "model weights are missing from the manifest",
              listed(missing), "every weight of the model", kResave);
}

// ---- the shards
// ----------------------------------------------------------------------------------

// The group's shards, concatenated; their sizes must add up to what the manifest describes.
std::vector<char> read_group(const Group& g) {
    std::vector<std::uint64_t> sizes;
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < g.shards.size(); ++i) {
        sizes.push_back(
            regular_file_size(g.shards[i], "weight shard '" + g.shard_names[i] + "'", false));
        sum += std::min(sizes.back(), kMaxWeightBytes + 1);
    }
    TFC_CHECK(
        sum == g.bytes, kWhere, "the weight shards do not hold what the manifest describes",
        std::to_string(sum) + " bytes in " + listed(g.shard_names),
        std::to_string(g.bytes) + " bytes for " + std::to_string(g.entries.size()) + " weights",
        "the shards are truncated, missing data or belong to another model; " +
            std::string(kResave));
    std::vector<char> data(static_cast<std::size_t>(g.bytes));
    std::uint64_t at = 0;
    for (std::size_t i = 0; i < g.shards.size(); ++i) {
        read_exactly(g.shards[i], data.data() + at, sizes[i],
                     "weight shard '" + g.shard_names[i] + "'");
        at += sizes[i];
    }
    return data;
}

Tensor tensor_of(const Entry& e, const std::vector<char>& data) {
    const auto n = static_cast<std::size_t>(num_elements(e.shape));
    std::vector<std::uint32_t> words(n);
    if (n > 0) std::memcpy(words.data(), data.data() + e.offset, n * 4);
    if constexpr (std::endian::native == std::endian::big) {
        for (auto& w : words) {
            w = (w >> 24) | ((w >> 8) & 0xff00u) | ((w << 8) & 0xff0000u) | (w << 24);
        }
    }
    Tensor t = Tensor::empty(e.shape, DType::float32);
    float* dst = t.data<float>();
    for (std::size_t i = 0; i < n; ++i) {
        if (e.int32) {
            dst[i] = static_cast<float>(static_cast<std::int32_t>(words[i]));
        } else {
            std::memcpy(dst + i, &words[i], 4);
        }
    }
    return t;
}

std::string string_at(const json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : "";
}

}  // namespace

TfjsModelJson read_tfjs_model_json(const std::string& path) {
    const json doc = read_model_json(path);
    const Topology t = topology_of(doc);
    const json& top = doc["modelTopology"];
    TfjsModelJson out;
    out.model_config = t.model_config->dump();
    out.version = string_at(top, "keras_version");
    if (out.version.empty()) out.version = string_at(doc, "generatedBy");
    out.backend = string_at(top, "backend");
    out.has_training_config = t.training_config != nullptr ||
                              (doc.contains("trainingConfig") && doc["trainingConfig"].is_object());
    return out;
}

}  // namespace tfc::io

namespace tfc {

std::shared_ptr<Model> load_tfjs_model(const std::string& model_json_path,
                                       const LoadOptions& options) {
    const io::json doc = io::read_model_json(model_json_path);
    const io::Topology topology = io::topology_of(doc);
    const std::filesystem::path dir = std::filesystem::path(model_json_path).parent_path();
    const std::vector<io::Group> groups = io::parse_manifest(doc, dir.empty() ? "." : dir);

    const std::string config = topology.model_config->dump();
    io::check_no_code_layers(config);
    // TF.js runs the model with its own activations, which are Keras 2's, whatever Keras version
    // its converter ran under.
    auto model = io::model_from_config(config, "2");
    TFC_CHECK(model->built(), io::kWhere,
              "the model has no input shape, so its weights do not exist", model->name(),
              "a first layer with batch_input_shape",
              "save the model from TF.js after it is built");
    std::map<std::string, io::Target> targets;
    std::vector<LayerPtr> layers;
    io::assign_names(*model, groups, targets, layers);

    std::vector<std::vector<Tensor>> values(layers.size());
    for (std::size_t li = 0; li < layers.size(); ++li) {
        values[li].resize(layers[li]->weights().size());
    }
    for (std::size_t gi = 0; gi < groups.size(); ++gi) {
        const std::vector<char> data = io::read_group(groups[gi]);
        for (const auto& [name, t] : targets) {
            if (t.entry->group == gi) {
                values[t.layer_index][t.index] = io::tensor_of(*t.entry, data);
            }
        }
    }
    for (std::size_t li = 0; li < layers.size(); ++li) {
        if (!values[li].empty()) layers[li]->set_weights(values[li]);
    }
    if (options.compile && topology.training_config != nullptr) {
        io::compile_from_config(*model, topology.training_config->dump(), false);
    }
    return model;
}

}  // namespace tfc
