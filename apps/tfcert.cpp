// tfcert: the command-line entry point. Thin: parses arguments and calls into tfc.
//   tfcert train fashion-mnist [--epochs N] [--out DIR] [--data DIR] [--seed S] [--verbose V]
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "apps/commands.h"
#include "apps/model_commands.h"
#include "tfc/core/error.h"

namespace {

void usage(std::FILE* to) {
    std::fprintf(to,
                 "usage: tfcert <command> [options]\n\n"
                 "commands:\n"
                 "  train fashion-mnist [--epochs N] [--batch-size B] [--out DIR] [--data DIR]\n"
                 "                      [--seed S] [--verbose 0|1|2]\n"
                 "      Trains Flatten -> Dense(128, relu) -> Dropout(0.2) -> Dense(10, softmax)\n"
                 "      with Adam on Fashion-MNIST, prints the test accuracy, writes the\n"
                 "      loss/accuracy plot to DIR (default ./out) and ends with a JSON line.\n"
                 "  model info FILE\n"
                 "      Prints a Keras model file's format, Keras version, size and summary,\n"
                 "      and whether tfc can load it (.h5, .keras, .weights.h5).\n");
}

}  // namespace

int main(int argc, char** argv) {
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        usage(args.empty() ? stderr : stdout);
        return args.empty() ? 2 : 0;
    }
    try {
        if (args[0] == "train") {
            if (args.size() < 2 || args[1] != "fashion-mnist") {
                std::fprintf(stderr,
                             "[tfcert train] unknown or missing dataset. Got '%s'. Expected "
                             "'fashion-mnist'. Fix: run `tfcert train fashion-mnist`.\n",
                             args.size() < 2 ? "" : args[1].c_str());
                return 2;
            }
            return tfcert::run_train_fashion_mnist(
                std::vector<std::string>(args.begin() + 2, args.end()));
        }
        if (args[0] == "model") {
            if (args.size() < 2 || args[1] != "info") {
                std::fprintf(stderr,
                             "[tfcert model] unknown or missing subcommand. Got '%s'. Expected "
                             "'info'. Fix: run `tfcert model info FILE`.\n",
                             args.size() < 2 ? "" : args[1].c_str());
                return 2;
            }
            return tfcert::run_model_info(std::vector<std::string>(args.begin() + 1, args.end()));
        }
        std::fprintf(stderr, "[tfcert] unknown command. Got '%s'. Fix: see `tfcert --help`.\n",
                     args[0].c_str());
        usage(stderr);
        return 2;
    } catch (const tfc::Error& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 1;
    }
}
