/* test-import-crash.c: an import killed at any instant leaves whole orders
 * only, and importing again finishes it without duplicates
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "ord-core.h"
#include "ord-import.h"

#define N_ORDERS 6000
#define N_KILLS 15
#define TAX_RATE_BP 2000

typedef struct
{
  guint  n_items;
  gint64 subtotal;
  gint64 total;
} Expected;

/* The child: import and exit. */
static int
child_main (const char *db_path,
            const char *csv_path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (db_path, &error);
  g_autoptr(GFile) file = g_file_new_for_path (csv_path);
  g_autoptr(OrdImportReport) report = NULL;

  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  report = ord_import_file (store, file, ORD_IMPORT_FORMAT_ORDERLY, NULL, NULL, NULL, &error);
  if (report == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  return report->problems->len == 0 && report->orders_rejected == 0 ? 0 : 3;
}

/* Orders of 1 to 6 lines, with tax; what each must add up to. */
static char *
write_csv (const char *dir,
           Expected   *expected)
{
  g_autofree char *path = g_build_filename (dir, "orders.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("number,created_at,status,customer_name,currency,"
                                         "tax_rate,item_sku,item_name,unit_price,quantity\n");

  for (guint i = 0; i < N_ORDERS; i++)
    {
      Expected *e = &expected[i];

      e->n_items = 1 + (i * 7) % 6;
      e->subtotal = 0;
      for (guint j = 0; j < e->n_items; j++)
        {
          gint64 price = 100 + (i * 31 + j * 17) % 9900;
          gint64 quantity = 1 + (i + j) % 9;

          g_string_append_printf (csv,
                                  "K-%05u,2024-%02u-%02uT%02u:%02u:00Z,delivered,Customer %u,"
                                  "EUR,20,SKU-%u,\"Item %u, size %u\",%" G_GINT64_FORMAT
                                  ".%02" G_GINT64_FORMAT ",%" G_GINT64_FORMAT "\n",
                                  i, 1 + i % 12, 1 + i % 28, i % 24, i % 60, i % 300,
                                  (i + j) % 250, (i + j) % 250, j, price / 100, price % 100,
                                  quantity);
          e->subtotal += price * quantity;
        }
      /* Tax at 20 %, rounded half away from zero, once per order. */
      e->total = e->subtotal + (e->subtotal * TAX_RATE_BP + 5000) / 10000;
    }

  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));
  return g_steal_pointer (&path);
}

static gint64
sql_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* What a user would find after the kill: a sound database with whole
 * orders, each once, each with exactly one create_order mutation. */
static gint64
check_database (const char     *db_path,
                const Expected *expected)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n_orders;
  gint64 n_checked = 0;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  n_orders = sql_int (db, "SELECT count(*) FROM orders");

  /* Batches commit whole: never a part of one. */
  if (n_orders != N_ORDERS)
    g_assert_cmpint (n_orders % ORD_IMPORT_BATCH_ORDERS, ==, 0);

  g_assert_cmpint (sql_int (db, "SELECT count(*) - count(DISTINCT number) FROM orders"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM outbox WHERE name = 'create_order'"), ==,
                   n_orders);
  g_assert_cmpint (sql_int (db, "SELECT count(DISTINCT entity_id) FROM outbox"
                                " WHERE name = 'create_order'"), ==, n_orders);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM orders WHERE id NOT IN"
                                " (SELECT entity_id FROM outbox WHERE name = 'create_order')"),
                   ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM orders o WHERE NOT EXISTS"
                                " (SELECT 1 FROM order_events e WHERE e.order_id = o.id)"),
                   ==, 0);
  /* Every order is found by the search, by its number and its lines'
   * words, and the search index is sound. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM orders o JOIN orders_fts f"
                                " ON f.rowid = o.seq WHERE f.number = o.number"), ==, n_orders);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM orders_fts"), ==, n_orders);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM orders_fts"
                                " WHERE orders_fts MATCH 'items:size'"), ==, n_orders);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO orders_fts (orders_fts) VALUES"
                                     " ('integrity-check')", NULL, NULL, NULL), ==, SQLITE_OK);

  /* A customer or product made in a batch that was rolled back is gone
   * with it: none twice. */
  g_assert_cmpint (sql_int (db, "SELECT count(*) - count(DISTINCT name) FROM customers"), ==, 0);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM customers"), <=, 300);
  g_assert_cmpint (sql_int (db, "SELECT count(*) FROM products"), <=, 250);

  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT o.number, o.item_count, o.subtotal, o.discount,"
                                       "       o.tax, o.total,"
                                       "       (SELECT count(*) FROM order_items i"
                                       "         WHERE i.order_id = o.id),"
                                       "       (SELECT sum(i.unit_price * i.quantity - i.discount)"
                                       "          FROM order_items i WHERE i.order_id = o.id)"
                                       "  FROM orders o", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *number = (const char *) sqlite3_column_text (stmt, 0);
      guint index;
      const Expected *e;

      g_assert_true (g_str_has_prefix (number, "K-"));
      index = (guint) g_ascii_strtoull (number + 2, NULL, 10);
      g_assert_cmpuint (index, <, N_ORDERS);
      e = &expected[index];

      g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, e->n_items);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 6), ==, e->n_items);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 2), ==, e->subtotal);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 7), ==, e->subtotal);
      g_assert_cmpint (sqlite3_column_int64 (stmt, 5), ==,
                       sqlite3_column_int64 (stmt, 2) - sqlite3_column_int64 (stmt, 3) +
                       sqlite3_column_int64 (stmt, 4));
      g_assert_cmpint (sqlite3_column_int64 (stmt, 5), ==, e->total);
      n_checked++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (n_checked, ==, n_orders);

  sqlite3_close (db);
  return n_orders;
}

static void
remove_database (const char *db_path)
{
  const char *suffixes[] = { "", "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *path = g_strconcat (db_path, suffixes[i], NULL);
      g_unlink (path);
    }
}

static GPid
spawn_child (const char *db_path,
             const char *csv_path)
{
  const char *argv[] = { "/proc/self/exe", "--child", db_path, csv_path, NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  GPid pid = 0;

  argv[0] = self;
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL,
                                G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL,
                                NULL, NULL, &pid, &error));
  g_assert_no_error (error);

  return pid;
}

static void
test_kill (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("orderly-test-import-crash-XXXXXX", &error);
  g_autofree char *db_path = g_build_filename (dir, "orders.db", NULL);
  g_autofree Expected *expected = g_new0 (Expected, N_ORDERS);
  g_autofree char *csv_path = NULL;
  guint n_killed = 0;
  gint64 n_orders = 0;
  GPid pid;
  int status = 0;

  gint64 full_ms;

  g_assert_no_error (error);
  csv_path = write_csv (dir, expected);

  /* How long a whole import takes on this machine: the kills land inside
   * it however fast or loaded the machine is. */
  {
    gint64 t0 = g_get_monotonic_time ();

    pid = spawn_child (db_path, csv_path);
    g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
    g_spawn_close_pid (pid);
    g_assert_true (WIFEXITED (status));
    g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    full_ms = MAX ((g_get_monotonic_time () - t0) / 1000, 20);
    g_assert_cmpint (check_database (db_path, expected), ==, N_ORDERS);
    remove_database (db_path);
  }

  for (guint round = 0; round < N_KILLS; round++)
    {
      /* Within the first 90 % of an import: in the middle of the work, and
       * late enough that batches commit between the kills. */
      gulong delay_ms = g_test_rand_int_range (full_ms / 20, full_ms * 9 / 10 + 1);

      pid = spawn_child (db_path, csv_path);
      g_usleep (delay_ms * 1000);
      kill (pid, SIGKILL);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_spawn_close_pid (pid);

      if (WIFSIGNALED (status))
        n_killed++;
      else
        g_assert_cmpint (WEXITSTATUS (status), ==, 0);

      n_orders = check_database (db_path, expected);
      g_test_message ("round %u: killed after %lu ms, %" G_GINT64_FORMAT " orders", round,
                      delay_ms, n_orders);

      /* An import that got to the end leaves nothing for the next kill to
       * interrupt: start the next round on a new database. */
      if (n_orders == N_ORDERS)
        remove_database (db_path);
    }

  /* Most kills must have hit a running import for the test to mean
   * anything. */
  g_assert_cmpuint (n_killed, >=, N_KILLS / 2);

  /* A last complete import leaves each order once. */
  pid = spawn_child (db_path, csv_path);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  g_spawn_close_pid (pid);
  g_assert_true (WIFEXITED (status));
  g_assert_cmpint (WEXITSTATUS (status), ==, 0);
  g_assert_cmpint (check_database (db_path, expected), ==, N_ORDERS);

  {
    g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while ((name = g_dir_read_name (d)) != NULL)
      {
        g_autofree char *child = g_build_filename (dir, name, NULL);
        g_assert_cmpint (g_remove (child), ==, 0);
      }
    g_assert_cmpint (g_rmdir (dir), ==, 0);
  }
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 4 && strcmp (argv[1], "--child") == 0)
    return child_main (argv[2], argv[3]);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/crash/kill", test_kill);

  return g_test_run ();
}
