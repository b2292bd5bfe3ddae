// ops::rnn: validation, the kernel call (float32: kernels/cpu oneDNN path; float64: kernels/ref)
// and the BPTT backward rule. The op's single recorded output packs the sequence and the final
// states as [B, T + n_states, U]; the returned tensors are differentiable slices of it.
#include "tfc/ops/rnn.h"

#include <algorithm>
#include <cstdint>

#include "tfc/kernels/cpu/rnn_kernels.h"
#include "tfc/kernels/ref/rnn.h"
#include "tfc/ops/op_impl.h"
#include "tfc/ops/ops.h"

namespace tfc::ops {
namespace {

constexpr const char* kWhere = "RNN";

kernels::RnnActivation parse_activation(const std::string& name, const char* arg) {
    if (name == "tanh") return kernels::RnnActivation::tanh;
    if (name == "sigmoid") return kernels::RnnActivation::sigmoid;
    if (name == "hard_sigmoid") return kernels::RnnActivation::hard_sigmoid;
    if (name == "hard_sigmoid_keras3") return kernels::RnnActivation::hard_sigmoid_keras3;
    if (name == "relu") return kernels::RnnActivation::relu;
    if (name == "linear" || name.empty()) return kernels::RnnActivation::linear;
    fail(kWhere, std::string("unsupported ") + arg, "'" + name + "'",
         "one of tanh, sigmoid, hard_sigmoid, hard_sigmoid_keras3, relu, linear",
         "pass one of the supported activation names");
}

std::string dims(std::int64_t a, std::int64_t b) {
    std::string s = "(";
    s += std::to_string(a);
    s += ", ";
    s += std::to_string(b);
    s += ")";
    return s;
}

// Runs the forward kernel in T (float or double).
template <typename T>
void forward(const kernels::RnnDesc& d, const Tensor& x, const Tensor& k, const Tensor& rk,
             const Tensor& bias, const Tensor& h0, const Tensor& c0,
             const std::vector<std::uint8_t>& mask, const Tensor& scale, Tensor& seq,
             Tensor& h_last, Tensor& c_last, Tensor& ws) {
    kernels::RnnForwardArgs<T> a;
    a.x = x.data<T>();
    a.kernel = k.data<T>();
    a.recurrent_kernel = rk.data<T>();
    a.bias = bias.defined() ? bias.data<T>() : nullptr;
    a.h0 = h0.defined() ? h0.data<T>() : nullptr;
    a.c0 = c0.defined() ? c0.data<T>() : nullptr;
    a.mask = mask.empty() ? nullptr : mask.data();
    a.recurrent_scale = scale.defined() ? scale.data<T>() : nullptr;
    a.seq = seq.data<T>();
    a.h_last = h_last.data<T>();
    a.c_last = c_last.defined() ? c_last.data<T>() : nullptr;
    a.workspace = ws.data<T>();
    if constexpr (std::is_same_v<T, float>) {
        kernels::cpu::rnn_forward(d, a);
    } else {
        kernels::ref::rnn_forward<T>(d, a);
    }
}

template <typename T>
void backward(const kernels::RnnDesc& d, const Tensor& x, const Tensor& k, const Tensor& rk,
              bool has_bias, const std::vector<std::uint8_t>& mask, const Tensor& scale,
              const Tensor& ws, const Tensor& d_seq, const Tensor& d_h, const Tensor& d_c,
              Tensor& dx, Tensor& dk, Tensor& drk, Tensor& db, Tensor& dh0, Tensor& dc0) {
    kernels::RnnBackwardArgs<T> a;
    a.x = x.data<T>();
    a.kernel = k.data<T>();
    a.recurrent_kernel = rk.data<T>();
    a.has_bias = has_bias;
    a.mask = mask.empty() ? nullptr : mask.data();
    a.recurrent_scale = scale.defined() ? scale.data<T>() : nullptr;
    a.workspace = ws.data<T>();
    a.d_seq = d_seq.data<T>();
    a.d_h_last = d_h.data<T>();
    a.d_c_last = d_c.defined() ? d_c.data<T>() : nullptr;
    a.dx = dx.data<T>();
    a.d_kernel = dk.data<T>();
    a.d_recurrent_kernel = drk.data<T>();
    a.d_bias = has_bias ? db.data<T>() : nullptr;
    a.d_h0 = dh0.data<T>();
    a.d_c0 = dc0.defined() ? dc0.data<T>() : nullptr;
    if constexpr (std::is_same_v<T, float>) {
        kernels::cpu::rnn_backward(d, a);
    } else {
        kernels::ref::rnn_backward<T>(d, a);
    }
}

// Copies rows [r0, r0 + n) of each batch entry of packed [B, R, U] into a [B, n, U] tensor.
Tensor unpack_rows(const Tensor& packed, std::int64_t r0, std::int64_t n) {
    const std::int64_t B = packed.dim(0), R = packed.dim(1), U = packed.dim(2);
    Tensor out = Tensor::empty({B, n, U}, packed.dtype());
    const std::size_t es = packed.nbytes() / std::max<std::int64_t>(1, packed.size());
    const auto* src = static_cast<const unsigned char*>(packed.raw_data());
    auto* dst = static_cast<unsigned char*>(out.raw_data());
    for (std::int64_t b = 0; b < B; ++b) {
        std::copy(src + (b * R + r0) * U * es, src + (b * R + r0 + n) * U * es,
                  dst + b * n * U * es);
    }
    return out;
}

}  // namespace

RnnResult rnn(const Tensor& x, const Tensor& kernel, const Tensor& recurrent_kernel,
              const Tensor& bias, const std::vector<Tensor>& initial_states, const RnnOptions& o) {
    detail::check_floating(x, kWhere);
    TFC_CHECK(x.rank() == 3, kWhere,
              x.rank() == 2 ? "RNN on 2-D input" : "input has the wrong rank", shape_str(x.shape()),
              "rank 3: [batch, timesteps, features]",
              "add a time axis (e.g. ops::expand_dims(x, 1) for one step, or Reshape)");
    detail::check_floating(kernel, kWhere);
    detail::check_floating(recurrent_kernel, kWhere);
    detail::check_same_dtype(x, kernel, kWhere);
    detail::check_same_dtype(x, recurrent_kernel, kWhere);
    kernels::RnnDesc d;
    d.cell = o.cell == RnnCell::lstm  ? kernels::RnnCellKind::lstm
             : o.cell == RnnCell::gru ? kernels::RnnCellKind::gru
                                      : kernels::RnnCellKind::simple_rnn;
    d.batch = x.dim(0);
    d.time = x.dim(1);
    d.input = x.dim(2);
    d.activation = parse_activation(o.activation, "activation");
    d.recurrent_activation = parse_activation(o.recurrent_activation, "recurrent_activation");
    d.reset_after = o.reset_after;
    d.go_backwards = o.go_backwards;
    d.zero_output_for_mask = o.zero_output_for_mask;
    if (x.dtype() == DType::float32) d.batch_chunks = kernels::cpu::rnn_batch_chunks(d.batch);
    const std::int64_t G = d.gates();
    TFC_CHECK(d.time >= 1, kWhere, "the sequence has no timesteps", shape_str(x.shape()),
              "at least one timestep", "pass sequences of length >= 1");
    TFC_CHECK(recurrent_kernel.rank() == 2 && recurrent_kernel.dim(1) % G == 0 &&
                  recurrent_kernel.dim(1) == G * recurrent_kernel.dim(0),
              kWhere, "recurrent_kernel has the wrong shape", shape_str(recurrent_kernel.shape()),
              "[units, " + std::to_string(G) + " * units]",
              "pass the Keras layout (gate blocks along the last axis)");
    const std::int64_t U = recurrent_kernel.dim(0), B = d.batch, TT = d.time;
    d.units = U;
    TFC_CHECK(kernel.rank() == 2 && kernel.dim(0) == d.input && kernel.dim(1) == G * U, kWhere,
              "kernel does not match the input and the units",
              "kernel " + shape_str(kernel.shape()) + ", input " + shape_str(x.shape()),
              dims(d.input, G * U), "feed inputs with the feature size the layer was built for");
    const bool gru_two_biases = d.cell == kernels::RnnCellKind::gru && d.reset_after;
    if (bias.defined()) {
        detail::check_same_dtype(x, bias, kWhere);
        const Shape want = gru_two_biases ? Shape{2, G * U} : Shape{G * U};
        TFC_CHECK(bias.shape() == want, kWhere, "bias has the wrong shape", shape_str(bias.shape()),
                  shape_str(want),
                  gru_two_biases ? "GRU(reset_after=true) takes bias [2, 3*units]"
                                 : "pass one bias value per gate unit");
    }
    TFC_CHECK(initial_states.size() <= static_cast<std::size_t>(d.states()), kWhere,
              "too many initial states", std::to_string(initial_states.size()),
              std::to_string(d.states()) + (d.states() == 2 ? " ([h, c])" : " ([h])"),
              "pass [h] for SimpleRNN/GRU and [h, c] for LSTM");
    Tensor h0 = initial_states.size() > 0 ? initial_states[0] : Tensor();
    Tensor c0 = initial_states.size() > 1 ? initial_states[1] : Tensor();
    for (const Tensor* s : {&h0, &c0}) {
        if (!s->defined()) continue;
        detail::check_same_dtype(x, *s, kWhere);
        TFC_CHECK(s->shape() == (Shape{B, U}), kWhere, "initial state has the wrong shape",
                  shape_str(s->shape()), dims(B, U), "pass one [batch, units] tensor per state");
    }
    std::vector<std::uint8_t> mask;
    if (o.mask.defined()) {
        TFC_CHECK(o.mask.shape() == (Shape{B, TT}), kWhere, "mask shape does not fit the input",
                  "mask " + shape_str(o.mask.shape()) + " for input " + shape_str(x.shape()),
                  dims(B, TT) + " = [batch, timesteps]",
                  "pass one mask value per (sample, timestep), e.g. from Embedding(mask_zero)");
        mask.resize(static_cast<std::size_t>(B * TT));
        const std::vector<double> mv = o.mask.to_doubles();
        for (std::size_t i = 0; i < mask.size(); ++i) mask[i] = mv[i] != 0.0 ? 1 : 0;
    }
    Tensor scale = o.recurrent_scale;
    if (scale.defined()) {
        detail::check_same_dtype(x, scale, kWhere);
        TFC_CHECK(scale.shape() == (Shape{B, U}), kWhere, "recurrent_scale has the wrong shape",
                  shape_str(scale.shape()), dims(B, U), "pass a [batch, units] dropout mask");
    }

    const std::int64_t ns = d.states();
    Tensor seq = Tensor::empty({B, TT, U}, x.dtype());
    Tensor h_last = Tensor::empty({B, U}, x.dtype());
    Tensor c_last = ns == 2 ? Tensor::empty({B, U}, x.dtype()) : Tensor();
    Tensor ws = Tensor::empty({kernels::rnn_workspace_size(d)}, x.dtype());
    detail::dispatch_floating(x.dtype(), [&](auto tag) {
        forward<decltype(tag)>(d, x, kernel, recurrent_kernel, bias, h0, c0, mask, scale, seq,
                               h_last, c_last, ws);
    });
    // Pack [B, T + ns, U]: the sequence rows, then h (and c).
    Tensor packed = Tensor::empty({B, TT + ns, U}, x.dtype());
    {
        const std::size_t es = x.dtype() == DType::float32 ? 4 : 8;
        auto* dst = static_cast<unsigned char*>(packed.raw_data());
        const auto* sp = static_cast<const unsigned char*>(seq.raw_data());
        const auto* hp = static_cast<const unsigned char*>(h_last.raw_data());
        const auto* cp = ns == 2 ? static_cast<const unsigned char*>(c_last.raw_data()) : nullptr;
        const std::size_t row = static_cast<std::size_t>(U) * es;
        for (std::int64_t b = 0; b < B; ++b) {
            unsigned char* pb = dst + b * (TT + ns) * row;
            std::copy(sp + b * TT * row, sp + (b + 1) * TT * row, pb);
            std::copy(hp + b * row, hp + (b + 1) * row, pb + TT * row);
            if (cp) std::copy(cp + b * row, cp + (b + 1) * row, pb + (TT + 1) * row);
        }
    }

    std::vector<Tensor> inputs{x, kernel, recurrent_kernel};
    if (bias.defined()) inputs.push_back(bias);
    if (h0.defined()) inputs.push_back(h0);
    if (c0.defined()) inputs.push_back(c0);
    if (autograd::should_record(inputs)) {
        autograd::record(
            "rnn", inputs, packed,
            [d, x, kernel, recurrent_kernel, has_bias = bias.defined(),
             bias_shape = bias.defined() ? bias.shape() : Shape{}, has_h0 = h0.defined(),
             has_c0 = c0.defined(), mask, scale, ws, ns](const Tensor& g) {
                const std::int64_t B = d.batch, TT = d.time, U = d.units;
                const Tensor gc = g;
                Tensor d_seq = unpack_rows(gc, 0, TT);
                Tensor d_h = unpack_rows(gc, TT, 1);
                Tensor d_c = ns == 2 ? unpack_rows(gc, TT + 1, 1) : Tensor();
                const DType dt = x.dtype();
                Tensor dx = Tensor::empty(x.shape(), dt);
                Tensor dk = Tensor::empty(kernel.shape(), dt);
                Tensor drk = Tensor::empty(recurrent_kernel.shape(), dt);
                Tensor db = has_bias ? Tensor::empty(bias_shape, dt) : Tensor();
                Tensor dh0 = Tensor::empty({B, U}, dt);
                Tensor dc0 = ns == 2 ? Tensor::empty({B, U}, dt) : Tensor();
                detail::dispatch_floating(dt, [&](auto tag) {
                    backward<decltype(tag)>(d, x, kernel, recurrent_kernel, has_bias, mask, scale,
                                            ws, d_seq, d_h, d_c, dx, dk, drk, db, dh0, dc0);
                });
                std::vector<Tensor> grads{dx, dk, drk};
                if (has_bias) grads.push_back(db);
                if (has_h0) grads.push_back(dh0);
                if (has_c0) grads.push_back(dc0);
                return grads;
            });
    }

    RnnResult r;
    r.sequence = slice(packed, {0, 0, 0}, {B, TT, U});
    r.last_output = reshape(slice(packed, {0, TT - 1, 0}, {B, 1, U}), {B, U});
    for (std::int64_t i = 0; i < ns; ++i) {
        r.states.push_back(reshape(slice(packed, {0, TT + i, 0}, {B, 1, U}), {B, U}));
    }
    return r;
}

}  // namespace tfc::ops
