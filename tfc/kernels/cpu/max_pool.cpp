// Max pooling over NHWC float32: loops over the contiguous channels, vectorised by the compiler,
// with OpenMP over batch rows. oneDNN 2.6's jit:avx2 pooling on NHWC (acdb) data measured 2.6 ms
// forward and 2.0 ms backward for the cnn bench's first pool ([32, 26, 26, 32], 2x2) on this
// machine, 39% of the training step; these loops take a fraction of that (docs/bench.md).
// The workspace holds, per output element, the position of the window's first maximum
// (row-major inside the window), so the backward pass is one scatter. Same semantics as
// ref::max_pool_forward / ref::max_pool_backward (pad cells never take part), which are the
// test oracle.
#include <omp.h>

#if defined(__AVX2__)
#include <immintrin.h>
#endif

#include <algorithm>
#include <cstring>
#include <vector>

#include "tfc/kernels/cpu/pool_dnnl.h"

namespace tfc::kernels::cpu {
namespace {

constexpr std::int64_t kParallelMin = 1 << 15;  // elements below which one thread is faster

std::int64_t window_size(const PoolGeometry& g) { return g.kh * g.kw; }

bool empty(const PoolGeometry& g) {
    return g.n == 0 || g.c == 0 || g.h == 0 || g.w == 0 || g.oh == 0 || g.ow == 0;
}

// Index type of the workspace: the smallest unsigned type that holds a window position.
template <typename F>
void with_index_type(const PoolGeometry& g, F&& f) {
    const std::int64_t k = window_size(g);
    if (k <= 0xFF)
        f(std::uint8_t{});
    else if (k <= 0xFFFF)
        f(std::uint16_t{});
    else
        f(std::uint32_t{});
}

// One output pixel, channels [c0, C): the window's maximum and, when `w` is set, the position
// of its first maximum. Scalar; the AVX2 path below covers whole blocks of 8 channels.
template <typename I>
void pixel_scalar(const PoolGeometry& g, const float* s, std::int64_t ys, std::int64_t xs,
                  std::int64_t c0, float* d, I* w) {
    const std::int64_t y0 = std::max<std::int64_t>(ys, 0), y1 = std::min(ys + g.kh, g.h);
    const std::int64_t x0 = std::max<std::int64_t>(xs, 0), x1 = std::min(xs + g.kw, g.w);
    for (std::int64_t c = c0; c < g.c; ++c) {
        float best = s[(y0 * g.w + x0) * g.c + c];
        std::int64_t arg = (y0 - ys) * g.kw + (x0 - xs);
        for (std::int64_t y = y0; y < y1; ++y) {
            for (std::int64_t x = x0; x < x1; ++x) {
                const float v = s[(y * g.w + x) * g.c + c];
                if (v > best) {
                    best = v;
                    arg = (y - ys) * g.kw + (x - xs);
                }
            }
        }
        d[c] = best;
        if (w) w[c] = static_cast<I>(arg);
    }
}

template <typename I>
void forward(const PoolGeometry& g, const float* src, float* dst, I* ws) {
    const std::int64_t C = g.c;
    const std::int64_t rows = g.n * g.oh;
#if defined(__AVX2__)
    const std::int64_t blocks = C / 8 * 8;  // channels done 8 at a time, in registers
#else
    const std::int64_t blocks = 0;
#endif
#pragma omp parallel for if (rows * g.ow * C >= kParallelMin) schedule(static)
    for (std::int64_t r = 0; r < rows; ++r) {
        const std::int64_t b = r / g.oh, oy = r % g.oh;
        const float* s = src + b * g.h * g.w * C;
        const std::int64_t ys = oy * g.sh - g.pad_top;
        const std::int64_t y0 = std::max<std::int64_t>(ys, 0), y1 = std::min(ys + g.kh, g.h);
        for (std::int64_t ox = 0; ox < g.ow; ++ox) {
            const std::int64_t xs = ox * g.sw - g.pad_left;
            const std::int64_t at = (r * g.ow + ox) * C;
            float* d = dst + at;
            I* w = ws ? ws + at : nullptr;
#if defined(__AVX2__)
            const std::int64_t x0 = std::max<std::int64_t>(xs, 0), x1 = std::min(xs + g.kw, g.w);
            for (std::int64_t c = 0; c < blocks; c += 8) {
                __m256 best = _mm256_loadu_ps(s + (y0 * g.w + x0) * C + c);
                __m256i arg = _mm256_set1_epi32(static_cast<int>((y0 - ys) * g.kw + (x0 - xs)));
                for (std::int64_t y = y0; y < y1; ++y) {
                    for (std::int64_t x = x0; x < x1; ++x) {
                        const __m256 v = _mm256_loadu_ps(s + (y * g.w + x) * C + c);
                        const __m256 more = _mm256_cmp_ps(v, best, _CMP_GT_OQ);  // NaN never wins
                        best = _mm256_blendv_ps(best, v, more);
                        if (w) {
                            const __m256i k =
                                _mm256_set1_epi32(static_cast<int>((y - ys) * g.kw + (x - xs)));
                            arg = _mm256_blendv_epi8(arg, k, _mm256_castps_si256(more));
                        }
                    }
                }
                _mm256_storeu_ps(d + c, best);
                if (w) {
                    alignas(32) std::int32_t tmp[8];
                    _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), arg);
                    for (int j = 0; j < 8; ++j) w[c + j] = static_cast<I>(tmp[j]);
                }
            }
#endif
            if (blocks < C) pixel_scalar(g, s, ys, xs, blocks, d, w);
        }
    }
}

#if defined(__AVX2__)
// 8 workspace entries widened to int32 lanes.
template <typename I>
__m256i load8(const I* p) {
    if constexpr (sizeof(I) == 1)
        return _mm256_cvtepu8_epi32(_mm_loadl_epi64(reinterpret_cast<const __m128i*>(p)));
    else if constexpr (sizeof(I) == 2)
        return _mm256_cvtepu16_epi32(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    else
        return _mm256_loadu_si256(reinterpret_cast<const __m256i*>(p));
}
#endif

// Windows that tile the input (pool size == strides, Keras's default): every input cell lies in
// at most one window, so each one is written once, the gradient at the argmax and 0 elsewhere,
// with no zero-fill pass and no read-modify-write.
template <typename I>
void backward_tiled(const PoolGeometry& g, const float* grad_dst, const float* dst, const I* ws,
                    float* gs, std::int64_t b) {
    const std::int64_t C = g.c;
#if defined(__AVX2__)
    const std::int64_t blocks = C / 8 * 8;
#else
    const std::int64_t blocks = 0;
#endif
    for (std::int64_t oy = 0; oy < g.oh; ++oy) {
        const std::int64_t ys = oy * g.sh - g.pad_top;
        const std::int64_t y0 = std::max<std::int64_t>(ys, 0), y1 = std::min(ys + g.kh, g.h);
        for (std::int64_t ox = 0; ox < g.ow; ++ox) {
            const std::int64_t xs = ox * g.sw - g.pad_left;
            const std::int64_t x0 = std::max<std::int64_t>(xs, 0), x1 = std::min(xs + g.kw, g.w);
            const std::int64_t at = ((b * g.oh + oy) * g.ow + ox) * C;
            const float* gd = grad_dst + at;
            const float* d = dst ? dst + at : nullptr;
            const I* w = ws + at;
            for (std::int64_t y = y0; y < y1; ++y) {
                for (std::int64_t x = x0; x < x1; ++x) {
                    const auto k = static_cast<std::int32_t>((y - ys) * g.kw + (x - xs));
                    float* out = gs + (y * g.w + x) * C;
#if defined(__AVX2__)
                    const __m256i kv = _mm256_set1_epi32(k);
                    for (std::int64_t c = 0; c < blocks; c += 8) {
                        __m256 hit = _mm256_castsi256_ps(_mm256_cmpeq_epi32(load8(w + c), kv));
                        if (d) {
                            hit = _mm256_and_ps(hit, _mm256_cmp_ps(_mm256_loadu_ps(d + c),
                                                                   _mm256_setzero_ps(),
                                                                   _CMP_GT_OQ));
                        }
                        _mm256_storeu_ps(out + c, _mm256_and_ps(_mm256_loadu_ps(gd + c), hit));
                    }
#endif
                    for (std::int64_t c = blocks; c < C; ++c) {
                        const bool hit = static_cast<std::int32_t>(w[c]) == k && (!d || d[c] > 0.0f);
                        out[c] = hit ? gd[c] : 0.0f;
                    }
                }
            }
        }
    }
}

template <typename I>
void backward(const PoolGeometry& g, const float* grad_dst, const float* dst, const I* ws,
              float* grad_src) {
    const std::int64_t C = g.c;
    const bool tiled = g.kh == g.sh && g.kw == g.sw;
    // Whether the windows reach every input cell (otherwise the rest must be zeroed).
    const bool covers =
        g.pad_top == 0 && g.pad_left == 0 && g.oh * g.sh >= g.h && g.ow * g.sw >= g.w;
    // Source offset of each window position, relative to the window's origin.
    std::vector<std::int64_t> delta(static_cast<std::size_t>(window_size(g)));
    for (std::int64_t ky = 0; ky < g.kh; ++ky) {
        for (std::int64_t kx = 0; kx < g.kw; ++kx)
            delta[static_cast<std::size_t>(ky * g.kw + kx)] = (ky * g.w + kx) * C;
    }
    const std::int64_t image = g.h * g.w * C;
    // One image per iteration: windows of one image may overlap, images never do.
#pragma omp parallel for if (g.n * image >= kParallelMin) schedule(static)
    for (std::int64_t b = 0; b < g.n; ++b) {
        float* gs = grad_src + b * image;
        if (!(tiled && covers)) std::memset(gs, 0, static_cast<std::size_t>(image) * sizeof(float));
        if (tiled) {
            backward_tiled(g, grad_dst, dst, ws, gs, b);
            continue;
        }
        for (std::int64_t oy = 0; oy < g.oh; ++oy) {
            for (std::int64_t ox = 0; ox < g.ow; ++ox) {
                const std::int64_t at = ((b * g.oh + oy) * g.ow + ox) * C;
                const std::int64_t origin =
                    ((oy * g.sh - g.pad_top) * g.w + (ox * g.sw - g.pad_left)) * C;
                const float* gd = grad_dst + at;
                const I* w = ws + at;
                for (std::int64_t c = 0; c < C; ++c) {
                    if (!dst || dst[at + c] > 0.0f) gs[origin + delta[w[c]] + c] += gd[c];
                }
            }
        }
    }
}

}  // namespace

std::size_t max_pool_workspace_size(const PoolGeometry& g) {
    if (empty(g)) return 0;
    std::size_t bytes = 0;
    with_index_type(g, [&](auto tag) {
        bytes = sizeof(tag) * static_cast<std::size_t>(g.n * g.oh * g.ow * g.c);
    });
    return bytes;
}

void max_pool_forward(const PoolGeometry& g, const float* src, float* dst, void* workspace) {
    if (empty(g)) return;
    with_index_type(
        g, [&](auto tag) { forward(g, src, dst, static_cast<decltype(tag)*>(workspace)); });
}

void max_pool_backward(const PoolGeometry& g, const float* grad_dst, const void* workspace,
                       float* grad_src, const float* dst) {
    if (empty(g)) {
        std::fill(grad_src, grad_src + g.n * g.h * g.w * g.c, 0.0f);
        return;
    }
    with_index_type(g, [&](auto tag) {
        backward(g, grad_dst, dst, static_cast<const decltype(tag)*>(workspace), grad_src);
    });
}

}  // namespace tfc::kernels::cpu
