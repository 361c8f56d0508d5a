/* test-segments.c: RFM scores, the segment map and the choice of k
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ord-segments.h"

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
             const char *key,
             gsize       expected)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  double *v = g_key_file_get_double_list (kf, "rfm", key, &len, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected);
  return v;
}

static int *
get_ints (GKeyFile   *kf,
          const char *key,
          gsize       expected)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  int *v = g_key_file_get_integer_list (kf, "rfm", key, &len, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected);
  return v;
}

/* Cells of the published RFM segment map (recency score, frequency score). */
static void
test_map (void)
{
  const struct { guint r, f; OrdRfmSegment want; } cells[] = {
    { 5, 5, ORD_RFM_CHAMPIONS }, { 5, 4, ORD_RFM_CHAMPIONS },
    { 4, 5, ORD_RFM_LOYAL_CUSTOMERS }, { 3, 4, ORD_RFM_LOYAL_CUSTOMERS },
    { 5, 2, ORD_RFM_POTENTIAL_LOYALISTS }, { 4, 3, ORD_RFM_POTENTIAL_LOYALISTS },
    { 5, 1, ORD_RFM_NEW_CUSTOMERS }, { 4, 1, ORD_RFM_PROMISING },
    { 3, 3, ORD_RFM_NEED_ATTENTION }, { 3, 1, ORD_RFM_ABOUT_TO_SLEEP },
    { 3, 2, ORD_RFM_ABOUT_TO_SLEEP }, { 2, 3, ORD_RFM_AT_RISK }, { 1, 4, ORD_RFM_AT_RISK },
    { 1, 5, ORD_RFM_CANT_LOSE_THEM }, { 2, 5, ORD_RFM_CANT_LOSE_THEM },
    { 2, 2, ORD_RFM_HIBERNATING }, { 2, 1, ORD_RFM_HIBERNATING },
    { 1, 1, ORD_RFM_LOST }, { 1, 2, ORD_RFM_LOST },
  };
  guint seen[ORD_RFM_N_SEGMENTS] = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    g_assert_cmpint (ord_rfm_segment_from_scores (cells[i].r, cells[i].f), ==, cells[i].want);

  /* Every segment is reachable and has a name. */
  for (guint r = 1; r <= 5; r++)
    for (guint f = 1; f <= 5; f++)
      seen[ord_rfm_segment_from_scores (r, f)]++;
  for (guint s = 0; s < ORD_RFM_N_SEGMENTS; s++)
    {
      g_assert_cmpuint (seen[s], >, 0);
      g_assert_nonnull (ord_rfm_segment_name (s));
    }
  g_assert_cmpstr (ord_rfm_segment_name (ORD_RFM_AT_RISK), ==, "At risk");
}

static void
test_scores (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("segments.ini");
  gsize n = (gsize) g_key_file_get_integer (kf, "rfm", "n", NULL);
  g_autofree double *rec = get_doubles (kf, "recency", n);
  g_autofree double *freq = get_doubles (kf, "frequency", n);
  g_autofree double *mon = get_doubles (kf, "monetary", n);
  g_autofree int *rs = get_ints (kf, "r_score", n);
  g_autofree int *fs = get_ints (kf, "f_score", n);
  g_autofree int *ms = get_ints (kf, "m_score", n);
  g_autofree guint8 *got = g_new (guint8, n);

  ord_rfm_quintile_scores (rec, n, FALSE, got);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (got[i], ==, rs[i]);
  ord_rfm_quintile_scores (freq, n, TRUE, got);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (got[i], ==, fs[i]);
  ord_rfm_quintile_scores (mon, n, TRUE, got);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpint (got[i], ==, ms[i]);

  {
    /* Ties share a score: four one-order customers out of five. */
    double f[5] = { 1, 1, 1, 1, 9 };
    guint8 s[5];

    ord_rfm_quintile_scores (f, 5, TRUE, s);
    g_assert_cmpint (s[0], ==, s[3]);
    g_assert_cmpint (s[0], ==, 3);
    g_assert_cmpint (s[4], ==, 5);
  }
}

static void
test_segments (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("segments.ini");
  gsize n = (gsize) g_key_file_get_integer (kf, "rfm", "n", NULL);
  g_autofree double *rec = get_doubles (kf, "recency", n);
  g_autofree double *freq = get_doubles (kf, "frequency", n);
  g_autofree double *mon = get_doubles (kf, "monetary", n);
  g_autofree double *sils = get_doubles (kf, "silhouettes", 6);
  g_autofree double *inertias = get_doubles (kf, "inertias", 6);
  g_autoptr(OrdSegmentation) seg = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gsize *sizes = NULL;
  gsize total = 0;

  seg = ord_segments_compute (rec, freq, mon, n, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (seg);

  /* For each k a clustering at least as good as scikit-learn's KMeans; where
   * both found the same one (same inertia), the same silhouette. */
  g_assert_cmpuint (seg->k_min, ==, 3);
  g_assert_cmpuint (seg->n_k, ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_test_message ("k=%u inertia %.6f silhouette %.6f, scikit-learn %.6f %.6f", 3 + i,
                      seg->inertias[i], seg->silhouettes[i], inertias[i], sils[i]);
      g_assert_cmpfloat (seg->inertias[i], <=, 1.001 * inertias[i]);
      if (fabs (seg->inertias[i] - inertias[i]) <= 1e-9 * inertias[i])
        g_assert_cmpfloat_with_epsilon (seg->silhouettes[i], sils[i], 1e-9);
    }
  g_assert_cmpuint (seg->k, ==, (guint) g_key_file_get_integer (kf, "rfm", "best_k", NULL));

  sizes = g_new0 (gsize, seg->k);
  for (gsize i = 0; i < n; i++)
    {
      g_assert_cmpuint (seg->labels[i], <, seg->k);
      sizes[seg->labels[i]]++;
    }
  for (guint c = 0; c < seg->k; c++)
    {
      const OrdSegment *s = &seg->segments[c];

      g_test_message ("%s (%.0f %%): %" G_GSIZE_FORMAT " customers, R %.1f d, F %.1f, M %.0f",
                      ord_rfm_segment_name (s->name), 100 * s->name_share, s->size,
                      s->mean_recency, s->mean_frequency, s->mean_monetary);
      g_assert_cmpuint (s->size, ==, sizes[c]);
      total += s->size;
      g_assert_cmpfloat (s->name_share, >, 0.0);
      if (c > 0)
        g_assert_cmpfloat (s->mean_r + s->mean_f + s->mean_m, <=,
                           seg->segments[c - 1].mean_r + seg->segments[c - 1].mean_f +
                           seg->segments[c - 1].mean_m);
    }
  g_assert_cmpuint (total, ==, n);

  /* The frequent recent buyers come first and are called champions; the
   * last segment is made of customers who have gone away. */
  g_assert_cmpint (seg->segments[0].name, ==, ORD_RFM_CHAMPIONS);
  g_assert_cmpfloat (seg->segments[0].mean_recency, <, 20.0);
  g_assert_true (seg->segments[seg->k - 1].name == ORD_RFM_LOST ||
                 seg->segments[seg->k - 1].name == ORD_RFM_HIBERNATING);
}

/* The sampled silhouette path (more customers than the sample) is
 * deterministic for a seed. */
static void
test_sampled_deterministic (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  gsize n = 3000;
  g_autofree double *r = g_new (double, n);
  g_autofree double *f = g_new (double, n);
  g_autofree double *m = g_new (double, n);
  g_autoptr(OrdSegmentation) a = NULL;
  g_autoptr(OrdSegmentation) b = NULL;
  OrdSegmentsOptions opt;

  for (gsize i = 0; i < n; i++)
    {
      r[i] = floor (g_rand_double_range (rand, 0, 365));
      f[i] = 1 + floor (g_rand_double_range (rand, 0, 1) * g_rand_double_range (rand, 0, 30));
      m[i] = f[i] * g_rand_double_range (rand, 5, 200);
    }
  ord_segments_options_init (&opt);
  opt.silhouette_sample = 800;
  opt.k_max = 5;
  opt.n_init = 3;
  a = ord_segments_compute (r, f, m, n, &opt, NULL);
  b = ord_segments_compute (r, f, m, n, &opt, NULL);
  g_assert_cmpuint (a->k, ==, b->k);
  for (guint i = 0; i < a->n_k; i++)
    g_assert_cmpfloat (a->silhouettes[i], ==, b->silhouettes[i]);
  g_assert_cmpmem (a->labels, n * sizeof (guint), b->labels, n * sizeof (guint));
}

static void
test_invalid (void)
{
  double r[4] = { 1, 2, 3, 4 }, f[4] = { 1, 1, 2, 3 }, m[4] = { 10, -5, 3, 4 };
  g_autoptr(GError) error = NULL;
  OrdSegmentation *seg;

  seg = ord_segments_compute (r, f, m, 4, NULL, &error);
  g_assert_null (seg);
  g_assert_error (error, ORD_SEGMENTS_ERROR, ORD_SEGMENTS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Customer 1"));
  g_clear_error (&error);

  m[1] = 5;
  seg = ord_segments_compute (r, f, m, 3, NULL, &error);
  g_assert_null (seg);
  g_assert_error (error, ORD_SEGMENTS_ERROR, ORD_SEGMENTS_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/segments/map", test_map);
  g_test_add_func ("/segments/scores", test_scores);
  g_test_add_func ("/segments/segments", test_segments);
  g_test_add_func ("/segments/sampled-deterministic", test_sampled_deterministic);
  g_test_add_func ("/segments/invalid", test_invalid);

  return g_test_run ();
}
