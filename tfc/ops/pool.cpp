// Pooling, padding, cropping and up-sampling ops with their backward rules.
#include "tfc/ops/pool.h"

#include <algorithm>
#include <cctype>

#include "tfc/kernels/cpu/pool_dnnl.h"
#include "tfc/kernels/ref/pool.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

using kernels::PoolGeometry;

std::string lower(std::string s) {
    for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return s;
}

bool parse_padding(const std::string& padding, const std::string& where) {
    const std::string p = lower(padding);
    TFC_CHECK(p == "valid" || p == "same", where, "unknown padding", "'" + padding + "'",
              "'valid' or 'same'", "pass padding=\"valid\" or padding=\"same\"");
    return p == "same";
}

// Output length and leading/trailing pads of one spatial axis (Keras conv_output_length).
struct AxisPlan {
    std::int64_t out, before, after;
};

AxisPlan plan_axis(std::int64_t n, std::int64_t k, std::int64_t s, bool same,
                   const std::string& where, const char* axis_name) {
    TFC_CHECK(k > 0 && s > 0, where, std::string("pool size and stride must be positive on ") +
                                         axis_name,
              "pool " + std::to_string(k) + ", stride " + std::to_string(s), "both >= 1",
              "pass positive pool_size and strides");
    if (same) {
        const std::int64_t out = (n + s - 1) / s;
        const std::int64_t total = std::max<std::int64_t>(0, (out - 1) * s + k - n);
        return {out, total / 2, total - total / 2};
    }
    TFC_CHECK(n >= k, where,
              std::string("pool window larger than the input with padding='valid' on ") +
                  axis_name,
              "input length " + std::to_string(n) + ", pool size " + std::to_string(k),
              "pool size <= input length",
              "use a smaller pool_size, a larger input, or padding=\"same\"");
    return {(n - k) / s + 1, 0, 0};
}

void check_pool_input(const Tensor& x, int rank, const std::string& where) {
    detail::check_floating(x, where.c_str());
    TFC_CHECK(x.rank() == rank, where, "input has the wrong rank", shape_str(x.shape()),
              rank == 4 ? "rank 4 (batch, rows, cols, channels)" : "rank 3 (batch, steps, channels)",
              "reshape the input to channels-last " + std::string(rank == 4 ? "NHWC" : "NWC"));
}

template <typename T>
void pool_forward_ref(bool is_max, const PoolGeometry& g, const Tensor& x, Tensor& out) {
    if (is_max) kernels::ref::max_pool_forward(g, x.data<T>(), out.data<T>());
    else kernels::ref::avg_pool_forward(g, x.data<T>(), out.data<T>());
}

// Shared body of the four pooling ops. The output keeps x's layout ([N, OW, C] for 1-D).
Tensor pool(bool is_max, const Tensor& x, const PoolGeometry& g, const Shape& out_shape,
            const char* op_name) {
    Tensor out = Tensor::empty(out_shape, x.dtype());
    const bool record = autograd::should_record({&x});
    const bool f32 = x.dtype() == DType::float32;
    Tensor workspace;
    if (f32) {
        if (is_max) {
            if (record) {
                workspace = Tensor::empty(
                    {static_cast<std::int64_t>(kernels::cpu::max_pool_workspace_size(g))},
                    DType::uint8);
            }
            kernels::cpu::max_pool_forward(g, x.data<float>(), out.data<float>(),
                                           record ? workspace.raw_data() : nullptr);
        } else {
            kernels::cpu::avg_pool_forward(g, x.data<float>(), out.data<float>());
        }
    } else {
        detail::dispatch_floating(x.dtype(), [&](auto tag) {
            pool_forward_ref<decltype(tag)>(is_max, g, x, out);
        });
    }
    if (record) {
        autograd::record(op_name, {x}, out, [x, out, g, is_max, workspace](const Tensor& grad) {
            // After a ReLU, max pooling's gradient only matters at input cells > 0, and those are
            // the cells whose window maximum (out) is > 0: zeroing the others here lets the
            // ReLU's rule skip its mask pass over the (larger) input.
            const bool positive_only = is_max && autograd::only_positive_cells_matter(x);
            Tensor gx = Tensor::empty(x.shape(), x.dtype());
            if (x.dtype() == DType::float32) {
                if (is_max) {
                    kernels::cpu::max_pool_backward(g, grad.data<float>(), workspace.raw_data(),
                                                    gx.data<float>(),
                                                    positive_only ? out.data<float>() : nullptr);
                } else {
                    kernels::cpu::avg_pool_backward(g, grad.data<float>(), gx.data<float>());
                }
            } else if (is_max) {
                Tensor gd = grad;
                if (positive_only) {
                    gd = Tensor::empty(grad.shape(), grad.dtype());
                    const double* o = out.data<double>();
                    const double* src = grad.data<double>();
                    double* dst = gd.data<double>();
                    for (std::int64_t i = 0; i < gd.size(); ++i) dst[i] = o[i] > 0.0 ? src[i] : 0.0;
                }
                kernels::ref::max_pool_backward(g, x.data<double>(), gd.data<double>(),
                                                gx.data<double>());
            } else {
                kernels::ref::avg_pool_backward(g, grad.data<double>(), gx.data<double>());
            }
            if (positive_only) autograd::mark_zero_where_not_positive(gx, x);
            return std::vector<Tensor>{gx};
        });
    }
    return out;
}

Tensor pool2d(bool is_max, const Tensor& x, Size2 k, Size2 s, const std::string& padding,
              const char* op_name) {
    const std::string where = op_name;
    check_pool_input(x, 4, where);
    const bool same = parse_padding(padding, where);
    const AxisPlan rows = plan_axis(x.dim(1), k[0], s[0], same, where, "rows");
    const AxisPlan cols = plan_axis(x.dim(2), k[1], s[1], same, where, "cols");
    PoolGeometry g{.n = x.dim(0), .h = x.dim(1), .w = x.dim(2), .c = x.dim(3),
                   .oh = rows.out, .ow = cols.out, .kh = k[0], .kw = k[1], .sh = s[0],
                   .sw = s[1], .pad_top = rows.before, .pad_left = cols.before,
                   .pad_bottom = rows.after, .pad_right = cols.after};
    return pool(is_max, x, g, {g.n, g.oh, g.ow, g.c}, op_name);
}

Tensor pool1d(bool is_max, const Tensor& x, std::int64_t k, std::int64_t s,
              const std::string& padding, const char* op_name) {
    const std::string where = op_name;
    check_pool_input(x, 3, where);
    const bool same = parse_padding(padding, where);
    const AxisPlan steps = plan_axis(x.dim(1), k, s, same, where, "steps");
    PoolGeometry g{.n = x.dim(0), .h = 1, .w = x.dim(1), .c = x.dim(2), .oh = 1,
                   .ow = steps.out, .kh = 1, .kw = k, .sh = 1, .sw = s, .pad_top = 0,
                   .pad_left = steps.before, .pad_bottom = 0, .pad_right = steps.after};
    return pool(is_max, x, g, {g.n, g.ow, g.c}, op_name);
}

std::vector<int> spatial_axes(const Tensor& x, const char* where) {
    detail::check_floating(x, where);
    TFC_CHECK(x.rank() >= 3, where, "input has the wrong rank", shape_str(x.shape()),
              "rank >= 3 (batch, spatial axes..., channels)",
              "reshape the input to channels-last, e.g. (batch, steps, channels)");
    std::vector<int> axes;
    for (int a = 1; a + 1 < x.rank(); ++a) axes.push_back(a);
    return axes;
}

void check_box(const Tensor& x, std::int64_t top, std::int64_t bottom, std::int64_t left,
               std::int64_t right, const char* where) {
    detail::check_defined(x, where);
    TFC_CHECK(x.rank() == 4, where, "input has the wrong rank", shape_str(x.shape()),
              "rank 4 (batch, rows, cols, channels)", "reshape the input to channels-last NHWC");
    TFC_CHECK(top >= 0 && bottom >= 0 && left >= 0 && right >= 0, where,
              "padding/cropping amounts must be non-negative",
              "((" + std::to_string(top) + ", " + std::to_string(bottom) + "), (" +
                  std::to_string(left) + ", " + std::to_string(right) + "))",
              "values >= 0", "pass non-negative amounts");
}

}  // namespace

Tensor max_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding) {
    return pool2d(true, x, pool_size, strides, padding, "max_pool2d");
}

Tensor avg_pool2d(const Tensor& x, Size2 pool_size, Size2 strides, const std::string& padding) {
    return pool2d(false, x, pool_size, strides, padding, "avg_pool2d");
}

Tensor max_pool1d(const Tensor& x, std::int64_t pool_size, std::int64_t stride,
                  const std::string& padding) {
    return pool1d(true, x, pool_size, stride, padding, "max_pool1d");
}

Tensor avg_pool1d(const Tensor& x, std::int64_t pool_size, std::int64_t stride,
                  const std::string& padding) {
    return pool1d(false, x, pool_size, stride, padding, "avg_pool1d");
}

Tensor global_avg_pool(const Tensor& x, bool keepdims) {
    return mean(x, spatial_axes(x, "global_avg_pool"), keepdims);
}

Tensor global_max_pool(const Tensor& x, bool keepdims) {
    return max(x, spatial_axes(x, "global_max_pool"), keepdims);
}

Tensor global_avg_pool1d_masked(const Tensor& x, const Tensor& mask, bool keepdims) {
    const char* where = "global_avg_pool1d_masked";
    detail::check_floating(x, where);
    TFC_CHECK(x.rank() == 3, where, "input has the wrong rank", shape_str(x.shape()),
              "rank 3 (batch, steps, features)", "reshape the input to (batch, steps, features)");
    detail::check_defined(mask, where);
    TFC_CHECK(mask.rank() == 2 && mask.dim(0) == x.dim(0) && mask.dim(1) == x.dim(1), where,
              "mask does not fit the input",
              "mask " + shape_str(mask.shape()) + " for input " + shape_str(x.shape()),
              "mask shape " + shape_str({x.dim(0), x.dim(1)}) + " (batch, steps)",
              "pass the mask of the layer that produced the sequence (e.g. Embedding mask_zero)");
    const Tensor m = expand_dims(cast(mask, x.dtype()), 2);  // [N, T, 1]
    return div(sum(mul(x, m), {1}, keepdims), sum(m, {1}, keepdims));
}

Tensor zero_pad2d(const Tensor& x, std::int64_t top, std::int64_t bottom, std::int64_t left,
                  std::int64_t right) {
    check_box(x, top, bottom, left, right, "zero_pad2d");
    const std::int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
    Tensor out = Tensor::empty({n, h + top + bottom, w + left + right, c}, x.dtype());
    kernels::ref::pad2d(x.raw_data(), out.raw_data(), n, h, w, c, top, bottom, left, right,
                        dtype_size(x.dtype()));
    if (autograd::should_record({&x})) {
        autograd::record("zero_pad2d", {x}, out, [top, bottom, left, right](const Tensor& g) {
            return std::vector<Tensor>{crop2d(g, top, bottom, left, right)};
        });
    }
    return out;
}

Tensor crop2d(const Tensor& x, std::int64_t top, std::int64_t bottom, std::int64_t left,
              std::int64_t right) {
    check_box(x, top, bottom, left, right, "crop2d");
    const std::int64_t n = x.dim(0), h = x.dim(1) - top - bottom, w = x.dim(2) - left - right;
    const std::int64_t c = x.dim(3);
    TFC_CHECK(h >= 0 && w >= 0, "crop2d", "cropping removes more than the input has",
              "cropping ((" + std::to_string(top) + ", " + std::to_string(bottom) + "), (" +
                  std::to_string(left) + ", " + std::to_string(right) + ")) of " +
                  shape_str(x.shape()),
              "top + bottom <= rows and left + right <= cols", "crop less");
    Tensor out = Tensor::empty({n, h, w, c}, x.dtype());
    kernels::ref::crop2d(x.raw_data(), out.raw_data(), n, h, w, c, top, bottom, left, right,
                         dtype_size(x.dtype()));
    if (autograd::should_record({&x})) {
        autograd::record("crop2d", {x}, out, [top, bottom, left, right](const Tensor& g) {
            return std::vector<Tensor>{zero_pad2d(g, top, bottom, left, right)};
        });
    }
    return out;
}

Tensor upsample2d_nearest(const Tensor& x, Size2 size) {
    const char* where = "upsample2d_nearest";
    detail::check_defined(x, where);
    TFC_CHECK(x.rank() == 4, where, "input has the wrong rank", shape_str(x.shape()),
              "rank 4 (batch, rows, cols, channels)", "reshape the input to channels-last NHWC");
    TFC_CHECK(size[0] > 0 && size[1] > 0, where, "size must be positive",
              "(" + std::to_string(size[0]) + ", " + std::to_string(size[1]) + ")",
              "both factors >= 1", "pass a positive up-sampling size, e.g. (2, 2)");
    const std::int64_t n = x.dim(0), h = x.dim(1), w = x.dim(2), c = x.dim(3);
    // [N, H, 1, W, 1, C] broadcast to [N, H, rows, W, cols, C]: broadcast_to's rule sums the
    // gradient over each block.
    const Tensor b = broadcast_to(reshape(x, {n, h, 1, w, 1, c}), {n, h, size[0], w, size[1], c});
    return reshape(b, {n, h * size[0], w * size[1], c});
}

}  // namespace tfc::ops
