#!/usr/bin/python3
"""PyTorch peer of bench/models.cpp: the same four models, batch size and per-step work.

  cnn   Conv2d(1, 32, 3) ReLU MaxPool2d(2) Conv2d(32, 64, 3) ReLU MaxPool2d(2) Flatten
        Linear(1600, 128) ReLU Linear(128, 10); Adam; cross-entropy on the logits; accuracy
  img   [Conv2d(c, 16|32|64, 3) ReLU MaxPool2d(2)] x 3, Flatten, Linear(18496, 512) ReLU,
        Linear(512, 1); RMSprop(1e-3, alpha 0.9, eps 1e-7); BCE on the logit; accuracy
  text  Embedding(10000, 16), bidirectional LSTM(16 -> 32), the two final states concatenated,
        Linear(64, 24) ReLU Linear(24, 1); Adam; BCE on the logit; accuracy
  ts    causal Conv1d(1, 64, 3) (left pad 2) ReLU, LSTM(64) sequence, LSTM(64) last state,
        Linear(64, 30) ReLU Linear(30, 10) ReLU Linear(10, 1); SGD(1e-5, momentum 0.9); Huber;
        mean absolute error

Adam uses Keras's defaults (lr 1e-3, betas 0.9/0.999, eps 1e-7). Losses on logits compute the
same maths as Keras's final softmax/sigmoid plus crossentropy. Per step, like Keras's
train_on_batch: forward, loss, backward, update, and the loss and metric read back as floats.
Data: synthetic, a pool of --batches batches from a fixed seed, cycled.

Prints human lines, then RESULT sps <samples/s> and RESULT cpu_sps <samples per CPU-second>.
Run with /usr/bin/python3 (Debian's python3-torch 1.13).
"""

import argparse
import math
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class Text(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(10000, 16)
        self.lstm = nn.LSTM(16, 32, batch_first=True, bidirectional=True)
        self.d1 = nn.Linear(64, 24)
        self.d2 = nn.Linear(24, 1)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.d2(F.relu(self.d1(torch.cat([h[0], h[1]], dim=1))))


class Series(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv1d(1, 64, 3)
        self.l1 = nn.LSTM(64, 64, batch_first=True)
        self.l2 = nn.LSTM(64, 64, batch_first=True)
        self.d1 = nn.Linear(64, 30)
        self.d2 = nn.Linear(30, 10)
        self.d3 = nn.Linear(10, 1)

    def forward(self, x):  # x [B, 30, 1]
        h = F.relu(self.conv(F.pad(x.transpose(1, 2), (2, 0))))  # causal: pad the past only
        h, _ = self.l1(h.transpose(1, 2))
        _, (h, _) = self.l2(h)
        return self.d3(F.relu(self.d2(F.relu(self.d1(h[0])))))


def build(name):
    if name == "cnn":
        model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(1600, 128), nn.ReLU(), nn.Linear(128, 10))
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
        return model, opt, nn.CrossEntropyLoss(), (1, 28, 28), "classes10"
    if name == "img":
        model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(16, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
                              nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                              nn.Linear(18496, 512), nn.ReLU(), nn.Linear(512, 1))
        opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
        return model, opt, nn.BCEWithLogitsLoss(), (3, 150, 150), "binary"
    if name == "text":
        model = Text()
        opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
        return model, opt, nn.BCEWithLogitsLoss(), (120,), "binary"
    model = Series()
    opt = torch.optim.SGD(model.parameters(), lr=1e-5, momentum=0.9)
    return model, opt, nn.HuberLoss(delta=1.0), (30, 1), "regression"


def make_batches(name, shape, y_kind, n, bs):
    out = []
    for i in range(n):
        if name == "text":
            x = torch.randint(1, 10000, (bs,) + shape)
        elif name == "ts":
            t = torch.arange(30, dtype=torch.float32).view(1, 30, 1)
            x = torch.sin(0.1 * (t + i)) + 0.1 * torch.rand(bs, 30, 1)
        else:
            x = torch.rand((bs,) + shape)
        if y_kind == "classes10":
            y = torch.randint(0, 10, (bs,))
        elif y_kind == "binary":
            y = torch.randint(0, 2, (bs, 1)).float()
        else:
            y = torch.rand(bs, 1)
        out.append((x, y))
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, choices=["cnn", "img", "text", "ts"])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--samples", type=int, default=3, help="timed chunks; the median counts")
    parser.add_argument("--min-seconds", type=float, default=2.0)
    parser.add_argument("--min-steps", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--batches", type=int, default=8)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    model, opt, loss_fn, shape, y_kind = build(args.model)
    batches = make_batches(args.model, shape, y_kind, args.batches, args.batch_size)
    index = 0

    def step():
        nonlocal index
        xb, yb = batches[index % len(batches)]
        index += 1
        opt.zero_grad(set_to_none=True)
        out = model(xb)
        loss = loss_fn(out, yb)
        loss.backward()
        opt.step()
        with torch.no_grad():
            if y_kind == "classes10":
                metric = (out.argmax(dim=1) == yb).float().mean()
            elif y_kind == "binary":
                metric = ((out > 0).float() == yb).float().mean()
            else:
                metric = (out - yb).abs().mean()
        return loss.item(), metric.item()

    for _ in range(args.warmup):
        step()
    rates, cpu_rates = [], []
    last = (math.nan, math.nan)
    for _ in range(args.samples):
        c0, t0 = time.process_time(), time.perf_counter()
        done = 0
        while done < args.min_steps or time.perf_counter() - t0 < args.min_seconds:
            last = step()
            done += 1
        rates.append(done * args.batch_size / (time.perf_counter() - t0))
        cpu_rates.append(done * args.batch_size / (time.process_time() - c0))
    sps = statistics.median(rates)
    print(f"torch {torch.__version__} {args.model}, {args.threads} thread(s): {sps:,.1f} samples/s "
          f"({1e3 * args.batch_size / sps:.2f} ms/step; chunks "
          f"{', '.join(f'{r:,.1f}' for r in rates)}; per CPU-second "
          f"{statistics.median(cpu_rates):,.1f}; last loss {last[0]:.4f})")
    print(f"RESULT sps {sps:.3f}")
    print(f"RESULT cpu_sps {statistics.median(cpu_rates):.3f}")


if __name__ == "__main__":
    main()
