// bench_models: training throughput of four small Keras-course models in tfc, at the thread count
// OMP_NUM_THREADS gives this process. The PyTorch peer is bench/peers/torch_models.py;
// `bench/run cnn|img|text|ts` runs both side by side.
//
//   cnn   28x28x1: Conv2D(32, 3, relu) MaxPooling2D Conv2D(64, 3, relu) MaxPooling2D Flatten
//         Dense(128, relu) Dense(10, softmax); Adam, sparse categorical crossentropy, accuracy
//   img   150x150x3: [Conv2D(16|32|64, 3, relu) MaxPooling2D] x 3, Flatten, Dense(512, relu),
//         Dense(1, sigmoid); RMSprop(1e-3), binary crossentropy, accuracy
//   text  Embedding(10000, 16, input_length 120), Bidirectional(LSTM(32)), Dense(24, relu),
//         Dense(1, sigmoid); Adam, binary crossentropy, accuracy
//   ts    window 30: Conv1D(64, 3, causal, relu), LSTM(64, return_sequences), LSTM(64),
//         Dense(30, relu), Dense(10, relu), Dense(1); SGD(1e-5, momentum 0.9), Huber, mae
//
// Data: synthetic, from a fixed seed, a pool of --batches batches of --batch-size samples (the
// steps cycle through it). Timed: model.train_on_batch (forward, loss, backward, update, loss and
// metric read back) after a warm-up, in chunks of at least --min-seconds; the median chunk counts.
// Both wall-clock samples/s and samples per CPU-second of the process are reported.
//
// Output: human lines, then "RESULT <key> <value>" lines (sps, cpu_sps, fwd_macs per sample).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "tfc/core/random.h"
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/layers/layers.h"
#include "tfc/losses/losses.h"
#include "tfc/optimizers/optimizers.h"
#include "tfc/training/sequential.h"

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t0) {
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

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
    std::string model;
    int warmup = 3;            // untimed steps first
    int samples = 3;           // timed chunks; the median counts
    double min_seconds = 2.0;  // a chunk runs at least this long...
    int min_steps = 5;         // ...and at least this many steps
    std::int64_t batch_size = 32;
    int batches = 8;           // distinct batches in the data pool
};

[[noreturn]] void usage() {
    std::fprintf(stderr,
                 "usage: bench_models --model cnn|img|text|ts [--warmup N] [--samples N] "
                 "[--min-seconds S] [--min-steps N] [--batch-size N] [--batches N]\n");
    std::exit(2);
}

Options parse(int argc, char** argv) {
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (i + 1 >= argc) usage();
        const std::string v = argv[++i];
        if (a == "--model") o.model = v;
        else if (a == "--warmup") o.warmup = std::atoi(v.c_str());
        else if (a == "--samples") o.samples = std::atoi(v.c_str());
        else if (a == "--min-seconds") o.min_seconds = std::atof(v.c_str());
        else if (a == "--min-steps") o.min_steps = std::atoi(v.c_str());
        else if (a == "--batch-size") o.batch_size = std::atoll(v.c_str());
        else if (a == "--batches") o.batches = std::atoi(v.c_str());
        else usage();
    }
    if (o.model != "cnn" && o.model != "img" && o.model != "text" && o.model != "ts") usage();
    return o;
}

// A model, its input sample shape, how to fill x and y, and its forward multiply-adds per sample.
struct Bench {
    std::unique_ptr<tfc::Sequential> model;  // Sequential is neither copyable nor movable
    tfc::Shape x_shape;  // without the batch dimension
    enum class X { uniform, tokens, series } x_kind;
    enum class Y { classes10, binary, regression } y_kind;
    double fwd_macs = 0;  // per sample; 0 = not reported
};

// Multiply-adds of a valid 'k x k' convolution producing [h, w, cout] from cin channels.
double conv_macs(double h, double w, double cout, double k, double cin) {
    return h * w * cout * k * k * cin;
}

Bench make(const std::string& name) {
    using namespace tfc;
    if (name == "cnn") {
        Bench b{std::unique_ptr<Sequential>(new Sequential({Conv2D(32, 3, {.activation = "relu", .input_shape = {28, 28, 1}}),
                            MaxPooling2D(), Conv2D(64, 3, {.activation = "relu"}),
                            MaxPooling2D(), Flatten(), Dense(128, {.activation = "relu"}),
                            Dense(10, {.activation = "softmax"})})),
                {28, 28, 1}, Bench::X::uniform, Bench::Y::classes10};
        b.model->compile("adam", "sparse_categorical_crossentropy", {"accuracy"});
        // 28 -> 26 -> 13 -> 11 -> 5: 5 * 5 * 64 = 1600 features.
        b.fwd_macs = conv_macs(26, 26, 32, 3, 1) + conv_macs(11, 11, 64, 3, 32) + 1600.0 * 128 +
                     128.0 * 10;
        return b;
    }
    if (name == "img") {
        Bench b{std::unique_ptr<Sequential>(new Sequential({Conv2D(16, 3, {.activation = "relu", .input_shape = {150, 150, 3}}),
                            MaxPooling2D(), Conv2D(32, 3, {.activation = "relu"}),
                            MaxPooling2D(), Conv2D(64, 3, {.activation = "relu"}),
                            MaxPooling2D(), Flatten(), Dense(512, {.activation = "relu"}),
                            Dense(1, {.activation = "sigmoid"})})),
                {150, 150, 3}, Bench::X::uniform, Bench::Y::binary};
        b.model->compile(std::make_shared<RMSprop>(RMSpropOptions{.learning_rate = 1e-3}),
                        "binary_crossentropy", {"accuracy"});
        // 150 -> 148 -> 74 -> 72 -> 36 -> 34 -> 17: 17 * 17 * 64 = 18496 features.
        b.fwd_macs = conv_macs(148, 148, 16, 3, 3) + conv_macs(72, 72, 32, 3, 16) +
                     conv_macs(34, 34, 64, 3, 32) + 18496.0 * 512 + 512.0;
        return b;
    }
    if (name == "text") {
        Bench b{std::unique_ptr<Sequential>(new Sequential({Embedding(10000, 16, {.input_length = 120, .input_shape = {120}}),
                            Bidirectional(LSTM(32)), Dense(24, {.activation = "relu"}),
                            Dense(1, {.activation = "sigmoid"})})),
                {120}, Bench::X::tokens, Bench::Y::binary};
        b.model->compile("adam", "binary_crossentropy", {"accuracy"});
        return b;
    }
    Bench b{std::unique_ptr<Sequential>(new Sequential({Conv1D(64, 3, {.padding = "causal", .activation = "relu",
                                       .input_shape = {30, 1}}),
                        LSTM(64, {.return_sequences = true}), LSTM(64),
                        Dense(30, {.activation = "relu"}), Dense(10, {.activation = "relu"}),
                        Dense(1)})),
            {30, 1}, Bench::X::series, Bench::Y::regression};
    b.model->compile(std::make_shared<SGD>(SGDOptions{.learning_rate = 1e-5, .momentum = 0.9}),
                    losses::Huber(), {"mae"});
    return b;
}

struct Data {
    std::vector<tfc::Tensor> xb, yb;
};

Data make_data(const Bench& b, const Options& o) {
    tfc::Generator gen(42);
    Data d;
    std::int64_t per = 1;
    for (auto s : b.x_shape) per *= s;
    tfc::Shape xs{o.batch_size};
    xs.insert(xs.end(), b.x_shape.begin(), b.x_shape.end());
    for (int i = 0; i < o.batches; ++i) {
        tfc::Tensor x = tfc::Tensor::empty(xs);
        float* xp = x.data<float>();
        for (std::int64_t j = 0; j < o.batch_size * per; ++j) {
            switch (b.x_kind) {
                case Bench::X::uniform: xp[j] = static_cast<float>(gen.uniform()); break;
                case Bench::X::tokens: xp[j] = static_cast<float>(1 + gen.randint(9999)); break;
                case Bench::X::series:
                    xp[j] = static_cast<float>(std::sin(0.1 * static_cast<double>(j % per + i)) +
                                               0.1 * gen.uniform());
                    break;
            }
        }
        tfc::Tensor y;
        if (b.y_kind == Bench::Y::classes10) {
            y = tfc::Tensor::empty({o.batch_size}, tfc::DType::int64);
            for (std::int64_t j = 0; j < o.batch_size; ++j) y.data<std::int64_t>()[j] = gen.randint(10);
        } else {
            y = tfc::Tensor::empty({o.batch_size, 1});
            for (std::int64_t j = 0; j < o.batch_size; ++j) {
                y.data<float>()[j] = b.y_kind == Bench::Y::binary
                                         ? static_cast<float>(gen.randint(2))
                                         : static_cast<float>(gen.uniform());
            }
        }
        d.xb.push_back(x);
        d.yb.push_back(y);
    }
    return d;
}

}  // namespace

int main(int argc, char** argv) {
    const Options o = parse(argc, argv);
    const int threads = tfc::kernels::cpu::num_threads();
    tfc::set_random_seed(7);
    Bench b = make(o.model);
    const Data d = make_data(b, o);

    std::size_t next = 0;
    double last_loss = 0.0;
    auto step = [&] {
        const std::size_t i = next++ % d.xb.size();
        tfc::Logs logs = b.model->train_on_batch(d.xb[i], d.yb[i]);
        last_loss = logs.get("loss").value_or(0.0);
    };
    for (int i = 0; i < o.warmup; ++i) step();
    std::vector<double> rates, cpu_rates;
    for (int s = 0; s < o.samples; ++s) {
        const double c0 = process_cpu_seconds();
        const auto t0 = Clock::now();
        int done = 0;
        while (done < o.min_steps || seconds_since(t0) < o.min_seconds) {
            step();
            ++done;
        }
        const double wall = seconds_since(t0), cpu = process_cpu_seconds() - c0;
        rates.push_back(static_cast<double>(done) * o.batch_size / wall);
        cpu_rates.push_back(static_cast<double>(done) * o.batch_size / cpu);
    }
    const double sps = median(rates);
    std::printf("tfc %s, %d thread(s): %.1f samples/s (%.2f ms/step; chunks", o.model.c_str(),
                threads, sps, 1e3 * o.batch_size / sps);
    for (double r : rates) std::printf(" %.1f", r);
    std::printf("; per CPU-second %.1f; last loss %.4f)\n", median(cpu_rates), last_loss);
    std::printf("RESULT sps %.3f\n", sps);
    std::printf("RESULT cpu_sps %.3f\n", median(cpu_rates));
    if (b.fwd_macs > 0) std::printf("RESULT fwd_macs %.0f\n", b.fwd_macs);
    return 0;
}
