// bench_mlp: training throughput of the reference MLP in tfc, at the thread count OMP_NUM_THREADS
// gives this process. The PyTorch peer is bench/peers/torch_mlp.py; bench/run mlp runs both.
//
//   Sequential({Flatten({.input_shape = {28, 28}}), Dense(128, {.activation = "relu"}),
//               Dense(10, {.activation = "softmax"})})
//   compile("adam", "sparse_categorical_crossentropy", {"accuracy"})
//
// Data: 60,000 random images in [0, 1) and labels in [0, 10) from a fixed seed, cut in order into
// batches of 32 (no shuffling). Timed: model.train_on_batch on consecutive batches (forward,
// loss, backward, Adam update, loss and accuracy read back), after a warm-up, as the median of a
// few timed chunks. --fit also times one model.fit epoch over the 60,000 samples (batching
// included). --profile splits the step into its phases with timers (see print_profile).
//
// Output: human lines, then machine lines "RESULT <key> <value>" that bench/run collects.
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "tfc/autograd/tape.h"
#include "tfc/core/random.h"
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/layers/layers.h"
#include "tfc/training/sequential.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

// CPU time of the whole process (all threads). On 1 thread it is the wall time the step would
// take on an idle core, so it stays meaningful when other work shares the machine.
double process_cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Options {
    int steps = 1500;   // timed steps per chunk
    int warmup = 200;   // untimed steps first
    int samples = 3;    // timed chunks; the median counts
    double max_seconds = 4.0;  // a chunk also ends after this long (busy machines)
    std::int64_t batch_size = 32;
    std::int64_t n = 60000;
    bool fit = false;
    bool profile = false;
};

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> double {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "[bench_mlp] %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return std::atof(argv[++i]);
        };
        if (a == "--steps") o.steps = static_cast<int>(value());
        else if (a == "--warmup") o.warmup = static_cast<int>(value());
        else if (a == "--samples") o.samples = static_cast<int>(value());
        else if (a == "--batch-size") o.batch_size = static_cast<std::int64_t>(value());
        else if (a == "--max-seconds") o.max_seconds = value();
        else if (a == "--fit") o.fit = true;
        else if (a == "--profile") o.profile = true;
        else {
            std::fprintf(stderr,
                         "usage: bench_mlp [--steps N] [--warmup N] [--samples N] "
                         "[--batch-size N] [--max-seconds S] [--fit] [--profile]\n");
            std::exit(2);
        }
    }
    return o;
}

tfc::Sequential make_model() {
    using namespace tfc;
    return Sequential({Flatten({.input_shape = {28, 28}}), Dense(128, {.activation = "relu"}),
                       Dense(10, {.activation = "softmax"})});
}

struct Data {
    tfc::Tensor x, y;                    // the whole set
    std::vector<tfc::Tensor> xb, yb;     // cut into batches, in order
};

Data make_data(const Options& o) {
    tfc::Generator gen(42);
    Data d;
    d.x = tfc::Tensor::empty({o.n, 28, 28});
    d.y = tfc::Tensor::empty({o.n}, tfc::DType::int64);
    float* xp = d.x.data<float>();
    std::int64_t* yp = d.y.data<std::int64_t>();
    for (std::int64_t i = 0; i < o.n * 784; ++i) xp[i] = static_cast<float>(gen.uniform());
    for (std::int64_t i = 0; i < o.n; ++i) yp[i] = gen.randint(10);
    for (std::int64_t lo = 0; lo + o.batch_size <= o.n; lo += o.batch_size) {
        tfc::Tensor xb = tfc::Tensor::empty({o.batch_size, 28, 28});
        tfc::Tensor yb = tfc::Tensor::empty({o.batch_size}, tfc::DType::int64);
        std::memcpy(xb.data<float>(), xp + lo * 784, sizeof(float) * o.batch_size * 784);
        std::memcpy(yb.data<std::int64_t>(), yp + lo, sizeof(std::int64_t) * o.batch_size);
        d.xb.push_back(xb);
        d.yb.push_back(yb);
    }
    return d;
}

// The step, split into phases the way Model::train_on_batch runs them (training/model.cpp):
// forward (layers under a tape), loss, backward (tape.gradient) and optimizer are timed directly;
// "rest" is the measured train_on_batch time minus those four (input checks, loss.item(), the
// accuracy metric, the logs).
void print_profile(tfc::Sequential& model, const Data& d, const Options& o, double step_us) {
    using namespace tfc;
    std::vector<Tensor> vars = model.trainable_weights();
    Optimizer& opt = model.optimizer();
    const int steps = std::max(500, o.steps);
    std::vector<double> t_fwd, t_loss, t_bwd, t_opt;
    double sink = 0.0;
    for (int rep = 0; rep < o.samples; ++rep) {
        double fwd = 0, loss_s = 0, bwd = 0, upd = 0;
        for (int s = 0; s < steps; ++s) {
            const std::size_t b = static_cast<std::size_t>(s) % d.xb.size();
            std::vector<Tensor> grads;
            {
                autograd::GradientTape tape;
                auto t0 = Clock::now();
                Tensor y_pred = model.call(d.xb[b], true);
                auto t1 = Clock::now();
                Tensor loss = (*model.loss())(d.yb[b], y_pred);
                auto t2 = Clock::now();
                grads = tape.gradient(loss, vars);
                auto t3 = Clock::now();
                fwd += std::chrono::duration<double>(t1 - t0).count();
                loss_s += std::chrono::duration<double>(t2 - t1).count();
                bwd += std::chrono::duration<double>(t3 - t2).count();
                sink += loss.item();
            }
            auto t3 = Clock::now();
            opt.apply_gradients(grads, vars);
            upd += seconds_since(t3);
        }
        t_fwd.push_back(fwd / steps * 1e6);
        t_loss.push_back(loss_s / steps * 1e6);
        t_bwd.push_back(bwd / steps * 1e6);
        t_opt.push_back(upd / steps * 1e6);
    }
    const double f = median(t_fwd), l = median(t_loss), b = median(t_bwd), u = median(t_opt);
    const double rest = std::max(0.0, step_us - (f + l + b + u));
    auto line = [&](const char* what, double us) {
        std::printf("  %-52s %8.1f us  %5.1f%%\n", what, us, 100.0 * us / step_us);
    };
    std::printf("profile (median us per step over %d x %d steps; train_on_batch = %.1f us)\n",
                o.samples, steps, step_us);
    line("forward: Flatten, Dense+relu, Dense+softmax", f);
    line("loss: sparse categorical crossentropy", l);
    line("backward: tape.gradient", b);
    line("optimizer: Adam apply_gradients (4 variables)", u);
    line("rest: checks, loss.item(), accuracy metric, logs", rest);
    std::printf("RESULT prof_forward_us %.3f\nRESULT prof_loss_us %.3f\n", f, l);
    std::printf("RESULT prof_backward_us %.3f\nRESULT prof_optimizer_us %.3f\n", b, u);
    std::printf("RESULT prof_rest_us %.3f\n", rest);
    if (sink == 1e300) std::printf(" ");
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    const int threads = tfc::kernels::cpu::num_threads();
    tfc::set_random_seed(7);
    const Data d = make_data(o);

    tfc::Sequential model = make_model();
    model.compile("adam", "sparse_categorical_crossentropy", {"accuracy"});

    std::size_t next = 0;
    double last_loss = 0.0, last_acc = 0.0;
    auto step = [&] {
        const std::size_t b = next++ % d.xb.size();
        tfc::Logs logs = model.train_on_batch(d.xb[b], d.yb[b]);
        last_loss = logs.get("loss").value_or(0.0);
        last_acc = logs.get("accuracy").value_or(0.0);
    };
    for (int i = 0; i < o.warmup; ++i) step();
    std::vector<double> rates, cpu_rates;
    for (int s = 0; s < o.samples; ++s) {
        const double c0 = process_cpu_seconds();
        const auto t0 = Clock::now();
        int done = 0;
        while (done < o.steps && (done % 50 != 0 || seconds_since(t0) < o.max_seconds)) {
            step();
            ++done;
        }
        rates.push_back(static_cast<double>(done) * o.batch_size / seconds_since(t0));
        cpu_rates.push_back(static_cast<double>(done) * o.batch_size /
                            (process_cpu_seconds() - c0));
    }
    const double sps = median(rates);
    std::printf("tfc, %d thread(s): %.0f samples/s (%.1f us/step; chunks", threads, sps,
                1e6 * o.batch_size / sps);
    for (double r : rates) std::printf(" %.0f", r);
    std::printf("; last loss %.4f acc %.3f)\n", last_loss, last_acc);
    std::printf("RESULT sps %.3f\n", sps);
    std::printf("RESULT cpu_sps %.3f\n", median(cpu_rates));

    if (o.fit) {
        const auto t0 = Clock::now();
        model.fit(d.x, d.y, {.batch_size = o.batch_size, .epochs = 1, .verbose = 0,
                             .shuffle = false});
        const double fit_sps = static_cast<double>(o.n) / seconds_since(t0);
        std::printf("tfc, %d thread(s): model.fit epoch of %lld samples: %.0f samples/s\n",
                    threads, static_cast<long long>(o.n), fit_sps);
        std::printf("RESULT fit_sps %.3f\n", fit_sps);
    }
    if (o.profile) print_profile(model, d, o, 1e6 * o.batch_size / sps);
    return 0;
}
