// Internal to tfc/io: helpers shared by the layer-family converters (*_layers_config.cpp).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "tfc/core/error.h"
#include "tfc/io/layer_config.h"
#include "tfc/layers/activations.h"
#include "tfc/layers/layer.h"

namespace tfc::io::detail {

// Bounds on sizes read from a config, so a hostile file cannot ask for absurd weights.
constexpr std::int64_t kMaxUnits = std::int64_t{1} << 24;   // units, filters, dims
constexpr std::int64_t kMaxWindow = std::int64_t{1} << 16;  // kernel, pool, stride, dilation

template <typename L>
const L& as(const Layer& layer) {
    const auto* p = dynamic_cast<const L*>(&layer);
    TFC_ASSERT(p != nullptr);
    return *p;
}

inline void write_nulls(ConfigWriter& out, std::initializer_list<const char*> keys) {
    for (const char* k : keys) out.set_null(k);
}

inline std::string checked_activation(const LayerConfig& c, const std::string& key,
                                      const std::string& fallback) {
    const std::string a = c.get_activation(key, fallback);
    if (!is_known_activation(a)) {
        c.fail_key(key, "names an unsupported activation", a,
                   "a Keras activation (relu, sigmoid, softmax, tanh, linear, ...)");
    }
    return a;
}

// An integer in [lo, hi] (required when `fallback` is absent).
inline std::int64_t bounded_int(const LayerConfig& c, const std::string& key, std::int64_t lo,
                                std::int64_t hi) {
    const std::int64_t v = c.get_int(key);
    if (v < lo || v > hi) {
        c.fail_key(key, "is out of range", std::to_string(v),
                   std::to_string(lo) + " <= " + key + " <= " + std::to_string(hi));
    }
    return v;
}

// `data_format`: null or "channels_last" (tfc computes channels-last only).
inline std::string channels_last(const LayerConfig& c) {
    const std::string fmt = c.get_string("data_format", "channels_last");
    if (fmt != "channels_last") {
        c.fail_key("data_format", "is not supported", fmt,
                   "channels_last (transpose the data and re-save the model channels-last)");
    }
    return fmt;
}

// Refuses an option that would change predictions when it is set.
inline void refuse_if_set(const LayerConfig& c, const std::string& key, const std::string& why) {
    if (c.is_set(key)) c.fail_key(key, why, "a non-default value", "the default (unset)");
}

}  // namespace tfc::io::detail
