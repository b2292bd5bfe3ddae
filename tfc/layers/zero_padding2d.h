// ZeroPadding2D (keras/layers/reshaping/zero_padding2d.py of Keras 2.15), channels_last: adds
// rows and columns of zeros. Keras's three forms of `padding` all work:
//   ZeroPadding2D({.padding = 2})                  // 2 on every side
//   ZeroPadding2D({.padding = {1, 2}})             // (rows, cols), symmetric
//   ZeroPadding2D({.padding = {{1, 0}, {2, 3}}})   // ((top, bottom), (left, right))
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "tfc/layers/layer.h"

namespace tfc {

// ((top, bottom), (left, right)), built from Keras's int / pair / pair-of-pairs forms.
struct Padding2D {
    std::int64_t top = 0, bottom = 0, left = 0, right = 0;
    Padding2D() = default;
    Padding2D(std::int64_t all)  // NOLINT(runtime/explicit)
        : top(all), bottom(all), left(all), right(all) {}
    Padding2D(std::int64_t rows, std::int64_t cols)
        : top(rows), bottom(rows), left(cols), right(cols) {}
    Padding2D(std::array<std::int64_t, 2> rows, std::array<std::int64_t, 2> cols)
        : top(rows[0]), bottom(rows[1]), left(cols[0]), right(cols[1]) {}
};

struct ZeroPadding2DOptions {
    Padding2D padding = 1;  // Keras default (1, 1)
    std::string data_format = "channels_last";
    Shape input_shape{};
    std::string name{};  // default "zero_padding2d", ...
};

class ZeroPadding2D : public Layer {
public:
    explicit ZeroPadding2D(ZeroPadding2DOptions options = {});
    std::string class_name() const override { return "ZeroPadding2D"; }
    void build(const Shape& input_shape) override;
    Tensor call(const Tensor& inputs, bool training) override;
    Shape compute_output_shape(const Shape& input_shape) const override;
    const ZeroPadding2DOptions& options() const { return options_; }

private:
    ZeroPadding2DOptions options_;
};

}  // namespace tfc
