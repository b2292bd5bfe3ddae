// Per-layer timings of the convolutions in the cnn and img reference models (batch 32): forward
// (with the fused ReLU the layers use), backward data and backward weights + bias, each as
// GFLOP/s (2 x MACs per pass). A diagnostic for kernel work; the model benches are the targets.
//
//   build/bench/bench/bench_conv_layers [--runs N] [--min-seconds S]
//
// Threads follow OMP_NUM_THREADS. Each pass is timed for at least --min-seconds (after one
// warm-up call) and the median of --runs such timings is printed.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <string>
#include <vector>

#include "tfc/core/random.h"
#include "tfc/kernels/cpu/conv_dnnl.h"

namespace {

using tfc::kernels::ConvGeometry;

struct Layer {
    const char* name;
    ConvGeometry g;
    bool backward_data;  // the first layer of a model has no input gradient
};

ConvGeometry valid3x3(std::int64_t n, std::int64_t hw, std::int64_t ic, std::int64_t oc) {
    ConvGeometry g;
    g.n = n;
    g.ih = g.iw = hw;
    g.ic = ic;
    g.oh = g.ow = hw - 2;
    g.oc = oc;
    g.kh = g.kw = 3;
    return g;
}

// Seconds per call: calls repeated until min_seconds have passed, median over runs.
double time_call(const std::function<void()>& f, int runs, double min_seconds) {
    using clock = std::chrono::steady_clock;
    f();
    std::vector<double> t;
    for (int r = 0; r < runs; ++r) {
        const auto start = clock::now();
        int calls = 0;
        double elapsed = 0;
        do {
            f();
            ++calls;
            elapsed = std::chrono::duration<double>(clock::now() - start).count();
        } while (elapsed < min_seconds);
        t.push_back(elapsed / calls);
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}

std::vector<float> random_values(std::int64_t n, std::uint64_t seed) {
    tfc::Generator gen(seed);
    std::vector<float> v(static_cast<std::size_t>(n));
    for (float& x : v) x = static_cast<float>(gen.uniform(-1.0, 1.0));
    return v;
}

}  // namespace

int main(int argc, char** argv) {
    int runs = 3;
    double min_seconds = 0.5;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--runs" && i + 1 < argc) {
            runs = std::max(1, std::atoi(argv[++i]));
        } else if (a == "--min-seconds" && i + 1 < argc) {
            min_seconds = std::atof(argv[++i]);
        } else {
            std::fprintf(stderr,
                         "[bench_conv_layers] unknown argument. Got \"%s\", expected --runs N or "
                         "--min-seconds S. Fix: see the usage at the top of conv_layers.cpp.\n",
                         a.c_str());
            return 2;
        }
    }
    const std::vector<Layer> layers = {
        {"cnn conv 28x28x1->32", valid3x3(32, 28, 1, 32), false},
        {"cnn conv 13x13x32->64", valid3x3(32, 13, 32, 64), true},
        {"img conv 150x150x3->16", valid3x3(32, 150, 3, 16), false},
        {"img conv 74x74x16->32", valid3x3(32, 74, 16, 32), true},
        {"img conv 36x36x32->64", valid3x3(32, 36, 32, 64), true},
    };
    std::printf("%-24s %10s %8s %10s %8s %10s %8s\n", "layer", "fwd ms", "GFLOP/s", "bwd-d ms",
                "GFLOP/s", "bwd-w ms", "GFLOP/s");
    for (const Layer& l : layers) {
        const ConvGeometry& g = l.g;
        const auto src = random_values(g.src_size(), 1), w = random_values(g.weights_size(), 2);
        const auto bias = random_values(g.oc, 3), dy = random_values(g.dst_size(), 4);
        std::vector<float> dst(static_cast<std::size_t>(g.dst_size()));
        std::vector<float> dsrc(static_cast<std::size_t>(g.src_size()));
        std::vector<float> dw(static_cast<std::size_t>(g.weights_size()));
        std::vector<float> db(static_cast<std::size_t>(g.oc));
        namespace cpu = tfc::kernels::cpu;
        const double gflop = 2.0 * static_cast<double>(g.dst_size() * g.kh * g.kw * g.ic) * 1e-9;
        const double fwd = time_call(
            [&] { cpu::conv_forward(g, src.data(), w.data(), bias.data(), dst.data(), true); },
            runs, min_seconds);
        const double bwd_d =
            l.backward_data
                ? time_call([&] { cpu::conv_backward_data(g, dy.data(), w.data(), dsrc.data()); },
                            runs, min_seconds)
                : 0.0;
        const double bwd_w = time_call(
            [&] { cpu::conv_backward_weights(g, src.data(), dy.data(), dw.data(), db.data()); },
            runs, min_seconds);
        std::printf("%-24s %10.3f %8.1f ", l.name, fwd * 1e3, gflop / fwd);
        if (l.backward_data)
            std::printf("%10.3f %8.1f ", bwd_d * 1e3, gflop / bwd_d);
        else
            std::printf("%10s %8s ", "-", "-");
        std::printf("%10.3f %8.1f\n", bwd_w * 1e3, gflop / bwd_w);
    }
    return 0;
}
