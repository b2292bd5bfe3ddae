#include "tfc/kernels/ref/norm.h"

#include <cmath>
#include <vector>

namespace tfc::kernels::ref {

template <typename T>
void batch_norm_stats(const NormGeometry& g, const T* src, T* mean, T* variance) {
    const double m = static_cast<double>(g.outer * g.inner);
    for (std::int64_t ch = 0; ch < g.c; ++ch) {
        double s = 0;
        for (std::int64_t o = 0; o < g.outer; ++o) {
            for (std::int64_t i = 0; i < g.inner; ++i) s += src[(o * g.c + ch) * g.inner + i];
        }
        const double mu = m > 0 ? s / m : 0.0;
        double v = 0;
        for (std::int64_t o = 0; o < g.outer; ++o) {
            for (std::int64_t i = 0; i < g.inner; ++i) {
                const double d = src[(o * g.c + ch) * g.inner + i] - mu;
                v += d * d;
            }
        }
        mean[ch] = static_cast<T>(mu);
        variance[ch] = static_cast<T>(m > 0 ? v / m : 0.0);
    }
}

template <typename T>
void batch_norm_forward(const NormGeometry& g, const T* src, const T* mean, const T* variance,
                        const T* gamma, const T* beta, T* dst) {
    for (std::int64_t ch = 0; ch < g.c; ++ch) {
        const T rstd = T(1) / std::sqrt(variance[ch] + static_cast<T>(g.epsilon));
        const T scale = (gamma ? gamma[ch] : T(1)) * rstd;
        const T shift = beta ? beta[ch] : T(0);
        for (std::int64_t o = 0; o < g.outer; ++o) {
            for (std::int64_t i = 0; i < g.inner; ++i) {
                const std::int64_t k = (o * g.c + ch) * g.inner + i;
                dst[k] = (src[k] - mean[ch]) * scale + shift;
            }
        }
    }
}

template <typename T>
void batch_norm_backward(const NormGeometry& g, const T* src, const T* mean, const T* variance,
                         const T* gamma, const T* grad_dst, bool batch_stats, T* grad_src,
                         T* grad_gamma, T* grad_beta) {
    const T m = static_cast<T>(g.outer * g.inner);
    for (std::int64_t ch = 0; ch < g.c; ++ch) {
        const T rstd = T(1) / std::sqrt(variance[ch] + static_cast<T>(g.epsilon));
        const T gm = gamma ? gamma[ch] : T(1);
        T sum_g = 0, sum_gx = 0;  // sum(g), sum(g * xhat)
        for (std::int64_t o = 0; o < g.outer; ++o) {
            for (std::int64_t i = 0; i < g.inner; ++i) {
                const std::int64_t k = (o * g.c + ch) * g.inner + i;
                sum_g += grad_dst[k];
                sum_gx += grad_dst[k] * (src[k] - mean[ch]) * rstd;
            }
        }
        if (grad_gamma) grad_gamma[ch] = sum_gx;
        if (grad_beta) grad_beta[ch] = sum_g;
        for (std::int64_t o = 0; o < g.outer; ++o) {
            for (std::int64_t i = 0; i < g.inner; ++i) {
                const std::int64_t k = (o * g.c + ch) * g.inner + i;
                if (batch_stats) {
                    const T xhat = (src[k] - mean[ch]) * rstd;
                    grad_src[k] = gm * rstd * (grad_dst[k] - sum_g / m - xhat * sum_gx / m);
                } else {
                    grad_src[k] = gm * rstd * grad_dst[k];
                }
            }
        }
    }
}

template <typename T>
void layer_norm_forward(const NormGeometry& g, const T* src, const T* gamma, const T* beta,
                        T* dst) {
    const double n = static_cast<double>(g.c);
    for (std::int64_t o = 0; o < g.outer; ++o) {
        for (std::int64_t i = 0; i < g.inner; ++i) {
            const T* s = src + o * g.c * g.inner + i;
            T* d = dst + o * g.c * g.inner + i;
            double mu = 0, v = 0;
            for (std::int64_t ch = 0; ch < g.c; ++ch) mu += s[ch * g.inner];
            mu /= n;
            for (std::int64_t ch = 0; ch < g.c; ++ch) v += (s[ch * g.inner] - mu) * (s[ch * g.inner] - mu);
            const double rstd = 1.0 / std::sqrt(v / n + g.epsilon);
            for (std::int64_t ch = 0; ch < g.c; ++ch) {
                const double xhat = (s[ch * g.inner] - mu) * rstd;
                d[ch * g.inner] =
                    static_cast<T>(xhat * (gamma ? gamma[ch] : T(1)) + (beta ? beta[ch] : T(0)));
            }
        }
    }
}

template <typename T>
void layer_norm_backward(const NormGeometry& g, const T* src, const T* gamma, const T* grad_dst,
                         T* grad_src, T* grad_gamma, T* grad_beta) {
    const double n = static_cast<double>(g.c);
    std::vector<double> dgamma(g.c, 0.0), dbeta(g.c, 0.0), xhat(g.c);
    for (std::int64_t o = 0; o < g.outer; ++o) {
        for (std::int64_t i = 0; i < g.inner; ++i) {
            const std::int64_t base = o * g.c * g.inner + i;
            double mu = 0, v = 0;
            for (std::int64_t ch = 0; ch < g.c; ++ch) mu += src[base + ch * g.inner];
            mu /= n;
            for (std::int64_t ch = 0; ch < g.c; ++ch) {
                const double d = src[base + ch * g.inner] - mu;
                v += d * d;
            }
            const double rstd = 1.0 / std::sqrt(v / n + g.epsilon);
            double sum_gh = 0, sum_ghx = 0;  // sums of (g * gamma) and (g * gamma * xhat)
            for (std::int64_t ch = 0; ch < g.c; ++ch) {
                const double gd = grad_dst[base + ch * g.inner];
                xhat[ch] = (src[base + ch * g.inner] - mu) * rstd;
                const double gh = gd * (gamma ? gamma[ch] : T(1));
                sum_gh += gh;
                sum_ghx += gh * xhat[ch];
                dgamma[ch] += gd * xhat[ch];
                dbeta[ch] += gd;
            }
            for (std::int64_t ch = 0; ch < g.c; ++ch) {
                const double gh = grad_dst[base + ch * g.inner] * (gamma ? gamma[ch] : T(1));
                grad_src[base + ch * g.inner] =
                    static_cast<T>(rstd * (gh - sum_gh / n - xhat[ch] * sum_ghx / n));
            }
        }
    }
    for (std::int64_t ch = 0; ch < g.c; ++ch) {
        if (grad_gamma) grad_gamma[ch] = static_cast<T>(dgamma[ch]);
        if (grad_beta) grad_beta[ch] = static_cast<T>(dbeta[ch]);
    }
}

#define TFC_INSTANTIATE_NORM(T)                                                                \
    template void batch_norm_stats<T>(const NormGeometry&, const T*, T*, T*);                  \
    template void batch_norm_forward<T>(const NormGeometry&, const T*, const T*, const T*,     \
                                        const T*, const T*, T*);                               \
    template void batch_norm_backward<T>(const NormGeometry&, const T*, const T*, const T*,    \
                                         const T*, const T*, bool, T*, T*, T*);                \
    template void layer_norm_forward<T>(const NormGeometry&, const T*, const T*, const T*, T*); \
    template void layer_norm_backward<T>(const NormGeometry&, const T*, const T*, const T*, T*, \
                                         T*, T*);
TFC_INSTANTIATE_NORM(float)
TFC_INSTANTIATE_NORM(double)
#undef TFC_INSTANTIATE_NORM

}  // namespace tfc::kernels::ref
