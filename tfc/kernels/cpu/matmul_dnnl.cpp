// matmul on the oneDNN 2.6 matmul primitive. Primitives are created once per
// (M, N, K, transposes, bias, accumulate, batch, threads) and cached together with their
// dnnl::memory objects; a call only swaps the data pointers and executes.
//
// The cache is per calling thread, so no lock is taken and the cached memory objects are never
// shared between concurrent calls. Products below kSerialFlops run on one thread: for them an
// OpenMP team costs more than it saves (and on a loaded machine a team of two waits a whole
// time slice for a parked thread).
#include <omp.h>

#include <map>
#include <tuple>

#include <oneapi/dnnl/dnnl.hpp>

#include "tfc/core/error.h"
#include "tfc/kernels/cpu/cpu_kernels.h"

namespace tfc::kernels::cpu {
namespace {

// 2 * M * N * K * batch below which a product runs on the calling thread only.
constexpr std::int64_t kSerialFlops = 1 << 20;

using Key = std::tuple<std::int64_t, std::int64_t, std::int64_t, bool, bool, bool, bool,
                       std::int64_t, int>;

struct Entry {
    dnnl::matmul prim;
    dnnl::memory a, b, bias, c;  // bias is empty without a bias
};

struct Context {
    dnnl::engine engine{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream{engine};
    std::map<Key, Entry> cache;
};

Context& ctx() {
    thread_local Context c;
    return c;
}

dnnl::memory::desc md(std::int64_t batch, std::int64_t rows, std::int64_t cols, bool transposed) {
    using dims = dnnl::memory::dims;
    // Logical [batch, rows, cols]; a transposed operand is stored as [batch, cols, rows].
    dims strides = transposed ? dims{rows * cols, 1, rows} : dims{rows * cols, cols, 1};
    return dnnl::memory::desc(dims{batch, rows, cols}, dnnl::memory::data_type::f32, strides);
}

Entry& get(Context& c, const Key& key) {
    auto it = c.cache.find(key);
    if (it != c.cache.end()) return it->second;
    const auto [m, n, k, ta, tb, has_bias, acc, batch, threads] = key;
    (void)threads;  // the caller has set the OpenMP thread count the primitive is planned for
    const dnnl::memory::desc a_md = md(batch, m, k, ta), b_md = md(batch, k, n, tb),
                             c_md = md(batch, m, n, false);
    dnnl::memory::desc bias_md;
    if (has_bias) {
        bias_md = dnnl::memory::desc({1, 1, n}, dnnl::memory::data_type::f32,
                                     dnnl::memory::format_tag::abc);
    }
    dnnl::primitive_attr attr;
    if (acc) {
        dnnl::post_ops po;
        po.append_sum(1.0f);
        attr.set_post_ops(po);
    }
    auto d = has_bias ? dnnl::matmul::desc(a_md, b_md, bias_md, c_md)
                      : dnnl::matmul::desc(a_md, b_md, c_md);
    dnnl::matmul::primitive_desc pd(d, attr, c.engine);
    Entry e;
    e.prim = dnnl::matmul(pd);
    // DNNL_MEMORY_NONE: no buffer is allocated; every call sets the handles.
    e.a = dnnl::memory(a_md, c.engine, DNNL_MEMORY_NONE);
    e.b = dnnl::memory(b_md, c.engine, DNNL_MEMORY_NONE);
    e.c = dnnl::memory(c_md, c.engine, DNNL_MEMORY_NONE);
    if (has_bias) e.bias = dnnl::memory(bias_md, c.engine, DNNL_MEMORY_NONE);
    return c.cache.emplace(key, std::move(e)).first->second;
}

// Sets the calling thread's OpenMP thread count for the lifetime of the object.
class ThreadCount {
public:
    explicit ThreadCount(int n) : saved_(omp_get_max_threads()) {
        if (n != saved_) omp_set_num_threads(n);
    }
    ~ThreadCount() {
        if (omp_get_max_threads() != saved_) omp_set_num_threads(saved_);
    }
    ThreadCount(const ThreadCount&) = delete;
    ThreadCount& operator=(const ThreadCount&) = delete;

private:
    int saved_;
};

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
    const bool serial = 2 * m * n * k * batch < kSerialFlops;
    const int threads = serial ? 1 : omp_get_max_threads();
    ThreadCount scope(threads);
    Context& c = ctx();
    Entry& e = get(c, Key{m, n, k, transpose_a, transpose_b, bias != nullptr, accumulate, batch,
                          threads});
    e.a.set_data_handle(const_cast<float*>(a));
    e.b.set_data_handle(const_cast<float*>(b));
    e.c.set_data_handle(dst);
    dnnl_exec_arg_t args[4] = {{DNNL_ARG_SRC, e.a.get()},
                               {DNNL_ARG_WEIGHTS, e.b.get()},
                               {DNNL_ARG_DST, e.c.get()},
                               {DNNL_ARG_BIAS, nullptr}};
    int nargs = 3;
    if (bias) {
        e.bias.set_data_handle(const_cast<float*>(bias));
        args[3].memory = e.bias.get();
        nargs = 4;
    }
    const dnnl_status_t run = dnnl_primitive_execute(e.prim.get(), c.stream.get(), nargs, args);
    TFC_ASSERT(run == dnnl_success);
    const dnnl_status_t wait = dnnl_stream_wait(c.stream.get());
    TFC_ASSERT(wait == dnnl_success);
}

std::size_t matmul_cache_size() { return ctx().cache.size(); }

}  // namespace tfc::kernels::cpu
