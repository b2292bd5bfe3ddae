// Convolutions on the oneDNN 2.6 convolution primitives. Per (geometry, bias) the cache holds
// the forward primitive and, once a backward pass asks for them, the backward-data and
// backward-weights primitives (hinted by the forward one). Source and destination stay in the
// caller's NHWC buffers: a blocked activation layout would need a reorder of every activation
// and gradient on every step. Weights are created with format_tag::any, so the primitive picks
// its preferred blocked layout; the Keras-layout weights are reordered into a buffer owned by the
// entry (a few KB per layer), and weight gradients are reordered back.
#include "tfc/kernels/cpu/conv_dnnl.h"

#include <omp.h>

#include <algorithm>
#include <array>
#include <map>
#include <memory>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <optional>
#include <unordered_map>
#include <vector>

namespace tfc::kernels::cpu {
namespace {

using dims = dnnl::memory::dims;
using tag = dnnl::memory::format_tag;
constexpr auto kF32 = dnnl::memory::data_type::f32;

using Key = std::array<std::int64_t, 19>;

Key key_of(const ConvGeometry& g, bool bias) {
    return {g.n,        g.ih,         g.iw,        g.ic,     g.oh, g.ow, g.oc,
            g.kh,       g.kw,         g.sh,        g.sw,     g.dh, g.dw, g.pad_top,
            g.pad_left, g.pad_bottom, g.pad_right, g.groups, bias};
}

// Weights as the primitive sees them, over the user's Keras buffer [kh, kw, ic/g, oc].
dnnl::memory::desc user_weights_md(const ConvGeometry& g) {
    const std::int64_t icg = g.ic / g.groups, ocg = g.oc / g.groups;
    if (g.groups == 1) return dnnl::memory::desc({g.oc, g.ic, g.kh, g.kw}, kF32, tag::hwio);
    // [groups, oc/g, ic/g, kh, kw] with Keras strides: group g's filters start at g * ocg.
    return dnnl::memory::desc({g.groups, ocg, icg, g.kh, g.kw}, kF32,
                              dims{ocg, 1, g.oc, g.kw * icg * g.oc, icg * g.oc});
}

dnnl::memory::desc any_weights_md(const ConvGeometry& g) {
    const std::int64_t icg = g.ic / g.groups, ocg = g.oc / g.groups;
    if (g.groups == 1) return dnnl::memory::desc({g.oc, g.ic, g.kh, g.kw}, kF32, tag::any);
    return dnnl::memory::desc({g.groups, ocg, icg, g.kh, g.kw}, kF32, tag::any);
}

// A reorder between the user's layout and the primitive's, with a buffer in the primitive's
// layout, or nothing when the two agree.
struct Staged {
    std::optional<dnnl::reorder> reorder;
    dnnl::memory buffer;  // in the primitive's layout (valid when reorder is set)
};

struct Entry {
    ConvGeometry g;
    bool has_bias = false;
    dnnl::memory::desc src_md, dst_md, bias_md, user_wei_md;
    dnnl::convolution_forward::primitive_desc fwd_pd;
    dnnl::convolution_forward fwd;
    Staged fwd_wei;  // user weights -> forward layout
    // The forward primitive with a ReLU post-op (created on first use).
    bool have_relu = false;
    dnnl::convolution_forward::primitive_desc fwd_relu_pd;
    dnnl::convolution_forward fwd_relu;
    Staged fwd_relu_wei;
    bool have_backward = false;
    dnnl::convolution_backward_data bwd_data;
    dnnl::convolution_backward_data::primitive_desc bwd_data_pd;
    Staged bwd_data_wei;  // user weights -> backward-data layout
    dnnl::convolution_backward_weights bwd_wei;
    dnnl::convolution_backward_weights::primitive_desc bwd_wei_pd;
    Staged bwd_wei_diff;  // backward-weights layout -> user layout
    std::mutex mu;        // the staging buffers are shared: one execution at a time
};

struct Context {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    std::map<Key, std::unique_ptr<Entry>> cache;
    std::mutex mu;
};

Context& ctx() {
    static Context* c = new Context();
    return *c;
}

// to_primitive: user -> primitive (weights); otherwise primitive -> user (weight gradients).
Staged stage(const dnnl::memory::desc& user, const dnnl::memory::desc& prim, bool to_primitive,
             const dnnl::engine& engine) {
    Staged s;
    if (user == prim) return s;
    s.buffer = dnnl::memory(prim, engine);
    s.reorder = to_primitive
                    ? dnnl::reorder(dnnl::reorder::primitive_desc(engine, user, engine, prim))
                    : dnnl::reorder(dnnl::reorder::primitive_desc(engine, prim, engine, user));
    return s;
}

dims strides_of(const ConvGeometry& g) { return {g.sh, g.sw}; }
dims dilates_of(const ConvGeometry& g) { return {g.dh - 1, g.dw - 1}; }  // oneDNN: 0 = dense
dims pad_l_of(const ConvGeometry& g) { return {g.pad_top, g.pad_left}; }
dims pad_r_of(const ConvGeometry& g) { return {g.pad_bottom, g.pad_right}; }

dnnl::convolution_forward::desc forward_desc(const Entry& e) {
    const ConvGeometry& g = e.g;
    const auto wei_any = any_weights_md(g);
    return e.has_bias ? dnnl::convolution_forward::desc(
                            dnnl::prop_kind::forward_training, dnnl::algorithm::convolution_direct,
                            e.src_md, wei_any, e.bias_md, e.dst_md, strides_of(g), dilates_of(g),
                            pad_l_of(g), pad_r_of(g))
                      : dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                                        dnnl::algorithm::convolution_direct,
                                                        e.src_md, wei_any, e.dst_md, strides_of(g),
                                                        dilates_of(g), pad_l_of(g), pad_r_of(g));
}

Entry& get(const ConvGeometry& g, bool has_bias) {
    Context& c = ctx();
    std::lock_guard<std::mutex> lock(c.mu);
    const Key key = key_of(g, has_bias);
    auto it = c.cache.find(key);
    if (it != c.cache.end()) return *it->second;
    auto e = std::make_unique<Entry>();
    e->g = g;
    e->has_bias = has_bias;
    e->src_md = dnnl::memory::desc({g.n, g.ic, g.ih, g.iw}, kF32, tag::nhwc);
    e->dst_md = dnnl::memory::desc({g.n, g.oc, g.oh, g.ow}, kF32, tag::nhwc);
    e->bias_md = dnnl::memory::desc({g.oc}, kF32, tag::a);
    e->user_wei_md = user_weights_md(g);
    e->fwd_pd = dnnl::convolution_forward::primitive_desc(forward_desc(*e), c.engine);
    e->fwd = dnnl::convolution_forward(e->fwd_pd);
    e->fwd_wei = stage(e->user_wei_md, e->fwd_pd.weights_desc(), true, c.engine);
    return *c.cache.emplace(key, std::move(e)).first->second;
}

dnnl::convolution_forward::desc forward_desc(const Entry& e);

void ensure_relu(Entry& e) {
    if (e.have_relu) return;
    Context& c = ctx();
    const dnnl::convolution_forward::desc d = forward_desc(e);
    dnnl::post_ops po;
    po.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    dnnl::primitive_attr attr;
    attr.set_post_ops(po);
    e.fwd_relu_pd = dnnl::convolution_forward::primitive_desc(d, attr, c.engine);
    e.fwd_relu = dnnl::convolution_forward(e.fwd_relu_pd);
    e.fwd_relu_wei = stage(e.user_wei_md, e.fwd_relu_pd.weights_desc(), true, c.engine);
    e.have_relu = true;
}

void ensure_backward(Entry& e) {
    if (e.have_backward) return;
    Context& c = ctx();
    const ConvGeometry& g = e.g;
    const auto wei_any = any_weights_md(g);
    dnnl::convolution_backward_data::desc dd(dnnl::algorithm::convolution_direct, e.src_md, wei_any,
                                             e.dst_md, strides_of(g), dilates_of(g), pad_l_of(g),
                                             pad_r_of(g));
    e.bwd_data_pd = dnnl::convolution_backward_data::primitive_desc(dd, c.engine, e.fwd_pd);
    e.bwd_data = dnnl::convolution_backward_data(e.bwd_data_pd);
    e.bwd_data_wei = stage(e.user_wei_md, e.bwd_data_pd.weights_desc(), true, c.engine);
    auto wd = e.has_bias ? dnnl::convolution_backward_weights::desc(
                               dnnl::algorithm::convolution_direct, e.src_md, wei_any, e.bias_md,
                               e.dst_md, strides_of(g), dilates_of(g), pad_l_of(g), pad_r_of(g))
                         : dnnl::convolution_backward_weights::desc(
                               dnnl::algorithm::convolution_direct, e.src_md, wei_any, e.dst_md,
                               strides_of(g), dilates_of(g), pad_l_of(g), pad_r_of(g));
    e.bwd_wei_pd = dnnl::convolution_backward_weights::primitive_desc(wd, c.engine, e.fwd_pd);
    e.bwd_wei = dnnl::convolution_backward_weights(e.bwd_wei_pd);
    e.bwd_wei_diff = stage(e.user_wei_md, e.bwd_wei_pd.diff_weights_desc(), false, c.engine);
    e.have_backward = true;
}

// The weights argument of a primitive: the user's buffer, or the staged copy after a reorder.
dnnl::memory weights_arg(Entry& e, Staged& s, const float* weights) {
    Context& c = ctx();
    dnnl::memory user(e.user_wei_md, c.engine, const_cast<float*>(weights));
    if (!s.reorder) return user;
    s.reorder->execute(c.stream, user, s.buffer);
    return s.buffer;
}

bool empty(const ConvGeometry& g) { return g.src_size() == 0 || g.dst_size() == 0; }

// out[j] = sum over rows of m[row, j], float32 accumulation in blocks of rows (as oneDNN does).
void bias_gradient(const float* m, std::int64_t rows, std::int64_t cols, float* out) {
    std::fill(out, out + cols, 0.0f);
    const auto add_rows = [&](std::int64_t lo, std::int64_t hi, float* acc) {
        for (std::int64_t r = lo; r < hi; ++r) {
            const float* row = m + r * cols;
#pragma omp simd
            for (std::int64_t j = 0; j < cols; ++j) acc[j] += row[j];
        }
    };
    const int threads = rows * cols >= (std::int64_t{1} << 16) ? omp_get_max_threads() : 1;
    if (threads <= 1) {
        add_rows(0, rows, out);
        return;
    }
    // Each thread sums a fixed block of rows; the partial sums are added in thread order, so
    // a given thread count always gives the same result.
    std::vector<float> partial(static_cast<std::size_t>(threads * cols), 0.0f);
    int used = 1;
#pragma omp parallel num_threads(threads)
    {
        const int t = omp_get_thread_num(), nt = omp_get_num_threads();
#pragma omp single
        used = nt;
        add_rows(rows * t / nt, rows * (t + 1) / nt, partial.data() + t * cols);
    }
    for (int t = 0; t < used; ++t) {
        for (std::int64_t j = 0; j < cols; ++j)
            out[j] += partial[static_cast<std::size_t>(t * cols + j)];
    }
}

}  // namespace

void conv_forward(const ConvGeometry& g, const float* src, const float* weights, const float* bias,
                  float* dst, bool relu) {
    if (empty(g) || g.weights_size() == 0) {
        ref::conv_forward(g, src, weights, bias, dst);
        if (relu) {
            for (std::int64_t i = 0; i < g.dst_size(); ++i) dst[i] = dst[i] > 0.0f ? dst[i] : 0.0f;
        }
        return;
    }
    Entry& e = get(g, bias != nullptr);
    std::lock_guard<std::mutex> lock(e.mu);
    if (relu) ensure_relu(e);
    Context& c = ctx();
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, dnnl::memory(e.src_md, c.engine, const_cast<float*>(src))},
        {DNNL_ARG_WEIGHTS, weights_arg(e, relu ? e.fwd_relu_wei : e.fwd_wei, weights)},
        {DNNL_ARG_DST, dnnl::memory(e.dst_md, c.engine, dst)}};
    if (bias)
        args.emplace(DNNL_ARG_BIAS, dnnl::memory(e.bias_md, c.engine, const_cast<float*>(bias)));
    (relu ? e.fwd_relu : e.fwd).execute(c.stream, args);
    c.stream.wait();
}

void conv_backward_data(const ConvGeometry& g, const float* diff_dst, const float* weights,
                        float* diff_src) {
    if (empty(g) || g.weights_size() == 0) {
        ref::conv_backward_data(g, diff_dst, weights, diff_src);
        return;
    }
    // Backward data does not depend on the bias: use the (common) entry with bias.
    Entry& e = get(g, true);
    std::lock_guard<std::mutex> lock(e.mu);
    ensure_backward(e);
    Context& c = ctx();
    e.bwd_data.execute(c.stream, {{DNNL_ARG_DIFF_DST,
                                   dnnl::memory(e.dst_md, c.engine, const_cast<float*>(diff_dst))},
                                  {DNNL_ARG_WEIGHTS, weights_arg(e, e.bwd_data_wei, weights)},
                                  {DNNL_ARG_DIFF_SRC, dnnl::memory(e.src_md, c.engine, diff_src)}});
    c.stream.wait();
}

void conv_backward_weights(const ConvGeometry& g, const float* src, const float* diff_dst,
                           float* diff_weights, float* diff_bias) {
    if (empty(g) || g.weights_size() == 0) {
        ref::conv_backward_weights(g, src, diff_dst, diff_weights, diff_bias);
        return;
    }
    if (conv_backward_weights_direct(g, src, diff_dst, diff_weights, diff_bias)) return;
    // The bias gradient is a column sum of diff_dst (NHWC rows of oc values), done here: oneDNN
    // 2.6's avx2 backward-weights primitive with a bias reduces it in plain C++ on NHWC data,
    // which measured slower than the whole sum below.
    if (diff_bias) bias_gradient(diff_dst, g.n * g.oh * g.ow, g.oc, diff_bias);
    Entry& e = get(g, false);
    std::lock_guard<std::mutex> lock(e.mu);
    ensure_backward(e);
    Context& c = ctx();
    dnnl::memory user(e.user_wei_md, c.engine, diff_weights);
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, dnnl::memory(e.src_md, c.engine, const_cast<float*>(src))},
        {DNNL_ARG_DIFF_DST, dnnl::memory(e.dst_md, c.engine, const_cast<float*>(diff_dst))},
        {DNNL_ARG_DIFF_WEIGHTS, e.bwd_wei_diff.reorder ? e.bwd_wei_diff.buffer : user}};
    e.bwd_wei.execute(c.stream, args);
    if (e.bwd_wei_diff.reorder)
        e.bwd_wei_diff.reorder->execute(c.stream, e.bwd_wei_diff.buffer, user);
    c.stream.wait();
}

std::size_t conv_cache_size() {
    std::lock_guard<std::mutex> lock(ctx().mu);
    return ctx().cache.size();
}

ConvImplInfo conv_impl_info(const ConvGeometry& g) {
    Entry& e = get(g, true);
    std::lock_guard<std::mutex> lock(e.mu);
    ensure_backward(e);
    return {e.fwd_pd.impl_info_str(), e.bwd_data_pd.impl_info_str(), e.bwd_wei_pd.impl_info_str()};
}

}  // namespace tfc::kernels::cpu
