/* test-migrations.c: the schema from an empty file and from every older
 * version, and files Orderly must refuse
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ord-core.h"
#include "ord-store-private.h"

static char *
temp_db (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("orderly-migrate-XXXXXX", &error);

  g_assert_no_error (error);
  return g_build_filename (dir, name, NULL);
}

static void
remove_db (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_autofree char *dir = g_path_get_dirname (path);

  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
}

static gint64
scalar (sqlite3    *db,
        const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 v = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return v;
}

static void
test_from_empty (void)
{
  g_autofree char *path = temp_db ("empty.db");
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  store = ord_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_get_schema_version (store), ==, ORD_SCHEMA_VERSION);
  g_assert_cmpint (ORD_SCHEMA_VERSION, ==, ord_store_n_migrations);

  db = ord_store_get_db (store);
  g_assert_cmpint (scalar (db, "PRAGMA foreign_keys"), ==, 1);
  {
    sqlite3_stmt *stmt = NULL;
    sqlite3_prepare_v2 (db, "PRAGMA journal_mode", -1, &stmt, NULL);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "wal");
    sqlite3_finalize (stmt);
  }
  g_assert_cmpint (scalar (db, "PRAGMA synchronous"), ==, 1); /* NORMAL */
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM status_counts"), ==, ORD_N_STATUSES);
  /* Schema 5: "Needs attention" has its column, partial index and trigger. */
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM pragma_table_info ('orders')"
                               " WHERE name = 'attention'"), ==, 1);
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM sqlite_master WHERE type = 'index'"
                               " AND name = 'orders_attention'"), ==, 1);
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
                               " AND name = 'orders_attention_edited'"), ==, 1);
  /* Schema 7: held amendments on the client, decisions on the server. */
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                               " AND name IN ('held_amendments', 'held_decisions')"), ==, 2);
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM pragma_table_info ('held_amendments')"
                               " WHERE name IN ('noted', 'decision')"), ==, 2);

  g_clear_object (&store);

  /* Opening again migrates nothing and keeps the version. */
  store = ord_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_get_schema_version (store), ==, ORD_SCHEMA_VERSION);
  g_clear_object (&store);

  /* The server's store is synchronous = FULL. */
  store = ord_store_new_full (path, ORD_STORE_FLAGS_SYNC_FULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalar (ord_store_get_db (store), "PRAGMA synchronous"), ==, 2);
  g_clear_object (&store);

  remove_db (path);
}

/* Rows written by schema @version, with raw SQL as that version had it. */
static void
fill_old_version (sqlite3 *db,
                  int      version)
{
  g_assert_cmpint (version, >=, 1);

  g_assert_true (ord_store_exec (db,
    "INSERT INTO customers (id, name, updated_at) VALUES"
    "  ('0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 1),"
    "  ('0190c0de-0000-7000-8000-000000000002', 'Edsger Dijkstra', 1);"
    "INSERT INTO orders (id, number, customer_id, customer_name, status, created_at, updated_at,"
    "  notes, currency, subtotal, total, item_count) VALUES"
    "  ('0190c0de-0000-7000-8000-0000000000a1', 'T1-0001',"
    "   '0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 0, 10, 10, 'nanoseconds',"
    "   'USD', 500, 500, 1),"
    "  ('0190c0de-0000-7000-8000-0000000000a2', 'T1-0002',"
    "   '0190c0de-0000-7000-8000-000000000002', 'Edsger Dijkstra', 5, 20, 20, '',"
    "   'USD', 300, 300, 1);"
    "INSERT INTO order_items (id, order_id, position, name, unit_price, quantity) VALUES"
    "  ('0190c0de-0000-7000-8000-0000000000b1', '0190c0de-0000-7000-8000-0000000000a1', 0,"
    "   'Wire', 500, 1),"
    "  ('0190c0de-0000-7000-8000-0000000000b2', '0190c0de-0000-7000-8000-0000000000a2', 0,"
    "   'Semaphore', 300, 1);",
    NULL));

  /* From schema 3 on, a server may hold customers' amendments. */
  if (version >= 3)
    g_assert_true (ord_store_exec (db,
      "INSERT INTO held_mutations (id, order_id, client_id, mutation_id, subject, args,"
      "  created_at) VALUES (4, '0190c0de-0000-7000-8000-0000000000a1', 'dev-1', 9, 'grace',"
      "  '{\"order_id\":\"0190c0de-0000-7000-8000-0000000000a1\"}', 30);",
      NULL));

  /* From schema 2 on, the store writes each order's search entry itself. */
  if (version >= 2)
    g_assert_true (ord_store_exec (db,
      "INSERT INTO orders_fts (rowid, number, customer, notes, items)"
      "  SELECT o.seq, o.number, o.customer_name, o.notes,"
      "         (SELECT group_concat (i.name, ' ') FROM order_items i WHERE i.order_id = o.id)"
      "  FROM orders o;",
      NULL));
}

static void
test_from_each_version (void)
{
  for (guint from = 1; from < ord_store_n_migrations; from++)
    {
      g_autofree char *path = temp_db ("old.db");
      g_autoptr(OrdStore) store = NULL;
      g_autoptr(GError) error = NULL;
      sqlite3 *db = NULL;

      g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
      g_assert_true (ord_store_migrate_to (db, from, &error));
      g_assert_no_error (error);
      g_assert_cmpint (scalar (db, "PRAGMA user_version"), ==, from);
      fill_old_version (db, from);
      sqlite3_close (db);

      store = ord_store_new (path, &error);
      g_assert_no_error (error);
      g_assert_cmpint (ord_store_get_schema_version (store), ==, ORD_SCHEMA_VERSION);

      /* The old rows are all there, found by search and counted. */
      {
        OrdOrderQuery q = { 0 };
        gint64 counts[ORD_N_STATUSES];
        g_autoptr(GPtrArray) rows = NULL;
        g_autoptr(OrdOrder) order = NULL;

        q.text = "hopper";
        rows = ord_store_query_orders (store, &q, NULL, 10, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (rows->len, ==, 1);
        q.text = "semaphore";
        g_assert_cmpint (ord_store_count_orders (store, &q, &error), ==, 1);

        ord_store_count_by_status (store, counts, &error);
        g_assert_no_error (error);
        g_assert_cmpint (counts[ORD_STATUS_PENDING], ==, 1);
        g_assert_cmpint (counts[ORD_STATUS_CANCELLED], ==, 1);

        order = ord_store_get_order_by_number (store, "T1-0001", &error);
        g_assert_no_error (error);
        g_assert_cmpuint (ord_order_get_n_items (order), ==, 1);
        g_assert_cmpint (ord_order_get_total (order), ==, 500);

        /* Older orders need no attention, and the filter says so. */
        g_assert_cmpint (ord_store_count_attention (store, &error), ==, 0);
        g_assert_no_error (error);
        q.text = NULL;
        q.attention_only = TRUE;
        g_assert_cmpint (ord_store_count_orders (store, &q, &error), ==, 0);
        g_assert_no_error (error);

        /* A held amendment of a server older than schema 7 reaches the
         * owners' feed (from 7 on, the server writes its entry itself). */
        if (from >= 3 && from < 7)
          g_assert_cmpint (scalar (ord_store_get_db (store),
                                   "SELECT count(*) FROM changes WHERE entity = 'held'"
                                   " AND id = '4' AND op = 'put' AND version = 1"), ==, 1);
      }

      /* Schema 8: the old orders are in their chunk's creation times. */
      g_assert_cmpint (scalar (ord_store_get_db (store),
                               "SELECT count(*) FROM order_chunks WHERE chunk = 0"
                               " AND min_created = 10 AND max_created = 20"), ==, 1);

      g_clear_object (&store);
      remove_db (path);
    }
}

/* Schema 8 from 7: each chunk of 1,024 seqs gets the earliest and latest
 * creation time of its live orders; the triggers keep them for every later
 * write, and a search sorted by creation time reads through them the rows
 * it read before. */
static void
test_chunks_from_7 (void)
{
  g_autofree char *path = temp_db ("chunks.db");
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (ord_store_migrate_to (db, 7, &error));
  g_assert_no_error (error);
  /* Chunk 0: two orders; chunk 1: one made later than chunk 3's and one
   * deleted, made earliest of all; chunk 3: one. */
  g_assert_true (ord_store_exec (db,
    "INSERT INTO customers (id, name, updated_at) VALUES"
    "  ('0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 1);"
    "INSERT INTO orders (seq, id, number, customer_id, customer_name, status, created_at,"
    "  updated_at, currency, subtotal, total, item_count, deleted) VALUES"
    "  (5, '0190c0de-0000-7000-8000-0000000000a1', 'T1-0001',"
    "   '0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 0, 300, 300, 'USD', 1, 1, 1, 0),"
    "  (1023, '0190c0de-0000-7000-8000-0000000000a2', 'T1-0002',"
    "   '0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 1, 100, 100, 'USD', 1, 1, 1, 0),"
    "  (1024, '0190c0de-0000-7000-8000-0000000000a3', 'T1-0003',"
    "   '0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 2, 900, 900, 'USD', 1, 1, 1, 0),"
    "  (2047, '0190c0de-0000-7000-8000-0000000000a4', 'T1-0004',"
    "   '0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 2, 50, 50, 'USD', 1, 1, 1, 1),"
    "  (3500, '0190c0de-0000-7000-8000-0000000000a5', 'T1-0005',"
    "   '0190c0de-0000-7000-8000-000000000001', 'Grace Hopper', 5, 700, 700, 'USD', 1, 1, 1, 0);"
    "INSERT INTO orders_fts (rowid, number, customer, notes, items)"
    "  SELECT seq, number, customer_name, '', '' FROM orders WHERE deleted = 0;",
    NULL));
  sqlite3_close (db);

  store = ord_store_new (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_get_schema_version (store), ==, 8);
  db = ord_store_get_db (store);
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM order_chunks"), ==, 3);
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM order_chunks WHERE"
                               " (chunk = 0 AND min_created = 100 AND max_created = 300) OR"
                               " (chunk = 1 AND min_created = 900 AND max_created = 900) OR"
                               " (chunk = 3 AND min_created = 700 AND max_created = 700)"), ==, 3);

  /* Newest first, one row a page: chunk 1's order before chunk 3's. */
  {
    const char *expect[] = { "T1-0003", "T1-0005", "T1-0001", "T1-0002" };
    OrdOrderQuery q = { .text = "hopper", .descending = TRUE };

    g_assert_cmpint (ord_store_count_orders (store, &q, &error), ==, 4);
    for (guint i = 0; i < G_N_ELEMENTS (expect); i++)
      {
        g_autoptr(GPtrArray) rows = ord_store_query_orders_at (store, &q, i, 1, &error);

        g_assert_no_error (error);
        g_assert_cmpuint (rows->len, ==, 1);
        g_assert_cmpstr (ord_order_get_number (g_ptr_array_index (rows, 0)), ==, expect[i]);
      }
  }

  /* A new order lands in the last chunk (seq 3501), an order made again
   * earlier widens its chunk, and so does the deleted order back. */
  {
    g_autoptr(OrdOrder) order = ord_order_new ();
    g_autoptr(OrdOrderItem) item = ord_order_item_new ();

    ord_order_set_customer_id (order, "0190c0de-0000-7000-8000-000000000001");
    ord_order_set_currency (order, "USD");
    ord_order_set_created_at (order, 1000);
    ord_order_item_set_name (item, "Wire");
    ord_order_item_set_unit_price (item, 1);
    ord_order_item_set_quantity (item, 1);
    ord_order_add_item (order, item);
    g_assert_true (ord_store_create_order (store, order, &error));
    g_assert_no_error (error);
  }
  g_assert_true (ord_store_exec (db, "UPDATE orders SET created_at = 10 WHERE seq = 5;"
                                     "UPDATE orders SET deleted = 0 WHERE seq = 2047;", NULL));
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM order_chunks WHERE"
                               " (chunk = 0 AND min_created = 10 AND max_created = 300) OR"
                               " (chunk = 1 AND min_created = 50 AND max_created = 900) OR"
                               " (chunk = 3 AND min_created = 700 AND max_created = 1000)"), ==, 3);

  g_clear_object (&store);
  remove_db (path);
}

/* A migration that fails leaves the file as it was. */
static void
test_failed_migration_rolls_back (void)
{
  g_autofree char *path = temp_db ("half.db");
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (ord_store_migrate_to (db, 1, &error));
  /* Something in the way of migration 2's search table. */
  g_assert_true (ord_store_exec (db, "CREATE TABLE orders_fts (x)", NULL));
  sqlite3_close (db);

  store = ord_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE);
  g_assert_nonnull (strstr (error->message, "schema 2"));
  g_clear_error (&error);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (scalar (db, "PRAGMA user_version"), ==, 1);
  /* None of migration 2's indexes were left behind. */
  g_assert_cmpint (scalar (db, "SELECT count(*) FROM sqlite_master WHERE name = 'orders_sort_total'"),
                   ==, 0);
  sqlite3_close (db);
  remove_db (path);
}

static void
test_too_new (void)
{
  g_autofree char *path = temp_db ("new.db");
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_true (ord_store_exec (db, "PRAGMA user_version = 99", NULL));
  sqlite3_close (db);

  store = ord_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  remove_db (path);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = temp_db ("notes.db");
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, "InvoiceNo,StockCode\n536365,85123A\n", -1, NULL));
  store = ord_store_new (path, &error);
  g_assert_null (store);
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE);
  g_assert_nonnull (strstr (error->message, path));

  /* And the file is not touched. */
  {
    g_autofree char *contents = NULL;
    g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
    g_assert_cmpstr (contents, ==, "InvoiceNo,StockCode\n536365,85123A\n");
  }
  remove_db (path);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/from-empty", test_from_empty);
  g_test_add_func ("/migrations/from-each-version", test_from_each_version);
  g_test_add_func ("/migrations/chunks-from-7", test_chunks_from_7);
  g_test_add_func ("/migrations/failed-rolls-back", test_failed_migration_rolls_back);
  g_test_add_func ("/migrations/too-new", test_too_new);
  g_test_add_func ("/migrations/not-a-database", test_not_a_database);

  return g_test_run ();
}
