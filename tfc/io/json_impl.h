// Internal to tfc/io: the JSON node behind LayerConfig / ConfigWriter, and JSON helpers.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace tfc::io {

using json = nlohmann::ordered_json;

struct JsonNode {
    json value;
};

// Parses JSON text from a model file; throws tfc::Error (never a JSON-library exception).
json parse_json(const std::string& text, const std::string& where);
// A short, printable excerpt of a JSON value for error messages.
std::string json_excerpt(const json& value);
// The view of a layer entry {"class_name", "config"}: JsonNode wraps a copy of `config`.
std::string class_name_of(const json& entry, const std::string& where);

}  // namespace tfc::io
