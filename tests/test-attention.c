/* test-attention.c: orders whose change the server held or rejected are
 * found, counted, explained and dismissed
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ord-core.h"
#include "ord-store-private.h"
#include "ord-store-sync.h"

typedef struct
{
  char     *dir;
  char     *path;
  OrdStore *store;
  char     *ids[3];      /* orders A, B, C */
  guint     changed;     /* "changed" emissions for an order */
} Fixture;

static void
on_changed (OrdStore   *store,
            const char *entity,
            const char *id,
            Fixture    *f)
{
  if (g_strcmp0 (entity, "order") == 0)
    f->changed++;
}

static char *
add_order (Fixture     *f,
           const char  *customer_id,
           const char  *notes,
           gint64       created_at)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(OrdOrder) order = ord_order_new ();

  ord_order_set_customer_id (order, customer_id);
  ord_order_set_currency (order, "EUR");
  ord_order_set_notes (order, notes);
  ord_order_set_created_at (order, created_at);
  ord_order_item_set_name (item, "Sourdough");
  ord_order_item_set_unit_price (item, 450);
  ord_order_item_set_quantity (item, 2);
  ord_order_add_item (order, item);
  ord_store_create_order (f->store, order, &error);
  g_assert_no_error (error);

  return g_strdup (ord_order_get_id (order));
}

static void
edit_notes (Fixture    *f,
            const char *id,
            const char *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) order = ord_store_get_order (f->store, id, &error);

  g_assert_no_error (error);
  ord_order_set_notes (order, notes);
  ord_store_edit_order (f->store, order, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdCustomer) customer = ord_customer_new ();

  f->dir = g_dir_make_tmp ("orderly-attention-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "orders.db", NULL);
  f->store = ord_store_new (f->path, &error);
  g_assert_no_error (error);

  ord_customer_set_name (customer, "Ada Lovelace");
  ord_store_save_customer (f->store, customer, &error);
  g_assert_no_error (error);

  f->ids[0] = add_order (f, ord_customer_get_id (customer), "rye, sliced", 1000);
  f->ids[1] = add_order (f, ord_customer_get_id (customer), "croissants", 2000);
  f->ids[2] = add_order (f, ord_customer_get_id (customer), "baguette", 3000);

  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_assert_finalize_object (f->store);
  for (guint i = 0; i < G_N_ELEMENTS (f->ids); i++)
    g_free (f->ids[i]);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

/* What a server answers to every outbox row: the creates applied, the edit
 * of A rejected, the edit of B held. */
static void
push_and_judge (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = ord_store_sync_read_outbox (f->store, 0, 100, &error);
  g_autofree OrdSyncAck *acks = NULL;

  g_assert_no_error (error);
  acks = g_new0 (OrdSyncAck, rows->len);
  for (guint i = 0; i < rows->len; i++)
    {
      OrdOutboxRow *row = g_ptr_array_index (rows, i);

      acks[i].mutation_id = row->mutation_id;
      acks[i].outcome = ORD_SYNC_APPLIED;
      if (strcmp (row->name, "edit_order") == 0 && strcmp (row->entity_id, f->ids[0]) == 0)
        {
          acks[i].outcome = ORD_SYNC_REJECTED;
          acks[i].code = "order_locked";
          acks[i].message = "The order has shipped: it can no longer be changed";
        }
      else if (strcmp (row->name, "edit_order") == 0 && strcmp (row->entity_id, f->ids[1]) == 0)
        {
          acks[i].outcome = ORD_SYNC_HELD;
          acks[i].code = NULL;
          acks[i].message = "The shop confirmed the order: the change waits for its approval";
        }
    }

  ord_store_sync_apply_acks (f->store, acks, rows->len, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_count_outbox (f->store), ==, 0);
}

static GPtrArray *
attention_orders (Fixture    *f,
                  const char *text)
{
  g_autoptr(GError) error = NULL;
  OrdOrderQuery q = { 0 };
  GPtrArray *rows;

  q.attention_only = TRUE;
  q.sort = ORD_SORT_CREATED;
  q.descending = TRUE;
  q.text = text;
  rows = ord_store_query_orders (f->store, &q, NULL, 50, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, rows->len);
  g_assert_no_error (error);

  return rows;
}

static void
test_marked (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(OrdOrderEvent) rejected = NULL;
  g_autoptr(OrdOrderEvent) held = NULL;
  g_autoptr(OrdOrderEvent) none = NULL;
  g_autoptr(JsonNode) details = NULL;
  JsonObject *draft;

  /* Nothing needs attention before the server has judged anything. */
  g_assert_cmpint (ord_store_count_attention (f->store, &error), ==, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = attention_orders (f, NULL);
  g_assert_cmpuint (rows->len, ==, 0);

  edit_notes (f, f->ids[0], "rye, unsliced please");
  edit_notes (f, f->ids[1], "croissants and a baguette");
  f->changed = 0;
  push_and_judge (f);
  g_assert_cmpuint (f->changed, >=, 1);

  /* A and B need attention, newest first; C does not. */
  g_assert_cmpint (ord_store_count_attention (f->store, &error), ==, 2);
  g_assert_no_error (error);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = attention_orders (f, NULL);
  g_assert_cmpuint (rows->len, ==, 2);
  g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (rows, 0)), ==, f->ids[1]);
  g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (rows, 1)), ==, f->ids[0]);

  /* Combined with the other filters: a status, a search, a date range. */
  {
    OrdOrderQuery q = { 0 };

    q.attention_only = TRUE;
    q.status_mask = 1u << ORD_STATUS_PENDING;
    g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 2);
    q.status_mask = (1u << ORD_STATUS_CONFIRMED) | (1u << ORD_STATUS_SHIPPED);
    g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 0);
    q.status_mask = 0;
    q.created_from = 1500;
    g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 1);
    g_assert_no_error (error);
  }
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = attention_orders (f, "rye");
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (rows, 0)), ==, f->ids[0]);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = attention_orders (f, "baguette");  /* C's notes, B's edit */
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (rows, 0)), ==, f->ids[1]);

  /* Many matches walk the sort index instead: the same answer. */
  ord_store_set_search_threshold (f->store, 0);
  g_clear_pointer (&rows, g_ptr_array_unref);
  rows = attention_orders (f, "sourdough");
  g_assert_cmpuint (rows->len, ==, 2);

  /* Why, in words, with the user's change kept. */
  rejected = ord_store_get_attention (f->store, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_nonnull (rejected);
  g_assert_cmpint (ord_order_event_get_kind (rejected), ==, ORD_EVENT_SYNC_REJECTED);
  g_assert_cmpstr (ord_order_event_get_reason (rejected), ==,
                   "The order has shipped: it can no longer be changed");
  details = json_from_string (ord_order_event_get_details (rejected), &error);
  g_assert_no_error (error);
  draft = json_object_get_object_member (json_node_get_object (details), "draft");
  g_assert_nonnull (draft);
  g_assert_nonnull (strstr (ord_order_event_get_details (rejected), "rye, unsliced please"));

  held = ord_store_get_attention (f->store, f->ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_order_event_get_kind (held), ==, ORD_EVENT_SYNC_HELD);

  none = ord_store_get_attention (f->store, f->ids[2], &error);
  g_assert_no_error (error);
  g_assert_null (none);
}

static void
test_resolved (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(OrdOrderEvent) gone = NULL;
  gboolean has_rejected = FALSE;

  edit_notes (f, f->ids[0], "rye, unsliced please");
  edit_notes (f, f->ids[1], "croissants and a baguette");
  push_and_judge (f);
  g_assert_cmpint (ord_store_count_attention (f->store, &error), ==, 2);

  /* Editing A again supersedes the rejected change. */
  edit_notes (f, f->ids[0], "rye, sliced after all");
  g_assert_cmpint (ord_store_count_attention (f->store, &error), ==, 1);
  gone = ord_store_get_attention (f->store, f->ids[0], &error);
  g_assert_no_error (error);
  g_assert_null (gone);
  /* The timeline still tells what happened. */
  events = ord_store_get_events (f->store, f->ids[0], &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    if (ord_order_event_get_kind (g_ptr_array_index (events, i)) == ORD_EVENT_SYNC_REJECTED)
      has_rejected = TRUE;
  g_assert_true (has_rejected);

  /* Dismissing B: the dashboard hears of it. */
  f->changed = 0;
  ord_store_clear_attention (f->store, f->ids[1], &error);
  g_assert_no_error (error);
  g_assert_cmpuint (f->changed, ==, 1);
  g_assert_cmpint (ord_store_count_attention (f->store, &error), ==, 0);

  /* Dismissing what needs no attention changes nothing and says nothing. */
  f->changed = 0;
  g_assert_true (ord_store_clear_attention (f->store, f->ids[2], &error));
  g_assert_true (ord_store_clear_attention (f->store, "no-such-order", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (f->changed, ==, 0);

  /* It stays resolved across a reopen. */
  g_assert_finalize_object (f->store);
  f->store = ord_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_count_attention (f->store, &error), ==, 0);
}

/* The filter stays fast with many orders because it starts from the few
 * that need attention, whatever the status and sort: the plan of the query
 * the store really runs says so. */
static int
trace_cb (unsigned  type,
          void     *data,
          void     *p,
          void     *x)
{
  GPtrArray *sqls = data;
  char *sql = sqlite3_expanded_sql (p);

  if (sql != NULL && strstr (sql, "FROM orders o") != NULL)
    g_ptr_array_add (sqls, g_strdup (sql));
  sqlite3_free (sql);

  return 0;
}

static void
test_plan (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GPtrArray) sqls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = ord_store_get_db (f->store);
  OrdOrderQuery q = { 0 };

  q.attention_only = TRUE;
  q.sort = ORD_SORT_DUE;
  q.descending = TRUE;
  sqlite3_trace_v2 (db, SQLITE_TRACE_STMT, trace_cb, sqls);
  for (guint mask = 0; mask < 3; mask++)
    {
      /* every status, one, two */
      q.status_mask = mask == 0 ? 0 : mask == 1 ? 1u << ORD_STATUS_PENDING
                                                : (1u << ORD_STATUS_PENDING) |
                                                  (1u << ORD_STATUS_SHIPPED);
      g_clear_pointer (&rows, g_ptr_array_unref);
      rows = ord_store_query_orders (f->store, &q, NULL, 50, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 0);
      g_assert_no_error (error);
    }
  sqlite3_trace_v2 (db, 0, NULL, NULL);
  g_assert_cmpuint (sqls->len, ==, 6);

  for (guint i = 0; i < sqls->len; i++)
    {
      g_autofree char *explain = g_strconcat ("EXPLAIN QUERY PLAN ",
                                              (char *) g_ptr_array_index (sqls, i), NULL);
      g_autoptr(GString) plan = g_string_new (NULL);
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, explain, -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        g_string_append_printf (plan, "%s\n", sqlite3_column_text (stmt, 3));
      sqlite3_finalize (stmt);
      g_test_message ("%s\n%s", (char *) g_ptr_array_index (sqls, i), plan->str);
      g_assert_nonnull (strstr (plan->str, "orders_attention"));
      g_assert_null (strstr (plan->str, "orders_status_"));
      g_assert_null (strstr (plan->str, "orders_sort_"));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/attention/marked", Fixture, NULL, fixture_set_up, test_marked,
              fixture_tear_down);
  g_test_add ("/attention/resolved", Fixture, NULL, fixture_set_up, test_resolved,
              fixture_tear_down);
  g_test_add ("/attention/plan", Fixture, NULL, fixture_set_up, test_plan, fixture_tear_down);

  return g_test_run ();
}
