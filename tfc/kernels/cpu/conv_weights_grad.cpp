// The weight gradient of a convolution (groups = 1) on AVX2 + FMA, straight from the NHWC
// activations: diff_weights[kh, kw, ic, oc] = sum over (n, oh, ow) of
// src[n, oh*sh + kh*dh - pad_top, ow*sw + kw*dw - pad_left, ic] * diff_dst[n, oh, ow, oc].
//
// Where every tap reads inside the image, the sum is one [KH * KW * IC, OC] product over those
// (oh, ow) positions, read in place: the inputs of the taps sit at fixed offsets from each
// position's first one (a small offset table), src rows of consecutive ow are sw * IC floats
// apart and diff_dst rows OC floats apart, so no im2col copy is made (see Taps). The positions
// that padding leaves go tap by tap. A register tile holds up to 6 input channels x 16 output
// channels (12 accumulators); each position adds one broadcast input value times two 8-wide
// diff_dst vectors per input channel. Work items are
// (image, block of 8 output rows), split over the OpenMP threads, each thread summing into its
// own copy of the gradient; the copies are added at the end. The bias gradient (the column sums of
// diff_dst) is taken per work item right after its tiles, while those diff_dst rows are still in
// cache, instead of in a separate pass over the whole tensor.
//
// oneDNN 2.6's avx2 backward-weights primitive on NHWC data measured at 30-45 GFLOP/s on one
// thread for the img model's 16->32 and 32->64 channel convolutions (docs/bench.md).
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <vector>

#include "tfc/kernels/cpu/conv_dnnl.h"

namespace tfc::kernels::cpu {

#if defined(__AVX2__) && defined(__FMA__)

namespace {

constexpr int kTileIn = 6;             // input channels per register tile
constexpr std::int64_t kRowBlock = 8;  // output rows per work item

// The (oh, ow) positions one tile pass walks: nrows x ncols, with element steps per row / column.
// The tile's input channel i is read at a + off[i].
struct Walk {
    const float* a;           // src at the first position
    const std::int64_t* off;  // offsets of the tile's input channels from a
    const float* b;           // diff_dst at the first position (+ the tile's first output channel)
    std::int64_t a_row, a_col, b_row, b_col;
    std::int64_t nrows, ncols;
};

// c[i, 0:8*OV] += sum over the walk of a[off[i]] * b[0:8*OV], i < IT. With Tail, the last
// 8-wide vector of b and c is partial (lanes set in `mask`).
template <int IT, int OV, bool Tail>
void tile(const Walk& w, __m256i mask, float* c, std::int64_t ldc) {
    std::int64_t off[IT];
    for (int i = 0; i < IT; ++i) off[i] = w.off[i];
    __m256 acc[IT][OV];
#pragma GCC unroll 6
    for (std::int64_t i = 0; i < IT; ++i) {
#pragma GCC unroll 2
        for (std::int64_t v = 0; v < OV; ++v) acc[i][v] = _mm256_setzero_ps();
    }
    for (std::int64_t r = 0; r < w.nrows; ++r) {
        const float* a = w.a + r * w.a_row;
        const float* b = w.b + r * w.b_row;
        for (std::int64_t q = 0; q < w.ncols; ++q, a += w.a_col, b += w.b_col) {
            __m256 bv[OV];
#pragma GCC unroll 2
            for (std::int64_t v = 0; v < OV; ++v) {
                bv[v] = (Tail && v == OV - 1) ? _mm256_maskload_ps(b + 8 * v, mask)
                                              : _mm256_loadu_ps(b + 8 * v);
            }
#pragma GCC unroll 6
            for (std::int64_t i = 0; i < IT; ++i) {
                const __m256 av = _mm256_broadcast_ss(a + off[i]);
#pragma GCC unroll 2
                for (std::int64_t v = 0; v < OV; ++v)
                    acc[i][v] = _mm256_fmadd_ps(av, bv[v], acc[i][v]);
            }
        }
    }
#pragma GCC unroll 6
    for (std::int64_t i = 0; i < IT; ++i) {
#pragma GCC unroll 2
        for (std::int64_t v = 0; v < OV; ++v) {
            float* p = c + i * ldc + 8 * v;
            if (Tail && v == OV - 1) {
                _mm256_maskstore_ps(p, mask, _mm256_add_ps(_mm256_maskload_ps(p, mask), acc[i][v]));
            } else {
                _mm256_storeu_ps(p, _mm256_add_ps(_mm256_loadu_ps(p), acc[i][v]));
            }
        }
    }
}

using TileFn = void (*)(const Walk&, __m256i, float*, std::int64_t);

template <int IT>
constexpr TileFn pick(int ov, bool tail) {
    if (ov == 2) return tail ? &tile<IT, 2, true> : &tile<IT, 2, false>;
    return tail ? &tile<IT, 1, true> : &tile<IT, 1, false>;
}

TileFn tile_for(int it, int ov, bool tail) {
    switch (it) {
        case 1:
            return pick<1>(ov, tail);
        case 2:
            return pick<2>(ov, tail);
        case 3:
            return pick<3>(ov, tail);
        case 4:
            return pick<4>(ov, tail);
        case 5:
            return pick<5>(ov, tail);
        default:
            return pick<6>(ov, tail);
    }
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
    return a >= 0 ? a / b : -((-a + b - 1) / b);
}

// The output positions o in [lo, hi) whose input cell o*s + k*d - pad lies in [0, size).
void valid_range(std::int64_t size, std::int64_t k, std::int64_t s, std::int64_t d,
                 std::int64_t pad, std::int64_t out, std::int64_t& lo, std::int64_t& hi) {
    const std::int64_t off = k * d - pad;
    lo = std::max<std::int64_t>(0, floor_div(-off + s - 1, s));
    hi = std::min<std::int64_t>(out, floor_div(size - 1 - off, s) + 1);
}

// c[0:channels, 0:OC] (row stride OC) += the walk's products, tile by tile; input channel j is
// read at w.a + off[j].
void walk_tiles(Walk w, const std::int64_t* off, std::int64_t channels, std::int64_t OC, float* c) {
    // Tiles of at most kTileIn channels, balanced: 9 channels go as 5 + 4, not 6 + 3 (a tile of
    // IT channels has 2 * IT independent accumulators to cover the FMA latency).
    const std::int64_t ntiles = (channels + kTileIn - 1) / kTileIn;
    for (std::int64_t t = 0, i0 = 0; t < ntiles; ++t) {
        const std::int64_t i1 = channels * (t + 1) / ntiles;
        const int it = static_cast<int>(i1 - i0);
        for (std::int64_t o0 = 0; o0 < OC; o0 += 16) {
            const std::int64_t rem = OC - o0;
            const int ov = rem > 8 ? 2 : 1;
            const std::int64_t last =
                rem >= 16 ? 8 : rem - 8 * std::int64_t{ov - 1};  // lanes of the last vector
            alignas(32) std::int32_t lanes[8];
            for (int j = 0; j < 8; ++j) lanes[j] = j < last ? -1 : 0;
            const __m256i mask = _mm256_load_si256(reinterpret_cast<const __m256i*>(lanes));
            w.off = off + i0;
            w.b = w.b + o0;
            tile_for(it, ov, last < 8)(w, mask, c + i0 * OC + o0, OC);
            w.b = w.b - o0;
        }
        i0 = i1;
    }
}

// Where the kernel taps fall inside the image, and the channel offset tables of the walks.
//
// At an output position whose every tap (kh, kw) reads inside the image, the KH * KW * IC inputs
// are at fixed offsets from the tap (0, 0) input, and the rows [kh, kw, ic] of dw are consecutive:
// the whole (kh, kw, ic) axis is one walk's channel axis (offsets in `all`), as if im2col had been
// done, without copying. Those positions form a rectangle, rows [all_rlo, all_rhi) x columns
// [all_lo, all_hi); the positions around it that padding leaves go tap by tap over IC contiguous
// channels (`ic`).
struct Taps {
    std::vector<std::int64_t> rlo, rhi;  // per kh: the output rows it reads inside the image
    std::vector<std::int64_t> lo, hi;    // per kw: the output columns
    std::int64_t all_rlo = 0, all_rhi = 0, all_lo = 0, all_hi = 0;
    std::vector<std::int64_t> all, ic;
};

Taps taps_of(const ConvGeometry& g) {
    Taps t;
    const auto kh = static_cast<std::size_t>(g.kh), kw = static_cast<std::size_t>(g.kw);
    t.rlo.resize(kh);
    t.rhi.resize(kh);
    t.lo.resize(kw);
    t.hi.resize(kw);
    t.all_rhi = g.oh;
    t.all_hi = g.ow;
    for (std::size_t k = 0; k < kh; ++k) {
        valid_range(g.ih, static_cast<std::int64_t>(k), g.sh, g.dh, g.pad_top, g.oh, t.rlo[k],
                    t.rhi[k]);
        t.all_rlo = std::max(t.all_rlo, t.rlo[k]);
        t.all_rhi = std::min(t.all_rhi, t.rhi[k]);
    }
    for (std::size_t k = 0; k < kw; ++k) {
        valid_range(g.iw, static_cast<std::int64_t>(k), g.sw, g.dw, g.pad_left, g.ow, t.lo[k],
                    t.hi[k]);
        t.all_lo = std::max(t.all_lo, t.lo[k]);
        t.all_hi = std::min(t.all_hi, t.hi[k]);
    }
    for (std::int64_t y = 0; y < g.kh; ++y) {
        for (std::int64_t x = 0; x < g.kw; ++x) {
            for (std::int64_t c = 0; c < g.ic; ++c)
                t.all.push_back((y * g.dh * g.iw + x * g.dw) * g.ic + c);
        }
    }
    for (std::int64_t c = 0; c < g.ic; ++c) t.ic.push_back(c);
    return t;
}

// Adds the weight gradient of output rows [oh0, oh1) of image n into dw.
void accumulate_block(const ConvGeometry& g, const Taps& t, const float* src, const float* dy,
                      std::int64_t n, std::int64_t oh0, std::int64_t oh1, float* dw) {
    const std::int64_t IC = g.ic, OC = g.oc;
    // One walk over output rows [r0, r1) x columns [c0, c1) from tap (kh, kw), over `channels`
    // input channels at offsets `off`, into dw rows from (kh, kw, 0) on.
    const auto walk = [&](std::int64_t kh, std::int64_t kw, std::int64_t r0, std::int64_t r1,
                          std::int64_t c0, std::int64_t c1, const std::vector<std::int64_t>& off) {
        if (r0 >= r1 || c0 >= c1) return;
        const std::int64_t ih = r0 * g.sh + kh * g.dh - g.pad_top;
        const std::int64_t iw = c0 * g.sw + kw * g.dw - g.pad_left;
        Walk w;
        w.a = src + ((n * g.ih + ih) * g.iw + iw) * IC;
        w.b = dy + ((n * g.oh + r0) * g.ow + c0) * OC;
        w.a_row = g.sh * g.iw * IC;
        w.a_col = g.sw * IC;
        w.b_row = g.ow * OC;
        w.b_col = OC;
        w.nrows = r1 - r0;
        w.ncols = c1 - c0;
        walk_tiles(w, off.data(), static_cast<std::int64_t>(off.size()), OC,
                   dw + (kh * g.kw + kw) * IC * OC);
    };
    const std::int64_t R0 = std::max(oh0, t.all_rlo), R1 = std::min(oh1, t.all_rhi);
    const bool interior = R0 < R1 && t.all_lo < t.all_hi;
    if (interior) walk(0, 0, R0, R1, t.all_lo, t.all_hi, t.all);
    for (std::int64_t kh = 0; kh < g.kh; ++kh) {
        const std::int64_t r0 = std::max(t.rlo[kh], oh0), r1 = std::min(t.rhi[kh], oh1);
        for (std::int64_t kw = 0; kw < g.kw; ++kw) {
            const std::int64_t c0 = t.lo[kw], c1 = t.hi[kw];
            if (!interior) {
                walk(kh, kw, r0, r1, c0, c1, t.ic);
                continue;
            }
            // The rectangle is inside every tap's range: what is left is above, below, left
            // and right of it.
            walk(kh, kw, r0, R0, c0, c1, t.ic);
            walk(kh, kw, R1, r1, c0, c1, t.ic);
            walk(kh, kw, R0, R1, c0, t.all_lo, t.ic);
            walk(kh, kw, R0, R1, t.all_hi, c1, t.ic);
        }
    }
}

// db[0:8*V] += the column sums of `rows` rows of 8*V floats, `stride` floats apart. The sums stay
// in registers, two sets for even and odd rows (a sum kept in db would be a load-add-store
// chain per row).
template <int V>
void column_sums(const float* dy, std::int64_t rows, std::int64_t stride, float* db) {
    __m256 even[V], odd[V];
    for (std::int64_t v = 0; v < V; ++v) even[v] = odd[v] = _mm256_setzero_ps();
    std::int64_t r = 0;
    for (; r + 2 <= rows; r += 2) {
        const float* p = dy + r * stride;
        for (std::int64_t v = 0; v < V; ++v) {
            even[v] = _mm256_add_ps(even[v], _mm256_loadu_ps(p + 8 * v));
            odd[v] = _mm256_add_ps(odd[v], _mm256_loadu_ps(p + stride + 8 * v));
        }
    }
    if (r < rows) {
        for (std::int64_t v = 0; v < V; ++v)
            even[v] = _mm256_add_ps(even[v], _mm256_loadu_ps(dy + r * stride + 8 * v));
    }
    for (std::int64_t v = 0; v < V; ++v) {
        const __m256 sum = _mm256_add_ps(even[v], odd[v]);
        _mm256_storeu_ps(db + 8 * v, _mm256_add_ps(_mm256_loadu_ps(db + 8 * v), sum));
    }
}

// db[0:OC] += the column sums of `rows` consecutive diff_dst rows of OC floats.
void add_column_sums(const float* dy, std::int64_t rows, std::int64_t OC, float* db) {
    std::int64_t j = 0;
    for (; j + 32 <= OC; j += 32) column_sums<4>(dy + j, rows, OC, db + j);
    if (j + 16 <= OC) {
        column_sums<2>(dy + j, rows, OC, db + j);
        j += 16;
    }
    for (; j + 8 <= OC; j += 8) column_sums<1>(dy + j, rows, OC, db + j);
    if (j == OC) return;
    float tail[8] = {};
    for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t k = j; k < OC; ++k) tail[k - j] += dy[r * OC + k];
    }
    for (std::int64_t k = j; k < OC; ++k) db[k] += tail[k - j];
}

}  // namespace

bool conv_backward_weights_direct(const ConvGeometry& g, const float* src, const float* diff_dst,
                                  float* diff_weights, float* diff_bias) {
    if (g.groups != 1) return false;
    const std::int64_t wsize = g.weights_size();
    std::fill(diff_weights, diff_weights + wsize, 0.0f);
    const std::int64_t blocks = (g.oh + kRowBlock - 1) / kRowBlock;
    const std::int64_t items = g.n * blocks;
    // Below ~1 MFLOP a team of threads costs more than it saves.
    const std::int64_t flops = 2 * g.n * g.oh * g.ow * g.kh * g.kw * g.ic * g.oc;
    const int threads =
        flops < (std::int64_t{1} << 20)
            ? 1
            : static_cast<int>(std::min<std::int64_t>(omp_get_max_threads(), items));
    // Per thread after the first: a weight gradient of wsize floats, then a bias gradient of OC.
    const std::int64_t stride = wsize + g.oc;
    std::vector<float> partial(static_cast<std::size_t>((threads - 1) * stride), 0.0f);
    if (diff_bias) std::fill(diff_bias, diff_bias + g.oc, 0.0f);
    const Taps taps = taps_of(g);
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
        float* dw = t == 0 ? diff_weights : partial.data() + (t - 1) * stride;
        float* db = t == 0 ? diff_bias : dw + wsize;
        // Contiguous ranges of work items, so a thread walks through its images in order.
        const std::int64_t begin = items * t / nt, end = items * (t + 1) / nt;
        for (std::int64_t item = begin; item < end; ++item) {
            const std::int64_t n = item / blocks, b = item % blocks;
            const std::int64_t oh0 = b * kRowBlock, oh1 = std::min(g.oh, oh0 + kRowBlock);
            accumulate_block(g, taps, src, diff_dst, n, oh0, oh1, dw);
            if (db) {
                add_column_sums(diff_dst + (n * g.oh + oh0) * g.ow * g.oc, (oh1 - oh0) * g.ow, g.oc,
                                db);
            }
        }
    }
    // The partial sums are added in thread order: a given thread count gives one result.
    for (int t = 1; t < threads; ++t) {
        const float* p = partial.data() + (t - 1) * stride;
#pragma omp simd
        for (std::int64_t i = 0; i < wsize; ++i) diff_weights[i] += p[i];
        if (!diff_bias) continue;
        for (std::int64_t j = 0; j < g.oc; ++j) diff_bias[j] += p[wsize + j];
    }
    return true;
}

#else

bool conv_backward_weights_direct(const ConvGeometry&, const float*, const float*, float*, float*) {
    return false;
}

#endif

}  // namespace tfc::kernels::cpu
