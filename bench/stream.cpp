// Streaming a large CSV through a Dataset pipeline: memory must not grow with the file.
//   bench_stream --csv PATH [--gb 2.0] [--batch 256] [--shuffle 10000] [--generate-only]
//
// Generates PATH (reused when PATH and PATH.rows exist and agree) with 6 float columns, 2 int
// columns and a 0/1 label, then streams it once through
//   make_csv_dataset(PATH, batch, {label "label", 1 epoch, shuffle buffer, prefetch})
//     .map(scale features, label to float32).prefetch(2)
// consuming every row (sums of one feature and of the labels, checked against the row count).
// Prints the RSS every ~10% of the file, then one RESULT line per figure and a last-line JSON:
// input_gb, rows, rows_per_s, mb_per_s (wall and per CPU-second), peak_rss_mb (VmHWM).
#include <sys/resource.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "tfc/data/csv.h"

namespace {

namespace fs = std::filesystem;

double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// "VmRSS" or "VmHWM" from /proc/self/status, in MB (-1 if unavailable).
double proc_status_mb(const char* key) {
    std::ifstream in("/proc/self/status");
    std::string line;
    const std::size_t n = std::strlen(key);
    while (std::getline(in, line)) {
        if (line.compare(0, n, key) == 0 && line.size() > n && line[n] == ':') {
            return std::atof(line.c_str() + n + 1) / 1024.0;
        }
    }
    return -1;
}

// Deterministic values: a 64-bit LCG.
struct Lcg {
    std::uint64_t s;
    std::uint64_t next() {
        s = s * 6364136223846793005ull + 1442695040888963407ull;
        return s >> 11;
    }
};

// Appends v (|v| < 1e6) with 6 decimals, without printf.
char* put_fixed(char* p, std::int64_t micro) {
    if (micro < 0) {
        *p++ = '-';
        micro = -micro;
    }
    std::int64_t ip = micro / 1000000, fp = micro % 1000000;
    char tmp[24];
    int k = 0;
    do {
        tmp[k++] = static_cast<char>('0' + ip % 10);
        ip /= 10;
    } while (ip > 0);
    while (k > 0) *p++ = tmp[--k];
    *p++ = '.';
    for (int d = 5; d >= 0; --d) {
        p[d] = static_cast<char>('0' + fp % 10);
        fp /= 10;
    }
    return p + 6;
}

char* put_int(char* p, std::int64_t v) {
    char tmp[24];
    int k = 0;
    if (v < 0) {
        *p++ = '-';
        v = -v;
    }
    do {
        tmp[k++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v > 0);
    while (k > 0) *p++ = tmp[--k];
    return p;
}

// Writes the CSV to PATH.tmp, then PATH.rows, then renames: a file under PATH is complete.
std::int64_t generate(const fs::path& path, double gb) {
    const auto target = static_cast<std::uint64_t>(gb * 1e9);
    const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
    fs::create_directories(dir);
    struct statvfs st{};
    if (statvfs(dir.c_str(), &st) == 0) {
        const double free_gb = static_cast<double>(st.f_bavail) * st.f_frsize / 1e9;
        if (free_gb < gb + 1.0) {
            std::fprintf(stderr,
                         "[bench_stream] not enough free disk space in %s: %.1f GB free, the "
                         "CSV needs %.1f GB (+1 GB margin). Fix: free space or pass --csv on "
                         "another disk, or a smaller --gb.\n",
                         dir.c_str(), free_gb, gb);
            std::exit(1);
        }
    }
    const fs::path tmp = path.string() + ".tmp";
    std::FILE* f = std::fopen(tmp.c_str(), "wb");
    if (!f) {
        std::fprintf(stderr, "[bench_stream] cannot write %s\n", tmp.c_str());
        std::exit(1);
    }
    std::vector<char> buf(1 << 20);
    const char header[] = "f0,f1,f2,f3,f4,f5,i0,i1,label\n";
    std::fwrite(header, 1, sizeof(header) - 1, f);
    std::uint64_t bytes = sizeof(header) - 1;
    std::int64_t rows = 0;
    Lcg rng{42};
    while (bytes < target) {
        char* p = buf.data();
        char* const end = buf.data() + buf.size() - 256;
        while (p < end && bytes + static_cast<std::uint64_t>(p - buf.data()) < target) {
            for (int c = 0; c < 6; ++c) {
                p = put_fixed(p, static_cast<std::int64_t>(rng.next() % 20000000) - 10000000);
                *p++ = ',';
            }
            p = put_int(p, static_cast<std::int64_t>(rng.next() % 100000));
            *p++ = ',';
            p = put_int(p, static_cast<std::int64_t>(rng.next() % 1000) - 500);
            *p++ = ',';
            *p++ = static_cast<char>('0' + (rng.next() & 1));
            *p++ = '\n';
            ++rows;
        }
        const auto n = static_cast<std::size_t>(p - buf.data());
        if (std::fwrite(buf.data(), 1, n, f) != n) {
            std::fprintf(stderr, "[bench_stream] write failed on %s (disk full?)\n", tmp.c_str());
            std::fclose(f);
            fs::remove(tmp);
            std::exit(1);
        }
        bytes += n;
    }
    if (std::fclose(f) != 0) {
        std::fprintf(stderr, "[bench_stream] write failed on %s\n", tmp.c_str());
        fs::remove(tmp);
        std::exit(1);
    }
    std::ofstream(path.string() + ".rows") << rows << " " << bytes << "\n";
    fs::rename(tmp, path);
    return rows;
}

// The row count of a complete earlier file, or -1.
std::int64_t existing_rows(const fs::path& path, double gb) {
    std::ifstream meta(path.string() + ".rows");
    std::int64_t rows = -1;
    std::uint64_t bytes = 0;
    std::error_code ec;
    if (!(meta >> rows >> bytes) || !fs::exists(path, ec)) return -1;
    if (fs::file_size(path, ec) != bytes || static_cast<double>(bytes) < gb * 1e9) return -1;
    return rows;
}

}  // namespace

int main(int argc, char** argv) {
    std::string csv = "build/bench/stream.csv";
    double gb = 2.0;
    std::int64_t batch = 256, shuffle = 10000;
    bool generate_only = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "[bench_stream] %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--csv") {
            csv = value();
        } else if (a == "--gb") {
            gb = std::atof(value().c_str());
        } else if (a == "--batch") {
            batch = std::atoll(value().c_str());
        } else if (a == "--shuffle") {
            shuffle = std::atoll(value().c_str());
        } else if (a == "--generate-only") {
            generate_only = true;
        } else {
            std::fprintf(stderr,
                         "usage: bench_stream [--csv PATH] [--gb 2.0] [--batch 256] "
                         "[--shuffle 10000] [--generate-only]\n");
            return 2;
        }
    }
    std::int64_t rows = existing_rows(csv, gb);
    if (rows < 0) {
        std::printf("generating %s (%.2f GB)\n", csv.c_str(), gb);
        std::fflush(stdout);
        const auto t0 = std::chrono::steady_clock::now();
        rows = generate(csv, gb);
        const double s =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        std::printf("generated %lld rows in %.1f s\n", static_cast<long long>(rows), s);
    } else {
        std::printf("reusing %s (%lld rows)\n", csv.c_str(), static_cast<long long>(rows));
    }
    if (generate_only) return 0;
    const double file_mb = static_cast<double>(fs::file_size(csv)) / 1e6;
    const double rss_start = proc_status_mb("VmRSS");

    using namespace tfc;
    using namespace tfc::data;
    using CD = ColumnDefault;
    MakeCsvDatasetOptions opts{
        .csv = {.column_defaults = {CD::float32(), CD::float32(), CD::float32(), CD::float32(),
                                    CD::float32(), CD::float32(), CD::int64(), CD::int64(),
                                    CD::int64()}},
        .label_name = "label",
        .num_epochs = 1,
        .shuffle = shuffle > 0,
        .shuffle_buffer_size = shuffle > 0 ? shuffle : 1,
        .shuffle_seed = 1,
    };
    Dataset ds = make_csv_dataset(csv, batch, opts)
                     .map([](const Element& e) {
                         Tensor x = e[0].clone();
                         float* p = x.data<float>();
                         for (std::int64_t i = 0; i < x.size(); ++i) p[i] *= 0.5f;
                         return Element{x, e[1].astype(DType::float32)};
                     })
                     .prefetch(2);

    const auto w0 = std::chrono::steady_clock::now();
    const double c0 = cpu_seconds();
    std::int64_t seen = 0, checkpoint = rows / 10;
    double label_sum = 0, f0_sum = 0, rss_max_sampled = 0;
    for (const Element& b : ds) {
        const std::int64_t n = b[0].dim(0), k = b[0].dim(1);
        const float* x = b[0].data<float>();
        const float* y = b[1].data<float>();
        for (std::int64_t r = 0; r < n; ++r) {
            f0_sum += x[r * k];
            label_sum += y[r];
        }
        seen += n;
        if (seen >= checkpoint) {
            const double rss = proc_status_mb("VmRSS");
            rss_max_sampled = std::max(rss_max_sampled, rss);
            const double s =
                std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
            std::printf("%5.1f%% rows %lld  RSS %.1f MB  %.0f rows/s\n", 100.0 * seen / rows,
                        static_cast<long long>(seen), rss, seen / s);
            std::fflush(stdout);
            checkpoint += rows / 10;
        }
    }
    const double wall =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - w0).count();
    const double cpu = cpu_seconds() - c0;
    rusage ru{};
    getrusage(RUSAGE_SELF, &ru);
    const double hwm = proc_status_mb("VmHWM");
    const double peak = hwm > 0 ? hwm : static_cast<double>(ru.ru_maxrss) / 1024.0;
    if (seen != rows) {
        std::fprintf(stderr, "[bench_stream] consumed %lld rows, the file has %lld\n",
                     static_cast<long long>(seen), static_cast<long long>(rows));
        return 1;
    }
    std::printf("consumed %lld rows (%.0f MB) in %.1f s wall, %.1f s CPU (all threads); "
                "sum(label) %.0f, mean(f0)/2 %.4f\n",
                static_cast<long long>(seen), file_mb, wall, cpu, label_sum, f0_sum / seen);
    std::printf("RSS: %.1f MB before streaming, %.1f MB max sampled, peak (VmHWM) %.1f MB\n",
                rss_start, rss_max_sampled, peak);
    std::printf("RESULT rows_per_s %.1f\nRESULT mb_per_s %.2f\nRESULT cpu_rows_per_s %.1f\n"
                "RESULT peak_rss_mb %.1f\n",
                seen / wall, file_mb / wall, seen / cpu, peak);
    std::printf("{\"bench\": \"stream\", \"input_gb\": %.3f, \"rows\": %lld, \"rows_per_s\": %.0f, "
                "\"mb_per_s\": %.2f, \"cpu_rows_per_s\": %.0f, \"cpu_mb_per_s\": %.2f, "
                "\"peak_rss_mb\": %.1f}\n",
                file_mb / 1e3, static_cast<long long>(seen), seen / wall, file_mb / wall,
                seen / cpu, file_mb / cpu, peak);
    return 0;
}
