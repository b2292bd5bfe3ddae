#include "tfc/callbacks/logs.h"

namespace tfc {

void Logs::set(const std::string& key, double value) {
    for (auto& [k, v] : items_) {
        if (k == key) {
            v = value;
            return;
        }
    }
    items_.emplace_back(key, value);
}

std::optional<double> Logs::get(const std::string& key) const {
    for (const auto& [k, v] : items_) {
        if (k == key) return v;
    }
    return std::nullopt;
}

void Logs::erase(const std::string& key) {
    for (auto it = items_.begin(); it != items_.end(); ++it) {
        if (it->first == key) {
            items_.erase(it);
            return;
        }
    }
}

}  // namespace tfc
