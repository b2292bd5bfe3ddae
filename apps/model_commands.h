// The `tfcert model ...` subcommands.
#pragma once

#include <string>
#include <vector>

namespace tfcert {

// `tfcert model info FILE`: format, Keras version, file size, layers, whether tfc loads the
// file and, if it does, the model summary. `args` is what follows "model" ("info", FILE) or just
// FILE. Returns 0 when the file loads, 1 when it does not, 2 on a usage error.
int run_model_info(const std::vector<std::string>& args);

}  // namespace tfcert
