// Writes the seed inputs of the fuzz targets (docs/fuzzing.md): small models saved by tfc itself
// in every format the loaders read. Usage: tfc_fuzz_make_seeds OUT_DIR
// creates OUT_DIR/<target>/seed_*.{h5,keras,weights.h5,json}.
#include <filesystem>
#include <fstream>
#include <iostream>

#include "fuzz/fuzz_util.h"

namespace {

using namespace tfc;

std::vector<std::pair<std::string, std::shared_ptr<Sequential>>> seed_models() {
    std::vector<std::pair<std::string, std::shared_ptr<Sequential>>> out;
    auto mlp = std::make_shared<Sequential>(std::initializer_list<LayerHandle>{
        Input({4}), Rescaling(0.5), Dense(3, {.activation = "relu"}), Dropout(0.2),
        Dense(2, {.activation = "softmax"})});
    mlp->compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
    out.emplace_back("mlp", mlp);

    auto cnn = std::make_shared<Sequential>(std::initializer_list<LayerHandle>{
        Input({8, 8, 2}), ZeroPadding2D({.padding = Padding2D({1, 0}, {0, 1})}),
        Conv2D(2, 3, {.padding = "same", .activation = "relu"}), BatchNormalization({.scale = false}),
        DepthwiseConv2D(2, {.depth_multiplier = 2}), SeparableConv2D(2, 2, {.padding = "same"}),
        MaxPooling2D({.pool_size = {2, 2}}), UpSampling2D({.size = {2, 1}}),
        Cropping2D({.cropping = Padding2D({1, 0}, {0, 1})}), AveragePooling2D({.pool_size = {2, 2}}),
        LayerNormalization(), GlobalAveragePooling2D(), LeakyReLU(), Dense(3, {.activation = "softmax"})});
    cnn->compile("sgd", "categorical_crossentropy", {"accuracy"});
    out.emplace_back("cnn", cnn);

    auto seq = std::make_shared<Sequential>(std::initializer_list<LayerHandle>{
        Input({8, 2}), Conv1D(3, 2, {.padding = "causal", .activation = "relu"}),
        MaxPooling1D({.pool_size = 2}), AveragePooling1D({.pool_size = 2, .strides = 1, .padding = "same"}),
        Masking(0.5), SimpleRNN(2, {.return_sequences = true}), GlobalMaxPooling1D(), Reshape({2, 1}),
        Flatten(), Activation("tanh"), Dense(1)});
    seq->compile("rmsprop", "mse", {"mae"});
    out.emplace_back("seq", seq);

    auto text = std::make_shared<Sequential>(std::initializer_list<LayerHandle>{
        Input({5}), Embedding(10, 3, {.mask_zero = true}),
        Bidirectional(LSTM(2, {.return_sequences = true}), {.merge_mode = "sum"}),
        GRU(2, {.recurrent_activation = "hard_sigmoid", .reset_after = false, .return_sequences = true}),
        GlobalAveragePooling1D(), Dense(1, {.activation = "sigmoid"})});
    text->compile("adagrad", "binary_crossentropy", {"accuracy"});
    out.emplace_back("text", text);

    out.emplace_back("fixed", fuzz::make_fixed_model());
    return out;
}

void write_text(const std::filesystem::path& path, const std::string& text) {
    std::ofstream(path, std::ios::binary) << text;
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::cerr << "usage: " << argv[0] << " OUT_DIR\n";
        return 2;
    }
    const std::filesystem::path out = argv[1];
    for (const char* target : {"legacy_h5", "keras_zip", "weights_h5", "keras3_weights", "model_json"}) {
        std::filesystem::create_directories(out / target);
    }
    for (const auto& [name, model] : seed_models()) {
        save_model(*model, (out / "legacy_h5" / ("seed_" + name + ".h5")).string());
        save_model(*model, (out / "keras_zip" / ("seed_" + name + ".keras")).string());
        write_text(out / "model_json" / ("seed_" + name + ".json"), model_to_json(*model));
    }
    const auto fixed = fuzz::make_fixed_model();
    save_weights(*fixed, (out / "weights_h5" / "seed_fixed.h5").string());
    save_model(*fixed, (out / "weights_h5" / "seed_fixed_full_model.h5").string());
    save_weights(*fixed, (out / "keras3_weights" / "seed_fixed.weights.h5").string());
    std::cout << "seeds written to " << out.string() << "\n";
    return 0;
}
