#!/usr/bin/python3
"""PyTorch peer of bench/mlp.cpp: the same MLP, data, batch size and per-step work.

Model: Flatten(28x28) -> Linear(784, 128) -> ReLU -> Linear(128, 10), trained with Adam
(Keras defaults: lr 1e-3, beta1 0.9, beta2 0.999, eps 1e-7) on cross-entropy over the logits
(the same maths as Keras's softmax + sparse_categorical_crossentropy, which tfc folds into one
op through Keras's logits shortcut). Per step, like Keras's train_on_batch: forward, loss,
backward, Adam update, and the batch's loss and accuracy read back as Python floats.

Data: 60,000 random images in [0, 1) and labels in [0, 10) from a fixed seed, cut in order into
batches of 32 (no shuffling); steps cycle through the batches.

Prints human lines, then machine lines: RESULT sps <samples per second> and RESULT cpu_sps
<samples per CPU-second of the process>.
Run with /usr/bin/python3 (Debian's python3-torch 1.13).
"""

import argparse
import statistics
import time

import torch
import torch.nn as nn


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--steps", type=int, default=1500, help="timed steps per sample")
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--samples", type=int, default=3, help="timed chunks; the median counts")
    parser.add_argument("--max-seconds", type=float, default=4.0,
                        help="a chunk also ends after this long (busy machines)")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    n, bs = 60000, args.batch_size
    x = torch.rand(n, 28, 28, dtype=torch.float32)
    y = torch.randint(0, 10, (n,), dtype=torch.int64)
    batches = [(x[i:i + bs], y[i:i + bs]) for i in range(0, n - bs + 1, bs)]

    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    loss_fn = nn.CrossEntropyLoss()

    step_index = 0

    def step():
        nonlocal step_index
        xb, yb = batches[step_index % len(batches)]
        step_index += 1
        opt.zero_grad(set_to_none=True)
        logits = model(xb)
        loss = loss_fn(logits, yb)
        loss.backward()
        opt.step()
        with torch.no_grad():
            acc = (logits.argmax(dim=1) == yb).float().mean()
        return loss.item(), acc.item()

    for _ in range(args.warmup):
        step()
    rates, cpu_rates = [], []
    last = (0.0, 0.0)
    for _ in range(args.samples):
        c0 = time.process_time()  # CPU time of all threads: on 1 thread, robust to a busy machine
        t0 = time.perf_counter()
        done = 0
        while done < args.steps and (done % 50 or time.perf_counter() - t0 < args.max_seconds):
            last = step()
            done += 1
        rates.append(done * bs / (time.perf_counter() - t0))
        cpu_rates.append(done * bs / (time.process_time() - c0))
    sps = statistics.median(rates)
    print(f"torch {torch.__version__}, {args.threads} thread(s): {sps:,.0f} samples/s "
          f"({1e6 * bs / sps:.1f} us/step; chunks {', '.join(f'{r:,.0f}' for r in rates)}; "
          f"last loss {last[0]:.4f} acc {last[1]:.3f})")
    print(f"RESULT sps {sps:.3f}")
    print(f"RESULT cpu_sps {statistics.median(cpu_rates):.3f}")


if __name__ == "__main__":
    main()
