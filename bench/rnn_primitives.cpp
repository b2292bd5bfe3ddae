// bench_rnn_primitives: oneDNN 2.6's RNN primitives (vanilla RNN, LSTM, linear-before-reset
// GRU, forward_training + backward) against tfc's fused recurrent kernels
// (tfc::kernels::cpu::rnn_forward / rnn_backward) on the recurrent layers of the text and ts
// reference models, at the thread count OMP_NUM_THREADS gives this process.
//
// Both sides get the same float32 inputs, Keras layouts (oneDNN's ntc / ldigo / ldgo are the
// Keras [batch, time, features] and [input, gate * units] layouts, so no data is moved), zero
// initial states, and must agree on the sequence output and every gradient before a time
// counts. The two sides' steps alternate. The oneDNN side is timed with what a training step needs:
// the reorders of the two weight matrices into the formats its primitives chose, zeroing the
// accumulated weight gradients, forward_training with the workspace, and backward.
//
// Output: one human line per (cell, shape), then "RESULT <key> <value>" lines (milliseconds per
// forward + backward) that bench/run collects. Flags: --quick (fewer repetitions).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <oneapi/dnnl/dnnl.hpp>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "tfc/core/random.h"
#include "tfc/kernels/cpu/rnn_kernels.h"

namespace {

using Clock = std::chrono::steady_clock;
using dnnl::memory;
using Tag = memory::format_tag;
using tfc::kernels::RnnCellKind;

double ms_since(Clock::time_point t0) {
    return 1e3 * std::chrono::duration<double>(Clock::now() - t0).count();
}

double median(std::vector<double> v) {
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

struct Problem {
    const char* shape;  // the reference model the layer comes from
    RnnCellKind cell;
    std::int64_t batch, time, input, units;
    const char* name() const {
        return cell == RnnCellKind::lstm ? "lstm" : cell == RnnCellKind::gru ? "gru" : "simple_rnn";
    }
    int gates() const { return cell == RnnCellKind::lstm ? 4 : cell == RnnCellKind::gru ? 3 : 1; }
};

std::vector<float> random_vec(std::int64_t n, double scale, std::uint64_t seed) {
    tfc::Generator g(seed);
    std::vector<float> v(static_cast<std::size_t>(n));
    for (float& x : v) x = static_cast<float>(g.uniform(-scale, scale));
    return v;
}

// The inputs and the outputs of one forward + backward, in Keras layouts.
struct Tensors {
    std::vector<float> x, kernel, recurrent, bias, d_seq, d_h, d_c;  // inputs
    std::vector<float> seq, dx, d_kernel, d_recurrent, d_bias;       // outputs
};

Tensors make_inputs(const Problem& p) {
    const std::int64_t GU = p.gates() * p.units, B = p.batch, T = p.time, U = p.units;
    const std::int64_t nbias = (p.cell == RnnCellKind::gru ? 2 : 1) * GU;  // GRU reset_after
    Tensors t;
    t.x = random_vec(B * T * p.input, 1.0, 1);
    t.kernel = random_vec(p.input * GU, 0.3, 2);
    t.recurrent = random_vec(U * GU, 0.3, 3);
    t.bias = random_vec(nbias, 0.1, 4);
    t.d_seq = random_vec(B * T * U, 0.1, 5);
    t.d_h = random_vec(B * U, 0.1, 6);
    t.d_c = random_vec(B * U, 0.1, 7);
    t.seq.resize(static_cast<std::size_t>(B * T * U));
    t.dx.resize(t.x.size());
    t.d_kernel.resize(t.kernel.size());
    t.d_recurrent.resize(t.recurrent.size());
    t.d_bias.resize(t.bias.size());
    return t;
}

// tfc's kernels: the fused step loops, batch rows split over the threads.
class TfcRnn {
public:
    TfcRnn(const Problem& p, Tensors& t) : t_(t) {
        d_.cell = p.cell;
        d_.batch = p.batch;
        d_.time = p.time;
        d_.input = p.input;
        d_.units = p.units;
        d_.batch_chunks = tfc::kernels::cpu::rnn_batch_chunks(p.batch);
        ws_.resize(static_cast<std::size_t>(tfc::kernels::rnn_workspace_size(d_)));
        h_.resize(static_cast<std::size_t>(p.batch * p.units));
        c_ = h_;
        dh0_ = h_;
        dc0_ = h_;
    }
    void step() {
        tfc::kernels::RnnForwardArgs<float> f;
        f.x = t_.x.data();
        f.kernel = t_.kernel.data();
        f.recurrent_kernel = t_.recurrent.data();
        f.bias = t_.bias.data();
        f.seq = t_.seq.data();
        f.h_last = h_.data();
        f.c_last = c_.data();
        f.workspace = ws_.data();
        tfc::kernels::cpu::rnn_forward(d_, f);
        tfc::kernels::RnnBackwardArgs<float> b;
        b.x = t_.x.data();
        b.kernel = t_.kernel.data();
        b.recurrent_kernel = t_.recurrent.data();
        b.has_bias = true;
        b.workspace = ws_.data();
        b.d_seq = t_.d_seq.data();
        b.d_h_last = t_.d_h.data();
        b.d_c_last = t_.d_c.data();
        b.dx = t_.dx.data();
        b.d_kernel = t_.d_kernel.data();
        b.d_recurrent_kernel = t_.d_recurrent.data();
        b.d_bias = t_.d_bias.data();
        b.d_h0 = dh0_.data();
        b.d_c0 = dc0_.data();
        tfc::kernels::cpu::rnn_backward(d_, b);
    }

private:
    Tensors& t_;
    tfc::kernels::RnnDesc d_;
    std::vector<float> ws_, h_, c_, dh0_, dc0_;
};

// oneDNN's primitives for the same cell. Keras's tanh / sigmoid defaults are oneDNN's cells;
// Keras's GRU(reset_after=True) is oneDNN's linear-before-reset GRU, whose bias is
// [z_in + z_rec, r_in + r_rec, h_in, h_rec].
class DnnlRnn {
public:
    DnnlRnn(const Problem& p, Tensors& t) : p_(p), t_(t) {
        const memory::dim B = p.batch, T = p.time, I = p.input, U = p.units, G = p.gates();
        const auto md = [](memory::dims dims, Tag tag) {
            return memory::desc(dims, memory::data_type::f32, tag);
        };
        // ntc: [batch][time][channels], the Keras sequence layout.
        const auto layer_in = md({T, B, I}, Tag::ntc), layer_out = md({T, B, U}, Tag::ntc);
        const auto state = md({1, 1, B, U}, Tag::ldnc);
        const auto w_layer = md({1, 1, I, G, U}, Tag::ldigo),
                   w_iter = md({1, 1, U, G, U}, Tag::ldigo);
        const auto w_layer_any = md({1, 1, I, G, U}, Tag::any);
        const auto w_iter_any = md({1, 1, U, G, U}, Tag::any);
        const memory::dim bias_gates = p.cell == RnnCellKind::gru ? G + 1 : G;
        const auto bias = md({1, 1, bias_gates, U}, Tag::ldgo);
        const auto fwd = dnnl::prop_kind::forward_training;
        const auto bwd = dnnl::prop_kind::backward;
        const auto dir = dnnl::rnn_direction::unidirectional_left2right;
        const bool lstm = p.cell == RnnCellKind::lstm;
        if (lstm) {
            dnnl::lstm_forward::primitive_desc fpd({fwd, dir, layer_in, state, state, w_layer_any,
                                                    w_iter_any, bias, layer_out, state, state},
                                                   engine_);
            dnnl::lstm_backward::primitive_desc bpd(
                {bwd,     dir,       layer_in, state,     state,    w_layer_any, w_iter_any,
                 bias,    layer_out, state,    state,     layer_in, state,       state,
                 w_layer, w_iter,    bias,     layer_out, state,    state},
                engine_, fpd);
            setup(fpd, bpd);
            forward_ = dnnl::lstm_forward(fpd);
            backward_ = dnnl::lstm_backward(bpd);
        } else if (p.cell == RnnCellKind::gru) {
            dnnl::lbr_gru_forward::primitive_desc fpd(
                {fwd, dir, layer_in, state, w_layer_any, w_iter_any, bias, layer_out, state},
                engine_);
            dnnl::lbr_gru_backward::primitive_desc bpd(
                {bwd, dir, layer_in, state, w_layer_any, w_iter_any, bias, layer_out, state,
                 layer_in, state, w_layer, w_iter, bias, layer_out, state},
                engine_, fpd);
            setup(fpd, bpd);
            forward_ = dnnl::lbr_gru_forward(fpd);
            backward_ = dnnl::lbr_gru_backward(bpd);
        } else {
            const auto tanh = dnnl::algorithm::eltwise_tanh;
            dnnl::vanilla_rnn_forward::primitive_desc fpd(
                {fwd, tanh, dir, layer_in, state, w_layer_any, w_iter_any, bias, layer_out, state},
                engine_);
            dnnl::vanilla_rnn_backward::primitive_desc bpd(
                {bwd, tanh, dir, layer_in, state, w_layer_any, w_iter_any, bias, layer_out, state,
                 layer_in, state, w_layer, w_iter, bias, layer_out, state},
                engine_, fpd);
            setup(fpd, bpd);
            forward_ = dnnl::vanilla_rnn_forward(fpd);
            backward_ = dnnl::vanilla_rnn_backward(bpd);
        }
        w_layer_ = memory(w_layer, engine_, t.kernel.data());
        w_iter_ = memory(w_iter, engine_, t.recurrent.data());
        bias_ = memory(bias, engine_);
        d_bias_ = memory(bias, engine_);
        x_ = memory(layer_in, engine_, t.x.data());
        seq_ = memory(layer_out, engine_, t.seq.data());
        dx_ = memory(layer_in, engine_, t.dx.data());
        d_seq_ = memory(layer_out, engine_, t.d_seq.data());
        d_w_layer_ = memory(w_layer, engine_, t.d_kernel.data());
        d_w_iter_ = memory(w_iter, engine_, t.d_recurrent.data());
        for (memory* m : {&h0_, &c0_, &h_, &c_, &dh0_, &dc0_, &dh_, &dc_}) {
            *m = memory(state, engine_);
            std::memset(m->get_data_handle(), 0, state.get_size());
        }
        std::memcpy(dh_.get_data_handle(), t.d_h.data(), state.get_size());
        if (lstm) std::memcpy(dc_.get_data_handle(), t.d_c.data(), state.get_size());
    }

    void step() {
        const std::int64_t GU = p_.gates() * p_.units, U = p_.units;
        auto* b = static_cast<float*>(bias_.get_data_handle());
        if (p_.cell == RnnCellKind::gru) {  // Keras [2, 3U] -> oneDNN [4, U]
            const float* in = t_.bias.data();
            const float* rec = in + GU;
            for (std::int64_t j = 0; j < 2 * U; ++j) b[j] = in[j] + rec[j];
            std::copy(in + 2 * U, in + 3 * U, b + 2 * U);
            std::copy(rec + 2 * U, rec + 3 * U, b + 3 * U);
        } else {
            std::copy(t_.bias.begin(), t_.bias.end(), b);
        }
        dnnl::reorder(w_layer_, fwd_w_layer_).execute(stream_, w_layer_, fwd_w_layer_);
        dnnl::reorder(w_iter_, fwd_w_iter_).execute(stream_, w_iter_, fwd_w_iter_);
        std::unordered_map<int, memory> args{{DNNL_ARG_SRC_LAYER, x_},
                                             {DNNL_ARG_SRC_ITER, h0_},
                                             {DNNL_ARG_WEIGHTS_LAYER, fwd_w_layer_},
                                             {DNNL_ARG_WEIGHTS_ITER, fwd_w_iter_},
                                             {DNNL_ARG_BIAS, bias_},
                                             {DNNL_ARG_DST_LAYER, seq_},
                                             {DNNL_ARG_DST_ITER, h_},
                                             {DNNL_ARG_WORKSPACE, workspace_}};
        const bool lstm = p_.cell == RnnCellKind::lstm;
        if (lstm) {
            args[DNNL_ARG_SRC_ITER_C] = c0_;
            args[DNNL_ARG_DST_ITER_C] = c_;
        }
        forward_.execute(stream_, args);
        dnnl::reorder(w_layer_, bwd_w_layer_).execute(stream_, w_layer_, bwd_w_layer_);
        dnnl::reorder(w_iter_, bwd_w_iter_).execute(stream_, w_iter_, bwd_w_iter_);
        // The backward primitive accumulates into the weight gradients.
        std::fill(t_.d_kernel.begin(), t_.d_kernel.end(), 0.0f);
        std::fill(t_.d_recurrent.begin(), t_.d_recurrent.end(), 0.0f);
        std::memset(d_bias_.get_data_handle(), 0, d_bias_.get_desc().get_size());
        args[DNNL_ARG_WEIGHTS_LAYER] = bwd_w_layer_;
        args[DNNL_ARG_WEIGHTS_ITER] = bwd_w_iter_;
        args[DNNL_ARG_DIFF_SRC_LAYER] = dx_;
        args[DNNL_ARG_DIFF_SRC_ITER] = dh0_;
        args[DNNL_ARG_DIFF_WEIGHTS_LAYER] = d_w_layer_;
        args[DNNL_ARG_DIFF_WEIGHTS_ITER] = d_w_iter_;
        args[DNNL_ARG_DIFF_BIAS] = d_bias_;
        args[DNNL_ARG_DIFF_DST_LAYER] = d_seq_;
        args[DNNL_ARG_DIFF_DST_ITER] = dh_;
        if (lstm) {
            args[DNNL_ARG_DIFF_SRC_ITER_C] = dc0_;
            args[DNNL_ARG_DIFF_DST_ITER_C] = dc_;
        }
        backward_.execute(stream_, args);
        stream_.wait();
        // Back to the Keras bias layout (GRU: [4, U] -> [2, 3U]).
        const auto* db = static_cast<const float*>(d_bias_.get_data_handle());
        if (p_.cell == RnnCellKind::gru) {
            float* in = t_.d_bias.data();
            float* rec = in + GU;
            std::copy(db, db + 3 * U, in);
            std::copy(db, db + 2 * U, rec);
            std::copy(db + 3 * U, db + 4 * U, rec + 2 * U);
        } else {
            std::copy(db, db + GU, t_.d_bias.begin());
        }
    }

private:
    template <typename Fwd, typename Bwd>
    void setup(const Fwd& fpd, const Bwd& bpd) {
        fwd_w_layer_ = memory(fpd.weights_layer_desc(), engine_);
        fwd_w_iter_ = memory(fpd.weights_iter_desc(), engine_);
        bwd_w_layer_ = memory(bpd.weights_layer_desc(), engine_);
        bwd_w_iter_ = memory(bpd.weights_iter_desc(), engine_);
        workspace_ = memory(fpd.workspace_desc(), engine_);
    }

    Problem p_;
    Tensors& t_;
    dnnl::engine engine_{dnnl::engine::kind::cpu, 0};
    dnnl::stream stream_{engine_};
    dnnl::primitive forward_, backward_;
    memory x_, seq_, dx_, d_seq_, w_layer_, w_iter_, bias_, d_bias_, d_w_layer_, d_w_iter_;
    memory fwd_w_layer_, fwd_w_iter_, bwd_w_layer_, bwd_w_iter_, workspace_;
    memory h0_, c0_, h_, c_, dh0_, dc0_, dh_, dc_;
};

// Largest |a - b| / (1 + |b|) over two arrays.
double max_rel_diff(const std::vector<float>& a, const std::vector<float>& b) {
    double worst = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        worst = std::max(worst, std::fabs(double(a[i]) - b[i]) / (1.0 + std::fabs(double(b[i]))));
    }
    return worst;
}

// Median milliseconds per step of a and of b, their steps alternating so that both see the same
// machine (the load on this kind of host moves by a third between seconds).
template <typename A, typename B>
std::pair<double, double> time_alternating(A& a, B& b, int reps) {
    for (int i = 0; i < 3; ++i) {
        a.step();
        b.step();
    }
    std::vector<double> ms_a, ms_b;
    for (int r = 0; r < reps; ++r) {
        auto t0 = Clock::now();
        a.step();
        ms_a.push_back(ms_since(t0));
        t0 = Clock::now();
        b.step();
        ms_b.push_back(ms_since(t0));
    }
    return {median(ms_a), median(ms_b)};
}

}  // namespace

int main(int argc, char** argv) {
    const bool quick = argc > 1 && std::strcmp(argv[1], "--quick") == 0;
    const int reps = quick ? 10 : 60;
    const Problem problems[] = {
        // text: Bidirectional(LSTM(32)) over Embedding(10000, 16), length 120 (each direction).
        {"text", RnnCellKind::lstm, 32, 120, 16, 32},
        {"text", RnnCellKind::gru, 32, 120, 16, 32},
        // ts: LSTM(64, return_sequences=True) over Conv1D(64), window 30.
        {"ts", RnnCellKind::lstm, 32, 30, 64, 64},
        {"ts", RnnCellKind::gru, 32, 30, 64, 64},
        {"ts", RnnCellKind::simple_rnn, 32, 30, 64, 64},
    };
    for (const Problem& p : problems) {
        Tensors tfc_t = make_inputs(p), dnnl_t = make_inputs(p);
        TfcRnn tfc_rnn(p, tfc_t);
        DnnlRnn dnnl_rnn(p, dnnl_t);
        tfc_rnn.step();
        dnnl_rnn.step();
        const double diff =
            std::max({max_rel_diff(dnnl_t.seq, tfc_t.seq), max_rel_diff(dnnl_t.dx, tfc_t.dx),
                      max_rel_diff(dnnl_t.d_kernel, tfc_t.d_kernel),
                      max_rel_diff(dnnl_t.d_recurrent, tfc_t.d_recurrent),
                      max_rel_diff(dnnl_t.d_bias, tfc_t.d_bias)});
        if (diff > 1e-3) {
            std::fprintf(stderr, "%s %s: oneDNN and tfc disagree (max relative difference %.3g)\n",
                         p.name(), p.shape, diff);
            return 1;
        }
        const auto [t_tfc, t_dnnl] = time_alternating(tfc_rnn, dnnl_rnn, reps);
        std::printf(
            "%-10s %-4s B%lld T%lld I%lld U%lld: tfc %.3f ms, oneDNN %.3f ms per "
            "forward + backward (oneDNN / tfc %.2fx; outputs agree to %.1e)\n",
            p.name(), p.shape, static_cast<long long>(p.batch), static_cast<long long>(p.time),
            static_cast<long long>(p.input), static_cast<long long>(p.units), t_tfc, t_dnnl,
            t_dnnl / t_tfc, diff);
        std::printf("RESULT %s_%s_tfc_ms %.4f\n", p.name(), p.shape, t_tfc);
        std::printf("RESULT %s_%s_onednn_ms %.4f\n", p.name(), p.shape, t_dnnl);
    }
    return 0;
}
