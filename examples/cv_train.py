#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Image classification under the original PACT decorator, written the way
the original's CV benchmark is: a torchvision model (ResNet-18 by default)
on CIFAR-10-shaped data, SGD, the decorator on main, --res and --epochs.

    python3 examples/cv_train.py --res ./results/cv --epochs 2

torchvision.datasets.FakeData stands in for CIFAR-10 (nothing is
downloaded).  Runs on the GPU when torch sees one, else on the CPU.  The
CSV goes to RES/PACT.csv; RES is created when missing.  The last line
printed is "steps N first_loss A last_loss B elapsed_s T" for tests.
"""

import argparse
import math
import os
import sys
import time

# As the original scripts do: make the tracker importable from the source
# tree (here python/, where trackerPACT.py lives).
currentDir = os.path.dirname(os.path.realpath(__file__))
parentDir = os.path.abspath(os.path.join(currentDir, os.pardir))
sys.path.append(os.path.join(parentDir, "python"))
from trackerPACT import PACT  # noqa: E402

import torch  # noqa: E402
import torchvision  # noqa: E402

parser = argparse.ArgumentParser(description="CIFAR-10-shaped training")
parser.add_argument("--res", default="./otherTools/cv",
                    help="result folder (created when missing)")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--steps", type=int, default=0,
                    help="stop each epoch after this many batches (0: all)")
parser.add_argument("--model", default="resnet18",
                    help="torchvision model: resnet18, vgg11, mobilenet_v2, "
                         "densenet121, ...")
parser.add_argument("--batch-size", type=int, default=64)
parser.add_argument("--samples", type=int, default=2048,
                    help="images in the FakeData training set")
parser.add_argument("--lr", type=float, default=0.01)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

events_groups = [['MIGRATIONS'], ['FAULTS'], ['CACHE-MISSES'], ['CYCLES']]


@PACT(measure_period=1, perf_measure_period=0.01,
      events_groups=events_groups, tracker_file_name=args.res + "/PACT.csv")
def main():
    t0 = time.monotonic()
    torch.manual_seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    data = torchvision.datasets.FakeData(
        size=args.samples, image_size=(3, 32, 32), num_classes=10,
        transform=torchvision.transforms.ToTensor(), random_offset=args.seed)
    loader = torch.utils.data.DataLoader(data, batch_size=args.batch_size,
                                         shuffle=True)
    model = getattr(torchvision.models, args.model)(num_classes=10)
    model = model.to(device)
    opt = torch.optim.SGD(model.parameters(), lr=args.lr, momentum=0.9,
                          weight_decay=5e-4)
    loss_fn = torch.nn.CrossEntropyLoss()
    steps, first, last = 0, math.nan, math.nan
    for epoch in range(args.epochs):
        model.train()
        te = time.monotonic()
        for i, (x, y) in enumerate(loader):
            if args.steps and i >= args.steps:
                break
            x, y = x.to(device), y.to(device)
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            last = float(loss)
            first = last if steps == 0 else first
            steps += 1
        if device == "cuda":
            torch.cuda.synchronize()
        print("epoch %d loss %.4f time %.2f s" % (epoch, last,
                                                  time.monotonic() - te),
              flush=True)
    print("model %s on %s" % (args.model, device))
    print("steps %d first_loss %.6f last_loss %.6f elapsed_s %.3f"
          % (steps, first, last, time.monotonic() - t0), flush=True)


if __name__ == "__main__":
    main()
