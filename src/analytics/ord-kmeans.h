/* ord-kmeans.h: k-means++ seeding, Lloyd iterations and silhouette scores
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ORD_KMEANS_ERROR (ord_kmeans_error_quark ())

/**
 * OrdKMeansError:
 * @ORD_KMEANS_ERROR_INVALID: the data or the options cannot be clustered
 *   (fewer points than clusters, no features, a value that is not finite…)
 *
 * Errors reported by the k-means functions.
 */
typedef enum
{
  ORD_KMEANS_ERROR_INVALID,
} OrdKMeansError;

/**
 * OrdKMeansOptions:
 * @k: number of clusters (≥ 1)
 * @n_init: number of k-means++ restarts; the run with the lowest inertia is kept
 * @max_iter: maximum number of Lloyd iterations per run (scikit-learn: 300)
 * @tol: convergence tolerance, relative to the mean per-feature variance of the
 *   data: a run stops when the squared centre shift summed over all centres is
 *   at most `tol × mean (var (X, axis=0))` (scikit-learn: 1e-4)
 * @seed: seed of the random generator; the same seed gives the same result
 *   whatever @n_threads is
 * @n_threads: threads used across restarts (0: one per processor)
 *
 * Options of ord_kmeans_fit(). Initialise with ord_kmeans_options_init().
 */
typedef struct
{
  guint   k;
  guint   n_init;
  guint   max_iter;
  double  tol;
  guint32 seed;
  guint   n_threads;
} OrdKMeansOptions;

/**
 * OrdKMeansResult:
 * @n: number of points
 * @d: number of features
 * @k: number of clusters
 * @centres: (array length=k*d): the centres, row-major (`centres[c * d + j]`)
 * @labels: (array length=n): cluster of each point, in `[0, k)`
 * @sizes: (array length=k): number of points in each cluster
 * @inertia: sum of squared distances of the points to their centre
 * @n_iter: Lloyd iterations of the kept run
 * @best_run: index of the kept run among the restarts
 *
 * A clustering. Free with ord_kmeans_result_free().
 */
typedef struct
{
  gsize   n;
  guint   d;
  guint   k;
  double *centres;
  guint  *labels;
  gsize  *sizes;
  double  inertia;
  guint   n_iter;
  guint   best_run;
} OrdKMeansResult;

GQuark           ord_kmeans_error_quark     (void);

void             ord_kmeans_options_init    (OrdKMeansOptions       *options,
                                             guint                   k);

OrdKMeansResult *ord_kmeans_fit             (const double           *x,
                                             gsize                   n,
                                             guint                   d,
                                             const OrdKMeansOptions *options,
                                             GError                **error);
OrdKMeansResult *ord_kmeans_fit_from        (const double           *x,
                                             gsize                   n,
                                             guint                   d,
                                             guint                   k,
                                             const double           *init_centres,
                                             guint                   max_iter,
                                             double                  tol,
                                             GError                **error);
void             ord_kmeans_plusplus        (const double           *x,
                                             gsize                   n,
                                             guint                   d,
                                             guint                   k,
                                             GRand                  *rand,
                                             double                 *centres);
void             ord_kmeans_result_free     (OrdKMeansResult        *result);

double           ord_silhouette_score       (const double           *x,
                                             gsize                   n,
                                             guint                   d,
                                             const guint            *labels,
                                             guint                   k);
double           ord_silhouette_score_sampled (const double         *x,
                                             gsize                   n,
                                             guint                   d,
                                             const guint            *labels,
                                             guint                   k,
                                             gsize                   sample_size,
                                             guint32                 seed);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdKMeansResult, ord_kmeans_result_free)

G_END_DECLS
