/* ord-kmeans.c: k-means++ seeding, Lloyd iterations and silhouette scores
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-kmeans"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ord-kmeans.h"

G_DEFINE_QUARK (ord-kmeans-error-quark, ord_kmeans_error)

/* Below this many points the thread start-up costs more than it saves. */
#define MIN_POINTS_PER_THREAD 2000

/**
 * ord_kmeans_options_init:
 * @options: options to fill
 * @k: number of clusters
 *
 * Fills @options with scikit-learn's defaults for `KMeans (n_clusters=k,
 * n_init=10, algorithm="lloyd")`: 10 restarts, at most 300 iterations, a
 * tolerance of 1e-4, seed 0 and one thread per processor.
 */
void
ord_kmeans_options_init (OrdKMeansOptions *options,
                         guint             k)
{
  g_return_if_fail (options != NULL);

  options->k = k;
  options->n_init = 10;
  options->max_iter = 300;
  options->tol = 1e-4;
  options->seed = 0;
  options->n_threads = 0;
}

static inline double
sq_dist (const double *a,
         const double *b,
         guint         d)
{
  double s = 0.0;

  for (guint j = 0; j < d; j++)
    {
      double t = a[j] - b[j];
      s += t * t;
    }
  return s;
}

static gboolean
check_data (const double  *x,
            gsize          n,
            guint          d,
            guint          k,
            GError       **error)
{
  if (d == 0)
    {
      g_set_error (error, ORD_KMEANS_ERROR, ORD_KMEANS_ERROR_INVALID,
                   "The data has no features to cluster on");
      return FALSE;
    }
  if (k == 0)
    {
      g_set_error (error, ORD_KMEANS_ERROR, ORD_KMEANS_ERROR_INVALID,
                   "The number of clusters must be at least 1");
      return FALSE;
    }
  if (n < k)
    {
      g_set_error (error, ORD_KMEANS_ERROR, ORD_KMEANS_ERROR_INVALID,
                   "%" G_GSIZE_FORMAT " points cannot be split into %u clusters; "
                   "use fewer clusters or more data", n, k);
      return FALSE;
    }
  for (gsize i = 0; i < n * d; i++)
    {
      if (!isfinite (x[i]))
        {
          g_set_error (error, ORD_KMEANS_ERROR, ORD_KMEANS_ERROR_INVALID,
                       "Point %" G_GSIZE_FORMAT ", feature %u is not a finite number",
                       i / d, (guint) (i % d));
          return FALSE;
        }
    }
  return TRUE;
}

/* scikit-learn's tolerance: tol × the mean of the per-feature variances. */
static double
absolute_tolerance (const double *x,
                    gsize         n,
                    guint         d,
                    double        tol)
{
  g_autofree double *mean = g_new0 (double, d);
  double total = 0.0;

  if (tol == 0.0)
    return 0.0;

  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < d; j++)
      mean[j] += x[i * d + j];
  for (guint j = 0; j < d; j++)
    mean[j] /= (double) n;
  for (gsize i = 0; i < n; i++)
    for (guint j = 0; j < d; j++)
      {
        double t = x[i * d + j] - mean[j];
        total += t * t;
      }
  return tol * total / ((double) n * d);
}

/* Scratch space of one Lloyd run. */
typedef struct
{
  double *centres_new;  /* k × d */
  gsize  *counts;       /* k */
  double *trials;       /* k-means++: n_local_trials × n */
  double *closest;      /* k-means++: n */
  double *cumsum;       /* k-means++: n */
  double *dist;         /* empty-cluster relocation: n */
  gsize  *order;        /* empty-cluster relocation: n */
} Scratch;

static void
scratch_init (Scratch *s,
              gsize    n,
              guint    d,
              guint    k)
{
  guint n_trials = 2 + (guint) log ((double) k);

  s->centres_new = g_new (double, (gsize) k * d);
  s->counts = g_new (gsize, k);
  s->trials = g_new (double, n_trials * n);
  s->closest = g_new (double, n);
  s->cumsum = g_new (double, n);
  s->dist = NULL;
  s->order = NULL;
}

static void
scratch_clear (Scratch *s)
{
  g_clear_pointer (&s->centres_new, g_free);
  g_clear_pointer (&s->counts, g_free);
  g_clear_pointer (&s->trials, g_free);
  g_clear_pointer (&s->closest, g_free);
  g_clear_pointer (&s->cumsum, g_free);
  g_clear_pointer (&s->dist, g_free);
  g_clear_pointer (&s->order, g_free);
}

/* E-step, and the sums of the M-step in the same pass. Returns how many
 * labels changed. Specialised for three features (RFM), the common case. */
static gsize
assign_points (const double *x,
               gsize         n,
               guint         d,
               guint         k,
               const double *centres,
               guint        *labels,
               double       *sums,
               gsize        *counts)
{
  gsize n_changed = 0;

  if (sums != NULL)
    {
      memset (sums, 0, sizeof (double) * k * d);
      memset (counts, 0, sizeof (gsize) * k);
    }

  if (d == 3)
    {
      for (gsize i = 0; i < n; i++)
        {
          const double *p = x + i * 3;
          double x0 = p[0], x1 = p[1], x2 = p[2];
          double best = G_MAXDOUBLE;
          guint best_c = 0;

          for (guint c = 0; c < k; c++)
            {
              double t0 = x0 - centres[c * 3];
              double t1 = x1 - centres[c * 3 + 1];
              double t2 = x2 - centres[c * 3 + 2];
              double dd = t0 * t0 + t1 * t1 + t2 * t2;

              if (dd < best)
                {
                  best = dd;
                  best_c = c;
                }
            }
          n_changed += labels[i] != best_c;
          labels[i] = best_c;
          if (sums != NULL)
            {
              sums[best_c * 3] += x0;
              sums[best_c * 3 + 1] += x1;
              sums[best_c * 3 + 2] += x2;
              counts[best_c]++;
            }
        }
      return n_changed;
    }

  for (gsize i = 0; i < n; i++)
    {
      const double *p = x + i * d;
      double best = G_MAXDOUBLE;
      guint best_c = 0;

      for (guint c = 0; c < k; c++)
        {
          double dd = sq_dist (p, centres + (gsize) c * d, d);

          if (dd < best)
            {
              best = dd;
              best_c = c;
            }
        }
      n_changed += labels[i] != best_c;
      labels[i] = best_c;
      if (sums != NULL)
        {
          for (guint j = 0; j < d; j++)
            sums[best_c * d + j] += p[j];
          counts[best_c]++;
        }
    }
  return n_changed;
}

static int
cmp_by_dist_desc (gconstpointer a,
                  gconstpointer b,
                  gpointer      user_data)
{
  const double *dist = user_data;
  double da = dist[*(const gsize *) a];
  double db = dist[*(const gsize *) b];

  if (da > db)
    return -1;
  if (da < db)
    return 1;
  return (*(const gsize *) a > *(const gsize *) b) - (*(const gsize *) a < *(const gsize *) b);
}

/* As scikit-learn: each empty cluster takes the point farthest from its
 * (old) centre, farthest first. Works on the sums, before the division. */
static void
relocate_empty_clusters (const double *x,
                         gsize         n,
                         guint         d,
                         guint         k,
                         const double *centres_old,
                         const guint  *labels,
                         double       *sums,
                         gsize        *counts,
                         Scratch      *s)
{
  guint n_empty = 0;
  guint e = 0;

  for (guint c = 0; c < k; c++)
    n_empty += counts[c] == 0;
  if (n_empty == 0)
    return;

  if (s->dist == NULL)
    {
      s->dist = g_new (double, n);
      s->order = g_new (gsize, n);
    }
  for (gsize i = 0; i < n; i++)
    {
      s->dist[i] = sq_dist (x + i * d, centres_old + (gsize) labels[i] * d, d);
      s->order[i] = i;
    }
  g_qsort_with_data (s->order, n, sizeof (gsize), cmp_by_dist_desc, s->dist);

  for (guint c = 0; c < k && e < n_empty; c++)
    {
      gsize far;
      guint old;

      if (counts[c] != 0)
        continue;
      far = s->order[e++];
      old = labels[far];
      for (guint j = 0; j < d; j++)
        {
          sums[(gsize) old * d + j] -= x[far * d + j];
          sums[(gsize) c * d + j] = x[far * d + j];
        }
      counts[c] = 1;
      counts[old]--;
    }
}

static double
inertia_of (const double *x,
            gsize         n,
            guint         d,
            const double *centres,
            const guint  *labels)
{
  double total = 0.0;

  for (gsize i = 0; i < n; i++)
    total += sq_dist (x + i * d, centres + (gsize) labels[i] * d, d);
  return total;
}

/* One Lloyd run from @centres (updated in place), exactly as scikit-learn's
 * lloyd: stop on unchanged labels ("strict convergence") or when the summed
 * squared centre shift is at most @tol_abs; then, unless strictly converged,
 * relabel the points against the final centres. */
static double
lloyd (const double *x,
       gsize         n,
       guint         d,
       guint         k,
       double       *centres,
       guint        *labels,
       guint         max_iter,
       double        tol_abs,
       Scratch      *s,
       guint        *n_iter_out)
{
  gboolean strict = FALSE;
  guint it;

  for (gsize i = 0; i < n; i++)
    labels[i] = G_MAXUINT;

  for (it = 0; it < max_iter; it++)
    {
      double *sums = s->centres_new;
      double shift = 0.0;
      gsize n_changed;

      n_changed = assign_points (x, n, d, k, centres, labels, sums, s->counts);
      relocate_empty_clusters (x, n, d, k, centres, labels, sums, s->counts, s);

      for (guint c = 0; c < k; c++)
        {
          double inv = 1.0 / (double) s->counts[c];

          for (guint j = 0; j < d; j++)
            {
              double v = sums[c * d + j] * inv;
              double t = v - centres[c * d + j];

              shift += t * t;
              centres[c * d + j] = v;
            }
        }

      if (n_changed == 0)
        {
          strict = TRUE;
          break;
        }
      if (shift <= tol_abs)
        break;
    }

  if (!strict)
    assign_points (x, n, d, k, centres, labels, NULL, NULL);

  *n_iter_out = MIN (it + 1, max_iter);
  return inertia_of (x, n, d, centres, labels);
}

static void
plusplus_with_scratch (const double *x,
                       gsize         n,
                       guint         d,
                       guint         k,
                       GRand        *rand,
                       double       *centres,
                       Scratch      *s)
{
  guint n_trials = 2 + (guint) log ((double) k);
  gsize first = (gsize) (g_rand_double (rand) * (double) n);
  double pot = 0.0;

  first = MIN (first, n - 1);
  memcpy (centres, x + first * d, sizeof (double) * d);
  for (gsize i = 0; i < n; i++)
    {
      s->closest[i] = sq_dist (x + i * d, centres, d);
      pot += s->closest[i];
    }

  for (guint c = 1; c < k; c++)
    {
      double acc = 0.0;
      double best_pot = G_MAXDOUBLE;
      guint best_t = 0;
      gsize best_id = 0;
      gsize cand[64];

      g_assert (n_trials <= G_N_ELEMENTS (cand));

      for (gsize i = 0; i < n; i++)
        {
          acc += s->closest[i];
          s->cumsum[i] = acc;
        }

      for (guint t = 0; t < n_trials; t++)
        {
          double r = g_rand_double (rand) * pot;
          gsize lo = 0, hi = n;
          double *dt = s->trials + t * n;
          double tp = 0.0;

          /* numpy.searchsorted, side="left": first i with cumsum[i] >= r */
          while (lo < hi)
            {
              gsize mid = lo + (hi - lo) / 2;

              if (s->cumsum[mid] < r)
                lo = mid + 1;
              else
                hi = mid;
            }
          cand[t] = MIN (lo, n - 1);

          for (gsize i = 0; i < n; i++)
            {
              double dd = sq_dist (x + i * d, x + cand[t] * d, d);

              dd = MIN (dd, s->closest[i]);
              dt[i] = dd;
              tp += dd;
            }
          if (tp < best_pot)
            {
              best_pot = tp;
              best_t = t;
              best_id = cand[t];
            }
        }

      pot = best_pot;
      memcpy (s->closest, s->trials + best_t * n, sizeof (double) * n);
      memcpy (centres + (gsize) c * d, x + best_id * d, sizeof (double) * d);
    }
}

/**
 * ord_kmeans_plusplus:
 * @x: (array length=n*d): the points, row-major
 * @n: number of points (≥ @k)
 * @d: number of features
 * @k: number of centres to choose
 * @rand: the random generator to draw from
 * @centres: (out caller-allocates) (array length=k*d): the chosen centres
 *
 * Chooses @k initial centres by greedy k-means++, as scikit-learn does: the
 * first centre is a uniformly drawn point, each next one is the best (lowest
 * potential) of `2 + ⌊ln k⌋` candidates drawn with probability proportional
 * to the squared distance to the nearest centre chosen so far.
 */
void
ord_kmeans_plusplus (const double *x,
                     gsize         n,
                     guint         d,
                     guint         k,
                     GRand        *rand,
                     double       *centres)
{
  Scratch s;

  g_return_if_fail (x != NULL);
  g_return_if_fail (n >= k && k > 0 && d > 0);
  g_return_if_fail (rand != NULL);
  g_return_if_fail (centres != NULL);

  scratch_init (&s, n, d, k);
  plusplus_with_scratch (x, n, d, k, rand, centres, &s);
  scratch_clear (&s);
}

static OrdKMeansResult *
result_new (gsize n,
            guint d,
            guint k)
{
  OrdKMeansResult *r = g_new0 (OrdKMeansResult, 1);

  r->n = n;
  r->d = d;
  r->k = k;
  r->centres = g_new (double, (gsize) k * d);
  r->labels = g_new (guint, n);
  r->sizes = g_new0 (gsize, k);
  return r;
}

static void
result_count_sizes (OrdKMeansResult *r)
{
  memset (r->sizes, 0, sizeof (gsize) * r->k);
  for (gsize i = 0; i < r->n; i++)
    r->sizes[r->labels[i]]++;
}

/**
 * ord_kmeans_result_free:
 * @result: (nullable): a result
 *
 * Frees @result.
 */
void
ord_kmeans_result_free (OrdKMeansResult *result)
{
  if (result == NULL)
    return;
  g_free (result->centres);
  g_free (result->labels);
  g_free (result->sizes);
  g_free (result);
}

/**
 * ord_kmeans_fit_from:
 * @x: (array length=n*d): the points, row-major
 * @n: number of points
 * @d: number of features
 * @k: number of clusters
 * @init_centres: (array length=k*d): the starting centres, row-major
 * @max_iter: maximum number of Lloyd iterations
 * @tol: tolerance relative to the mean feature variance (see #OrdKMeansOptions)
 * @error: return location for a #GError
 *
 * Runs Lloyd's algorithm once from the given centres. With the same centres
 * it reproduces scikit-learn's `KMeans (init=centres, n_init=1,
 * algorithm="lloyd")`: same labels, same inertia.
 *
 * Returns: (transfer full): the clustering, or %NULL with @error set
 */
OrdKMeansResult *
ord_kmeans_fit_from (const double  *x,
                     gsize          n,
                     guint          d,
                     guint          k,
                     const double  *init_centres,
                     guint          max_iter,
                     double         tol,
                     GError       **error)
{
  g_autoptr(OrdKMeansResult) r = NULL;
  Scratch s;

  g_return_val_if_fail (x != NULL || n == 0, NULL);
  g_return_val_if_fail (init_centres != NULL, NULL);
  g_return_val_if_fail (max_iter > 0, NULL);
  g_return_val_if_fail (tol >= 0.0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_data (x, n, d, k, error))
    return NULL;

  r = result_new (n, d, k);
  memcpy (r->centres, init_centres, sizeof (double) * k * d);
  scratch_init (&s, 0, d, k);
  r->inertia = lloyd (x, n, d, k, r->centres, r->labels, max_iter,
                      absolute_tolerance (x, n, d, tol), &s, &r->n_iter);
  scratch_clear (&s);
  result_count_sizes (r);
  return g_steal_pointer (&r);
}

/* Restarts shared between worker threads. */
typedef struct
{
  const double *x;
  gsize         n;
  guint         d;
  guint         k;
  guint         max_iter;
  double        tol_abs;
  guint         n_init;
  guint32      *seeds;
  gint          next_run;  /* atomic */
} Restarts;

typedef struct
{
  Restarts *job;
  double   *centres;
  guint    *labels;
  double    inertia;
  guint     n_iter;
  guint     run;
} Worker;

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  Restarts *job = w->job;
  g_autofree double *centres = g_new (double, (gsize) job->k * job->d);
  g_autofree guint *labels = g_new (guint, job->n);
  Scratch s;

  scratch_init (&s, job->n, job->d, job->k);
  w->inertia = G_MAXDOUBLE;
  w->run = G_MAXUINT;

  for (;;)
    {
      guint run = (guint) g_atomic_int_add (&job->next_run, 1);
      g_autoptr(GRand) rand = NULL;
      double inertia;
      guint n_iter;

      if (run >= job->n_init)
        break;

      rand = g_rand_new_with_seed (job->seeds[run]);
      plusplus_with_scratch (job->x, job->n, job->d, job->k, rand, centres, &s);
      inertia = lloyd (job->x, job->n, job->d, job->k, centres, labels,
                       job->max_iter, job->tol_abs, &s, &n_iter);

      /* Ties go to the lowest run so the thread count cannot change results. */
      if (inertia < w->inertia || (inertia == w->inertia && run < w->run))
        {
          double *tc = w->centres;
          guint *tl = w->labels;

          w->inertia = inertia;
          w->run = run;
          w->n_iter = n_iter;
          w->centres = centres;
          w->labels = labels;
          centres = tc != NULL ? tc : g_new (double, (gsize) job->k * job->d);
          labels = tl != NULL ? tl : g_new (guint, job->n);
        }
    }

  scratch_clear (&s);
  return NULL;
}

/**
 * ord_kmeans_fit:
 * @x: (array length=n*d): the points, row-major
 * @n: number of points
 * @d: number of features
 * @options: the options (see ord_kmeans_options_init())
 * @error: return location for a #GError
 *
 * Clusters @x into @options->k clusters: @options->n_init runs of Lloyd's
 * algorithm, each from its own k-means++ seeding, spread over
 * @options->n_threads threads; the run with the lowest inertia is kept. The
 * result depends only on the data and @options->seed.
 *
 * Returns: (transfer full): the clustering, or %NULL with @error set
 */
OrdKMeansResult *
ord_kmeans_fit (const double            *x,
                gsize                    n,
                guint                    d,
                const OrdKMeansOptions  *options,
                GError                 **error)
{
  g_autoptr(OrdKMeansResult) r = NULL;
  g_autoptr(GRand) master = NULL;
  g_autofree guint32 *seeds = NULL;
  g_autofree Worker *workers = NULL;
  g_autofree GThread **threads = NULL;
  Restarts job;
  guint n_threads;
  Worker *best = NULL;

  g_return_val_if_fail (x != NULL || n == 0, NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (options->n_init > 0, NULL);
  g_return_val_if_fail (options->max_iter > 0, NULL);
  g_return_val_if_fail (options->tol >= 0.0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!check_data (x, n, d, options->k, error))
    return NULL;

  master = g_rand_new_with_seed (options->seed);
  seeds = g_new (guint32, options->n_init);
  for (guint i = 0; i < options->n_init; i++)
    seeds[i] = g_rand_int (master);

  job = (Restarts) {
    .x = x, .n = n, .d = d, .k = options->k,
    .max_iter = options->max_iter,
    .tol_abs = absolute_tolerance (x, n, d, options->tol),
    .n_init = options->n_init,
    .seeds = seeds,
    .next_run = 0,
  };

  n_threads = options->n_threads != 0 ? options->n_threads : g_get_num_processors ();
  n_threads = MIN (n_threads, options->n_init);
  n_threads = MIN (n_threads, MAX (1, n / MIN_POINTS_PER_THREAD));
  n_threads = MAX (n_threads, 1);

  workers = g_new0 (Worker, n_threads);
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    workers[t].job = &job;
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("ord-kmeans", worker_main, &workers[t]);
  worker_main (&workers[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);

  for (guint t = 0; t < n_threads; t++)
    {
      Worker *w = &workers[t];

      if (w->run == G_MAXUINT)
        continue;
      if (best == NULL || w->inertia < best->inertia ||
          (w->inertia == best->inertia && w->run < best->run))
        best = w;
    }
  g_assert (best != NULL);

  r = g_new0 (OrdKMeansResult, 1);
  r->n = n;
  r->d = d;
  r->k = options->k;
  r->centres = g_steal_pointer (&best->centres);
  r->labels = g_steal_pointer (&best->labels);
  r->sizes = g_new0 (gsize, options->k);
  r->inertia = best->inertia;
  r->n_iter = best->n_iter;
  r->best_run = best->run;
  result_count_sizes (r);

  for (guint t = 0; t < n_threads; t++)
    {
      g_free (workers[t].centres);
      g_free (workers[t].labels);
    }

  return g_steal_pointer (&r);
}

/* Silhouette: per point, summed distances to every cluster. Rows are dealt
 * to threads round-robin so the triangular loop stays balanced. */
typedef struct
{
  const double *x;
  gsize         n;
  guint         d;
  guint         k;
  const guint  *labels;
  guint         stride;
  guint         offset;
  double       *sums;    /* n × k, owned by the worker */
} SilWorker;

static gpointer
sil_worker_main (gpointer data)
{
  SilWorker *w = data;
  const double *x = w->x;
  const guint *lab = w->labels;
  guint d = w->d, k = w->k;
  double *sums = w->sums;

  for (gsize i = w->offset; i < w->n; i += w->stride)
    {
      const double *p = x + i * d;
      guint li = lab[i];
      double *si = sums + i * k;

      if (d == 3)
        {
          for (gsize j = i + 1; j < w->n; j++)
            {
              const double *q = x + j * 3;
              double t0 = p[0] - q[0], t1 = p[1] - q[1], t2 = p[2] - q[2];
              double dist = sqrt (t0 * t0 + t1 * t1 + t2 * t2);

              si[lab[j]] += dist;
              sums[j * k + li] += dist;
            }
        }
      else
        {
          for (gsize j = i + 1; j < w->n; j++)
            {
              double dist = sqrt (sq_dist (p, x + j * d, d));

              si[lab[j]] += dist;
              sums[j * k + li] += dist;
            }
        }
    }
  return NULL;
}

/**
 * ord_silhouette_score:
 * @x: (array length=n*d): the points, row-major
 * @n: number of points
 * @d: number of features
 * @labels: (array length=n): cluster of each point, in `[0, k)`
 * @k: number of clusters
 *
 * The mean silhouette coefficient over all points with Euclidean distances,
 * computed exactly (O(n²)), as scikit-learn's `silhouette_score`: a point
 * alone in its cluster scores 0.
 *
 * Returns: the score in [-1, 1], or NAN when fewer than two clusters are
 *   used or every point is in its own cluster
 */
double
ord_silhouette_score (const double *x,
                      gsize         n,
                      guint         d,
                      const guint  *labels,
                      guint         k)
{
  g_autofree gsize *sizes = NULL;
  g_autofree SilWorker *workers = NULL;
  g_autofree GThread **threads = NULL;
  double *sums;
  guint n_used = 0;
  guint n_threads;
  double total = 0.0;

  g_return_val_if_fail (x != NULL || n == 0, NAN);
  g_return_val_if_fail (labels != NULL || n == 0, NAN);
  g_return_val_if_fail (d > 0 && k > 0, NAN);

  sizes = g_new0 (gsize, k);
  for (gsize i = 0; i < n; i++)
    {
      g_return_val_if_fail (labels[i] < k, NAN);
      sizes[labels[i]]++;
    }
  for (guint c = 0; c < k; c++)
    n_used += sizes[c] > 0;
  if (n_used < 2 || n_used >= n)
    return NAN;

  n_threads = CLAMP (g_get_num_processors (), 1, 8);
  n_threads = MIN (n_threads, MAX (1, n / MIN_POINTS_PER_THREAD));
  workers = g_new0 (SilWorker, n_threads);
  threads = g_new0 (GThread *, n_threads);
  for (guint t = 0; t < n_threads; t++)
    {
      workers[t] = (SilWorker) {
        .x = x, .n = n, .d = d, .k = k, .labels = labels,
        .stride = n_threads, .offset = t,
        .sums = g_new0 (double, n * k),
      };
    }
  for (guint t = 1; t < n_threads; t++)
    threads[t] = g_thread_new ("ord-silhouette", sil_worker_main, &workers[t]);
  sil_worker_main (&workers[0]);
  for (guint t = 1; t < n_threads; t++)
    g_thread_join (threads[t]);

  sums = workers[0].sums;
  for (guint t = 1; t < n_threads; t++)
    {
      for (gsize i = 0; i < n * k; i++)
        sums[i] += workers[t].sums[i];
      g_free (workers[t].sums);
    }

  for (gsize i = 0; i < n; i++)
    {
      guint li = labels[i];
      double a, b = G_MAXDOUBLE, m;

      if (sizes[li] <= 1)
        continue;  /* scores 0 */
      a = sums[i * k + li] / (double) (sizes[li] - 1);
      for (guint c = 0; c < k; c++)
        if (c != li && sizes[c] > 0)
          b = MIN (b, sums[i * k + c] / (double) sizes[c]);
      m = MAX (a, b);
      if (m > 0.0)
        total += (b - a) / m;
    }
  g_free (sums);

  return total / (double) n;
}

static int
cmp_gsize (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  gsize x = *(const gsize *) a, y = *(const gsize *) b;

  return (x > y) - (x < y);
}

/**
 * ord_silhouette_score_sampled:
 * @x: (array length=n*d): the points, row-major
 * @n: number of points
 * @d: number of features
 * @labels: (array length=n): cluster of each point, in `[0, k)`
 * @k: number of clusters
 * @sample_size: at most this many points are scored
 * @seed: seed of the random sample
 *
 * As ord_silhouette_score(), on a uniform random sample (without
 * replacement) of @sample_size points when there are more, as
 * scikit-learn's `silhouette_score (…, sample_size=…)`. The exact score is
 * O(n²); 20,000 points take about a second.
 *
 * Returns: the score in [-1, 1], or NAN (see ord_silhouette_score())
 */
double
ord_silhouette_score_sampled (const double *x,
                              gsize         n,
                              guint         d,
                              const guint  *labels,
                              guint         k,
                              gsize         sample_size,
                              guint32       seed)
{
  g_autoptr(GRand) rand = NULL;
  g_autofree gsize *perm = NULL;
  g_autofree double *xs = NULL;
  g_autofree guint *ls = NULL;

  g_return_val_if_fail (x != NULL || n == 0, NAN);
  g_return_val_if_fail (labels != NULL || n == 0, NAN);
  g_return_val_if_fail (d > 0 && k > 0, NAN);

  if (sample_size == 0 || n <= sample_size)
    return ord_silhouette_score (x, n, d, labels, k);

  /* Partial Fisher–Yates, then sorted so the sample keeps the data's order. */
  rand = g_rand_new_with_seed (seed);
  perm = g_new (gsize, n);
  for (gsize i = 0; i < n; i++)
    perm[i] = i;
  for (gsize i = 0; i < sample_size; i++)
    {
      gsize j = i + (gsize) (g_rand_double (rand) * (double) (n - i));
      gsize t;

      j = MIN (j, n - 1);
      t = perm[i];
      perm[i] = perm[j];
      perm[j] = t;
    }
  g_qsort_with_data (perm, sample_size, sizeof (gsize), cmp_gsize, NULL);

  xs = g_new (double, sample_size * d);
  ls = g_new (guint, sample_size);
  for (gsize i = 0; i < sample_size; i++)
    {
      memcpy (xs + i * d, x + perm[i] * d, sizeof (double) * d);
      ls[i] = labels[perm[i]];
    }
  return ord_silhouette_score (xs, sample_size, d, ls, k);
}
