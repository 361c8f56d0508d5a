/* test-order-list-model.c: the virtual list of orders against a real store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "ord-order-list-model.h"
#include "ord-row-model.h"
#include "ui-test-util.h"

#define N_ORDERS 3000

typedef struct
{
  UiTestDb           db;
  OrdOrderListModel *model;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  ui_test_db_init (&f->db);
  ui_test_db_fill (&f->db, N_ORDERS);
  f->model = ord_order_list_model_new (f->db.store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->model);
  ui_test_db_clear (&f->db);
}

static OrdOrder *
model_item (Fixture *f,
            guint    position)
{
  return g_list_model_get_item (G_LIST_MODEL (f->model), position);
}

/* -1, 0, 1 by the value the store sorts @key by. */
static int
compare_by_key (OrdOrder   *a,
                OrdOrder   *b,
                OrdSortKey  key)
{
  switch (key)
    {
    case ORD_SORT_CREATED:
      return (ord_order_get_created_at (a) > ord_order_get_created_at (b)) -
             (ord_order_get_created_at (a) < ord_order_get_created_at (b));
    case ORD_SORT_DUE:
      return (ord_order_get_due_at (a) > ord_order_get_due_at (b)) -
             (ord_order_get_due_at (a) < ord_order_get_due_at (b));
    case ORD_SORT_TOTAL:
      return (ord_order_get_total (a) > ord_order_get_total (b)) -
             (ord_order_get_total (a) < ord_order_get_total (b));
    case ORD_SORT_NUMBER:
      {
        int c = strcmp (ord_order_get_number (a), ord_order_get_number (b));
        return (c > 0) - (c < 0);
      }
    case ORD_SORT_CUSTOMER:
      {
        int c = g_ascii_strcasecmp (ord_order_get_customer_name (a),
                                    ord_order_get_customer_name (b));
        return (c > 0) - (c < 0);
      }
    case ORD_SORT_ITEMS:
      return (ord_order_get_item_count (a) > ord_order_get_item_count (b)) -
             (ord_order_get_item_count (a) < ord_order_get_item_count (b));
    default:
      g_assert_not_reached ();
    }
}

static void
test_count (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(OrdOrder) beyond = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ORDERS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (f->model)) == ORD_TYPE_ORDER);
  beyond = model_item (f, N_ORDERS);
  g_assert_null (beyond);
}

/* The model's row @position is the store's for the model's query. */
static void
assert_item_is_store_row (Fixture *f,
                          guint    position)
{
  g_autoptr(OrdOrder) order = model_item (f, position);
  g_autoptr(GPtrArray) expected = NULL;
  g_autoptr(GError) error = NULL;
  OrdOrderQuery query;

  ord_order_list_model_get_query (f->model, &query);
  expected = ord_store_query_orders_at (f->db.store, &query, position, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (expected->len, ==, 1);
  g_assert_nonnull (order);
  g_assert_cmpstr (ord_order_get_id (order), ==,
                   ord_order_get_id (g_ptr_array_index (expected, 0)));
}

/* Every sort, both ways: walking the list gives each order exactly once,
 * in the order of the key; random positions are what the store's own
 * random access returns. */
static void
test_sorts (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (OrdSortKey key = 0; key < ORD_N_SORT_KEYS; key++)
    for (int descending = 0; descending <= 1; descending++)
      {
        g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
        g_autoptr(OrdOrder) previous = NULL;

        ord_order_list_model_set_sort (f->model, key, descending);
        g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ORDERS);

        for (guint i = 0; i < N_ORDERS; i++)
          {
            g_autoptr(OrdOrder) order = model_item (f, i);

            g_assert_nonnull (order);
            g_assert_true (g_hash_table_add (seen, g_strdup (ord_order_get_id (order))));
            if (previous != NULL)
              {
                int c = compare_by_key (previous, order, key);

                g_assert_cmpint (descending ? -c : c, <=, 0);
              }
            g_set_object (&previous, order);
          }
        g_assert_cmpuint (g_hash_table_size (seen), ==, N_ORDERS);

        for (guint k = 0; k < 40; k++)
          {
            static const guint edges[] = { 0, 199, 200, N_ORDERS / 2, N_ORDERS - 1 };

            assert_item_is_store_row (f, k < G_N_ELEMENTS (edges)
                                           ? edges[k]
                                           : (guint) g_rand_int_range (rand, 0, N_ORDERS));
          }
      }
}

/* The same position asked twice, while its page is cached, is the same
 * object: rows do not flicker as the view rebinds them. */
static void
test_item_identity (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OrdOrder) a = model_item (f, 5);
  g_autoptr(OrdOrder) b = model_item (f, 5);

  g_assert_true (a == b);
}

typedef struct
{
  gboolean changed;
  gint64   growth;       /* added − removed, over every signal */
  guint    widest;       /* most rows one signal both removed and added */
  guint    most_removed; /* most rows one signal removed */
} ItemsChanged;

static void
on_items_changed (GListModel   *model,
                  guint         position,
                  guint         removed,
                  guint         added,
                  ItemsChanged *record)
{
  /* What the signal announces is what the model shows now. */
  g_assert_cmpuint (position + added, <=, g_list_model_get_n_items (model));

  record->changed = TRUE;
  record->growth += (gint64) added - removed;
  record->most_removed = MAX (record->most_removed, removed);
  if (removed > 0 && added > 0)
    record->widest = MAX (record->widest, MIN (removed, added));
}

static void
test_store_changes (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(OrdOrder) first = NULL;
  g_autoptr(GError) error = NULL;
  ItemsChanged record = { 0 };

  ord_order_list_model_set_sort (f->model, ORD_SORT_CREATED, TRUE);
  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), &record);

  ord_customer_set_name (customer, "Hedy Lamarr");
  ord_store_save_customer (f->db.store, customer, &error);
  g_assert_no_error (error);
  /* The customer alone changes no order; the list may refresh anyway. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  record.changed = FALSE;

  /* Newer than every filled order: it comes first, newest first. */
  ord_order_set_customer_id (order, ord_customer_get_id (customer));
  ord_order_set_currency (order, "EUR");
  ord_order_set_created_at (order, g_get_real_time ());
  ord_order_item_set_name (item, "Birthday cake");
  ord_order_item_set_unit_price (item, 3200);
  ord_order_item_set_quantity (item, 1);
  ord_order_add_item (order, item);
  ord_store_create_order (f->db.store, order, &error);
  g_assert_no_error (error);

  ui_test_wait_for (&record.changed, 5000);
  g_assert_cmpint (record.growth, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ORDERS + 1);
  first = model_item (f, 0);
  g_assert_cmpstr (ord_order_get_id (first), ==, ord_order_get_id (order));
  /* A new row does not start the list over (a view keeps its place): only
   * the page given out is replaced. */
  g_assert_cmpuint (record.most_removed, <=, ORD_ORDER_LIST_MODEL_PAGE_SIZE);

  g_signal_handlers_disconnect_by_func (f->model, on_items_changed, &record);
}

/* GTK 4.8 list views look up every added item when one signal removes
 * and adds over a row they track: with a million orders that is a million
 * lookups. No signal may replace more than a page in place. */
static void
test_replacement_signals (Fixture       *f,
                          gconstpointer  data)
{
  ItemsChanged record = { 0 };
  g_autoptr(OrdOrder) a = NULL;
  g_autoptr(OrdOrder) b = NULL;
  g_autoptr(OrdOrder) c = NULL;
  g_autoptr(OrdOrder) again = NULL;

  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), &record);

  /* A new query starts over. */
  ord_order_list_model_set_sort (f->model, ORD_SORT_TOTAL, FALSE);
  ord_order_list_model_set_text (f->model, "zebedee");
  ord_order_list_model_set_text (f->model, NULL);
  ord_order_list_model_set_status_mask (f->model, 1u << ORD_STATUS_SHIPPED);
  ord_order_list_model_set_status_mask (f->model, 0);
  g_assert_cmpuint (record.widest, ==, 0);
  g_assert_cmpint (record.growth, ==, 0);

  /* The same query on changed data replaces the pages it gave out, and
   * only those. */
  a = model_item (f, 3);
  b = model_item (f, 1450);
  c = model_item (f, N_ORDERS - 1);
  record = (ItemsChanged) { 0 };
  ord_order_list_model_refresh (f->model);
  g_assert_true (record.changed);
  g_assert_cmpint (record.growth, ==, 0);
  g_assert_cmpuint (record.widest, ==, ORD_ORDER_LIST_MODEL_PAGE_SIZE);

  /* The rows are the store's again, in the objects given out before: a
   * selection, which follows objects, stays. */
  again = model_item (f, 1450);
  g_assert_true (again == b);
  g_assert_cmpstr (ord_order_get_id (again), ==, ord_order_get_id (b));

  g_signal_handlers_disconnect_by_func (f->model, on_items_changed, &record);
}

static void
test_search_and_status (Fixture       *f,
                        gconstpointer  data)
{
  guint n_open = f->db.per_status[ORD_STATUS_PENDING] + f->db.per_status[ORD_STATUS_CONFIRMED];
  guint n;

  g_assert_cmpuint (f->db.n_rare, >, 0);

  /* A part of a word finds the rare customer's orders and nothing else. */
  ord_order_list_model_set_text (f->model, "  zebed ");
  g_assert_cmpstr (ord_order_list_model_get_text (f->model), ==, "zebed");
  n = g_list_model_get_n_items (G_LIST_MODEL (f->model));
  g_assert_cmpuint (n, ==, f->db.n_rare);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrder) order = model_item (f, i);

      g_assert_cmpstr (ord_order_get_customer_name (order), ==, UI_TEST_RARE_CUSTOMER);
    }

  ord_order_list_model_set_text (f->model, "no such words anywhere");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, 0);

  ord_order_list_model_set_text (f->model, "   ");
  g_assert_null (ord_order_list_model_get_text (f->model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ORDERS);

  ord_order_list_model_set_status_mask (f->model, (1u << ORD_STATUS_PENDING) |
                                                  (1u << ORD_STATUS_CONFIRMED));
  n = g_list_model_get_n_items (G_LIST_MODEL (f->model));
  g_assert_cmpuint (n, ==, n_open);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrder) order = model_item (f, i);
      OrdStatus status = ord_order_get_status (order);

      g_assert_true (status == ORD_STATUS_PENDING || status == ORD_STATUS_CONFIRMED);
    }

  /* Several statuses sorted by text, deep in the list too (which the model
   * reads from the other end). */
  ord_order_list_model_set_sort (f->model, ORD_SORT_CUSTOMER, FALSE);
  for (guint i = 0; i < n; i += 7)
    assert_item_is_store_row (f, i);
  assert_item_is_store_row (f, n - 1);
}

/* Changed since a moment: the orders whose updated-at is that recent,
 * however long before it they were made, in the order of the sort, here
 * counted from every order independently. */
static void
test_updated_from (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GHashTable) expected = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  OrdOrderQuery oldest_shipped = { .status_mask = 1u << ORD_STATUS_SHIPPED,
                                   .sort = ORD_SORT_CREATED };
  OrdOrderQuery everything = { .sort = ORD_SORT_CREATED };
  /* 2024-07-01: the filled orders span 2024, each changed an hour after
   * it was made. */
  const gint64 from = G_GINT64_CONSTANT (1719792000) * G_USEC_PER_SEC;
  guint n_made_long_before = 0;
  guint n_delivered;
  guint n;

  /* The five oldest shipped orders, made in January, are delivered that day. */
  old = ord_store_query_orders (f->db.store, &oldest_shipped, NULL, 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (old->len, ==, 5);
  ord_store_set_now (f->db.store, from + 10 * G_TIME_SPAN_HOUR);
  for (guint i = 0; i < old->len; i++)
    {
      ord_store_set_status (f->db.store, ord_order_get_id (g_ptr_array_index (old, i)),
                            ORD_STATUS_SHIPPED, ORD_STATUS_DELIVERED, NULL, &error);
      g_assert_no_error (error);
    }
  ord_store_set_now (f->db.store, 0);

  all = ord_store_query_orders (f->db.store, &everything, NULL, N_ORDERS + 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (all->len, ==, N_ORDERS);
  for (guint i = 0; i < all->len; i++)
    {
      OrdOrder *order = g_ptr_array_index (all, i);

      if (ord_order_get_updated_at (order) >= from &&
          ord_order_get_status (order) == ORD_STATUS_DELIVERED)
        {
          g_hash_table_add (expected, g_strdup (ord_order_get_id (order)));
          if (ord_order_get_created_at (order) < from - 60 * G_TIME_SPAN_DAY)
            n_made_long_before++;
        }
    }
  g_assert_cmpuint (n_made_long_before, ==, old->len);
  g_assert_cmpuint (g_hash_table_size (expected), >, n_made_long_before);

  ord_order_list_model_set_status_mask (f->model, 1u << ORD_STATUS_DELIVERED);
  ord_order_list_model_set_sort (f->model, ORD_SORT_TOTAL, TRUE);
  ord_order_list_model_set_updated_from (f->model, from);
  g_assert_cmpint (ord_order_list_model_get_updated_from (f->model), ==, from);
  n = g_list_model_get_n_items (G_LIST_MODEL (f->model));
  g_assert_cmpuint (n, ==, g_hash_table_size (expected));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrder) order = model_item (f, i);

      g_assert_true (g_hash_table_remove (expected, ord_order_get_id (order)));
      if (i > 0)
        {
          g_autoptr(OrdOrder) previous = model_item (f, i - 1);

          g_assert_cmpint (ord_order_get_total (previous), >=, ord_order_get_total (order));
        }
    }
  g_assert_cmpuint (g_hash_table_size (expected), ==, 0);

  /* Grouped by status too, as the dashboard shows it. */
  ord_order_list_model_set_sort_full (f->model, TRUE, ORD_SORT_CREATED, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, n);

  /* Back to every delivered order. */
  n_delivered = f->db.per_status[ORD_STATUS_DELIVERED] + old->len;
  ord_order_list_model_set_updated_from (f->model, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, n_delivered);
}

/* Grouped by status: each status in turn, newest first within each. */
static void
test_by_status (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(OrdOrder) previous = NULL;
  guint in_status[ORD_N_STATUSES] = { 0 };

  ord_order_list_model_set_sort_full (f->model, TRUE, ORD_SORT_CREATED, TRUE);
  g_assert_true (ord_order_list_model_get_by_status (f->model));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ORDERS);

  for (guint i = 0; i < N_ORDERS; i++)
    {
      g_autoptr(OrdOrder) order = model_item (f, i);

      in_status[ord_order_get_status (order)]++;
      if (previous != NULL)
        {
          /* Descending: cancelled first, pending last. */
          g_assert_cmpint (ord_order_get_status (previous), >=, ord_order_get_status (order));
          if (ord_order_get_status (previous) == ord_order_get_status (order))
            g_assert_cmpint (ord_order_get_created_at (previous), >=,
                             ord_order_get_created_at (order));
        }
      g_set_object (&previous, order);
    }
  for (guint s = 0; s < ORD_N_STATUSES; s++)
    g_assert_cmpuint (in_status[s], ==, f->db.per_status[s]);

  /* A plain sort stops grouping. */
  ord_order_list_model_set_sort (f->model, ORD_SORT_CREATED, TRUE);
  g_assert_false (ord_order_list_model_get_by_status (f->model));
}

static void
wait_for_anchors (Fixture *f)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (!ord_order_list_model_has_anchors (f->model) && g_get_monotonic_time () < deadline)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
  g_assert_true (ord_order_list_model_has_anchors (f->model));
}

/* Deep rows read from anchors are the store's rows; a change of the
 * store drops the anchors (a new first row moves every row down one) and
 * the rows stay right, before and after the anchors are built again. */
static void
test_anchors (Fixture       *f,
              gconstpointer  data)
{
  static const guint edges[] = { 0, 799, 800, 801, 1023, 1024, N_ORDERS / 2, N_ORDERS - 1 };
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(OrdOrder) first = NULL;
  g_autoptr(GError) error = NULL;
  ItemsChanged record = { 0 };

  ord_order_list_model_set_sort (f->model, ORD_SORT_CREATED, TRUE);
  g_assert_false (ord_order_list_model_has_anchors (f->model));

  /* A read at the end starts the build; the read itself does not wait. */
  g_clear_object (&first);
  first = model_item (f, N_ORDERS - 1);
  g_assert_nonnull (first);
  wait_for_anchors (f);

  for (guint k = 0; k < 60; k++)
    {
      /* Rows dropped: each read comes from the store again. */
      if (k % 10 == 0)
        ord_order_list_model_refresh (f->model);
      if (k % 10 == 1)
        {
          g_clear_object (&first);
          first = model_item (f, N_ORDERS - 1);
          wait_for_anchors (f);
        }
      assert_item_is_store_row (f, k < G_N_ELEMENTS (edges)
                                     ? edges[k]
                                     : (guint) g_rand_int_range (rand, 0, N_ORDERS));
    }
  g_assert_true (ord_order_list_model_has_anchors (f->model));

  /* A new order, the newest: every row moves down one. */
  g_signal_connect (f->model, "items-changed", G_CALLBACK (on_items_changed), &record);
  ord_customer_set_name (customer, "Aaron Aardvark");
  ord_store_save_customer (f->db.store, customer, &error);
  g_assert_no_error (error);
  ord_order_set_customer_id (order, ord_customer_get_id (customer));
  ord_order_set_currency (order, "EUR");
  ord_order_set_created_at (order, g_get_real_time ());
  ord_order_item_set_name (item, "Anchovies");
  ord_order_item_set_unit_price (item, 700);
  ord_order_item_set_quantity (item, 1);
  ord_order_add_item (order, item);
  ord_store_create_order (f->db.store, order, &error);
  g_assert_no_error (error);
  g_assert_false (ord_order_list_model_has_anchors (f->model));

  ui_test_wait_for (&record.changed, 5000);
  g_signal_handlers_disconnect_by_func (f->model, on_items_changed, &record);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (f->model)), ==, N_ORDERS + 1);
  g_clear_object (&first);
  first = model_item (f, 0);
  g_assert_cmpstr (ord_order_get_id (first), ==, ord_order_get_id (order));

  /* Without anchors, then with new ones. */
  for (guint pass = 0; pass < 2; pass++)
    {
      if (pass == 1)
        {
          g_clear_object (&first);
          first = model_item (f, N_ORDERS);
          wait_for_anchors (f);
        }
      for (guint k = 0; k < 30; k++)
        {
          if (k % 10 == 0)
            ord_order_list_model_refresh (f->model);
          if (pass == 1 && k % 10 == 1)
            {
              g_clear_object (&first);
              first = model_item (f, N_ORDERS);
              wait_for_anchors (f);
            }
          assert_item_is_store_row (f, k < G_N_ELEMENTS (edges)
                                         ? edges[k] + 1
                                         : (guint) g_rand_int_range (rand, 0, N_ORDERS + 1));
        }
    }
}

static void
count_signal (guint *n)
{
  (*n)++;
}

/* The view's rows: a query that turned out the same leaves them alone; a
 * new one gives the rows given out the new query's first orders. */
static void
test_rows_same_query (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GtkWidget) view = NULL;
  g_autoptr(OrdRowModel) rows = NULL;
  g_autoptr(OrdRow) first = NULL;
  g_autoptr(OrdOrder) expected = NULL;
  guint signals = 0;

  if (!gtk_init_check ())
    {
      g_test_skip ("no display: run the UI tests under xvfb-run");
      return;
    }
  view = g_object_ref_sink (gtk_label_new (NULL));
  rows = ord_row_model_new (G_LIST_MODEL (f->model), view, 20);
  g_signal_connect_swapped (rows, "items-changed", G_CALLBACK (count_signal), &signals);
  /* Not shown yet: a screenful. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (rows)), ==, 20);
  first = g_list_model_get_item (G_LIST_MODEL (rows), 0);

  ord_row_model_begin_query (rows);
  ord_order_list_model_set_sort (f->model, ord_order_list_model_get_sort (f->model),
                                 ord_order_list_model_get_descending (f->model));
  ord_order_list_model_set_text (f->model, NULL);
  ord_row_model_end_query (rows);
  g_assert_cmpuint (signals, ==, 0);

  ord_row_model_begin_query (rows);
  ord_order_list_model_set_sort (f->model, ORD_SORT_TOTAL, TRUE);
  ord_row_model_end_query (rows);
  g_assert_cmpuint (signals, >, 0);
  expected = model_item (f, 0);
  g_assert_true (ord_row_get_order (first) == expected);
  {
    g_autoptr(OrdRow) again = g_list_model_get_item (G_LIST_MODEL (rows), 0);

    g_assert_true (again == first);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/order-list-model/count", Fixture, NULL,
              fixture_set_up, test_count, fixture_tear_down);
  g_test_add ("/order-list-model/sorts", Fixture, NULL,
              fixture_set_up, test_sorts, fixture_tear_down);
  g_test_add ("/order-list-model/item-identity", Fixture, NULL,
              fixture_set_up, test_item_identity, fixture_tear_down);
  g_test_add ("/order-list-model/store-changes", Fixture, NULL,
              fixture_set_up, test_store_changes, fixture_tear_down);
  g_test_add ("/order-list-model/replacement-signals", Fixture, NULL,
              fixture_set_up, test_replacement_signals, fixture_tear_down);
  g_test_add ("/order-list-model/updated-from", Fixture, NULL,
              fixture_set_up, test_updated_from, fixture_tear_down);
  g_test_add ("/order-list-model/by-status", Fixture, NULL,
              fixture_set_up, test_by_status, fixture_tear_down);
  g_test_add ("/order-list-model/search-and-status", Fixture, NULL,
              fixture_set_up, test_search_and_status, fixture_tear_down);
  g_test_add ("/order-list-model/anchors", Fixture, NULL,
              fixture_set_up, test_anchors, fixture_tear_down);
  g_test_add ("/order-list-model/rows-same-query", Fixture, NULL,
              fixture_set_up, test_rows_same_query, fixture_tear_down);

  return g_test_run ();
}
