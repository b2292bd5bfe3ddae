// Tokenizer throughput: fit_on_texts + texts_to_sequences on the spam-ham training texts, the
// same work as bench/text_tokenizer.py does with keras_preprocessing 1.1.0.
//   bench_tokenizer [path/to/spam-ham/train.csv] [repeats]
#include <ctime>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "tfc/preprocessing/tokenizer.h"

namespace {

// Process CPU seconds: the machine is shared, so wall time would mostly measure the neighbours.
double cpu_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + 1e-9 * static_cast<double>(ts.tv_nsec);
}

// First column of an RFC-4180 CSV with a header row (enough for the "text" column).
std::vector<std::string> read_first_column(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    const std::string s = ss.str();
    std::vector<std::string> out;
    std::string field;
    bool quoted = false, first_col = true, header = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (quoted) {
            if (c == '"' && i + 1 < s.size() && s[i + 1] == '"') {
                field.push_back('"');
                ++i;
            } else if (c == '"') {
                quoted = false;
            } else {
                field.push_back(c);
            }
        } else if (c == '"') {
            quoted = true;
        } else if (c == ',' || c == '\n' || c == '\r') {
            if (first_col && !header) out.push_back(field);
            field.clear();
            first_col = false;
            if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
            if (c != ',') {
                first_col = true;
                header = false;
            }
        } else {
            field.push_back(c);
        }
    }
    return out;
}

}  // namespace

int main(int argc, char** argv) {
#ifdef TFC_SOURCE_DIR
    const std::string root = TFC_SOURCE_DIR;
#else
    const std::string root = ".";
#endif
    const std::string path =
        argc > 1 ? argv[1] : root + "/../shared/datasets/text/spam-ham/train.csv";
    const int repeats = argc > 2 ? std::atoi(argv[2]) : 5;
    const std::vector<std::string> texts = read_first_column(path);
    double best_fit = 1e30, best_seq = 1e30;
    std::size_t tokens = 0, words = 0;
    for (int r = 0; r < repeats; ++r) {
        tfc::Tokenizer tok({.num_words = 10000, .oov_token = "<OOV>"});
        const double t0 = cpu_seconds();
        tok.fit_on_texts(texts);
        const double t1 = cpu_seconds();
        const tfc::Sequences seqs = tok.texts_to_sequences(texts);
        const double t2 = cpu_seconds();
        best_fit = std::min(best_fit, t1 - t0);
        best_seq = std::min(best_seq, t2 - t1);
        tokens = 0;
        for (const auto& s : seqs) tokens += s.size();
        words = tok.word_index().size();
    }
    std::printf("{\"impl\": \"tfc\", \"texts\": %zu, \"tokens\": %zu, \"word_index\": %zu, "
                "\"fit_on_texts_s\": %.4f, \"texts_to_sequences_s\": %.4f, \"total_s\": %.4f}\n",
                texts.size(), tokens, words, best_fit, best_seq, best_fit + best_seq);
    return 0;
}
