// Dropout (keras/layers/regularization/dropout.py of Keras 2.15): inverted dropout. In training
// each element is kept with probability 1 - rate and scaled by 1 / (1 - rate); at inference
// (training = false: predict, evaluate) it is the identity.
//   Dropout(0.2), Dropout(0.5, {.seed = 42})
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "tfc/core/random.h"
#include "tfc/layers/layer.h"

namespace tfc {

struct DropoutOptions {
    // With a seed the layer owns a generator, so its sequence of masks is reproducible; without
    // one it draws from the global generator (set_random_seed).
    std::optional<std::uint64_t> seed{};
    Shape input_shape{};
    std::string name{};  // default "dropout", "dropout_1", ...
};

class Dropout : public Layer {
public:
    explicit Dropout(double rate, DropoutOptions options = {});

    std::string class_name() const override { return "Dropout"; }
    Tensor call(const Tensor& inputs, bool training) override;

    double rate() const { return rate_; }
    std::optional<std::uint64_t> seed() const { return seed_; }

private:
    double rate_;
    std::optional<std::uint64_t> seed_;
    Generator generator_;
};

}  // namespace tfc
