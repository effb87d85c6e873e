#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Reinforcement learning under the original PACT decorator, in the shape
of the original's soft actor-critic (SAC) benchmark, on torch alone (Debian
has no gym): SAC with twin Q critics, target networks, a tanh-Gaussian
policy and a learned entropy temperature, on a point mass that must reach
a goal in the plane.

    python3 examples/rl_train.py --res ./results/rl --epochs 2

The environment: state (x, y, vx, vy, gx, gy), action a force in
[-1, 1]^2, dt 0.1, friction 0.1, reward minus the distance to the goal
minus 0.01 |a|^2, 50 steps an episode.  An "epoch" is --steps environment
steps, each followed by one SAC update once --warmup transitions are in
the replay buffer.  The last line printed is "steps N first_loss A
last_loss B elapsed_s T" (critic loss) for tests.
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

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn  # noqa: E402

parser = argparse.ArgumentParser(description="SAC on a point mass")
parser.add_argument("--res", default="./otherTools/rl")
parser.add_argument("--epochs", type=int, default=2)
parser.add_argument("--steps", type=int, default=1000,
                    help="environment steps per epoch")
parser.add_argument("--warmup", type=int, default=64)
parser.add_argument("--batch-size", type=int, default=128)
parser.add_argument("--seed", type=int, default=0)
args = parser.parse_args()

events_groups = [['MIGRATIONS'], ['FAULTS'], ['CACHE-MISSES'], ['CYCLES']]


class PointMass:
    """A unit mass pushed by a bounded force toward a random goal."""
    obs_dim, act_dim, horizon = 6, 2, 50

    def __init__(self, rng):
        self.rng = rng

    def reset(self):
        self.p = self.rng.uniform(-1, 1, 2)
        self.v = np.zeros(2)
        self.g = self.rng.uniform(-1, 1, 2)
        self.t = 0
        return self._obs()

    def _obs(self):
        return np.concatenate([self.p, self.v, self.g]).astype(np.float32)

    def step(self, a):
        a = np.clip(a, -1, 1)
        self.v = 0.9 * self.v + 0.1 * a
        self.p = np.clip(self.p + 0.1 * self.v, -2, 2)
        self.t += 1
        r = -float(np.linalg.norm(self.p - self.g)) - 0.01 * float(a @ a)
        return self._obs(), r, self.t >= self.horizon


def mlp(i, o, h=128):
    return nn.Sequential(nn.Linear(i, h), nn.ReLU(), nn.Linear(h, h),
                         nn.ReLU(), nn.Linear(h, o))


class Actor(nn.Module):
    def __init__(self, od, ad):
        super().__init__()
        self.net = mlp(od, 2 * ad)

    def forward(self, o):
        mu, log_std = self.net(o).chunk(2, -1)
        std = log_std.clamp(-5, 2).exp()
        u = mu + std * torch.randn_like(mu)
        a = torch.tanh(u)
        logp = (torch.distributions.Normal(mu, std).log_prob(u)
                - torch.log(1 - a.pow(2) + 1e-6)).sum(-1)
        return a, logp


@PACT(measure_period=1, perf_measure_period=0.01,
      events_groups=events_groups, tracker_file_name=args.res + "/PACT.csv")
def main():
    t0 = time.monotonic()
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    device = "cuda" if torch.cuda.is_available() else "cpu"
    env = PointMass(rng)
    od, ad = env.obs_dim, env.act_dim
    actor = Actor(od, ad).to(device)
    q = [mlp(od + ad, 1).to(device) for _ in range(2)]
    q_targ = [mlp(od + ad, 1).to(device) for _ in range(2)]
    for a, b in zip(q, q_targ):
        b.load_state_dict(a.state_dict())
    log_alpha = torch.zeros(1, requires_grad=True, device=device)
    opt_pi = torch.optim.Adam(actor.parameters(), lr=3e-4)
    opt_q = torch.optim.Adam([p for m in q for p in m.parameters()], lr=3e-4)
    opt_a = torch.optim.Adam([log_alpha], lr=3e-4)
    gamma, tau, target_ent = 0.99, 0.005, -float(ad)
    cap = args.epochs * args.steps + 1
    buf = {k: np.zeros((cap, d), np.float32) for k, d in
           (("o", od), ("a", ad), ("r", 1), ("o2", od), ("d", 1))}
    n = 0
    o = env.reset()
    updates, first, last = 0, math.nan, math.nan
    for epoch in range(args.epochs):
        te = time.monotonic()
        ret, episodes, ep_ret = 0.0, 0, 0.0
        for _ in range(args.steps):
            if n < args.warmup:
                a = rng.uniform(-1, 1, ad).astype(np.float32)
            else:
                with torch.no_grad():
                    a = actor(torch.as_tensor(o, device=device))[0]
                    a = a.cpu().numpy()
            o2, r, done = env.step(a)
            for k, v in (("o", o), ("a", a), ("r", r), ("o2", o2),
                         ("d", float(done))):
                buf[k][n] = v
            n += 1
            ep_ret += r
            o = o2
            if done:
                ret, episodes, ep_ret = ret + ep_ret, episodes + 1, 0.0
                o = env.reset()
            if n < args.warmup:
                continue
            idx = rng.integers(0, n, args.batch_size)
            b = {k: torch.as_tensor(v[idx], device=device)
                 for k, v in buf.items()}
            alpha = log_alpha.exp().detach()
            with torch.no_grad():
                a2, logp2 = actor(b["o2"])
                x2 = torch.cat([b["o2"], a2], -1)
                qt = torch.min(q_targ[0](x2), q_targ[1](x2)).squeeze(-1)
                y = b["r"].squeeze(-1) + gamma * (1 - b["d"].squeeze(-1)) * \
                    (qt - alpha * logp2)
            x = torch.cat([b["o"], b["a"]], -1)
            loss_q = sum(((m(x).squeeze(-1) - y) ** 2).mean() for m in q)
            opt_q.zero_grad()
            loss_q.backward()
            opt_q.step()
            an, logp = actor(b["o"])
            xn = torch.cat([b["o"], an], -1)
            loss_pi = (alpha * logp - torch.min(q[0](xn), q[1](xn))
                       .squeeze(-1)).mean()
            opt_pi.zero_grad()
            loss_pi.backward()
            opt_pi.step()
            loss_a = -(log_alpha * (logp.detach() + target_ent)).mean()
            opt_a.zero_grad()
            loss_a.backward()
            opt_a.step()
            with torch.no_grad():
                for m, mt in zip(q, q_targ):
                    for p, pt in zip(m.parameters(), mt.parameters()):
                        pt.mul_(1 - tau).add_(tau * p)
            last = float(loss_q)
            first = last if updates == 0 else first
            updates += 1
        print("epoch %d critic_loss %.4f mean_return %.2f alpha %.3f "
              "time %.2f s" % (epoch, last, ret / max(episodes, 1),
                               float(log_alpha.exp()), time.monotonic() - te),
              flush=True)
    print("steps %d first_loss %.6f last_loss %.6f elapsed_s %.3f"
          % (updates, first, last, time.monotonic() - t0), flush=True)


if __name__ == "__main__":
    main()
