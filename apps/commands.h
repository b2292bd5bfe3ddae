// The tfcert subcommands.
#pragma once

#include <string>
#include <vector>

namespace tfcert {

int run_train_fashion_mnist(const std::vector<std::string>& args);

}  // namespace tfcert
