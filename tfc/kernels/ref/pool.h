// Reference pooling kernels (NHWC; 1-D pooling is the H = 1 case): plain loops for float and
// double. They serve float64 and are the test oracle of the oneDNN kernels in kernels/cpu.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tfc::kernels {

// Geometry of a 2-D pooling window over an NHWC tensor. Padding is explicit per side (Keras
// "same" puts the extra cell at the bottom/right); pad cells never take part: max ignores them
// and average divides by the number of real cells in the window.
struct PoolGeometry {
    std::int64_t n = 0, h = 0, w = 0, c = 0;      // src
    std::int64_t oh = 0, ow = 0;                  // dst
    std::int64_t kh = 1, kw = 1;                  // window
    std::int64_t sh = 1, sw = 1;                  // strides
    std::int64_t pad_top = 0, pad_left = 0;       // leading pads
    std::int64_t pad_bottom = 0, pad_right = 0;   // trailing pads
};

}  // namespace tfc::kernels

namespace tfc::kernels::ref {

template <typename T>
void max_pool_forward(const PoolGeometry& g, const T* src, T* dst);
// grad_src = 0, then each dst cell's gradient goes to the first maximum of its window.
template <typename T>
void max_pool_backward(const PoolGeometry& g, const T* src, const T* grad_dst, T* grad_src);
template <typename T>
void avg_pool_forward(const PoolGeometry& g, const T* src, T* dst);
// grad_src = 0, then each dst cell spreads grad / (real cells in its window) over the window.
template <typename T>
void avg_pool_backward(const PoolGeometry& g, const T* grad_dst, T* grad_src);

// Zero padding / cropping of [n, h, w, c] (elements of `elem_size` bytes), row by row.
// pad: dst [n, h + top + bottom, w + left + right, c] = 0 with src copied at (top, left).
// crop (inverse): dst [n, h, w, c] = the box of src [n, h + top + bottom, ...] at (top, left).
void pad2d(const void* src, void* dst, std::int64_t n, std::int64_t h, std::int64_t w,
           std::int64_t c, std::int64_t top, std::int64_t bottom, std::int64_t left,
           std::int64_t right, std::size_t elem_size);
void crop2d(const void* src, void* dst, std::int64_t n, std::int64_t h, std::int64_t w,
            std::int64_t c, std::int64_t top, std::int64_t bottom, std::int64_t left,
            std::int64_t right, std::size_t elem_size);

}  // namespace tfc::kernels::ref
