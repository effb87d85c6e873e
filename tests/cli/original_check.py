# SPDX-License-Identifier: MIT
"""original_check.py EXPECTED FIT_STDOUT MODEL RESULTS_DIR - compare pact's
--pipeline original outputs with the golden expected.txt (written by
tests/fixtures/model/original/make_golden.py); prints PASS/FAIL lines."""

import csv
import math
import os
import sys

REL = 1e-6  # the bound for number-for-number agreement
exp_path, fit_out, model, res = sys.argv[1:5]
tag = sys.argv[5] if len(sys.argv) > 5 else ""
exp = {}
for line in open(exp_path):
    if line.startswith("#") or not line.strip():
        continue
    k, v = line.split(None, 1)
    exp[k] = v.strip()


def report(name, ok, why=""):
    print("%s: model_original:%s%s%s" % ("PASS" if ok else "FAIL", tag,
                                         name,
                                         "" if ok else " (%s)" % why))


const = set(exp.get("pfa.constant_features", "none").split(",")) - {"none"}


def close(a, b, key=""):
    # A constant feature's coefficient is 0 up to the solver's rounding
    # (scikit-learn gives about 1e-13): only its smallness is compared.
    if any(key.endswith("." + c) for c in const):
        return abs(a) <= 1e-9 and abs(b) <= 1e-9
    return math.isfinite(a) and abs(a - b) <= REL * abs(b)


def compare(name, got):
    """got: {key: value}; every expected key with this prefix must match."""
    bad = []
    keys = [k for k in exp if k.startswith(name + ".") and
            not k.endswith(".rows") and k != "pfa.clustering_keys"]
    for k in keys:
        if k not in got:
            bad.append("%s missing" % k)
        elif not close(got[k], float(exp[k]), k):
            bad.append("%s %.17g != %s" % (k, got[k], exp[k]))
    report(name, keys and not bad, "; ".join(bad[:3]) or "no keys")


text = open(fit_out).read()
keys_line = [ln for ln in text.splitlines()
             if ln.startswith("clusteringKeys:")]
# Which of several constant features PFA names is decided by rounding in
# the original (their loading rows are all 0): compare them as one.
got_keys = sorted("(constant)" if s.strip() in const else s.strip()
                  for s in keys_line[0].split(":", 1)[1].split(",")) \
    if keys_line else []
report("pfa_clustering_keys",
       got_keys == sorted(exp["pfa.clustering_keys"].split(",")),
       "%r" % got_keys)
got = {}
for ln in text.splitlines():
    f = ln.split()
    if f and f[0] in ("pOtherTrain", "pTotalTrain"):
        got["train.r2.%s.linearReg" % f[0]] = float(f[1])
        got["train.r2.%s.piecewiseReg" % f[0]] = float(f[2])
compare("train", got)
feats, ols = [], []
for ln in open(model):
    f = ln.split()
    if f[:1] == ["feature"]:
        feats.append(ln.split(None, 2)[2].strip())
    elif f[:1] == ["ols"]:
        ols = [float(v) for v in f[1:]]
got = {"linear.intercept": ols[0]} if ols else {}
got.update({"linear.coef.%s" % k: v for k, v in zip(feats, ols[1:])})
compare("linear", got)
got = {}
for clf in ("linearReg", "piecewiseReg"):
    path = os.path.join(res, clf + "TestAllStats.csv")
    if not os.path.exists(path):
        continue
    for row in csv.DictReader(open(path)):
        for k, v in row.items():
            if k != "TestRun":
                got["test.%s.%s.%s" % (row["TestRun"], clf, k)] = float(v)
compare("test", got)
