/* test-kmeans.c: k-means and silhouette against scikit-learn
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ord-kmeans.h"

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

static guint *
get_uints (GKeyFile   *kf,
           const char *group,
           const char *key,
           gsize       expected)
{
  g_autoptr(GError) error = NULL;
  gsize len = 0;
  g_autofree int *v = g_key_file_get_integer_list (kf, group, key, &len, &error);
  guint *u;

  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, expected);
  u = g_new (guint, len);
  for (gsize i = 0; i < len; i++)
    {
      g_assert_cmpint (v[i], >=, 0);
      u[i] = (guint) v[i];
    }
  return u;
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

static guint
get_uint (GKeyFile   *kf,
          const char *group,
          const char *key)
{
  g_autoptr(GError) error = NULL;
  int v = g_key_file_get_integer (kf, group, key, &error);

  g_assert_no_error (error);
  g_assert_cmpint (v, >=, 0);
  return (guint) v;
}

static void
assert_rel (double got,
            double want,
            double rel)
{
  g_assert_cmpfloat_with_epsilon (got, want, rel * MAX (1.0, fabs (want)));
}

static const char *const cases[] = {
  "three-features", "three-features-k6", "five-features", "two-features-k3",
};

/* From the same starting centres, the same labels, centres and inertia as
 * scikit-learn's KMeans (algorithm="lloyd"). */
static void
test_fixed_start (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("kmeans.ini");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *g = cases[c];
      gsize n = get_uint (kf, g, "n");
      guint d = get_uint (kf, g, "d"), k = get_uint (kf, g, "k");
      g_autofree double *x = get_doubles (kf, g, "x", n * d);
      g_autofree double *init = get_doubles (kf, g, "init", k * d);
      g_autofree guint *labels = get_uints (kf, g, "labels", n);
      g_autofree double *centres = get_doubles (kf, g, "centres", k * d);
      g_autoptr(OrdKMeansResult) r = NULL;
      g_autoptr(GError) error = NULL;
      gsize total = 0;

      g_test_message ("case %s", g);
      r = ord_kmeans_fit_from (x, n, d, k, init, 300, 1e-4, &error);
      g_assert_no_error (error);
      g_assert_nonnull (r);

      for (gsize i = 0; i < n; i++)
        g_assert_cmpuint (r->labels[i], ==, labels[i]);
      for (gsize i = 0; i < (gsize) k * d; i++)
        assert_rel (r->centres[i], centres[i], 1e-9);
      g_assert_cmpfloat_with_epsilon (r->inertia, get_double (kf, g, "inertia"),
                                      1e-9 * get_double (kf, g, "inertia"));
      g_assert_cmpuint (r->n_iter, ==, get_uint (kf, g, "n_iter"));
      for (guint j = 0; j < k; j++)
        total += r->sizes[j];
      g_assert_cmpuint (total, ==, n);
    }
}

/* Ten k-means++ restarts find a clustering at least as good as
 * scikit-learn's best of ten (to 0.1 %), whatever the thread count. */
static void
test_restarts (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("kmeans.ini");

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      const char *g = cases[c];
      gsize n = get_uint (kf, g, "n");
      guint d = get_uint (kf, g, "d"), k = get_uint (kf, g, "k");
      g_autofree double *x = get_doubles (kf, g, "x", n * d);
      double best = get_double (kf, g, "best_inertia");
      OrdKMeansOptions opt;
      g_autoptr(OrdKMeansResult) one = NULL;
      g_autoptr(OrdKMeansResult) two = NULL;
      g_autoptr(GError) error = NULL;

      ord_kmeans_options_init (&opt, k);
      opt.seed = 42;
      opt.n_threads = 1;
      one = ord_kmeans_fit (x, n, d, &opt, &error);
      g_assert_no_error (error);
      g_test_message ("case %s: inertia %.10g, scikit-learn %.10g", g, one->inertia, best);
      g_assert_cmpfloat (one->inertia, <=, 1.001 * best);

      opt.n_threads = 3;
      two = ord_kmeans_fit (x, n, d, &opt, &error);
      g_assert_no_error (error);
      g_assert_cmpfloat (two->inertia, ==, one->inertia);
      g_assert_cmpuint (two->best_run, ==, one->best_run);
      for (gsize i = 0; i < n; i++)
        g_assert_cmpuint (two->labels[i], ==, one->labels[i]);
    }
}

/* A larger data set so that the threaded paths really split the work. */
static void
test_threads_same_result (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (5);
  gsize n = 12000;
  g_autofree double *x = g_new (double, n * 3);
  g_autoptr(OrdKMeansResult) one = NULL;
  g_autoptr(OrdKMeansResult) two = NULL;
  OrdKMeansOptions opt;
  double s1, s2;

  for (gsize i = 0; i < n * 3; i++)
    x[i] = g_rand_double (rand) + (double) ((i / 3) % 4) * ((i % 3) == 0 ? 1.5 : 0.0);

  ord_kmeans_options_init (&opt, 5);
  opt.n_threads = 1;
  one = ord_kmeans_fit (x, n, 3, &opt, NULL);
  opt.n_threads = 2;
  two = ord_kmeans_fit (x, n, 3, &opt, NULL);
  g_assert_cmpfloat (one->inertia, ==, two->inertia);
  for (gsize i = 0; i < n; i++)
    g_assert_cmpuint (one->labels[i], ==, two->labels[i]);

  s1 = ord_silhouette_score_sampled (x, n, 3, one->labels, 5, 3000, 1);
  s2 = ord_silhouette_score_sampled (x, n, 3, one->labels, 5, 3000, 1);
  g_assert_cmpfloat (s1, ==, s2);
  g_assert_cmpfloat (s1, >, 0.0);
  g_assert_cmpfloat (s1, <=, 1.0);
}

static void
test_silhouette (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("kmeans.ini");
  const char *const groups[] = {
    "three-features", "three-features-k6", "five-features", "two-features-k3",
    "silhouette-odd-labels",
  };

  for (guint c = 0; c < G_N_ELEMENTS (groups); c++)
    {
      const char *g = groups[c];
      gsize n = get_uint (kf, g, "n");
      guint d = get_uint (kf, g, "d"), k = get_uint (kf, g, "k");
      g_autofree double *x = get_doubles (kf, g, "x", n * d);
      g_autofree guint *labels = get_uints (kf, g, "labels", n);
      double want = get_double (kf, g, "silhouette");
      double got = ord_silhouette_score (x, n, d, labels, k);

      g_test_message ("case %s: silhouette %.15g, scikit-learn %.15g", g, got, want);
      g_assert_cmpfloat_with_epsilon (got, want, 1e-9 * fabs (want));
      /* Sampling more points than there are is the exact score. */
      g_assert_cmpfloat (ord_silhouette_score_sampled (x, n, d, labels, k, n, 3), ==, got);
    }
}

static void
test_invalid (void)
{
  double x[6] = { 0, 1, 2, 3, 4, NAN };
  double init[4] = { 0, 0, 1, 1 };
  guint one_cluster[3] = { 0, 0, 0 };
  OrdKMeansOptions opt;
  g_autoptr(GError) error = NULL;
  OrdKMeansResult *r;

  ord_kmeans_options_init (&opt, 4);
  r = ord_kmeans_fit (x, 3, 2, &opt, &error);
  g_assert_null (r);
  g_assert_error (error, ORD_KMEANS_ERROR, ORD_KMEANS_ERROR_INVALID);
  g_clear_error (&error);

  r = ord_kmeans_fit_from (x, 3, 2, 2, init, 300, 1e-4, &error);
  g_assert_null (r);
  g_assert_error (error, ORD_KMEANS_ERROR, ORD_KMEANS_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "Point 2"));

  g_assert_true (isnan (ord_silhouette_score (x, 3, 1, one_cluster, 1)));
}

/* Two identical far points and a starting centre nobody is closest to:
 * the empty cluster takes the farthest point, as scikit-learn does. */
static void
test_empty_cluster (void)
{
  double x[] = { 0.0, 0.1, 0.2, 10.0, 10.1 };
  double init[] = { 0.1, 100.0, 10.0 };
  g_autoptr(OrdKMeansResult) r = NULL;

  r = ord_kmeans_fit_from (x, 5, 1, 3, init, 300, 1e-4, NULL);
  g_assert_nonnull (r);
  for (guint c = 0; c < 3; c++)
    g_assert_cmpuint (r->sizes[c], >, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/kmeans/fixed-start", test_fixed_start);
  g_test_add_func ("/kmeans/restarts", test_restarts);
  g_test_add_func ("/kmeans/threads-same-result", test_threads_same_result);
  g_test_add_func ("/kmeans/silhouette", test_silhouette);
  g_test_add_func ("/kmeans/invalid", test_invalid);
  g_test_add_func ("/kmeans/empty-cluster", test_empty_cluster);

  return g_test_run ();
}
