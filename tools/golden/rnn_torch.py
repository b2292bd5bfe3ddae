#!/usr/bin/python3
"""Golden fixtures for the recurrent layers where TF.js cannot serve (oracles.md §1.2):

- GRU(reset_after=True), unmasked: torch.nn.GRU (float64) with the Keras weights repacked
  (kernels transposed, gate blocks z,r,h -> r,z,n, bias row 0 -> bias_ih, row 1 -> bias_hh).
  The aten gru kernel behind torch.nn.GRU is called on the repacked tensors, so gradients
  flow back to the Keras-layout tensors.
- GRU(reset_after=True) masked, and Embedding(mask_zero) -> Bidirectional(LSTM), return_sequences
  true and false: the Keras-2 formulas (keras/backend.py rnn, masked step keeps the state and
  repeats the previous output; Bidirectional forces zero_output_for_mask=return_sequences) in
  float64 torch autograd. The formula loop is cross-checked against torch.nn.GRU / nn.LSTM on the
  unmasked input; the check is recorded in each fixture.

Writes tests/golden/layers/rnn_torch.json: inputs, weights (Keras order), output and the
gradients of L = sum(y * R) w.r.t. the float input and every weight.
Usage: /usr/bin/python3 tools/golden/rnn_torch.py
"""
import json
import os
import sys

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
B, T, I, U, V, D = 2, 5, 3, 4, 6, 3
IDS = [[3, 1, 0, 5, 0], [0, 2, 4, 1, 3]]
rng = np.random.default_rng(20261125)


def grid(shape, lim):
    """Multiples of 1/256 in [-lim, lim]: exact in float32."""
    k = int(round(lim * 256))
    return rng.integers(-k, k + 1, size=shape).astype(np.float64) / 256.0


def t(a, g=True):
    return torch.tensor(np.asarray(a, dtype=np.float64)).requires_grad_(g)


def run(cell, x, mask=None, go_backwards=False, zero_output_for_mask=False, n_states=1):
    """keras/backend.py rnn: returns (sequence in processing order, last output)."""
    steps = range(x.shape[1] - 1, -1, -1) if go_backwards else range(x.shape[1])
    states = [torch.zeros(x.shape[0], U) for _ in range(n_states)]
    prev = torch.zeros(x.shape[0], U)
    outs = []
    for s in steps:
        o, new = cell(x[:, s], states)
        if mask is not None:
            m = mask[:, s:s + 1]
            o = m * o + (1 - m) * (torch.zeros_like(o) if zero_output_for_mask else prev)
            new = [m * a + (1 - m) * b for a, b in zip(new, states)]
        states, prev = new, o
        outs.append(o)
    return torch.stack(outs, 1), outs[-1]


def gru_after(K, R, b):
    def cell(x, st):
        h = st[0]
        mx, mh = x @ K + b[0], h @ R + b[1]
        z = torch.sigmoid(mx[:, :U] + mh[:, :U])
        r = torch.sigmoid(mx[:, U:2 * U] + mh[:, U:2 * U])
        hh = torch.tanh(mx[:, 2 * U:] + r * mh[:, 2 * U:])
        h = z * h + (1 - z) * hh
        return h, [h]
    return cell


def lstm(K, R, b):
    def cell(x, st):
        h, c = st
        z = x @ K + h @ R + b
        i, f = torch.sigmoid(z[:, :U]), torch.sigmoid(z[:, U:2 * U])
        g, o = torch.tanh(z[:, 2 * U:3 * U]), torch.sigmoid(z[:, 3 * U:])
        c = f * c + i * g
        h = o * torch.tanh(c)
        return h, [h, c]
    return cell


def torch_gru(x, K, R, b):
    def reorder(m):
        return torch.cat([m[..., U:2 * U], m[..., :U], m[..., 2 * U:]], -1)
    # torch.nn.GRU's own kernel (aten gru), called with the repacked tensors so that the
    # gradients reach the Keras-layout leaves.
    params = [reorder(K).T, reorder(R).T, reorder(b[0]), reorder(b[1])]
    h0 = torch.zeros(1, x.shape[0], U)
    seq, _ = torch._VF.gru(x, h0, params, True, 1, 0.0, False, False, True)
    return seq


def torch_lstm(x, K, R, b):
    params = [K.T, R.T, b, torch.zeros(4 * U)]
    h0 = torch.zeros(1, x.shape[0], U)
    seq, _, _ = torch._VF.lstm(x, (h0, h0), params, True, 1, 0.0, False, False, True)
    return seq


def grads(y, leaves):
    Rm = t(grid(tuple(y.shape), 1.0), False)
    gs = torch.autograd.grad((y * Rm).sum(), leaves)
    return Rm, [g.detach().numpy().ravel().tolist() for g in gs]


def weights_json(names, arrays):
    return [{"name": n, "shape": list(a.shape), "values": a.ravel().tolist()} for n, a in zip(names, arrays)]


def gru_cases():
    out = []
    for seq_out in (True, False):
        x = grid((B, T, I), 1.0)
        K, R, b = grid((I, 3 * U), 0.6), grid((U, 3 * U), 0.6), grid((2, 3 * U), 0.3)
        xt, Kt, Rt, bt = t(x), t(K), t(R), t(b)
        seq = torch_gru(xt, Kt, Rt, bt)
        y = seq if seq_out else seq[:, -1]
        Rm, g = grads(y, [xt, Kt, Rt, bt])
        f_seq, _ = run(gru_after(t(K, False), t(R, False), t(b, False)), t(x, False))
        diff = (f_seq - seq.detach()).abs().max().item()
        out.append({
            "name": "gru_reset_after_" + ("seq" if seq_out else "last"), "layer": "gru",
            "reset_after": True, "return_sequences": seq_out, "masked": False, "bidirectional": None,
            "oracle": "torch.nn.GRU float64, Keras weights repacked", "units": U,
            "input_shape": [B, T, I], "x": x.ravel().tolist(),
            "weights": weights_json(["gru/kernel", "gru/recurrent_kernel", "gru/bias"], [K, R, b]),
            "R": Rm.numpy().ravel().tolist(), "output_shape": list(y.shape),
            "output": y.detach().numpy().ravel().tolist(), "grad_x": g[0], "grad_weights": g[1:],
            "cross_check": {"oracle": "Keras-2 GRU(reset_after) formula loop, float64", "max_abs_diff_output": diff}})
    return out


def masked_cases():
    ids = torch.tensor(IDS)
    mask = (ids != 0).double()
    out = []
    # GRU(reset_after=True) behind Embedding(mask_zero).
    for seq_out in (True, False):
        E, K, R, b = grid((V, D), 1.0), grid((D, 3 * U), 0.6), grid((U, 3 * U), 0.6), grid((2, 3 * U), 0.3)
        Et, Kt, Rt, bt = t(E), t(K), t(R), t(b)
        seq, last = run(gru_after(Kt, Rt, bt), Et[ids], mask)
        y = seq if seq_out else last
        Rm, g = grads(y, [Et, Kt, Rt, bt])
        # cross-check of the loop itself: unmasked loop vs torch.nn.GRU
        e = t(E, False)[ids]
        ref = torch_gru(e, t(K, False), t(R, False), t(b, False)).detach()
        loop, _ = run(gru_after(t(K, False), t(R, False), t(b, False)), e)
        out.append({
            "name": "masked_gru_reset_after_" + ("seq" if seq_out else "last"), "layer": "gru",
            "reset_after": True, "return_sequences": seq_out, "masked": True, "bidirectional": None,
            "oracle": "Keras-2 formulas (keras/backend.py rnn masking), float64 torch autograd", "units": U,
            "input_shape": [B, T], "x": np.array(IDS, dtype=np.float64).ravel().tolist(),
            "weights": weights_json(["embedding/embeddings", "gru/kernel", "gru/recurrent_kernel", "gru/bias"],
                                    [E, K, R, b]),
            "R": Rm.numpy().ravel().tolist(), "output_shape": list(y.shape),
            "output": y.detach().numpy().ravel().tolist(), "grad_x": None, "grad_weights": g,
            "cross_check": {"oracle": "unmasked formula loop vs torch.nn.GRU",
                            "max_abs_diff_output": (loop - ref).abs().max().item()}})
    # Bidirectional(LSTM) behind Embedding(mask_zero), merge concat.
    for seq_out in (True, False):
        E = grid((V, D), 1.0)
        ws = [grid((D, 4 * U), 0.6), grid((U, 4 * U), 0.6), grid((4 * U,), 0.3),
              grid((D, 4 * U), 0.6), grid((U, 4 * U), 0.6), grid((4 * U,), 0.3)]
        leaves = [t(E)] + [t(w) for w in ws]
        e = leaves[0][ids]
        zo = seq_out  # Keras 2: zero_output_for_mask = return_sequences
        fs, fl = run(lstm(*leaves[1:4]), e, mask, False, zo, 2)
        bs, bl = run(lstm(*leaves[4:7]), e, mask, True, zo, 2)
        y = torch.cat([fs, bs.flip(1)], -1) if seq_out else torch.cat([fl, bl], -1)
        Rm, g = grads(y, leaves)
        el = t(E, False)[ids]
        ref = torch_lstm(el, *[t(w, False) for w in ws[:3]]).detach()
        loop, _ = run(lstm(*[t(w, False) for w in ws[:3]]), el, n_states=2)
        names = ["embedding/embeddings"] + [p + "_lstm/" + n for p in ("forward", "backward")
                                             for n in ("kernel", "recurrent_kernel", "bias")]
        out.append({
            "name": "masked_bidirectional_lstm_" + ("seq" if seq_out else "last") + "_concat",
            "layer": "lstm", "return_sequences": seq_out, "masked": True, "bidirectional": "concat",
            "oracle": "Keras-2 formulas: Bidirectional forces zero_output_for_mask=return_sequences "
                      "(keras/layers/rnn/bidirectional.py); float64 torch autograd", "units": U,
            "input_shape": [B, T], "x": np.array(IDS, dtype=np.float64).ravel().tolist(),
            "weights": weights_json(names, [E] + ws),
            "R": Rm.numpy().ravel().tolist(), "output_shape": list(y.shape),
            "output": y.detach().numpy().ravel().tolist(), "grad_x": None, "grad_weights": g,
            "cross_check": {"oracle": "unmasked formula loop vs torch.nn.LSTM",
                            "max_abs_diff_output": (loop - ref).abs().max().item()}})
    return out


def main():
    cases = gru_cases() + masked_cases()
    for c in cases:
        if c["cross_check"]["max_abs_diff_output"] > 1e-12:
            sys.exit("cross-check failed for " + c["name"])
    doc = {"generator": {"script": "tools/golden/rnn_torch.py", "torch": torch.__version__,
                         "numpy": np.__version__, "oracle": "torch float64 (see each case)"},
           "loss": "sum(y * R)", "cases": cases}
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "golden",
                        "layers", "rnn_torch.json")
    with open(path, "w") as f:
        json.dump(doc, f)
    print("torch %s: %d cases -> %s" % (torch.__version__, len(cases), os.path.normpath(path)))


if __name__ == "__main__":
    main()
