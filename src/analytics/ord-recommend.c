/* ord-recommend.c: "also ordered" recommendations from item–item cosine similarity
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-recommend"

#include "config.h"

#include <math.h>
#include <string.h>

#include "ord-recommend.h"

typedef struct
{
  guint  item;
  gsize  co;
  double sim;
} Candidate;

static int
cmp_candidate (gconstpointer a,
               gconstpointer b,
               gpointer      user_data)
{
  const Candidate *ca = a, *cb = b;

  if (ca->sim != cb->sim)
    return ca->sim > cb->sim ? -1 : 1;
  if (ca->co != cb->co)
    return ca->co > cb->co ? -1 : 1;
  return (ca->item > cb->item) - (ca->item < cb->item);
}

static int
cmp_popular (gconstpointer a,
             gconstpointer b,
             gpointer      user_data)
{
  const gsize *count = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;

  if (count[ia] != count[ib])
    return count[ia] > count[ib] ? -1 : 1;
  return (ia > ib) - (ia < ib);
}

static int
cmp_guint (gconstpointer a,
           gconstpointer b,
           gpointer      user_data)
{
  guint x = *(const guint *) a, y = *(const guint *) b;

  return (x > y) - (x < y);
}

/**
 * ord_item_similarity_new:
 * @basket_ptr: (array length=n_baskets+1): CSR basket starts: basket `b`
 *   holds `items[basket_ptr[b] … basket_ptr[b + 1] - 1]`
 * @items: (array): item ids, each below @n_items; repeats within a basket
 *   count once
 * @n_baskets: number of baskets
 * @n_items: number of items
 * @max_neighbours: neighbours kept per item (0: all)
 *
 * Counts, for every pair of items, the baskets that hold both, and keeps
 * each item's @max_neighbours most similar items by cosine similarity
 * (ties: more shared baskets first, then lower id). The work is
 * proportional to the sum of squared basket sizes.
 *
 * Returns: (transfer full): the similarity matrix
 */
OrdItemSimilarity *
ord_item_similarity_new (const gsize *basket_ptr,
                         const guint *items,
                         gsize        n_baskets,
                         guint        n_items,
                         guint        max_neighbours)
{
  g_autoptr(OrdItemSimilarity) s = NULL;
  g_autofree gsize *bptr = NULL;
  g_autofree guint *bitems = NULL;
  g_autofree gsize *iptr = NULL;
  g_autofree gsize *fill = NULL;
  g_autofree gsize *ibaskets = NULL;
  g_autofree gsize *co = NULL;
  g_autofree guint *touched = NULL;
  g_autofree Candidate *cand = NULL;
  g_autoptr(GArray) nb = NULL;
  g_autoptr(GArray) sim = NULL;
  gsize n_total;

  g_return_val_if_fail (basket_ptr != NULL, NULL);
  g_return_val_if_fail (items != NULL || basket_ptr[n_baskets] == 0, NULL);

  n_total = basket_ptr[n_baskets] - basket_ptr[0];
  s = g_new0 (OrdItemSimilarity, 1);
  s->n_items = n_items;
  s->n_baskets = n_baskets;
  s->item_count = g_new0 (gsize, n_items);

  /* Baskets as sorted sets. */
  bptr = g_new (gsize, n_baskets + 1);
  bitems = g_new (guint, n_total + 1);
  bptr[0] = 0;
  for (gsize b = 0; b < n_baskets; b++)
    {
      gsize start = bptr[b], len = basket_ptr[b + 1] - basket_ptr[b], m = 0;

      g_return_val_if_fail (basket_ptr[b + 1] >= basket_ptr[b], NULL);
      memcpy (bitems + start, items + basket_ptr[b], sizeof (guint) * len);
      g_qsort_with_data (bitems + start, len, sizeof (guint), cmp_guint, NULL);
      for (gsize j = 0; j < len; j++)
        {
          g_return_val_if_fail (bitems[start + j] < n_items, NULL);
          if (m == 0 || bitems[start + j] != bitems[start + m - 1])
            bitems[start + m++] = bitems[start + j];
        }
      bptr[b + 1] = start + m;
      for (gsize j = 0; j < m; j++)
        s->item_count[bitems[start + j]]++;
    }

  /* Transpose: the baskets of each item. */
  iptr = g_new0 (gsize, n_items + 1);
  for (guint i = 0; i < n_items; i++)
    iptr[i + 1] = iptr[i] + s->item_count[i];
  fill = g_memdup2 (iptr, sizeof (gsize) * n_items);
  ibaskets = g_new (gsize, iptr[n_items] + 1);
  for (gsize b = 0; b < n_baskets; b++)
    for (gsize j = bptr[b]; j < bptr[b + 1]; j++)
      ibaskets[fill[bitems[j]]++] = b;

  co = g_new0 (gsize, n_items);
  touched = g_new (guint, n_items);
  cand = g_new (Candidate, n_items);
  nb = g_array_new (FALSE, FALSE, sizeof (guint));
  sim = g_array_new (FALSE, FALSE, sizeof (double));
  s->row_ptr = g_new0 (gsize, n_items + 1);

  for (guint a = 0; a < n_items; a++)
    {
      guint n_touched = 0, keep;

      for (gsize t = iptr[a]; t < iptr[a + 1]; t++)
        {
          gsize b = ibaskets[t];

          for (gsize j = bptr[b]; j < bptr[b + 1]; j++)
            {
              guint other = bitems[j];

              if (other == a)
                continue;
              if (co[other]++ == 0)
                touched[n_touched++] = other;
            }
        }
      for (guint t = 0; t < n_touched; t++)
        {
          guint o = touched[t];

          cand[t].item = o;
          cand[t].co = co[o];
          cand[t].sim = (double) co[o] / sqrt ((double) s->item_count[a] *
                                               (double) s->item_count[o]);
          co[o] = 0;
        }
      g_qsort_with_data (cand, n_touched, sizeof (Candidate), cmp_candidate, NULL);
      keep = max_neighbours == 0 ? n_touched : MIN (n_touched, max_neighbours);
      for (guint t = 0; t < keep; t++)
        {
          g_array_append_val (nb, cand[t].item);
          g_array_append_val (sim, cand[t].sim);
        }
      s->row_ptr[a + 1] = s->row_ptr[a] + keep;
    }

  s->neighbours = (guint *) (gpointer) g_array_free (g_steal_pointer (&nb), FALSE);
  s->similarity = (double *) (gpointer) g_array_free (g_steal_pointer (&sim), FALSE);

  s->popular = g_new (guint, n_items);
  for (guint i = 0; i < n_items; i++)
    s->popular[i] = i;
  g_qsort_with_data (s->popular, n_items, sizeof (guint), cmp_popular, s->item_count);

  return g_steal_pointer (&s);
}

/**
 * ord_item_similarity_free:
 * @similarity: (nullable): a similarity matrix
 *
 * Frees @similarity.
 */
void
ord_item_similarity_free (OrdItemSimilarity *similarity)
{
  if (similarity == NULL)
    return;
  g_free (similarity->row_ptr);
  g_free (similarity->neighbours);
  g_free (similarity->similarity);
  g_free (similarity->item_count);
  g_free (similarity->popular);
  g_free (similarity);
}

/**
 * ord_item_similarity_get:
 * @similarity: a similarity matrix
 * @a: an item
 * @b: another item
 *
 * Returns: the cosine similarity of @a and @b, 0 if @b is not among the
 *   kept neighbours of @a, 1 if @a = @b was ever ordered
 */
double
ord_item_similarity_get (const OrdItemSimilarity *similarity,
                         guint                    a,
                         guint                    b)
{
  g_return_val_if_fail (similarity != NULL, 0.0);
  g_return_val_if_fail (a < similarity->n_items && b < similarity->n_items, 0.0);

  if (a == b)
    return similarity->item_count[a] > 0 ? 1.0 : 0.0;
  for (gsize t = similarity->row_ptr[a]; t < similarity->row_ptr[a + 1]; t++)
    if (similarity->neighbours[t] == b)
      return similarity->similarity[t];
  return 0.0;
}

/**
 * ord_recommend_also_ordered:
 * @similarity: a similarity matrix
 * @item: an item
 * @n: how many recommendations are wanted
 * @out: (out caller-allocates) (array length=n): the recommendations
 *
 * "Customers who ordered this also ordered": the items most similar to
 * @item, most similar first.
 *
 * Returns: the number of recommendations written (fewer than @n when the
 *   item has fewer neighbours)
 */
guint
ord_recommend_also_ordered (const OrdItemSimilarity *similarity,
                            guint                    item,
                            guint                    n,
                            OrdRecommendation       *out)
{
  gsize start;
  guint m;

  g_return_val_if_fail (similarity != NULL, 0);
  g_return_val_if_fail (item < similarity->n_items, 0);
  g_return_val_if_fail (out != NULL || n == 0, 0);

  start = similarity->row_ptr[item];
  m = (guint) MIN ((gsize) n, similarity->row_ptr[item + 1] - start);
  for (guint t = 0; t < m; t++)
    {
      out[t].item = similarity->neighbours[start + t];
      out[t].score = similarity->similarity[start + t];
    }
  return m;
}

typedef struct
{
  const double *score;
  const gsize  *count;
} ScoreOrder;

static int
cmp_scored (gconstpointer a,
            gconstpointer b,
            gpointer      user_data)
{
  const ScoreOrder *o = user_data;
  guint ia = *(const guint *) a, ib = *(const guint *) b;

  if (o->score[ia] != o->score[ib])
    return o->score[ia] > o->score[ib] ? -1 : 1;
  if (o->count[ia] != o->count[ib])
    return o->count[ia] > o->count[ib] ? -1 : 1;
  return (ia > ib) - (ia < ib);
}

/* Fills out[m…n) with the most popular items not yet in @taken. */
static guint
fill_popular (const OrdItemSimilarity *s,
              guint8                  *taken,
              guint                    m,
              guint                    n,
              OrdRecommendation       *out)
{
  for (guint t = 0; t < s->n_items && m < n; t++)
    {
      guint item = s->popular[t];

      if (taken[item] || s->item_count[item] == 0)
        continue;
      taken[item] = 1;
      out[m].item = item;
      out[m].score = (double) s->item_count[item];
      m++;
    }
  return m;
}

/**
 * ord_recommend_for_history:
 * @similarity: a similarity matrix
 * @history: (array length=n_history): the items a customer ordered, one
 *   entry per basket holding it (an item bought three times counts three
 *   times)
 * @n_history: length of @history
 * @exclude_history: %TRUE to recommend only items the customer never
 *   ordered ("discover"); %FALSE to let reorders be recommended too
 * @n: how many recommendations are wanted
 * @out: (out caller-allocates) (array length=n): the recommendations
 *
 * Recommends items for a customer: each item j scores the sum, over the
 * customer's history, of its similarity to the items ordered (weighted by
 * how often they were ordered). When reorders are allowed, an item already
 * ordered also scores its own count (its similarity to itself is 1), so
 * the customer's usual items rank high — in wholesale most of a next order
 * is reorders. Ties go to the more popular item; when the history suggests
 * fewer than @n items the rest are the most popular ones.
 *
 * Returns: the number of recommendations written: @n unless fewer items
 *   qualify
 */
guint
ord_recommend_for_history (const OrdItemSimilarity *similarity,
                           const guint             *history,
                           gsize                    n_history,
                           gboolean                 exclude_history,
                           guint                    n,
                           OrdRecommendation       *out)
{
  const OrdItemSimilarity *s = similarity;
  g_autofree double *score = NULL;
  g_autofree guint8 *taken = NULL;
  g_autofree guint *cand = NULL;
  guint n_cand = 0, m = 0;
  ScoreOrder order;

  g_return_val_if_fail (similarity != NULL, 0);
  g_return_val_if_fail (history != NULL || n_history == 0, 0);
  g_return_val_if_fail (out != NULL || n == 0, 0);

  score = g_new0 (double, s->n_items);
  taken = g_new0 (guint8, s->n_items);
  cand = g_new (guint, s->n_items);

  for (gsize h = 0; h < n_history; h++)
    {
      guint a = history[h];

      g_return_val_if_fail (a < s->n_items, 0);
      if (exclude_history)
        taken[a] = 1;
      else
        {
          if (score[a] == 0.0)
            cand[n_cand++] = a;
          score[a] += 1.0;
        }
      for (gsize t = s->row_ptr[a]; t < s->row_ptr[a + 1]; t++)
        {
          guint b = s->neighbours[t];

          if (score[b] == 0.0)
            cand[n_cand++] = b;
          score[b] += s->similarity[t];
        }
    }

  order.score = score;
  order.count = s->item_count;
  g_qsort_with_data (cand, n_cand, sizeof (guint), cmp_scored, &order);
  for (guint t = 0; t < n_cand && m < n; t++)
    {
      guint b = cand[t];

      if (taken[b])
        continue;
      taken[b] = 1;
      out[m].item = b;
      out[m].score = score[b];
      m++;
    }
  return fill_popular (s, taken, m, n, out);
}

/**
 * ord_recommend_popular:
 * @similarity: a similarity matrix (for its basket counts)
 * @history: (nullable) (array length=n_history): the customer's items
 * @n_history: length of @history
 * @exclude_history: %TRUE to skip items in @history
 * @n: how many recommendations are wanted
 * @out: (out caller-allocates) (array length=n): the recommendations
 *
 * The baseline: the items in the most baskets.
 *
 * Returns: the number of recommendations written
 */
guint
ord_recommend_popular (const OrdItemSimilarity *similarity,
                       const guint             *history,
                       gsize                    n_history,
                       gboolean                 exclude_history,
                       guint                    n,
                       OrdRecommendation       *out)
{
  g_autofree guint8 *taken = NULL;

  g_return_val_if_fail (similarity != NULL, 0);
  g_return_val_if_fail (history != NULL || n_history == 0, 0);
  g_return_val_if_fail (out != NULL || n == 0, 0);

  taken = g_new0 (guint8, similarity->n_items);
  if (exclude_history)
    for (gsize h = 0; h < n_history; h++)
      {
        g_return_val_if_fail (history[h] < similarity->n_items, 0);
        taken[history[h]] = 1;
      }
  return fill_popular (similarity, taken, 0, n, out);
}

/**
 * ord_recommend_evaluate:
 * @basket_ptr: (array length=n_baskets+1): CSR basket starts
 * @items: (array): item ids of the baskets
 * @basket_customer: (array length=n_baskets): customer of each basket
 * @n_baskets: number of baskets, in chronological order
 * @n_items: number of items
 * @n: recommendations per customer (10 for hit rate at 10)
 * @max_neighbours: neighbours kept per item (see ord_item_similarity_new())
 * @exclude_history: see ord_recommend_for_history(); the baseline follows
 *   the same rule
 * @result: (out caller-allocates): the hit rates
 *
 * Hit rate at @n on each customer's last basket (leave-last-out): the last
 * basket of every customer with at least two baskets is held out; the
 * similarities and the popularity counts are learnt from all other
 * baskets, and each such customer gets @n recommendations from their
 * earlier baskets. A hit is a held-out basket holding at least one of them.
 */
void
ord_recommend_evaluate (const gsize *basket_ptr,
                        const guint *items,
                        const guint *basket_customer,
                        gsize        n_baskets,
                        guint        n_items,
                        guint        n,
                        guint        max_neighbours,
                        gboolean     exclude_history,
                        OrdHitRate  *result)
{
  g_autoptr(OrdItemSimilarity) sim = NULL;
  g_autofree gsize *last = NULL;
  g_autofree gsize *n_cust_baskets = NULL;
  g_autofree gsize *tptr = NULL;
  g_autofree guint *titems = NULL;
  g_autofree OrdRecommendation *recs = NULL;
  g_autofree OrdRecommendation *pop = NULL;
  g_autofree guint8 *in_test = NULL;
  g_autoptr(GArray) history = NULL;
  g_autofree gsize *cptr = NULL;
  g_autofree gsize *cfill = NULL;
  g_autofree gsize *cbaskets = NULL;
  guint n_customers = 0;
  gsize n_train = 0;

  g_return_if_fail (basket_ptr != NULL);
  g_return_if_fail (basket_customer != NULL || n_baskets == 0);
  g_return_if_fail (result != NULL);

  memset (result, 0, sizeof *result);
  for (gsize b = 0; b < n_baskets; b++)
    if (basket_customer[b] != G_MAXUINT)
      n_customers = MAX (n_customers, basket_customer[b] + 1);

  last = g_new (gsize, n_customers + 1);
  n_cust_baskets = g_new0 (gsize, n_customers + 1);
  for (gsize b = 0; b < n_baskets; b++)
    {
      guint c = basket_customer[b];

      if (c == G_MAXUINT)
        continue;
      last[c] = b;
      n_cust_baskets[c]++;
    }

  /* Training baskets: everything but the held-out last baskets. */
  tptr = g_new (gsize, n_baskets + 1);
  titems = g_new (guint, basket_ptr[n_baskets] + 1);
  tptr[0] = 0;
  for (gsize b = 0; b < n_baskets; b++)
    {
      guint c = basket_customer[b];
      gsize len = basket_ptr[b + 1] - basket_ptr[b];

      if (c != G_MAXUINT && n_cust_baskets[c] >= 2 && last[c] == b)
        continue;
      memcpy (titems + tptr[n_train], items + basket_ptr[b], sizeof (guint) * len);
      tptr[n_train + 1] = tptr[n_train] + len;
      n_train++;
    }
  sim = ord_item_similarity_new (tptr, titems, n_train, n_items, max_neighbours);
  g_return_if_fail (sim != NULL);

  /* Each customer's baskets. */
  cptr = g_new0 (gsize, n_customers + 1);
  for (guint c = 0; c < n_customers; c++)
    cptr[c + 1] = cptr[c] + n_cust_baskets[c];
  cfill = g_memdup2 (cptr, sizeof (gsize) * (n_customers + 1));
  cbaskets = g_new (gsize, cptr[n_customers] + 1);
  for (gsize b = 0; b < n_baskets; b++)
    if (basket_customer[b] != G_MAXUINT)
      cbaskets[cfill[basket_customer[b]]++] = b;

  recs = g_new (OrdRecommendation, MAX (n, 1));
  pop = g_new (OrdRecommendation, MAX (n, 1));
  in_test = g_new0 (guint8, n_items);
  history = g_array_new (FALSE, FALSE, sizeof (guint));

  for (guint c = 0; c < n_customers; c++)
    {
      gsize test = last[c];
      guint m, mp;
      gboolean hit = FALSE, pop_hit = FALSE;

      if (n_cust_baskets[c] < 2)
        continue;

      g_array_set_size (history, 0);
      for (gsize t = cptr[c]; t < cptr[c + 1]; t++)
        {
          gsize b = cbaskets[t];
          g_autoptr(GHashTable) seen = NULL;

          if (b == test)
            continue;
          /* an item counts once per basket */
          seen = g_hash_table_new (NULL, NULL);
          for (gsize j = basket_ptr[b]; j < basket_ptr[b + 1]; j++)
            if (g_hash_table_add (seen, GUINT_TO_POINTER (items[j] + 1)))
              g_array_append_val (history, items[j]);
        }

      m = ord_recommend_for_history (sim, (const guint *) (gpointer) history->data,
                                     history->len, exclude_history, n, recs);
      mp = ord_recommend_popular (sim, (const guint *) (gpointer) history->data,
                                  history->len, exclude_history, n, pop);

      for (gsize j = basket_ptr[test]; j < basket_ptr[test + 1]; j++)
        in_test[items[j]] = 1;
      for (guint t = 0; t < m; t++)
        hit |= in_test[recs[t].item];
      for (guint t = 0; t < mp; t++)
        pop_hit |= in_test[pop[t].item];
      for (gsize j = basket_ptr[test]; j < basket_ptr[test + 1]; j++)
        in_test[items[j]] = 0;

      result->n_customers++;
      result->hits += hit;
      result->popular_hits += pop_hit;
    }

  if (result->n_customers > 0)
    {
      result->hit_rate = (double) result->hits / (double) result->n_customers;
      result->popular_hit_rate = (double) result->popular_hits / (double) result->n_customers;
    }
}
