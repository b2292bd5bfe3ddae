// Spam or ham e-mail (course 3, "sequence models") with a bidirectional LSTM:
//   Tokenizer(num_words 10000, oov "<OOV>") -> pad_sequences(maxlen 120, padding and truncating
//   "post") -> Embedding(10000, 16) -> Bidirectional(LSTM(32)) -> Dense(24, relu)
//   -> Dense(1, sigmoid), Adam, binary crossentropy.
// Data: text/spam-ham/{train,test}.csv (columns text, label with 1 = spam, group).
// Prints the test accuracy and a JSON summary line; exits 1 when the accuracy is below target.
//   spam_bilstm [--quick] [--epochs N] [--data DATASETS_DIR]
// DATASETS_DIR defaults to $TFC_SHARED_DIR/datasets, else ../shared/datasets. --quick trains 2
// epochs (target 0.90); the full run (5 epochs, target 0.95) is the one recorded in
// docs/examples.md.
#include <chrono>
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "examples/datasets_dir.h"
#include "tfc/core/random.h"
#include "tfc/data/csv.h"
#include "tfc/layers/layers.h"
#include "tfc/preprocessing/sequence.h"
#include "tfc/preprocessing/tokenizer.h"
#include "tfc/training/sequential.h"

namespace {

struct Args {
    bool quick = false;
    int epochs = 5;
    std::string data_dir;
};

Args parse_args(int argc, char** argv) {
    Args args;
    bool epochs_given = false;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--quick") {
            args.quick = true;
        } else if (a == "--epochs" && i + 1 < argc) {
            args.epochs = std::atoi(argv[++i]);
            epochs_given = true;
        } else if (a == "--data" && i + 1 < argc) {
            args.data_dir = argv[++i];
        } else {
            std::cerr << "usage: spam_bilstm [--quick] [--epochs N] [--data DATASETS_DIR]\n";
            std::exit(2);
        }
    }
    if (args.quick && !epochs_given) args.epochs = 2;
    args.data_dir = tfc_examples::datasets_dir("spam_bilstm", args.data_dir);
    return args;
}

constexpr std::int64_t kVocabSize = 10000;
constexpr std::int64_t kMaxLen = 120;

}  // namespace

int main(int argc, char** argv) {
    using namespace tfc;
    const Args args = parse_args(argc, argv);
    const auto start = std::chrono::steady_clock::now();
    set_random_seed(42);

    const std::string dir = args.data_dir + "/text/spam-ham/";
    data::Table train = data::read_csv(dir + "train.csv");
    data::Table test = data::read_csv(dir + "test.csv");
    const auto& train_texts = train["text"].strings();
    const auto& test_texts = test["text"].strings();
    const std::int64_t n_train = train.num_rows();
    const std::int64_t n_test = test.num_rows();
    Tensor y_train = train["label"].values().astype(DType::float32).reshaped({n_train, 1});
    Tensor y_test = test["label"].values().astype(DType::float32).reshaped({n_test, 1});

    Tokenizer tokenizer({.num_words = kVocabSize, .oov_token = "<OOV>"});
    tokenizer.fit_on_texts(train_texts);
    const PadSequencesOptions pad{.maxlen = kMaxLen, .padding = "post", .truncating = "post"};
    Tensor x_train = pad_sequences(tokenizer.texts_to_sequences(train_texts), pad);
    Tensor x_test = pad_sequences(tokenizer.texts_to_sequences(test_texts), pad);
    std::cout << n_train << " training and " << n_test << " test e-mails, "
              << tokenizer.word_index().size() << " distinct words\n";

    Sequential model({
        Embedding(kVocabSize, 16, {.input_shape = {kMaxLen}}),
        Bidirectional(LSTM(32)),
        Dense(24, {.activation = "relu"}),
        Dense(1, {.activation = "sigmoid"}),
    });
    model.compile("adam", "binary_crossentropy", {"accuracy"});
    model.summary();

    History h =
        model.fit(x_train, y_train,
                  {.epochs = args.epochs, .verbose = 2, .validation_data = {{x_test, y_test}}});
    auto result = model.evaluate_dict(x_test, y_test, {.verbose = 0});
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    const double target = args.quick ? 0.90 : 0.95;
    const double acc = result.at("accuracy");
    std::cout << "train accuracy " << h.history.at("accuracy").back() << "\n";
    std::cout << "test accuracy " << acc << " on " << n_test << " e-mails (target " << target
              << ")\n";
    std::cout << "{\"example\": \"spam_bilstm\", \"test_accuracy\": " << acc
              << ", \"epochs\": " << args.epochs << ", \"seconds\": " << seconds << "}\n";
    return acc >= target ? 0 : 1;
}
