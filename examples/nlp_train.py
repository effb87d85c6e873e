#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Sentence classification under the original PACT decorator, in the
shape of the original's BERT fine-tuning on SST-2, on torch alone: a small
Transformer encoder (torch.nn.TransformerEncoder) with a classification
head, fine-tuned for binary sentiment on SST-2-shaped synthetic token
sequences (Debian has no transformers package and nothing is downloaded).

    python3 examples/nlp_train.py --res ./results/nlp --epochs 2

The synthetic "sentences" are 8..48 tokens drawn from a 2 000-word
vocabulary, padded to 64; words 10..59 lean positive and 60..109
negative, so the label is learnable.  The encoder is first trained briefly
as a token-order model ("pre-training", --pretrain-steps), then the whole
network is fine-tuned with AdamW at a small learning rate, as BERT
fine-tuning is.  The last line printed is "steps N first_loss A
last_loss B elapsed_s T" for tests.
"""

import argparse
import math
import os
import sys
import time

currentDir = os.path.dirname(os.path.realpath(__file__))
parentDir = os.path.abspath(os.path.join(currentDir, os.pardir))
sys.path.append(os.path.join(parentDir, "python"))
from trackerPACT import PACT  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402

parser = argparse.ArgumentParser(description="SST-2-shaped fine-tuning")
parser.add_argument("--res", default="./otherTools/nlp")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--steps", type=int, default=0,
                    help="stop each epoch after this many batches (0: all)")
parser.add_argument("--samples", type=int, default=2048)
parser.add_argument("--batch-size", type=int, default=32)
parser.add_argument("--pretrain-steps", type=int, default=2)
parser.add_argument("--lr", type=float, default=2e-4)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

VOCAB, MAXLEN, PAD, CLS = 2000, 64, 0, 1
events_groups = [['MIGRATIONS'], ['FAULTS'], ['CACHE-MISSES'], ['CYCLES']]


def sst2_like(n, gen):
    """n padded token sequences and 0/1 labels."""
    x = torch.full((n, MAXLEN), PAD, dtype=torch.long)
    y = torch.randint(0, 2, (n,), generator=gen)
    for i in range(n):
        length = int(torch.randint(8, 49, (1,), generator=gen))
        words = torch.randint(110, VOCAB, (length,), generator=gen)
        k = max(1, length // 6)
        lean = torch.randint(10, 60, (k,), generator=gen) + \
            (0 if int(y[i]) else 50)
        words[torch.randperm(length, generator=gen)[:k]] = lean
        x[i, 0] = CLS
        x[i, 1:length + 1] = words[:MAXLEN - 1]
    return x, y


class Classifier(nn.Module):
    def __init__(self, d=64, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(VOCAB, d, padding_idx=PAD)
        self.pos = nn.Parameter(torch.zeros(1, MAXLEN, d))
        layer = nn.TransformerEncoderLayer(d, heads, 4 * d, dropout=0.1,
                                           batch_first=True)
        self.encoder = nn.TransformerEncoder(layer, layers)
        self.lm = nn.Linear(d, VOCAB)   # pre-training head
        self.head = nn.Linear(d, 2)     # classification head

    def encode(self, x):
        return self.encoder(self.tok(x) + self.pos[:, :x.shape[1]],
                            src_key_padding_mask=(x == PAD))

    def forward(self, x):
        return self.head(self.encode(x)[:, 0])


@PACT(measure_period=1, perf_measure_period=0.01,
      events_groups=events_groups, tracker_file_name=args.res + "/PACT.csv")
def main():
    t0 = time.monotonic()
    gen = torch.Generator().manual_seed(args.seed)
    torch.manual_seed(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    x, y = sst2_like(args.samples, gen)
    model = Classifier().to(device)
    loss_fn = nn.CrossEntropyLoss()
    # Brief "pre-training": predict each next token (a stand-in for the
    # pre-trained BERT weights the original started from).
    opt = torch.optim.AdamW(model.parameters(), lr=1e-3)
    for _ in range(args.pretrain_steps):
        xb = x[:args.batch_size].to(device)
        h = model.encode(xb[:, :-1])
        loss = loss_fn(model.lm(h).reshape(-1, VOCAB), xb[:, 1:].reshape(-1))
        opt.zero_grad()
        loss.backward()
        opt.step()
    # Fine-tuning.
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr,
                            weight_decay=0.01)
    steps, first, last = 0, math.nan, math.nan
    for epoch in range(args.epochs):
        model.train()
        te = time.monotonic()
        perm = torch.randperm(args.samples, generator=gen)
        correct = 0
        seen = 0
        for i in range(0, args.samples, args.batch_size):
            if args.steps and i // args.batch_size >= args.steps:
                break
            idx = perm[i:i + args.batch_size]
            xb, yb = x[idx].to(device), y[idx].to(device)
            logits = model(xb)
            loss = loss_fn(logits, yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            correct += int((logits.argmax(1) == yb).sum())
            seen += len(idx)
            last = float(loss)
            first = last if steps == 0 else first
            steps += 1
        print("epoch %d loss %.4f accuracy %.3f time %.2f s"
              % (epoch, last, correct / max(seen, 1), time.monotonic() - te),
              flush=True)
    print("steps %d first_loss %.6f last_loss %.6f elapsed_s %.3f"
          % (steps, first, last, time.monotonic() - t0), flush=True)


if __name__ == "__main__":
    main()
