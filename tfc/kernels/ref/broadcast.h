// Broadcasting copy kernels for any element type (moved as raw 1-, 2-, 4- or 8-byte words):
// broadcast_copy (tf.broadcast_to) and select (tf.where with broadcasting).
#pragma once

#include <cstddef>
#include <cstdint>

#include "tfc/core/shape.h"

namespace tfc::kernels::ref {

// dst[dst_shape] = src broadcast from src_shape.
void broadcast_copy(const void* src,
                    const Shape& src_shape,
                    void* dst,
                    const Shape& dst_shape,
                    std::size_t elem_size);

// dst = cond ? a : b, all three broadcast to out_shape; cond holds 0/1 bytes (bool).
void select(const std::uint8_t* cond,
            const Shape& cond_shape,
            const void* a,
            const Shape& a_shape,
            const void* b,
            const Shape& b_shape,
            void* dst,
            const Shape& out_shape,
            std::size_t elem_size);

}  // namespace tfc::kernels::ref
