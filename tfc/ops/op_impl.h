// Helpers shared by the op implementations (internal).
#pragma once

#include <string>

#include "tfc/autograd/tape.h"
#include "tfc/core/error.h"
#include "tfc/core/tensor.h"

namespace tfc::ops::detail {

inline void check_defined(const Tensor& t, const char* where) {
    TFC_CHECK(t.defined(), where, "input tensor is undefined", "an empty Tensor()",
              "a tensor with data", "pass a tensor created by Tensor::zeros/from_vector or an op");
}

inline void check_floating(const Tensor& t, const char* where) {
    check_defined(t, where);
    TFC_CHECK(is_floating(t.dtype()), where, "op needs a floating-point tensor",
              dtype_name(t.dtype()), "float32 or float64",
              "convert first, e.g. ops::cast(x, DType::float32)");
}

inline void check_same_dtype(const Tensor& a, const Tensor& b, const char* where) {
    TFC_CHECK(a.dtype() == b.dtype(), where, "operands have different dtypes",
              std::string(dtype_name(a.dtype())) + " and " + dtype_name(b.dtype()),
              "the same dtype", "cast one operand with ops::cast");
}

// Calls fn(float{}) or fn(double{}) for the floating dtype of t.
template <typename Fn>
decltype(auto) dispatch_floating(DType dtype, Fn&& fn) {
    if (dtype == DType::float32) return fn(float{});
    return fn(double{});
}

}  // namespace tfc::ops::detail
