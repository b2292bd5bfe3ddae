// Logs: Keras's `logs` dict, ordered by insertion (loss first, then metrics, then val_*), which
// is the order the progress bar and History show.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tfc {

class Logs {
public:
    void set(const std::string& key, double value);
    std::optional<double> get(const std::string& key) const;
    bool contains(const std::string& key) const { return get(key).has_value(); }
    void erase(const std::string& key);
    const std::vector<std::pair<std::string, double>>& items() const { return items_; }
    bool empty() const { return items_.empty(); }
    void clear() { items_.clear(); }

private:
    std::vector<std::pair<std::string, double>> items_;
};

}  // namespace tfc
