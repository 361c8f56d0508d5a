/* bench-kmeans.c: times ord_kmeans_fit on a raw float64 data file
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Usage: bench-kmeans FILE N D [K] [N_INIT] [REPEATS] [THREADS]
 * FILE holds N×D little-endian doubles, row-major (bench-kmeans.sh writes it).
 * Prints one line of key=value figures; the best of REPEATS runs is the time.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "ord-kmeans.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  gsize n;
  guint d, k, n_init, repeats, threads;
  double best_time = G_MAXDOUBLE, inertia = 0.0;
  guint n_iter = 0;
  OrdKMeansOptions opt;

  if (argc < 4)
    {
      g_printerr ("Usage: %s FILE N D [K] [N_INIT] [REPEATS] [THREADS]\n", argv[0]);
      return 2;
    }
  n = g_ascii_strtoull (argv[2], NULL, 10);
  d = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  k = argc > 4 ? (guint) g_ascii_strtoull (argv[4], NULL, 10) : 8;
  n_init = argc > 5 ? (guint) g_ascii_strtoull (argv[5], NULL, 10) : 10;
  repeats = argc > 6 ? (guint) g_ascii_strtoull (argv[6], NULL, 10) : 5;
  threads = argc > 7 ? (guint) g_ascii_strtoull (argv[7], NULL, 10) : 0;

  if (!g_file_get_contents (argv[1], &contents, &len, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (len != n * d * sizeof (double))
    {
      g_printerr ("%s: %" G_GSIZE_FORMAT " bytes, expected %" G_GSIZE_FORMAT " (N×D doubles)\n",
                  argv[1], len, n * d * sizeof (double));
      return 1;
    }

  ord_kmeans_options_init (&opt, k);
  opt.n_init = n_init;
  opt.n_threads = threads;
  opt.seed = 0;

  for (guint r = 0; r < repeats; r++)
    {
      g_autoptr(OrdKMeansResult) res = NULL;
      gint64 t0 = g_get_monotonic_time ();
      double dt;

      res = ord_kmeans_fit ((const double *) contents, n, d, &opt, &error);
      dt = (double) (g_get_monotonic_time () - t0) / 1e6;
      if (res == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      best_time = MIN (best_time, dt);
      inertia = res->inertia;
      n_iter = res->n_iter;
    }

  printf ("ours seconds=%.4f inertia=%.10g n_iter=%u threads=%u\n",
          best_time, inertia, n_iter, threads);
  return 0;
}
