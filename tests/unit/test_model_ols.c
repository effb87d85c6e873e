/* SPDX-License-Identifier: MIT */
/*
 * test_model_ols.c - least squares: a known linear law plus noise is
 * recovered, r² matches 1 - SSres/SStot computed here, the answer agrees
 * with GSL's SVD solver, and degenerate inputs (constant column,
 * duplicate column, fewer rows than features, empty group, NaN) give
 * finite answers or clear errors.
 */
#include <gsl/gsl_multifit.h>

#include "model/metrics.h"
#include "model/ols.h"
#include "model_synth.h"
#include "pact/pact.h"
#include "t.h"

#define N 2000
#define NF 3

static double x[N * NF], y[N];

static void make_law(uint64_t seed, double sd)
{
    uint64_t s = seed;
    for (int i = 0; i < N; i++) {
        x[i * NF + 0] = syn_uniform(&s, 0, 10);
        x[i * NF + 1] = syn_uniform(&s, -5, 5);
        x[i * NF + 2] = syn_uniform(&s, 0, 1000);
        y[i] = 2.0 + 1.5 * x[i * NF] - 0.7 * x[i * NF + 1] +
               0.02 * x[i * NF + 2] + syn_normal(&s, sd);
    }
}

TEST(recovers_known_law)
{
    make_law(1, 0.1);
    double b[NF + 1];
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, b, NULL, why, sizeof why), 0);
    T_NEAR(b[0], 2.0, 0.02);
    T_NEAR(b[1], 1.5, 0.003);
    T_NEAR(b[2], -0.7, 0.003);
    T_NEAR(b[3], 0.02, 3e-5);
}

TEST(r2_matches_closed_form)
{
    make_law(2, 1.0);
    double b[NF + 1], p[N], mean = 0, ssr = 0, sst = 0;
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, b, NULL, why, sizeof why), 0);
    for (int i = 0; i < N; i++) {
        p[i] = pact__ols_predict(b, x + i * NF, NF);
        mean += y[i] / N;
    }
    for (int i = 0; i < N; i++) {
        ssr += (y[i] - p[i]) * (y[i] - p[i]);
        sst += (y[i] - mean) * (y[i] - mean);
    }
    double r2 = 1 - ssr / sst;
    T_NEAR(pact__r2(y, p, N), r2, 1e-12);
    T_ASSERT(r2 > 0.9 && r2 < 1);
    /* Least squares: residuals are orthogonal to every column. */
    for (int j = 0; j < NF; j++) {
        double dot = 0, scale = 0;
        for (int i = 0; i < N; i++) {
            dot += (y[i] - p[i]) * x[i * NF + j];
            scale += fabs(y[i] * x[i * NF + j]);
        }
        T_ASSERT(fabs(dot) < 1e-9 * scale);
    }
}

TEST(agrees_with_gsl_svd)
{
    make_law(3, 0.5);
    double b[NF + 1];
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, b, NULL, why, sizeof why), 0);
    gsl_matrix *X = gsl_matrix_alloc(N, NF + 1);
    gsl_vector *Y = gsl_vector_alloc(N), *c = gsl_vector_alloc(NF + 1);
    gsl_matrix *cov = gsl_matrix_alloc(NF + 1, NF + 1);
    gsl_multifit_linear_workspace *w = gsl_multifit_linear_alloc(N, NF + 1);
    for (int i = 0; i < N; i++) {
        gsl_matrix_set(X, i, 0, 1);
        for (int j = 0; j < NF; j++)
            gsl_matrix_set(X, i, j + 1, x[i * NF + j]);
        gsl_vector_set(Y, i, y[i]);
    }
    double chisq;
    gsl_multifit_linear(X, Y, c, cov, &chisq, w);
    for (int j = 0; j <= NF; j++)
        T_NEAR(b[j], gsl_vector_get(c, j), 1e-9 * (1 + fabs(b[j])));
    gsl_multifit_linear_free(w);
    gsl_matrix_free(X);
    gsl_matrix_free(cov);
    gsl_vector_free(Y);
    gsl_vector_free(c);
}

TEST(constant_column_gets_zero_slope)
{
    make_law(4, 0.1);
    for (int i = 0; i < N; i++)
        x[i * NF + 1] = 42.0;
    double b[NF + 1];
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, b, NULL, why, sizeof why), 0);
    T_EQ(b[2], 0);
    for (int j = 0; j <= NF; j++)
        T_ASSERT(isfinite(b[j]));
    T_NEAR(b[1], 1.5, 0.01);
}

TEST(duplicate_column_is_finite_and_fits)
{
    make_law(5, 0.1);
    for (int i = 0; i < N; i++)
        x[i * NF + 1] = 2 * x[i * NF];
    double b[NF + 1], p[N];
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, b, NULL, why, sizeof why), 0);
    for (int j = 0; j <= NF; j++)
        T_ASSERT(isfinite(b[j]));
    /* Minimum norm in standardised units splits the weight 1:1, so the
     * combined slope on x0 is b1 + 2 b2. */
    T_NEAR(b[1], 2 * b[2], 1e-6);
    for (int i = 0; i < N; i++)
        p[i] = pact__ols_predict(b, x + i * NF, NF);
    T_ASSERT(pact__r2(y, p, N) > 0.5);
}

TEST(groups_fit_separately_and_small_groups_stay_finite)
{
    make_law(6, 0.1);
    int label[N];
    for (int i = 0; i < N; i++)
        label[i] = i < 2 ? 2 : (i % 2); /* group 2: 2 rows < NF + 1 */
    label[2] = -1;                      /* unused row */
    double b[4 * (NF + 1)];
    size_t cnt[4];
    char why[256];
    T_EQ(pact__ols_fit(x, y, N, NF, label, 4, b, cnt, why, sizeof why), 0);
    T_EQ(cnt[0] + cnt[1] + cnt[2], N - 1);
    T_EQ(cnt[2], 2);
    T_EQ(cnt[3], 0);
    T_NEAR(b[0 * (NF + 1) + 1], 1.5, 0.005);
    T_NEAR(b[1 * (NF + 1) + 1], 1.5, 0.005);
    for (int j = 0; j <= NF; j++) {
        T_ASSERT(isfinite(b[2 * (NF + 1) + j]));
        T_ASSERT(isnan(b[3 * (NF + 1) + j])); /* empty: caller replaces */
    }
    /* Two rows, fitted exactly by the minimum-norm answer. */
    for (int i = 0; i < 2; i++)
        T_NEAR(pact__ols_predict(b + 2 * (NF + 1), x + i * NF, NF), y[i],
               1e-6 * fabs(y[i]));
}

TEST(non_finite_input_is_an_error)
{
    make_law(7, 0.1);
    x[5 * NF + 2] = NAN;
    double b[NF + 1];
    char why[256] = "";
    T_EQ(pact__ols_fit(x, y, N, NF, NULL, 1, b, NULL, why, sizeof why),
         PACT_ENUMERIC);
    T_ASSERT(strstr(why, "non-finite") != NULL);
}

T_MAIN(T_RUN(recovers_known_law); T_RUN(r2_matches_closed_form);
       T_RUN(agrees_with_gsl_svd); T_RUN(constant_column_gets_zero_slope);
       T_RUN(duplicate_column_is_finite_and_fits);
       T_RUN(groups_fit_separately_and_small_groups_stay_finite);
       T_RUN(non_finite_input_is_an_error))
