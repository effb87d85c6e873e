/* SPDX-License-Identifier: MIT */
/*
 * metrics.c - r², MAPE, weighted MAPE and wall energy for pact's default
 * pipeline.  These differ from the original's on purpose: MAPE leaves out
 * rows whose actual value is 0 (the original divides by machine epsilon
 * there), weighted MAPE divides by sum |a| (the original by sum a), and
 * kWh = J / 3.6e6 exactly (the original multiplied by 0.00000027778, 8e-6
 * too high).  --pipeline original uses original.c's figures instead.
 */
#include "model/metrics.h"

#include <math.h>

static int pair(const double *a, const double *p, size_t i)
{
    return !isnan(a[i]) && !isnan(p[i]);
}

double pact__r2(const double *actual, const double *pred, size_t n)
{
    double mean = 0, ssr = 0, sst = 0;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++)
        if (pair(actual, pred, i)) {
            mean += actual[i];
            cnt++;
        }
    if (!cnt)
        return NAN;
    mean /= (double)cnt;
    for (size_t i = 0; i < n; i++)
        if (pair(actual, pred, i)) {
            double e = actual[i] - pred[i], t = actual[i] - mean;
            ssr += e * e;
            sst += t * t;
        }
    if (sst == 0)
        return ssr == 0 ? 1.0 : 0.0;
    return 1 - ssr / sst;
}

double pact__mape(const double *actual, const double *pred, size_t n)
{
    double s = 0;
    size_t cnt = 0;
    for (size_t i = 0; i < n; i++)
        if (pair(actual, pred, i) && actual[i] != 0) {
            s += fabs(actual[i] - pred[i]) / fabs(actual[i]);
            cnt++;
        }
    return cnt ? s / (double)cnt : NAN;
}

double pact__wmape(const double *actual, const double *pred, size_t n)
{
    double num = 0, den = 0;
    for (size_t i = 0; i < n; i++)
        if (pair(actual, pred, i)) {
            num += fabs(actual[i] - pred[i]);
            den += fabs(actual[i]);
        }
    return den > 0 ? num / den : NAN;
}

double pact__energy_kwh(const double *power_w, const double *duration_s,
                        size_t n, double psu_efficiency)
{
    double j = 0;
    for (size_t i = 0; i < n; i++)
        if (!isnan(power_w[i]) && !isnan(duration_s[i]))
            j += duration_s[i] * power_w[i];
    return j / psu_efficiency / 3.6e6;
}
