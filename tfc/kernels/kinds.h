// Op kinds shared by the reference and the fast kernels.
#pragma once

#include <cstdint>

namespace tfc::kernels {

enum class BinaryKind : std::uint8_t {
    add, sub, mul, div, maximum, minimum, pow,
    greater, greater_equal, less, equal,  // produce bool
};

enum class UnaryKind : std::uint8_t {
    neg, abs, exp, log, sqrt, square, sign,
    relu, sigmoid, tanh, elu, selu, softplus, softsign, gelu, gelu_tanh, swish, leaky_relu,
    hard_sigmoid, clip,
};

enum class ReduceKind : std::uint8_t { sum, max, min };

// Extra scalars a unary kind may need (elu/leaky alpha, clip bounds).
struct UnaryParams {
    double alpha = 0.0;
    double lo = 0.0;
    double hi = 0.0;
};

}  // namespace tfc::kernels
