/* ord-recommend.h: "also ordered" recommendations from item–item cosine similarity
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * OrdItemSimilarity:
 * @n_items: number of items (item ids are `0 … n_items - 1`)
 * @n_baskets: number of baskets it was built from
 * @row_ptr: (array length=n_items+1): CSR row starts: the neighbours of item
 *   `i` are `neighbours[row_ptr[i] … row_ptr[i + 1] - 1]`
 * @neighbours: (array): neighbour item ids, most similar first
 * @similarity: (array): cosine similarity of each neighbour, in (0, 1]
 * @item_count: (array length=n_items): number of baskets holding each item
 * @popular: (array length=n_items): item ids, most popular (highest
 *   @item_count) first, ties by id
 *
 * Item–item cosine similarity over baskets: for items a and b,
 * `|baskets with a and b| / √(|baskets with a| · |baskets with b|)` (an item
 * counts once per basket). Only the most similar neighbours of each item are
 * kept, as a sparse (CSR) matrix; the numbers can be stored as they are.
 */
typedef struct
{
  guint   n_items;
  gsize   n_baskets;
  gsize  *row_ptr;
  guint  *neighbours;
  double *similarity;
  gsize  *item_count;
  guint  *popular;
} OrdItemSimilarity;

/**
 * OrdRecommendation:
 * @item: the recommended item
 * @score: its score: a cosine similarity, a sum of them, or a basket count
 *   for the popularity baseline
 *
 * One recommended item.
 */
typedef struct
{
  guint  item;
  double score;
} OrdRecommendation;

/**
 * OrdHitRate:
 * @n_customers: customers evaluated (those with at least two baskets)
 * @hits: customers whose last basket holds at least one of their
 *   recommendations
 * @hit_rate: @hits / @n_customers
 * @popular_hits: the same for the most-popular baseline
 * @popular_hit_rate: @popular_hits / @n_customers
 *
 * The result of ord_recommend_evaluate().
 */
typedef struct
{
  gsize  n_customers;
  gsize  hits;
  double hit_rate;
  gsize  popular_hits;
  double popular_hit_rate;
} OrdHitRate;

OrdItemSimilarity *ord_item_similarity_new    (const gsize              *basket_ptr,
                                               const guint              *items,
                                               gsize                     n_baskets,
                                               guint                     n_items,
                                               guint                     max_neighbours);
void               ord_item_similarity_free   (OrdItemSimilarity        *similarity);
double             ord_item_similarity_get    (const OrdItemSimilarity  *similarity,
                                               guint                     a,
                                               guint                     b);

guint              ord_recommend_also_ordered (const OrdItemSimilarity  *similarity,
                                               guint                     item,
                                               guint                     n,
                                               OrdRecommendation        *out);
guint              ord_recommend_for_history  (const OrdItemSimilarity  *similarity,
                                               const guint              *history,
                                               gsize                     n_history,
                                               gboolean                  exclude_history,
                                               guint                     n,
                                               OrdRecommendation        *out);
guint              ord_recommend_popular      (const OrdItemSimilarity  *similarity,
                                               const guint              *history,
                                               gsize                     n_history,
                                               gboolean                  exclude_history,
                                               guint                     n,
                                               OrdRecommendation        *out);
void               ord_recommend_evaluate     (const gsize              *basket_ptr,
                                               const guint              *items,
                                               const guint              *basket_customer,
                                               gsize                     n_baskets,
                                               guint                     n_items,
                                               guint                     n,
                                               guint                     max_neighbours,
                                               gboolean                  exclude_history,
                                               OrdHitRate               *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OrdItemSimilarity, ord_item_similarity_free)

G_END_DECLS
