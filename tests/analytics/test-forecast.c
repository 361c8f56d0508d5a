/* test-forecast.c: STL, stlf, seasonal naive and closed days
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * STL and stlf references come from R (fixtures/ets/r-stl-nottem.ini,
 * written by make-ets-fixtures.py).
 */

#include "config.h"

#include <math.h>

#include "ord-forecast.h"

static GKeyFile *
load_fixture (const char *name)
{
  const char *srcdir = g_getenv ("ORDERLY_TEST_SRCDIR");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  GKeyFile *kf = g_key_file_new ();

  /* meson sets it to the source tests/ folder */
  g_assert_nonnull (srcdir);
  path = g_build_filename (srcdir, "analytics", "fixtures", "ets", name, NULL);
  g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  return kf;
}

static double *
get_list (GKeyFile   *kf,
          const char *group,
          const char *key,
          gsize      *len)
{
  g_autoptr(GError) error = NULL;
  double *v = g_key_file_get_double_list (kf, group, key, len, &error);

  g_assert_no_error (error);
  return v;
}

static void
check_stl (gboolean periodic_robust)
{
  g_autoptr(GKeyFile) kf = load_fixture ("r-stl-nottem.ini");
  const char *group = periodic_robust ? "stl_periodic_robust" : "stl";
  g_autoptr(OrdStl) stl = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *y = NULL;
  g_autofree double *seasonal = NULL;
  g_autofree double *trend = NULL;
  OrdStlOptions options;
  gsize n, n2, i;

  y = get_list (kf, "stl", "values", &n);
  seasonal = get_list (kf, group, "seasonal", &n2);
  g_assert_cmpuint (n2, ==, n);
  trend = get_list (kf, group, "trend", &n2);

  ord_stl_options_init (&options);
  if (periodic_robust)
    {
      options.s_window = 0;
      options.robust = TRUE;
    }
  ord_stl_decompose (y, n, 12, &options, &stl, &error);
  g_assert_no_error (error);
  for (i = 0; i < n; i++)
    {
      g_assert_cmpfloat_with_epsilon (stl->seasonal[i], seasonal[i], 1e-6);
      g_assert_cmpfloat_with_epsilon (stl->trend[i], trend[i], 1e-6);
      g_assert_cmpfloat_with_epsilon (stl->remainder[i], y[i] - seasonal[i] - trend[i], 1e-6);
    }
}

static void
test_stl (void)
{
  check_stl (FALSE);
}

static void
test_stl_periodic_robust (void)
{
  check_stl (TRUE);
}

/* stlf: same decomposition as R, then our ETS choice on the adjusted
 * series; forecasts agree with R's within a few percent of the level. */
static void
test_stlf (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("r-stl-nottem.ini");
  g_autoptr(OrdForecast) fc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree double *y = NULL;
  g_autofree double *mean = NULL;
  g_autofree double *upper = NULL;
  g_autofree double *lower = NULL;
  double levels[2] = { 80, 95 };
  gsize n, h, i;

  y = get_list (kf, "stl", "values", &n);
  mean = get_list (kf, "stlf", "mean", &h);
  lower = get_list (kf, "stlf", "lower95", &h);
  upper = get_list (kf, "stlf", "upper95", &h);
  ord_stlf_forecast (y, n, 12, h, levels, 2, &fc, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fc->method, "STL + ETS("));
  for (i = 0; i < h; i++)
    {
      double width = upper[i] - lower[i];

      g_assert_cmpfloat (fabs (fc->mean[i] - mean[i]), <, 0.05 * width);
      g_assert_cmpfloat (fabs ((fc->upper[h + i] - fc->lower[h + i]) - width), <, 0.1 * width);
    }
}

static void
test_snaive (void)
{
  double y[10] = { 1, 2, 3, 4, 2, 3, 4, 5, 3, 4 };
  double levels[1] = { 95 };
  g_autoptr(OrdForecast) fc = NULL;
  g_autoptr(GError) error = NULL;
  double sigma = 1.0; /* every seasonal difference is 1 */

  ord_snaive_forecast (y, 10, 4, 6, levels, 1, &fc, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (fc->mean[0], ==, 4);
  g_assert_cmpfloat (fc->mean[1], ==, 5);
  g_assert_cmpfloat (fc->mean[2], ==, 3);
  g_assert_cmpfloat (fc->mean[3], ==, 4);
  g_assert_cmpfloat (fc->mean[4], ==, 4);
  g_assert_cmpfloat_with_epsilon (fc->upper[0] - fc->mean[0], 1.959964 * sigma, 1e-5);
  g_assert_cmpfloat_with_epsilon (fc->upper[4] - fc->mean[4], 1.959964 * sigma * sqrt (2), 1e-5);
}

/* A shop closed on Saturdays: a six-day weekly pattern with growth. The
 * forecast marks Saturdays closed with 0 and follows the pattern on open
 * days, where treating Saturdays as zero demand would blur the week. */
static void
test_closed_days (void)
{
  static const double pattern[7] = { 120, 100, 95, 105, 140, 0, 80 };
  const gsize n = 7 * 30;
  const guint horizon = 14;
  g_autofree double *y = g_new (double, n);
  g_autofree gboolean *closed = g_new0 (gboolean, n + horizon);
  g_autoptr(OrdForecast) fc = NULL;
  g_autoptr(GError) error = NULL;
  double levels[2] = { 80, 95 };
  GRand *rand = g_rand_new_with_seed (7);
  gsize i;
  guint h;

  for (i = 0; i < n + horizon; i++)
    closed[i] = i % 7 == 5;
  for (i = 0; i < n; i++)
    y[i] = closed[i] ? 0 : pattern[i % 7] * (1 + 0.001 * i) + g_rand_double_range (rand, -3, 3);
  g_rand_free (rand);

  ord_forecast_auto (y, n, 7, closed, horizon, levels, 2, &fc, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fc->closed);
  for (h = 0; h < horizon; h++)
    {
      gsize t = n + h;

      g_assert_cmpint (fc->closed[h], ==, t % 7 == 5);
      if (fc->closed[h])
        {
          g_assert_cmpfloat (fc->mean[h], ==, 0);
          g_assert_cmpfloat (fc->upper[horizon + h], ==, 0);
        }
      else
        {
          double truth = pattern[t % 7] * (1 + 0.001 * t);

          g_assert_cmpfloat (fabs (fc->mean[h] - truth), <, 0.05 * truth);
          g_assert_cmpfloat (fc->lower[horizon + h], <, truth);
          g_assert_cmpfloat (fc->upper[horizon + h], >, truth);
        }
    }
}

/* Daily data with a yearly season goes through STL + ETS. */
static void
test_auto_long_season (void)
{
  const gsize n = 365 * 3;
  g_autofree double *y = g_new (double, n);
  g_autoptr(OrdForecast) fc = NULL;
  g_autoptr(GError) error = NULL;
  gsize i;
  guint h;

  for (i = 0; i < n; i++)
    y[i] = 200 + 50 * sin (2 * G_PI * i / 365.0) + 5 * sin (i * 1.7);
  ord_forecast_auto (y, n, 365, NULL, 30, NULL, 0, &fc, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (fc->method, "STL + "));
  for (h = 0; h < 30; h++)
    {
      double truth = 200 + 50 * sin (2 * G_PI * (n + h) / 365.0);
      g_assert_cmpfloat (fabs (fc->mean[h] - truth), <, 12);
    }
}

static void
test_errors (void)
{
  double y[30];
  OrdStl *stl = NULL;
  OrdForecast *fc = NULL;
  GError *error = NULL;
  double bad_level = 120;
  guint i;

  for (i = 0; i < 30; i++)
    y[i] = i;
  g_assert_false (ord_stl_decompose (y, 30, 365, NULL, &stl, &error));
  g_assert_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_TOO_SHORT);
  g_clear_error (&error);
  g_assert_false (ord_snaive_forecast (y, 30, 7, 5, &bad_level, 1, &fc, &error));
  g_assert_error (error, ORD_FORECAST_ERROR, ORD_FORECAST_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_null (stl);
  g_assert_null (fc);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/forecast/stl", test_stl);
  g_test_add_func ("/forecast/stl-periodic-robust", test_stl_periodic_robust);
  g_test_add_func ("/forecast/stlf", test_stlf);
  g_test_add_func ("/forecast/snaive", test_snaive);
  g_test_add_func ("/forecast/closed-days", test_closed_days);
  g_test_add_func ("/forecast/auto-long-season", test_auto_long_season);
  g_test_add_func ("/forecast/errors", test_errors);

  return g_test_run ();
}
