#!/usr/bin/python3
"""Golden-fixture generator for tfc optimizers, losses and metrics (Keras 2 semantics).

Two sub-commands (run through make_goldens.sh):

  /usr/bin/python3 keras_formulas.py cases     -> out/cases.json
      Deterministic inputs: data, initial weights, optimizer/loss configs, loss/metric inputs.
      Every number is float32-representable (multiples of powers of two), so a float32 engine
      starts from exactly the same values as the float64 oracle.

  node tfjs_oracle.js                          -> out/tfjs_results.json   (reads out/cases.json)

  /usr/bin/python3 keras_formulas.py fixtures  -> ../../tests/golden/{training/*.json,losses.json,metrics.json}
      Re-runs every case with the Keras-2 formulas in float64 torch autograd, picks the oracle per
      case (see README.md), and records the max difference to the other oracle as `cross_check`.

Sources of the formulas (keras-team/keras tag v2.15.0, identical in keras-team/tf-keras v2.15.0):
  keras/optimizers/sgd.py, rmsprop.py, adam.py, adagrad.py   (update rules)
  keras/optimizers/optimizer.py  (_clip_gradients: clipnorm per variable, clipvalue elementwise)
  keras/backend.py  (binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy,
                     `_get_logits`: the logits shortcut; keras/backend_config.py epsilon() = 1e-7)
  keras/activations.py (sigmoid / softmax cache their input as `output._keras_logits`)
  keras/losses.py   (mean over the last axis, huber), keras/utils/losses_utils.py (sum_over_batch_size)
  keras/metrics/accuracy_metrics.py, keras/utils/metrics_utils.py (binary_matches, sparse_categorical_matches)
"""
import json
import math
import os
import struct
import sys

import numpy as np
import torch

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "out")
REPO = os.path.normpath(os.path.join(HERE, "..", ".."))
GOLDEN = os.path.join(REPO, "tests", "golden")
SCRIPT = "tools/golden/keras_formulas.py"
TORCH_ORACLE = "torch %s float64 autograd, Keras-2 formulas" % torch.__version__
torch.set_default_dtype(torch.float64)

STEPS = 20
N = 16
IN_DIM = 6
HIDDEN = 8


def f32(v):
    """Round a Python float to the nearest float32 and return it as a float (double)."""
    return struct.unpack("<f", struct.pack("<f", float(v)))[0]


EPS = f32(1e-7)            # backend.epsilon() converted to a float32 tensor constant
ONE_MINUS_EPS = f32(1.0 - EPS)   # 1. - epsilon_ evaluated in float32 = 0.99999988079071045


# ---------------------------------------------------------------------------------------------
# Deterministic number source: xorshift32. Values are integers scaled by powers of two, so they
# are exact in float32 and in decimal JSON.
class Rand:
    def __init__(self, seed):
        self.s = seed & 0xFFFFFFFF or 1

    def next_u32(self):
        s = self.s
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        self.s = s
        return s

    def randint(self, lo, hi):
        """Integer in [lo, hi] (inclusive)."""
        return lo + (self.next_u32() >> 8) * (hi - lo + 1) // (1 << 24)

    def grid(self, n, limit, denom):
        """n values k/denom with |k/denom| <= limit."""
        k = int(math.floor(limit * denom))
        return [self.randint(-k, k) / denom for _ in range(n)]


def make_data():
    r = Rand(20240611)
    x = np.array(r.grid(N * IN_DIM, 1.0, 64), dtype=np.float64).reshape(N, IN_DIM)
    xi = np.rint(x * 64).astype(np.int64)
    # regression teacher: y = x @ T + c, T multiples of 1/8, c multiples of 1/8 -> y multiples of 1/512
    T = np.array([r.randint(-8, 8) for _ in range(IN_DIM * 3)]).reshape(IN_DIM, 3)
    c = np.array([r.randint(-4, 4) for _ in range(3)])
    y_reg = (xi @ T + c * 64) / 512.0
    # classification teachers (integer arithmetic, so argmax is exact; ties -> first index)
    while True:
        Tc = np.array([r.randint(-8, 8) for _ in range(IN_DIM * 4)]).reshape(IN_DIM, 4)
        labels = np.argmax(xi @ Tc, axis=1)
        if len(set(labels.tolist())) == 4 and min(np.bincount(labels, minlength=4)) >= 2:
            break
    while True:
        tb = np.array([r.randint(-8, 8) for _ in range(IN_DIM)])
        yb = (xi @ tb > 0).astype(np.int64)
        if 5 <= yb.sum() <= 11:
            break
    return x, y_reg, labels, yb


def glorot_grid(r, fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return r.grid(fan_in * fan_out, limit, 256)


def make_weights(k, seed):
    r = Rand(seed)
    return [
        {"name": "dense/kernel", "shape": [IN_DIM, HIDDEN], "values": glorot_grid(r, IN_DIM, HIDDEN)},
        {"name": "dense/bias", "shape": [HIDDEN], "values": r.grid(HIDDEN, 0.1, 256)},
        {"name": "dense_1/kernel", "shape": [HIDDEN, k], "values": glorot_grid(r, HIDDEN, k)},
        {"name": "dense_1/bias", "shape": [k], "values": r.grid(k, 0.1, 256)},
    ]


OPTIMIZERS = {
    # name: (class_name, config)  -- defaults per keras/optimizers/*.py (v2.15.0)
    "sgd_momentum": ("SGD", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": False}),
    "sgd_nesterov": ("SGD", {"learning_rate": 0.01, "momentum": 0.9, "nesterov": True}),
    "rmsprop": ("RMSprop", {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.0, "epsilon": 1e-7, "centered": False}),
    "rmsprop_momentum": ("RMSprop", {"learning_rate": 0.001, "rho": 0.9, "momentum": 0.9, "epsilon": 1e-7, "centered": False}),
    "adam": ("Adam", {"learning_rate": 0.001, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-7, "amsgrad": False}),
    "adagrad": ("Adagrad", {"learning_rate": 0.001, "initial_accumulator_value": 0.1, "epsilon": 1e-7}),
}

LOSSES = {
    # name: (class_name, config, output units, output activation)
    "binary_crossentropy": ("BinaryCrossentropy", {"from_logits": False, "label_smoothing": 0.0, "axis": -1}, 1, "sigmoid"),
    "categorical_crossentropy": ("CategoricalCrossentropy", {"from_logits": False, "label_smoothing": 0.0, "axis": -1}, 4, "softmax"),
    "sparse_categorical_crossentropy": ("SparseCategoricalCrossentropy", {"from_logits": False}, 4, "softmax"),
    "mse": ("MeanSquaredError", {}, 3, "linear"),
    "mae": ("MeanAbsoluteError", {}, 3, "linear"),
    "huber": ("Huber", {"delta": 1.0}, 3, "linear"),
}
for _cfg in LOSSES.values():
    _cfg[1]["reduction"] = "sum_over_batch_size"

TFJS_OPTIMIZERS_OK = {"sgd_momentum", "sgd_nesterov", "rmsprop", "rmsprop_momentum", "adagrad"}
TFJS_LOSSES_OK = {"mse", "mae", "huber"}


def training_cases():
    x, y_reg, labels, yb = make_data()
    cases = []
    for lname, (lcls, lcfg, k, act) in LOSSES.items():
        if lname == "binary_crossentropy":
            y = yb.reshape(N, 1).astype(float).tolist()
            ydt = "float32"
        elif lname == "categorical_crossentropy":
            y = np.eye(4)[labels].tolist()
            ydt = "float32"
        elif lname == "sparse_categorical_crossentropy":
            y = labels.tolist()
            ydt = "int32"
        else:
            y = y_reg.tolist()
            ydt = "float32"
        w0 = make_weights(k, 1000 + k)
        for oname, (ocls, ocfg) in OPTIMIZERS.items():
            cases.append(dict(
                name="%s__%s" % (oname, lname), opt=oname, loss=lname,
                optimizer={"class_name": ocls, "config": dict(ocfg)},
                loss_spec={"class_name": lcls, "name": lname, "config": dict(lcfg)},
                units=k, activation=act, x=x.tolist(), y=y, y_dtype=ydt,
                initial_weights=w0, learning_rates=[ocfg["learning_rate"]] * STEPS,
                oracle="tfjs" if (oname in TFJS_OPTIMIZERS_OK and lname in TFJS_LOSSES_OK) else "torch",
                tfjs_mode="layers"))
    mse = LOSSES["mse"]
    w0 = make_weights(3, 1003)
    base = dict(loss="mse", loss_spec={"class_name": mse[0], "name": "mse", "config": dict(mse[1])},
                units=3, activation="linear", x=x.tolist(), y=y_reg.tolist(), y_dtype="float32",
                initial_weights=w0, oracle="torch", tfjs_mode="manual")
    cases.append(dict(base, name="sgd_momentum_lr_change__mse", opt="sgd_momentum",
                      optimizer={"class_name": "SGD", "config": {"learning_rate": 0.1, "momentum": 0.9, "nesterov": False}},
                      learning_rates=[0.1] * 10 + [0.01] * 10))
    cases.append(dict(base, name="sgd_clipnorm__mse", opt="sgd",
                      optimizer={"class_name": "SGD", "config": {"learning_rate": 0.1, "momentum": 0.0, "nesterov": False, "clipnorm": 0.5}},
                      learning_rates=[0.1] * STEPS))
    cases.append(dict(base, name="sgd_clipvalue__mse", opt="sgd",
                      optimizer={"class_name": "SGD", "config": {"learning_rate": 0.1, "momentum": 0.0, "nesterov": False, "clipvalue": 0.05}},
                      learning_rates=[0.1] * STEPS))
    return cases


# ---------------------------------------------------------------------------------------------
# Keras-2 loss formulas in torch (float64). All return per-sample losses (shape [N]), i.e. after
# the mean over the last axis (keras/losses.py) and before the reduction.

def bce_prob(y, p):
    # keras/backend.py binary_crossentropy (probability path): clip to [eps, 1-eps] in the output
    # dtype, then -[y log(p + eps) + (1-y) log(1 - p + eps)]; keras/losses.py takes the mean over axis -1.
    p = torch.clamp(p, EPS, ONE_MINUS_EPS)
    return -(y * torch.log(p + EPS) + (1 - y) * torch.log(1 - p + EPS)).mean(-1)


def bce_logits(y, z):
    # tf.nn.sigmoid_cross_entropy_with_logits: max(z,0) - z*y + log(1 + exp(-|z|)), written as TF
    # does (cond = z >= 0; relu = where(cond, z, 0); neg_abs = where(cond, -z, z)), so that the
    # gradient at z == 0 is the exact sigmoid(0) - y = 0.5 - y.
    cond = z >= 0
    relu = torch.where(cond, z, torch.zeros_like(z))
    neg_abs = torch.where(cond, -z, z)
    return (relu - z * y + torch.log1p(torch.exp(neg_abs))).mean(-1)


def cce_prob(y, p):
    # keras/backend.py categorical_crossentropy: p / sum(p), clip to [eps, 1-eps], -sum y log p.
    p = p / p.sum(-1, keepdim=True)
    p = torch.clamp(p, EPS, ONE_MINUS_EPS)
    return -(y * torch.log(p)).sum(-1)


def log_softmax(z):
    return z - torch.logsumexp(z, -1, keepdim=True)


def cce_logits(y, z):
    # tf.nn.softmax_cross_entropy_with_logits: -sum y * log_softmax(z).
    return -(y * log_softmax(z)).sum(-1)


def scce_prob(lbl, p):
    # keras/backend.py sparse_categorical_crossentropy: clip to [eps, 1-eps], log, then
    # sparse_softmax_cross_entropy_with_logits on the logs (i.e. renormalise after clipping).
    p = torch.clamp(p, EPS, ONE_MINUS_EPS)
    return scce_logits(lbl, torch.log(p))


def scce_logits(lbl, z):
    lbl = lbl.reshape(-1).long()
    return -log_softmax(z).gather(1, lbl.view(-1, 1)).view(-1)


def mse(y, p):
    return ((y - p) ** 2).mean(-1)


def mae(y, p):
    return torch.abs(p - y).mean(-1)


def huber(y, p, delta=1.0):
    # keras/losses.py huber: e = p - y; 0.5 e^2 where |e| <= delta else delta*|e| - 0.5 delta^2.
    e = p - y
    a = torch.abs(e)
    return torch.where(a <= delta, 0.5 * e * e, delta * a - 0.5 * delta * delta).mean(-1)


def reduce_sobs(per_sample, sw=None):
    # keras/utils/losses_utils.py: weighted losses summed and divided by the number of elements
    # (sum_over_batch_size); sample weights do NOT change the divisor.
    if sw is not None:
        per_sample = per_sample * sw
    return per_sample.sum() / per_sample.numel()


# ---------------------------------------------------------------------------------------------
# Training in float64 torch

def torch_train(case):
    ws = [torch.tensor(w["values"], dtype=torch.float64).reshape(w["shape"]).requires_grad_(True)
          for w in case["initial_weights"]]
    x = torch.tensor(case["x"])
    lname = case["loss"]
    if lname == "sparse_categorical_crossentropy":
        y = torch.tensor(case["y"], dtype=torch.long)
    else:
        y = torch.tensor(case["y"])
    ocls = case["optimizer"]["class_name"]
    cfg = case["optimizer"]["config"]
    slots = [dict() for _ in ws]
    if ocls == "Adagrad":
        for s, w in zip(slots, ws):
            s["acc"] = torch.full_like(w, cfg["initial_accumulator_value"])
    losses, after1 = [], None
    for t in range(1, STEPS + 1):
        lr = case["learning_rates"][t - 1]
        h = torch.relu(x @ ws[0] + ws[1])
        z = h @ ws[2] + ws[3]
        # Logits shortcut: keras/activations.py sigmoid()/softmax() cache their input as
        # `output._keras_logits`; keras/backend.py binary_/categorical_/sparse_categorical_crossentropy
        # (`_get_logits`) then use it with from_logits=True and no clipping. CE losses come from z.
        if lname == "binary_crossentropy":
            per = bce_logits(y, z)
        elif lname == "categorical_crossentropy":
            per = cce_logits(y, z)
        elif lname == "sparse_categorical_crossentropy":
            per = scce_logits(y, z)
        elif lname == "mse":
            per = mse(y, z)
        elif lname == "mae":
            per = mae(y, z)
        elif lname == "huber":
            per = huber(y, z, case["loss_spec"]["config"]["delta"])
        loss = reduce_sobs(per)
        losses.append(loss.item())
        grads = torch.autograd.grad(loss, ws)
        with torch.no_grad():
            # keras/optimizers/optimizer.py _clip_gradients
            if "clipnorm" in cfg:
                cn = cfg["clipnorm"]
                grads = [g * cn / torch.clamp(torch.sqrt((g * g).sum()), min=cn) for g in grads]
            if "clipvalue" in cfg:
                cv = cfg["clipvalue"]
                grads = [torch.clamp(g, -cv, cv) for g in grads]
            for w, g, s in zip(ws, grads, slots):
                if ocls == "SGD":
                    # keras/optimizers/sgd.py: m <- mu*m - lr*g; w <- w + m
                    # (nesterov: w <- w + mu*m - lr*g with the updated m); mu = 0: w <- w - lr*g
                    mu = cfg["momentum"]
                    if mu == 0:
                        w -= lr * g
                    else:
                        m = s.setdefault("m", torch.zeros_like(w))
                        m.mul_(mu).sub_(lr * g)
                        if cfg["nesterov"]:
                            w += mu * m - lr * g
                        else:
                            w += m
                elif ocls == "RMSprop":
                    # keras/optimizers/rmsprop.py (centered=False): v <- rho v + (1-rho) g^2;
                    # inc = lr g / sqrt(v + eps); momentum>0: mom <- mu mom + inc, w -= mom; else w -= inc
                    v = s.setdefault("v", torch.zeros_like(w))
                    v.mul_(cfg["rho"]).add_((1 - cfg["rho"]) * g * g)
                    inc = lr * g / torch.sqrt(v + cfg["epsilon"])
                    if cfg["momentum"] > 0:
                        mom = s.setdefault("mom", torch.zeros_like(w))
                        mom.mul_(cfg["momentum"]).add_(inc)
                        w -= mom
                    else:
                        w -= inc
                elif ocls == "Adam":
                    # keras/optimizers/adam.py: alpha = lr sqrt(1-b2^t)/(1-b1^t);
                    # m += (g-m)(1-b1); v += (g^2-v)(1-b2); w -= alpha m / (sqrt(v) + eps)  (epsilon-hat form)
                    b1, b2 = cfg["beta_1"], cfg["beta_2"]
                    m = s.setdefault("m", torch.zeros_like(w))
                    v = s.setdefault("v", torch.zeros_like(w))
                    alpha = lr * math.sqrt(1 - b2 ** t) / (1 - b1 ** t)
                    m.add_((g - m) * (1 - b1))
                    v.add_((g * g - v) * (1 - b2))
                    w -= alpha * m / (torch.sqrt(v) + cfg["epsilon"])
                elif ocls == "Adagrad":
                    # keras/optimizers/adagrad.py: acc <- acc + g^2 (acc starts at
                    # initial_accumulator_value); w -= lr g / sqrt(acc + eps)
                    s["acc"].add_(g * g)
                    w -= lr * g / torch.sqrt(s["acc"] + cfg["epsilon"])
        if t == 1:
            after1 = [w.detach().clone() for w in ws]
    final = [w.detach().clone() for w in ws]
    return {"losses": losses, "weights_after_step_1": [a.reshape(-1).tolist() for a in after1],
            "final_weights": [a.reshape(-1).tolist() for a in final]}


# ---------------------------------------------------------------------------------------------
# Loss fixture cases

def loss_cases():
    cs = []

    def add(name, kind, fn, y_true, y_pred, sw_list, formula, source, cfg, cls, y_int=False, grad_wrt="y_pred",
            tfjs=None):
        for sw in (None, sw_list):
            cs.append(dict(name=name + ("" if sw is None else "__sample_weight"), kind=kind, fn=fn,
                           loss={"class_name": cls, "config": dict(cfg, reduction="sum_over_batch_size")},
                           y_true=y_true, y_pred=y_pred, y_int=y_int, sample_weight=sw,
                           grad_wrt=grad_wrt, formula=formula, source=source, tfjs=tfjs))

    eps_note = ("eps = float32(1e-7) = %r (backend.epsilon() cast to the float32 output dtype); "
                "upper clip 1-eps evaluated in float32 = %r. clip passes the gradient at the bounds "
                "(inclusive), zero outside." % (EPS, ONE_MINUS_EPS))
    ps = [0.0, f32(1e-7), f32(1e-6), f32(1e-3), 0.5, 1.0]
    # BCE probability path: each p with y = 1 and y = 0, plus soft labels; shape (6, 2)
    y_bce = [[1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]
    p_bce = [[p, p] for p in ps]
    add("binary_crossentropy_probabilities", "bce_prob", "bce_prob", y_bce, p_bce, [1.0, 0.5, 2.0, 0.0, 1.5, 0.25],
        "p' = clip(p, eps, 1-eps); l = -[y log(p'+eps) + (1-y) log(1-p'+eps)]; mean over last axis. " + eps_note,
        "keras/backend.py binary_crossentropy (from_logits=False, no _keras_logits); keras/losses.py binary_crossentropy",
        {"from_logits": False, "label_smoothing": 0.0}, "BinaryCrossentropy", tfjs=None)
    add("binary_crossentropy_probabilities_soft", "bce_prob", "bce_prob",
        [[0.25, 0.75, 1.0], [0.5, 0.0, 1.0], [1.0, 0.125, 0.0]],
        [[0.125, 0.875, 0.375], [0.5, 0.25, 0.9375], [0.75, 0.0625, 0.015625]], [2.0, 0.5, 1.0],
        "as binary_crossentropy_probabilities (soft labels, no saturated p). " + eps_note,
        "keras/backend.py binary_crossentropy", {"from_logits": False, "label_smoothing": 0.0}, "BinaryCrossentropy",
        tfjs=None)
    zs = [[-20.0, 20.0], [-15.0, 15.0], [-5.0, 5.0], [-0.5, 0.25], [0.0, 3.0], [10.0, -10.0]]
    yz = [[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 0.0], [0.5, 1.0], [1.0, 0.0]]
    swz = [1.0, 2.0, 0.5, 0.0, 1.0, 3.0]
    add("binary_crossentropy_from_logits", "bce_logits", "bce_logits", yz, zs, swz,
        "z = y_pred (logits); l = max(z,0) - z y + log(1 + exp(-|z|)) (tf.nn.sigmoid_cross_entropy_with_logits); "
        "mean over last axis",
        "keras/backend.py binary_crossentropy(from_logits=True)", {"from_logits": True, "label_smoothing": 0.0},
        "BinaryCrossentropy", tfjs="sigmoid_ce")
    add("binary_crossentropy_after_sigmoid", "bce_shortcut", "bce_logits", yz, zs, swz,
        "y_pred = sigmoid(z) produced by a Keras sigmoid activation; Keras uses the cached logits z "
        "(logits shortcut): l = max(z,0) - z y + log(1 + exp(-|z|)), no clipping. Gradient is w.r.t. z",
        "keras/activations.py sigmoid() caches output._keras_logits; keras/backend.py binary_crossentropy uses it",
        {"from_logits": False, "label_smoothing": 0.0}, "BinaryCrossentropy", grad_wrt="logits", tfjs="sigmoid_ce")
    # CCE probabilities (incl. unnormalised rows and zeros)
    p_cce = [[0.5, 0.25, 0.25], [2.0, 1.0, 1.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0], [0.125, 0.625, 0.25],
             [3.0, 3.0, 2.0]]
    y_cce = [[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.25, 0.5, 0.25], [0.0, 0.0, 1.0]]
    sw6 = [1.0, 0.5, 2.0, 0.0, 1.5, 1.0]
    add("categorical_crossentropy_probabilities", "cce_prob", "cce_prob", y_cce, p_cce, sw6,
        "p' = clip(p / sum(p), eps, 1-eps); l = -sum y log p'. " + eps_note,
        "keras/backend.py categorical_crossentropy (from_logits=False)",
        {"from_logits": False, "label_smoothing": 0.0}, "CategoricalCrossentropy", tfjs="cce_prob")
    zc = [[20.0, 0.0, 0.0], [30.0, 0.0, -5.0], [1.0, 2.0, 3.0], [-1.0, 0.5, 0.25], [0.0, 0.0, 0.0], [10.0, 0.0, 0.0]]
    yc = [[0.0, 1.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.25, 0.5, 0.25], [1.0, 0.0, 0.0]]
    add("categorical_crossentropy_from_logits", "cce_logits", "cce_logits", yc, zc, sw6,
        "z = y_pred (logits); l = -sum y (z - logsumexp(z)) (tf.nn.softmax_cross_entropy_with_logits)",
        "keras/backend.py categorical_crossentropy(from_logits=True)", {"from_logits": True, "label_smoothing": 0.0},
        "CategoricalCrossentropy", tfjs="softmax_ce")
    add("categorical_crossentropy_after_softmax", "cce_shortcut", "cce_logits", yc, zc, sw6,
        "y_pred = softmax(z) from a Keras softmax activation; logits shortcut: l = -sum y (z - logsumexp(z)), "
        "no clipping. Gradient is w.r.t. z",
        "keras/activations.py softmax() caches output._keras_logits; keras/backend.py categorical_crossentropy (_get_logits) uses it",
        {"from_logits": False, "label_smoothing": 0.0}, "CategoricalCrossentropy", grad_wrt="logits", tfjs="softmax_ce")
    # SCCE
    p_s = [[0.5, 0.25, 0.25], [2.0, 1.0, 1.0], [0.5, 0.5, 0.0], [1.0, 0.0, 0.0], [0.125, 0.625, 0.25], [0.2, 0.3, 0.5]]
    p_s = [[f32(v) for v in row] for row in p_s]
    lbl = [0, 0, 2, 1, 1, 2]
    for shape_tag, yl in (("", lbl), ("_labels_n1", [[v] for v in lbl])):
        add("sparse_categorical_crossentropy_probabilities" + shape_tag, "scce_prob", "scce_prob", yl, p_s, sw6,
            "p' = clip(p, eps, 1-eps); l = -log(p'_y / sum p') (log, then sparse softmax-CE on the logs; "
            "renormalises after clipping). y of shape (N,) or (N,1). " + eps_note,
            "keras/backend.py sparse_categorical_crossentropy (from_logits=False)",
            {"from_logits": False}, "SparseCategoricalCrossentropy", y_int=True, tfjs="scce_prob")
        add("sparse_categorical_crossentropy_from_logits" + shape_tag, "scce_logits", "scce_logits", yl, zc, sw6,
            "z = y_pred (logits); l = logsumexp(z) - z_y (tf.nn.sparse_softmax_cross_entropy_with_logits)",
            "keras/backend.py sparse_categorical_crossentropy(from_logits=True)",
            {"from_logits": True}, "SparseCategoricalCrossentropy", y_int=True, tfjs="softmax_ce")
        add("sparse_categorical_crossentropy_after_softmax" + shape_tag, "scce_shortcut", "scce_logits", yl, zc, sw6,
            "y_pred = softmax(z) from a Keras softmax activation; logits shortcut: l = logsumexp(z) - z_y, no clipping. "
            "Gradient is w.r.t. z",
            "keras/activations.py softmax() caches output._keras_logits; keras/backend.py sparse_categorical_crossentropy (_get_logits) uses it",
            {"from_logits": False}, "SparseCategoricalCrossentropy", y_int=True, grad_wrt="logits", tfjs="softmax_ce")
    # Regression
    yr = [[0.5, -1.0, 2.0], [0.0, 0.25, -0.75], [1.5, 1.5, 0.0], [-2.0, 0.125, 0.5]]
    pr = [[0.25, 0.5, -0.5], [0.0, 0.25, 0.375], [1.0, 2.5, 0.0], [-0.5, -0.375, 0.5]]
    sw4 = [1.0, 0.0, 2.0, 0.5]
    add("mean_squared_error", "mse", "mse", yr, pr, sw4, "l = mean((y - p)^2) over last axis",
        "keras/losses.py mean_squared_error", {}, "MeanSquaredError", tfjs="mse")
    add("mean_absolute_error", "mae", "mae", yr, pr, sw4,
        "l = mean(|p - y|) over last axis; d|e|/de = sign(e), 0 at e = 0 (TF Abs gradient)",
        "keras/losses.py mean_absolute_error", {}, "MeanAbsoluteError", tfjs="mae")
    for d in (1.0, 0.5):
        add("huber_delta_%g" % d, "huber", "huber_%g" % d, yr, pr, sw4,
            "e = p - y; l = mean(0.5 e^2 if |e| <= delta else delta |e| - 0.5 delta^2) over last axis "
            "(|e| == delta takes the quadratic branch; both branches have the same slope there)",
            "keras/losses.py huber", {"delta": d}, "Huber", tfjs="huber")
    return cs


LOSS_FNS = {
    "bce_prob": bce_prob, "bce_logits": bce_logits, "cce_prob": cce_prob, "cce_logits": cce_logits,
    "scce_prob": scce_prob, "scce_logits": scce_logits, "mse": mse, "mae": mae,
    "huber_1": lambda y, p: huber(y, p, 1.0), "huber_0.5": lambda y, p: huber(y, p, 0.5),
}


def torch_loss(case):
    yt = torch.tensor(case["y_true"], dtype=torch.long if case["y_int"] else torch.float64)
    yp = torch.tensor(case["y_pred"]).requires_grad_(True)
    per = LOSS_FNS[case["fn"]](yt, yp)
    sw = None if case["sample_weight"] is None else torch.tensor(case["sample_weight"])
    val = reduce_sobs(per, sw)
    (g,) = torch.autograd.grad(val, yp)
    return val.item(), g.tolist(), per.tolist()


# ---------------------------------------------------------------------------------------------
# Metrics (numpy, float64)

def metric_cases():
    cs = []
    # binary_accuracy: p > 0.5 strictly counts as 1 (keras/utils/metrics_utils.py binary_matches)
    yb = [[1.0, 0.0], [1.0, 1.0], [0.0, 0.0], [0.0, 1.0], [1.0, 0.0]]
    pb = [[0.5, 0.5], [0.75, 0.5000000596046448], [0.25, 0.49999997019767456], [0.5, 0.9], [0.0, 1.0]]
    pb = [[f32(v) for v in r] for r in pb]
    cs.append(dict(name="binary_accuracy", metric="binary_accuracy", config={"threshold": 0.5},
                   y_true=yb, y_pred=pb, sample_weight=[1.0, 2.0, 0.0, 0.5, 1.0],
                   rule="per-sample: mean over last axis of (y_true == (y_pred > threshold)) (strict >)",
                   source="keras/metrics/accuracy_metrics.py binary_accuracy; keras/utils/metrics_utils.py binary_matches"))
    yc = [[0, 1, 0], [1, 0, 0], [0, 0, 1], [0, 1, 0], [1, 0, 0], [0, 0, 1]]
    pc = [[0.25, 0.5, 0.25], [0.4, 0.4, 0.2], [0.4, 0.2, 0.4], [0.4, 0.2, 0.4], [1.0, 1.0, 1.0], [0.1, 0.2, 0.7]]
    pc = [[f32(v) for v in r] for r in pc]
    sw6 = [1.0, 0.5, 2.0, 1.0, 0.0, 3.0]
    cs.append(dict(name="categorical_accuracy", metric="categorical_accuracy", config={},
                   y_true=[[float(v) for v in r] for r in yc], y_pred=pc, sample_weight=sw6,
                   rule="argmax(y_true) == argmax(y_pred); argmax returns the first index among ties",
                   source="keras/metrics/accuracy_metrics.py categorical_accuracy"))
    lbl = [1, 0, 2, 1, 0, 2]
    for tag, yl in (("", [float(v) for v in lbl]), ("_labels_n1", [[float(v)] for v in lbl])):
        cs.append(dict(name="sparse_categorical_accuracy" + tag, metric="sparse_categorical_accuracy", config={},
                       y_true=yl, y_pred=pc, sample_weight=sw6,
                       rule="y_true (N,1) is squeezed to (N,); y_true == argmax(y_pred) (first index among ties)",
                       source="keras/metrics/accuracy_metrics.py; keras/utils/metrics_utils.py sparse_categorical_matches"))
    yr = [[0.5, -1.0, 2.0], [0.0, 0.25, -0.75], [1.5, 1.5, 0.0], [-2.0, 0.125, 0.5]]
    pr = [[0.25, 0.5, -0.5], [0.0, 0.25, 0.375], [1.0, 2.5, 0.0], [-0.5, -0.375, 0.5]]
    for m, rule in (("mae", "per-sample mean(|y_true - y_pred|) over last axis"),
                    ("mse", "per-sample mean((y_true - y_pred)^2) over last axis")):
        cs.append(dict(name=m, metric=m, config={}, y_true=yr, y_pred=pr, sample_weight=[1.0, 0.0, 2.0, 0.5],
                       rule=rule, source="keras/losses.py mean_absolute_error / mean_squared_error"))
    return cs


def metric_per_sample(c):
    yt = np.array(c["y_true"], dtype=np.float64)
    yp = np.array(c["y_pred"], dtype=np.float64)
    m = c["metric"]
    if m == "binary_accuracy":
        return (yt == (yp > c["config"]["threshold"]).astype(np.float64)).astype(np.float64).mean(-1)
    if m == "categorical_accuracy":
        return (np.argmax(yt, -1) == np.argmax(yp, -1)).astype(np.float64)
    if m == "sparse_categorical_accuracy":
        return (yt.reshape(-1) == np.argmax(yp, -1).astype(np.float64)).astype(np.float64)
    if m == "mae":
        return np.abs(yt - yp).mean(-1)
    if m == "mse":
        return ((yt - yp) ** 2).mean(-1)
    raise ValueError(m)


# ---------------------------------------------------------------------------------------------

def write_json(path, obj):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        # Python's float repr is the shortest string that round-trips the double exactly.
        json.dump(obj, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")


def cmd_cases():
    write_json(os.path.join(OUT, "cases.json"), {
        "training": training_cases(), "losses": loss_cases(), "metrics": metric_cases(), "steps": STEPS,
    })
    print("wrote out/cases.json")


def maxdiff(a, b):
    a = np.asarray(a, dtype=np.float64).ravel()
    b = np.asarray(b, dtype=np.float64).ravel()
    assert a.shape == b.shape, (a.shape, b.shape)
    return float(np.max(np.abs(a - b))) if a.size else 0.0


def wlist(template, flat_values):
    return [{"name": w["name"], "shape": w["shape"], "values": v} for w, v in zip(template, flat_values)]


def f32_list(vals):
    return [f32(v) for v in vals]


def cmd_fixtures():
    with open(os.path.join(OUT, "cases.json")) as f:
        cases = json.load(f)
    with open(os.path.join(OUT, "tfjs_results.json")) as f:
        tj = json.load(f)
    tfjs_name = "TF.js @tensorflow/tfjs %s, backend %s (float32)" % (tj["version"], tj["backend"])
    gen_base = {"script": SCRIPT, "tfjs_script": "tools/golden/tfjs_oracle.js", "torch": torch.__version__,
                "numpy": np.__version__, "tfjs": tj["version"], "node": tj["node"]}
    summary = []
    os.makedirs(os.path.join(GOLDEN, "training"), exist_ok=True)
    for c in cases["training"]:
        ref = torch_train(c)
        js = tj["training"][c["name"]]
        oracle_is_tfjs = c["oracle"] == "tfjs"
        primary, other = (js, ref) if oracle_is_tfjs else (ref, js)
        xc = {
            "oracle": TORCH_ORACLE if oracle_is_tfjs else tfjs_name + ", " + js["method"],
            "max_abs_diff_losses": maxdiff(primary["losses"], other["losses"]),
            "max_abs_diff_weights_after_step_1": maxdiff(sum(primary["weights_after_step_1"], []),
                                                         sum(other["weights_after_step_1"], [])),
            "max_abs_diff_final_weights": maxdiff(sum(primary["final_weights"], []), sum(other["final_weights"], [])),
        }
        fx = {
            "name": c["name"],
            "generator": dict(gen_base, oracle=(tfjs_name + ", " + js["method"]) if oracle_is_tfjs else TORCH_ORACLE),
            "oracle": "tfjs" if oracle_is_tfjs else "torch_keras2_formulas",
            "model": {"class_name": "Sequential", "input_shape": [None, IN_DIM], "layers": [
                {"class_name": "Dense", "name": "dense", "units": HIDDEN, "activation": "relu", "use_bias": True},
                {"class_name": "Dense", "name": "dense_1", "units": c["units"], "activation": c["activation"],
                 "use_bias": True}]},
            "optimizer": c["optimizer"],
            "loss": c["loss_spec"],
            "steps": STEPS,
            "batch_size": N,
            "x": c["x"], "y": c["y"], "y_dtype": c["y_dtype"],
            "initial_weights": c["initial_weights"],
            "losses": primary["losses"],
            "weights_after_step_1": wlist(c["initial_weights"], primary["weights_after_step_1"]),
            "final_weights": wlist(c["initial_weights"], primary["final_weights"]),
            "cross_check": xc,
        }
        if c["name"] == "sgd_momentum_lr_change__mse":
            fx["learning_rates"] = c["learning_rates"]
            fx["note"] = ("learning_rates[t-1] is used at step t. Keras keeps lr inside the velocity: "
                          "m <- momentum*m - lr*g; w <- w + m")
        if "clipnorm" in c["optimizer"]["config"]:
            fx["note"] = "per-variable clip: g <- g*clipnorm/max(||g||_2, clipnorm)"
        if "clipvalue" in c["optimizer"]["config"]:
            fx["note"] = "g <- clip(g, -clipvalue, clipvalue) elementwise"
        if c["activation"] in ("sigmoid", "softmax"):
            fx["note"] = "logits shortcut: loss computed from the pre-activation z without clipping"
        if c["opt"] == "adam":
            fx.setdefault("note", "")
            fx["note"] = (fx["note"] + "; " if fx["note"] else "") + "Adam epsilon-hat form"
        out = os.path.join(GOLDEN, "training", c["name"] + ".json")
        write_json(out, fx)
        summary.append((c["name"], fx["oracle"], xc))
        # sanity: the two oracles must agree to float32-level noise
        tol = 5e-5
        assert xc["max_abs_diff_losses"] < tol and xc["max_abs_diff_final_weights"] < tol, (c["name"], xc)

    # ---- losses.json
    lcases = []
    lsum = []
    formulas = {}
    for c in cases["losses"]:
        val, grad, per = torch_loss(c)
        formulas.setdefault(c["kind"], {"formula": c["formula"], "source": "keras v2.15.0 " + c["source"]})
        e = {"name": c["name"], "kind": c["kind"], "loss": c["loss"], "y_true": c["y_true"]}
        if c["grad_wrt"] == "logits":
            e["logits"] = c["y_pred"]
        else:
            e["y_pred"] = c["y_pred"]
        e.update({"y_true_dtype": "int32" if c["y_int"] else "float32", "sample_weight": c["sample_weight"],
                  "per_sample_loss": per, "value": val, "grad_wrt": c["grad_wrt"], "grad": grad})
        t = tj["losses"].get(c["name"])
        if t is not None:
            xc = {"oracle": tfjs_name + ", " + t["method"], "abs_diff_value": abs(t["value"] - val)}
            if t.get("grad") is not None:
                yp = np.asarray(c["y_pred"], dtype=np.float64)
                keep = np.ones(yp.shape, dtype=bool)
                if c["fn"] == "mae":
                    # TF.js' Abs gradient is -1 at 0 (step(x, -1)); TF's is sign(0) = 0.
                    keep = yp != np.asarray(c["y_true"], dtype=np.float64)
                    xc["grad_excluded"] = "entries with y_pred == y_true (TF.js Abs gradient is -1 at 0, TF's is 0)"
                xc["max_abs_diff_grad"] = maxdiff(np.asarray(t["grad"]).reshape(yp.shape)[keep],
                                                  np.asarray(grad)[keep])
            e["cross_check"] = xc
            lsum.append((c["name"], xc))
        else:
            e["cross_check"] = None
        lcases.append(e)
    write_json(os.path.join(GOLDEN, "losses.json"), {
        "generator": dict(gen_base, oracle=TORCH_ORACLE), "oracle": "torch_keras2_formulas",
        "reduction": "sum_over_batch_size: value = sum(per_sample_loss * sample_weight) / N (N = batch size, "
                     "not the sum of the weights); grad = d value / d y_pred (d value / d logits when grad_wrt = "
                     "logits: the input is the pre-activation of a sigmoid/softmax layer)",
        "epsilon": {"clip_low": EPS, "clip_high": ONE_MINUS_EPS, "log_offset": EPS},
        "formulas": formulas,
        "no_cross_check_reason": {"bce_prob": "TF.js has no +eps inside the logs of BCE (oracles.md section 3)"},
        "cases": lcases})

    # ---- metrics.json
    mcases = []
    msum = []
    for c in cases["metrics"]:
        per = metric_per_sample(c)
        sw = np.array(c["sample_weight"])
        e = {k: c[k] for k in ("name", "metric", "config", "y_true", "y_pred", "rule")}
        e["source"] = "keras v2.15.0 " + c["source"]
        e["per_sample"] = per.tolist()
        e["value"] = float(per.mean())
        e["sample_weight"] = c["sample_weight"]
        e["value_weighted"] = float((per * sw).sum() / sw.sum())
        e["weighted_rule"] = ("Mean metric with sample_weight: sum(per_sample * w) / sum(w) "
                              "(keras/metrics/base_metric.py Reduce/Mean), unlike losses which divide by N")
        t = tj["metrics"].get(c["name"])
        if t is not None:
            e["cross_check"] = {"oracle": tfjs_name + ", " + t["method"],
                                "max_abs_diff_per_sample": maxdiff(t["per_sample"], per)}
            msum.append((c["name"], e["cross_check"]))
        mcases.append(e)
    write_json(os.path.join(GOLDEN, "metrics.json"), {
        "generator": dict(gen_base, oracle="numpy %s float64" % np.__version__), "oracle": "numpy_keras2_formulas",
        "cases": mcases})

    print("training fixtures (oracle, cross-check max|d| losses / final weights):")
    for n, o, xc in summary:
        print("  %-48s %-22s %.2e  %.2e" % (n, o, xc["max_abs_diff_losses"], xc["max_abs_diff_final_weights"]))
    print("losses cross-checks (abs value / grad):")
    for n, xc in lsum:
        print("  %-58s %.2e  %s" % (n, xc["abs_diff_value"], "%.2e" % xc["max_abs_diff_grad"]
                                     if "max_abs_diff_grad" in xc else "-"))
    print("metrics cross-checks:")
    for n, xc in msum:
        print("  %-40s %.2e" % (n, xc["max_abs_diff_per_sample"]))


if __name__ == "__main__":
    cmd = sys.argv[1] if len(sys.argv) > 1 else "fixtures"
    {"cases": cmd_cases, "fixtures": cmd_fixtures}[cmd]()
