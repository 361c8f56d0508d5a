/* test-import.c: CSV import and export of orders
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "ord-core.h"
#include "ord-import.h"
#include "ord-store-sync.h"

typedef struct
{
  char     *dir;
  char     *db_path;
  OrdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp ("orderly-test-import-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->db_path = g_build_filename (fixture->dir, "orders.db", NULL);
  fixture->store = ord_store_new (fixture->db_path, &error);
  g_assert_no_error (error);
}

static void
remove_dir (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      g_assert_cmpint (g_remove (child), ==, 0);
    }
  g_assert_cmpint (g_rmdir (path), ==, 0);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  remove_dir (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->db_path);
}

static char *
fixture_path (const char *name)
{
  const char *srcdir = g_getenv ("ORDERLY_TEST_SRCDIR");

  if (srcdir != NULL)
    return g_build_filename (srcdir, "fixtures", "csv", name, NULL);

  return g_test_build_filename (G_TEST_DIST, "fixtures", "csv", name, NULL);
}

static OrdImportReport *
import_path (OrdStore        *store,
             const char      *path,
             OrdImportFormat  format,
             GError         **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);

  return ord_import_file (store, file, format, NULL, NULL, NULL, error);
}

static OrdImportReport *
import_fixture (OrdStore   *store,
                const char *name)
{
  g_autofree char *path = fixture_path (name);
  g_autoptr(GError) error = NULL;
  OrdImportReport *report = import_path (store, path, ORD_IMPORT_FORMAT_AUTO, &error);

  g_assert_no_error (error);
  g_assert_nonnull (report);
  return report;
}

typedef struct
{
  guint       line;
  const char *reason;
} ExpectedProblem;

static void
assert_problems (const OrdImportReport *report,
                 const char            *fixture,
                 const ExpectedProblem *expected,
                 guint                  n_expected)
{
  g_autofree char *path = fixture_path (fixture);
  g_autofree char *parse_name = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (path);

  parse_name = g_file_get_parse_name (file);

  for (guint i = 0; i < MIN (report->problems->len, n_expected); i++)
    {
      const OrdImportProblem *problem = g_ptr_array_index (report->problems, i);

      g_assert_cmpstr (problem->file, ==, parse_name);
      g_assert_cmpuint (problem->line, ==, expected[i].line);
      g_assert_cmpstr (problem->reason, ==, expected[i].reason);
    }
  g_assert_cmpuint (report->problems->len, ==, n_expected);
}

static gint64
count_orders (OrdStore *store)
{
  OrdOrderQuery all = { 0, };
  g_autoptr(GError) error = NULL;
  gint64 n = ord_store_count_orders (store, &all, &error);

  g_assert_no_error (error);
  return n;
}

static OrdOrder *
get_order (OrdStore   *store,
           const char *number)
{
  g_autoptr(GError) error = NULL;
  OrdOrder *order = ord_store_get_order_by_number (store, number, &error);

  g_assert_no_error (error);
  g_assert_nonnull (order);
  return order;
}

static void
assert_no_order (OrdStore   *store,
                 const char *number)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) order = ord_store_get_order_by_number (store, number, &error);

  g_assert_null (order);
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND);
}

static gint64
utc (int    year,
     int    month,
     int    day,
     int    hour,
     int    minute,
     double seconds)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (year, month, day, hour, minute, seconds);

  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

static void
assert_item (OrdOrder   *order,
             guint       position,
             const char *sku,
             const char *name,
             gint64      unit_price,
             gint64      quantity,
             gint64      discount)
{
  g_autoptr(OrdOrderItem) item = ord_order_get_item (order, position);

  g_assert_cmpstr (ord_order_item_get_sku (item), ==, sku);
  g_assert_cmpstr (ord_order_item_get_name (item), ==, name);
  g_assert_cmpint (ord_order_item_get_unit_price (item), ==, unit_price);
  g_assert_cmpint (ord_order_item_get_quantity (item), ==, quantity);
  g_assert_cmpint (ord_order_item_get_discount (item), ==, discount);
  if (sku != NULL)
    g_assert_nonnull (ord_order_item_get_product_id (item));
  else
    g_assert_null (ord_order_item_get_product_id (item));
}

static OrdCustomer *
get_customer (OrdStore   *store,
              const char *id)
{
  g_autoptr(GError) error = NULL;
  OrdCustomer *customer = ord_store_get_customer (store, id, &error);

  g_assert_no_error (error);
  return customer;
}

static OrdProduct *
get_product (OrdStore   *store,
             const char *sku)
{
  g_autoptr(GError) error = NULL;
  OrdProduct *product = ord_store_get_product_by_sku (store, sku, &error);

  g_assert_no_error (error);
  return product;
}

/* ------------------------------------------------------------------ */

static void
test_orderly_good (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = import_fixture (fixture->store, "orderly-good.csv");
  g_autoptr(OrdOrder) w1 = NULL;
  g_autoptr(OrdOrder) w2 = NULL;
  g_autoptr(OrdOrder) w3 = NULL;
  g_autoptr(OrdCustomer) ada = NULL;
  g_autoptr(OrdProduct) tea = NULL;
  g_autoptr(OrdProduct) mug = NULL;
  static const ExpectedProblem problems[] = {
    { 1, "the column “gift_wrap” is not one Orderly knows; it is ignored" },
  };

  g_assert_cmpuint (report->lines_read, ==, 4);
  g_assert_cmpuint (report->orders_imported, ==, 3);
  g_assert_cmpuint (report->orders_skipped, ==, 0);
  g_assert_cmpuint (report->orders_rejected, ==, 0);
  g_assert_cmpuint (report->customers_created, ==, 2);
  g_assert_cmpuint (report->products_created, ==, 2);
  assert_problems (report, "orderly-good.csv", problems, G_N_ELEMENTS (problems));
  g_assert_cmpint (count_orders (fixture->store), ==, 3);

  /* Two lines, the second with its order columns left empty. */
  w1 = get_order (fixture->store, "W-1");
  g_assert_cmpint (ord_order_get_status (w1), ==, ORD_STATUS_CONFIRMED);
  g_assert_cmpint (ord_order_get_created_at (w1), ==, utc (2024, 3, 1, 9, 30, 0));
  g_assert_cmpint (ord_order_get_due_at (w1), ==, utc (2024, 3, 5, 0, 0, 0));
  g_assert_cmpstr (ord_order_get_currency (w1), ==, "EUR");
  g_assert_cmpuint (ord_order_get_tax_rate (w1), ==, 2000);
  g_assert_cmpint (ord_order_get_discount (w1), ==, 150);
  g_assert_cmpstr (ord_order_get_notes (w1), ==, "Ring the bell, twice");
  g_assert_cmpstr (ord_order_get_customer_name (w1), ==, "Ada Lovelace");
  g_assert_cmpuint (ord_order_get_n_items (w1), ==, 2);
  assert_item (w1, 0, "TEA-1", "Tea, green", 420, 3, 0);
  assert_item (w1, 1, "MUG-2", "Mug \"XL\"", 1200, 1, 200);
  /* 1260 + 1000 − 150 = 2110, + 20 % = 422 */
  g_assert_cmpint (ord_order_get_subtotal (w1), ==, 2260);
  g_assert_cmpint (ord_order_get_tax (w1), ==, 422);
  g_assert_cmpint (ord_order_get_total (w1), ==, 2532);

  /* An offset, a currency in lower case, a note over two lines, a line
   * without a product. */
  w2 = get_order (fixture->store, "W-2");
  g_assert_cmpint (ord_order_get_status (w2), ==, ORD_STATUS_PENDING);
  g_assert_cmpint (ord_order_get_created_at (w2), ==, utc (2024, 3, 2, 9, 0, 0));
  g_assert_cmpint (ord_order_get_due_at (w2), ==, 0);
  g_assert_cmpstr (ord_order_get_currency (w2), ==, "JPY");
  g_assert_cmpstr (ord_order_get_notes (w2), ==, "line one\nline two");
  g_assert_cmpstr (ord_order_get_customer_name (w2), ==, "Bob");
  assert_item (w2, 0, NULL, "Service fee", 500, 1, 0);
  g_assert_cmpint (ord_order_get_total (w2), ==, 500);

  /* The same customer (name and e-mail) and product (SKU) as W-1. */
  w3 = get_order (fixture->store, "W-3");
  g_assert_cmpint (ord_order_get_status (w3), ==, ORD_STATUS_DELIVERED);
  g_assert_cmpint (ord_order_get_created_at (w3), ==, utc (2024, 3, 3, 8, 0, 0.5));
  g_assert_cmpstr (ord_order_get_customer_id (w3), ==, ord_order_get_customer_id (w1));
  g_assert_cmpuint (ord_order_get_tax_rate (w3), ==, 750);
  assert_item (w3, 0, "TEA-1", "Tea (new name)", 440, 10, 440);
  g_assert_cmpint (ord_order_get_tax (w3), ==, 297);
  g_assert_cmpint (ord_order_get_total (w3), ==, 4257);
  {
    g_autoptr(OrdOrderItem) a = ord_order_get_item (w1, 0);
    g_autoptr(OrdOrderItem) b = ord_order_get_item (w3, 0);

    g_assert_cmpstr (ord_order_item_get_product_id (a), ==, ord_order_item_get_product_id (b));
  }

  ada = get_customer (fixture->store, ord_order_get_customer_id (w1));
  g_assert_cmpstr (ord_customer_get_name (ada), ==, "Ada Lovelace");
  g_assert_cmpstr (ord_customer_get_email (ada), ==, "ada@example.org");

  /* Products take their first line's name and price. */
  tea = get_product (fixture->store, "TEA-1");
  g_assert_cmpstr (ord_product_get_name (tea), ==, "Tea, green");
  g_assert_cmpint (ord_product_get_unit_price (tea), ==, 420);
  g_assert_cmpstr (ord_product_get_currency (tea), ==, "EUR");
  mug = get_product (fixture->store, "MUG-2");
  g_assert_cmpint (ord_product_get_unit_price (mug), ==, 1200);
}

/* Search text: orders whose lines hold @words, by number. */
static char *
search_numbers (OrdStore   *store,
                const char *words)
{
  OrdOrderQuery q = { 0 };
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  q.sort = ORD_SORT_NUMBER;
  q.text = words;
  rows = ord_store_query_orders (store, &q, NULL, 100, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      if (out->len)
        g_string_append_c (out, ' ');
      g_string_append (out, ord_order_get_number (g_ptr_array_index (rows, i)));
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The create_order arguments the push would send for @number. */
static JsonObject *
pushed_create (OrdStore   *store,
               const char *number,
               const char *id)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;

  rows = ord_store_sync_read_outbox (store, 0, 1000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < rows->len; i++)
    {
      OrdOutboxRow *row = g_ptr_array_index (rows, i);
      g_autoptr(JsonNode) node = NULL;

      if (g_strcmp0 (row->name, "create_order") != 0 || g_strcmp0 (row->entity_id, id) != 0)
        continue;
      node = json_from_string (row->args, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (node), "number"),
                       ==, number);
      return json_object_ref (json_node_get_object (node));
    }
  g_assert_not_reached ();
}

static gint64
count_unwritten (Fixture *fixture)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM outbox WHERE args = ''", -1,
                                       &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* Live orders whose creation time is outside their chunk's bounds in
 * order_chunks (or whose chunk has none), which searches sorted by
 * creation time rely on. */
static gint64
count_chunks_missed (Fixture *fixture)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n;

  g_assert_cmpint (sqlite3_open_v2 (fixture->db_path, &db, SQLITE_OPEN_READONLY, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM orders o"
                                           " LEFT JOIN order_chunks c ON c.chunk = o.seq >> 10"
                                           " WHERE o.deleted = 0 AND (c.chunk IS NULL"
                                           " OR o.created_at NOT BETWEEN c.min_created"
                                           " AND c.max_created)", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

/* An import writes its orders in bulk: the create_order mutations are
 * written out when read for a push, or before the order first changes,
 * and carry the order as imported either way. */
static void
test_bulk_outbox (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = import_fixture (fixture->store, "orderly-good.csv");
  g_autoptr(OrdOrder) w1 = get_order (fixture->store, "W-1");
  g_autoptr(OrdOrder) w2 = get_order (fixture->store, "W-2");
  g_autoptr(JsonObject) args = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *items;

  g_assert_cmpuint (report->orders_imported, ==, 3);
  g_assert_cmpint (count_unwritten (fixture), ==, 3);

  args = pushed_create (fixture->store, "W-1", ord_order_get_id (w1));
  g_assert_cmpstr (json_object_get_string_member (args, "notes"), ==, "Ring the bell, twice");
  g_assert_cmpstr (json_object_get_string_member (args, "status"), ==, "confirmed");
  items = json_object_get_array_member (args, "items");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1), "name"),
                   ==, "Mug \"XL\"");
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (items, 0),
                                               "quantity"), ==, 3);
  g_clear_pointer (&args, json_object_unref);

  /* Changing an order first writes out what it was created as. */
  ord_order_set_notes (w1, "Leave at the door");
  g_assert_true (ord_store_edit_order (fixture->store, w1, &error));
  g_assert_no_error (error);
  g_assert_true (ord_store_set_status (fixture->store, ord_order_get_id (w2), ORD_STATUS_PENDING,
                                       ORD_STATUS_CONFIRMED, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_unwritten (fixture), ==, 1);

  args = pushed_create (fixture->store, "W-1", ord_order_get_id (w1));
  g_assert_cmpstr (json_object_get_string_member (args, "notes"), ==, "Ring the bell, twice");
  g_clear_pointer (&args, json_object_unref);
  args = pushed_create (fixture->store, "W-2", ord_order_get_id (w2));
  g_assert_cmpstr (json_object_get_string_member (args, "status"), ==, "pending");
}

/* An imported order is found by its lines' SKUs and words. */
static void
test_search_lines (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = import_fixture (fixture->store, "orderly-good.csv");
  g_autofree char *green = search_numbers (fixture->store, "green");
  g_autofree char *tea = search_numbers (fixture->store, "tea-1");
  g_autofree char *fee = search_numbers (fixture->store, "service");
  g_autofree char *mug_ada = search_numbers (fixture->store, "mug lovelace");
  g_autofree char *mug_bob = search_numbers (fixture->store, "mug bob");

  g_assert_cmpuint (report->orders_imported, ==, 3);
  g_assert_cmpstr (green, ==, "W-1");
  g_assert_cmpstr (tea, ==, "W-1 W-3");
  g_assert_cmpstr (fee, ==, "W-2");
  g_assert_cmpstr (mug_ada, ==, "W-1");
  g_assert_cmpstr (mug_bob, ==, "");
}

static void
exec_on_file (const char *path,
              const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

/* An order that fails half-written in bulk mode (after its checks passed)
 * makes the batch roll back and run again order by order: the others are
 * imported, with the customers and products the rolled-back batch had
 * created made again, and nothing of the failed order is left. */
static void
test_bulk_retry (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = NULL;
  g_autoptr(OrdOrder) w1 = NULL;
  g_autoptr(OrdOrder) w3 = NULL;
  g_autoptr(OrdProduct) tea = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *problems = NULL;
  OrdOrderItem *item;

  exec_on_file (fixture->db_path,
                "CREATE TRIGGER refuse_mug BEFORE INSERT ON order_items"
                " WHEN NEW.sku = 'MUG-2' BEGIN SELECT RAISE (ABORT, 'no mugs today'); END");

  report = import_fixture (fixture->store, "orderly-good.csv");
  g_assert_cmpuint (report->orders_imported, ==, 2);
  g_assert_cmpuint (report->orders_rejected, ==, 1);
  g_assert_cmpuint (report->customers_created, ==, 2);
  g_assert_cmpuint (report->products_created, ==, 2);
  problems = ord_import_report_format_problems (report);
  g_assert_nonnull (strstr (problems, "no mugs today"));

  w1 = ord_store_get_order_by_number (fixture->store, "W-1", &error);
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND);
  g_assert_null (w1);
  g_clear_error (&error);

  w3 = get_order (fixture->store, "W-3");
  tea = get_product (fixture->store, "TEA-1");
  item = ord_order_get_item (w3, 0);
  g_assert_cmpstr (ord_order_item_get_product_id (item), ==, ord_product_get_id (tea));
  g_object_unref (item);
  g_assert_cmpint (count_orders (fixture->store), ==, 2);
  /* Written again order by order, each with its arguments. */
  g_assert_cmpint (count_unwritten (fixture), ==, 0);
  g_assert_cmpint (ord_store_count_outbox (fixture->store), ==, 2 + 2 + 2);
}

static void
test_orderly_bad (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = import_fixture (fixture->store, "orderly-bad.csv");
  g_autoptr(OrdOrder) b1 = NULL;
  g_autoptr(OrdOrder) b20 = NULL;
  static const ExpectedProblem problems[] = {
    { 4, "quantity “-3” must be positive" },
    { 5, "unit_price “0.001” has more decimals than EUR allows (2)" },
    { 6, "quantity “abc” is not a whole number" },
    { 7, "quantity “99999999999999999999” is too large" },
    { 8, "status “shipped!” is not one of pending, confirmed, preparing, shipped, delivered, "
         "cancelled" },
    { 9, "created_at “2024-03-01 10:00” has no time zone: end it with Z for UTC "
         "(2024-03-05T14:03:00Z) or with an offset such as +01:00" },
    { 10, "created_at “yesterday” is not a date and time like 2024-03-05T14:03:00Z" },
    { 11, "the line has 13 fields, the header 12" },
    { 13, "status “pending” differs from the order’s first line (line 12: “delivered”)" },
    { 14, "unit_price “1,50” is not an amount: write it without thousands separators, with a "
          "dot before the decimals, like 1234.50" },
    { 15, "order_total “10.00” does not match the order’s lines (12.00): correct the lines or "
          "empty order_total" },
    { 16, "item_name is empty" },
    { 17, "currency “EURO” is not an ISO 4217 code such as EUR" },
    { 18, "unit_price “-2.00” must not be negative" },
    { 19, "line_discount “5.00” is more than the line’s amount" },
    { 20, "order_id and number are both empty: the line belongs to no order" },
    { 21, "unit_price “99999999999999999999.00” is too large an amount" },
    { 22, "unit_price “92233720368547758.07” × quantity “2” is too large" },
    { 23, "order_id “not-a-uuid” is not a UUID such as 0190a3c2-5b1e-7c3d-8e9f-0a1b2c3d4e5f: "
          "leave it empty for a new one" },
    { 25, "field 8: the quote opened on line 25 is never closed" },
  };
  g_autofree char *text = NULL;
  g_auto(GStrv) text_lines = NULL;
  g_autofree char *path = fixture_path ("orderly-bad.csv");
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *parse_name = g_file_get_parse_name (file);
  g_autofree char *first = NULL;

  g_assert_cmpuint (report->lines_read, ==, 24);
  g_assert_cmpuint (report->orders_imported, ==, 2);
  g_assert_cmpuint (report->orders_rejected, ==, 19);
  g_assert_cmpuint (report->orders_skipped, ==, 0);
  assert_problems (report, "orderly-bad.csv", problems, G_N_ELEMENTS (problems));

  /* Only the good orders are there, whole. */
  g_assert_cmpint (count_orders (fixture->store), ==, 2);
  b1 = get_order (fixture->store, "B-1");
  g_assert_cmpint (ord_order_get_total (b1), ==, 200);
  b20 = get_order (fixture->store, "B-20");
  g_assert_cmpint (ord_order_get_total (b20), ==, 2500);
  /* Line 3 of B-2 was fine, but B-2 is not half-imported. */
  assert_no_order (fixture->store, "B-2");
  assert_no_order (fixture->store, "B-10");
  g_assert_cmpuint (report->customers_created, ==, 2);
  g_assert_cmpuint (report->products_created, ==, 1);

  text = ord_import_report_format_problems (report);
  first = g_strdup_printf ("%s:4: quantity “-3” must be positive\n", parse_name);
  g_assert_true (g_str_has_prefix (text, first));
  text_lines = g_strsplit (text, "\n", -1);
  g_assert_cmpuint (g_strv_length (text_lines), ==, G_N_ELEMENTS (problems) + 1);
}

static void
test_orderly_split (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = import_fixture (fixture->store, "orderly-split.csv");
  g_autoptr(OrdOrder) s2 = NULL;
  g_autoptr(OrdOrder) s3 = NULL;
  static const ExpectedProblem problems[] = {
    { 6, "quantity “-1” must be positive" },
  };

  assert_problems (report, "orderly-split.csv", problems, G_N_ELEMENTS (problems));
  g_assert_cmpuint (report->orders_imported, ==, 2);
  g_assert_cmpuint (report->orders_rejected, ==, 1);

  /* S-2's lines are apart: it comes whole, in file order. */
  s2 = get_order (fixture->store, "S-2");
  g_assert_cmpuint (ord_order_get_n_items (s2), ==, 2);
  assert_item (s2, 0, NULL, "B", 200, 1, 0);
  assert_item (s2, 1, NULL, "F", 600, 2, 0);
  g_assert_cmpint (ord_order_get_total (s2), ==, 1400);
  s3 = get_order (fixture->store, "S-3");
  g_assert_cmpuint (ord_order_get_n_items (s3), ==, 1);
  /* S-1's bad line comes after two good ones, far apart: none of it. */
  assert_no_order (fixture->store, "S-1");
}

static void
test_format_errors (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *missing = fixture_path ("orderly-missing-column.csv");
  g_autofree char *unknown = fixture_path ("unknown-format.csv");
  g_autofree char *empty = g_build_filename (fixture->dir, "empty.csv", NULL);
  g_autofree char *absent = g_build_filename (fixture->dir, "absent.csv", NULL);
  g_autofree char *expected = NULL;
  g_autoptr(GFile) missing_file = g_file_new_for_path (missing);
  g_autofree char *missing_name = g_file_get_parse_name (missing_file);
  g_autoptr(GError) error = NULL;
  OrdImportReport *report;

  report = import_path (fixture->store, missing, ORD_IMPORT_FORMAT_AUTO, &error);
  g_assert_null (report);
  g_assert_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT);
  expected = g_strdup_printf ("%s:1: the column “quantity” is missing", missing_name);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  report = import_path (fixture->store, unknown, ORD_IMPORT_FORMAT_AUTO, &error);
  g_assert_null (report);
  g_assert_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "order_id, item_name, unit_price and quantity"));
  g_clear_error (&error);

  /* The Online Retail format asked for, an Orderly file given. */
  report = import_path (fixture->store, missing, ORD_IMPORT_FORMAT_ONLINE_RETAIL, &error);
  g_assert_null (report);
  g_assert_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "the column “InvoiceNo” of the Online Retail file "
                                            "is missing"));
  g_clear_error (&error);

  g_assert_true (g_file_set_contents (empty, "\xef\xbb\xbf", -1, NULL));
  report = import_path (fixture->store, empty, ORD_IMPORT_FORMAT_AUTO, &error);
  g_assert_null (report);
  g_assert_error (error, ORD_IMPORT_ERROR, ORD_IMPORT_ERROR_FORMAT);
  g_clear_error (&error);

  report = import_path (fixture->store, absent, ORD_IMPORT_FORMAT_AUTO, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, "Could not open"));

  g_assert_cmpint (count_orders (fixture->store), ==, 0);
}

static void
test_format_names (void)
{
  OrdImportFormat format = ORD_IMPORT_FORMAT_AUTO;

  g_assert_true (ord_import_format_from_string ("online-retail", &format));
  g_assert_cmpint (format, ==, ORD_IMPORT_FORMAT_ONLINE_RETAIL);
  g_assert_true (ord_import_format_from_string ("Orderly", &format));
  g_assert_cmpint (format, ==, ORD_IMPORT_FORMAT_ORDERLY);
  g_assert_true (ord_import_format_from_string ("auto", &format));
  g_assert_cmpint (format, ==, ORD_IMPORT_FORMAT_AUTO);
  g_assert_false (ord_import_format_from_string ("xlsx", &format));
  g_assert_false (ord_import_format_from_string (NULL, &format));
  g_assert_cmpstr (ord_import_format_to_string (ORD_IMPORT_FORMAT_ONLINE_RETAIL), ==,
                   "online-retail");
}

static const ExpectedProblem retail_problems[] = {
  { 7, "quantity “-10” must be positive outside a cancellation invoice" },
  { 10, "unit price “-11062.06” must not be negative" },
  { 11, "unit price “0.001” has more decimals than GBP allows (2)" },
  { 13, "invoice date “2011-13-15 09:27:00” is not a date and time like 2010-12-01 08:26:00" },
  { 14, "the line has 9 fields, the header 8" },
  { 15, "customer id “12345.5” is not a number" },
};

static void
assert_retail_small (OrdStore              *store,
                     const OrdImportReport *report,
                     const char            *fixture)
{
  g_autoptr(OrdOrder) o536365 = NULL;
  g_autoptr(OrdOrder) cancelled = NULL;
  g_autoptr(OrdOrder) walk_in_order = NULL;
  g_autoptr(OrdOrder) france = NULL;
  g_autoptr(OrdOrder) by_ref = NULL;
  g_autoptr(OrdCustomer) customer = NULL;
  g_autoptr(OrdCustomer) walk_in = NULL;
  g_autoptr(OrdProduct) heart = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  OrdOrderEvent *event;

  g_assert_cmpuint (report->lines_read, ==, 15);
  g_assert_cmpuint (report->orders_imported, ==, 6);
  g_assert_cmpuint (report->orders_rejected, ==, 6);
  g_assert_cmpuint (report->orders_skipped, ==, 0);
  g_assert_cmpuint (report->customers_created, ==, 5);
  g_assert_cmpuint (report->products_created, ==, 7);
  if (fixture != NULL)
    assert_problems (report, fixture, retail_problems, G_N_ELEMENTS (retail_problems));
  g_assert_cmpint (count_orders (store), ==, 6);

  /* 536365 comes in two runs: one order with its three lines. */
  o536365 = get_order (store, "536365");
  g_assert_cmpint (ord_order_get_status (o536365), ==, ORD_STATUS_DELIVERED);
  g_assert_cmpstr (ord_order_get_external_ref (o536365), ==, "online-retail:536365");
  g_assert_cmpstr (ord_order_get_currency (o536365), ==, "GBP");
  g_assert_cmpint (ord_order_get_created_at (o536365), ==, utc (2010, 12, 1, 8, 26, 0));
  g_assert_cmpuint (ord_order_get_n_items (o536365), ==, 3);
  assert_item (o536365, 0, "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 255, 6, 0);
  assert_item (o536365, 1, "71053", "WHITE METAL LANTERN", 339, 6, 0);
  assert_item (o536365, 2, "22752", "SET 7 BABUSHKA NESTING BOXES", 765, 2, 0);
  g_assert_cmpint (ord_order_get_total (o536365), ==, 5094);
  g_assert_cmpstr (ord_order_get_customer_name (o536365), ==, "Customer 17850");
  customer = get_customer (store, ord_order_get_customer_id (o536365));
  g_assert_cmpstr (ord_customer_get_external_ref (customer), ==, "online-retail:17850");
  g_assert_cmpstr (ord_customer_get_notes (customer), ==, "Country: United Kingdom");

  by_ref = ord_store_get_order_by_external_ref (store, "online-retail:536365", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ord_order_get_id (by_ref), ==, ord_order_get_id (o536365));

  /* A C invoice: cancelled, quantities positive, the reason in the
   * timeline. */
  cancelled = get_order (store, "C536379");
  g_assert_cmpint (ord_order_get_status (cancelled), ==, ORD_STATUS_CANCELLED);
  assert_item (cancelled, 0, "D", "Discount", 2750, 1, 0);
  events = ord_store_get_events (store, ord_order_get_id (cancelled), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 2);
  event = g_ptr_array_index (events, 0);
  g_assert_cmpint (ord_order_event_get_kind (event), ==, ORD_EVENT_IMPORTED);
  event = g_ptr_array_index (events, 1);
  g_assert_cmpint (ord_order_event_get_kind (event), ==, ORD_EVENT_CANCELLED);
  g_assert_cmpint (ord_order_event_get_to_status (event), ==, ORD_STATUS_CANCELLED);
  g_assert_cmpstr (ord_order_event_get_reason (event), ==, "Cancelled in the source data");

  /* No CustomerID: the walk-in customer; no description: the product's
   * name; a date as spreadsheets write it. */
  walk_in_order = get_order (store, "536590");
  walk_in = get_customer (store, ord_order_get_customer_id (walk_in_order));
  g_assert_cmpstr (ord_customer_get_name (walk_in), ==, "Walk-in");
  g_assert_cmpstr (ord_customer_get_external_ref (walk_in), ==, "online-retail:walk-in");
  assert_item (walk_in_order, 0, "85123A", "WHITE HANGING HEART T-LIGHT HOLDER", 295, 1, 0);
  g_assert_cmpint (ord_order_get_created_at (walk_in_order), ==, utc (2010, 12, 1, 17, 0, 0));

  /* The product keeps the first price seen. */
  heart = get_product (store, "85123A");
  g_assert_cmpint (ord_product_get_unit_price (heart), ==, 255);
  g_assert_cmpstr (ord_product_get_currency (heart), ==, "GBP");

  france = get_order (store, "550203");
  g_clear_object (&customer);
  customer = get_customer (store, ord_order_get_customer_id (france));
  g_assert_cmpstr (ord_customer_get_notes (customer), ==, "Country: France");
  assert_item (france, 0, "84879", "ASSORTED COLOUR BIRD ORNAMENT", 169, 8, 0);

  {
    g_autoptr(OrdOrder) quoted = get_order (store, "536381");

    assert_item (quoted, 0, "82567", "AIRLINE LOUNGE,METAL SIGN", 210, 2, 0);
  }

  /* Rejected invoices: not even their good lines. */
  assert_no_order (store, "536589");
  assert_no_order (store, "550193");
  assert_no_order (store, "A563186");
  assert_no_order (store, "550201");
}

static void
test_retail_small (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = import_fixture (fixture->store, "retail-small.csv");

  assert_retail_small (fixture->store, report, "retail-small.csv");
  /* The bulk path keeps the creation times of each chunk of orders. */
  g_assert_cmpint (count_chunks_missed (fixture), ==, 0);
}

/* gzip is recognised by its magic bytes, whatever the file's name. */
static void
test_retail_gzip (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *source = fixture_path ("retail-small.csv");
  g_autofree char *target = g_build_filename (fixture->dir, "retail-small.dat", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 9);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) gzip = g_converter_output_stream_new (memory, G_CONVERTER (compressor));
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdImportReport) report = NULL;
  const guint8 *bytes;

  g_assert_true (g_file_get_contents (source, &contents, &length, NULL));
  g_assert_true (g_output_stream_write_all (gzip, contents, length, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (gzip, NULL, &error));
  g_assert_no_error (error);
  bytes = g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (memory));
  g_assert_cmpuint (bytes[0], ==, 0x1f);
  g_assert_true (g_file_set_contents (target, (const char *) bytes,
                                      g_memory_output_stream_get_data_size (
                                        G_MEMORY_OUTPUT_STREAM (memory)),
                                      &error));

  report = import_path (fixture->store, target, ORD_IMPORT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  assert_retail_small (fixture->store, report, NULL);
  g_assert_cmpuint (report->problems->len, ==, G_N_ELEMENTS (retail_problems));
  for (guint i = 0; i < report->problems->len; i++)
    {
      OrdImportProblem *problem = g_ptr_array_index (report->problems, i);

      g_assert_cmpuint (problem->line, ==, retail_problems[i].line);
      g_assert_cmpstr (problem->reason, ==, retail_problems[i].reason);
      g_assert_true (g_str_has_suffix (problem->file, "retail-small.dat"));
    }

  /* Cut short (a download that stopped): the inflating fails, the import
   * says so and writes nothing. */
  {
    g_autofree char *cut = g_build_filename (fixture->dir, "retail-cut.csv.gz", NULL);
    g_autoptr(OrdStore) other = NULL;
    g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
    OrdImportReport *failed;
    gsize size = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (memory));

    g_assert_true (g_file_set_contents (cut, (const char *) bytes, size * 2 / 3, &error));
    other = ord_store_new (other_path, &error);
    g_assert_no_error (error);
    failed = import_path (other, cut, ORD_IMPORT_FORMAT_AUTO, &error);
    g_assert_null (failed);
    g_assert_nonnull (error);
    g_assert_true (strstr (error->message, "retail-cut.csv.gz") != NULL);
    g_assert_cmpint (count_orders (other), ==, 0);
  }
}

/* Importing a file again imports nothing twice. */
static void
test_import_twice (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OrdImportReport) first = import_fixture (fixture->store, "retail-small.csv");
  g_autoptr(OrdImportReport) second = NULL;
  g_autoptr(OrdImportReport) orderly_first = NULL;
  g_autoptr(OrdImportReport) orderly_second = NULL;
  gint64 outbox = ord_store_count_outbox (fixture->store);

  g_assert_cmpuint (first->orders_imported, ==, 6);

  second = import_fixture (fixture->store, "retail-small.csv");
  g_assert_cmpuint (second->orders_imported, ==, 0);
  g_assert_cmpuint (second->orders_skipped, ==, 6);
  /* The bad lines are still bad, and said so. */
  g_assert_cmpuint (second->orders_rejected, ==, 6);
  assert_problems (second, "retail-small.csv", retail_problems, G_N_ELEMENTS (retail_problems));
  g_assert_cmpuint (second->customers_created, ==, 0);
  g_assert_cmpuint (second->products_created, ==, 0);
  g_assert_cmpint (count_orders (fixture->store), ==, 6);
  g_assert_cmpint (ord_store_count_outbox (fixture->store), ==, outbox);

  /* Orderly's own format, without order ids: by number. */
  orderly_first = import_fixture (fixture->store, "orderly-good.csv");
  g_assert_cmpuint (orderly_first->orders_imported, ==, 3);
  orderly_second = import_fixture (fixture->store, "orderly-good.csv");
  g_assert_cmpuint (orderly_second->orders_imported, ==, 0);
  g_assert_cmpuint (orderly_second->orders_skipped, ==, 3);
  g_assert_cmpuint (orderly_second->customers_created, ==, 0);
  g_assert_cmpint (count_orders (fixture->store), ==, 9);
}

/* ------------------------------------------------------------------ */
/* Export and import back                                              */

static const char *tricky_notes[] = {
  "",
  "plain",
  "comma, inside",
  "a \"quoted\" word",
  "two\nlines",
  "crlf\r\nlines",
  " leading and trailing blanks ",
  "ünïcødé ✓ — 日本語",
  "=SUM(A1:A9)",
  "\"",
  ",",
};

static void
fill_store (OrdStore *store,
            guint     n_orders)
{
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (g_object_unref);
  static const char *currencies[] = { "EUR", "JPY", "KWD", "GBP" };
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < 40; i++)
    {
      OrdCustomer *customer = ord_customer_new ();
      g_autofree char *name = g_strdup_printf ("Customer %u%s", i,
                                               tricky_notes[i % G_N_ELEMENTS (tricky_notes)]);

      ord_customer_set_name (customer, name);
      if (i % 2 == 0)
        ord_customer_set_email (customer, "someone@example.org");
      if (i % 3 == 0)
        ord_customer_set_phone (customer, "+44 20 7946 0000");
      if (i % 4 == 0)
        ord_customer_set_notes (customer, tricky_notes[(i / 4) % G_N_ELEMENTS (tricky_notes)]);
      if (i % 5 == 0)
        {
          g_autofree char *ref = g_strdup_printf ("crm:%u", i);
          ord_customer_set_external_ref (customer, ref);
        }
      g_assert_true (ord_store_save_customer (store, customer, &error));
      g_assert_no_error (error);
      g_ptr_array_add (customers, customer);
    }

  for (guint i = 0; i < 30; i++)
    {
      OrdProduct *product = ord_product_new ();
      g_autofree char *sku = g_strdup_printf ("SKU-%03u", i);
      g_autofree char *name = g_strdup_printf ("Product, “%u”", i);

      ord_product_set_sku (product, sku);
      ord_product_set_name (product, name);
      ord_product_set_unit_price (product, g_rand_int_range (rand, 0, 100000));
      ord_product_set_currency (product, "EUR");
      g_assert_true (ord_store_save_product (store, product, &error));
      g_assert_no_error (error);
      g_ptr_array_add (products, product);
    }

  for (guint i = 0; i < n_orders; i++)
    {
      g_autoptr(OrdOrder) order = ord_order_new ();
      OrdCustomer *customer = g_ptr_array_index (customers, g_rand_int_range (rand, 0, 40));
      const char *currency = currencies[g_rand_int_range (rand, 0, G_N_ELEMENTS (currencies))];
      guint n_items = g_rand_int_range (rand, 1, 6);
      gint64 created = utc (2023, 1, 1, 0, 0, 0) +
                       (gint64) g_rand_int_range (rand, 0, 365 * 24 * 3600) * G_USEC_PER_SEC +
                       (i % 3 == 0 ? g_rand_int_range (rand, 0, 1000000) : 0);

      ord_order_set_customer_id (order, ord_customer_get_id (customer));
      ord_order_set_currency (order, currency);
      ord_order_set_status (order, (OrdStatus) (i % ORD_N_STATUSES));
      ord_order_set_created_at (order, created);
      ord_order_set_updated_at (order, created + g_rand_int_range (rand, 0, 1000000000));
      if (i % 4 == 1)
        ord_order_set_due_at (order, created + G_GINT64_CONSTANT (7) * 24 * 3600 * G_USEC_PER_SEC);
      if (i % 7 == 2)
        {
          g_autofree char *number = g_strdup_printf ("WEB-%u", i);
          ord_order_set_number (order, number);
        }
      if (i % 11 == 3)
        {
          g_autofree char *ref = g_strdup_printf ("shop:%u", i);
          ord_order_set_external_ref (order, ref);
        }
      ord_order_set_notes (order, tricky_notes[i % G_N_ELEMENTS (tricky_notes)]);
      ord_order_set_tax_rate (order, (guint) g_rand_int_range (rand, 0, 2501));

      for (guint j = 0; j < n_items; j++)
        {
          g_autoptr(OrdOrderItem) item = ord_order_item_new ();
          gint64 price = g_rand_int_range (rand, 0, 1000000);
          gint64 quantity = g_rand_int_range (rand, 1, 50);

          if (j % 3 != 2)
            {
              OrdProduct *product = g_ptr_array_index (products, g_rand_int_range (rand, 0, 30));

              ord_order_item_set_product_id (item, ord_product_get_id (product));
              ord_order_item_set_sku (item, ord_product_get_sku (product));
            }
          ord_order_item_set_name (item, j % 2 ? "Line, with “quotes” and\nnewline" : "Plain");
          ord_order_item_set_unit_price (item, price);
          ord_order_item_set_quantity (item, quantity);
          ord_order_item_set_discount (item, price * quantity / g_rand_int_range (rand, 2, 50));
          ord_order_add_item (order, item);
        }
      ord_order_set_discount (order, i % 5 == 0 ? 1 : 0);

      g_assert_true (ord_store_create_order (store, order, &error));
      g_assert_no_error (error);
    }

  g_rand_free (rand);
}

static GBytes *
export_all (OrdStore *store)
{
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (ord_export_orders (store, NULL, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
}

/* CSV has one empty field for "" and for no value: they are the same. */
#define assert_same_text(a, b) \
  g_assert_cmpstr ((a) != NULL ? (a) : "", ==, (b) != NULL ? (b) : "")

static void
assert_same_customer (OrdStore   *a,
                      OrdStore   *b,
                      const char *id)
{
  g_autoptr(OrdCustomer) ca = get_customer (a, id);
  g_autoptr(OrdCustomer) cb = get_customer (b, id);

  g_assert_cmpstr (ord_customer_get_name (ca), ==, ord_customer_get_name (cb));
  assert_same_text (ord_customer_get_email (ca), ord_customer_get_email (cb));
  assert_same_text (ord_customer_get_phone (ca), ord_customer_get_phone (cb));
  assert_same_text (ord_customer_get_notes (ca), ord_customer_get_notes (cb));
  assert_same_text (ord_customer_get_external_ref (ca), ord_customer_get_external_ref (cb));
}

static void
assert_same_order (OrdStore *a,
                   OrdStore *b,
                   OrdOrder *oa)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) ob = ord_store_get_order (b, ord_order_get_id (oa), &error);

  g_assert_no_error (error);
  g_assert_cmpstr (ord_order_get_number (oa), ==, ord_order_get_number (ob));
  g_assert_cmpstr (ord_order_get_provisional_number (oa), ==,
                   ord_order_get_provisional_number (ob));
  g_assert_cmpstr (ord_order_get_external_ref (oa), ==, ord_order_get_external_ref (ob));
  g_assert_cmpstr (ord_order_get_customer_id (oa), ==, ord_order_get_customer_id (ob));
  g_assert_cmpstr (ord_order_get_customer_name (oa), ==, ord_order_get_customer_name (ob));
  g_assert_cmpint (ord_order_get_status (oa), ==, ord_order_get_status (ob));
  g_assert_cmpint (ord_order_get_created_at (oa), ==, ord_order_get_created_at (ob));
  g_assert_cmpint (ord_order_get_updated_at (oa), ==, ord_order_get_updated_at (ob));
  g_assert_cmpint (ord_order_get_due_at (oa), ==, ord_order_get_due_at (ob));
  g_assert_cmpstr (ord_order_get_notes (oa), ==, ord_order_get_notes (ob));
  g_assert_cmpstr (ord_order_get_currency (oa), ==, ord_order_get_currency (ob));
  g_assert_cmpuint (ord_order_get_tax_rate (oa), ==, ord_order_get_tax_rate (ob));
  g_assert_cmpint (ord_order_get_discount (oa), ==, ord_order_get_discount (ob));
  g_assert_cmpint (ord_order_get_subtotal (oa), ==, ord_order_get_subtotal (ob));
  g_assert_cmpint (ord_order_get_tax (oa), ==, ord_order_get_tax (ob));
  g_assert_cmpint (ord_order_get_total (oa), ==, ord_order_get_total (ob));
  g_assert_cmpuint (ord_order_get_item_count (oa), ==, ord_order_get_item_count (ob));
  g_assert_cmpint (ord_order_get_version (oa), ==, ord_order_get_version (ob));
  g_assert_cmpuint (ord_order_get_n_items (oa), ==, ord_order_get_n_items (ob));

  for (guint i = 0; i < ord_order_get_n_items (oa); i++)
    {
      g_autoptr(OrdOrderItem) ia = ord_order_get_item (oa, i);
      g_autoptr(OrdOrderItem) ib = ord_order_get_item (ob, i);

      g_assert_cmpstr (ord_order_item_get_id (ia), ==, ord_order_item_get_id (ib));
      g_assert_cmpstr (ord_order_item_get_product_id (ia), ==, ord_order_item_get_product_id (ib));
      g_assert_cmpstr (ord_order_item_get_sku (ia), ==, ord_order_item_get_sku (ib));
      g_assert_cmpstr (ord_order_item_get_name (ia), ==, ord_order_item_get_name (ib));
      g_assert_cmpint (ord_order_item_get_unit_price (ia), ==, ord_order_item_get_unit_price (ib));
      g_assert_cmpint (ord_order_item_get_quantity (ia), ==, ord_order_item_get_quantity (ib));
      g_assert_cmpint (ord_order_item_get_discount (ia), ==, ord_order_item_get_discount (ib));
    }

  assert_same_customer (a, b, ord_order_get_customer_id (oa));
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  double *last = user_data;

  g_assert_cmpfloat (fraction, >=, *last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  *last = fraction;
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  guint n_orders = 1203;  /* more than two pages and two batches */
  g_autofree char *csv_path = g_build_filename (fixture->dir, "export.csv", NULL);
  g_autofree char *db2_path = g_build_filename (fixture->dir, "copy.db", NULL);
  g_autoptr(GBytes) exported = NULL;
  g_autoptr(GBytes) exported_again = NULL;
  g_autoptr(OrdStore) copy = NULL;
  g_autoptr(OrdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  OrdOrderQuery all = { 0, };
  OrdOrderCursor cursor = { 0, };
  guint seen = 0;
  double last = 0.0;

  fill_store (fixture->store, n_orders);
  exported = export_all (fixture->store);
  g_assert_true (g_file_set_contents (csv_path, g_bytes_get_data (exported, NULL),
                                      g_bytes_get_size (exported), &error));

  copy = ord_store_new (db2_path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GFile) file = g_file_new_for_path (csv_path);

    report = ord_import_file (copy, file, ORD_IMPORT_FORMAT_AUTO, progress_cb, &last, NULL,
                              &error);
  }
  g_assert_no_error (error);
  g_assert_cmpfloat (last, ==, 1.0);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpuint (report->orders_imported, ==, n_orders);
  g_assert_cmpuint (report->orders_rejected, ==, 0);
  g_assert_cmpint (count_orders (copy), ==, n_orders);

  /* Every field of every order and item, and of its customer. */
  for (;;)
    {
      g_autoptr(GPtrArray) page = ord_store_query_orders (fixture->store, &all, &cursor, 100,
                                                          &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        {
          OrdOrder *summary = g_ptr_array_index (page, i);
          g_autoptr(OrdOrder) order = ord_store_get_order (fixture->store,
                                                           ord_order_get_id (summary), &error);

          g_assert_no_error (error);
          assert_same_order (fixture->store, copy, order);
          seen++;
        }
    }
  ord_order_cursor_clear (&cursor);
  g_assert_cmpuint (seen, ==, n_orders);

  /* And the copy exports to the same bytes. */
  exported_again = export_all (copy);
  g_assert_true (g_bytes_equal (exported, exported_again));
}

/* An export can be filtered by the list query. */
static void
test_export_query (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(OrdImportReport) report = import_fixture (fixture->store, "retail-small.csv");
  g_autoptr(GOutputStream) out = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_auto(GStrv) lines = NULL;
  OrdOrderQuery cancelled = { 0, };

  cancelled.status_mask = 1u << ORD_STATUS_CANCELLED;
  g_assert_true (ord_export_orders (fixture->store, &cancelled, out, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (out, NULL, &error));
  bytes = g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (out));
  lines = g_strsplit (g_bytes_get_data (bytes, NULL), "\r\n", -1);

  /* The header, C536379's one line, and the empty rest after the last
   * CRLF. */
  g_assert_cmpuint (g_strv_length (lines), ==, 3);
  g_assert_true (g_str_has_prefix (lines[0], "order_id,number,provisional_number,external_ref,"));
  g_assert_nonnull (strstr (lines[1], ",C536379,"));
  g_assert_nonnull (strstr (lines[1], ",cancelled,"));
  g_assert_nonnull (strstr (lines[1], ",online-retail:C536379,"));
  g_assert_nonnull (strstr (lines[1], ",2010-12-01T09:41:00Z,"));
  g_assert_nonnull (strstr (lines[1], ",GBP,0.00,0.00,,27.50,"));
  g_assert_true (g_str_has_suffix (lines[1], ",D,Discount,27.50,1,0.00"));
  g_assert_cmpstr (lines[2], ==, "");
}

typedef struct
{
  GCancellable *cancellable;
  guint         calls;
} CancelData;

static void
cancel_on_progress (double   fraction,
                    gpointer user_data)
{
  CancelData *data = user_data;

  /* The second pass has begun: cancel; the first batch still commits. */
  if (fraction > 0.1 && data->calls++ == 0)
    g_cancellable_cancel (data->cancellable);
}

static char *
write_generated_csv (const char *dir,
                     guint       n_orders)
{
  g_autofree char *path = g_build_filename (dir, "generated.csv", NULL);
  g_autoptr(GString) csv = g_string_new ("number,customer_name,currency,item_sku,item_name,"
                                         "unit_price,quantity\n");

  for (guint i = 0; i < n_orders; i++)
    for (guint j = 0; j < 1 + i % 3; j++)
      g_string_append_printf (csv, "G-%05u,Customer %u,EUR,SKU-%u,Item %u,%u.%02u,%u\n",
                              i, i % 97, (i + j) % 50, (i + j) % 50, 1 + j, i % 100, 1 + j);
  g_assert_true (g_file_set_contents (path, csv->str, csv->len, NULL));

  return g_steal_pointer (&path);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *path = write_generated_csv (fixture->dir, 2 * ORD_IMPORT_BATCH_ORDERS + 7);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdImportReport) rest = NULL;
  CancelData cancel = { cancellable, 0 };
  OrdImportReport *report;
  gint64 n;

  report = ord_import_file (fixture->store, file, ORD_IMPORT_FORMAT_AUTO, cancel_on_progress,
                            &cancel, cancellable, &error);
  g_assert_null (report);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  /* Whole batches only, fewer than all. */
  n = count_orders (fixture->store);
  g_assert_cmpint (n % ORD_IMPORT_BATCH_ORDERS, ==, 0);
  g_assert_cmpint (n, <, 2 * ORD_IMPORT_BATCH_ORDERS + 7);

  /* Importing again adds the rest. */
  rest = ord_import_file (fixture->store, file, ORD_IMPORT_FORMAT_AUTO, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rest->orders_skipped, ==, n);
  g_assert_cmpuint (rest->orders_imported, ==, 2 * ORD_IMPORT_BATCH_ORDERS + 7 - n);
  g_assert_cmpint (count_orders (fixture->store), ==, 2 * ORD_IMPORT_BATCH_ORDERS + 7);
}

/* The file is read on a thread of its own while the batches are written,
 * but the progress is told on the thread that imports, in order, up to 1. */
typedef struct
{
  GThread *thread;
  guint    calls;
  guint    other_thread;
  guint    backwards;
  double   last;
} ProgressData;

static void
record_progress (double   fraction,
                 gpointer user_data)
{
  ProgressData *data = user_data;

  data->calls++;
  if (g_thread_self () != data->thread)
    data->other_thread++;
  if (fraction < data->last)
    data->backwards++;
  data->last = fraction;
}

static void
test_progress_thread (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *path = write_generated_csv (fixture->dir, 3 * ORD_IMPORT_BATCH_ORDERS + 1);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdImportReport) report = NULL;
  ProgressData progress = { g_thread_self (), 0, 0, 0, 0.0 };

  report = ord_import_file (fixture->store, file, ORD_IMPORT_FORMAT_AUTO, record_progress,
                            &progress, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->orders_imported, ==, 3 * ORD_IMPORT_BATCH_ORDERS + 1);
  g_assert_cmpint (count_orders (fixture->store), ==, 3 * ORD_IMPORT_BATCH_ORDERS + 1);

  g_assert_cmpuint (progress.calls, >, 2);
  g_assert_cmpuint (progress.other_thread, ==, 0);
  g_assert_cmpuint (progress.backwards, ==, 0);
  g_assert_cmpfloat (progress.last, ==, 1.0);
}

/* Two orders of one batch that are the same order (the same external
 * reference): the first is imported, the second skipped as if it had
 * been imported before, and a second import skips both. */
static void
test_same_ref_in_batch (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "same-ref.csv", NULL);
  const char *csv =
    "number,external_ref,customer_name,currency,item_sku,item_name,unit_price,quantity\n"
    "R-1,shop:77,Ada,EUR,S-1,Soap,2.50,2\n"
    "R-2,shop:78,Ada,EUR,S-2,Sponge,1.00,1\n"
    "R-3,shop:77,Ada,EUR,S-1,Soap,2.50,5\n";
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdImportReport) report = NULL;
  g_autoptr(OrdImportReport) again = NULL;
  g_autoptr(OrdOrder) first = NULL;

  g_assert_true (g_file_set_contents (path, csv, -1, NULL));
  file = g_file_new_for_path (path);

  report = ord_import_file (fixture->store, file, ORD_IMPORT_FORMAT_AUTO, NULL, NULL, NULL,
                            &error);
  g_assert_no_error (error);
  g_assert_cmpuint (report->orders_imported, ==, 2);
  g_assert_cmpuint (report->orders_skipped, ==, 1);
  g_assert_cmpuint (report->problems->len, ==, 0);
  g_assert_cmpint (count_orders (fixture->store), ==, 2);

  first = ord_store_get_order_by_external_ref (fixture->store, "shop:77", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ord_order_get_number (first), ==, "R-1");
  g_assert_cmpint (ord_order_get_total (first), ==, 500);

  again = ord_import_file (fixture->store, file, ORD_IMPORT_FORMAT_AUTO, NULL, NULL, NULL,
                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->orders_imported, ==, 0);
  g_assert_cmpuint (again->orders_skipped, ==, 3);
  g_assert_cmpint (count_orders (fixture->store), ==, 2);
}

/* ------------------------------------------------------------------ */
/* The real Online Retail file                                         */

static gint64
sql_int (const char *db_path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return value;
}

static void
test_retail_real_file (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *data_dir = g_getenv ("ORDERLY_DATA_DIR");
  g_autofree char *path = NULL;
  g_autoptr(OrdImportReport) report = NULL;
  g_autoptr(OrdImportReport) again = NULL;
  g_autoptr(GError) error = NULL;
  gint64 counts[ORD_N_STATUSES];
  gint64 start;

  /* The numbers come from tests/fixtures/csv/online-retail-expected.py,
   * which reads the file with Python's csv module. */
  const guint expected_orders = 24558;
  const guint expected_cancelled = 3836;
  const guint expected_rejected = 1342;
  const guint expected_bad_lines = 1342;
  const guint expected_items = 540449;
  const guint expected_customers = 4372;
  const guint expected_products = 3957;

  if (data_dir == NULL)
    {
      g_test_skip ("ORDERLY_DATA_DIR is not set: no Online Retail file to import");
      return;
    }
  path = g_build_filename (data_dir, "online-retail.csv.gz", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autofree char *message = g_strdup_printf ("%s is absent: the real-file test is skipped",
                                                  path);
      g_test_skip (message);
      return;
    }

  start = g_get_monotonic_time ();
  report = import_path (fixture->store, path, ORD_IMPORT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_test_message ("imported %" G_GUINT64_FORMAT " lines in %.1f s", report->lines_read,
                  (g_get_monotonic_time () - start) / 1e6);

  g_assert_cmpuint (report->lines_read, ==, 541909);
  g_assert_cmpuint (report->orders_imported, ==, expected_orders);
  g_assert_cmpuint (report->orders_rejected, ==, expected_rejected);
  g_assert_cmpuint (report->problems->len, ==, expected_bad_lines);
  g_assert_cmpuint (report->customers_created, ==, expected_customers);
  g_assert_cmpuint (report->products_created, ==, expected_products);
  g_assert_true (ord_store_count_by_status (fixture->store, counts, &error));
  g_assert_cmpint (counts[ORD_STATUS_CANCELLED], ==, expected_cancelled);
  g_assert_cmpint (counts[ORD_STATUS_DELIVERED], ==, expected_orders - expected_cancelled);
  g_assert_cmpint (sql_int (fixture->db_path, "SELECT count(*) FROM order_items"), ==,
                   expected_items);
  g_assert_cmpint (sql_int (fixture->db_path,
                            "SELECT count(*) FROM outbox WHERE name = 'create_order'"), ==,
                   expected_orders);

  /* The second time, nothing. */
  again = import_path (fixture->store, path, ORD_IMPORT_FORMAT_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->orders_imported, ==, 0);
  g_assert_cmpuint (again->orders_skipped, ==, expected_orders);
  g_assert_cmpuint (again->customers_created, ==, 0);
  g_assert_cmpuint (again->products_created, ==, 0);
  g_assert_cmpint (count_orders (fixture->store), ==, expected_orders);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/import/orderly/good", test_orderly_good);
  ADD ("/import/bulk-outbox", test_bulk_outbox);
  ADD ("/import/search-lines", test_search_lines);
  ADD ("/import/bulk-retry", test_bulk_retry);
  ADD ("/import/orderly/bad", test_orderly_bad);
  ADD ("/import/orderly/split", test_orderly_split);
  ADD ("/import/format-errors", test_format_errors);
  g_test_add_func ("/import/format-names", test_format_names);
  ADD ("/import/retail/small", test_retail_small);
  ADD ("/import/retail/gzip", test_retail_gzip);
  ADD ("/import/twice", test_import_twice);
  ADD ("/import/cancel", test_cancel);
  ADD ("/import/progress-thread", test_progress_thread);
  ADD ("/import/orderly/same-ref", test_same_ref_in_batch);
  ADD ("/export/round-trip", test_round_trip);
  ADD ("/export/query", test_export_query);
  ADD ("/import/retail/real-file", test_retail_real_file);

#undef ADD

  return g_test_run ();
}
