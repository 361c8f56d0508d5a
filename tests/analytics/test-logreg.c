/* test-logreg.c: logistic regression, ROC AUC and calibration against scikit-learn
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ord-logreg.h"
#include "ord-roc.h"

static GKeyFile *
load_fixture (const char *name)
{
  const char *srcdir = g_getenv ("ORDERLY_TEST_SRCDIR");
  g_autofree char *path = NULL;
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (srcdir);
  path = g_build_filename (srcdir, "analytics", "fixtures", "ml", name, NULL);
  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&kf);
}

static double *
get_doubles (GKeyFile   *kf,
             const char *group,
             const char *key,
             gsize       expected)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  double *v = g_key_file_get_double_list (kf, group, key, &len, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected);
  return v;
}

static double
get_double (GKeyFile   *kf,
            const char *group,
            const char *key)
{
  g_autoptr(GError) error = NULL;
  double v = g_key_file_get_double (kf, group, key, &error);

  g_assert_no_error (error);
  return v;
}

static gsize
get_size (GKeyFile   *kf,
          const char *group,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  int v = g_key_file_get_integer (kf, group, key, &error);

  g_assert_no_error (error);
  g_assert_cmpint (v, >=, 0);
  return (gsize) v;
}

typedef struct
{
  GKeyFile *kf;
  gsize     n;
  guint     p;
  double   *x;
  double   *z;
  double   *y;
  double   *w;
} Data;

static void
data_load (Data *d)
{
  g_autoptr(OrdStandardizer) st = NULL;

  d->kf = load_fixture ("logreg.ini");
  d->n = get_size (d->kf, "logreg", "n");
  d->p = (guint) get_size (d->kf, "logreg", "p");
  d->x = get_doubles (d->kf, "logreg", "x", d->n * d->p);
  d->y = get_doubles (d->kf, "logreg", "y", d->n);
  d->w = get_doubles (d->kf, "logreg", "weights", d->n);
  d->z = g_new (double, d->n * d->p);
  st = ord_standardizer_fit (d->x, d->n, d->p);
  ord_standardizer_transform (st, d->x, d->n, d->z);
}

static void
data_clear (Data *d)
{
  g_key_file_unref (d->kf);
  g_free (d->x);
  g_free (d->z);
  g_free (d->y);
  g_free (d->w);
}

static void
test_standardizer (void)
{
  Data d;
  g_autoptr(OrdStandardizer) st = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *scale = NULL;
  double c[4] = { 1, 5, 2, 5 };

  data_load (&d);
  st = ord_standardizer_fit (d.x, d.n, d.p);
  mean = get_doubles (d.kf, "logreg", "mean", d.p);
  scale = get_doubles (d.kf, "logreg", "scale", d.p);
  for (guint j = 0; j < d.p; j++)
    {
      g_assert_cmpfloat_with_epsilon (st->mean[j], mean[j], 1e-12 * fabs (mean[j]));
      g_assert_cmpfloat_with_epsilon (st->scale[j], scale[j], 1e-12 * scale[j]);
    }
  data_clear (&d);

  /* A constant column keeps scale 1, so it standardises to 0, not NaN. */
  g_clear_pointer (&st, ord_standardizer_free);
  st = ord_standardizer_fit (c, 2, 2);
  g_assert_cmpfloat (st->scale[1], ==, 1.0);
  ord_standardizer_transform (st, c, 2, c);
  g_assert_cmpfloat (c[1], ==, 0.0);
  g_assert_cmpfloat (c[0], ==, -1.0);
}

static void
test_matches_sklearn (void)
{
  const char *const tags[] = { "c1", "c005", "c1-weighted" };
  Data d;

  data_load (&d);
  for (guint t = 0; t < G_N_ELEMENTS (tags); t++)
    {
      g_autofree char *k_c = g_strdup_printf ("%s.C", tags[t]);
      g_autofree char *k_coef = g_strdup_printf ("%s.coef", tags[t]);
      g_autofree char *k_int = g_strdup_printf ("%s.intercept", tags[t]);
      g_autofree char *k_proba = g_strdup_printf ("%s.proba", tags[t]);
      g_autofree char *k_auc = g_strdup_printf ("%s.auc", tags[t]);
      g_autofree char *k_brier = g_strdup_printf ("%s.brier", tags[t]);
      g_autofree double *coef = get_doubles (d.kf, "logreg", k_coef, d.p);
      g_autofree double *want_proba = get_doubles (d.kf, "logreg", k_proba, d.n);
      g_autofree double *proba = g_new (double, d.n);
      g_autoptr(OrdLogReg) m = NULL;
      g_autoptr(GError) error = NULL;
      OrdLogRegOptions opt;

      ord_logreg_options_init (&opt);
      opt.C = get_double (d.kf, "logreg", k_c);
      m = ord_logreg_fit (d.z, d.y, strstr (tags[t], "weighted") ? d.w : NULL,
                          d.n, d.p, &opt, &error);
      g_assert_no_error (error);
      g_assert_true (m->converged);
      g_test_message ("%s: %u Newton iterations", tags[t], m->n_iter);
      g_assert_cmpuint (m->n_iter, <=, 20);

      for (guint j = 0; j < d.p; j++)
        g_assert_cmpfloat_with_epsilon (m->coef[j], coef[j], 1e-5);
      g_assert_cmpfloat_with_epsilon (m->intercept, get_double (d.kf, "logreg", k_int), 1e-5);

      ord_logreg_predict_proba_many (m, d.z, d.n, proba);
      for (gsize i = 0; i < d.n; i++)
        g_assert_cmpfloat_with_epsilon (proba[i], want_proba[i], 1e-6);

      /* Same AUC as roc_auc_score on scikit-learn's own probabilities, and
       * on ours (the ranking is the same). */
      g_assert_cmpfloat_with_epsilon (ord_roc_auc (want_proba, d.y, d.n),
                                      get_double (d.kf, "logreg", k_auc), 1e-12);
      g_assert_cmpfloat_with_epsilon (ord_roc_auc (proba, d.y, d.n),
                                      get_double (d.kf, "logreg", k_auc), 1e-9);
      g_assert_cmpfloat_with_epsilon (ord_brier_score (want_proba, d.y, d.n),
                                      get_double (d.kf, "logreg", k_brier), 1e-12);
    }
  data_clear (&d);
}

/* A huge C is the unpenalised maximum likelihood of statsmodels' Logit. */
static void
test_unpenalised (void)
{
  Data d;
  g_autofree double *coef = NULL;
  g_autoptr(OrdLogReg) m = NULL;
  OrdLogRegOptions opt;

  data_load (&d);
  coef = get_doubles (d.kf, "logreg", "mle.coef", d.p);
  ord_logreg_options_init (&opt);
  opt.C = 1e12;
  m = ord_logreg_fit (d.z, d.y, NULL, d.n, d.p, &opt, NULL);
  g_assert_nonnull (m);
  for (guint j = 0; j < d.p; j++)
    g_assert_cmpfloat_with_epsilon (m->coef[j], coef[j], 1e-5);
  g_assert_cmpfloat_with_epsilon (m->intercept, get_double (d.kf, "logreg", "mle.intercept"), 1e-5);
  data_clear (&d);
}

/* Perfectly separated classes: the penalty keeps the fit finite. */
static void
test_separable (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("logreg.ini");
  g_autofree double *x = get_doubles (kf, "separable", "x", 6);
  g_autofree double *y = get_doubles (kf, "separable", "y", 6);
  g_autoptr(OrdLogReg) m = NULL;
  OrdLogRegOptions opt;

  ord_logreg_options_init (&opt);
  opt.C = get_double (kf, "separable", "C");
  m = ord_logreg_fit (x, y, NULL, 6, 1, &opt, NULL);
  g_assert_nonnull (m);
  g_assert_cmpfloat_with_epsilon (m->coef[0], get_double (kf, "separable", "coef"), 1e-5);
  g_assert_cmpfloat_with_epsilon (m->intercept, get_double (kf, "separable", "intercept"), 1e-5);
}

static void
test_auc_ties (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("logreg.ini");

  for (guint c = 0; c < 3; c++)
    {
      g_autofree char *g = g_strdup_printf ("auc-%u", c);
      gsize n = get_size (kf, g, "n");
      g_autofree double *s = get_doubles (kf, g, "scores", n);
      g_autofree double *y = get_doubles (kf, g, "y", n);
      g_autofree double *fpr = NULL;
      g_autofree double *tpr = NULL;
      g_autofree double *thr = NULL;
      double auc = ord_roc_auc (s, y, n);
      double trap = 0.0;
      gsize m;

      g_assert_cmpfloat_with_epsilon (auc, get_double (kf, g, "auc"), 1e-12);

      /* The curve runs from (0, 0) to (1, 1) and its area is the AUC. */
      m = ord_roc_curve (s, y, n, &fpr, &tpr, &thr);
      g_assert_cmpuint (m, >=, 2);
      g_assert_cmpfloat (fpr[0], ==, 0.0);
      g_assert_cmpfloat (tpr[0], ==, 0.0);
      g_assert_cmpfloat (fpr[m - 1], ==, 1.0);
      g_assert_cmpfloat (tpr[m - 1], ==, 1.0);
      g_assert_true (isinf (thr[0]));
      for (gsize i = 1; i < m; i++)
        {
          g_assert_cmpfloat (fpr[i], >=, fpr[i - 1]);
          g_assert_cmpfloat (tpr[i], >=, tpr[i - 1]);
          g_assert_cmpfloat (thr[i], <, thr[i - 1]);
          trap += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2.0;
        }
      g_assert_cmpfloat_with_epsilon (trap, auc, 1e-12);
    }

  {
    double s[] = { 0.5, 0.5, 0.5 };
    double y1[] = { 1, 0, 1 };
    double y0[] = { 1, 1, 1 };

    g_assert_cmpfloat (ord_roc_auc (s, y1, 3), ==, 0.5);
    g_assert_true (isnan (ord_roc_auc (s, y0, 3)));
  }
}

static void
test_calibration (void)
{
  Data d;
  g_autofree double *n_want = NULL;
  g_autofree double *mp = NULL;
  g_autofree double *rate = NULL;
  g_autofree double *proba = NULL;
  g_autoptr(OrdLogReg) m = NULL;
  OrdCalibrationBin bins[10];

  data_load (&d);
  n_want = get_doubles (d.kf, "logreg", "deciles.n", 10);
  mp = get_doubles (d.kf, "logreg", "deciles.mean_predicted", 10);
  rate = get_doubles (d.kf, "logreg", "deciles.observed_rate", 10);
  m = ord_logreg_fit (d.z, d.y, NULL, d.n, d.p, NULL, NULL);
  proba = g_new (double, d.n);
  ord_logreg_predict_proba_many (m, d.z, d.n, proba);

  g_assert_cmpuint (ord_calibration_table (proba, d.y, d.n, 10, bins), ==, 10);
  for (guint b = 0; b < 10; b++)
    {
      g_assert_cmpuint (bins[b].n, ==, (gsize) n_want[b]);
      g_assert_cmpfloat_with_epsilon (bins[b].mean_predicted, mp[b], 1e-6);
      g_assert_cmpfloat_with_epsilon (bins[b].observed_rate, rate[b], 1e-12);
      g_assert_cmpfloat (bins[b].min_predicted, <=, bins[b].mean_predicted);
      g_assert_cmpfloat (bins[b].mean_predicted, <=, bins[b].max_predicted);
      if (b > 0)
        g_assert_cmpfloat (bins[b].min_predicted, >=, bins[b - 1].max_predicted);
    }
  data_clear (&d);
}

/* A customer with many past cancellations (feature 3, three standard
 * deviations above average) is explained by that feature first. */
static void
test_explain (void)
{
  Data d;
  g_autoptr(OrdLogReg) m = NULL;
  OrdContribution top[3];
  OrdContribution all[5];
  double row[5] = { 0.0, 0.5, 0.0, 3.0, -0.2 };
  double sum;

  data_load (&d);
  m = ord_logreg_fit (d.z, d.y, NULL, d.n, d.p, NULL, NULL);

  g_assert_cmpuint (ord_logreg_explain (m, row, 3, top), ==, 3);
  g_assert_cmpuint (top[0].feature, ==, 3);
  g_assert_cmpfloat (top[0].contribution, >, 0.0);
  g_assert_cmpfloat_with_epsilon (top[0].contribution, 3.0 * m->coef[3], 1e-15);
  g_assert_cmpuint (top[1].feature, ==, 1);
  g_assert_cmpfloat (top[1].contribution, <, 0.0);  /* larger value, lower risk */
  g_assert_cmpfloat (fabs (top[1].contribution), >=, fabs (top[2].contribution));

  /* The terms add up to the log-odds. */
  g_assert_cmpuint (ord_logreg_explain (m, row, 10, all), ==, 5);
  sum = m->intercept;
  for (guint j = 0; j < 5; j++)
    sum += all[j].contribution;
  g_assert_cmpfloat_with_epsilon (sum, ord_logreg_decision (m, row), 1e-12);
  data_clear (&d);
}

static void
test_invalid (void)
{
  double x[4] = { 1, 2, 3, 4 };
  double same[4] = { 1, 1, 1, 1 };
  double bad[4] = { 0, 1, 2, 0 };
  g_autoptr(GError) error = NULL;
  OrdLogReg *m;

  m = ord_logreg_fit (x, same, NULL, 4, 1, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_INVALID);
  g_clear_error (&error);

  m = ord_logreg_fit (x, bad, NULL, 4, 1, NULL, &error);
  g_assert_null (m);
  g_assert_error (error, ORD_LOGREG_ERROR, ORD_LOGREG_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Observation 2"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/logreg/standardizer", test_standardizer);
  g_test_add_func ("/logreg/matches-sklearn", test_matches_sklearn);
  g_test_add_func ("/logreg/unpenalised", test_unpenalised);
  g_test_add_func ("/logreg/separable", test_separable);
  g_test_add_func ("/logreg/auc-ties", test_auc_ties);
  g_test_add_func ("/logreg/calibration", test_calibration);
  g_test_add_func ("/logreg/explain", test_explain);
  g_test_add_func ("/logreg/invalid", test_invalid);

  return g_test_run ();
}
