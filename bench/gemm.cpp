// bench_gemm: GFLOP/s of tfc's sgemm-shaped matmul (tfc::kernels::cpu::matmul, the cached
// oneDNN 2.6 matmul primitive) at the thread count OMP_NUM_THREADS gives this process.
//
// Shapes: large square-ish products (compute-bound, measure the kernel against the core's FMA
// peak) and the products one training step of the reference MLP makes (Flatten 28x28 -> Dense 128
// -> Dense 10, batch 32; small, so they measure call overhead as much as arithmetic).
// A tiny AVX2 FMA loop measures the machine's own single-precision peak for comparison.
//
// Output: one human line per shape, then machine lines "RESULT <key> <value>" that bench/run
// collects across runs. Flags: --quick (fewer repetitions), --peak (only the FMA loop),
// --ceiling (the FMA loop and the large shapes: the sgemm ceiling the conv benches compare to).
#include <immintrin.h>
#include <omp.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "tfc/core/random.h"
#include "tfc/kernels/cpu/cpu_kernels.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Shape3 {
    const char* key;    // RESULT key
    const char* label;  // human description
    std::int64_t m, n, k;
    bool ta, tb, bias;
};

std::vector<float> random_floats(tfc::Generator& gen, std::int64_t count) {
    std::vector<float> v(static_cast<std::size_t>(count));
    for (auto& x : v) x = static_cast<float>(gen.uniform(-1.0, 1.0));
    return v;
}

// Median GFLOP/s over `samples` timed chunks; each chunk repeats the product until it has run
// for at least `min_chunk_s` seconds, so short products are timed over many calls.
double bench_shape(const Shape3& s, int samples, double min_chunk_s) {
    tfc::Generator gen(1234);
    const std::vector<float> a = random_floats(gen, s.m * s.k);
    const std::vector<float> b = random_floats(gen, s.k * s.n);
    const std::vector<float> bias = random_floats(gen, s.n);
    std::vector<float> dst(static_cast<std::size_t>(s.m * s.n));
    auto call = [&] {
        tfc::kernels::cpu::matmul(a.data(), b.data(), s.bias ? bias.data() : nullptr, dst.data(),
                                  s.m, s.n, s.k, s.ta, s.tb, false);
    };
    // Warm-up: creates and caches the primitive, faults in the pages, spins up the threads.
    const auto w0 = Clock::now();
    int calls = 0;
    do {
        call();
        ++calls;
    } while (calls < 3 || seconds_since(w0) < 0.05);
    const double per_call = seconds_since(w0) / calls;
    const int reps = std::max(1, static_cast<int>(min_chunk_s / std::max(per_call, 1e-9)));
    const double flops = 2.0 * static_cast<double>(s.m) * s.n * s.k;
    std::vector<double> gflops;
    for (int i = 0; i < samples; ++i) {
        const auto t0 = Clock::now();
        for (int r = 0; r < reps; ++r) call();
        gflops.push_back(flops * reps / seconds_since(t0) / 1e9);
    }
    return median(gflops);
}

// Single-precision FMA peak of this machine: each thread runs independent 8-wide FMA chains,
// enough of them to cover FMA latency on both FMA pipes. Returns GFLOP/s for all threads.
double fma_peak(int threads, int samples) {
#if defined(__FMA__) && defined(__AVX2__)
    constexpr std::int64_t kIters = 20'000'000;
    std::vector<double> rates;
    float sink = 0.0f;
    for (int s = 0; s < samples; ++s) {
        const auto t0 = Clock::now();
#pragma omp parallel num_threads(threads) reduction(+ : sink)
        {
            __m256 acc[10];
            for (int j = 0; j < 10; ++j) acc[j] = _mm256_set1_ps(0.001f * (j + 1));
            const __m256 mul = _mm256_set1_ps(0.999999f);
            const __m256 add = _mm256_set1_ps(1e-7f);
            for (std::int64_t i = 0; i < kIters / 10; ++i) {
                for (int j = 0; j < 10; ++j) acc[j] = _mm256_fmadd_ps(acc[j], mul, add);
            }
            __m256 total = acc[0];
            for (int j = 1; j < 10; ++j) total = _mm256_add_ps(total, acc[j]);
            float out[8];
            _mm256_storeu_ps(out, total);
            sink += out[0];
        }
        const double flops = 2.0 * 8.0 * static_cast<double>(kIters / 10 * 10) * threads;
        rates.push_back(flops / seconds_since(t0) / 1e9);
    }
    if (sink == 12345.0f) std::printf(" ");  // keep the loop alive
    return median(rates);
#else
    (void)threads;
    (void)samples;
    return 0.0;
#endif
}

}  // namespace

int main(int argc, char** argv) {
    bool quick = false, peak_only = false, ceiling_only = false;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--quick") == 0) quick = true;
        if (std::strcmp(argv[i], "--peak") == 0) peak_only = true;  // the FMA loop only
        if (std::strcmp(argv[i], "--ceiling") == 0) ceiling_only = true;
    }
    const int threads = tfc::kernels::cpu::num_threads();
    const int samples = quick ? 3 : 7;

    const std::vector<Shape3> big = {
        {"sq1024", "1024x1024x1024", 1024, 1024, 1024, false, false, false},
        {"sq2048", "2048x2048x2048", 2048, 2048, 2048, false, false, false},
        {"rect", "1024x4096x512 (M,N,K)", 1024, 4096, 512, false, false, false},
    };
    // One training step of Flatten(28x28) -> Dense(128, relu) -> Dense(10, softmax), batch 32,
    // with the transposes tfc's dense op uses (ops/matmul.cpp).
    const std::vector<Shape3> mlp = {
        {"mlp_fwd1", "fwd  x.W1+b     32x128x784", 32, 128, 784, false, false, true},
        {"mlp_fwd2", "fwd  h.W2+b     32x10x128", 32, 10, 128, false, false, true},
        {"mlp_dw2", "bwd  h^T.g2    128x10x32 (ta)", 128, 10, 32, true, false, false},
        {"mlp_dh", "bwd  g2.W2^T    32x128x10 (tb)", 32, 128, 10, false, true, false},
        {"mlp_dw1", "bwd  x^T.g1    784x128x32 (ta)", 784, 128, 32, true, false, false},
        {"mlp_dx", "bwd  g1.W1^T    32x784x128 (tb, unused dX)", 32, 784, 128, false, true, false},
    };

    std::printf("tfc matmul (oneDNN 2.6), %d thread(s)\n", threads);
    const double peak = fma_peak(threads, quick ? 3 : 5);
    std::printf("  %-40s %8.1f GFLOP/s\n", "AVX2 FMA loop (machine peak)", peak);
    std::printf("RESULT fma_peak %.3f\n", peak);
    if (peak_only) return 0;
    double best_big = 0.0;
    for (const auto& s : big) {
        const double g = bench_shape(s, samples, quick ? 0.15 : 0.3);
        best_big = std::max(best_big, g);
        std::printf("  %-40s %8.1f GFLOP/s  (%.0f%% of FMA loop)\n", s.label, g,
                    peak > 0 ? 100.0 * g / peak : 0.0);
        std::printf("RESULT %s %.3f\n", s.key, g);
    }
    std::printf("RESULT big_best %.3f\n", best_big);
    if (ceiling_only) return 0;
    double step_flops = 0.0, step_seconds = 0.0;
    for (const auto& s : mlp) {
        const double g = bench_shape(s, samples, quick ? 0.05 : 0.1);
        const double flops = 2.0 * static_cast<double>(s.m) * s.n * s.k;
        const double us = flops / (g * 1e9) * 1e6;
        if (std::strcmp(s.key, "mlp_dx") != 0) {
            step_flops += flops;
            step_seconds += us * 1e-6;
        }
        std::printf("  %-40s %8.1f GFLOP/s  %7.2f us/call\n", s.label, g, us);
        std::printf("RESULT %s %.3f\n", s.key, g);
    }
    // The five products a step needs (dX of the first layer is not computed by tfc).
    std::printf("  %-40s %8.1f GFLOP/s  %7.2f us/step -> %.0f samples/s matmul-only bound\n",
                "mlp step matmuls (5 products)", step_flops / step_seconds / 1e9,
                step_seconds * 1e6, 32.0 / step_seconds);
    std::printf("RESULT mlp_step_us %.3f\n", step_seconds * 1e6);
    return 0;
}
