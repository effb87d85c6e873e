#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The original PACT decorator on a training loop, on synthetic data.

    PYTHONPATH=python python3 examples/train_decorated.py [--epochs N]

Trains a small CNN with PyTorch when it is installed (on the GPU when
there is one), else a logistic regression in numpy, else in pure
Python.  The decorator writes train_PACT.csv, one row per second; a
second pass uses pact.Tracker with one region per epoch, so each
epoch's energy can be read off (epochs_PACT.csv, column "region").
"""

import argparse
import random
import time

from pact import PACT, Tracker


def torch_trainer(epochs, steps):
    import torch
    from torch import nn

    dev = "cuda" if torch.cuda.is_available() else "cpu"
    model = nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 8 * 8, 10)).to(dev)
    opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss_fn = nn.CrossEntropyLoss()
    # CIFAR-10-shaped random data, as the original's CNN workload used.
    x = torch.randn(256, 3, 32, 32, device=dev)
    y = torch.randint(0, 10, (256,), device=dev)

    def epoch():
        for _ in range(steps):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
        if dev == "cuda":
            torch.cuda.synchronize()
        return float(loss)
    return "PyTorch on " + dev, epoch


def numpy_trainer(epochs, steps):
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.standard_normal((4096, 256))
    y = (x @ rng.standard_normal(256) > 0).astype(float)
    w = np.zeros(256)

    def epoch():
        nonlocal w
        for _ in range(steps):
            p = 1 / (1 + np.exp(-(x @ w)))
            w -= 0.1 * x.T @ (p - y) / len(y)
        p = 1 / (1 + np.exp(-(x @ w)))
        return float(-np.mean(y * np.log(p + 1e-9) +
                              (1 - y) * np.log(1 - p + 1e-9)))
    return "numpy", epoch


def python_trainer(epochs, steps):
    rnd = random.Random(0)
    data = [([rnd.gauss(0, 1) for _ in range(16)], rnd.random() > 0.5)
            for _ in range(512)]
    w = [0.0] * 16

    def epoch():
        err = 0.0
        for _ in range(max(1, steps // 10)):
            for xs, label in data:
                z = sum(a * b for a, b in zip(w, xs))
                e = (1.0 if z > 0 else 0.0) - label
                err += abs(e)
                for i, a in enumerate(xs):
                    w[i] -= 0.01 * e * a
        return err
    return "pure Python", epoch


def pick_trainer(epochs, steps):
    for make in (torch_trainer, numpy_trainer, python_trainer):
        try:
            return make(epochs, steps)
        except ImportError:
            continue
    raise RuntimeError("unreachable")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--epochs", type=int, default=5)
    ap.add_argument("--steps", type=int, default=200)
    args = ap.parse_args()
    name, epoch = pick_trainer(args.epochs, args.steps)
    print("training with", name)

    @PACT(measure_period=1, tracker_file_name="train_PACT.csv")
    def train():
        for i in range(args.epochs):
            print("epoch %d loss %.4f" % (i, epoch()))

    t0 = time.time()
    train()
    s = train.summary
    print("decorator: %.1f s, %d rows, %.1f J (%s), %.4f g CO2"
          % (time.time() - t0, s.rows, s.energy_j, s.total_basis, s.co2_g))
    for src in s.sources.values():
        print("  %-24s %10.1f J  avg %.1f W  peak %.1f W"
              % (src.name, src.energy_j, src.avg_power_w, src.peak_power_w))

    with Tracker(output="epochs_PACT.csv", measure_period=1) as t:
        for i in range(args.epochs):
            with t.region("epoch%d" % i):
                epoch()
    for i in range(args.epochs):
        print("epoch%d: %.1f J" % (i, t.region_energy("epoch%d" % i)))


if __name__ == "__main__":
    main()
