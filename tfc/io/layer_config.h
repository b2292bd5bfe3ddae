// LayerConfig / ConfigWriter: a read-only view of one Keras layer config dict and a builder for
// one, so layer converters never see the JSON library. Keys are Keras's (`units`, `activation`,
// `kernel_initializer`, `batch_input_shape`, ...). Every getter checks the type and throws a
// tfc::Error naming the layer and the key.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "tfc/core/shape.h"
#include "tfc/initializers/initializers.h"

namespace tfc {
class Layer;
}

namespace tfc::io {

struct JsonNode;  // opaque; defined in json_impl.h

class LayerConfig {
public:
    // `node` must outlive the view. `class_name` is the Keras class name of the layer.
    LayerConfig(const JsonNode& node, std::string class_name);

    const std::string& class_name() const { return class_name_; }
    std::string name() const;  // "" when absent
    bool trainable() const;    // default true
    bool has(const std::string& key) const;  // present and not null
    bool is_null(const std::string& key) const;  // present and null

    std::string get_string(const std::string& key) const;
    std::string get_string(const std::string& key, const std::string& fallback) const;
    std::int64_t get_int(const std::string& key) const;
    std::int64_t get_int(const std::string& key, std::int64_t fallback) const;
    double get_double(const std::string& key) const;
    double get_double(const std::string& key, double fallback) const;
    std::optional<double> get_optional_double(const std::string& key) const;
    bool get_bool(const std::string& key, bool fallback) const;
    // A list of dims; null entries become -1 (Keras's None).
    Shape get_shape(const std::string& key) const;
    // An activation: a string, or Keras 3's {"class_name": "function", "config": "relu"}.
    std::string get_activation(const std::string& key, const std::string& fallback) const;
    // An initializer: a string or {"class_name", "config"} (with or without module keys).
    InitializerRef get_initializer(const std::string& key, const std::string& fallback) const;
    // The per-sample input shape (batch dim dropped) from `batch_input_shape` (Keras 2),
    // `batch_shape` (Keras 3) or `input_shape`; empty when none is given.
    Shape input_shape() const;
    // Refuses a non-float dtype / DTypePolicy (Keras 3 dicts are accepted).
    void check_dtype() const;

    // A size tuple: one int (repeated `n` times) or a list of `n` ints (Keras writes tuples as
    // lists, e.g. kernel_size [3] or [3, 3]); each value in [lo, hi]. Absent: `fallback`, or
    // an error naming the key when `fallback` is empty (a required key).
    std::vector<std::int64_t> get_ints(const std::string& key, std::size_t n, std::int64_t lo,
                                       std::int64_t hi,
                                       const std::vector<std::int64_t>& fallback) const;
    // An int or a list of ints (BatchNormalization / LayerNormalization `axis`).
    std::vector<std::int64_t> get_int_or_list(const std::string& key, std::int64_t fallback) const;
    // ZeroPadding2D / Cropping2D amounts: int, [rows, cols] or [[top, bottom], [left, right]];
    // returned as {top, bottom, left, right}, each in [0, 2^20].
    std::array<std::int64_t, 4> get_padding2d(const std::string& key, std::int64_t fallback) const;
    // True when the key holds something other than null, false, 0, "" or an empty list/dict:
    // for refusing options that change predictions.
    bool is_set(const std::string& key) const;
    // A nested layer ({"class_name", "config"}, with or without Keras 3's module keys), built
    // through the layer registry (Bidirectional's `layer`, TimeDistributed's `layer`).
    std::shared_ptr<Layer> get_layer(const std::string& key) const;

    [[noreturn]] void fail_key(const std::string& key, const std::string& problem,
                               const std::string& got, const std::string& expected) const;

private:
    const JsonNode& node_;
    std::string class_name_;
};

// Builds a layer config dict. Layer converters write their keys; the model writer adds the
// common keys (`name`, `trainable`, `dtype`) and the module/class-name wrapping.
class ConfigWriter {
public:
    ConfigWriter();
    ~ConfigWriter();
    ConfigWriter(const ConfigWriter&) = delete;
    ConfigWriter& operator=(const ConfigWriter&) = delete;

    void set(const std::string& key, const std::string& value);
    void set(const std::string& key, const char* value) { set(key, std::string(value)); }
    void set(const std::string& key, std::int64_t value);
    void set(const std::string& key, int value) { set(key, static_cast<std::int64_t>(value)); }
    void set(const std::string& key, double value);
    void set(const std::string& key, bool value);
    void set_null(const std::string& key);
    void set_shape(const std::string& key, const Shape& shape);  // -1 becomes null
    void set_initializer(const std::string& key, const Initializer& init);
    void set_ints(const std::string& key, const std::vector<std::int64_t>& values);  // a list
    // [[top, bottom], [left, right]]
    void set_padding2d(const std::string& key, const std::array<std::int64_t, 4>& tblr);
    // A nested layer config {"class_name", "config"} written through the layer registry, with
    // `name` as its name (wrappers rename their inner layers).
    void set_layer(const std::string& key, const Layer& layer, const std::string& name);

    JsonNode& node() { return *node_; }

private:
    std::unique_ptr<JsonNode> node_;
};

}  // namespace tfc::io
