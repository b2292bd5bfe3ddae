#include "tfc/callbacks/callback_impl.h"

#include <iostream>

#include "tfc/core/error.h"

namespace tfc::detail {

void warn(const std::string& message) { std::cerr << "WARNING: " << message << std::endl; }

Model& attached_model(const Callback& callback, const std::string& where) {
    TFC_CHECK(callback.model() != nullptr, where, "No model is attached to the callback",
              "no model", "a model set with set_model()",
              "pass the callback to model.fit(x, y, {.callbacks = {...}}), which attaches it");
    return *callback.model();
}

void check_mode(const std::string& mode, const std::string& where) {
    TFC_CHECK(mode == "auto" || mode == "min" || mode == "max", where, "Unknown mode",
              "mode=\"" + mode + "\"", "one of \"auto\", \"min\", \"max\"",
              "use mode=\"min\" for losses, \"max\" for accuracies, or \"auto\"");
}

std::string joined_keys(const Logs& logs) {
    std::string out;
    for (const auto& [key, value] : logs.items()) {
        if (!out.empty()) out += ',';
        out += key;
    }
    return out;
}

}  // namespace tfc::detail
