// conv2d, conv1d and depthwise_conv2d: validation, geometry (TensorFlow padding rules), kernel
// dispatch and the backward rules. The three ops share one core: conv1d is conv2d on [N, 1, W, C]
// with a [1, k, C/g, F] kernel, and a depthwise kernel [kh, kw, C, M] is, byte for byte, the
// grouped kernel [kh, kw, 1, C * M] with groups = C. Buffers are reinterpreted, never copied.
#include "tfc/ops/conv.h"

#include <algorithm>
#include <cctype>

#include "tfc/kernels/cpu/conv_dnnl.h"
#include "tfc/kernels/cpu/cpu_kernels.h"
#include "tfc/kernels/ref/conv.h"
#include "tfc/ops/op_impl.h"

namespace tfc::ops {
namespace {

using kernels::ConvGeometry;

void check_positive(std::int64_t v, const char* what, const char* where) {
    TFC_CHECK(v >= 1, where, std::string(what) + " must be positive", std::to_string(v), ">= 1",
              std::string("pass ") + what + " >= 1 (1 means none)");
}

// Output length and pads of one spatial axis; throws when no output position fits.
void axis_geometry(const char* where, const char* axis, std::int64_t n, std::int64_t k,
                   std::int64_t s, std::int64_t d, const std::string& padding, std::int64_t& out,
                   std::int64_t& before, std::int64_t& after) {
    out = conv_output_length(n, k, padding, s, d);
    TFC_CHECK(out >= 1, where,
              std::string("the dilated kernel is larger than the padded input along ") + axis,
              "input length " + std::to_string(n) + ", kernel " + std::to_string(k) +
                  (d > 1 ? " dilated by " + std::to_string(d) : "") + ", padding \"" + padding +
                  "\"",
              "an input at least " + std::to_string(d * (k - 1) + 1) + " long",
              "use padding=\"same\", a smaller kernel or dilation, or a larger input");
    const ConvPads p = conv_pads(n, k, padding, s, d);
    before = p.before;
    after = p.after;
}

// Gradients of a recorded convolution, in input order (x, kernel[, bias]).
// relu_out: the output of a conv fused with ReLU (undefined without): g_in is first masked by
// relu_out > 0, unless the rule that produced g_in already zeroed those cells (max pooling, see
// autograd::only_positive_cells_matter).
std::vector<Tensor> conv_backward(const Tensor& g_in, const Tensor& x, const Tensor& kernel,
                                  const ConvGeometry& g, bool need_x, bool need_k, bool has_bias,
                                  bool need_b, const Tensor& relu_out) {
    std::vector<Tensor> grads(has_bias ? 3 : 2);
    const bool f32 = x.dtype() == DType::float32;
    Tensor g_out = g_in;
    if (relu_out.defined() && !autograd::zero_where_not_positive(g_in, relu_out)) {
        g_out = Tensor::empty(g_in.shape(), g_in.dtype());
        const std::int64_t n = g_in.size();
        if (f32) {
            // ReLU's gradient by its output: y > 0 exactly where x > 0.
            kernels::cpu::unary_backward(kernels::UnaryKind::relu, {}, relu_out.data<float>(),
                                         relu_out.data<float>(), g_in.data<float>(),
                                         g_out.data<float>(), n);
        } else {
            const double* dy = g_in.data<double>();
            const double* y = relu_out.data<double>();
            double* dz = g_out.data<double>();
            for (std::int64_t i = 0; i < n; ++i) dz[i] = y[i] > 0.0 ? dy[i] : 0.0;
        }
    }
    if (need_x) {
        Tensor dx = Tensor::empty(x.shape(), x.dtype());
        if (f32) {
            kernels::cpu::conv_backward_data(g, g_out.data<float>(), kernel.data<float>(),
                                             dx.data<float>());
        } else {
            kernels::ref::conv_backward_data(g, g_out.data<double>(), kernel.data<double>(),
                                             dx.data<double>());
        }
        grads[0] = dx;
    }
    if (need_k || need_b) {
        // The bias gradient comes out of the weight-gradient pass (computed even when only the
        // bias is asked for).
        Tensor dk = Tensor::empty(kernel.shape(), kernel.dtype());
        Tensor db = need_b ? Tensor::empty({g.oc}, kernel.dtype()) : Tensor();
        if (f32) {
            kernels::cpu::conv_backward_weights(g, x.data<float>(), g_out.data<float>(),
                                                dk.data<float>(),
                                                need_b ? db.data<float>() : nullptr);
        } else {
            kernels::ref::conv_backward_weights(g, x.data<double>(), g_out.data<double>(),
                                                dk.data<double>(),
                                                need_b ? db.data<double>() : nullptr);
        }
        if (need_k) grads[1] = dk;
        if (need_b) grads[2] = db;
    }
    return grads;
}

// The shared core: x and kernel are already validated against g; out_shape is the caller's view.
Tensor conv_core(const char* op_name, const Tensor& x, const Tensor& kernel, const Tensor& bias,
                 const ConvGeometry& g, const Shape& out_shape, bool relu = false) {
    Tensor out = Tensor::empty(out_shape, x.dtype());
    if (x.dtype() == DType::float32) {
        kernels::cpu::conv_forward(g, x.data<float>(), kernel.data<float>(),
                                   bias.defined() ? bias.data<float>() : nullptr, out.data<float>(),
                                   relu);
    } else {
        kernels::ref::conv_forward(g, x.data<double>(), kernel.data<double>(),
                                   bias.defined() ? bias.data<double>() : nullptr,
                                   out.data<double>());
        if (relu) {
            double* o = out.data<double>();
            for (std::int64_t i = 0; i < out.size(); ++i) o[i] = o[i] > 0.0 ? o[i] : 0.0;
        }
    }
    if (autograd::should_record({&x, &kernel, &bias})) {
        std::vector<Tensor> inputs{x, kernel};
        if (bias.defined()) inputs.push_back(bias);
        const bool need_x = autograd::should_record({&x});
        const bool need_k = autograd::should_record({&kernel});
        const bool need_b = bias.defined() && autograd::should_record({&bias});
        // The closure keeps the output only for the ReLU mask (the tape holds it anyway).
        const Tensor relu_out = relu ? out : Tensor();
        autograd::record(op_name, inputs, out,
                         [x, kernel, g, need_x, need_k, has_bias = bias.defined(), need_b,
                          relu_out](const Tensor& g_out) {
                             return conv_backward(g_out, x, kernel, g, need_x, need_k, has_bias,
                                                  need_b, relu_out);
                         },
                         relu);
    }
    return out;
}

void check_operands(const Tensor& x, const Tensor& kernel, const Tensor& bias, const char* where) {
    detail::check_floating(x, where);
    detail::check_floating(kernel, where);
    detail::check_same_dtype(x, kernel, where);
    if (bias.defined()) detail::check_same_dtype(x, bias, where);
}

void check_bias(const Tensor& bias, std::int64_t oc, const char* where) {
    if (!bias.defined()) return;
    TFC_CHECK(bias.rank() == 1 && bias.dim(0) == oc, where, "bias shape does not match",
              shape_str(bias.shape()), "(" + std::to_string(oc) + ",)",
              "give the bias one value per output channel");
}

// Spatial part of the geometry (shared by conv2d and depthwise_conv2d).
void spatial_geometry(const char* where, ConvGeometry& g, Size2 strides, const std::string& padding,
                      Size2 dilation) {
    check_positive(strides.h, "strides", where);
    check_positive(strides.w, "strides", where);
    check_positive(dilation.h, "dilation", where);
    check_positive(dilation.w, "dilation", where);
    g.sh = strides.h;
    g.sw = strides.w;
    g.dh = dilation.h;
    g.dw = dilation.w;
    axis_geometry(where, "the height", g.ih, g.kh, g.sh, g.dh, padding, g.oh, g.pad_top,
                  g.pad_bottom);
    axis_geometry(where, "the width", g.iw, g.kw, g.sw, g.dw, padding, g.ow, g.pad_left,
                  g.pad_right);
}

}  // namespace

std::int64_t conv_output_length(std::int64_t input_length, std::int64_t filter_size,
                                const std::string& padding, std::int64_t stride,
                                std::int64_t dilation) {
    if (input_length < 0) return -1;
    const std::int64_t dilated = filter_size + (filter_size - 1) * (dilation - 1);
    std::int64_t out = 0;
    if (padding == "same" || padding == "causal") {
        out = input_length;
    } else if (padding == "valid") {
        out = input_length - dilated + 1;
    } else if (padding == "full") {
        out = input_length + dilated - 1;
    } else {
        fail("conv_output_length", "unknown padding", "\"" + padding + "\"",
             "\"valid\", \"same\", \"causal\" or \"full\"", "pass one of the Keras padding names");
    }
    // Python's floor division: (out + stride - 1) // stride, also for out <= 0.
    const std::int64_t num = out + stride - 1;
    return num >= 0 ? num / stride : -((-num + stride - 1) / stride);
}

ConvPads conv_pads(std::int64_t n, std::int64_t k, const std::string& padding, std::int64_t s,
                   std::int64_t d) {
    const std::int64_t dilated = d * (k - 1) + 1;
    if (padding == "causal") return {dilated - 1, 0};
    if (padding != "same") return {0, 0};
    const std::int64_t out = (n + s - 1) / s;
    const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s + dilated - n);
    return {total / 2, total - total / 2};
}

std::string normalize_padding(const std::string& padding, bool allow_causal,
                              const std::string& where) {
    std::string p = padding;
    std::transform(p.begin(), p.end(), p.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    const bool ok = p == "valid" || p == "same" || (allow_causal && p == "causal");
    TFC_CHECK(ok, where, "unknown padding", "\"" + padding + "\"",
              allow_causal ? "\"valid\", \"same\" or \"causal\"" : "\"valid\" or \"same\"",
              allow_causal ? "pass one of the Keras padding names"
                           : "pass \"valid\" or \"same\" (\"causal\" exists only for Conv1D)");
    return p;
}

Tensor conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides,
              const std::string& padding, Size2 dilation, std::int64_t groups, bool fuse_relu) {
    const char* where = "conv2d";
    check_operands(x, kernel, bias, where);
    const std::string pad = normalize_padding(padding, false, where);
    TFC_CHECK(x.rank() == 4, where, "input must be rank 4 (batch, rows, cols, channels)",
              shape_str(x.shape()), "rank 4 (NHWC)",
              "add the batch and channel axes, e.g. reshape [28, 28] images to [N, 28, 28, 1]");
    TFC_CHECK(kernel.rank() == 4, where, "kernel must be rank 4", shape_str(kernel.shape()),
              "[kh, kw, in_channels / groups, filters]", "pass a kernel in the Keras layout");
    check_positive(groups, "groups", where);
    ConvGeometry g;
    g.n = x.dim(0);
    g.ih = x.dim(1);
    g.iw = x.dim(2);
    g.ic = x.dim(3);
    g.kh = kernel.dim(0);
    g.kw = kernel.dim(1);
    g.oc = kernel.dim(3);
    g.groups = groups;
    TFC_CHECK(g.ic % groups == 0 && kernel.dim(2) * groups == g.ic, where,
              "input channels do not match the kernel and groups",
              "input " + shape_str(x.shape()) + ", kernel " + shape_str(kernel.shape()) +
                  ", groups " + std::to_string(groups),
              "input channels = kernel.shape[2] * groups",
              "feed inputs with the channel count the kernel was made for");
    TFC_CHECK(g.oc % groups == 0 && g.oc > 0, where,
              "filters must be a positive multiple of groups",
              std::to_string(g.oc) + " filters, groups " + std::to_string(groups),
              "filters % groups == 0", "choose filters divisible by groups");
    check_positive(g.kh, "kernel size", where);
    check_positive(g.kw, "kernel size", where);
    check_bias(bias, g.oc, where);
    spatial_geometry(where, g, strides, pad, dilation);
    return conv_core(fuse_relu ? "conv2d_relu" : "conv2d", x, kernel, bias, g,
                     {g.n, g.oh, g.ow, g.oc}, fuse_relu);
}

Tensor conv1d(const Tensor& x, const Tensor& kernel, const Tensor& bias, std::int64_t stride,
              const std::string& padding, std::int64_t dilation, std::int64_t groups,
              bool fuse_relu) {
    const char* where = "conv1d";
    check_operands(x, kernel, bias, where);
    const std::string pad = normalize_padding(padding, true, where);
    TFC_CHECK(x.rank() == 3, where, "input must be rank 3 (batch, steps, channels)",
              shape_str(x.shape()), "rank 3 (NWC)",
              "add the batch and channel axes, e.g. reshape a series [N, T] to [N, T, 1]");
    TFC_CHECK(kernel.rank() == 3, where, "kernel must be rank 3", shape_str(kernel.shape()),
              "[k, in_channels / groups, filters]", "pass a kernel in the Keras layout");
    check_positive(groups, "groups", where);
    check_positive(stride, "strides", where);
    check_positive(dilation, "dilation", where);
    ConvGeometry g;
    g.n = x.dim(0);
    g.iw = x.dim(1);
    g.ic = x.dim(2);
    g.kw = kernel.dim(0);
    g.oc = kernel.dim(2);
    g.groups = groups;
    TFC_CHECK(g.ic % groups == 0 && kernel.dim(1) * groups == g.ic, where,
              "input channels do not match the kernel and groups",
              "input " + shape_str(x.shape()) + ", kernel " + shape_str(kernel.shape()) +
                  ", groups " + std::to_string(groups),
              "input channels = kernel.shape[1] * groups",
              "feed inputs with the channel count the kernel was made for");
    TFC_CHECK(g.oc % groups == 0 && g.oc > 0, where,
              "filters must be a positive multiple of groups",
              std::to_string(g.oc) + " filters, groups " + std::to_string(groups),
              "filters % groups == 0", "choose filters divisible by groups");
    check_positive(g.kw, "kernel size", where);
    check_bias(bias, g.oc, where);
    g.sw = stride;
    g.dw = dilation;
    axis_geometry(where, "the steps", g.iw, g.kw, g.sw, g.dw, pad, g.ow, g.pad_left, g.pad_right);
    return conv_core(fuse_relu ? "conv1d_relu" : "conv1d", x, kernel, bias, g, {g.n, g.ow, g.oc},
                     fuse_relu);
}

Tensor depthwise_conv2d(const Tensor& x, const Tensor& kernel, const Tensor& bias, Size2 strides,
                        const std::string& padding, Size2 dilation) {
    const char* where = "depthwise_conv2d";
    check_operands(x, kernel, bias, where);
    const std::string pad = normalize_padding(padding, false, where);
    TFC_CHECK(x.rank() == 4, where, "input must be rank 4 (batch, rows, cols, channels)",
              shape_str(x.shape()), "rank 4 (NHWC)",
              "add the batch and channel axes, e.g. reshape [28, 28] images to [N, 28, 28, 1]");
    TFC_CHECK(kernel.rank() == 4, where, "kernel must be rank 4", shape_str(kernel.shape()),
              "[kh, kw, in_channels, depth_multiplier]", "pass a kernel in the Keras layout");
    TFC_CHECK(kernel.dim(2) == x.dim(3), where, "input channels do not match the kernel",
              "input " + shape_str(x.shape()) + ", kernel " + shape_str(kernel.shape()),
              "kernel.shape[2] = " + std::to_string(x.dim(3)),
              "feed inputs with the channel count the kernel was made for");
    ConvGeometry g;
    g.n = x.dim(0);
    g.ih = x.dim(1);
    g.iw = x.dim(2);
    g.ic = x.dim(3);
    g.kh = kernel.dim(0);
    g.kw = kernel.dim(1);
    check_positive(g.ic, "input channels", where);
    check_positive(kernel.dim(3), "depth_multiplier", where);
    g.oc = g.ic * kernel.dim(3);
    g.groups = g.ic;
    check_positive(g.kh, "kernel size", where);
    check_positive(g.kw, "kernel size", where);
    check_bias(bias, g.oc, where);
    spatial_geometry(where, g, strides, pad, dilation);
    return conv_core("depthwise_conv2d", x, kernel, bias, g, {g.n, g.oh, g.ow, g.oc});
}

}  // namespace tfc::ops
