/* bench-logreg.c: fits the cancellation-risk model on a raw float64 file
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-logreg FILE N P N_TRAIN [C]
 * FILE holds N rows of P features then the 0/1 outcome, little-endian
 * doubles, in time order (bench-logreg.sh writes it). The first N_TRAIN
 * rows train, the rest are the hold-out. Prints key=value figures.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ord-logreg.h"
#include "ord-roc.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  g_autofree double *x = NULL;
  g_autofree double *y = NULL;
  g_autofree double *proba = NULL;
  g_autoptr(OrdStandardizer) st = NULL;
  g_autoptr(OrdLogReg) model = NULL;
  OrdLogRegOptions opt;
  OrdCalibrationBin bins[10];
  gsize len = 0, n, n_train, n_test;
  guint p;
  gint64 t0;
  double fit_s;

  if (argc < 5)
    {
      g_printerr ("Usage: %s FILE N P N_TRAIN [C]\n", argv[0]);
      return 2;
    }
  n = g_ascii_strtoull (argv[2], NULL, 10);
  p = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  n_train = g_ascii_strtoull (argv[4], NULL, 10);
  ord_logreg_options_init (&opt);
  if (argc > 5)
    opt.C = g_ascii_strtod (argv[5], NULL);

  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (len != n * (p + 1) * sizeof (double) || n_train == 0 || n_train >= n)
    {
      g_printerr ("%s: %" G_GSIZE_FORMAT " bytes do not hold N×(P+1) doubles, "
                  "or N_TRAIN is not in (0, N)\n", argv[1], len);
      return 1;
    }
  n_test = n - n_train;

  x = g_new (double, n * p);
  y = g_new (double, n);
  for (gsize i = 0; i < n; i++)
    {
      const double *row = (const double *) (gpointer) contents + i * (p + 1);

      for (guint j = 0; j < p; j++)
        x[i * p + j] = row[j];
      y[i] = row[p];
    }

  t0 = g_get_monotonic_time ();
  st = ord_standardizer_fit (x, n_train, p);
  ord_standardizer_transform (st, x, n, x);
  model = ord_logreg_fit (x, y, NULL, n_train, p, &opt, &error);
  fit_s = (double) (g_get_monotonic_time () - t0) / 1e6;
  if (model == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  proba = g_new (double, n_test);
  ord_logreg_predict_proba_many (model, x + n_train * p, n_test, proba);

  printf ("ours fit_seconds=%.4f iterations=%u auc=%.10f brier=%.10f intercept=%.8f coef=",
          fit_s, model->n_iter, ord_roc_auc (proba, y + n_train, n_test),
          ord_brier_score (proba, y + n_train, n_test), model->intercept);
  for (guint j = 0; j < p; j++)
    printf ("%s%.8f", j ? "," : "", model->coef[j]);
  printf ("\n");

  ord_calibration_table (proba, y + n_train, n_test, 10, bins);
  printf ("hold-out calibration (decile: mean predicted / observed):");
  for (guint b = 0; b < 10; b++)
    printf (" %.3f/%.3f", bins[b].mean_predicted, bins[b].observed_rate);
  printf ("\n");
  return 0;
}
