// Average pooling on the oneDNN 2.6 pooling primitives. A primitive is created once per
// (geometry, propagation) and cached; each call only binds pointers. Max pooling is in
// max_pool.cpp.
#include "tfc/kernels/cpu/pool_dnnl.h"

#include <map>
#include <mutex>
#include <oneapi/dnnl/dnnl.hpp>
#include <tuple>
#include <unordered_map>

namespace tfc::kernels::cpu {
namespace {

enum class Kind : int { avg_forward, avg_backward };

using Key = std::tuple<int, std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                       std::int64_t, std::int64_t, std::int64_t, std::int64_t, std::int64_t,
                       std::int64_t, std::int64_t, std::int64_t, std::int64_t>;

struct Entry {
    dnnl::primitive prim;
    dnnl::memory::desc src_md, dst_md;
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

Key key_of(Kind kind, const PoolGeometry& g) {
    return Key{static_cast<int>(kind),
               g.n,
               g.h,
               g.w,
               g.c,
               g.oh,
               g.ow,
               g.kh,
               g.kw,
               g.sh,
               g.sw,
               g.pad_top,
               g.pad_left,
               g.pad_bottom,
               g.pad_right};
}

dnnl::memory::desc nhwc(std::int64_t n, std::int64_t c, std::int64_t h, std::int64_t w) {
    return dnnl::memory::desc({n, c, h, w}, dnnl::memory::data_type::f32,
                              dnnl::memory::format_tag::nhwc);
}

dnnl::pooling_forward::primitive_desc forward_pd(const PoolGeometry& g, dnnl::algorithm alg,
                                                 dnnl::prop_kind prop, const dnnl::engine& e) {
    dnnl::pooling_forward::desc d(prop, alg, nhwc(g.n, g.c, g.h, g.w), nhwc(g.n, g.c, g.oh, g.ow),
                                  {g.sh, g.sw}, {g.kh, g.kw}, {g.pad_top, g.pad_left},
                                  {g.pad_bottom, g.pad_right});
    return dnnl::pooling_forward::primitive_desc(d, e);
}

Entry& get(Kind kind, const PoolGeometry& g) {
    Context& c = ctx();
    std::lock_guard<std::mutex> lock(c.mu);
    const Key key = key_of(kind, g);
    auto it = c.cache.find(key);
    if (it != c.cache.end()) return it->second;
    const auto alg = dnnl::algorithm::pooling_avg_exclude_padding;
    Entry e;
    e.src_md = nhwc(g.n, g.c, g.h, g.w);
    e.dst_md = nhwc(g.n, g.c, g.oh, g.ow);
    if (kind == Kind::avg_forward) {
        e.prim =
            dnnl::pooling_forward(forward_pd(g, alg, dnnl::prop_kind::forward_inference, c.engine));
    } else {
        auto fwd = forward_pd(g, alg, dnnl::prop_kind::forward_training, c.engine);
        dnnl::pooling_backward::desc d(alg, e.src_md, e.dst_md, {g.sh, g.sw}, {g.kh, g.kw},
                                       {g.pad_top, g.pad_left}, {g.pad_bottom, g.pad_right});
        e.prim = dnnl::pooling_backward(dnnl::pooling_backward::primitive_desc(d, c.engine, fwd));
    }
    return c.cache.emplace(key, std::move(e)).first->second;
}

void run(Entry& e, std::unordered_map<int, dnnl::memory>& args) {
    Context& c = ctx();
    e.prim.execute(c.stream, args);
    c.stream.wait();
}

bool empty(const PoolGeometry& g) {
    return g.n == 0 || g.c == 0 || g.h == 0 || g.w == 0 || g.oh == 0 || g.ow == 0;
}

}  // namespace

void avg_pool_forward(const PoolGeometry& g, const float* src, float* dst) {
    if (empty(g)) return;
    Entry& e = get(Kind::avg_forward, g);
    const dnnl::engine& eng = ctx().engine;
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, dnnl::memory(e.src_md, eng, const_cast<float*>(src))},
        {DNNL_ARG_DST, dnnl::memory(e.dst_md, eng, dst)}};
    run(e, args);
}

void avg_pool_backward(const PoolGeometry& g, const float* grad_dst, float* grad_src) {
    if (empty(g)) {
        for (std::int64_t i = 0; i < g.n * g.h * g.w * g.c; ++i) grad_src[i] = 0.0f;
        return;
    }
    Entry& e = get(Kind::avg_backward, g);
    const dnnl::engine& eng = ctx().engine;
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_DIFF_DST, dnnl::memory(e.dst_md, eng, const_cast<float*>(grad_dst))},
        {DNNL_ARG_DIFF_SRC, dnnl::memory(e.src_md, eng, grad_src)}};
    run(e, args);
}

std::size_t pool_cache_size() {
    std::lock_guard<std::mutex> lock(ctx().mu);
    return ctx().cache.size();
}

}  // namespace tfc::kernels::cpu
