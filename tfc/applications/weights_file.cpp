// The `weights` argument of tfc::applications (keras/applications/*.py, keras/utils/data_utils.py
// get_file's cache folder: $KERAS_HOME or ~/.keras, subfolder "models").
#include "tfc/applications/weights_file.h"

#include <cstdlib>
#include <filesystem>

#include "tfc/core/error.h"
#include "tfc/io/model_io.h"

namespace tfc::applications::detail {

void load_application_weights(Model& model, const std::string& weights,
                              const std::string& keras_file_name, const std::string& where) {
    if (weights.empty()) return;
    std::string path = weights;
    if (weights == "imagenet") {
        const char* home = std::getenv("KERAS_HOME");
        const char* user = std::getenv("HOME");
        const std::filesystem::path dir = home != nullptr ? std::filesystem::path(home)
                                          : user != nullptr ? std::filesystem::path(user) / ".keras"
                                                            : std::filesystem::path(".keras");
        path = (dir / "models" / keras_file_name).string();
        std::error_code ec;
        TFC_CHECK(std::filesystem::is_regular_file(path, ec), where,
                  "the ImageNet weights are not in the Keras cache (tfc does not download them)",
                  "no file '" + path + "'", "Keras's published file " + keras_file_name,
                  "download it from https://storage.googleapis.com/tensorflow/keras-applications/ "
                  "into that folder (or run Keras once with weights='imagenet'), or pass its path "
                  "as .weights");
    }
    load_weights(model, path);
}

Shape application_input_shape(const Shape& given, std::int64_t default_size, std::int64_t min_size,
                              const std::string& where) {
    if (given.empty()) return {default_size, default_size, 3};
    TFC_CHECK(given.size() == 3 && given[2] == 3, where, "the input shape must be (rows, cols, 3)",
              shape_str(given), "(rows, cols, 3)", "pass e.g. .input_shape = {160, 160, 3}");
    TFC_CHECK(given[0] >= min_size && given[1] >= min_size, where, "the input is too small",
              shape_str(given),
              "rows and cols >= " + std::to_string(min_size),
              "resize the images to at least " + std::to_string(min_size) + " x " +
                  std::to_string(min_size));
    return given;
}

void check_top_options(bool include_top, const std::string& pooling, std::int64_t classes,
                       const std::string& weights, const std::string& where) {
    TFC_CHECK(pooling.empty() || pooling == "avg" || pooling == "max", where,
              "unknown pooling mode", "'" + pooling + "'", "\"\", \"avg\" or \"max\"",
              "pass one of Keras's pooling modes");
    TFC_CHECK(classes > 0, where, "classes must be positive", std::to_string(classes), ">= 1",
              "pass the number of classes");
    TFC_CHECK(!(weights == "imagenet" && include_top && classes != 1000), where,
              "the ImageNet top has 1000 classes", std::to_string(classes), "1000",
              "use include_top = false and add your own head for other class counts");
}

}  // namespace tfc::applications::detail
