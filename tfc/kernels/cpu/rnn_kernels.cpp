// float32 recurrent kernels on the oneDNN matmul (kernels/cpu/matmul_dnnl.cpp caches one
// primitive per shape, so the per-step h.U only binds pointers after the first step).
#include "tfc/kernels/cpu/rnn_kernels.h"

#include "tfc/kernels/cpu/cpu_kernels.h"

namespace tfc::kernels::cpu {
namespace {

void dnnl_gemm(const float* a, const float* b, float* dst, std::int64_t m, std::int64_t n,
               std::int64_t k, bool ta, bool tb, bool acc) {
    matmul(a, b, nullptr, dst, m, n, k, ta, tb, acc);
}

}  // namespace

void rnn_forward(const RnnDesc& d, const RnnForwardArgs<float>& a) {
    ref::rnn_forward<float>(d, a, &dnnl_gemm);
}

void rnn_backward(const RnnDesc& d, const RnnBackwardArgs<float>& a) {
    ref::rnn_backward<float>(d, a, &dnnl_gemm);
}

}  // namespace tfc::kernels::cpu
