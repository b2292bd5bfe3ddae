// Test-only helpers for the image goldens (tests/golden/images/*.json, written by
// tools/golden/image_goldens.py): fixture loading and the grid / block-mean summaries.
#pragma once

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <string>
#include <vector>

#include "tests/harness/gradcheck.h"
#include "tfc/preprocessing/golden_test_util.h"

namespace tfc::data::image_test {

inline nlohmann::json load_golden(const std::string& name) {
    const std::string path = testing::source_dir() + "/tests/golden/images/" + name + ".json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("missing fixture " + path + "; run tools/golden/image_goldens.py");
    return nlohmann::json::parse(in);
}

inline std::string flowers(const std::string& rel = "") {
    return testing::shared_dir() + "/datasets/images/flowers" + (rel.empty() ? "" : "/" + rel);
}

inline std::string sha256(const void* data, std::size_t n) {
    testing::Sha256 h;
    h.update(data, n);
    return h.hex();
}

// Largest |ours - golden| over the grid positions and the 8x8 block means (when present).
// `v` is HWC with the golden's shape.
inline double summary_max_diff(const nlohmann::json& g, const std::vector<float>& v) {
    const auto shape = g["shape"].get<std::vector<std::int64_t>>();
    const std::int64_t h = shape[0], w = shape[1], c = shape[2];
    double worst = 0.0;
    if (g.contains("grid")) {
        const auto rows = g["rows"].get<std::vector<std::int64_t>>();
        const auto cols = g["cols"].get<std::vector<std::int64_t>>();
        const auto grid = g["grid"].get<std::vector<double>>();
        std::size_t k = 0;
        for (auto r : rows)
            for (auto col : cols)
                for (std::int64_t ch = 0; ch < c; ++ch)
                    worst = std::max(worst, std::fabs(v[static_cast<std::size_t>((r * w + col) * c + ch)] - grid[k++]));
    }
    if (g.contains("blocks")) {
        const auto blocks = g["blocks"].get<std::vector<double>>();
        std::size_t k = 0;
        for (std::int64_t br = 0; br < h / 8; ++br)
            for (std::int64_t bc = 0; bc < w / 8; ++bc)
                for (std::int64_t ch = 0; ch < c; ++ch) {
                    double s = 0.0;
                    for (std::int64_t r = br * 8; r < br * 8 + 8; ++r)
                        for (std::int64_t col = bc * 8; col < bc * 8 + 8; ++col)
                            s += v[static_cast<std::size_t>((r * w + col) * c + ch)];
                    worst = std::max(worst, std::fabs(s / 64.0 - blocks[k++]));
                }
    }
    return worst;
}

}  // namespace tfc::data::image_test
