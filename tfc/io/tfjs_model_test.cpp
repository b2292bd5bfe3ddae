// TF.js layers models (model.json + binary shards): the fixtures TF.js 4.22 saved
// (tools/golden/tfjs_models.js) load and predict what TF.js predicted; the converter's layout
// (model_config wrapper, Keras cell names) loads; hostile and broken files give clear errors.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tfc/io/io_test_util.h"
#include "tfc/io/model_io.h"
#include "tfc/training/functional.h"

namespace tfc {
namespace {

using io_test::error_of;
using io_test::scratch;
using nlohmann::json;
namespace fs = std::filesystem;

const std::string kCases[] = {
    "mlp",           "cnn", "text_lstm", "text_bigru_td", "functional_two_inputs",
    "seq2seq_states", "bidirectional_states"};

std::string case_dir(const std::string& name) {
    return std::string(TFC_SOURCE_DIR) + "/tests/golden/tfjs_models/" + name;
}

json read_json(const std::string& path) {
    std::ifstream in(path);
    return json::parse(in);
}

void write_text(const std::string& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << text;
}

// A scratch copy of a fixture folder (model.json + shards), to be damaged by a test.
std::string copy_case(const std::string& name, const std::string& tag) {
    const std::string dir = scratch("tfjs_" + tag);
    for (const auto& e : fs::directory_iterator(case_dir(name))) {
        fs::copy_file(e.path(), fs::path(dir) / e.path().filename());
    }
    return dir;
}

void edit_model_json(const std::string& dir, const std::function<void(json&)>& edit) {
    json doc = read_json(dir + "/model.json");
    edit(doc);
    write_text(dir + "/model.json", doc.dump());
}

json& first_weight(json& doc) { return doc["weightsManifest"][0]["weights"][0]; }

// The inputs of a fixture, one tensor per model input.
std::vector<Tensor> inputs_of(const json& expected) {
    std::vector<Tensor> xs;
    for (const auto& in : expected["inputs"]) {
        xs.push_back(
            Tensor::from_vector(in["values"].get<std::vector<float>>(), in["shape"].get<Shape>()));
    }
    return xs;
}

// |y - y*| <= 1e-5 |y*| + 1e-7 everywhere, with the output shape of TF.js.
void expect_close_to(const Tensor& y, const json& want_json) {
    ASSERT_EQ(y.shape(), want_json["shape"].get<Shape>());
    const auto want = want_json["values"].get<std::vector<double>>();
    ASSERT_EQ(static_cast<std::size_t>(num_elements(y.shape())), want.size());
    const float* got = y.data<float>();
    for (std::size_t i = 0; i < want.size(); ++i) {
        const double err = std::abs(static_cast<double>(got[i]) - want[i]);
        EXPECT_LE(err, 1e-5 * std::abs(want[i]) + 1e-7) << "element " << i;
    }
}

// The fixture's prediction: "output", or "outputs" (one per model output) for several.
void expect_predicts_like_tfjs(Model& model, const json& expected) {
    const std::vector<Tensor> xs = inputs_of(expected);
    if (expected.contains("outputs")) {
        auto& f = dynamic_cast<Functional&>(model);
        const std::vector<Tensor> ys = f.predict_multi(xs);
        ASSERT_EQ(ys.size(), expected["outputs"].size());
        for (std::size_t k = 0; k < ys.size(); ++k) {
            SCOPED_TRACE("output " + std::to_string(k));
            expect_close_to(ys[k], expected["outputs"][k]);
        }
        return;
    }
    expect_close_to(xs.size() == 1 ? model.predict(xs[0]) : model.predict(xs), expected["output"]);
}

TEST(TfjsModel, FixturesPredictWhatTfjsPredicted) {
    for (const std::string& name : kCases) {
        SCOPED_TRACE(name);
        const json expected = read_json(case_dir(name) + "/expected.json");
        ASSERT_EQ(expected["generator"]["tfjs"], "4.22.0");
        auto model = load_model(case_dir(name) + "/model.json");
        ASSERT_TRUE(model->built());
        expect_predicts_like_tfjs(*model, expected);
        auto again = load_tfjs_model(case_dir(name) + "/model.json");
        expect_predicts_like_tfjs(*again, expected);
    }
}

// Layers with several outputs keep their wiring through tfc's files: each TF.js model saved as
// .h5 loads back and still predicts what TF.js did, and its JSON names the outputs it uses by
// tensor index (seq2seq_states: an LSTM's return_state; bidirectional_states: Bidirectional with
// merge_mode null and return_state). As .keras they are refused: TF.js's LSTMs and GRUs default
// to Keras 2's hard_sigmoid, which Keras 3 does not have.
TEST(TfjsModel, SeveralOutputGraphsSurviveSaving) {
    const std::pair<std::string, std::vector<std::string>> cases[] = {
        {"seq2seq_states", {R"(["lstm_LSTM2",0,2,{}])"}},
        {"bidirectional_states",
         {R"("merge_mode":null)", R"(["bidirectional_Bidirectional2",0,5,{}])"}}};
    for (const auto& [name, fragments] : cases) {
        SCOPED_TRACE(name);
        const json expected = read_json(case_dir(name) + "/expected.json");
        auto model = load_model(case_dir(name) + "/model.json");
        const std::string dir = scratch("tfjs_" + name);
        save_model(*model, dir + "/model.h5");
        expect_predicts_like_tfjs(*load_model(dir + "/model.h5"), expected);
        EXPECT_NE(error_of([&] { save_model(*model, dir + "/model.keras"); }).find("hard_sigmoid"),
                  std::string::npos);
        const std::string legacy = model_to_json(*model);
        for (const std::string& f : fragments) EXPECT_NE(legacy.find(f), std::string::npos) << f;
    }
}

TEST(TfjsModel, ModelClassesAndLayerNamesComeFromTheTopology) {
    auto mlp = load_model(case_dir("mlp") + "/model.json");
    EXPECT_NE(std::dynamic_pointer_cast<Sequential>(mlp), nullptr);
    EXPECT_EQ(mlp->get_layer(0)->name(), "dense_Dense1");
    // The optimizer state TF.js saved (manifest group "optimizer") is skipped, and TF.js's own
    // trainingConfig is not compiled.
    EXPECT_FALSE(mlp->compiled());
    auto two = load_model(case_dir("functional_two_inputs") + "/model.json");
    auto f = std::dynamic_pointer_cast<Functional>(two);
    ASSERT_NE(f, nullptr);
    EXPECT_EQ(f->input_count(), 2u);
}

TEST(TfjsModel, ModelInfoDescribesModelJson) {
    const ModelFileInfo info = inspect_model_file(case_dir("mlp") + "/model.json");
    EXPECT_EQ(info.format, "tfjs-layers");
    EXPECT_EQ(info.keras_version, "tfjs-layers 4.22.0");
    EXPECT_EQ(info.backend, "tensor_flow.js");
    EXPECT_EQ(info.model_class, "Sequential");
    EXPECT_EQ(info.layer_classes, (std::vector<std::string>{"Dense", "Dense", "Dense"}));
    EXPECT_TRUE(info.has_training_config);
    const ModelFileInfo cnn = inspect_model_file(case_dir("cnn") + "/model.json");
    EXPECT_EQ(cnn.layer_classes,
              (std::vector<std::string>{"Conv2D", "MaxPooling2D", "Conv2D", "Flatten", "Dense"}));
    EXPECT_FALSE(cnn.has_training_config);
    EXPECT_EQ(inspect_model_file(case_dir("functional_two_inputs") + "/model.json").model_class,
              "Model");
}

// tensorflowjs_converter's layout: modelTopology wraps {"model_config", "training_config"} and
// the weights keep Keras's names, with the RNN cell ("lstm/lstm_cell/kernel") and ":0".
TEST(TfjsModel, ConverterLayoutLoadsAndCompiles) {
    const std::string dir = copy_case("text_lstm", "converter");
    edit_model_json(dir, [](json& doc) {
        json topology = doc["modelTopology"];
        doc["modelTopology"] = {
            {"keras_version", "2.15.0"},
            {"backend", "tensorflow"},
            {"model_config", topology},
            {"training_config",
             {{"loss", "binary_crossentropy"},
              {"metrics", {"accuracy"}},
              {"optimizer_config",
               {{"class_name", "Adam"}, {"config", {{"learning_rate", 0.001}}}}}}}};
        for (auto& w : doc["weightsManifest"][0]["weights"]) {
            std::string n = w["name"];
            if (n.rfind("lstm_LSTM1/", 0) == 0) n = "lstm_LSTM1/lstm_cell/" + n.substr(11);
            w["name"] = n + ":0";
        }
    });
    auto model = load_model(dir + "/model.json");
    EXPECT_TRUE(model->compiled());
    expect_predicts_like_tfjs(*model, read_json(case_dir("text_lstm") + "/expected.json"));
    EXPECT_FALSE(load_model(dir + "/model.json", {.compile = false})->compiled());
    EXPECT_EQ(inspect_model_file(dir + "/model.json").keras_version, "2.15.0");
}

// A model.json written here: Dense(2) on 3 inputs, its kernel cut across two shards and its
// bias stored as int32 (read as float32).
TEST(TfjsModel, Int32WeightsAndWeightsAcrossShardsAreRead) {
    const std::string dir = scratch("tfjs_int32");
    const json topology = json::parse(R"({"class_name": "Sequential", "config": {"name": "s",
        "layers": [{"class_name": "Dense", "config": {"name": "d", "units": 2,
        "activation": "linear", "use_bias": true, "batch_input_shape": [null, 3]}}]}})");
    write_text(dir + "/model.json",
               json{{"modelTopology", topology},
                    {"format", "layers-model"},
                    {"weightsManifest",
                     {{{"paths", {"a.bin", "sub/b.bin"}},
                       {"weights",
                        {{{"name", "d/kernel"}, {"shape", {3, 2}}, {"dtype", "float32"}},
                         {{"name", "d/bias"}, {"shape", {2}}, {"dtype", "int32"}}}}}}}}
                   .dump());
    const float kernel[6] = {1, 2, 3, 4, 5, 6};
    const std::int32_t bias[2] = {-7, 9};
    std::string bytes(32, '\0');
    std::memcpy(bytes.data(), kernel, 24);
    std::memcpy(bytes.data() + 24, bias, 8);
    fs::create_directories(dir + "/sub");
    write_text(dir + "/a.bin", bytes.substr(0, 10));
    write_text(dir + "/sub/b.bin", bytes.substr(10));
    auto model = load_model(dir + "/model.json");
    const Tensor y = model->predict(Tensor::from_vector(std::vector<float>{1, 1, 1}, {1, 3}));
    EXPECT_EQ(y.data<float>()[0], 1 + 3 + 5 - 7);
    EXPECT_EQ(y.data<float>()[1], 2 + 4 + 6 + 9);
}

// ---- hostile and broken files -------------------------------------------------------------------

TEST(TfjsModelHostile, MissingShard) {
    const std::string dir = copy_case("cnn", "missing");
    fs::remove(dir + "/group1-shard2of3.bin");
    const std::string e = error_of([&] { load_model(dir + "/model.json"); });
    EXPECT_NE(e.find("weight shard 'group1-shard2of3.bin' does not exist"), std::string::npos) << e;
}

TEST(TfjsModelHostile, TruncatedOrPaddedShard) {
    for (const int delta : {-1, -100, +4}) {
        const std::string dir = copy_case("cnn", "cut" + std::to_string(delta + 100));
        const std::string shard = dir + "/group1-shard3of3.bin";
        fs::resize_file(shard, fs::file_size(shard) + delta);
        const std::string e = error_of([&] { load_model(dir + "/model.json"); });
        EXPECT_NE(e.find("the weight shards do not hold what the manifest describes"),
                  std::string::npos)
            << e;
    }
    const std::string dir = copy_case("mlp", "empty_shard");
    fs::resize_file(dir + "/group1-shard1of1.bin", 0);
    EXPECT_NE(error_of([&] { load_model(dir + "/model.json"); }).find("do not hold"),
              std::string::npos);
}

TEST(TfjsModelHostile, UnsafeShardPathsAreRefused) {
    for (const std::string& p :
         std::vector<std::string>{"../group1-shard1of1.bin", "sub/../../x.bin", "/etc/passwd", "..",
                                  "C:\\w.bin", "c:w.bin", "http://example.com/w.bin",
                                  "a\\..\\b.bin", "", std::string("a\0b", 3), "a\nb"}) {
        const std::string dir = copy_case("mlp", "path");
        edit_model_json(dir, [&](json& doc) { doc["weightsManifest"][0]["paths"][0] = p; });
        const std::string e = error_of([&] { load_model(dir + "/model.json"); });
        EXPECT_NE(e.find("unsafe weight shard path"), std::string::npos) << p << ": " << e;
    }
}

TEST(TfjsModelHostile, SymlinkedOrSpecialShardsAreRefused) {
    const std::string dir = copy_case("mlp", "symlink");
    const std::string shard = dir + "/group1-shard1of1.bin";
    fs::rename(shard, dir + "/real.bin");
    fs::create_symlink(dir + "/real.bin", shard);
    std::string e = error_of([&] { load_model(dir + "/model.json"); });
    EXPECT_NE(e.find("is not a regular file"), std::string::npos) << e;
    EXPECT_NE(e.find("symbolic link"), std::string::npos) << e;
    fs::remove(shard);
    fs::create_directory(shard);
    e = error_of([&] { load_model(dir + "/model.json"); });
    EXPECT_NE(e.find("is not a regular file"), std::string::npos) << e;
}

TEST(TfjsModelHostile, ShapeThatDoesNotFitTheLayer) {
    const std::string dir = copy_case("mlp", "shape");
    // Same number of bytes, other layout: only the layer can tell.
    edit_model_json(dir, [](json& doc) { first_weight(doc)["shape"] = {8, 6}; });
    const std::string e = error_of([&] { load_model(dir + "/model.json"); });
    EXPECT_NE(e.find("weight 'dense_Dense1/kernel' does not fit layer 'dense_Dense1'"),
              std::string::npos)
        << e;
    EXPECT_NE(e.find("(8, 6)"), std::string::npos) << e;
}

TEST(TfjsModelHostile, HugeShapeClaimsFailBeforeAllocating) {
    const std::vector<json> shapes = {json{1 << 20, 1 << 20},
                                      json{std::int64_t{1} << 41},
                                      json{-1, 6},
                                      json{6.5},
                                      json{"6"},
                                      json{1, 1, 1, 1, 1, 1, 1, 1, 1},
                                      json{{6}}};
    for (const json& shape : shapes) {
        const std::string dir = copy_case("mlp", "huge");
        edit_model_json(dir, [&](json& doc) { first_weight(doc)["shape"] = shape; });
        const std::string e = error_of([&] { load_model(dir + "/model.json"); });
        EXPECT_NE(e.find("weight 'dense_Dense1/kernel'"), std::string::npos) << shape << ": " << e;
    }
    // 2^31 elements in each of 3 weights: within the per-weight bound, over the 4 GiB total.
    const std::string dir = copy_case("mlp", "total");
    edit_model_json(dir, [](json& doc) {
        for (int i = 0; i < 3; ++i) {
            doc["weightsManifest"][0]["weights"][i]["shape"] = {std::int64_t{1} << 31};
        }
    });
    EXPECT_NE(error_of([&] { load_model(dir + "/model.json"); }).find("too many weight bytes"),
              std::string::npos);
}

TEST(TfjsModelHostile, BrokenModelJson) {
    const std::string dir = scratch("tfjs_broken");
    const std::string path = dir + "/model.json";
    const std::vector<std::pair<std::string, std::string>> cases = {
        {"not json {", "malformed"},
        {"", "malformed"},
        {"[1, 2]", "not a JSON object"},
        {R"({"format": "layers-model", "weightsManifest": []})", "has no modelTopology"},
        {R"({"class_name": "Sequential", "config": {"layers": []}})", "model_from_json"},
        {R"({"modelTopology": {"node": []}, "format": "graph-model", "weightsManifest": []})",
         "graph model"},
        {R"({"modelTopology": {"node": []}, "weightsManifest": []})", "not a Keras model config"},
        {R"({"modelTopology": [], "weightsManifest": []})", "modelTopology is not a JSON object"},
        {std::string(300, '[') + std::string(300, ']'), "nests too deeply"},
    };
    for (const auto& [text, want] : cases) {
        write_text(path, text);
        const std::string e = error_of([&] { load_model(path); });
        EXPECT_NE(e.find(want), std::string::npos) << text.substr(0, 60) << ": " << e;
        EXPECT_NE(error_of([&] { inspect_model_file(path); }), "") << text.substr(0, 60);
    }
    EXPECT_NE(error_of([&] { load_model(dir + "/absent.json"); }).find("does not exist"),
              std::string::npos);
    fs::create_directory(dir + "/dir.json");
    EXPECT_NE(error_of([&] { load_model(dir + "/dir.json"); }).find("not a regular file"),
              std::string::npos);
}

TEST(TfjsModelHostile, BrokenManifests) {
    struct Case {
        std::string tag, want;
        std::function<void(json&)> edit;
    };
    const std::vector<Case> cases = {
        {"no_manifest", "no weightsManifest", [](json& d) { d.erase("weightsManifest"); }},
        {"bad_group", "group is malformed",
         [](json& d) { d["weightsManifest"][0].erase("paths"); }},
        {"no_name", "has no name", [](json& d) { first_weight(d).erase("name"); }},
        {"no_dtype", "has no shape or dtype", [](json& d) { first_weight(d).erase("dtype"); }},
        {"quantized", "is quantized",
         [](json& d) {
             first_weight(d)["quantization"] = {{"dtype", "uint8"}, {"scale", 0.1}, {"min", -1}};
         }},
        {"float16", "unsupported dtype", [](json& d) { first_weight(d)["dtype"] = "float16"; }},
        {"string", "unsupported dtype", [](json& d) { first_weight(d)["dtype"] = "string"; }},
        {"unknown", "belongs to no layer",
         [](json& d) { first_weight(d)["name"] = "dense_Dense9/kernel"; }},
        {"twice", "appears twice",
         [](json& d) { d["weightsManifest"][0]["weights"][2]["name"] = "dense_Dense1/kernel"; }},
        // Marked as optimizer state, the bias is no longer a model weight: it is missing.
        {"missing", "missing from the manifest. Got dense_Dense1/bias.",
         [](json& d) { d["weightsManifest"][0]["weights"][1]["group"] = "optimizer"; }},
        {"path_type", "not a string", [](json& d) { d["weightsManifest"][0]["paths"][0] = 7; }},
        {"lambda", "Lambda layer",
         [](json& d) { d["modelTopology"]["config"]["layers"][1]["class_name"] = "Lambda"; }},
    };
    for (const Case& c : cases) {
        const std::string dir = copy_case("mlp", c.tag);
        edit_model_json(dir, c.edit);
        const std::string e = error_of([&] { load_model(dir + "/model.json"); });
        EXPECT_NE(e.find(c.want), std::string::npos) << c.tag << ": " << e;
        EXPECT_EQ(e.rfind("[load", 0), 0u) << c.tag << ": " << e;
    }
}

TEST(TfjsModelHostile, ModelJsonIsNotWritten) {
    auto model = load_model(case_dir("mlp") + "/model.json");
    const std::string dir = scratch("tfjs_write");
    const std::string e = error_of([&] { save_model(*model, dir + "/model.json"); });
    EXPECT_NE(e.find("read, not written"), std::string::npos) << e;
    EXPECT_FALSE(fs::exists(dir + "/model.json"));
}

}  // namespace
}  // namespace tfc
