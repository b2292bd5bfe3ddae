// matmul on the oneDNN 2.6 matmul primitive. Primitives are created once per
// (M, N, K, transposes, bias, accumulate, batch) and cached; each call only binds pointers.
#include <map>
#include <unordered_map>
#include <mutex>
#include <tuple>

#include <oneapi/dnnl/dnnl.hpp>

#include "tfc/core/error.h"
#include "tfc/kernels/cpu/cpu_kernels.h"

namespace tfc::kernels::cpu {
namespace {

using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t, bool, bool, bool, bool,
                       std::int64_t>;

struct Entry {
    dnnl::matmul prim;
    dnnl::memory::desc a_md, b_md, bias_md, c_md;
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

dnnl::memory::desc md(std::int64_t batch, std::int64_t rows, std::int64_t cols, bool transposed) {
    using dims = dnnl::memory::dims;
    // Logical [batch, rows, cols]; a transposed operand is stored as [batch, cols, rows].
    dims strides = transposed ? dims{rows * cols, 1, rows} : dims{rows * cols, cols, 1};
    return dnnl::memory::desc(dims{batch, rows, cols}, dnnl::memory::data_type::f32, strides);
}

Entry& get(const Key& key) {
    Context& c = ctx();
    std::lock_guard<std::mutex> lock(c.mu);
    auto it = c.cache.find(key);
    if (it != c.cache.end()) return it->second;
    const auto [m, n, k, ta, tb, has_bias, acc, batch] = key;
    Entry e;
    e.a_md = md(batch, m, k, ta);
    e.b_md = md(batch, k, n, tb);
    e.c_md = md(batch, m, n, false);
    if (has_bias) {
        e.bias_md = dnnl::memory::desc({1, 1, n}, dnnl::memory::data_type::f32,
                                       dnnl::memory::format_tag::abc);
    }
    dnnl::primitive_attr attr;
    if (acc) {
        dnnl::post_ops po;
        po.append_sum(1.0f);
        attr.set_post_ops(po);
    }
    auto d = has_bias ? dnnl::matmul::desc(e.a_md, e.b_md, e.bias_md, e.c_md)
                      : dnnl::matmul::desc(e.a_md, e.b_md, e.c_md);
    dnnl::matmul::primitive_desc pd(d, attr, c.engine);
    e.prim = dnnl::matmul(pd);
    return c.cache.emplace(key, std::move(e)).first->second;
}

}  // namespace

void matmul(const float* a, const float* b, const float* bias, float* dst, std::int64_t m,
            std::int64_t n, std::int64_t k, bool transpose_a, bool transpose_b, bool accumulate,
            std::int64_t batch) {
    if (m == 0 || n == 0) return;
    if (k == 0) {  // empty product: dst = bias (+ dst)
        for (std::int64_t i = 0; i < batch * m * n; ++i) {
            dst[i] = (accumulate ? dst[i] : 0.0f) + (bias ? bias[i % n] : 0.0f);
        }
        return;
    }
    Entry& e = get(Key{m, n, k, transpose_a, transpose_b, bias != nullptr, accumulate, batch});
    Context& c = ctx();
    dnnl::memory am(e.a_md, c.engine, const_cast<float*>(a));
    dnnl::memory bm(e.b_md, c.engine, const_cast<float*>(b));
    dnnl::memory cm(e.c_md, c.engine, dst);
    std::unordered_map<int, dnnl::memory> args{
        {DNNL_ARG_SRC, am}, {DNNL_ARG_WEIGHTS, bm}, {DNNL_ARG_DST, cm}};
    if (bias) args.emplace(DNNL_ARG_BIAS, dnnl::memory(e.bias_md, c.engine, const_cast<float*>(bias)));
    e.prim.execute(c.stream, args);
    c.stream.wait();
}

std::size_t matmul_cache_size() {
    std::lock_guard<std::mutex> lock(ctx().mu);
    return ctx().cache.size();
}

}  // namespace tfc::kernels::cpu
