// Batch normalisation on oneDNN 2.6 primitives (cached per geometry and flags) and layer
// normalisation as vectorised loops.
#include "tfc/kernels/cpu/batchnorm_dnnl.h"

#include <omp.h>

#include <cmath>
#include <map>
#include <mutex>
#include <tuple>
#include <unordered_map>
#include <vector>

#include <oneapi/dnnl/dnnl.hpp>

namespace tfc::kernels::cpu {
namespace {

enum class Kind : int { training, inference, backward_train, backward_inference };

// (kind, outer, c, inner, epsilon bits, scale, shift)
using Key = std::tuple<int, std::int64_t, std::int64_t, std::int64_t, float, bool, bool>;

struct Entry {
    dnnl::primitive prim;
    dnnl::memory::desc data_md, stat_md;
};

struct Context {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    std::map<Key, Entry> cache;
    std::mutex mu;
};

Context& ctx() {
    static Context* c = new Context();
    return *c;
}

dnnl::normalization_flags flags_of(bool scale, bool shift, bool global) {
    auto f = dnnl::normalization_flags::none;
    if (scale) f = f | dnnl::normalization_flags::use_scale;
    if (shift) f = f | dnnl::normalization_flags::use_shift;
    if (global) f = f | dnnl::normalization_flags::use_global_stats;
    return f;
}

Entry& get(Kind kind, const NormGeometry& g, bool scale, bool shift) {
    Context& c = ctx();
    std::lock_guard<std::mutex> lock(c.mu);
    const float eps = static_cast<float>(g.epsilon);
    const Key key{static_cast<int>(kind), g.outer, g.c, g.inner, eps, scale, shift};
    auto it = c.cache.find(key);
    if (it != c.cache.end()) return it->second;
    Entry e;
    using tag = dnnl::memory::format_tag;
    const auto f32 = dnnl::memory::data_type::f32;
    // [outer, c, inner] is oneDNN's plain "ncw" layout; channels-last (inner 1) is "nc".
    e.data_md = g.inner == 1 ? dnnl::memory::desc({g.outer, g.c}, f32, tag::nc)
                             : dnnl::memory::desc({g.outer, g.c, g.inner}, f32, tag::ncw);
    e.stat_md = dnnl::memory::desc({g.c}, f32, tag::a);
    const bool global = kind == Kind::inference || kind == Kind::backward_inference;
    const auto flags = flags_of(scale, shift, global);
    if (kind == Kind::inference) {
        dnnl::batch_normalization_forward::desc d(dnnl::prop_kind::forward_inference, e.data_md,
                                                  eps, flags);
        e.prim = dnnl::batch_normalization_forward(
            dnnl::batch_normalization_forward::primitive_desc(d, c.engine));
    } else {
        dnnl::batch_normalization_forward::desc fd(dnnl::prop_kind::forward_training, e.data_md,
                                                   eps, flags);
        dnnl::batch_normalization_forward::primitive_desc fpd(fd, c.engine);
        if (kind == Kind::training) {
            e.prim = dnnl::batch_normalization_forward(fpd);
        } else {
            const auto prop = (scale || shift) ? dnnl::prop_kind::backward
                                               : dnnl::prop_kind::backward_data;
            dnnl::batch_normalization_backward::desc bd(prop, e.data_md, e.data_md, eps, flags);
            e.prim = dnnl::batch_normalization_backward(
                dnnl::batch_normalization_backward::primitive_desc(bd, c.engine, fpd));
        }
    }
    return c.cache.emplace(key, std::move(e)).first->second;
}

dnnl::memory mem(const dnnl::memory::desc& md, const float* p) {
    return dnnl::memory(md, ctx().engine, const_cast<float*>(p));
}

void run(Entry& e, std::unordered_map<int, dnnl::memory>& args) {
    e.prim.execute(ctx().stream, args);
    ctx().stream.wait();
}

bool empty(const NormGeometry& g) { return g.outer * g.inner == 0 || g.c == 0; }

constexpr std::int64_t kParallelMin = 32768;

}  // namespace

void batch_norm_training_forward(const NormGeometry& g, const float* src, const float* gamma,
                                 const float* beta, float* dst, float* mean, float* variance) {
    if (empty(g)) {
        ref::batch_norm_stats(g, src, mean, variance);
        return;
    }
    Entry& e = get(Kind::training, g, gamma != nullptr, beta != nullptr);
    std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, mem(e.data_md, src)},
                                               {DNNL_ARG_DST, mem(e.data_md, dst)},
                                               {DNNL_ARG_MEAN, mem(e.stat_md, mean)},
                                               {DNNL_ARG_VARIANCE, mem(e.stat_md, variance)}};
    if (gamma) args.emplace(DNNL_ARG_SCALE, mem(e.stat_md, gamma));
    if (beta) args.emplace(DNNL_ARG_SHIFT, mem(e.stat_md, beta));
    run(e, args);
}

void batch_norm_inference_forward(const NormGeometry& g, const float* src, const float* mean,
                                  const float* variance, const float* gamma, const float* beta,
                                  float* dst) {
    if (empty(g)) return;
    Entry& e = get(Kind::inference, g, gamma != nullptr, beta != nullptr);
    std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, mem(e.data_md, src)},
                                               {DNNL_ARG_DST, mem(e.data_md, dst)},
                                               {DNNL_ARG_MEAN, mem(e.stat_md, mean)},
                                               {DNNL_ARG_VARIANCE, mem(e.stat_md, variance)}};
    if (gamma) args.emplace(DNNL_ARG_SCALE, mem(e.stat_md, gamma));
    if (beta) args.emplace(DNNL_ARG_SHIFT, mem(e.stat_md, beta));
    run(e, args);
}

void batch_norm_backward(const NormGeometry& g, const float* src, const float* mean,
                         const float* variance, const float* gamma, bool has_beta,
                         const float* grad_dst, bool batch_stats, float* grad_src,
                         float* grad_gamma, float* grad_beta) {
    if (empty(g)) {
        ref::batch_norm_backward(g, src, mean, variance, gamma, grad_dst, batch_stats, grad_src,
                                 grad_gamma, has_beta ? grad_beta : nullptr);
        return;
    }
    Entry& e = get(batch_stats ? Kind::backward_train : Kind::backward_inference, g,
                   gamma != nullptr, has_beta);
    std::unordered_map<int, dnnl::memory> args{{DNNL_ARG_SRC, mem(e.data_md, src)},
                                               {DNNL_ARG_MEAN, mem(e.stat_md, mean)},
                                               {DNNL_ARG_VARIANCE, mem(e.stat_md, variance)},
                                               {DNNL_ARG_DIFF_DST, mem(e.data_md, grad_dst)},
                                               {DNNL_ARG_DIFF_SRC, mem(e.data_md, grad_src)}};
    if (gamma) {
        args.emplace(DNNL_ARG_SCALE, mem(e.stat_md, gamma));
        args.emplace(DNNL_ARG_DIFF_SCALE, mem(e.stat_md, grad_gamma));
    }
    // oneDNN wants the shift bound as well; its values do not enter the gradients.
    std::vector<float> zero_shift;
    if (has_beta) {
        zero_shift.assign(static_cast<std::size_t>(g.c), 0.0f);
        args.emplace(DNNL_ARG_SHIFT, mem(e.stat_md, zero_shift.data()));
        args.emplace(DNNL_ARG_DIFF_SHIFT, mem(e.stat_md, grad_beta));
    }
    run(e, args);
}

std::size_t batch_norm_cache_size() {
    std::lock_guard<std::mutex> lock(ctx().mu);
    return ctx().cache.size();
}

void layer_norm_forward(const NormGeometry& g, const float* src, const float* gamma,
                        const float* beta, float* dst) {
    if (g.inner != 1) {
        ref::layer_norm_forward(g, src, gamma, beta, dst);
        return;
    }
    const std::int64_t n = g.c;
    const float eps = static_cast<float>(g.epsilon);
#pragma omp parallel for if (g.outer * n >= kParallelMin) schedule(static)
    for (std::int64_t r = 0; r < g.outer; ++r) {
        const float* s = src + r * n;
        float* d = dst + r * n;
        float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
        for (std::int64_t i = 0; i < n; ++i) sum += s[i];
        const float mu = sum / static_cast<float>(n);
        float sq = 0.0f;
#pragma omp simd reduction(+ : sq)
        for (std::int64_t i = 0; i < n; ++i) sq += (s[i] - mu) * (s[i] - mu);
        const float rstd = 1.0f / std::sqrt(sq / static_cast<float>(n) + eps);
#pragma omp simd
        for (std::int64_t i = 0; i < n; ++i) {
            d[i] = (s[i] - mu) * rstd * (gamma ? gamma[i] : 1.0f) + (beta ? beta[i] : 0.0f);
        }
    }
}

void layer_norm_backward(const NormGeometry& g, const float* src, const float* gamma,
                         const float* grad_dst, float* grad_src, float* grad_gamma,
                         float* grad_beta) {
    if (g.inner != 1) {
        ref::layer_norm_backward(g, src, gamma, grad_dst, grad_src, grad_gamma, grad_beta);
        return;
    }
    const std::int64_t n = g.c;
    const float eps = static_cast<float>(g.epsilon);
    const float inv_n = 1.0f / static_cast<float>(n);
    // Per-thread partial sums of grad_gamma / grad_beta, reduced at the end.
    const int threads = g.outer * n >= kParallelMin ? omp_get_max_threads() : 1;
    std::vector<float> part(static_cast<std::size_t>(threads) * 2 * n, 0.0f);
#pragma omp parallel num_threads(threads)
    {
        float* pg = part.data() + static_cast<std::size_t>(omp_get_thread_num()) * 2 * n;
        float* pb = pg + n;
#pragma omp for schedule(static)
        for (std::int64_t r = 0; r < g.outer; ++r) {
            const float* s = src + r * n;
            const float* gd = grad_dst + r * n;
            float* gs = grad_src + r * n;
            float sum = 0.0f;
#pragma omp simd reduction(+ : sum)
            for (std::int64_t i = 0; i < n; ++i) sum += s[i];
            const float mu = sum * inv_n;
            float sq = 0.0f;
#pragma omp simd reduction(+ : sq)
            for (std::int64_t i = 0; i < n; ++i) sq += (s[i] - mu) * (s[i] - mu);
            const float rstd = 1.0f / std::sqrt(sq * inv_n + eps);
            float sum_gh = 0.0f, sum_ghx = 0.0f;
#pragma omp simd reduction(+ : sum_gh, sum_ghx)
            for (std::int64_t i = 0; i < n; ++i) {
                const float xhat = (s[i] - mu) * rstd;
                const float gh = gd[i] * (gamma ? gamma[i] : 1.0f);
                sum_gh += gh;
                sum_ghx += gh * xhat;
                pg[i] += gd[i] * xhat;
                pb[i] += gd[i];
            }
#pragma omp simd
            for (std::int64_t i = 0; i < n; ++i) {
                const float xhat = (s[i] - mu) * rstd;
                const float gh = gd[i] * (gamma ? gamma[i] : 1.0f);
                gs[i] = rstd * (gh - sum_gh * inv_n - xhat * sum_ghx * inv_n);
            }
        }
    }
    for (std::int64_t i = 0; i < n; ++i) {
        float sg = 0.0f, sb = 0.0f;
        for (int t = 0; t < threads; ++t) {
            sg += part[static_cast<std::size_t>(t) * 2 * n + i];
            sb += part[static_cast<std::size_t>(t) * 2 * n + n + i];
        }
        if (grad_gamma) grad_gamma[i] = sg;
        if (grad_beta) grad_beta[i] = sb;
    }
}

}  // namespace tfc::kernels::cpu
