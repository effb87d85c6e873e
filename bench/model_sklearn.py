#!/usr/bin/python3
# SPDX-License-Identifier: MIT
# model_sklearn.py - the same fits as bench/model.c, in scikit-learn, on
# the rows bench/model --dump wrote (n x 7 float64: six features, target):
# LinearRegression; and MinMaxScaler(0, 100) + KMeans(5, n_init=1,
# k-means++) + one LinearRegression per cluster.  Prints median seconds.
import sys
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.linear_model import LinearRegression
from sklearn.metrics import r2_score
from sklearn.preprocessing import MinMaxScaler


def piecewise(x, y):
    z = MinMaxScaler(feature_range=(0, 100)).fit_transform(x)
    km = KMeans(n_clusters=5, n_init=1, init="k-means++",
                random_state=0).fit(z)
    models = [LinearRegression().fit(x[km.labels_ == c], y[km.labels_ == c])
              for c in range(5)]
    return km, models


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: model_sklearn.py ROWS.bin [REPS]")
    reps = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    d = np.fromfile(sys.argv[1], dtype=np.float64).reshape(-1, 7)
    x, y = np.ascontiguousarray(d[:, :6]), d[:, 6].copy()
    t_ols, t_pw = [], []
    for _ in range(reps):
        t0 = time.perf_counter()
        lr = LinearRegression().fit(x, y)
        t1 = time.perf_counter()
        km, models = piecewise(x, y)
        t2 = time.perf_counter()
        t_ols.append(t1 - t0)
        t_pw.append(t2 - t1)
    p = np.empty_like(y)
    for c in range(5):
        m = km.labels_ == c
        p[m] = models[c].predict(x[m])
    print("sklearn rows=%d features=6 reps=%d (median seconds)"
          % (len(y), reps))
    print("sklearn ols_fit_s %.4f r2 %.6f"
          % (np.median(t_ols), r2_score(y, lr.predict(x))))
    print("sklearn piecewise_fit_s %.4f r2 %.6f inertia %.6g iterations %d"
          % (np.median(t_pw), r2_score(y, p), km.inertia_, km.n_iter_))


if __name__ == "__main__":
    main()
