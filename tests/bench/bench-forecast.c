/* bench-forecast.c: automatic ETS against R's forecast::ets on held-out data
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-forecast SERIES.ini [R-RESULTS.ini] [REPEATS]
 *
 * SERIES.ini is tests/analytics/fixtures/ets/bench-series.ini (R's datasets,
 * each with its hold-out length h: 18 monthly, 8 quarterly, 6 otherwise).
 * R-RESULTS.ini is written by bench-forecast.sh, which runs R in the same
 * run. For each series the last h values are held out, an automatic ETS
 * model is fitted to the rest and forecast h steps with 80/95% intervals.
 * Printed: sMAPE, MASE, interval coverage and fit+forecast time, ours and
 * R's, and the ratios. Budget (DESIGN.md §8): accuracy ratio ≤ 1.02,
 * coverage within 2 points, ≥ 3× faster than R.
 */

#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "ord-forecast.h"

typedef struct {
  double smape;
  double mase;
  double cover80;
  double cover95;
} Scores;

static void
score (const double *train,
       gsize         n,
       guint         period,
       const double *test,
       guint         h,
       const double *mean,
       const double *lo80,
       const double *hi80,
       const double *lo95,
       const double *hi95,
       Scores       *s)
{
  double scale = 0, mae = 0, smape = 0;
  guint lag = period > 1 && n > period ? period : 1, i, c80 = 0, c95 = 0;
  gsize t;

  for (t = lag; t < n; t++)
    scale += fabs (train[t] - train[t - lag]);
  scale /= (double) (n - lag);

  for (i = 0; i < h; i++)
    {
      double e = fabs (test[i] - mean[i]);
      mae += e;
      smape += 200.0 * e / (fabs (test[i]) + fabs (mean[i]));
      c80 += test[i] >= lo80[i] && test[i] <= hi80[i];
      c95 += test[i] >= lo95[i] && test[i] <= hi95[i];
    }
  s->smape = smape / h;
  s->mase = mae / h / scale;
  s->cover80 = 100.0 * c80 / h;
  s->cover95 = 100.0 * c95 / h;
}

static double *
get_list (GKeyFile   *kf,
          const char *group,
          const char *key,
          gsize       want)
{
  gsize len = 0;
  double *v = g_key_file_get_double_list (kf, group, key, &len, NULL);

  if (v == NULL || len != want)
    {
      g_printerr ("%s: %s has %" G_GSIZE_FORMAT " values, expected %" G_GSIZE_FORMAT "\n",
                  group, key, len, want);
      exit (1);
    }
  return v;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GKeyFile) series = g_key_file_new ();
  g_autoptr(GKeyFile) rres = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) groups = NULL;
  Scores ours_sum = { 0 }, r_sum = { 0 }, naive_sum = { 0 };
  double ours_time = 0, r_time = 0;
  guint repeats = 3, count = 0, g;
  double levels[2] = { 80, 95 };

  if (argc < 2)
    {
      g_printerr ("usage: %s SERIES.ini [R-RESULTS.ini] [REPEATS]\n", argv[0]);
      return 2;
    }
  if (!g_key_file_load_from_file (series, argv[1], G_KEY_FILE_NONE, &error))
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  if (argc > 2 && argv[2][0] != '\0')
    {
      rres = g_key_file_new ();
      if (!g_key_file_load_from_file (rres, argv[2], G_KEY_FILE_NONE, &error))
        {
          g_printerr ("%s: %s\n", argv[2], error->message);
          return 1;
        }
    }
  if (argc > 3)
    repeats = MAX (1, atoi (argv[3]));

  printf ("%-16s %4s %3s | %-12s %7s %6s %5s %5s %8s | %-12s %7s %6s %5s %5s %8s | %6s\n",
          "series", "n", "h", "ours", "sMAPE", "MASE", "c80", "c95", "ms",
          "R", "sMAPE", "MASE", "c80", "c95", "ms", "snaive");

  groups = g_key_file_get_groups (series, NULL);
  for (g = 0; groups[g] != NULL; g++)
    {
      const char *name = groups[g];
      g_autofree double *y = NULL;
      g_autoptr(OrdEtsModel) model = NULL;
      g_autoptr(OrdForecast) fc = NULL;
      g_autoptr(OrdForecast) naive = NULL;
      g_autofree char *method = NULL;
      gsize len = 0, n;
      guint period, h, rep;
      gint64 t0;
      double elapsed;
      Scores ours, theirs = { 0 }, base;

      y = g_key_file_get_double_list (series, name, "values", &len, NULL);
      period = g_key_file_get_integer (series, name, "period", NULL);
      h = g_key_file_get_integer (series, name, "horizon", NULL);
      if (y == NULL || h == 0 || len <= h)
        continue;
      n = len - h;

      t0 = g_get_monotonic_time ();
      for (rep = 0; rep < repeats; rep++)
        {
          g_clear_pointer (&model, ord_ets_model_free);
          g_clear_pointer (&fc, ord_forecast_free);
          if (!ord_ets_fit (y, n, period, NULL, &model, &error) ||
              !ord_ets_forecast (model, h, levels, 2, &fc, &error))
            {
              g_printerr ("%s: %s\n", name, error->message);
              return 1;
            }
        }
      elapsed = (g_get_monotonic_time () - t0) / 1000.0 / repeats;
      method = ord_ets_model_name (model);
      score (y, n, period, y + n, h, fc->mean, fc->lower, fc->upper,
             fc->lower + h, fc->upper + h, &ours);

      if (!ord_snaive_forecast (y, n, period, h, levels, 2, &naive, &error))
        {
          g_printerr ("%s: %s\n", name, error->message);
          return 1;
        }
      score (y, n, period, y + n, h, naive->mean, naive->lower, naive->upper,
             naive->lower + h, naive->upper + h, &base);

      ours_sum.smape += ours.smape;
      ours_sum.mase += ours.mase;
      ours_sum.cover80 += ours.cover80;
      ours_sum.cover95 += ours.cover95;
      naive_sum.smape += base.smape;
      ours_time += elapsed;

      if (rres != NULL && g_key_file_has_group (rres, name))
        {
          g_autofree double *mean = get_list (rres, name, "mean", h);
          g_autofree double *lo80 = get_list (rres, name, "lower80", h);
          g_autofree double *hi80 = get_list (rres, name, "upper80", h);
          g_autofree double *lo95 = get_list (rres, name, "lower95", h);
          g_autofree double *hi95 = get_list (rres, name, "upper95", h);
          g_autofree char *rmethod = g_key_file_get_string (rres, name, "method", NULL);
          double rt = g_key_file_get_double (rres, name, "seconds", NULL) * 1000.0;

          score (y, n, period, y + n, h, mean, lo80, hi80, lo95, hi95, &theirs);
          r_sum.smape += theirs.smape;
          r_sum.mase += theirs.mase;
          r_sum.cover80 += theirs.cover80;
          r_sum.cover95 += theirs.cover95;
          r_time += rt;
          printf ("%-16s %4" G_GSIZE_FORMAT " %3u | %-12s %7.2f %6.3f %5.0f %5.0f %8.1f | "
                  "%-12s %7.2f %6.3f %5.0f %5.0f %8.1f | %6.2f\n",
                  name, n, h, method, ours.smape, ours.mase, ours.cover80, ours.cover95,
                  elapsed, rmethod, theirs.smape, theirs.mase, theirs.cover80,
                  theirs.cover95, rt, base.smape);
        }
      else
        printf ("%-16s %4" G_GSIZE_FORMAT " %3u | %-12s %7.2f %6.3f %5.0f %5.0f %8.1f | %6.2f\n",
                name, n, h, method, ours.smape, ours.mase, ours.cover80, ours.cover95,
                elapsed, base.smape);
      count++;
    }

  if (count == 0)
    return 1;

  printf ("\n%u series, means:\n", count);
  printf ("  ours : sMAPE %.3f  MASE %.4f  coverage80 %.1f%%  coverage95 %.1f%%  "
          "time %.1f ms/series\n",
          ours_sum.smape / count, ours_sum.mase / count, ours_sum.cover80 / count,
          ours_sum.cover95 / count, ours_time / count);
  printf ("  snaive: sMAPE %.3f\n", naive_sum.smape / count);
  if (rres != NULL)
    {
      printf ("  R    : sMAPE %.3f  MASE %.4f  coverage80 %.1f%%  coverage95 %.1f%%  "
              "time %.1f ms/series\n",
              r_sum.smape / count, r_sum.mase / count, r_sum.cover80 / count,
              r_sum.cover95 / count, r_time / count);
      printf ("  ratio ours/R: sMAPE %.4f  MASE %.4f (budget ≤ 1.02); coverage difference "
              "80: %+.1f, 95: %+.1f points (budget ±2); speed %.1f× faster (budget ≥ 3×)\n",
              ours_sum.smape / r_sum.smape, ours_sum.mase / r_sum.mase,
              (ours_sum.cover80 - r_sum.cover80) / count,
              (ours_sum.cover95 - r_sum.cover95) / count, r_time / ours_time);
    }
  return 0;
}
