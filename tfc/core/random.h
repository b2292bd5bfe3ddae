// Seeded random numbers. set_random_seed(s) makes initialisers, dropout and shuffling
// reproducible (Keras: tf.keras.utils.set_random_seed).
#pragma once

#include <cstdint>
#include <vector>

#include "tfc/core/tensor.h"

namespace tfc {

void set_random_seed(std::uint64_t seed);

class Generator {
public:
    explicit Generator(std::uint64_t seed = 0);
    void seed(std::uint64_t seed);
    std::uint64_t next_u64();                     // splitmix64 stream
    double uniform();                             // [0, 1)
    double uniform(double lo, double hi);         // [lo, hi)
    double normal(double mean = 0.0, double stddev = 1.0);  // Box-Muller
    // Normal cut at 2 stddev by redrawing (tf.random.truncated_normal).
    double truncated_normal(double mean, double stddev);
    std::int64_t randint(std::int64_t n);         // [0, n)
    std::vector<std::int64_t> permutation(std::int64_t n);  // Fisher-Yates

private:
    std::uint64_t state_;
    bool has_spare_ = false;
    double spare_ = 0.0;
};

Generator& global_generator();

// Tensors filled from the global generator, in the requested floating dtype.
Tensor random_uniform(const Shape& shape, double lo, double hi, DType dtype = DType::float32);
Tensor random_normal(const Shape& shape, double mean, double stddev, DType dtype = DType::float32);
Tensor truncated_normal(const Shape& shape, double mean, double stddev,
                        DType dtype = DType::float32);

}  // namespace tfc
