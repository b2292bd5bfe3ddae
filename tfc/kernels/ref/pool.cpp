#include "tfc/kernels/ref/pool.h"

#include <algorithm>
#include <cstring>

namespace tfc::kernels::ref {
namespace {

// Window rows/cols of dst cell (oy, ox), clipped to the real input.
struct Window {
    std::int64_t y0, y1, x0, x1;  // half-open
};

Window window(const PoolGeometry& g, std::int64_t oy, std::int64_t ox) {
    const std::int64_t ys = oy * g.sh - g.pad_top, xs = ox * g.sw - g.pad_left;
    return {std::max<std::int64_t>(ys, 0), std::min(ys + g.kh, g.h), std::max<std::int64_t>(xs, 0),
            std::min(xs + g.kw, g.w)};
}

}  // namespace

template <typename T>
void max_pool_forward(const PoolGeometry& g, const T* src, T* dst) {
    for (std::int64_t b = 0; b < g.n; ++b) {
        const T* s = src + b * g.h * g.w * g.c;
        for (std::int64_t oy = 0; oy < g.oh; ++oy) {
            for (std::int64_t ox = 0; ox < g.ow; ++ox) {
                const Window wd = window(g, oy, ox);
                T* d = dst + ((b * g.oh + oy) * g.ow + ox) * g.c;
                for (std::int64_t ch = 0; ch < g.c; ++ch) {
                    T best = s[(wd.y0 * g.w + wd.x0) * g.c + ch];
                    for (std::int64_t y = wd.y0; y < wd.y1; ++y) {
                        for (std::int64_t x = wd.x0; x < wd.x1; ++x) {
                            best = std::max(best, s[(y * g.w + x) * g.c + ch]);
                        }
                    }
                    d[ch] = best;
                }
            }
        }
    }
}

template <typename T>
void max_pool_backward(const PoolGeometry& g, const T* src, const T* grad_dst, T* grad_src) {
    std::fill(grad_src, grad_src + g.n * g.h * g.w * g.c, T(0));
    for (std::int64_t b = 0; b < g.n; ++b) {
        const T* s = src + b * g.h * g.w * g.c;
        T* gs = grad_src + b * g.h * g.w * g.c;
        for (std::int64_t oy = 0; oy < g.oh; ++oy) {
            for (std::int64_t ox = 0; ox < g.ow; ++ox) {
                const Window wd = window(g, oy, ox);
                const T* gd = grad_dst + ((b * g.oh + oy) * g.ow + ox) * g.c;
                for (std::int64_t ch = 0; ch < g.c; ++ch) {
                    std::int64_t arg = (wd.y0 * g.w + wd.x0) * g.c + ch;
                    for (std::int64_t y = wd.y0; y < wd.y1; ++y) {
                        for (std::int64_t x = wd.x0; x < wd.x1; ++x) {
                            const std::int64_t i = (y * g.w + x) * g.c + ch;
                            if (s[i] > s[arg]) arg = i;
                        }
                    }
                    gs[arg] += gd[ch];
                }
            }
        }
    }
}

template <typename T>
void avg_pool_forward(const PoolGeometry& g, const T* src, T* dst) {
    for (std::int64_t b = 0; b < g.n; ++b) {
        const T* s = src + b * g.h * g.w * g.c;
        for (std::int64_t oy = 0; oy < g.oh; ++oy) {
            for (std::int64_t ox = 0; ox < g.ow; ++ox) {
                const Window wd = window(g, oy, ox);
                const T count = static_cast<T>((wd.y1 - wd.y0) * (wd.x1 - wd.x0));
                T* d = dst + ((b * g.oh + oy) * g.ow + ox) * g.c;
                for (std::int64_t ch = 0; ch < g.c; ++ch) {
                    T acc = 0;
                    for (std::int64_t y = wd.y0; y < wd.y1; ++y) {
                        for (std::int64_t x = wd.x0; x < wd.x1; ++x) acc += s[(y * g.w + x) * g.c + ch];
                    }
                    d[ch] = acc / count;
                }
            }
        }
    }
}

template <typename T>
void avg_pool_backward(const PoolGeometry& g, const T* grad_dst, T* grad_src) {
    std::fill(grad_src, grad_src + g.n * g.h * g.w * g.c, T(0));
    for (std::int64_t b = 0; b < g.n; ++b) {
        T* gs = grad_src + b * g.h * g.w * g.c;
        for (std::int64_t oy = 0; oy < g.oh; ++oy) {
            for (std::int64_t ox = 0; ox < g.ow; ++ox) {
                const Window wd = window(g, oy, ox);
                const T count = static_cast<T>((wd.y1 - wd.y0) * (wd.x1 - wd.x0));
                const T* gd = grad_dst + ((b * g.oh + oy) * g.ow + ox) * g.c;
                for (std::int64_t y = wd.y0; y < wd.y1; ++y) {
                    for (std::int64_t x = wd.x0; x < wd.x1; ++x) {
                        T* gp = gs + (y * g.w + x) * g.c;
                        for (std::int64_t ch = 0; ch < g.c; ++ch) gp[ch] += gd[ch] / count;
                    }
                }
            }
        }
    }
}

void pad2d(const void* src, void* dst, std::int64_t n, std::int64_t h, std::int64_t w,
           std::int64_t c, std::int64_t top, std::int64_t bottom, std::int64_t left,
           std::int64_t right, std::size_t elem_size) {
    const std::int64_t ph = h + top + bottom, pw = w + left + right;
    std::memset(dst, 0, static_cast<std::size_t>(n * ph * pw * c) * elem_size);
    const auto* s = static_cast<const unsigned char*>(src);
    auto* d = static_cast<unsigned char*>(dst);
    const std::size_t row = static_cast<std::size_t>(w * c) * elem_size;
    for (std::int64_t b = 0; b < n; ++b) {
        for (std::int64_t y = 0; y < h; ++y) {
            const std::int64_t so = (b * h + y) * w * c;
            const std::int64_t doff = ((b * ph + y + top) * pw + left) * c;
            if (row > 0) std::memcpy(d + doff * elem_size, s + so * elem_size, row);
        }
    }
}

void crop2d(const void* src, void* dst, std::int64_t n, std::int64_t h, std::int64_t w,
            std::int64_t c, std::int64_t top, std::int64_t bottom, std::int64_t left,
            std::int64_t right, std::size_t elem_size) {
    const std::int64_t ph = h + top + bottom, pw = w + left + right;
    const auto* s = static_cast<const unsigned char*>(src);
    auto* d = static_cast<unsigned char*>(dst);
    const std::size_t row = static_cast<std::size_t>(w * c) * elem_size;
    for (std::int64_t b = 0; b < n; ++b) {
        for (std::int64_t y = 0; y < h; ++y) {
            const std::int64_t doff = (b * h + y) * w * c;
            const std::int64_t so = ((b * ph + y + top) * pw + left) * c;
            if (row > 0) std::memcpy(d + doff * elem_size, s + so * elem_size, row);
        }
    }
}

#define TFC_INSTANTIATE_POOL(T)                                                           \
    template void max_pool_forward<T>(const PoolGeometry&, const T*, T*);                 \
    template void max_pool_backward<T>(const PoolGeometry&, const T*, const T*, T*);      \
    template void avg_pool_forward<T>(const PoolGeometry&, const T*, T*);                 \
    template void avg_pool_backward<T>(const PoolGeometry&, const T*, T*);
TFC_INSTANTIATE_POOL(float)
TFC_INSTANTIATE_POOL(double)
#undef TFC_INSTANTIATE_POOL

}  // namespace tfc::kernels::ref
