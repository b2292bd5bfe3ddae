#include "tfc/core/shape.h"

#include <algorithm>

#include "tfc/core/error.h"

namespace tfc {

std::int64_t num_elements(const Shape& shape) {
    std::int64_t n = 1;
    for (auto d : shape) n *= d;
    return n;
}

std::string shape_str(const Shape& shape) {
    std::string s = "(";
    for (std::size_t i = 0; i < shape.size(); ++i) {
        if (i) s += ", ";
        s += shape[i] < 0 ? "None" : std::to_string(shape[i]);
    }
    if (shape.size() == 1) s += ",";
    return s + ")";
}

int normalize_axis(int axis, int rank, const char* where) {
    int a = axis < 0 ? axis + rank : axis;
    TFC_CHECK(a >= 0 && a < rank, where, "axis out of range", "axis=" + std::to_string(axis),
              "an axis in [" + std::to_string(-rank) + ", " + std::to_string(rank) + ")",
              "pass an axis that exists for a rank-" + std::to_string(rank) + " tensor");
    return a;
}

Shape broadcast_shapes(const Shape& a, const Shape& b, const char* where) {
    std::size_t r = std::max(a.size(), b.size());
    Shape out(r);
    for (std::size_t i = 0; i < r; ++i) {
        std::int64_t da = i < r - a.size() ? 1 : a[i - (r - a.size())];
        std::int64_t db = i < r - b.size() ? 1 : b[i - (r - b.size())];
        TFC_CHECK(da == db || da == 1 || db == 1, where, "shapes do not broadcast",
                  shape_str(a) + " and " + shape_str(b),
                  "equal dimensions or 1 in each position (NumPy broadcasting)",
                  "reshape one operand so its trailing dimensions match");
        out[i] = da == 1 ? db : da;
    }
    return out;
}

std::vector<std::int64_t> strides_of(const Shape& shape) {
    std::vector<std::int64_t> st(shape.size());
    std::int64_t s = 1;
    for (std::size_t i = shape.size(); i-- > 0;) {
        st[i] = s;
        s *= shape[i];
    }
    return st;
}

}  // namespace tfc
