// tfcert model info FILE: what a Keras (or TF.js model.json) model file holds and whether tfc
// loads it.
#include <cstdio>
#include <iostream>

#include "apps/model_commands.h"
#include "tfc/core/error.h"
#include "tfc/io/model_io.h"

namespace tfcert {

int run_model_info(const std::vector<std::string>& args) {
    std::vector<std::string> rest = args;
    if (!rest.empty() && rest[0] == "info") rest.erase(rest.begin());
    if (rest.size() != 1 || rest[0].empty() || rest[0][0] == '-') {
        std::cerr << "usage: tfcert model info FILE   (FILE: .h5, .hdf5, .keras, .weights.h5 or a "
                     "TF.js model.json)\n";
        return 2;
    }
    const std::string& path = rest[0];
    tfc::ModelFileInfo info;
    try {
        info = tfc::inspect_model_file(path);
    } catch (const tfc::Error& e) {
        std::cout << "file:          " << path << "\nloads:         no\nreason:        " << e.what() << "\n";
        return 1;
    }
    std::cout << "file:          " << info.path << "\n"
              << "size:          " << info.file_size << " bytes\n"
              << "format:        " << info.format << "\n"
              << "keras version: " << (info.keras_version.empty() ? "(not recorded)" : info.keras_version) << "\n";
    if (!info.backend.empty()) std::cout << "backend:       " << info.backend << "\n";
    if (!info.model_class.empty()) {
        std::cout << "model class:   " << info.model_class << "\n"
                  << "layers:        ";
        for (std::size_t i = 0; i < info.layer_classes.size(); ++i) {
            std::cout << (i ? ", " : "") << info.layer_classes[i];
        }
        std::cout << "\ntraining cfg:  " << (info.has_training_config ? "yes" : "no") << "\n";
    }
    if (info.format == "keras-h5-weights" || info.format == "keras3-weights-h5") {
        std::cout << "loads:         weights only; build the architecture and call tfc::load_weights\n";
        return 0;
    }
    try {
        auto model = tfc::load_model(path, {.compile = false});
        std::cout << "loads:         yes\n\n";
        model->summary(std::cout);
        return 0;
    } catch (const tfc::Error& e) {
        std::cout << "loads:         no\nreason:        " << e.what() << "\n";
        return 1;
    }
}

}  // namespace tfcert
