/* test-recommend.c: item–item cosine similarity and "also ordered"
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ord-recommend.h"

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

/* The five baskets of the fixture (see make-ml-fixtures.py):
 *   b0 {0,1,2}  b1 {0,1}  b2 {1,3}  b3 {0,2,4}  b4 {3}
 * plus a repeated item in b3, which must count once. */
static const gsize tiny_ptr[] = { 0, 3, 5, 7, 11, 12 };
static const guint tiny_items[] = { 0, 1, 2, 0, 1, 1, 3, 0, 2, 4, 2, 3 };

static void
test_cosine (void)
{
  g_autoptr(GKeyFile) kf = load_fixture ("recommend.ini");
  g_autoptr(OrdItemSimilarity) s = NULL;
  g_autofree double *cos = NULL;
  gsize len = 0;

  cos = g_key_file_get_double_list (kf, "tiny", "cosine", &len, NULL);
  g_assert_cmpuint (len, ==, 25);

  s = ord_item_similarity_new (tiny_ptr, tiny_items, 5, 5, 0);
  g_assert_cmpuint (s->item_count[0], ==, 3);
  g_assert_cmpuint (s->item_count[2], ==, 2);
  for (guint a = 0; a < 5; a++)
    for (guint b = 0; b < 5; b++)
      g_assert_cmpfloat_with_epsilon (ord_item_similarity_get (s, a, b), cos[a * 5 + b], 1e-12);

  /* By hand: items 0 and 2 share 2 baskets, 3 and 2 baskets in all. */
  g_assert_cmpfloat_with_epsilon (ord_item_similarity_get (s, 0, 2), 2.0 / sqrt (6.0), 1e-15);
  g_assert_cmpfloat (ord_item_similarity_get (s, 3, 4), ==, 0.0);
}

static void
test_also_ordered (void)
{
  g_autoptr(OrdItemSimilarity) all = ord_item_similarity_new (tiny_ptr, tiny_items, 5, 5, 0);
  g_autoptr(OrdItemSimilarity) one = ord_item_similarity_new (tiny_ptr, tiny_items, 5, 5, 1);
  OrdRecommendation r[5];

  /* 0 → 2 (0.816), 1 (0.667), 4 (0.577) */
  g_assert_cmpuint (ord_recommend_also_ordered (all, 0, 5, r), ==, 3);
  g_assert_cmpuint (r[0].item, ==, 2);
  g_assert_cmpuint (r[1].item, ==, 1);
  g_assert_cmpuint (r[2].item, ==, 4);
  g_assert_cmpfloat (r[0].score, >, r[1].score);

  /* Only the best neighbour is kept. */
  g_assert_cmpuint (ord_recommend_also_ordered (one, 0, 5, r), ==, 1);
  g_assert_cmpuint (r[0].item, ==, 2);
  g_assert_cmpfloat (ord_item_similarity_get (one, 0, 1), ==, 0.0);

  /* Item 4 was only ever ordered with 0 and 2. */
  g_assert_cmpuint (ord_recommend_also_ordered (all, 4, 5, r), ==, 2);
  g_assert_cmpuint (r[0].item, ==, 2);  /* 1/√2 */
  g_assert_cmpuint (r[1].item, ==, 0);  /* 1/√3 */
}

static void
test_for_history (void)
{
  g_autoptr(OrdItemSimilarity) s = ord_item_similarity_new (tiny_ptr, tiny_items, 5, 5, 0);
  const guint bought_3[] = { 3 };
  const guint bought_0_twice[] = { 0, 0, 4 };
  OrdRecommendation r[5];

  /* A customer who bought item 3 is offered 1 (the only item ever ordered
   * with it), then the most popular items they do not have: 0, then 1's
   * equal 2… */
  g_assert_cmpuint (ord_recommend_for_history (s, bought_3, 1, TRUE, 3, r), ==, 3);
  g_assert_cmpuint (r[0].item, ==, 1);
  g_assert_cmpfloat_with_epsilon (r[0].score, 1.0 / sqrt (6.0), 1e-15);
  g_assert_cmpuint (r[1].item, ==, 0);
  g_assert_cmpuint (r[2].item, ==, 2);

  /* With reorders allowed, the customer's usual item comes first:
   * item 0: 2 (own count) + 1/√3 (from 4) = 2.577;
   * item 2: 2 · 2/√6 (from 0, twice) + 1/√2 (from 4) = 2.340;
   * item 4: 1 (own) + 2 · 1/√3 (from 0) = 2.155. */
  g_assert_cmpuint (ord_recommend_for_history (s, bought_0_twice, 3, FALSE, 3, r), ==, 3);
  g_assert_cmpuint (r[0].item, ==, 0);
  g_assert_cmpfloat_with_epsilon (r[0].score, 2.0 + 1.0 / sqrt (3.0), 1e-12);
  g_assert_cmpuint (r[1].item, ==, 2);
  g_assert_cmpfloat_with_epsilon (r[1].score, 4.0 / sqrt (6.0) + 1.0 / sqrt (2.0), 1e-12);
  g_assert_cmpuint (r[2].item, ==, 4);
  g_assert_cmpfloat_with_epsilon (r[2].score, 1.0 + 2.0 / sqrt (3.0), 1e-12);

  /* Excluding the history never returns an item already bought. */
  g_assert_cmpuint (ord_recommend_for_history (s, bought_0_twice, 3, TRUE, 5, r), ==, 3);
  for (guint t = 0; t < 3; t++)
    g_assert_true (r[t].item != 0 && r[t].item != 4);

  g_assert_cmpuint (ord_recommend_popular (s, NULL, 0, FALSE, 2, r), ==, 2);
  g_assert_cmpuint (r[0].item, ==, 0);
  g_assert_cmpuint (r[1].item, ==, 1);
}

/* Customers 0 and 1 each come back once; 2, 3 and 4 bought the very
 * popular item 3 once. Training: b0 c0 {0,1}, b1 c1 {0,2} and item 3;
 * held out: c0's {2}, c1's {1}. Co-occurrence points c0 (who has 0 and 1)
 * to 2 and c1 (0 and 2) to 1: two hits at 1; popularity offers item 3 to
 * both: no hit. */
static void
test_evaluate (void)
{
  const gsize ptr[] = { 0, 2, 4, 5, 6, 7, 8, 9 };
  const guint items[] = { 0, 1, 0, 2, 3, 3, 3, 2, 1 };
  const guint customer[] = { 0, 1, 2, 3, 4, 0, 1 };
  OrdHitRate hr;

  ord_recommend_evaluate (ptr, items, customer, 7, 4, 1, 0, TRUE, &hr);
  g_assert_cmpuint (hr.n_customers, ==, 2);
  g_assert_cmpuint (hr.hits, ==, 2);
  g_assert_cmpuint (hr.popular_hits, ==, 0);
  g_assert_cmpfloat (hr.hit_rate, ==, 1.0);
  g_assert_cmpfloat (hr.popular_hit_rate, ==, 0.0);

  /* Allowing reorders, each customer's own items (score 1 + 1/√2) beat the
   * new one (1/√2): no hit at 1. */
  ord_recommend_evaluate (ptr, items, customer, 7, 4, 1, 0, FALSE, &hr);
  g_assert_cmpuint (hr.n_customers, ==, 2);
  g_assert_cmpuint (hr.hits, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/recommend/cosine", test_cosine);
  g_test_add_func ("/recommend/also-ordered", test_also_ordered);
  g_test_add_func ("/recommend/for-history", test_for_history);
  g_test_add_func ("/recommend/evaluate", test_evaluate);

  return g_test_run ();
}
