#!/usr/bin/python3
# SPDX-License-Identifier: MIT
"""ml-summary.py [RESULTS] - the table of docs/ml-plan.md from one run of
workloads/ml-plan.csv (pact stress -o RESULTS, default PACTData/ml).

Per model, over its trials (mean and range): energy per epoch = the
energy the example's decorator measured for main() (last energy_j of
RESULTS/res/NAME_T/PACT.csv) divided by its epochs (--epochs in the plan);
CO2 per run = the decorator's last co2_g; the whole run as `pact stress`
tracked it (interpreter start included) from NAME_T_PACT.done and the
last co2_g of NAME_T_PACT.csv.  The basis is read from the CSV: a PSU
meter (Total_PSU_Power(W)), else RAPL + GPU, else pact's CPU and memory
estimate (cpu_estimated_w + memory_estimated_w)."""

import csv
import os
import re
import sys

res = sys.argv[1] if len(sys.argv) > 1 else "PACTData/ml"
plan = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                    "ml-plan.csv")


def last_row(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return rows[-1], rows


def num(v):
    return float(v) if v not in ("", None) else float("nan")


runs = {}
for line in open(plan):
    if line.startswith(("#", "name,")) or not line.strip():
        continue
    name, trial, cmd = line.rstrip("\n").split(",", 2)
    epochs = int(re.search(r"--epochs (\d+)", cmd).group(1))
    runs.setdefault(name, []).append((trial, epochs, cmd))

print("| model | trials | energy per epoch (J) | CO2 per run, training "
      "(mg) | whole run (J) | whole run CO2 (mg) | basis |")
print("|---|---|---|---|---|---|---|")
for name, trials in runs.items():
    ep, co2, whole, wco2, basis = [], [], [], [], set()
    for trial, epochs, _ in trials:
        dec = os.path.join(res, "res", "%s_%s" % (name, trial), "PACT.csv")
        done = os.path.join(res, "%s_%s_PACT.done" % (name, trial))
        if not (os.path.exists(dec) and os.path.exists(done)):
            continue
        last, rows = last_row(dec)
        ep.append(num(last["energy_j"]) / epochs)
        co2.append(num(last["co2_g"]) * 1000)
        wl, wrows = last_row(os.path.join(res, "%s_%s_PACT.csv"
                                          % (name, trial)))
        whole.append(num(wl["energy_j"]))
        wco2.append(num(wl["co2_g"]) * 1000)
        if any(r["Total_PSU_Power(W)"] for r in rows):
            basis.add("PSU meter")
        elif any(r["Intel_RAPL_Power(W)"] for r in rows):
            basis.add("RAPL + GPU")
        else:
            basis.add("CPU+memory estimate")

    def fmt(v, d=1):
        if not v:
            return "n/a"
        m = sum(v) / len(v)
        return "%.*f (%.*f–%.*f)" % (d, m, d, min(v), d, max(v))
    print("| %s | %d | %s | %s | %s | %s | %s |"
          % (name, len(ep), fmt(ep), fmt(co2, 2), fmt(whole), fmt(wco2, 2),
             ", ".join(sorted(basis)) or "n/a"))
