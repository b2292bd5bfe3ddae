#include "tfc/io/layer_config.h"

#include <cmath>

#include "tfc/core/error.h"
#include "tfc/io/json_impl.h"
#include "tfc/io/layer_registry.h"

namespace tfc::io {

json parse_json(const std::string& text, const std::string& where) {
    // Depth is bounded by the parser callback so a hostile file cannot exhaust the stack.
    int depth = 0;
    bool too_deep = false;
    auto guard = [&](int d, json::parse_event_t event, json&) {
        if (event == json::parse_event_t::object_start || event == json::parse_event_t::array_start) {
            depth = d;
            if (d > 200) too_deep = true;
        }
        return !too_deep;
    };
    json value;
    try {
        value = json::parse(text, guard);
    } catch (const json::exception& e) {
        fail(where, "the JSON is malformed", e.what(), "valid JSON written by Keras",
             "re-save the model with Keras; the file is damaged or not a Keras file");
    }
    TFC_CHECK(!too_deep, where, "the JSON nests too deeply", "more than 200 levels",
              "a Keras model config", "the file is damaged or hostile; re-save it with Keras");
    (void)depth;
    return value;
}

std::string json_excerpt(const json& value) {
    std::string s = value.dump();
    if (s.size() > 80) s = s.substr(0, 77) + "...";
    return s;
}

std::string class_name_of(const json& entry, const std::string& where) {
    TFC_CHECK(entry.is_object() && entry.contains("class_name") && entry["class_name"].is_string(),
              where, "a layer entry has no class_name", json_excerpt(entry),
              "{\"class_name\": ..., \"config\": {...}}", "the model config is damaged; re-save it");
    return entry["class_name"].get<std::string>();
}

LayerConfig::LayerConfig(const JsonNode& node, std::string class_name)
    : node_(node), class_name_(std::move(class_name)) {
    TFC_CHECK(node_.value.is_object(), "load_model", "the config of a " + class_name_ +
              " layer is not a dict", json_excerpt(node_.value), "a JSON object",
              "the model config is damaged; re-save it");
}

void LayerConfig::fail_key(const std::string& key, const std::string& problem,
                           const std::string& got, const std::string& expected) const {
    const std::string who = name().empty() ? class_name_ : class_name_ + " '" + name() + "'";
    fail("load_model: " + who, "config key '" + key + "' " + problem, got, expected,
         "re-save the model with a supported Keras version, or fix the config");
}

std::string LayerConfig::name() const {
    const json& v = node_.value;
    if (v.contains("name") && v["name"].is_string()) return v["name"].get<std::string>();
    return "";
}

bool LayerConfig::trainable() const { return get_bool("trainable", true); }

bool LayerConfig::has(const std::string& key) const {
    return node_.value.contains(key) && !node_.value[key].is_null();
}

bool LayerConfig::is_null(const std::string& key) const {
    return node_.value.contains(key) && node_.value[key].is_null();
}

std::string LayerConfig::get_string(const std::string& key) const {
    if (!has(key)) fail_key(key, "is missing", "no value", "a string");
    return get_string(key, "");
}

std::string LayerConfig::get_string(const std::string& key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    const json& v = node_.value[key];
    if (!v.is_string()) fail_key(key, "has the wrong type", json_excerpt(v), "a string");
    return v.get<std::string>();
}

std::int64_t LayerConfig::get_int(const std::string& key) const {
    if (!has(key)) fail_key(key, "is missing", "no value", "an integer");
    return get_int(key, 0);
}

std::int64_t LayerConfig::get_int(const std::string& key, std::int64_t fallback) const {
    if (!has(key)) return fallback;
    const json& v = node_.value[key];
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
            return static_cast<std::int64_t>(d);
        }
    }
    fail_key(key, "has the wrong type", json_excerpt(v), "an integer");
}

double LayerConfig::get_double(const std::string& key) const {
    if (!has(key)) fail_key(key, "is missing", "no value", "a number");
    return get_double(key, 0.0);
}

double LayerConfig::get_double(const std::string& key, double fallback) const {
    if (!has(key)) return fallback;
    const json& v = node_.value[key];
    if (!v.is_number()) fail_key(key, "has the wrong type", json_excerpt(v), "a number");
    return v.get<double>();
}

std::optional<double> LayerConfig::get_optional_double(const std::string& key) const {
    if (!has(key)) return std::nullopt;
    return get_double(key, 0.0);
}

bool LayerConfig::get_bool(const std::string& key, bool fallback) const {
    if (!has(key)) return fallback;
    const json& v = node_.value[key];
    if (!v.is_boolean()) fail_key(key, "has the wrong type", json_excerpt(v), "true or false");
    return v.get<bool>();
}

Shape LayerConfig::get_shape(const std::string& key) const {
    if (!has(key)) fail_key(key, "is missing", "no value", "a list of dimensions");
    const json& v = node_.value[key];
    if (!v.is_array() || v.size() > 16) {
        fail_key(key, "is not a shape", json_excerpt(v), "a list of at most 16 dimensions");
    }
    Shape s;
    for (const json& d : v) {
        if (d.is_null()) {
            s.push_back(-1);
        } else if (d.is_number_integer() && d.get<std::int64_t>() >= -1 &&
                   d.get<std::int64_t>() <= (std::int64_t{1} << 40)) {
            s.push_back(d.get<std::int64_t>());
        } else {
            fail_key(key, "has an invalid dimension", json_excerpt(v),
                     "null or integers in [-1, 2^40]");
        }
    }
    return s;
}

std::string LayerConfig::get_activation(const std::string& key, const std::string& fallback) const {
    if (!has(key)) return fallback;
    const json& v = node_.value[key];
    if (v.is_string()) return v.get<std::string>();
    if (v.is_object() && v.contains("config") && v["config"].is_string()) {
        return v["config"].get<std::string>();
    }
    fail_key(key, "is not an activation name", json_excerpt(v), "a string such as \"relu\"");
}

namespace {

std::optional<std::uint64_t> seed_of(const json& cfg) {
    if (!cfg.contains("seed") || cfg["seed"].is_null()) return std::nullopt;
    if (!cfg["seed"].is_number_integer() || cfg["seed"].get<std::int64_t>() < 0) return std::nullopt;
    return cfg["seed"].get<std::uint64_t>();
}

double num_or(const json& cfg, const char* key, double fallback) {
    if (cfg.contains(key) && cfg[key].is_number()) return cfg[key].get<double>();
    return fallback;
}

std::string str_or(const json& cfg, const char* key, const std::string& fallback) {
    if (cfg.contains(key) && cfg[key].is_string()) return cfg[key].get<std::string>();
    return fallback;
}

}  // namespace

InitializerRef LayerConfig::get_initializer(const std::string& key,
                                            const std::string& fallback) const {
    if (!has(key)) return InitializerRef(fallback);
    const json& v = node_.value[key];
    if (v.is_string()) {
        try {
            return InitializerRef(v.get<std::string>());
        } catch (const Error&) {
            fail_key(key, "names an unknown initializer", json_excerpt(v), "a Keras initializer");
        }
    }
    if (!v.is_object() || !v.contains("class_name") || !v["class_name"].is_string()) {
        fail_key(key, "is not an initializer", json_excerpt(v), "{\"class_name\", \"config\"}");
    }
    const std::string cls = v["class_name"].get<std::string>();
    const json cfg = v.contains("config") && v["config"].is_object() ? v["config"] : json::object();
    const auto seed = seed_of(cfg);
    if (cls == "GlorotUniform") return GlorotUniform(seed);
    if (cls == "GlorotNormal") return GlorotNormal(seed);
    if (cls == "HeUniform") return HeUniform(seed);
    if (cls == "HeNormal") return HeNormal(seed);
    if (cls == "LecunUniform") return LecunUniform(seed);
    if (cls == "LecunNormal") return LecunNormal(seed);
    if (cls == "Zeros") return Zeros();
    if (cls == "Ones") return Ones();
    if (cls == "Constant") return Constant(num_or(cfg, "value", 0.0));
    if (cls == "RandomUniform") {
        return RandomUniform(num_or(cfg, "minval", -0.05), num_or(cfg, "maxval", 0.05), seed);
    }
    if (cls == "RandomNormal") {
        return RandomNormal(num_or(cfg, "mean", 0.0), num_or(cfg, "stddev", 0.05), seed);
    }
    if (cls == "TruncatedNormal") {
        return TruncatedNormal(num_or(cfg, "mean", 0.0), num_or(cfg, "stddev", 0.05), seed);
    }
    if (cls == "VarianceScaling") {
        std::string dist = str_or(cfg, "distribution", "truncated_normal");
        if (dist == "normal") dist = "truncated_normal";  // Keras 2.0-2.2 spelling
        try {
            return VarianceScaling(num_or(cfg, "scale", 1.0), str_or(cfg, "mode", "fan_in"), dist,
                                   seed);
        } catch (const Error&) {
            fail_key(key, "has invalid VarianceScaling arguments", json_excerpt(v),
                     "mode fan_in/fan_out/fan_avg and a known distribution");
        }
    }
    if (cls == "Orthogonal") return Orthogonal(num_or(cfg, "gain", 1.0), seed);
    if (cls == "Identity") return Identity(num_or(cfg, "gain", 1.0));
    fail_key(key, "names an unsupported initializer", cls,
             "GlorotUniform, GlorotNormal, HeUniform, HeNormal, LecunUniform, LecunNormal, Zeros, "
             "Ones, Constant, RandomUniform, RandomNormal, TruncatedNormal, VarianceScaling, "
             "Orthogonal or Identity");
}

Shape LayerConfig::input_shape() const {
    for (const char* key : {"batch_input_shape", "batch_shape"}) {
        if (has(key)) {
            Shape s = get_shape(key);
            if (s.empty()) fail_key(key, "has no batch dimension", "[]", "[null, ...]");
            s.erase(s.begin());
            return s;
        }
    }
    if (has("input_shape")) return get_shape("input_shape");
    return {};
}

void LayerConfig::check_dtype() const {
    if (!has("dtype")) return;
    const json& v = node_.value["dtype"];
    std::string policy;
    if (v.is_string()) {
        policy = v.get<std::string>();
    } else if (v.is_object() && v.contains("config") && v["config"].is_object() &&
               v["config"].contains("name") && v["config"]["name"].is_string()) {
        policy = v["config"]["name"].get<std::string>();
    } else {
        fail_key("dtype", "is not a dtype", json_excerpt(v), "\"float32\" or a DTypePolicy dict");
    }
    // Mixed precision keeps float32 variables; tfc computes in float32 throughout.
    static const char* kOk[] = {"float32", "float16", "float64", "bfloat16", "mixed_float16",
                                "mixed_bfloat16"};
    for (const char* ok : kOk) {
        if (policy == ok) return;
    }
    fail_key("dtype", "is not a floating-point policy", policy, "float32 (or a mixed policy)");
}

namespace {

std::optional<std::int64_t> int_of(const json& v) {
    if (v.is_number_integer()) return v.get<std::int64_t>();
    if (v.is_number_float()) {
        const double d = v.get<double>();
        if (std::isfinite(d) && d == std::floor(d) && std::fabs(d) < 9.0e15) {
            return static_cast<std::int64_t>(d);
        }
    }
    return std::nullopt;
}

}  // namespace

std::vector<std::int64_t> LayerConfig::get_ints(const std::string& key, std::size_t n,
                                                std::int64_t lo, std::int64_t hi,
                                                const std::vector<std::int64_t>& fallback) const {
    const std::string expected = n == 1 ? "an integer or a list of 1 integer"
                                        : "an integer or a list of " + std::to_string(n) + " integers";
    if (!has(key)) {
        if (fallback.size() != n) fail_key(key, "is missing", "no value", expected);  // required
        return fallback;
    }
    const json& v = node_.value[key];
    std::vector<std::int64_t> out;
    if (auto one = int_of(v)) {
        out.assign(n, *one);
    } else if (v.is_array() && v.size() == n) {
        for (const json& d : v) {
            auto x = int_of(d);
            if (!x) fail_key(key, "has the wrong type", json_excerpt(v), expected);
            out.push_back(*x);
        }
    } else {
        fail_key(key, "has the wrong type or length", json_excerpt(v), expected);
    }
    for (auto x : out) {
        if (x < lo || x > hi) {
            fail_key(key, "is out of range", json_excerpt(v),
                     "values in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
        }
    }
    return out;
}

std::vector<std::int64_t> LayerConfig::get_int_or_list(const std::string& key,
                                                       std::int64_t fallback) const {
    if (!has(key)) return {fallback};
    const json& v = node_.value[key];
    if (auto one = int_of(v)) return {*one};
    if (!v.is_array() || v.empty() || v.size() > 16) {
        fail_key(key, "has the wrong type", json_excerpt(v), "an integer or a list of integers");
    }
    std::vector<std::int64_t> out;
    for (const json& d : v) {
        auto x = int_of(d);
        if (!x) fail_key(key, "has the wrong type", json_excerpt(v), "a list of integers");
        out.push_back(*x);
    }
    return out;
}

std::array<std::int64_t, 4> LayerConfig::get_padding2d(const std::string& key,
                                                       std::int64_t fallback) const {
    constexpr std::int64_t kMax = std::int64_t{1} << 20;
    const std::string expected = "an int, [rows, cols] or [[top, bottom], [left, right]] in [0, 2^20]";
    if (!has(key)) return {fallback, fallback, fallback, fallback};
    const json& v = node_.value[key];
    auto check = [&](std::optional<std::int64_t> x) {
        if (!x || *x < 0 || *x > kMax) fail_key(key, "is not a valid amount", json_excerpt(v), expected);
        return *x;
    };
    if (!v.is_array()) {
        const auto a = check(int_of(v));
        return {a, a, a, a};
    }
    if (v.size() != 2) fail_key(key, "is not a valid amount", json_excerpt(v), expected);
    std::array<std::int64_t, 4> out{};
    for (std::size_t i = 0; i < 2; ++i) {
        const json& p = v[i];
        if (p.is_array()) {
            if (p.size() != 2) fail_key(key, "is not a valid amount", json_excerpt(v), expected);
            out[2 * i] = check(int_of(p[0]));
            out[2 * i + 1] = check(int_of(p[1]));
        } else {
            out[2 * i] = out[2 * i + 1] = check(int_of(p));
        }
    }
    return out;
}

bool LayerConfig::is_set(const std::string& key) const {
    if (!has(key)) return false;
    const json& v = node_.value[key];
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_number()) return v.get<double>() != 0.0;
    if (v.is_string() || v.is_array() || v.is_object()) return !v.empty() && v != json("");
    return true;
}

std::shared_ptr<Layer> LayerConfig::get_layer(const std::string& key) const {
    if (!has(key)) fail_key(key, "is missing", "no value", "a layer config {\"class_name\", \"config\"}");
    const json& v = node_.value[key];
    if (!v.is_object() || !v.contains("class_name") || !v["class_name"].is_string() ||
        (v.contains("config") && !v["config"].is_object())) {
        fail_key(key, "is not a layer config", json_excerpt(v), "{\"class_name\", \"config\"}");
    }
    const std::string cls = v["class_name"].get<std::string>();
    JsonNode inner{v.contains("config") ? v["config"] : json::object()};
    return layer_from_config(cls, LayerConfig(inner, cls));
}

ConfigWriter::ConfigWriter() : node_(std::make_unique<JsonNode>()) {
    node_->value = json::object();
}
ConfigWriter::~ConfigWriter() = default;

void ConfigWriter::set(const std::string& key, const std::string& value) { node_->value[key] = value; }
void ConfigWriter::set(const std::string& key, std::int64_t value) { node_->value[key] = value; }
void ConfigWriter::set(const std::string& key, double value) { node_->value[key] = value; }
void ConfigWriter::set(const std::string& key, bool value) { node_->value[key] = value; }
void ConfigWriter::set_null(const std::string& key) { node_->value[key] = nullptr; }

void ConfigWriter::set_shape(const std::string& key, const Shape& shape) {
    json a = json::array();
    for (auto d : shape) {
        if (d < 0) {
            a.push_back(nullptr);
        } else {
            a.push_back(d);
        }
    }
    node_->value[key] = a;
}

void ConfigWriter::set_ints(const std::string& key, const std::vector<std::int64_t>& values) {
    json a = json::array();
    for (auto x : values) a.push_back(x);
    node_->value[key] = a;
}

void ConfigWriter::set_padding2d(const std::string& key, const std::array<std::int64_t, 4>& tblr) {
    node_->value[key] = json::array({json::array({tblr[0], tblr[1]}), json::array({tblr[2], tblr[3]})});
}

void ConfigWriter::set_layer(const std::string& key, const Layer& layer, const std::string& name) {
    const LayerCodec* codec = LayerRegistry::instance().find(layer.class_name());
    TFC_CHECK(codec != nullptr, "save_model", "layer type '" + layer.class_name() +
              "' has no Keras config writer", layer.name(), "a registered layer type",
              "add the layer type to tfc::io::LayerRegistry");
    ConfigWriter specific;
    codec->to_config(layer, specific);
    json cfg = json::object();
    cfg["name"] = name;
    cfg["trainable"] = layer.trainable();
    cfg["dtype"] = "float32";
    for (const auto& [k, x] : specific.node().value.items()) cfg[k] = x;
    node_->value[key] = json{{"class_name", layer.class_name()}, {"config", cfg}};
}

void ConfigWriter::set_initializer(const std::string& key, const Initializer& init) {
    // The public Initializer interface exposes the class name only, so the config holds the
    // arguments Keras needs to rebuild an equivalent preset (seed unknown: null).
    json cfg = json::object();
    const std::string cls = init.class_name();
    if (cls != "Zeros" && cls != "Ones" && cls != "Constant" && cls != "Identity") {
        cfg["seed"] = nullptr;
    }
    node_->value[key] = json{{"class_name", cls}, {"config", cfg}};
}

}  // namespace tfc::io
