// Batch and layer normalisation ops with their backward rules.
#include "tfc/ops/norm.h"

#include <cmath>
#include <vector>

#include "tfc/kernels/cpu/batchnorm_dnnl.h"
#include "tfc/kernels/ref/norm.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using kernels::NormGeometry;

NormGeometry geometry(const Tensor& x, int axis, double epsilon, const char* where) {
    detail::check_floating(x, where);
    TFC_CHECK(x.rank() >= 1, where, "input must have at least one axis", shape_str(x.shape()),
              "rank >= 1", "pass a tensor with a feature axis");
    TFC_CHECK(epsilon > 0, where, "epsilon must be positive", std::to_string(epsilon), "> 0",
              "use the Keras default 1e-3");
    const int a = normalize_axis(axis, x.rank(), where);
    NormGeometry g;
    g.epsilon = epsilon;
    g.c = x.dim(a);
    for (int i = 0; i < a; ++i) g.outer *= x.dim(i);
    for (int i = a + 1; i < x.rank(); ++i) g.inner *= x.dim(i);
    return g;
}

// Checks an optional per-feature vector (gamma, beta, mean, variance).
void check_vector(const Tensor& v, const Tensor& x, const NormGeometry& g, const char* what,
                  const char* where, bool optional) {
    if (!v.defined()) {
        TFC_CHECK(optional, where, std::string(what) + " is undefined", "Tensor()",
                  "a tensor of shape (" + std::to_string(g.c) + ",)", "pass the statistics");
        return;
    }
    detail::check_same_dtype(x, v, where);
    TFC_CHECK(v.rank() == 1 && v.dim(0) == g.c, where,
              std::string(what) + " does not match the feature axis", shape_str(v.shape()),
              "(" + std::to_string(g.c) + ",)", "give one value per feature of the normalised axis");
}

template <typename T>
const T* ptr(const Tensor& t) {
    return t.defined() ? t.data<T>() : nullptr;
}

template <typename T>
T* ptr(Tensor& t) {
    return t.defined() ? t.data<T>() : nullptr;
}

Tensor like_or_none(const Tensor& t) {
    return t.defined() ? Tensor::empty(t.shape(), t.dtype()) : Tensor();
}

// Gradients of a batch-norm output. Returns {dx, dgamma, dbeta} (undefined for absent ones).
std::vector<Tensor> bn_backward(const NormGeometry& g, const Tensor& x, const Tensor& mean,
                                const Tensor& var, const Tensor& gamma, const Tensor& beta,
                                const Tensor& grad, bool batch_stats) {
    Tensor gx = Tensor::empty(x.shape(), x.dtype());
    Tensor gg = like_or_none(gamma), gb = like_or_none(beta);
    if (x.dtype() == DType::float32) {
        kernels::cpu::batch_norm_backward(g, x.data<float>(), mean.data<float>(),
                                          var.data<float>(), ptr<float>(gamma), beta.defined(),
                                          grad.data<float>(), batch_stats, gx.data<float>(),
                                          ptr<float>(gg), ptr<float>(gb));
    } else {
        kernels::ref::batch_norm_backward(g, x.data<double>(), mean.data<double>(),
                                          var.data<double>(), ptr<double>(gamma),
                                          grad.data<double>(), batch_stats, gx.data<double>(),
                                          ptr<double>(gg), ptr<double>(gb));
    }
    return {gx, gg, gb};
}

// d/dmean and d/dvariance of the inference form, from the raw sums sum(g) and sum(g * xhat):
// dmean = -gamma rstd sum(g), dvariance = -gamma rstd^2 sum(g xhat) / 2.
std::vector<Tensor> bn_stat_grads(const NormGeometry& g, const Tensor& x, const Tensor& mean,
                                  const Tensor& var, const Tensor& gamma, const Tensor& grad) {
    const std::vector<double> xs = x.to_doubles(), gs = grad.to_doubles(), ms = mean.to_doubles(),
                              vs = var.to_doubles();
    const std::vector<double> gms = gamma.defined() ? gamma.to_doubles()
                                                    : std::vector<double>(g.c, 1.0);
    std::vector<double> dmean(g.c), dvar(g.c);
    for (std::int64_t ch = 0; ch < g.c; ++ch) {
        const double rstd = 1.0 / std::sqrt(vs[ch] + g.epsilon);
        double sg = 0, sgx = 0;
        for (std::int64_t o = 0; o < g.outer; ++o) {
            for (std::int64_t i = 0; i < g.inner; ++i) {
                const std::int64_t k = (o * g.c + ch) * g.inner + i;
                sg += gs[k];
                sgx += gs[k] * (xs[k] - ms[ch]) * rstd;
            }
        }
        dmean[ch] = -gms[ch] * rstd * sg;
        dvar[ch] = -0.5 * gms[ch] * rstd * rstd * sgx;
    }
    return {Tensor::from_doubles(dmean, {g.c}, x.dtype()),
            Tensor::from_doubles(dvar, {g.c}, x.dtype())};
}

}  // namespace

BatchNormTrainingResult batch_norm_training(const Tensor& x, const Tensor& gamma,
                                            const Tensor& beta, int axis, double epsilon) {
    const char* where = "batch_norm_training";
    const NormGeometry g = geometry(x, axis, epsilon, where);
    check_vector(gamma, x, g, "gamma", where, true);
    check_vector(beta, x, g, "beta", where, true);
    BatchNormTrainingResult r{Tensor::empty(x.shape(), x.dtype()), Tensor::empty({g.c}, x.dtype()),
                              Tensor::empty({g.c}, x.dtype())};
    if (x.dtype() == DType::float32) {
        kernels::cpu::batch_norm_training_forward(g, x.data<float>(), ptr<float>(gamma),
                                                  ptr<float>(beta), r.output.data<float>(),
                                                  r.mean.data<float>(), r.variance.data<float>());
    } else {
        kernels::ref::batch_norm_stats(g, x.data<double>(), r.mean.data<double>(),
                                       r.variance.data<double>());
        kernels::ref::batch_norm_forward(g, x.data<double>(), r.mean.data<double>(),
                                         r.variance.data<double>(), ptr<double>(gamma),
                                         ptr<double>(beta), r.output.data<double>());
    }
    if (autograd::should_record({&x, &gamma, &beta})) {
        std::vector<Tensor> inputs{x};
        if (gamma.defined()) inputs.push_back(gamma);
        if (beta.defined()) inputs.push_back(beta);
        autograd::record("batch_norm_training", inputs, r.output,
                         [g, x, gamma, beta, mean = r.mean, var = r.variance](const Tensor& grad) {
            std::vector<Tensor> all = bn_backward(g, x, mean, var, gamma, beta, grad, true);
            std::vector<Tensor> out{all[0]};
            if (gamma.defined()) out.push_back(all[1]);
            if (beta.defined()) out.push_back(all[2]);
            return out;
        });
    }
    return r;
}

Tensor batch_norm_inference(const Tensor& x, const Tensor& mean, const Tensor& variance,
                            const Tensor& gamma, const Tensor& beta, int axis, double epsilon) {
    const char* where = "batch_norm_inference";
    const NormGeometry g = geometry(x, axis, epsilon, where);
    check_vector(mean, x, g, "mean", where, false);
    check_vector(variance, x, g, "variance", where, false);
    check_vector(gamma, x, g, "gamma", where, true);
    check_vector(beta, x, g, "beta", where, true);
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    if (x.dtype() == DType::float32) {
        kernels::cpu::batch_norm_inference_forward(g, x.data<float>(), mean.data<float>(),
                                                   variance.data<float>(), ptr<float>(gamma),
                                                   ptr<float>(beta), out.data<float>());
    } else {
        kernels::ref::batch_norm_forward(g, x.data<double>(), mean.data<double>(),
                                         variance.data<double>(), ptr<double>(gamma),
                                         ptr<double>(beta), out.data<double>());
    }
    if (autograd::should_record({&x, &mean, &variance, &gamma, &beta})) {
        std::vector<Tensor> inputs{x, mean, variance};
        if (gamma.defined()) inputs.push_back(gamma);
        if (beta.defined()) inputs.push_back(beta);
        const bool need_stats = autograd::should_record({&mean, &variance});
        autograd::record("batch_norm_inference", inputs, out,
                         [g, x, mean, variance, gamma, beta, need_stats](const Tensor& grad) {
            std::vector<Tensor> all = bn_backward(g, x, mean, variance, gamma, beta, grad, false);
            std::vector<Tensor> stats = need_stats
                                            ? bn_stat_grads(g, x, mean, variance, gamma, grad)
                                            : std::vector<Tensor>{Tensor(), Tensor()};
            std::vector<Tensor> out{all[0], stats[0], stats[1]};
            if (gamma.defined()) out.push_back(all[1]);
            if (beta.defined()) out.push_back(all[2]);
            return out;
        });
    }
    return out;
}

Tensor layer_norm(const Tensor& x, const Tensor& gamma, const Tensor& beta, int axis,
                  double epsilon) {
    const char* where = "layer_norm";
    const NormGeometry g = geometry(x, axis, epsilon, where);
    check_vector(gamma, x, g, "gamma", where, true);
    check_vector(beta, x, g, "beta", where, true);
    Tensor out = Tensor::empty(x.shape(), x.dtype());
    if (x.dtype() == DType::float32) {
        kernels::cpu::layer_norm_forward(g, x.data<float>(), ptr<float>(gamma), ptr<float>(beta),
                                         out.data<float>());
    } else {
        kernels::ref::layer_norm_forward(g, x.data<double>(), ptr<double>(gamma),
                                         ptr<double>(beta), out.data<double>());
    }
    if (autograd::should_record({&x, &gamma, &beta})) {
        std::vector<Tensor> inputs{x};
        if (gamma.defined()) inputs.push_back(gamma);
        if (beta.defined()) inputs.push_back(beta);
        autograd::record("layer_norm", inputs, out, [g, x, gamma, beta](const Tensor& grad) {
            Tensor gx = Tensor::empty(x.shape(), x.dtype());
            Tensor gg = like_or_none(gamma), gb = like_or_none(beta);
            if (x.dtype() == DType::float32) {
                kernels::cpu::layer_norm_backward(g, x.data<float>(), ptr<float>(gamma),
                                                  grad.data<float>(), gx.data<float>(),
                                                  ptr<float>(gg), ptr<float>(gb));
            } else {
                kernels::ref::layer_norm_backward(g, x.data<double>(), ptr<double>(gamma),
                                                  grad.data<double>(), gx.data<double>(),
                                                  ptr<double>(gg), ptr<double>(gb));
            }
            std::vector<Tensor> res{gx};
            if (gamma.defined()) res.push_back(gg);
            if (beta.defined()) res.push_back(gb);
            return res;
        });
    }
    return out;
}

}  // namespace tfc::ops
