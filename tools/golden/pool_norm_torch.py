#!/usr/bin/python3
"""Keras-2 formula oracle (torch float64 autograd) for the two cases where TF.js is wrong
(oracles.md §1):

  tests/golden/layers/pool_avg_same.json     AveragePooling1D/2D padding="same": forward and the
      gradient of sum(y * R). Keras/TF excludes pad cells from each window's divisor, in the
      gradient too; TF.js' cpu AvgPoolGrad divides by the full window. Formula (oracles.md §1.2):
      a sum-pool of the zero-padded input divided by a sum-pool of the padded ones.
  tests/golden/layers/pool_gap1d_masked.json GlobalAveragePooling1D with a mask:
      sum(x * m) / sum(m) over the steps (keras/layers/pooling/global_average_pooling1d.py).

Inputs use the same xorshift32 values as pool_norm_tfjs.js. Run with Debian's /usr/bin/python3.
"""
import json
import os
import sys

import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.normpath(os.path.join(HERE, "..", "..", "tests", "golden", "layers"))
torch.set_default_dtype(torch.float64)


def rng(seed):
    s = seed & 0xFFFFFFFF
    while True:
        s ^= (s << 13) & 0xFFFFFFFF
        s ^= s >> 17
        s ^= (s << 5) & 0xFFFFFFFF
        yield s


def values(n, seed, scale=1.0):
    """k / 32768 for distinct k in [-32768, 32767] (as pool_norm_tfjs.js)."""
    seen, out = set(), []
    for s in rng(seed):
        if len(out) == n:
            break
        k = s % 65536 - 32768
        if k in seen:
            continue
        seen.add(k)
        out.append(k / 32768 * scale)
    return out


def same_pads(n, k, s):
    out = -(-n // s)
    total = max(0, (out - 1) * s + k - n)
    return total // 2, total - total // 2


def avg_pool_same(x, pool, strides):
    """x NHWC; Keras average pooling with padding 'same' (pad cells excluded)."""
    (kh, kw), (sh, sw) = pool, strides
    pt, pb = same_pads(x.shape[1], kh, sh)
    pl, pr = same_pads(x.shape[2], kw, sw)
    xc = x.permute(0, 3, 1, 2)
    ones = torch.ones_like(xc[:, :1])
    num = F.avg_pool2d(F.pad(xc, (pl, pr, pt, pb)), (kh, kw), (sh, sw)) * (kh * kw)
    den = F.avg_pool2d(F.pad(ones, (pl, pr, pt, pb)), (kh, kw), (sh, sw)) * (kh * kw)
    return (num / den).permute(0, 2, 3, 1)


def generator(oracle):
    return {"script": "tools/golden/pool_norm_torch.py", "torch": torch.__version__,
            "python": sys.version.split()[0], "oracle": oracle}


def avg_same_cases():
    cases = []
    seed = 500
    specs = [
        ("avg2d_pool2_same", "AveragePooling2D", [2, 5, 5, 3], (2, 2), (2, 2)),
        ("avg2d_pool3_s1_same", "AveragePooling2D", [1, 4, 5, 2], (3, 3), (1, 1)),
        ("avg2d_pool3x2_s2x1_same", "AveragePooling2D", [2, 5, 4, 2], (3, 2), (2, 1)),
        ("avg2d_pool2_3x3_same", "AveragePooling2D", [1, 3, 3, 1], (2, 2), (2, 2)),
        ("avg1d_pool2_same", "AveragePooling1D", [2, 5, 3], (2,), (2,)),
        ("avg1d_pool3_s1_same", "AveragePooling1D", [2, 6, 2], (3,), (1,)),
    ]
    for name, cls, shape, pool, strides in specs:
        n = 1
        for d in shape:
            n *= d
        x = torch.tensor(values(n, seed)).reshape(shape).requires_grad_(True)
        if cls == "AveragePooling1D":
            y = avg_pool_same(x.unsqueeze(1), (1, pool[0]), (1, strides[0])).squeeze(1)
            config = {"pool_size": pool[0], "strides": strides[0], "padding": "same"}
        else:
            y = avg_pool_same(x, pool, strides)
            config = {"pool_size": list(pool), "strides": list(strides), "padding": "same"}
        r = torch.tensor(values(y.numel(), seed + 1000)).reshape(y.shape)
        (dx,) = torch.autograd.grad((y * r).sum(), x)
        cases.append({"name": name, "class_name": cls, "config": config, "x_shape": shape,
                      "x": x.detach().flatten().tolist(), "y_shape": list(y.shape),
                      "y": y.detach().flatten().tolist(), "r": r.flatten().tolist(),
                      "dx": dx.flatten().tolist()})
        seed += 1
    return cases


def masked_gap_cases():
    cases = []
    seed = 700
    specs = [
        ("gap1d_masked", [3, 5, 4], [[1, 1, 1, 0, 0], [1, 0, 1, 1, 0], [1, 1, 1, 1, 1]], False),
        ("gap1d_masked_keepdims", [2, 4, 3], [[0, 1, 1, 0], [1, 0, 0, 0]], True),
    ]
    for name, shape, mask, keepdims in specs:
        n = shape[0] * shape[1] * shape[2]
        x = torch.tensor(values(n, seed)).reshape(shape).requires_grad_(True)
        m = torch.tensor(mask, dtype=torch.float64).unsqueeze(2)
        y = (x * m).sum(1, keepdim=keepdims) / m.sum(1, keepdim=keepdims)
        r = torch.tensor(values(y.numel(), seed + 1000)).reshape(y.shape)
        (dx,) = torch.autograd.grad((y * r).sum(), x)
        cases.append({"name": name, "class_name": "GlobalAveragePooling1D",
                      "config": {"keepdims": keepdims}, "x_shape": shape,
                      "x": x.detach().flatten().tolist(), "mask": mask,
                      "y_shape": list(y.shape), "y": y.detach().flatten().tolist(),
                      "r": r.flatten().tolist(), "dx": dx.flatten().tolist()})
        seed += 1
    return cases


def cross_check_tfjs_forward(avg_cases):
    """The TF.js forward of 'same' average pooling is right (oracles.md §1): compare."""
    path = os.path.join(GOLDEN, "pool_2d.json")
    if not os.path.exists(path):
        return None
    tfjs = {c["name"]: c for c in json.load(open(path))["cases"]}
    worst = 0.0
    for c in avg_cases:
        if c["class_name"] != "AveragePooling2D":
            continue
        key = {"avg2d_pool2_same": "avg_pool2_same", "avg2d_pool3_s1_same": "avg_pool3_s1_same",
               "avg2d_pool3x2_s2x1_same": "avg_pool3x2_s2x1_same"}.get(c["name"])
        if key is None:
            continue
        # Same shapes, different inputs: rerun the formula on the TF.js inputs.
        t = tfjs[key]
        x = torch.tensor(t["x"]).reshape(t["x_shape"])
        y = avg_pool_same(x, tuple(c["config"]["pool_size"]), tuple(c["config"]["strides"]))
        worst = max(worst, (y.flatten() - torch.tensor(t["y"])).abs().max().item())
    return {"oracle": "TF.js 4.22 cpu AveragePooling2D forward (pool_2d.json)",
            "max_abs_diff_y": worst}


def main():
    os.makedirs(GOLDEN, exist_ok=True)
    avg = avg_same_cases()
    doc = {"generator": generator("torch float64 autograd of the Keras formula: sum-pool of the "
                                  "zero-padded input / sum-pool of the padded ones"),
           "cross_check": cross_check_tfjs_forward(avg), "cases": avg}
    with open(os.path.join(GOLDEN, "pool_avg_same.json"), "w") as f:
        json.dump(doc, f)
        f.write("\n")
    gap = masked_gap_cases()
    doc = {"generator": generator("torch float64 autograd of the Keras formula "
                                  "sum(x * m) / sum(m) over the steps"), "cases": gap}
    with open(os.path.join(GOLDEN, "pool_gap1d_masked.json"), "w") as f:
        json.dump(doc, f)
        f.write("\n")
    print("wrote pool_avg_same.json (%d cases), pool_gap1d_masked.json (%d cases)"
          % (len(avg), len(gap)))
    print("cross_check", doc and json.dumps(cross_check_tfjs_forward(avg)))


if __name__ == "__main__":
    main()
