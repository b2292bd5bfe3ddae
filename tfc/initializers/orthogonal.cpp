// Orthogonal initializer (keras/initializers/initializers.py `Orthogonal` of Keras 2.15):
// Q of the QR decomposition of a standard-normal (max(r, c) x min(r, c)) matrix, with
// r = prod(shape[:-1]) and c = shape[-1], columns multiplied by sign(diag(R)), transposed when
// r < c, times gain. The QR runs in double precision with Householder reflections.
#include <algorithm>
#include <cmath>
#include <vector>

#include "tfc/core/error.h"
#include "tfc/initializers/initializers.h"
#include "tfc/initializers/initializers_impl.h"

namespace tfc {
namespace {

// Thin QR of the row-major m x n matrix `a` (m >= n). Returns Q (m x n, row-major) with every
// column multiplied by the sign of the matching diagonal entry of R, so diag(R) >= 0.
std::vector<double> householder_q(std::vector<double> a, std::int64_t m, std::int64_t n) {
    std::vector<std::vector<double>> vs(n);  // reflector k acts on rows k..m-1
    std::vector<double> betas(n, 0.0), diag(n, 0.0), w(n);
    for (std::int64_t k = 0; k < n; ++k) {
        double norm2 = 0.0;
        for (std::int64_t i = k; i < m; ++i) norm2 += a[i * n + k] * a[i * n + k];
        const double norm = std::sqrt(norm2);
        const double alpha = a[k * n + k] >= 0.0 ? -norm : norm;  // avoids cancellation
        std::vector<double>& v = vs[k];
        v.resize(m - k);
        for (std::int64_t i = k; i < m; ++i) v[i - k] = a[i * n + k];
        v[0] -= alpha;
        double vnorm2 = 0.0;
        for (double x : v) vnorm2 += x * x;
        betas[k] = vnorm2 > 0.0 ? 2.0 / vnorm2 : 0.0;
        diag[k] = vnorm2 > 0.0 ? alpha : a[k * n + k];
        // a[k:, k:] -= beta v (v^T a[k:, k:])
        std::fill(w.begin() + k, w.end(), 0.0);
        for (std::int64_t i = k; i < m; ++i) {
            const double vi = v[i - k];
            for (std::int64_t j = k; j < n; ++j) w[j] += vi * a[i * n + j];
        }
        for (std::int64_t i = k; i < m; ++i) {
            const double f = betas[k] * v[i - k];
            for (std::int64_t j = k; j < n; ++j) a[i * n + j] -= f * w[j];
        }
    }
    // Q = H_0 H_1 ... H_{n-1} applied to the first n columns of the identity.
    std::vector<double> q(static_cast<std::size_t>(m * n), 0.0);
    for (std::int64_t i = 0; i < n; ++i) q[i * n + i] = 1.0;
    for (std::int64_t k = n - 1; k >= 0; --k) {
        const std::vector<double>& v = vs[k];
        std::fill(w.begin(), w.end(), 0.0);
        for (std::int64_t i = k; i < m; ++i) {
            const double vi = v[i - k];
            for (std::int64_t j = 0; j < n; ++j) w[j] += vi * q[i * n + j];
        }
        for (std::int64_t i = k; i < m; ++i) {
            const double f = betas[k] * v[i - k];
            for (std::int64_t j = 0; j < n; ++j) q[i * n + j] -= f * w[j];
        }
    }
    // tf.sign(0) would zero a column; a zero diagonal has probability 0, so keep its sign +.
    for (std::int64_t j = 0; j < n; ++j) {
        if (diag[j] < 0.0) {
            for (std::int64_t i = 0; i < m; ++i) q[i * n + j] = -q[i * n + j];
        }
    }
    return q;
}

}  // namespace

Tensor Orthogonal::operator()(const Shape& shape, DType dtype) const {
    TFC_CHECK(shape.size() >= 2, "Orthogonal", "the shape must be at least 2-D", shape_str(shape),
              "rank >= 2", "use Orthogonal for matrices or conv kernels only");
    detail::check_float_dtype(dtype, "Orthogonal");
    std::int64_t rows = 1;
    for (std::size_t i = 0; i + 1 < shape.size(); ++i) rows *= shape[i];
    const std::int64_t cols = shape.back();
    const std::int64_t m = std::max(rows, cols), n = std::min(rows, cols);
    Tensor out = Tensor::empty(shape, dtype);
    if (n == 0) return out;
    Tensor normal = detail::fill_random({m, n}, DType::float64, seed_, "Orthogonal",
                                        [](Generator& g) { return g.normal(0.0, 1.0); });
    const double* src = normal.data<double>();
    const std::vector<double> q =
        householder_q(std::vector<double>(src, src + m * n), m, n);
    // out[r][c] = gain * (rows >= cols ? q[r][c] : q[c][r])
    std::vector<double> result(static_cast<std::size_t>(rows * cols));
    for (std::int64_t r = 0; r < rows; ++r) {
        for (std::int64_t c = 0; c < cols; ++c) {
            result[r * cols + c] = gain_ * (rows >= cols ? q[r * n + c] : q[c * n + r]);
        }
    }
    return Tensor::from_doubles(result, shape, dtype);
}

}  // namespace tfc
