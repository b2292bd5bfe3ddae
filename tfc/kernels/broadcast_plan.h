// Row-wise iteration over a NumPy broadcast. The output shape and up to three operand shapes are
// collapsed (size-1 output axes dropped, neighbouring axes with the same broadcast pattern
// merged), then the output is walked one innermost row at a time. Each operand's innermost
// stride is 0 (broadcast) or 1 (contiguous), so row loops are plain, vectorisable loops.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "tfc/core/shape.h"

namespace tfc::kernels {

struct BroadcastPlan {
    static constexpr int kMaxOperands = 3;
    int num_operands = 0;
    std::vector<std::int64_t> dims;  // collapsed output dims, at least one
    std::array<std::vector<std::int64_t>, kMaxOperands> strides;  // 0 where broadcast

    std::int64_t row_length() const { return dims.back(); }
    std::int64_t num_rows() const {
        std::int64_t r = 1;
        for (std::size_t i = 0; i + 1 < dims.size(); ++i) r *= dims[i];
        return r;
    }
    // Element offsets of each operand at the start of row `row`.
    std::array<std::int64_t, kMaxOperands> row_offsets(std::int64_t row) const {
        std::array<std::int64_t, kMaxOperands> off{};
        for (std::size_t d = dims.size() - 1; d-- > 0;) {
            const std::int64_t i = row % dims[d];
            row /= dims[d];
            for (int k = 0; k < num_operands; ++k) off[k] += i * strides[k][d];
        }
        return off;
    }
};

// Operand shapes must broadcast to `out` (callers check with broadcast_shapes first).
inline BroadcastPlan plan_broadcast(const Shape& out, const std::vector<const Shape*>& operands) {
    BroadcastPlan plan;
    plan.num_operands = static_cast<int>(operands.size());
    const std::size_t rank = out.size();
    // Per axis: the output dim and, per operand, whether it is broadcast along that axis.
    std::vector<std::int64_t> dims;
    std::vector<std::array<bool, BroadcastPlan::kMaxOperands>> bcast;
    for (std::size_t d = 0; d < rank; ++d) {
        if (out[d] == 1) continue;
        std::array<bool, BroadcastPlan::kMaxOperands> b{};
        for (int k = 0; k < plan.num_operands; ++k) {
            const Shape& s = *operands[k];
            const std::size_t lead = rank - s.size();
            b[k] = d < lead || s[d - lead] == 1;
        }
        if (!dims.empty() && bcast.back() == b) {
            dims.back() *= out[d];
        } else {
            dims.push_back(out[d]);
            bcast.push_back(b);
        }
    }
    if (dims.empty()) {
        dims.push_back(1);
        bcast.push_back({});
    }
    plan.dims = dims;
    for (int k = 0; k < plan.num_operands; ++k) {
        auto& st = plan.strides[k];
        st.assign(dims.size(), 0);
        std::int64_t s = 1;
        for (std::size_t d = dims.size(); d-- > 0;) {
            if (!bcast[d][k]) {
                st[d] = s;
                s *= dims[d];
            }
        }
    }
    return plan;
}

}  // namespace tfc::kernels
