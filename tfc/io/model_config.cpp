#include "tfc/io/model_config.h"

#include <algorithm>

#include <cmath>

#include "tfc/core/error.h"
#include "tfc/io/activation_names_impl.h"
#include "tfc/io/functional_config_impl.h"
#include "tfc/io/json_impl.h"
#include "tfc/io/layer_registry.h"
#include "tfc/layers/layers.h"
#include "tfc/losses/losses.h"
#include "tfc/optimizers/optimizers.h"
#include "tfc/training/model_layer.h"

namespace tfc::io {
namespace {

constexpr std::size_t kMaxLayers = 100000;
// Weight values of a loaded model (1 GiB as float32; VGG16 has 138M): a config of a few bytes
// must not make the builder allocate more.
constexpr std::int64_t kMaxWeightValues = std::int64_t{1} << 28;

void scan_code_layers(const json& v, int depth) {
    if (depth > 200) return;  // parse_json already bounds depth
    if (v.is_object()) {
        if (v.contains("class_name") && v["class_name"].is_string() &&
            is_code_layer(v["class_name"].get<std::string>())) {
            std::string name = "?";
            if (v.contains("config") && v["config"].is_object() && v["config"].contains("name") &&
                v["config"]["name"].is_string()) {
                name = v["config"]["name"].get<std::string>();
            } else if (v.contains("name") && v["name"].is_string()) {
                name = v["name"].get<std::string>();
            }
            refuse_code_layer(v["class_name"].get<std::string>(), name);
        }
        for (const auto& [k, item] : v.items()) scan_code_layers(item, depth + 1);
    } else if (v.is_array()) {
        for (const auto& item : v) scan_code_layers(item, depth + 1);
    }
}

const json& layers_of(const json& model, const std::string& cls) {
    TFC_CHECK(model.contains("config"), "load_model", "the model config has no 'config'",
              json_excerpt(model), "{\"class_name\": \"" + cls + "\", \"config\": ...}",
              "the file is damaged; re-save it with Keras");
    const json& cfg = model["config"];
    if (cls == "Sequential" && cfg.is_array()) return cfg;  // Keras <= 2.1 list form
    TFC_CHECK(cfg.is_object() && cfg.contains("layers") && cfg["layers"].is_array(), "load_model",
              "the " + cls + " config has no layer list", json_excerpt(cfg), "a 'layers' list",
              "the file is damaged; re-save it with Keras");
    TFC_CHECK(cfg["layers"].size() <= kMaxLayers, "load_model", "too many layers",
              std::to_string(cfg["layers"].size()), "at most " + std::to_string(kMaxLayers),
              "the file is damaged or hostile");
    return cfg["layers"];
}

Shape optional_shape(const json& v) {
    Shape s;
    if (!v.is_array() || v.size() > 16) return s;
    for (const auto& d : v) {
        if (d.is_null()) {
            s.push_back(-1);
        } else if (d.is_number_integer() && d.get<std::int64_t>() > 0 &&
                   d.get<std::int64_t>() <= (std::int64_t{1} << 40)) {
            s.push_back(d.get<std::int64_t>());
        } else {
            return {};
        }
    }
    return s;
}

}  // namespace

void check_no_code_layers(const std::string& model_config_json) {
    scan_code_layers(parse_json(model_config_json, "load_model: model_config"), 0);
}

namespace {

std::shared_ptr<Model> model_from_tree(const json& model);

}  // namespace

std::shared_ptr<Model> model_from_config(const std::string& model_config_json,
                                         const std::string& keras_version) {
    json model = parse_json(model_config_json, "load_model: model_config");
    scan_code_layers(model, 0);
    std::string version = keras_version;
    if (version.empty() && model.is_object() && model.contains("keras_version") &&
        model["keras_version"].is_string()) {
        version = model["keras_version"].get<std::string>();
    }
    activations_from_file(model, keras_major_version(version));
    return model_from_tree(model);
}

namespace {

std::shared_ptr<Model> model_from_tree(const json& model) {
    const std::string cls = class_name_of(model, "load_model: model_config");
    const bool functional = cls == "Functional" || cls == "Model";
    TFC_CHECK(cls == "Sequential" || functional, "load_model",
              "unsupported model class '" + cls + "'", cls, "Sequential, Functional or Model",
              "save a Keras Sequential or functional model");
    const json& layers = layers_of(model, cls);
    const json& cfg = model["config"];
    std::string name = cfg.is_object() && cfg.contains("name") && cfg["name"].is_string()
                           ? cfg["name"].get<std::string>()
                           : "";

    // Every weight the layers below create (when the model is built) counts against this.
    const WeightBudget budget(kMaxWeightValues, "load_model");
    // Build every layer first: unsupported or Lambda layers are reported before the topology.
    std::vector<LayerPtr> built;
    for (const auto& entry : layers) {
        const std::string layer_cls = class_name_of(entry, "load_model: model_config");
        if (layer_cls == "Sequential" || layer_cls == "Functional" || layer_cls == "Model") {
            built.push_back(as_layer(model_from_tree(entry)));  // a nested model
            continue;
        }
        JsonNode node{entry.contains("config") ? entry["config"] : json::object()};
        built.push_back(layer_from_config(layer_cls, LayerConfig(node, layer_cls)));
    }
    if (functional) return functional_from_config(model, layers, built);
    auto seq = std::make_shared<Sequential>();
    if (!name.empty())
        seq = std::make_shared<Sequential>(std::initializer_list<LayerHandle>{}, name);
    for (auto& layer : built) seq->add(layer);
    if (!seq->built() && !seq->layers().empty() && cfg.is_object()) {
        Shape s;
        if (cfg.contains("build_input_shape")) s = optional_shape(cfg["build_input_shape"]);
        if (s.empty() && model.contains("build_config") && model["build_config"].is_object() &&
            model["build_config"].contains("input_shape")) {
            s = optional_shape(model["build_config"]["input_shape"]);
        }
        if (!s.empty()) seq->build(s);
    }
    return seq;
}

json dtype_policy() {
    return json{{"module", "keras"},
                {"class_name", "DTypePolicy"},
                {"config", {{"name", "float32"}}},
                {"registered_name", nullptr}};
}

// Keras 3 spelling of a config value: {"class_name", "config"} objects get module keys; a nested
// layer (its config has a "name") is converted recursively, an initializer is not.
json keras3_value(const json& v) {
    if (!v.is_object() || !v.contains("class_name") || !v.contains("config")) return v;
    const json& c = v["config"];
    if (c.is_object() && c.contains("name")) {
        json cfg = json::object();
        for (const auto& [k, x] : c.items())
            cfg[k] = k == "dtype" ? dtype_policy() : keras3_value(x);
        return json{{"module", "keras.layers"},
                    {"class_name", v["class_name"]},
                    {"config", cfg},
                    {"registered_name", nullptr}};
    }
    return json{{"module", "keras.initializers"},
                {"class_name", v["class_name"]},
                {"config", c},
                {"registered_name", nullptr}};
}

}  // namespace

namespace {

json model_tree(const Model& model, ConfigStyle style);

}  // namespace

json layer_entry(const Layer& layer, ConfigStyle style, const Shape& batch_input_shape) {
    if (const auto* nested = dynamic_cast<const ModelLayer*>(&layer)) {
        return model_tree(*nested->model(), style);
    }
    const LayerCodec* codec = LayerRegistry::instance().find(layer.class_name());
    TFC_CHECK(codec != nullptr, "save_model",
              "layer type '" + layer.class_name() + "' has no Keras config writer", layer.name(),
              "a registered layer type", "add the layer type to tfc::io::LayerRegistry");
    ConfigWriter specific;
    codec->to_config(layer, specific);
    json cfg = json::object();
    cfg["name"] = layer.name();
    cfg["trainable"] = layer.trainable();
    if (!batch_input_shape.empty() && style == ConfigStyle::legacy_h5) {
        ConfigWriter w;
        w.set_shape("batch_input_shape", batch_input_shape);
        cfg["batch_input_shape"] = w.node().value["batch_input_shape"];
    }
    cfg["dtype"] = style == ConfigStyle::keras3 ? dtype_policy() : json("float32");
    for (const auto& [k, v] : specific.node().value.items()) {
        cfg[k] = style == ConfigStyle::keras3 ? keras3_value(v) : v;
    }
    if (style == ConfigStyle::legacy_h5)
        return json{{"class_name", layer.class_name()}, {"config", cfg}};
    json e{{"module", "keras.layers"},
           {"class_name", layer.class_name()},
           {"config", cfg},
           {"registered_name", nullptr}};
    if (layer.built()) {
        ConfigWriter w;
        w.set_shape("input_shape", layer.built_input_shape());
        e["build_config"] = w.node().value;
    }
    return e;
}

std::string model_to_config(const Model& model, ConfigStyle style) {
    json out = model_tree(model, style);
    activations_to_file(out, style);
    return out.dump();
}

namespace {

json model_tree(const Model& model, ConfigStyle style) {
    if (const auto* fn = dynamic_cast<const Functional*>(&model)) {
        json out = functional_to_config(*fn, style);
        if (style == ConfigStyle::keras3) {
            out["build_config"] = json{{"input_shape", nullptr}};
            const std::string tc = training_config_of(model, style);
            if (!tc.empty()) out["compile_config"] = parse_json(tc, "save_model");
        }
        return out;
    }
    const auto* seq = dynamic_cast<const Sequential*>(&model);
    TFC_CHECK(seq != nullptr, "save_model",
              "only Sequential and functional models can be saved in Keras formats", model.name(),
              "a tfc::Sequential or tfc::Functional",
              "build the model with Sequential or the functional API (subclassed models: "
              "save_weights)");
    json layers = json::array();
    const Shape in = seq->input_shape();
    const auto all = seq->layers();
    if (!in.empty() && !all.empty()) {
        json cfg = json::object();
        ConfigWriter w;
        w.set_shape("s", in);
        cfg[style == ConfigStyle::keras3 ? "batch_shape" : "batch_input_shape"] =
            w.node().value["s"];
        cfg["dtype"] = "float32";
        cfg["sparse"] = false;
        cfg["ragged"] = false;
        cfg["name"] = style == ConfigStyle::keras3 ? "input_layer" : all[0]->name() + "_input";
        if (style == ConfigStyle::legacy_h5) {
            layers.push_back(json{{"class_name", "InputLayer"}, {"config", cfg}});
        } else {
            layers.push_back(json{{"module", "keras.layers"},
                                  {"class_name", "InputLayer"},
                                  {"config", cfg},
                                  {"registered_name", nullptr}});
        }
    }
    for (const auto& l : all) layers.push_back(layer_entry(*l, style, {}));
    json cfg = json::object();
    cfg["name"] = model.name();
    if (style == ConfigStyle::keras3) {
        cfg["trainable"] = true;
        cfg["dtype"] = dtype_policy();
    }
    cfg["layers"] = layers;
    ConfigWriter w;
    if (!in.empty()) {
        w.set_shape("s", in);
        cfg["build_input_shape"] = w.node().value["s"];
    }
    if (style == ConfigStyle::legacy_h5) return json{{"class_name", "Sequential"}, {"config", cfg}};
    json out{{"module", "keras"},
             {"class_name", "Sequential"},
             {"config", cfg},
             {"registered_name", nullptr}};
    if (!in.empty()) out["build_config"] = json{{"input_shape", w.node().value["s"]}};
    const std::string tc = training_config_of(model, style);
    if (!tc.empty()) out["compile_config"] = parse_json(tc, "save_model");
    return out;
}

[[noreturn]] void compile_fail(const std::string& problem, const std::string& got,
                               const std::string& expected) {
    fail("load_model: training_config", problem, got, expected,
         "load without compiling (LoadOptions{.compile = false}) and call compile() yourself");
}

double num(const json& cfg, std::initializer_list<const char*> keys, double fallback) {
    for (const char* k : keys) {
        if (!cfg.contains(k) || cfg[k].is_null()) continue;
        if (!cfg[k].is_number())
            compile_fail(std::string("optimizer '") + k + "' is not a number", json_excerpt(cfg[k]),
                         "a number");
        const double v = cfg[k].get<double>();
        if (!std::isfinite(v))
            compile_fail(std::string("optimizer '") + k + "' is not finite", json_excerpt(cfg[k]),
                         "a finite number");
        return v;
    }
    return fallback;
}

OptimizerPtr optimizer_from(const json& spec) {
    if (spec.is_string()) return get_optimizer(spec.get<std::string>());
    if (!spec.is_object() || !spec.contains("class_name") || !spec["class_name"].is_string()) {
        compile_fail("the optimizer config is malformed", json_excerpt(spec),
                     "{\"class_name\", \"config\"}");
    }
    std::string cls = spec["class_name"].get<std::string>();
    if (cls.rfind("Custom>", 0) == 0) cls = cls.substr(7);  // TF 2.11+ new-optimizer naming
    const json cfg =
        spec.contains("config") && spec["config"].is_object() ? spec["config"] : json::object();
    if (cfg.contains("learning_rate") && cfg["learning_rate"].is_object()) {
        compile_fail("learning-rate schedules are not supported",
                     json_excerpt(cfg["learning_rate"]), "a constant learning rate");
    }
    if (num(cfg, {"decay"}, 0.0) != 0.0) {
        compile_fail("the legacy 'decay' argument is not supported", json_excerpt(cfg["decay"]),
                     "0");
    }
    for (const char* k : {"weight_decay", "use_ema"}) {
        if (cfg.contains(k) && !cfg[k].is_null() && cfg[k] != json(false) && cfg[k] != json(0) &&
            cfg[k] != json(0.0)) {
            compile_fail(std::string("'") + k + "' is not supported", json_excerpt(cfg[k]), "null");
        }
    }
    const double lr = num(cfg, {"learning_rate", "lr"}, -1.0);
    auto clip = [&](auto& o) {
        if (cfg.contains("clipnorm") && !cfg["clipnorm"].is_null())
            o.clipnorm = num(cfg, {"clipnorm"}, 0);
        if (cfg.contains("clipvalue") && !cfg["clipvalue"].is_null())
            o.clipvalue = num(cfg, {"clipvalue"}, 0);
        if (cfg.contains("global_clipnorm") && !cfg["global_clipnorm"].is_null()) {
            o.global_clipnorm = num(cfg, {"global_clipnorm"}, 0);
        }
    };
    if (cls == "Adam") {
        AdamOptions o;
        o.learning_rate = lr < 0 ? o.learning_rate : lr;
        o.beta_1 = num(cfg, {"beta_1"}, o.beta_1);
        o.beta_2 = num(cfg, {"beta_2"}, o.beta_2);
        o.epsilon = num(cfg, {"epsilon"}, o.epsilon);
        o.amsgrad = cfg.contains("amsgrad") && cfg["amsgrad"] == json(true);
        clip(o);
        return std::make_shared<Adam>(o);
    }
    if (cls == "SGD") {
        SGDOptions o;
        o.learning_rate = lr < 0 ? o.learning_rate : lr;
        o.momentum = num(cfg, {"momentum"}, o.momentum);
        o.nesterov = cfg.contains("nesterov") && cfg["nesterov"] == json(true);
        clip(o);
        return std::make_shared<SGD>(o);
    }
    if (cls == "RMSprop") {
        RMSpropOptions o;
        o.learning_rate = lr < 0 ? o.learning_rate : lr;
        o.rho = num(cfg, {"rho"}, o.rho);
        o.momentum = num(cfg, {"momentum"}, o.momentum);
        o.epsilon = num(cfg, {"epsilon"}, o.epsilon);
        o.centered = cfg.contains("centered") && cfg["centered"] == json(true);
        clip(o);
        return std::make_shared<RMSprop>(o);
    }
    if (cls == "Adagrad") {
        AdagradOptions o;
        o.learning_rate = lr < 0 ? o.learning_rate : lr;
        o.initial_accumulator_value =
            num(cfg, {"initial_accumulator_value"}, o.initial_accumulator_value);
        o.epsilon = num(cfg, {"epsilon"}, o.epsilon);
        clip(o);
        return std::make_shared<Adagrad>(o);
    }
    compile_fail("unsupported optimizer '" + cls + "'", cls, "Adam, SGD, RMSprop or Adagrad");
}

LossRef loss_from(const json& spec) {
    try {
        if (spec.is_string()) return LossRef(spec.get<std::string>());
        if (spec.is_object() && spec.contains("class_name") && spec["class_name"].is_string()) {
            const std::string cls = spec["class_name"].get<std::string>();
            const json cfg = spec.contains("config") && spec["config"].is_object() ? spec["config"]
                                                                                   : json::object();
            if (cls == "Huber" && cfg.contains("delta") && cfg["delta"].is_number()) {
                return LossRef(losses::Huber({.delta = cfg["delta"].get<double>()}));
            }
            for (const char* k : {"from_logits", "label_smoothing"}) {
                if (cfg.contains(k) && cfg[k] != json(false) && cfg[k] != json(0) &&
                    cfg[k] != json(0.0)) {
                    compile_fail(std::string("loss option '") + k + "' is not supported",
                                 json_excerpt(spec), "the default");
                }
            }
            return LossRef(cls);
        }
    } catch (const Error& e) {
        compile_fail(std::string("the loss is not supported: ") + e.what(), json_excerpt(spec),
                     "a built-in Keras loss");
    }
    compile_fail("the loss is not supported", json_excerpt(spec), "a single built-in Keras loss");
}

void collect_metrics(const json& v, std::vector<MetricRef>& out, int depth) {
    if (depth > 4) return;
    if (v.is_string()) {
        out.emplace_back(v.get<std::string>());
    } else if (v.is_array()) {
        for (const auto& m : v) collect_metrics(m, out, depth + 1);
    } else if (v.is_object() && v.contains("config") && v["config"].is_object() &&
               v["config"].contains("name") && v["config"]["name"].is_string()) {
        out.emplace_back(v["config"]["name"].get<std::string>());
    } else if (!v.is_null()) {
        compile_fail("a metric entry is malformed", json_excerpt(v), "a metric name or config");
    }
}

// One entry per model output from a compile argument given as a list (output order) or a dict
// keyed by output name (Keras accepts both); a single value applies to every output when
// `broadcast`.
std::vector<json> per_output(const json& v, const std::vector<std::string>& outputs,
                             const char* what, bool broadcast) {
    const std::size_t n = outputs.size();
    if (v.is_object() && !v.contains("class_name")) {
        std::vector<json> out(n, json());
        for (const auto& [key, value] : v.items()) {
            const auto it = std::find(outputs.begin(), outputs.end(), key);
            if (it == outputs.end()) {
                compile_fail(std::string("the ") + what + " names an output the model lacks",
                             "'" + key + "'", "one of the output layers' names");
            }
            out[static_cast<std::size_t>(it - outputs.begin())] = value;
        }
        return out;
    }
    if (v.is_array() && n > 1) {
        if (v.size() != n) {
            compile_fail(std::string("the ") + what + " list does not have one entry per output",
                         std::to_string(v.size()) + " entries", std::to_string(n));
        }
        return std::vector<json>(v.begin(), v.end());
    }
    if (!broadcast && n > 1 && !v.is_null()) {
        compile_fail(std::string("one ") + what + " for a model with several outputs",
                     json_excerpt(v), "a list or dict with one entry per output");
    }
    return std::vector<json>(n, v);
}

}  // namespace

void compile_from_config(Model& model, const std::string& text, bool keras3) {
    const json tc = parse_json(text, "load_model: training_config");
    TFC_CHECK(tc.is_object(), "load_model: training_config", "not a JSON object", json_excerpt(tc),
              "a dict", "the file is damaged; re-save it");
    const json& opt = keras3 ? tc.value("optimizer", json()) : tc.value("optimizer_config", json());
    const json& loss = tc.value("loss", json());
    if (loss.is_null()) compile_fail("there is no loss", "null", "a loss");
    const std::vector<std::string> outputs = model.output_names();
    if (outputs.size() == 1) {
        if (loss.is_object() && !loss.contains("class_name")) {
            compile_fail("per-output losses for a model with one output", json_excerpt(loss),
                         "a single loss");
        }
        if (loss.is_array()) {
            compile_fail("a list of losses for a model with one output", json_excerpt(loss),
                         "a single loss");
        }
        std::vector<MetricRef> metrics;
        collect_metrics(tc.value("metrics", json()), metrics, 0);
        model.compile(optimizer_from(opt), loss_from(loss), metrics);
        return;
    }
    CompileOptions o;
    for (const json& l : per_output(loss, outputs, "loss", false)) {
        if (l.is_null()) compile_fail("an output has no loss", json_excerpt(loss), "a loss per output");
        o.loss.push_back(loss_from(l));
    }
    const json& weights = tc.value("loss_weights", json());
    if (!weights.is_null()) {
        for (const json& w : per_output(weights, outputs, "loss_weights", false)) {
            if (!w.is_number()) compile_fail("a loss weight is not a number", json_excerpt(w), "a number");
            o.loss_weights.push_back(w.get<double>());
        }
    }
    // Metrics: a list of lists or a dict per output; a flat list applies to every output.
    const json& metrics = tc.value("metrics", json());
    const bool nested = metrics.is_object() ||
                        (metrics.is_array() && !metrics.empty() && metrics[0].is_array());
    for (std::size_t k = 0; k < outputs.size(); ++k) {
        o.metrics.emplace_back();
        const json m = nested ? per_output(metrics, outputs, "metrics", true)[k] : metrics;
        collect_metrics(m, o.metrics.back(), 0);
    }
    model.compile(optimizer_from(opt), std::move(o));
}

std::string training_config_of(const Model& model, ConfigStyle style) {
    if (!model.compiled() || !model.loss()) return "";
    const Optimizer& opt = model.optimizer();
    json ocfg = json::object();
    ocfg["name"] = opt.class_name();
    ocfg["learning_rate"] = opt.learning_rate();
    const ClipOptions& c = opt.clip_options();
    ocfg["clipnorm"] = c.clipnorm ? json(*c.clipnorm) : json(nullptr);
    ocfg["global_clipnorm"] = c.global_clipnorm ? json(*c.global_clipnorm) : json(nullptr);
    ocfg["clipvalue"] = c.clipvalue ? json(*c.clipvalue) : json(nullptr);
    // The optimizer's own arguments (Keras 2.15 get_config keys).
    if (const auto* a = dynamic_cast<const Adam*>(&opt)) {
        ocfg["beta_1"] = a->beta_1();
        ocfg["beta_2"] = a->beta_2();
        ocfg["epsilon"] = a->epsilon();
        ocfg["amsgrad"] = a->amsgrad();
    } else if (const auto* sgd = dynamic_cast<const SGD*>(&opt)) {
        ocfg["momentum"] = sgd->momentum();
        ocfg["nesterov"] = sgd->nesterov();
    } else if (const auto* r = dynamic_cast<const RMSprop*>(&opt)) {
        ocfg["rho"] = r->rho();
        ocfg["momentum"] = r->momentum();
        ocfg["epsilon"] = r->epsilon();
        ocfg["centered"] = r->centered();
    } else if (const auto* g = dynamic_cast<const Adagrad*>(&opt)) {
        ocfg["initial_accumulator_value"] = g->initial_accumulator_value();
        ocfg["epsilon"] = g->epsilon();
    }
    // The compile() arguments: one loss and a metric list, or per output a loss, its weight and
    // a metric list (Keras 2's list forms).
    auto metric_names = [](const std::vector<MetricRef>& specs) {
        json names = json::array();
        for (const MetricRef& m : specs) names.push_back(m.metric() ? m.metric()->name() : m.name());
        return names;
    };
    const auto& specs = model.compiled_metrics();
    json metrics = json::array();
    json loss_spec = model.loss()->name();
    json loss_weights = nullptr;
    if (model.losses().size() > 1) {
        loss_spec = json::array();
        for (const auto& l : model.losses()) loss_spec.push_back(l->name());
        loss_weights = model.loss_weights();
        for (std::size_t k = 0; k < model.losses().size(); ++k) {
            metrics.push_back(k < specs.size() ? metric_names(specs[k]) : json::array());
        }
    } else if (!specs.empty()) {
        metrics = metric_names(specs[0]);
    }
    json out = json::object();
    if (style == ConfigStyle::legacy_h5) {
        out["loss"] = loss_spec;
        out["metrics"] = metrics;
        out["weighted_metrics"] = nullptr;
        out["loss_weights"] = loss_weights;
        out["optimizer_config"] = json{{"class_name", opt.class_name()}, {"config", ocfg}};
    } else {
        out["optimizer"] = json{{"module", "keras.optimizers"},
                                {"class_name", opt.class_name()},
                                {"config", ocfg},
                                {"registered_name", nullptr}};
        out["loss"] = loss_spec;
        out["loss_weights"] = loss_weights;
        out["metrics"] = metrics;
        out["weighted_metrics"] = nullptr;
    }
    return out.dump();
}

}  // namespace tfc::io
