#include "tfc/kernels/ref/broadcast.h"

#include <algorithm>

#include "tfc/core/error.h"
#include "tfc/kernels/broadcast_plan.h"

namespace tfc::kernels::ref {
namespace {

template <typename E>
void broadcast_copy_typed(const E* src, const Shape& src_shape, E* dst, const Shape& dst_shape) {
    const BroadcastPlan plan = plan_broadcast(dst_shape, {&src_shape});
    const std::int64_t len = plan.row_length(), rows = plan.num_rows();
    const bool contiguous = plan.strides[0].back() != 0;
    for (std::int64_t r = 0; r < rows; ++r) {
        const E* s = src + plan.row_offsets(r)[0];
        E* d = dst + r * len;
        if (contiguous) {
            std::copy(s, s + len, d);
        } else {
            std::fill(d, d + len, *s);
        }
    }
}

template <typename E>
void select_typed(const std::uint8_t* cond,
                  const Shape& cs,
                  const E* a,
                  const Shape& as,
                  const E* b,
                  const Shape& bs,
                  E* dst,
                  const Shape& os) {
    const BroadcastPlan plan = plan_broadcast(os, {&cs, &as, &bs});
    const std::int64_t len = plan.row_length(), rows = plan.num_rows();
    const std::int64_t sc = plan.strides[0].back(), sa = plan.strides[1].back(),
                       sb = plan.strides[2].back();
    for (std::int64_t r = 0; r < rows; ++r) {
        const auto off = plan.row_offsets(r);
        const std::uint8_t* c = cond + off[0];
        const E* ar = a + off[1];
        const E* br = b + off[2];
        E* d = dst + r * len;
        for (std::int64_t i = 0; i < len; ++i) d[i] = c[i * sc] ? ar[i * sa] : br[i * sb];
    }
}

template <typename Fn>
void by_size(std::size_t elem_size, Fn&& fn) {
    switch (elem_size) {
        case 1:
            fn(std::uint8_t{});
            return;
        case 2:
            fn(std::uint16_t{});
            return;
        case 4:
            fn(std::uint32_t{});
            return;
        case 8:
            fn(std::uint64_t{});
            return;
        default:
            TFC_ASSERT(false && "unsupported element size");
    }
}

}  // namespace

void broadcast_copy(const void* src,
                    const Shape& src_shape,
                    void* dst,
                    const Shape& dst_shape,
                    std::size_t elem_size) {
    if (num_elements(dst_shape) == 0) return;
    by_size(elem_size, [&](auto tag) {
        using E = decltype(tag);
        broadcast_copy_typed(static_cast<const E*>(src), src_shape, static_cast<E*>(dst),
                             dst_shape);
    });
}

void select(const std::uint8_t* cond,
            const Shape& cond_shape,
            const void* a,
            const Shape& a_shape,
            const void* b,
            const Shape& b_shape,
            void* dst,
            const Shape& out_shape,
            std::size_t elem_size) {
    if (num_elements(out_shape) == 0) return;
    by_size(elem_size, [&](auto tag) {
        using E = decltype(tag);
        select_typed(cond, cond_shape, static_cast<const E*>(a), a_shape, static_cast<const E*>(b),
                     b_shape, static_cast<E*>(dst), out_shape);
    });
}

}  // namespace tfc::kernels::ref
