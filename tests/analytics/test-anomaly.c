/* test-anomaly.c: outliers against R's forecast::tsoutliers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ord-anomaly.h"

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

/* An empty list is stored as an empty value. */
static double *
get_doubles (GKeyFile   *kf,
             const char *group,
             const char *key,
             gsize      *len)
{
  g_autofree char *raw = g_key_file_get_value (kf, group, key, NULL);
  g_autoptr(GError) error = NULL;
  double *v;

  g_assert_nonnull (raw);
  if (raw[0] == '\0')
    {
      *len = 0;
      return NULL;
    }
  v = g_key_file_get_double_list (kf, group, key, len, &error);
  g_assert_no_error (error);
  return v;
}

static const char *const series[] = { "nonseasonal", "monthly", "weekly", "clean" };

static void
test_supsmu (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("anomaly.ini");

  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      gsize n = 0, m = 0;
      g_autofree double *x = get_doubles (kf, series[s], "x", &n);
      g_autofree double *want = get_doubles (kf, series[s], "supsmu", &m);
      g_autofree double *tt = g_new (double, n);
      g_autofree double *got = g_new (double, n);

      g_assert_cmpuint (m, ==, n);
      for (gsize i = 0; i < n; i++)
        tt[i] = (double) (i + 1);
      ord_supsmu (tt, x, n, got);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpfloat_with_epsilon (got[i], want[i], 1e-9 * fabs (want[i]) + 1e-12);
    }
}

/* The same outliers as tsoutliers. R's residuals come from STL, ours from
 * our own decomposition, so a point just beyond R's limits (less than 1.5
 * times as far out as the limit, as the fixture records) may be missed; any
 * clear outlier must be found, and nothing R does not flag. The
 * replacements agree exactly without a season (linear interpolation) and
 * to 2 % of the series' range with one. */
static void
test_tsoutliers (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("anomaly.ini");

  for (guint s = 0; s < G_N_ELEMENTS (series); s++)
    {
      gsize n = 0, n_idx = 0, n_rep = 0, n_margin = 0, k = 0;
      g_autofree double *x = get_doubles (kf, series[s], "x", &n);
      g_autofree double *idx = get_doubles (kf, series[s], "index", &n_idx);
      g_autofree double *rep = get_doubles (kf, series[s], "replacements", &n_rep);
      g_autofree double *margin = get_doubles (kf, series[s], "margin", &n_margin);
      guint period = (guint) g_key_file_get_integer (kf, series[s], "frequency", NULL);
      g_autoptr(OrdAnomalies) a = NULL;
      g_autoptr(GError) error = NULL;
      double lo = G_MAXDOUBLE, hi = -G_MAXDOUBLE;

      g_assert_cmpuint (n_rep, ==, n_idx);
      g_assert_cmpuint (n_margin, ==, n_idx);
      a = ord_anomalies_detect (x, n, period, 2, &error);
      g_assert_no_error (error);
      for (gsize i = 0; i < n; i++)
        {
          lo = MIN (lo, x[i]);
          hi = MAX (hi, x[i]);
        }

      for (gsize r = 0; r < n_idx; r++)
        {
          double tol = period > 1 ? 0.02 * (hi - lo) : 1e-9 * fabs (rep[r]);

          while (k < a->n && a->index[k] < (gsize) idx[r])
            {
              g_test_message ("%s: %" G_GSIZE_FORMAT " is not an outlier for R",
                              series[s], a->index[k]);
              g_assert_not_reached ();
            }
          if (k < a->n && a->index[k] == (gsize) idx[r])
            {
              g_test_message ("%s: outlier at %" G_GSIZE_FORMAT ": %.4f → %.4f (R %.4f)",
                              series[s], a->index[k], x[a->index[k]], a->replacement[k],
                              rep[r]);
              g_assert_cmpfloat_with_epsilon (a->replacement[k], rep[r], tol);
              k++;
            }
          else
            {
              g_test_message ("%s: R's borderline outlier at %.0f (%.2f × the limit) missed",
                              series[s], idx[r], margin[r]);
              g_assert_cmpfloat (margin[r], <, 1.5);
            }
        }
      g_assert_cmpuint (k, ==, a->n);
    }
}

/* Missing values are filled, not reported; a spike next to them still is. */
static void
test_missing (void)
{
  double x[60];
  g_autoptr(OrdAnomalies) a = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);

  for (guint i = 0; i < 60; i++)
    x[i] = 10.0 + sin (i * 0.3) + g_rand_double_range (rand, -0.3, 0.3);
  x[20] = NAN;
  x[21] = NAN;
  x[30] += 3.0;  /* R's tsoutliers on this series: index 30 only, → 10.197 */
  a = ord_anomalies_detect (x, 60, 1, 2, NULL);
  g_assert_nonnull (a);
  g_assert_cmpuint (a->n, ==, 1);
  g_assert_cmpuint (a->index[0], ==, 30);
  g_assert_cmpfloat_with_epsilon (a->replacement[0], 10.0 + sin (9.0), 0.5);
}

static void
test_invalid (void)
{
  double x[5] = { 1, 2, INFINITY, 3, 4 };
  double constant[8] = { 2, 2, 2, 2, 2, 2, 2, 2 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdAnomalies) a = NULL;

  g_assert_null (ord_anomalies_detect (x, 3, 1, 2, &error));
  g_assert_error (error, ORD_ANOMALY_ERROR, ORD_ANOMALY_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (ord_anomalies_detect (x, 5, 1, 2, &error));
  g_assert_error (error, ORD_ANOMALY_ERROR, ORD_ANOMALY_ERROR_INVALID);

  a = ord_anomalies_detect (constant, 8, 1, 2, NULL);
  g_assert_cmpuint (a->n, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/anomaly/supsmu", test_supsmu);
  g_test_add_func ("/anomaly/tsoutliers", test_tsoutliers);
  g_test_add_func ("/anomaly/missing", test_missing);
  g_test_add_func ("/anomaly/invalid", test_invalid);

  return g_test_run ();
}
