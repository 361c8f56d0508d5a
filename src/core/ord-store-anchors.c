/* ord-store-anchors.c: positions deep in an order list, found without walking to them
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-store"

#include "config.h"

#include "ord-store-anchors.h"
#include "ord-store-private.h"

/*
 * A list query read at an offset (LIMIT … OFFSET n) walks n entries of the
 * sort index: on a million orders a jump to the middle of the list costs
 * a hundred milliseconds and more. Anchors remember, for every `every`-th
 * row, the keyset cursor (sort key, seq) just before it, so that a read at
 * any offset is a keyset seek to the nearest anchor below plus an OFFSET
 * of fewer than `every` rows.
 *
 * Building them walks the list once, a keyset step of `every` rows at a
 * time: each step skips every − 1 rows with OFFSET (the sort index alone,
 * the table row is not read for skipped rows) and reads the one row it
 * lands on, whose key is the next anchor. The store's lock is taken per
 * step, so other readers interleave with a build in another thread.
 *
 * Anchors describe the store as it was: after any write they may point at
 * the wrong rows, and whoever holds them drops them on the store's
 * "changed" signal.
 */

struct _OrdOrderAnchors
{
  OrdOrderQuery  query;       /* a copy, its strings owned */
  guint          every;
  guint          n_rows;      /* rows of the query when built */
  GArray        *cursors;     /* OrdOrderCursor: [k] ends right before row k × every */
};

static void
anchors_clear (gpointer data)
{
  OrdOrderAnchors *anchors = data;

  g_free ((char *) anchors->query.customer_id);
  g_free ((char *) anchors->query.text);
  g_clear_pointer (&anchors->cursors, g_array_unref);
}

static void
cursor_clear_func (gpointer data)
{
  ord_order_cursor_clear (data);
}

static OrdOrderAnchors *
ord_order_anchors_ref_boxed (OrdOrderAnchors *anchors)
{
  return ord_order_anchors_ref (anchors);
}

G_DEFINE_BOXED_TYPE (OrdOrderAnchors, ord_order_anchors, ord_order_anchors_ref_boxed,
                     ord_order_anchors_unref)

/**
 * ord_order_anchors_ref:
 * @anchors: an #OrdOrderAnchors
 *
 * Returns: (transfer full): @anchors
 */
OrdOrderAnchors *
ord_order_anchors_ref (OrdOrderAnchors *anchors)
{
  g_return_val_if_fail (anchors != NULL, NULL);

  return g_atomic_rc_box_acquire (anchors);
}

/**
 * ord_order_anchors_unref:
 * @anchors: (transfer full): an #OrdOrderAnchors
 */
void
ord_order_anchors_unref (OrdOrderAnchors *anchors)
{
  g_return_if_fail (anchors != NULL);

  g_atomic_rc_box_release_full (anchors, anchors_clear);
}

/**
 * ord_order_anchors_get_every:
 * @anchors: an #OrdOrderAnchors
 *
 * Returns: how many rows lie between two anchors
 */
guint
ord_order_anchors_get_every (const OrdOrderAnchors *anchors)
{
  g_return_val_if_fail (anchors != NULL, 0);

  return anchors->every;
}

/**
 * ord_order_anchors_get_n_rows:
 * @anchors: an #OrdOrderAnchors
 *
 * Returns: how many rows the query selected when the anchors were built
 */
guint
ord_order_anchors_get_n_rows (const OrdOrderAnchors *anchors)
{
  g_return_val_if_fail (anchors != NULL, 0);

  return anchors->n_rows;
}

static gboolean
text_equal (const char *a,
            const char *b)
{
  return g_strcmp0 (a && a[0] ? a : NULL, b && b[0] ? b : NULL) == 0;
}

/**
 * ord_order_anchors_matches:
 * @anchors: an #OrdOrderAnchors
 * @query: (nullable): a query; %NULL = all orders
 *
 * Returns: whether @anchors were built for a query that lists the same
 *   rows in the same order as @query
 */
gboolean
ord_order_anchors_matches (const OrdOrderAnchors *anchors,
                           const OrdOrderQuery   *query)
{
  static const OrdOrderQuery all = { 0 };
  const OrdOrderQuery *a;
  guint full = (1u << ORD_N_STATUSES) - 1;

  g_return_val_if_fail (anchors != NULL, FALSE);

  if (query == NULL)
    query = &all;
  a = &anchors->query;

  /* Every status is the same as no status filter. */
  return ((a->status_mask & full) % full) == ((query->status_mask & full) % full) &&
         a->sort == query->sort &&
         !a->descending == !query->descending &&
         g_strcmp0 (a->customer_id, query->customer_id) == 0 &&
         a->created_from == query->created_from &&
         a->created_to == query->created_to &&
         text_equal (a->text, query->text) &&
         !a->attention_only == !query->attention_only &&
         a->updated_from == query->updated_from;
}

static void
cursor_copy (OrdOrderCursor       *to,
             const OrdOrderCursor *from)
{
  *to = *from;
  to->skey = g_strdup (from->skey);
}

/**
 * ord_store_build_anchors:
 * @store: an #OrdStore
 * @query: (nullable): the list; %NULL = all orders (see #OrdOrderQuery)
 * @every: rows between two anchors (at least 1); a thousand keeps a
 *   million rows in a thousand anchors and a read at most a thousand
 *   index entries from one
 * @cancellable: (nullable): a #GCancellable, checked between steps
 * @error: a #GError
 *
 * Walks @query's list once and remembers where every @every-th row starts.
 * Costs about what reading the last row with ord_store_query_orders_at()
 * costs, plus one row read per anchor. May run in another thread than the
 * store's other users.
 *
 * By %ORD_SORT_CUSTOMER the anchors are right but no faster: the keyset
 * condition of that sort is not an index seek at present, so each step
 * walks from the top of the list.
 *
 * Returns: (transfer full) (nullable): the anchors, or %NULL with @error
 *   set (%G_IO_ERROR_CANCELLED when cancelled)
 */
OrdOrderAnchors *
ord_store_build_anchors (OrdStore             *store,
                         const OrdOrderQuery  *query,
                         guint                 every,
                         GCancellable         *cancellable,
                         GError              **error)
{
  static const OrdOrderQuery all = { 0 };
  OrdOrderAnchors *anchors;
  OrdOrderCursor cursor = { 0 };

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (every > 0, NULL);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (query == NULL)
    query = &all;

  anchors = g_atomic_rc_box_new0 (OrdOrderAnchors);
  anchors->query = *query;
  anchors->query.customer_id = g_strdup (query->customer_id);
  anchors->query.text = g_strdup (query->text);
  anchors->every = every;
  anchors->cursors = g_array_new (FALSE, TRUE, sizeof (OrdOrderCursor));
  g_array_set_clear_func (anchors->cursors, cursor_clear_func);

  /* The first row needs no anchor: an invalid cursor starts at the top. */
  g_array_append_val (anchors->cursors, cursor);

  for (;;)
    {
      g_autoptr(GPtrArray) row = NULL;
      OrdOrderCursor next;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        {
          ord_order_cursor_clear (&cursor);
          ord_order_anchors_unref (anchors);
          return NULL;
        }

      /* The last row before the next anchor: cursor moves onto it. */
      row = ord_store_run_list_query (store, query, &cursor, 1, every - 1, error);
      if (row == NULL)
        {
          ord_order_cursor_clear (&cursor);
          ord_order_anchors_unref (anchors);
          return NULL;
        }
      if (row->len == 0)
        break;

      cursor_copy (&next, &cursor);
      g_array_append_val (anchors->cursors, next);
    }
  ord_order_cursor_clear (&cursor);

  /* The last anchor may be exactly at the end; the rows after the last
   * one are counted by reading from it. */
  {
    OrdOrderCursor from;
    g_autoptr(GPtrArray) tail = NULL;

    cursor_copy (&from, &g_array_index (anchors->cursors, OrdOrderCursor,
                                        anchors->cursors->len - 1));
    tail = ord_store_run_list_query (store, query, &from, every, 0, error);
    ord_order_cursor_clear (&from);
    if (tail == NULL)
      {
        ord_order_anchors_unref (anchors);
        return NULL;
      }
    anchors->n_rows = (anchors->cursors->len - 1) * every + tail->len;
  }

  return anchors;
}

/**
 * ord_store_query_orders_near:
 * @store: an #OrdStore
 * @query: (nullable): the list; the one @anchors were built for
 * @anchors: anchors of @query, built on the store as it is now
 * @offset: the first row
 * @limit: the most rows
 * @error: a #GError
 *
 * What ord_store_query_orders_at() returns, read from the nearest anchor:
 * a keyset seek and fewer than ord_order_anchors_get_every() rows skipped,
 * however deep @offset is.
 *
 * Returns: (transfer container) (element-type OrdOrder): orders without
 *   their items
 */
GPtrArray *
ord_store_query_orders_near (OrdStore              *store,
                             const OrdOrderQuery   *query,
                             const OrdOrderAnchors *anchors,
                             guint                  offset,
                             guint                  limit,
                             GError               **error)
{
  const OrdOrderCursor *anchor;
  OrdOrderCursor cursor;
  GPtrArray *orders;
  guint k;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (anchors != NULL, NULL);
  g_return_val_if_fail (ord_order_anchors_matches (anchors, query), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  k = MIN (offset / anchors->every, anchors->cursors->len - 1);
  anchor = &g_array_index (anchors->cursors, OrdOrderCursor, k);

  /* The page moves a copy: the anchors stay as they are. */
  cursor_copy (&cursor, anchor);
  orders = ord_store_run_list_query (store, query, &cursor, limit,
                                     offset - k * anchors->every, error);
  ord_order_cursor_clear (&cursor);

  return orders;
}
