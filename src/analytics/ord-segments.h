/* ord-segments.h: RFM customer segments (k-means on log RFM, named from the RFM map)
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define ORD_SEGMENTS_ERROR (ord_segments_error_quark ())

/**
 * OrdSegmentsError:
 * @ORD_SEGMENTS_ERROR_INVALID: the customers cannot be segmented (too few,
 *   a negative or non-finite value)
 *
 * Errors reported by ord_segments_compute().
 */
typedef enum
{
  ORD_SEGMENTS_ERROR_INVALID,
} OrdSegmentsError;

/**
 * OrdRfmSegment:
 * @ORD_RFM_CHAMPIONS: bought recently, buy often (R 5, F 4–5)
 * @ORD_RFM_LOYAL_CUSTOMERS: buy often, fairly recently (R 3–4, F 4–5)
 * @ORD_RFM_POTENTIAL_LOYALISTS: recent, a few orders (R 4–5, F 2–3)
 * @ORD_RFM_NEW_CUSTOMERS: very recent first order (R 5, F 1)
 * @ORD_RFM_PROMISING: recent first order (R 4, F 1)
 * @ORD_RFM_NEED_ATTENTION: middle of the road (R 3, F 3)
 * @ORD_RFM_ABOUT_TO_SLEEP: fading, few orders (R 3, F 1–2)
 * @ORD_RFM_AT_RISK: used to order often, not lately (R 1–2, F 3–4)
 * @ORD_RFM_CANT_LOSE_THEM: used to be the best, not lately (R 1–2, F 5)
 * @ORD_RFM_HIBERNATING: long ago, few orders (R 2, F 1–2)
 * @ORD_RFM_LOST: longest ago, few orders (R 1, F 1–2)
 * @ORD_RFM_N_SEGMENTS: number of segments
 *
 * The segments of the widely used RFM segment map on the recency and
 * frequency quintile scores (5 best). The map's "Hibernating" block
 * (R 1–2, F 1–2) is split by recency so that the oldest customers are
 * called lost.
 */
typedef enum
{
  ORD_RFM_CHAMPIONS,
  ORD_RFM_LOYAL_CUSTOMERS,
  ORD_RFM_POTENTIAL_LOYALISTS,
  ORD_RFM_NEW_CUSTOMERS,
  ORD_RFM_PROMISING,
  ORD_RFM_NEED_ATTENTION,
  ORD_RFM_ABOUT_TO_SLEEP,
  ORD_RFM_AT_RISK,
  ORD_RFM_CANT_LOSE_THEM,
  ORD_RFM_HIBERNATING,
  ORD_RFM_LOST,
  ORD_RFM_N_SEGMENTS
} OrdRfmSegment;

/**
 * OrdSegmentsOptions:
 * @k_min: smallest number of clusters tried (3)
 * @k_max: largest number of clusters tried (8)
 * @n_init: k-means++ restarts for each k (10)
 * @silhouette_sample: the silhouette is computed on a random sample of
 *   this many customers when there are more (20,000); 0 for always exact
 * @seed: seed for the restarts and the sample
 * @n_threads: threads for k-means (0: one per processor)
 *
 * Options of ord_segments_compute(). Initialise with
 * ord_segments_options_init().
 */
typedef struct
{
  guint   k_min;
  guint   k_max;
  guint   n_init;
  gsize   silhouette_sample;
  guint32 seed;
  guint   n_threads;
} OrdSegmentsOptions;

/**
 * OrdSegment:
 * @name: the RFM-map segment most of its customers fall in
 * @name_share: share of its customers in that RFM-map segment
 * @size: number of customers
 * @mean_recency: mean days since the last order
 * @mean_frequency: mean number of orders
 * @mean_monetary: mean amount spent
 * @mean_r: mean recency score (1–5, 5 most recent)
 * @mean_f: mean frequency score (1–5)
 * @mean_m: mean monetary score (1–5)
 * @centre: cluster centre in standardised log1p(R, F, M) space
 *
 * One customer segment (a k-means cluster).
 */
typedef struct
{
  OrdRfmSegment name;
  double        name_share;
  gsize         size;
  double        mean_recency;
  double        mean_frequency;
  double        mean_monetary;
  double        mean_r;
  double        mean_f;
  double        mean_m;
  double        centre[3];
} OrdSegment;

/**
 * OrdSegmentation:
 * @n: number of customers
 * @k: number of segments chosen
 * @segments: (array length=k): the segments, best customers first (by the
 *   sum of mean R, F and M scores)
 * @labels: (array length=n): index into @segments for each customer
 * @r_score: (array length=n): recency score of each customer
 * @f_score: (array length=n): frequency score of each customer
 * @m_score: (array length=n): monetary score of each customer
 * @k_min: first k tried
 * @n_k: number of k values tried
 * @silhouettes: (array length=n_k): silhouette of the best clustering for
 *   each k, starting at @k_min (NAN where undefined)
 * @inertias: (array length=n_k): k-means inertia of the best clustering for
 *   each k (NAN where not tried)
 * @inertia: k-means inertia of the chosen clustering
 *
 * The result of ord_segments_compute(). Free with ord_segmentation_free().
 */
typedef struct
{
  gsize       n;
  guint       k;
  OrdSegment *segments;
  guint      *labels;
  guint8     *r_score;
  guint8     *f_score;
  guint8     *m_score;
  guint       k_min;
  guint       n_k;
  double     *silhouettes;
  double     *inertias;
  double      inertia;
} OrdSegmentation;

GQuark           ord_segments_error_quark      (void);

const char      *ord_rfm_segment_name          (OrdRfmSegment             segment);
OrdRfmSegment    ord_rfm_segment_from_scores   (guint                     r_score,
                                                guint                     f_score);
void             ord_rfm_quintile_scores       (const double             *values,
                                                gsize                     n,
                                                gboolean                  higher_is_better,
                                                guint8                   *scores);

void             ord_segments_options_init     (OrdSegmentsOptions       *options);
OrdSegmentation *ord_segments_compute          (const double             *recency,
                                                const double             *frequency,
                                                const double             *monetary,
                                                gsize                     n,
                                                const OrdSegmentsOptions *options,
                                                GError                  **error);
void             ord_segmentation_free         (OrdSegmentation          *segmentation);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdSegmentation, ord_segmentation_free)

G_END_DECLS
