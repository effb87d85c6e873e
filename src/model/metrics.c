/* SPDX-License-Identifier: MIT */
/*
 * metrics.c - r², MAPE, weighted MAPE and wall energy, as the original's
 * evaluation computed them (energy = sum duration * P * 100/92).
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
