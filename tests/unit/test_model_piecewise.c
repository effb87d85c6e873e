/* SPDX-License-Identifier: MIT */
/*
 * test_model_piecewise.c - data drawn from five separated linear regimes:
 * the piecewise model finds the five, recovers each regime's law and
 * beats one global least squares; a cluster too small for its own fit
 * falls back to the global one.
 */
#include "model/metrics.h"
#include "model/ols.h"
#include "model/piecewise.h"
#include "model_synth.h"
#include "t.h"

#define R 5
#define PER 400
#define NF 2
#define N (R * PER)

static const double law[R][3] = {
    /* intercept, slope x0, slope x1 */
    {10, 2.0, 0.5}, {80, -1.0, 1.5}, {-30, 3.0, -0.5},
    {200, 0.2, 0.1}, {5, -2.0, 2.5},
};
static double x[N * NF], y[N];

static void regimes(uint64_t seed)
{
    uint64_t s = seed;
    for (int r = 0; r < R; r++)
        for (int i = 0; i < PER; i++) {
            double *p = x + (r * PER + i) * NF;
            p[0] = r * 100 + syn_uniform(&s, 0, 20); /* regime by x0 */
            p[1] = syn_uniform(&s, 0, 50);
            y[r * PER + i] = law[r][0] + law[r][1] * p[0] +
                             law[r][2] * p[1] + syn_normal(&s, 0.2);
        }
}

TEST(recovers_five_regimes_and_beats_ols)
{
    regimes(21);
    double g[NF + 1];
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, g, NULL, why, sizeof why), 0);
    struct pact__kmeans_opts ko;
    pact__kmeans_opts_init(&ko);
    size_t sel[1] = {0}; /* the regime shows in x0 (PFA's job to say) */
    struct pact__piecewise pw;
    T_EQ(pact__piecewise_fit(x, y, N, NF, g, sel, 1, &ko, &pw, why,
                             sizeof why), R);
    int seen[R] = {0};
    for (int r = 0; r < R; r++) {
        size_t c = pact__piecewise_cluster(&pw, x + (r * PER) * NF);
        seen[c]++;
        /* Every row of the regime lands in the same cluster. */
        for (int i = 1; i < PER; i++)
            T_EQ(pact__piecewise_cluster(&pw, x + (r * PER + i) * NF), c);
        const double *b = pw.coef + c * (NF + 1);
        T_NEAR(b[1], law[r][1], 0.01);
        T_NEAR(b[2], law[r][2], 0.01);
        /* The intercept is extrapolated from x0 near r * 100: its
         * standard error grows with r (about 0.2 * sqrt(12 r^2)). */
        T_NEAR(b[0], law[r][0], 0.5 + 3.0 * r);
        T_EQ(pw.rows[c], PER);
        T_EQ(pw.fallback[c], 0);
    }
    for (int c = 0; c < R; c++)
        T_EQ(seen[c], 1);
    double pp[N], po[N];
    for (int i = 0; i < N; i++) {
        pp[i] = pact__piecewise_predict(&pw, NF, x + i * NF);
        po[i] = pact__ols_predict(g, x + i * NF, NF);
    }
    double r2p = pact__r2(y, pp, N), r2o = pact__r2(y, po, N);
    T_ASSERT(r2p > 0.9999);
    T_ASSERT(r2p > r2o);
    T_ASSERT(pact__wmape(y, pp, N) < pact__wmape(y, po, N) / 10);
    pact__piecewise_release(&pw);
}

TEST(small_cluster_falls_back_to_global_fit)
{
    regimes(22);
    /* One far outlier point forms a cluster of its own. */
    x[0] = 1e4;
    x[1] = 0;
    double g[NF + 1];
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, g, NULL, why, sizeof why), 0);
    struct pact__kmeans_opts ko;
    pact__kmeans_opts_init(&ko);
    ko.k = 6;
    size_t sel[1] = {0};
    struct pact__piecewise pw;
    T_EQ(pact__piecewise_fit(x, y, N, NF, g, sel, 1, &ko, &pw, why,
                             sizeof why), 6);
    size_t c = pact__piecewise_cluster(&pw, x);
    T_EQ(pw.rows[c], 1);
    T_EQ(pw.fallback[c], 1);
    for (int j = 0; j <= NF; j++)
        T_NEAR(pw.coef[c * (NF + 1) + j], g[j], 0);
    T_ASSERT(isfinite(pact__piecewise_predict(&pw, NF, x)));
    pact__piecewise_release(&pw);
}

T_MAIN(T_RUN(recovers_five_regimes_and_beats_ols);
       T_RUN(small_cluster_falls_back_to_global_fit))
