/* ord-segments.c: RFM customer segments (k-means on log RFM, named from the RFM map)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-segments"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ord-kmeans.h"
#include "ord-segments.h"

G_DEFINE_QUARK (ord-segments-error-quark, ord_segments_error)

static const char *const segment_names[ORD_RFM_N_SEGMENTS] = {
  [ORD_RFM_CHAMPIONS] = N_("Champions"),
  [ORD_RFM_LOYAL_CUSTOMERS] = N_("Loyal customers"),
  [ORD_RFM_POTENTIAL_LOYALISTS] = N_("Potential loyalists"),
  [ORD_RFM_NEW_CUSTOMERS] = N_("New customers"),
  [ORD_RFM_PROMISING] = N_("Promising"),
  [ORD_RFM_NEED_ATTENTION] = N_("Need attention"),
  [ORD_RFM_ABOUT_TO_SLEEP] = N_("About to sleep"),
  [ORD_RFM_AT_RISK] = N_("At risk"),
  [ORD_RFM_CANT_LOSE_THEM] = N_("Can’t lose them"),
  [ORD_RFM_HIBERNATING] = N_("Hibernating"),
  [ORD_RFM_LOST] = N_("Lost"),
};

/* Rows: recency score 1–5; columns: frequency score 1–5. */
static const OrdRfmSegment rfm_map[5][5] = {
  /* R 1 */ { ORD_RFM_LOST, ORD_RFM_LOST, ORD_RFM_AT_RISK, ORD_RFM_AT_RISK,
              ORD_RFM_CANT_LOSE_THEM },
  /* R 2 */ { ORD_RFM_HIBERNATING, ORD_RFM_HIBERNATING, ORD_RFM_AT_RISK, ORD_RFM_AT_RISK,
              ORD_RFM_CANT_LOSE_THEM },
  /* R 3 */ { ORD_RFM_ABOUT_TO_SLEEP, ORD_RFM_ABOUT_TO_SLEEP, ORD_RFM_NEED_ATTENTION,
              ORD_RFM_LOYAL_CUSTOMERS, ORD_RFM_LOYAL_CUSTOMERS },
  /* R 4 */ { ORD_RFM_PROMISING, ORD_RFM_POTENTIAL_LOYALISTS, ORD_RFM_POTENTIAL_LOYALISTS,
              ORD_RFM_LOYAL_CUSTOMERS, ORD_RFM_LOYAL_CUSTOMERS },
  /* R 5 */ { ORD_RFM_NEW_CUSTOMERS, ORD_RFM_POTENTIAL_LOYALISTS, ORD_RFM_POTENTIAL_LOYALISTS,
              ORD_RFM_CHAMPIONS, ORD_RFM_CHAMPIONS },
};

/**
 * ord_rfm_segment_name:
 * @segment: a segment
 *
 * The English name of @segment, marked for translation: show it with
 * `gettext (ord_rfm_segment_name (segment))`.
 *
 * Returns: (transfer none): the name
 */
const char *
ord_rfm_segment_name (OrdRfmSegment segment)
{
  g_return_val_if_fail (segment < ORD_RFM_N_SEGMENTS, NULL);

  return segment_names[segment];
}

/**
 * ord_rfm_segment_from_scores:
 * @r_score: recency score, 1 (longest ago) to 5 (most recent)
 * @f_score: frequency score, 1 (fewest orders) to 5 (most)
 *
 * Looks up the RFM segment map (see #OrdRfmSegment).
 *
 * Returns: the segment
 */
OrdRfmSegment
ord_rfm_segment_from_scores (guint r_score,
                             guint f_score)
{
  g_return_val_if_fail (r_score >= 1 && r_score <= 5, ORD_RFM_LOST);
  g_return_val_if_fail (f_score >= 1 && f_score <= 5, ORD_RFM_LOST);

  return rfm_map[r_score - 1][f_score - 1];
}

static int
cmp_index_by_value (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  const double *v = user_data;
  gsize ia = *(const gsize *) a, ib = *(const gsize *) b;

  if (v[ia] != v[ib])
    return v[ia] < v[ib] ? -1 : 1;
  return (ia > ib) - (ia < ib);
}

/**
 * ord_rfm_quintile_scores:
 * @values: (array length=n): one value per customer
 * @n: number of customers
 * @higher_is_better: %TRUE for frequency and monetary value, %FALSE for
 *   recency (days since the last order: fewer is better)
 * @scores: (out caller-allocates) (array length=n): scores 1–5
 *
 * Quintile scores from average ranks: `⌈5 · rank / n⌉`, the best fifth
 * scoring 5. Tied values share their average rank and so their score (many
 * customers with a single order all get the same frequency score).
 */
void
ord_rfm_quintile_scores (const double *values,
                         gsize         n,
                         gboolean      higher_is_better,
                         guint8       *scores)
{
  g_autofree gsize *order = NULL;
  g_autofree double *v = NULL;
  gsize i = 0;

  g_return_if_fail (values != NULL || n == 0);
  g_return_if_fail (scores != NULL || n == 0);

  v = g_new (double, n);
  order = g_new (gsize, n);
  for (gsize j = 0; j < n; j++)
    {
      v[j] = higher_is_better ? values[j] : -values[j];
      order[j] = j;
    }
  g_qsort_with_data (order, n, sizeof (gsize), cmp_index_by_value, v);

  while (i < n)
    {
      gsize j = i;
      double rank, s;

      while (j + 1 < n && v[order[j + 1]] == v[order[i]])
        j++;
      rank = ((double) (i + 1) + (double) (j + 1)) / 2.0;
      s = CLAMP (ceil (5.0 * rank / (double) n), 1.0, 5.0);
      for (gsize t = i; t <= j; t++)
        scores[order[t]] = (guint8) s;
      i = j + 1;
    }
}

/**
 * ord_segments_options_init:
 * @options: options to fill
 *
 * Fills @options with the defaults: k from 3 to 8, 10 restarts, silhouette
 * sampled above 20,000 customers, seed 0, one thread per processor.
 */
void
ord_segments_options_init (OrdSegmentsOptions *options)
{
  g_return_if_fail (options != NULL);

  options->k_min = 3;
  options->k_max = 8;
  options->n_init = 10;
  options->silhouette_sample = 20000;
  options->seed = 0;
  options->n_threads = 0;
}

/**
 * ord_segmentation_free:
 * @segmentation: (nullable): a segmentation
 *
 * Frees @segmentation.
 */
void
ord_segmentation_free (OrdSegmentation *segmentation)
{
  if (segmentation == NULL)
    return;
  g_free (segmentation->segments);
  g_free (segmentation->labels);
  g_free (segmentation->r_score);
  g_free (segmentation->f_score);
  g_free (segmentation->m_score);
  g_free (segmentation->silhouettes);
  g_free (segmentation->inertias);
  g_free (segmentation);
}

static gboolean
check_column (const double  *v,
              gsize          n,
              const char    *what,
              GError       **error)
{
  for (gsize i = 0; i < n; i++)
    {
      if (!isfinite (v[i]) || v[i] < 0.0)
        {
          g_set_error (error, ORD_SEGMENTS_ERROR, ORD_SEGMENTS_ERROR_INVALID,
                       "Customer %" G_GSIZE_FORMAT ": the %s %g must be a number "
                       "of zero or more", i, what, v[i]);
          return FALSE;
        }
    }
  return TRUE;
}

static int
cmp_segment_value (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const OrdSegment *segments = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;
  const OrdSegment *sa = &segments[ia], *sb = &segments[ib];
  double va = sa->mean_r + sa->mean_f + sa->mean_m;
  double vb = sb->mean_r + sb->mean_f + sb->mean_m;

  if (va != vb)
    return va > vb ? -1 : 1;
  if (sa->size != sb->size)
    return sa->size > sb->size ? -1 : 1;
  return (ia > ib) - (ia < ib);
}

/**
 * ord_segments_compute:
 * @recency: (array length=n): days since each customer's last order
 * @frequency: (array length=n): number of orders of each customer
 * @monetary: (array length=n): amount each customer spent (any unit)
 * @n: number of customers
 * @options: (nullable): the options, or %NULL for the defaults
 * @error: return location for a #GError
 *
 * Segments customers: log1p of the three values, standardised to zero mean
 * and unit variance, clustered by k-means++ with restarts for each k in
 * [@options->k_min, @options->k_max]; the k with the highest silhouette is
 * kept. Each cluster is named after the RFM-map segment most of its
 * customers fall in (from their recency and frequency quintile scores).
 *
 * Returns: (transfer full): the segmentation, or %NULL with @error set
 */
OrdSegmentation *
ord_segments_compute (const double              *recency,
                      const double              *frequency,
                      const double              *monetary,
                      gsize                      n,
                      const OrdSegmentsOptions  *options,
                      GError                   **error)
{
  OrdSegmentsOptions defaults;
  g_autoptr(OrdSegmentation) seg = NULL;
  g_autoptr(OrdKMeansResult) best = NULL;
  g_autofree double *z = NULL;
  g_autofree guint *relabel = NULL;
  g_autofree gsize *votes = NULL;
  const double *cols[3] = { recency, frequency, monetary };
  double best_sil = -G_MAXDOUBLE;
  guint k_min, k_max;

  g_return_val_if_fail (recency != NULL || n == 0, NULL);
  g_return_val_if_fail (frequency != NULL || n == 0, NULL);
  g_return_val_if_fail (monetary != NULL || n == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (options == NULL)
    {
      ord_segments_options_init (&defaults);
      options = &defaults;
    }
  g_return_val_if_fail (options->k_min >= 2 && options->k_min <= options->k_max, NULL);

  if (!check_column (recency, n, "recency", error) ||
      !check_column (frequency, n, "frequency", error) ||
      !check_column (monetary, n, "monetary value", error))
    return NULL;

  /* A silhouette needs at least one cluster with two customers. */
  k_min = options->k_min;
  k_max = (guint) MIN ((gsize) options->k_max, n > 0 ? n - 1 : 0);
  if (k_max < k_min)
    {
      g_set_error (error, ORD_SEGMENTS_ERROR, ORD_SEGMENTS_ERROR_INVALID,
                   "%" G_GSIZE_FORMAT " customers are too few to form %u segments",
                   n, k_min);
      return NULL;
    }

  seg = g_new0 (OrdSegmentation, 1);
  seg->n = n;
  seg->r_score = g_new (guint8, n);
  seg->f_score = g_new (guint8, n);
  seg->m_score = g_new (guint8, n);
  ord_rfm_quintile_scores (recency, n, FALSE, seg->r_score);
  ord_rfm_quintile_scores (frequency, n, TRUE, seg->f_score);
  ord_rfm_quintile_scores (monetary, n, TRUE, seg->m_score);

  /* log1p, then z-scores with the population deviation (StandardScaler). */
  z = g_new (double, n * 3);
  for (guint j = 0; j < 3; j++)
    {
      double mean = 0.0, var = 0.0, sd;

      for (gsize i = 0; i < n; i++)
        {
          z[i * 3 + j] = log1p (cols[j][i]);
          mean += z[i * 3 + j];
        }
      mean /= (double) n;
      for (gsize i = 0; i < n; i++)
        var += (z[i * 3 + j] - mean) * (z[i * 3 + j] - mean);
      sd = sqrt (var / (double) n);
      if (sd <= 1e-12 * MAX (1.0, fabs (mean)))
        sd = 1.0;
      for (gsize i = 0; i < n; i++)
        z[i * 3 + j] = (z[i * 3 + j] - mean) / sd;
    }

  seg->k_min = k_min;
  seg->n_k = options->k_max - k_min + 1;
  seg->silhouettes = g_new (double, seg->n_k);
  seg->inertias = g_new (double, seg->n_k);
  for (guint i = 0; i < seg->n_k; i++)
    seg->silhouettes[i] = seg->inertias[i] = NAN;

  for (guint k = k_min; k <= k_max; k++)
    {
      g_autoptr(OrdKMeansResult) r = NULL;
      OrdKMeansOptions ko;
      double sil;

      ord_kmeans_options_init (&ko, k);
      ko.n_init = options->n_init;
      ko.seed = options->seed + k;
      ko.n_threads = options->n_threads;
      r = ord_kmeans_fit (z, n, 3, &ko, error);
      if (r == NULL)
        return NULL;

      sil = ord_silhouette_score_sampled (z, n, 3, r->labels, k,
                                          options->silhouette_sample, options->seed);
      seg->silhouettes[k - k_min] = sil;
      seg->inertias[k - k_min] = r->inertia;
      /* NAN (all customers alike) never wins, but k_min is kept as a fallback. */
      if (best == NULL || (!isnan (sil) && sil > best_sil))
        {
          best_sil = isnan (sil) ? -G_MAXDOUBLE : sil;
          g_clear_pointer (&best, ord_kmeans_result_free);
          best = g_steal_pointer (&r);
        }
    }

  seg->k = best->k;
  seg->inertia = best->inertia;
  seg->segments = g_new0 (OrdSegment, seg->k);
  votes = g_new0 (gsize, (gsize) seg->k * ORD_RFM_N_SEGMENTS);
  for (gsize i = 0; i < n; i++)
    {
      OrdSegment *s = &seg->segments[best->labels[i]];

      s->size++;
      s->mean_recency += recency[i];
      s->mean_frequency += frequency[i];
      s->mean_monetary += monetary[i];
      s->mean_r += seg->r_score[i];
      s->mean_f += seg->f_score[i];
      s->mean_m += seg->m_score[i];
      votes[best->labels[i] * ORD_RFM_N_SEGMENTS +
            ord_rfm_segment_from_scores (seg->r_score[i], seg->f_score[i])]++;
    }
  for (guint c = 0; c < seg->k; c++)
    {
      OrdSegment *s = &seg->segments[c];
      double sz = (double) MAX (s->size, 1);
      gsize top = 0;

      s->mean_recency /= sz;
      s->mean_frequency /= sz;
      s->mean_monetary /= sz;
      s->mean_r /= sz;
      s->mean_f /= sz;
      s->mean_m /= sz;
      memcpy (s->centre, best->centres + c * 3, sizeof s->centre);
      s->name = ORD_RFM_LOST;
      for (guint t = 0; t < ORD_RFM_N_SEGMENTS; t++)
        {
          if (votes[c * ORD_RFM_N_SEGMENTS + t] > top)
            {
              top = votes[c * ORD_RFM_N_SEGMENTS + t];
              s->name = (OrdRfmSegment) t;
            }
        }
      s->name_share = (double) top / sz;
    }

  /* Best customers first; relabel the customers to match. */
  {
    g_autofree guint *order = g_new (guint, seg->k);
    g_autofree OrdSegment *sorted = g_new (OrdSegment, seg->k);

    for (guint c = 0; c < seg->k; c++)
      order[c] = c;
    g_qsort_with_data (order, seg->k, sizeof (guint), cmp_segment_value, seg->segments);
    relabel = g_new (guint, seg->k);
    for (guint t = 0; t < seg->k; t++)
      {
        sorted[t] = seg->segments[order[t]];
        relabel[order[t]] = t;
      }
    memcpy (seg->segments, sorted, sizeof (OrdSegment) * seg->k);
  }

  seg->labels = g_new (guint, n);
  for (gsize i = 0; i < n; i++)
    seg->labels[i] = relabel[best->labels[i]];

  return g_steal_pointer (&seg);
}
