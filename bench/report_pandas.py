# SPDX-License-Identifier: MIT
# report_pandas.py - the peer for bench/report.sh: what a user writes
# today to see a run, pandas + matplotlib drawing the same power-over-time
# chart as `pact report` (parts stacked, the total on top) to a PNG, with
# the energies from all rows.  Usage: /usr/bin/python3 report_pandas.py CSV PNG
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

df = pd.read_csv(sys.argv[1])
t = df["unix_time"] - df["unix_time"].iloc[0]
parts = [c for c in df.columns if c.startswith("rapl_") and c.endswith("_w")]
energy = {c: float((df[c] * df["duration(s)"]).sum()) for c in parts}
energy["total"] = float((df["total_power_w"] * df["duration(s)"]).sum())
fig, ax = plt.subplots(figsize=(9, 3))
ax.stackplot(t, *[df[c] for c in parts], labels=parts)
ax.plot(t, df["total_power_w"], color="black", lw=0.8, label="total")
ax.set_xlabel("time since start (s)")
ax.set_ylabel("power (W)")
ax.legend(loc="upper right")
fig.savefig(sys.argv[2], dpi=100)
print("energy_j", energy["total"])
