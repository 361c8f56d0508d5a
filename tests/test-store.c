/* test-store.c: the local store: CRUD, status machine, outbox, timeline,
 * search, keyset pages
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "ord-core.h"
#include "ord-store-private.h"
#include "ord-uuid.h"

typedef struct
{
  char     *dir;
  char     *path;
  OrdStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("orderly-store-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "orders.db", NULL);
  f->store = ord_store_new (f->path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (f->store);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *wal = g_strconcat (f->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (f->path, "-shm", NULL);

  g_assert_finalize_object (f->store);
  g_unlink (f->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static gint64
query_int (OrdStore   *store,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (ord_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

static char *
query_text (OrdStore   *store,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (ord_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_text (stmt, 0))
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  return value;
}

static OrdCustomer *
add_customer (OrdStore   *store,
              const char *name)
{
  g_autoptr(OrdCustomer) c = ord_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *email = g_strdup_printf ("%s@example.org", name);

  ord_customer_set_name (c, name);
  ord_customer_set_email (c, email);
  ord_store_save_customer (store, c, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&c);
}

static OrdOrderItem *
make_item (const char *name,
           gint64      price,
           gint64      quantity)
{
  OrdOrderItem *item = ord_order_item_new ();

  ord_order_item_set_name (item, name);
  ord_order_item_set_unit_price (item, price);
  ord_order_item_set_quantity (item, quantity);

  return item;
}

static OrdOrder *
make_order (OrdCustomer *customer,
            const char  *notes,
            ...)
{
  OrdOrder *order = ord_order_new ();
  va_list ap;
  const char *name;

  ord_order_set_customer_id (order, ord_customer_get_id (customer));
  ord_order_set_currency (order, "EUR");
  ord_order_set_notes (order, notes);

  va_start (ap, notes);
  while ((name = va_arg (ap, const char *)))
    {
      gint64 price = va_arg (ap, gint64);
      gint64 quantity = va_arg (ap, gint64);
      g_autoptr(OrdOrderItem) item = make_item (name, price, quantity);

      ord_order_add_item (order, item);
    }
  va_end (ap);

  return order;
}

static void
test_customers_products (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada Lovelace");
  g_autoptr(OrdCustomer) alan = add_customer (f->store, "Alan Turing");
  g_autoptr(OrdCustomer) loaded = NULL;
  g_autoptr(OrdProduct) bread = ord_product_new ();
  g_autoptr(OrdProduct) clash = ord_product_new ();
  g_autoptr(OrdProduct) by_sku = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (ord_uuid_is_valid (ord_customer_get_id (ada)));
  loaded = ord_store_get_customer (f->store, ord_customer_get_id (ada), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ord_customer_get_name (loaded), ==, "Ada Lovelace");
  g_assert_cmpstr (ord_customer_get_email (loaded), ==, "Ada Lovelace@example.org");

  found = ord_store_find_customers (f->store, "tur", 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_cmpstr (ord_customer_get_id (g_ptr_array_index (found, 0)), ==,
                   ord_customer_get_id (alan));

  ord_product_set_sku (bread, "BRD-1");
  ord_product_set_name (bread, "Sourdough loaf");
  ord_product_set_unit_price (bread, 450);
  ord_product_set_currency (bread, "EUR");
  ord_store_save_product (f->store, bread, &error);
  g_assert_no_error (error);

  by_sku = ord_store_get_product_by_sku (f->store, "BRD-1", &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_product_get_unit_price (by_sku), ==, 450);
  g_assert_true (ord_product_get_active (by_sku));

  /* A second product with the same SKU is refused with a reason. */
  ord_product_set_sku (clash, "BRD-1");
  ord_product_set_name (clash, "Other");
  ord_product_set_currency (clash, "EUR");
  g_assert_false (ord_store_save_product (f->store, clash, &error));
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID);
  g_assert_nonnull (strstr (error->message, "BRD-1"));
  g_clear_error (&error);

  /* A customer needs a name. */
  {
    g_autoptr(OrdCustomer) nameless = ord_customer_new ();

    ord_customer_set_name (nameless, "   ");
    g_assert_false (ord_store_save_customer (f->store, nameless, &error));
    g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  /* Customers and products each queued one upsert. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM outbox WHERE name = 'upsert_customer'"),
                   ==, 2);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM outbox WHERE name = 'upsert_product'"),
                   ==, 1);
}

static void
test_order_lifecycle (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada Lovelace");
  g_autoptr(OrdOrder) order = make_order (ada, "Ring twice",
                                          "Sourdough loaf", (gint64) 450, (gint64) 2,
                                          "Butter", (gint64) 199, (gint64) 1, NULL);
  g_autoptr(OrdOrder) second = make_order (ada, NULL, "Butter", (gint64) 199, (gint64) 3, NULL);
  g_autoptr(OrdOrder) loaded = NULL;
  g_autoptr(OrdOrder) edited = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *args = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *obj;

  ord_order_set_tax_rate (order, 1000); /* 10 % */
  ord_store_create_order (f->store, order, &error);
  g_assert_no_error (error);
  ord_store_create_order (f->store, second, &error);
  g_assert_no_error (error);

  /* Provisional numbers per device, in sequence. */
  g_assert_cmpstr (ord_order_get_number (order), ==, "T1-0001");
  g_assert_cmpstr (ord_order_get_number (second), ==, "T1-0002");

  loaded = ord_store_get_order (f->store, ord_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_order_get_status (loaded), ==, ORD_STATUS_PENDING);
  g_assert_cmpuint (ord_order_get_n_items (loaded), ==, 2);
  /* 2 × 4.50 + 1.99 = 10.99; tax 10 % = 1.099 → 1.10; total 12.09 */
  g_assert_cmpint (ord_order_get_subtotal (loaded), ==, 1099);
  g_assert_cmpint (ord_order_get_tax (loaded), ==, 110);
  g_assert_cmpint (ord_order_get_total (loaded), ==, 1209);
  g_assert_cmpstr (ord_order_get_customer_name (loaded), ==, "Ada Lovelace");
  g_assert_cmpstr (ord_order_get_notes (loaded), ==, "Ring twice");

  /* Edit: notes and one more loaf; the store records only what changed. */
  edited = ord_order_copy (loaded);
  ord_order_set_notes (edited, "Leave at the door");
  {
    g_autoptr(OrdOrderItem) first = ord_order_get_item (edited, 0);
    ord_order_item_set_quantity (first, 3);
  }
  ord_store_edit_order (f->store, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_order_get_total (edited), ==, 1704); /* (13.50+1.99)=15.49, tax 1.55 */

  args = query_text (f->store, "SELECT args FROM outbox WHERE name = 'edit_order'");
  g_assert_nonnull (args);
  node = json_from_string (args, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (obj, "base_version"), ==, 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (obj, "fields"),
                                                  "notes"), ==, "Leave at the door");
  g_assert_false (json_object_has_member (json_object_get_object_member (obj, "fields"),
                                          "due_at"));
  g_assert_cmpuint (json_array_get_length (
                      json_object_get_array_member (json_object_get_object_member (obj, "items"),
                                                    "change")), ==, 1);

  /* An edit that changes nothing writes nothing. */
  ord_store_edit_order (f->store, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM outbox WHERE name = 'edit_order'"),
                   ==, 1);

  /* Status: compare-and-set on what the user saw. */
  ord_store_set_status (f->store, ord_order_get_id (order), ORD_STATUS_PENDING,
                        ORD_STATUS_CONFIRMED, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (ord_store_set_status (f->store, ord_order_get_id (order), ORD_STATUS_PENDING,
                                        ORD_STATUS_PREPARING, NULL, &error));
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_CONFLICT);
  g_assert_nonnull (strstr (error->message, "T1-0001"));
  g_clear_error (&error);

  /* A cancellation needs a reason. */
  g_assert_false (ord_store_cancel_order (f->store, ord_order_get_id (order), "  ", &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_REASON);
  g_clear_error (&error);
  ord_store_cancel_order (f->store, ord_order_get_id (order), "Customer moved away", &error);
  g_assert_no_error (error);

  /* Cancelled is terminal: no edit, no status change. */
  g_assert_false (ord_store_edit_order (f->store, edited, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (ord_store_set_status (f->store, ord_order_get_id (order), ORD_STATUS_CANCELLED,
                                        ORD_STATUS_PENDING, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_INVALID);
  g_clear_error (&error);

  /* The timeline tells the story, oldest first. */
  events = ord_store_get_events (f->store, ord_order_get_id (order), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpint (ord_order_event_get_kind (g_ptr_array_index (events, 0)), ==, ORD_EVENT_CREATED);
  g_assert_cmpint (ord_order_event_get_kind (g_ptr_array_index (events, 1)), ==, ORD_EVENT_EDITED);
  g_assert_nonnull (strstr (ord_order_event_get_details (g_ptr_array_index (events, 1)), "notes"));
  g_assert_cmpint (ord_order_event_get_kind (g_ptr_array_index (events, 2)), ==, ORD_EVENT_STATUS);
  g_assert_cmpint (ord_order_event_get_to_status (g_ptr_array_index (events, 2)), ==,
                   ORD_STATUS_CONFIRMED);
  g_assert_cmpint (ord_order_event_get_kind (g_ptr_array_index (events, 3)), ==,
                   ORD_EVENT_CANCELLED);
  g_assert_cmpstr (ord_order_event_get_reason (g_ptr_array_index (events, 3)), ==,
                   "Customer moved away");

  /* Every change is one mutation, in order. */
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM outbox"), ==, 1 + 2 + 1 + 1 + 1);
  g_assert_cmpint (query_int (f->store,
                              "SELECT count(*) FROM (SELECT name FROM outbox"
                              " WHERE entity_id IS NOT NULL ORDER BY mutation_id)"), ==, 6);
  {
    g_autofree char *last = query_text (f->store,
                                        "SELECT name FROM outbox ORDER BY mutation_id DESC LIMIT 1");
    g_assert_cmpstr (last, ==, "cancel_order");
  }

  /* Lookup by number. */
  {
    g_autoptr(OrdOrder) by_number = ord_store_get_order_by_number (f->store, "T1-0002", &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ord_order_get_id (by_number), ==, ord_order_get_id (second));
  }
}

/* The create_order mutation carries the order exactly, whatever its text. */
static void
test_outbox_json (Fixture       *f,
                  gconstpointer  data)
{
  const char *notes = "He said \"hi\"\n\ttab \\ back \x01 café ✓";
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada");
  g_autoptr(OrdOrder) order = make_order (ada, notes, "Crème \"brûlée\"", (gint64) 600,
                                          (gint64) 4, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *args = NULL;
  JsonObject *obj, *item;

  ord_store_create_order (f->store, order, &error);
  g_assert_no_error (error);

  args = query_text (f->store, "SELECT args FROM outbox WHERE name = 'create_order'");
  node = json_from_string (args, &error);
  g_assert_no_error (error);
  obj = json_node_get_object (node);
  g_assert_cmpstr (json_object_get_string_member (obj, "notes"), ==, notes);
  g_assert_cmpstr (json_object_get_string_member (obj, "id"), ==, ord_order_get_id (order));
  g_assert_cmpstr (json_object_get_string_member (obj, "status"), ==, "pending");
  g_assert_true (json_object_get_null_member (obj, "external_ref"));
  item = json_array_get_object_element (json_object_get_array_member (obj, "items"), 0);
  g_assert_cmpstr (json_object_get_string_member (item, "name"), ==, "Crème \"brûlée\"");
  g_assert_cmpint (json_object_get_int_member (item, "quantity"), ==, 4);
  g_assert_cmpint (json_object_get_int_member (item, "unit_price"), ==, 600);

  /* Local-only writes queue nothing. */
  ord_store_set_outbox_enabled (f->store, FALSE);
  {
    g_autoptr(OrdOrder) demo = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);
    gint64 before = ord_store_count_outbox (f->store);

    ord_store_create_order (f->store, demo, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ord_store_count_outbox (f->store), ==, before);
  }
}

static void
test_roles (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada");
  g_autoptr(OrdOrder) order = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);
  g_autoptr(OrdOrder) copy = NULL;
  g_autoptr(GError) error = NULL;

  ord_store_set_actor (f->store, ORD_ROLE_CUSTOMER, "ada@example.org");
  ord_store_create_order (f->store, order, &error);
  g_assert_no_error (error);

  /* A customer never moves an order forward. */
  g_assert_false (ord_store_set_status (f->store, ord_order_get_id (order), ORD_STATUS_PENDING,
                                        ORD_STATUS_CONFIRMED, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_FORBIDDEN);
  g_clear_error (&error);

  /* The owner confirms; the customer may no longer edit, but may cancel. */
  ord_store_set_actor (f->store, ORD_ROLE_OWNER, NULL);
  ord_store_set_status (f->store, ord_order_get_id (order), ORD_STATUS_PENDING,
                        ORD_STATUS_CONFIRMED, NULL, &error);
  g_assert_no_error (error);

  ord_store_set_actor (f->store, ORD_ROLE_CUSTOMER, "ada@example.org");
  copy = ord_store_get_order (f->store, ord_order_get_id (order), &error);
  g_assert_no_error (error);
  ord_order_set_notes (copy, "Extra milk");
  g_assert_false (ord_store_edit_order (f->store, copy, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_LOCKED);
  g_clear_error (&error);

  ord_store_cancel_order (f->store, ord_order_get_id (order), "Changed my mind", &error);
  g_assert_no_error (error);

  {
    g_autoptr(GPtrArray) events = ord_store_get_events (f->store, ord_order_get_id (order), &error);
    OrdOrderEvent *last = g_ptr_array_index (events, events->len - 1);

    g_assert_cmpstr (ord_order_event_get_actor (last), ==, "ada@example.org");
  }

  /* A customer cannot create an order that is already confirmed. */
  {
    g_autoptr(OrdOrder) sneaky = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);

    ord_order_set_status (sneaky, ORD_STATUS_CONFIRMED);
    g_assert_false (ord_store_create_order (f->store, sneaky, &error));
    g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_FORBIDDEN);
  }
}

static void
test_invalid_orders (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada");
  g_autoptr(GError) error = NULL;
  gint64 outbox_before = ord_store_count_outbox (f->store);

  {
    g_autoptr(OrdOrder) empty = make_order (ada, NULL, NULL);
    g_assert_false (ord_store_create_order (f->store, empty, &error));
    g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }
  {
    g_autoptr(OrdOrder) negative = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) -3, NULL);
    g_assert_false (ord_store_create_order (f->store, negative, &error));
    g_assert_nonnull (error);
    g_assert_nonnull (strstr (error->message, "-3"));
    g_clear_error (&error);
  }
  {
    g_autoptr(OrdOrder) orphan = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);
    ord_order_set_customer_id (orphan, "0190c0de-0000-7000-8000-000000000000");
    g_assert_false (ord_store_create_order (f->store, orphan, &error));
    g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID);
    g_clear_error (&error);
  }

  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders"), ==, 0);
  g_assert_cmpint (ord_store_count_outbox (f->store), ==, outbox_before);
}

/* A failure at any step rolls back the order, its lines, its timeline and
 * its mutation together. */
static void
test_atomic (Fixture       *f,
             gconstpointer  data)
{
  const char *traps[] = {
    "CREATE TEMP TRIGGER trap BEFORE INSERT ON outbox BEGIN SELECT RAISE (ABORT, 'disk full'); END",
    "CREATE TEMP TRIGGER trap BEFORE INSERT ON order_events BEGIN SELECT RAISE (ABORT, 'disk full'); END",
    "CREATE TEMP TRIGGER trap BEFORE INSERT ON order_items BEGIN SELECT RAISE (ABORT, 'disk full'); END",
  };
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada");
  g_autoptr(OrdOrder) kept = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);
  g_autoptr(GError) error = NULL;
  sqlite3 *db = ord_store_get_db (f->store);

  ord_store_create_order (f->store, kept, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (traps); i++)
    {
      g_autoptr(OrdOrder) order = make_order (ada, NULL, "Cake", (gint64) 900, (gint64) 1,
                                              "Tea", (gint64) 300, (gint64) 2, NULL);
      g_autoptr(OrdOrder) edit = NULL;

      g_assert_true (ord_store_exec (db, traps[i], NULL));

      g_assert_false (ord_store_create_order (f->store, order, &error));
      g_assert_nonnull (error);
      g_assert_nonnull (strstr (error->message, "disk full"));
      g_clear_error (&error);

      edit = ord_store_get_order (f->store, ord_order_get_id (kept), &error);
      g_assert_no_error (error);
      ord_order_set_notes (edit, "changed");
      g_assert_false (ord_store_edit_order (f->store, edit, &error));
      g_clear_error (&error);

      g_assert_true (ord_store_exec (db, "DROP TRIGGER temp.trap", NULL));

      /* Exactly what was there before. */
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders"), ==, 1);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_items"), ==, 1);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM order_events"), ==, 1);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM outbox WHERE name LIKE '%order'"),
                       ==, 1);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders_fts"), ==, 1);
      g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders WHERE notes = 'changed'"),
                       ==, 0);
    }

  /* The failed creates did not use up provisional numbers either. */
  {
    g_autoptr(OrdOrder) next = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);

    ord_store_create_order (f->store, next, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (ord_order_get_number (next), ==, "T1-0002");
  }
}

static void
on_changed (OrdStore   *store,
            const char *entity,
            const char *id,
            GPtrArray  *log)
{
  g_ptr_array_add (log, g_strdup_printf ("%s:%s", entity, id ? id : "*"));
}

static gboolean
txn_two_orders (OrdStore  *store,
                gpointer   user_data,
                GError   **error)
{
  OrdCustomer *ada = user_data;
  g_autoptr(OrdOrder) a = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);
  g_autoptr(OrdOrder) b = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);

  return ord_store_create_order (store, a, error) && ord_store_create_order (store, b, error);
}

static gboolean
txn_fails (OrdStore  *store,
           gpointer   user_data,
           GError   **error)
{
  OrdCustomer *ada = user_data;
  g_autoptr(OrdOrder) a = make_order (ada, NULL, "Tea", (gint64) 300, (gint64) 1, NULL);

  if (!ord_store_create_order (store, a, error))
    return FALSE;
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "stopped");
  return FALSE;
}

static void
test_changed_signal (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada");
  g_autoptr(GPtrArray) log = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;

  g_signal_connect (f->store, "changed", G_CALLBACK (on_changed), log);

  /* One transaction with two orders: one signal, after the commit. */
  ord_store_transaction (f->store, txn_two_orders, ada, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (log, 0), ==, "order:*");
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders"), ==, 2);

  /* A transaction that fails says nothing and leaves nothing. */
  g_assert_false (ord_store_transaction (f->store, txn_fails, ada, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (log->len, ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT count(*) FROM orders"), ==, 2);

  g_signal_handlers_disconnect_by_func (f->store, on_changed, log);
}

static void
test_search (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(OrdCustomer) ada = add_customer (f->store, "Ada Lovelace");
  g_autoptr(OrdCustomer) alan = add_customer (f->store, "Alan Turing");
  g_autoptr(OrdOrder) o1 = make_order (ada, "Birthday party, gluten free",
                                       "Chocolate cake", (gint64) 2500, (gint64) 1, NULL);
  g_autoptr(OrdOrder) o2 = make_order (alan, "Pick up at noon",
                                       "Sourdough loaf", (gint64) 450, (gint64) 2, NULL);
  g_autoptr(OrdOrder) o3 = make_order (alan, NULL, "Crème brûlée", (gint64) 600, (gint64) 4, NULL);
  g_autoptr(GError) error = NULL;
  OrdOrderQuery q = { 0 };
  struct { const char *text; const char *expect[3]; } cases[] = {
    { "lovelace", { "T1-0001", NULL } },
    { "turing", { "T1-0002", "T1-0003", NULL } },
    { "sourd", { "T1-0002", NULL } },          /* prefix of an item name */
    { "gluten", { "T1-0001", NULL } },         /* a word of the notes */
    { "T1-0003", { "T1-0003", NULL } },        /* the number */
    { "creme brulee", { "T1-0003", NULL } },   /* without accents */
    { "alan noon", { "T1-0002", NULL } },      /* every word must match */
    { "\"quoted", { NULL } },                  /* odd input is not an error */
  };

  ord_store_create_order (f->store, o1, &error);
  ord_store_create_order (f->store, o2, &error);
  ord_store_create_order (f->store, o3, &error);
  g_assert_no_error (error);

  q.sort = ORD_SORT_NUMBER;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GPtrArray) rows = NULL;
      guint n = 0;

      q.text = cases[i].text;
      rows = ord_store_query_orders (f->store, &q, NULL, 50, &error);
      g_assert_no_error (error);
      while (cases[i].expect[n])
        n++;
      g_assert_cmpuint (rows->len, ==, n);
      for (guint j = 0; j < n; j++)
        g_assert_cmpstr (ord_order_get_number (g_ptr_array_index (rows, j)), ==, cases[i].expect[j]);
      g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, n);
    }

  /* A renamed customer is found under the new name. */
  ord_customer_set_name (alan, "Alan M. Turing-Smith");
  ord_store_save_customer (f->store, alan, &error);
  g_assert_no_error (error);
  q.text = "smith";
  {
    g_autoptr(GPtrArray) rows = ord_store_query_orders (f->store, &q, NULL, 50, &error);
    g_assert_cmpuint (rows->len, ==, 2);
    g_assert_cmpstr (ord_order_get_customer_name (g_ptr_array_index (rows, 0)), ==,
                     "Alan M. Turing-Smith");
  }

  /* An edited order is found by its new notes, not its old ones. */
  {
    g_autoptr(OrdOrder) edit = ord_store_get_order (f->store, ord_order_get_id (o1), &error);

    ord_order_set_notes (edit, "Wedding anniversary");
    ord_store_edit_order (f->store, edit, &error);
    g_assert_no_error (error);
    q.text = "gluten";
    g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 0);
    q.text = "anniversary";
    g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 1);
  }

  /* An order another program (another connection) adds is found at once:
   * the search just made is not reused. */
  {
    g_autoptr(OrdStore) other = ord_store_new (f->path, &error);
    g_autoptr(OrdCustomer) grace = NULL;
    g_autoptr(OrdOrder) o4 = NULL;
    g_autoptr(GPtrArray) rows = NULL;

    g_assert_no_error (error);
    grace = add_customer (other, "Grace Hopper");
    o4 = make_order (grace, "Anniversary cake", "Lemon tart", (gint64) 1800, (gint64) 1, NULL);
    ord_store_create_order (other, o4, &error);
    g_assert_no_error (error);
    g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 2);
    rows = ord_store_query_orders (f->store, &q, NULL, 50, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (rows->len, ==, 2);
  }
}

/* ---- keyset pages against an independent sort in C ---- */

typedef struct
{
  gint64  seq;
  char   *id;
  int     status;
  gint64  created, due, total, items;
  char   *number, *customer;
} RefRow;

static void
ref_row_free (gpointer data)
{
  RefRow *r = data;

  g_free (r->id);
  g_free (r->number);
  g_free (r->customer);
  g_free (r);
}

static OrdSortKey ref_sort;
static gboolean ref_desc;

static int
ref_cmp (gconstpointer a,
         gconstpointer b)
{
  const RefRow *x = *(RefRow **) a, *y = *(RefRow **) b;
  int c = 0;

  switch (ref_sort)
    {
    case ORD_SORT_CREATED: c = (x->created > y->created) - (x->created < y->created); break;
    case ORD_SORT_DUE: c = (x->due > y->due) - (x->due < y->due); break;
    case ORD_SORT_TOTAL: c = (x->total > y->total) - (x->total < y->total); break;
    case ORD_SORT_NUMBER: c = strcmp (x->number, y->number); break;
    case ORD_SORT_CUSTOMER: c = g_ascii_strcasecmp (x->customer, y->customer); break;
    case ORD_SORT_ITEMS: c = (x->items > y->items) - (x->items < y->items); break;
    default: g_assert_not_reached ();
    }
  if (c == 0)
    c = (x->seq > y->seq) - (x->seq < y->seq);

  return ref_desc ? -c : c;
}

static gboolean
populate_many (OrdStore  *store,
               gpointer   user_data,
               GError   **error)
{
  GRand *rand = user_data;
  const char *names[] = { "ada", "Alan", "barbara", "Claude", "donald", "Edsger", "frances",
                          "Grace", "hedy", "Ivan" };
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(OrdCustomer) c = ord_customer_new ();

      ord_customer_set_name (c, names[i]);
      if (!ord_store_save_customer (store, c, error))
        return FALSE;
      g_ptr_array_add (customers, g_steal_pointer (&c));
    }

  for (guint i = 0; i < 1500; i++)
    {
      OrdCustomer *c = g_ptr_array_index (customers, g_rand_int_range (rand, 0, customers->len));
      /* Few distinct prices and times: many ties for the tie-breaker. */
      g_autoptr(OrdOrder) o = make_order (c, NULL, "Item", (gint64) g_rand_int_range (rand, 1, 8) * 100,
                                          (gint64) 1, NULL);

      ord_order_set_status (o, g_rand_int_range (rand, 0, ORD_N_STATUSES));
      ord_order_set_created_at (o, 1700000000000000 + (gint64) g_rand_int_range (rand, 0, 50) * 1000000);
      ord_order_set_due_at (o, g_rand_boolean (rand) ? 0 : 1700000000000000 +
                               (gint64) g_rand_int_range (rand, 0, 20) * 3600000000);
      if (g_rand_int_range (rand, 0, 4) == 0)
        ord_order_set_number (o, g_rand_boolean (rand) ? "536365" : "C536379");
      if (!ord_store_create_order (store, o, error))
        return FALSE;
    }

  return TRUE;
}

static GPtrArray *
reference_rows (OrdStore *store)
{
  GPtrArray *rows = g_ptr_array_new_with_free_func (ref_row_free);
  sqlite3_stmt *stmt = NULL;

  sqlite3_prepare_v2 (ord_store_get_db (store),
                      "SELECT seq, id, status, created_at, due_at, total, number, customer_name,"
                      " (SELECT count(*) FROM order_items i WHERE i.order_id = o.id)"
                      " FROM orders o", -1, &stmt, NULL);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      RefRow *r = g_new0 (RefRow, 1);

      r->seq = sqlite3_column_int64 (stmt, 0);
      r->id = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      r->status = sqlite3_column_int (stmt, 2);
      r->created = sqlite3_column_int64 (stmt, 3);
      r->due = sqlite3_column_int64 (stmt, 4);
      r->total = sqlite3_column_int64 (stmt, 5);
      r->number = g_strdup ((const char *) sqlite3_column_text (stmt, 6));
      r->customer = g_strdup ((const char *) sqlite3_column_text (stmt, 7));
      r->items = sqlite3_column_int64 (stmt, 8);
      g_ptr_array_add (rows, r);
    }
  sqlite3_finalize (stmt);

  return rows;
}

static void
test_keyset (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint masks[] = { 0, 1u << ORD_STATUS_PENDING, (1u << ORD_STATUS_PENDING) | (1u << ORD_STATUS_SHIPPED),
                    (1u << 5) - 1, (1u << ORD_N_STATUSES) - 1 };
  gint64 counts[ORD_N_STATUSES];
  guint checked = 0;

  ord_store_transaction (f->store, populate_many, rand, &error);
  g_assert_no_error (error);
  all = reference_rows (f->store);
  g_assert_cmpuint (all->len, ==, 1500);

  ord_store_count_by_status (f->store, counts, &error);
  g_assert_no_error (error);
  for (int s = 0; s < ORD_N_STATUSES; s++)
    {
      gint64 n = 0;
      for (guint i = 0; i < all->len; i++)
        n += ((RefRow *) g_ptr_array_index (all, i))->status == s;
      g_assert_cmpint (counts[s], ==, n);
    }

  for (guint m = 0; m < G_N_ELEMENTS (masks); m++)
    for (int sort = 0; sort < ORD_N_SORT_KEYS; sort++)
      for (int desc = 0; desc < 2; desc++)
        {
          g_autoptr(GPtrArray) expect = g_ptr_array_new ();
          OrdOrderQuery q = { 0 };
          OrdOrderCursor cursor = { 0 };
          guint pos = 0;

          for (guint i = 0; i < all->len; i++)
            {
              RefRow *r = g_ptr_array_index (all, i);
              if (masks[m] == 0 || (masks[m] & (1u << r->status)))
                g_ptr_array_add (expect, r);
            }
          ref_sort = sort;
          ref_desc = desc;
          g_ptr_array_sort (expect, ref_cmp);

          q.status_mask = masks[m];
          q.sort = sort;
          q.descending = desc;

          g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, expect->len);

          /* Page by page, with an odd page size. */
          for (;;)
            {
              g_autoptr(GPtrArray) page = ord_store_query_orders (f->store, &q, &cursor, 37, &error);

              g_assert_no_error (error);
              if (page->len == 0)
                break;
              for (guint i = 0; i < page->len; i++, pos++)
                {
                  RefRow *r = g_ptr_array_index (expect, pos);
                  g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (page, i)), ==, r->id);
                }
            }
          g_assert_cmpuint (pos, ==, expect->len);
          ord_order_cursor_clear (&cursor);

          /* Random access at a few offsets. */
          for (guint k = 0; k < 5 && expect->len > 0; k++)
            {
              guint offset = g_rand_int_range (rand, 0, expect->len);
              g_autoptr(GPtrArray) page = ord_store_query_orders_at (f->store, &q, offset, 10, &error);

              g_assert_no_error (error);
              g_assert_cmpuint (page->len, ==, MIN (10, expect->len - offset));
              for (guint i = 0; i < page->len; i++)
                g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (page, i)), ==,
                                 ((RefRow *) g_ptr_array_index (expect, offset + i))->id);
            }
          checked++;
        }

  g_assert_cmpuint (checked, ==, G_N_ELEMENTS (masks) * ORD_N_SORT_KEYS * 2);

  /* Searches, both ways a search runs: few matches looked up by rowid, many
   * probed along the sort index; the same orders in the same order. */
  for (guint threshold = 0; threshold < 2; threshold++)
    for (int sort = 0; sort < ORD_N_SORT_KEYS; sort++)
      for (int desc = 0; desc < 2; desc++)
        {
          g_autoptr(GPtrArray) expect = g_ptr_array_new ();
          OrdOrderQuery q = { 0 };
          OrdOrderCursor cursor = { 0 };
          guint pos = 0;

          ord_store_set_search_threshold (f->store, threshold == 0 ? 5 : 100000);
          for (guint i = 0; i < all->len; i++)
            {
              RefRow *r = g_ptr_array_index (all, i);
              if (g_ascii_strcasecmp (r->customer, "grace") == 0 &&
                  r->status != ORD_STATUS_CANCELLED)
                g_ptr_array_add (expect, r);
            }
          g_assert_cmpuint (expect->len, >, 10);
          ref_sort = sort;
          ref_desc = desc;
          g_ptr_array_sort (expect, ref_cmp);

          q.text = "grac";
          q.sort = sort;
          q.descending = desc;
          q.status_mask = (1u << ORD_STATUS_CANCELLED) - 1;
          g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, expect->len);
          for (;;)
            {
              g_autoptr(GPtrArray) page = ord_store_query_orders (f->store, &q, &cursor, 13, &error);

              g_assert_no_error (error);
              if (page->len == 0)
                break;
              for (guint i = 0; i < page->len; i++, pos++)
                g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (page, i)), ==,
                                 ((RefRow *) g_ptr_array_index (expect, pos))->id);
            }
          g_assert_cmpuint (pos, ==, expect->len);
          ord_order_cursor_clear (&cursor);

          /* Without a status filter the count comes from the index alone. */
          q.status_mask = 0;
          {
            gint64 n = 0;
            for (guint i = 0; i < all->len; i++)
              n += g_ascii_strcasecmp (((RefRow *) g_ptr_array_index (all, i))->customer, "grace") == 0;
            g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, n);
          }
        }

  /* A search that matches nothing. */
  {
    OrdOrderQuery q = { 0 };
    g_autoptr(GPtrArray) page = NULL;

    q.text = "zebra";
    page = ord_store_query_orders (f->store, &q, NULL, 10, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (page->len, ==, 0);
    g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, 0);
  }
}

/* Anchors: a read from the nearest anchor gives exactly the rows an
 * OFFSET read gives, at the top, on both sides of an anchor, at the end
 * and past it, for every sort, both ways, several statuses merged, one
 * status and a search (both ways a search runs). */
static void
check_anchors (OrdStore            *store,
               const OrdOrderQuery *q,
               guint                every,
               guint                n_expected,
               GRand               *rand)
{
  g_autoptr(OrdOrderAnchors) anchors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) offsets = g_array_new (FALSE, FALSE, sizeof (guint));
  guint fixed[] = { 0, 1, every - 1, every, every + 1, 2 * every - 1, 2 * every,
                    n_expected > 0 ? n_expected - 1 : 0, n_expected > 10 ? n_expected - 10 : 0,
                    n_expected, n_expected + 5, G_MAXUINT - 10 };

  anchors = ord_store_build_anchors (store, q, every, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (anchors);
  g_assert_cmpuint (ord_order_anchors_get_every (anchors), ==, every);
  g_assert_cmpuint (ord_order_anchors_get_n_rows (anchors), ==, n_expected);
  g_assert_true (ord_order_anchors_matches (anchors, q));

  g_array_append_vals (offsets, fixed, G_N_ELEMENTS (fixed));
  for (guint k = 0; k < 20; k++)
    {
      guint offset = g_rand_int_range (rand, 0, n_expected + 1);

      g_array_append_val (offsets, offset);
    }

  for (guint k = 0; k < offsets->len; k++)
    {
      guint offset = g_array_index (offsets, guint, k);
      guint limit = k % 3 == 0 ? every + 3 : 10;
      g_autoptr(GPtrArray) at = NULL;
      g_autoptr(GPtrArray) near = NULL;

      at = ord_store_query_orders_at (store, q, offset, limit, &error);
      g_assert_no_error (error);
      near = ord_store_query_orders_near (store, q, anchors, offset, limit, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (near->len, ==, at->len);
      g_assert_cmpuint (near->len, ==, offset < n_expected ? MIN (limit, n_expected - offset) : 0);
      for (guint i = 0; i < at->len; i++)
        g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (near, i)), ==,
                         ord_order_get_id (g_ptr_array_index (at, i)));
    }
}

static void
test_anchors (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  guint masks[] = {
    0,
    1u << ORD_STATUS_PENDING,
    (1u << ORD_STATUS_PENDING) | (1u << ORD_STATUS_SHIPPED) | (1u << ORD_STATUS_CANCELLED),
  };
  guint everies[] = { 3, 37, 400 };
  guint checked = 0;

  ord_store_transaction (f->store, populate_many, rand, &error);
  g_assert_no_error (error);
  all = reference_rows (f->store);

  for (int sort = 0; sort < ORD_N_SORT_KEYS; sort++)
    for (int desc = 0; desc < 2; desc++)
      {
        for (guint m = 0; m < G_N_ELEMENTS (masks); m++)
          for (guint e = 0; e < G_N_ELEMENTS (everies); e++)
            {
              OrdOrderQuery q = { .status_mask = masks[m], .sort = sort, .descending = desc };
              guint n = 0;

              for (guint i = 0; i < all->len; i++)
                {
                  RefRow *r = g_ptr_array_index (all, i);

                  n += masks[m] == 0 || (masks[m] & (1u << r->status)) != 0;
                }
              g_assert_cmpuint (n, >, 2 * 37);
              check_anchors (f->store, &q, everies[e], n, rand);
              checked++;
            }

        /* A search, its few matches looked up by rowid or probed along the
         * sort index. */
        for (guint threshold = 0; threshold < 2; threshold++)
          {
            OrdOrderQuery q = {
              .status_mask = (1u << ORD_STATUS_CANCELLED) - 1,
              .sort = sort,
              .descending = desc,
              .text = "grac",
            };
            guint n = 0;

            ord_store_set_search_threshold (f->store, threshold == 0 ? 5 : 100000);
            for (guint i = 0; i < all->len; i++)
              {
                RefRow *r = g_ptr_array_index (all, i);

                n += g_ascii_strcasecmp (r->customer, "grace") == 0 &&
                     r->status != ORD_STATUS_CANCELLED;
              }
            g_assert_cmpuint (n, >, 10);
            check_anchors (f->store, &q, 7, n, rand);
            checked++;
          }
        ord_store_set_search_threshold (f->store, 2000);
      }
  g_assert_cmpuint (checked, ==, ORD_N_SORT_KEYS * 2 * (G_N_ELEMENTS (masks) *
                                                        G_N_ELEMENTS (everies) + 2));

  /* Anchors of one query do not describe another; a cancelled build
   * stops. */
  {
    g_autoptr(GCancellable) cancellable = g_cancellable_new ();
    g_autoptr(OrdOrderAnchors) anchors = NULL;
    OrdOrderQuery q = { .sort = ORD_SORT_TOTAL };
    OrdOrderQuery other = { .sort = ORD_SORT_TOTAL, .descending = TRUE };

    anchors = ord_store_build_anchors (f->store, &q, 100, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (ord_order_anchors_matches (anchors, &q));
    q.status_mask = (1u << ORD_N_STATUSES) - 1;
    g_assert_true (ord_order_anchors_matches (anchors, &q));
    g_assert_false (ord_order_anchors_matches (anchors, &other));
    other.descending = FALSE;
    other.text = "grac";
    g_assert_false (ord_order_anchors_matches (anchors, &other));

    g_cancellable_cancel (cancellable);
    g_assert_null (ord_store_build_anchors (f->store, &q, 100, cancellable, &error));
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  }
}

/* "Changed since": orders moved on two months after they were made are
 * found by their last change, not by their creation; the count and the
 * pages are what filtering every order in C gives. */
static void
test_updated_from (Fixture       *f,
                   gconstpointer  data)
{
  /* populate_many() makes its orders within a minute of this. */
  const gint64 made = G_GINT64_CONSTANT (1700000000000000);
  const gint64 day1 = made + 61 * G_TIME_SPAN_DAY;
  const gint64 day2 = day1 + G_TIME_SPAN_DAY;
  const gint64 froms[] = { made, made + 60 * G_USEC_PER_SEC, day1, day1 + 1, day2, day2 + 1 };
  const guint masks[] = { 0, 1u << ORD_STATUS_DELIVERED,
                          (1u << ORD_STATUS_CONFIRMED) | (1u << ORD_STATUS_SHIPPED) };
  const OrdSortKey sorts[] = { ORD_SORT_CREATED, ORD_SORT_ITEMS, ORD_SORT_TOTAL };
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GHashTable) updated = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  OrdOrderQuery everything = { 0 };
  guint moved_day1 = 0, moved_day2 = 0;

  ord_store_transaction (f->store, populate_many, rand, &error);
  g_assert_no_error (error);

  /* On day 1 and day 2, some orders move one step on (shipped ones are
   * delivered); the store stamps each change with its clock. */
  orders = ord_store_query_orders (f->store, &everything, NULL, 2000, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->len, ==, 1500);
  for (guint i = 0; i < orders->len; i++)
    {
      OrdOrder *order = g_ptr_array_index (orders, i);
      OrdStatus from = ord_order_get_status (order);

      if (from >= ORD_STATUS_DELIVERED || i % 5 > 1)
        continue;
      ord_store_set_now (f->store, (i % 5 == 0 ? day1 : day2) + (gint64) i);
      ord_store_set_status (f->store, ord_order_get_id (order), from, from + 1, NULL, &error);
      g_assert_no_error (error);
      if (i % 5 == 0)
        moved_day1++;
      else
        moved_day2++;
    }
  ord_store_set_now (f->store, 0);
  g_assert_cmpuint (moved_day1, >, 100);
  g_assert_cmpuint (moved_day2, >, 100);

  /* Every order's last change, read back whole. */
  g_clear_pointer (&orders, g_ptr_array_unref);
  orders = ord_store_query_orders (f->store, &everything, NULL, 2000, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < orders->len; i++)
    {
      OrdOrder *order = g_ptr_array_index (orders, i);
      gint64 *at = g_new (gint64, 1);

      *at = ord_order_get_updated_at (order);
      g_hash_table_insert (updated, g_strdup (ord_order_get_id (order)), at);
    }
  all = reference_rows (f->store);
  g_assert_cmpuint (all->len, ==, 1500);

  for (guint k = 0; k < G_N_ELEMENTS (froms); k++)
    for (guint m = 0; m < G_N_ELEMENTS (masks); m++)
      for (guint s = 0; s < G_N_ELEMENTS (sorts); s++)
        {
          g_autoptr(GPtrArray) expect = g_ptr_array_new ();
          OrdOrderQuery q = {
            .status_mask = masks[m],
            .sort = sorts[s],
            .descending = (k + s) % 2 == 0,
            .updated_from = froms[k],
          };
          OrdOrderCursor cursor = { 0 };
          guint pos = 0;

          for (guint i = 0; i < all->len; i++)
            {
              RefRow *r = g_ptr_array_index (all, i);
              const gint64 *at = g_hash_table_lookup (updated, r->id);

              g_assert_nonnull (at);
              if ((masks[m] == 0 || (masks[m] & (1u << r->status))) && *at >= froms[k])
                g_ptr_array_add (expect, r);
            }
          ref_sort = q.sort;
          ref_desc = q.descending;
          g_ptr_array_sort (expect, ref_cmp);

          /* From day 1 on, every order moved on, though made two months
           * before; from day 2, those of day 2. */
          if (masks[m] == 0 && froms[k] == day1)
            g_assert_cmpuint (expect->len, ==, moved_day1 + moved_day2);
          if (masks[m] == 0 && froms[k] == day2)
            g_assert_cmpuint (expect->len, ==, moved_day2);

          g_assert_cmpint (ord_store_count_orders (f->store, &q, &error), ==, expect->len);
          g_assert_no_error (error);
          for (;;)
            {
              g_autoptr(GPtrArray) page = ord_store_query_orders (f->store, &q, &cursor, 29,
                                                                  &error);

              g_assert_no_error (error);
              if (page->len == 0)
                break;
              for (guint i = 0; i < page->len; i++, pos++)
                {
                  g_assert_cmpuint (pos, <, expect->len);
                  g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (page, i)), ==,
                                   ((RefRow *) g_ptr_array_index (expect, pos))->id);
                }
            }
          g_assert_cmpuint (pos, ==, expect->len);
          ord_order_cursor_clear (&cursor);
        }
}


/* ---- searches sorted by creation time, read chunk by chunk ---- */

/* Live orders whose creation time is outside their chunk's bounds, or
 * whose chunk has none: always 0, whichever path wrote them. */
#define CHUNKS_MISSED \
  "SELECT count(*) FROM orders o LEFT JOIN order_chunks c ON c.chunk = o.seq >> 10" \
  " WHERE o.deleted = 0 AND (c.chunk IS NULL" \
  "   OR o.created_at NOT BETWEEN c.min_created AND c.max_created)"

typedef struct
{
  GRand     *rand;
  GPtrArray *customers;
  gint64     base;
  guint      n;
  gboolean   history;   /* made before the orders already there */
} ChunkBatch;

/* An import's batch through the bulk path: orders made a minute apart,
 * or (history) at random earlier times, some equal to others'. */
static gboolean
bulk_batch (OrdStore  *store,
            gpointer   user_data,
            GError   **error)
{
  ChunkBatch *b = user_data;
  g_autofree OrdBulkOrder *orders = g_new0 (OrdBulkOrder, b->n);
  g_autofree OrdBulkItem *items = g_new0 (OrdBulkItem, b->n);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  OrdLineAmount line = { 100, 1, 0 };

  for (guint i = 0; i < b->n; i++)
    {
      OrdCustomer *c = g_ptr_array_index (b->customers,
                                          g_rand_int_range (b->rand, 0, b->customers->len));
      OrdBulkOrder *o = &orders[i];

      g_ptr_array_add (ids, ord_uuid_new ());
      items[i].id = g_ptr_array_index (ids, i);
      items[i].name = "Item";
      items[i].unit_price = 100;
      items[i].quantity = 1;

      o->customer_id = ord_customer_get_id (c);
      o->customer_name = ord_customer_get_name (c);
      o->status = g_rand_int_range (b->rand, 0, ORD_N_STATUSES);
      if (b->history)
        o->created_at = b->base -
                        (gint64) g_rand_int_range (b->rand, 0, 4000) * 60 * G_USEC_PER_SEC;
      else
        o->created_at = b->base + (gint64) i * 60 * G_USEC_PER_SEC;
      o->currency = "EUR";
      g_assert_true (ord_totals_compute (&line, 1, 0, 0, &o->totals, NULL));
      o->items = &items[i];
      o->n_items = 1;
      if (!ord_store_bulk_check_order (store, o, error))
        return FALSE;
    }

  return ord_store_bulk_create_orders (store, orders, b->n, error);
}

static void
check_created_pages (OrdStore   *store,
                     GPtrArray  *all,
                     const char *text,
                     const char *customer,
                     guint       mask,
                     gboolean    desc,
                     GRand      *rand)
{
  g_autoptr(GPtrArray) expect = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  OrdOrderQuery q = { .text = text, .sort = ORD_SORT_CREATED, .descending = desc,
                      .status_mask = mask };
  OrdOrderCursor cursor = { 0 };
  const guint limits[] = { 1, 7, 30, 200 };
  guint pos = 0;

  for (guint i = 0; i < all->len; i++)
    {
      RefRow *r = g_ptr_array_index (all, i);

      if ((customer == NULL || strcmp (r->customer, customer) == 0) &&
          (mask == 0 || (mask & (1u << r->status))))
        g_ptr_array_add (expect, r);
    }
  g_assert_cmpuint (expect->len, >, 40);
  ref_sort = ORD_SORT_CREATED;
  ref_desc = desc;
  g_ptr_array_sort (expect, ref_cmp);

  g_assert_cmpint (ord_store_count_orders (store, &q, &error), ==, expect->len);
  g_assert_no_error (error);

  /* Pages at offsets: the first ones, some at random, the last ones. */
  for (guint k = 0; k < 40; k++)
    {
      guint limit = limits[g_rand_int_range (rand, 0, G_N_ELEMENTS (limits))];
      guint offset = k < 10 ? k * 3 : k < 30 ? (guint) g_rand_int_range (rand, 0, expect->len)
                                             : expect->len - (k - 30) * 5;
      g_autoptr(GPtrArray) page = ord_store_query_orders_at (store, &q, offset, limit, &error);

      g_assert_no_error (error);
      g_assert_cmpuint (page->len, ==, MIN (limit, expect->len - MIN (offset, expect->len)));
      for (guint i = 0; i < page->len; i++)
        g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (page, i)), ==,
                         ((RefRow *) g_ptr_array_index (expect, offset + i))->id);
    }

  /* Keyset pages through the whole list. */
  for (;;)
    {
      g_autoptr(GPtrArray) page = ord_store_query_orders (store, &q, &cursor, 37, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++, pos++)
        g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (page, i)), ==,
                         ((RefRow *) g_ptr_array_index (expect, pos))->id);
    }
  g_assert_cmpuint (pos, ==, expect->len);
  ord_order_cursor_clear (&cursor);
}

/* A search sorted by creation time reads only the chunks of seq that can
 * hold its page: the rows and counts are those of an independent sort in
 * C, both ways, at any offset and by keyset, with status filters, with
 * orders imported later but made earlier (their chunks overlap others),
 * creation times shared across chunks, orders deleted (one of them back,
 * at another time), made again at another time, and written by the
 * store, the importer's bulk path and raw updates alike. */
static void
test_search_by_chunks (Fixture       *f,
                       gconstpointer  data)
{
  const char *names[] = { "Alan", "barbara", "Claude", "donald", "Edsger", "frances", "Grace",
                          "hedy", "Ivan", "Jean" };
  const guint masks[] = { 0, 1u << ORD_STATUS_PENDING,
                          (1u << ORD_STATUS_DELIVERED) | (1u << ORD_STATUS_CANCELLED),
                          (1u << (ORD_N_STATUSES - 1)) - 1 };
  const gint64 base = G_GINT64_CONSTANT (1700000000000000);
  g_autoptr(GRand) rand = g_rand_new_with_seed (23);
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  ChunkBatch batch = { rand, customers, base, 3000, FALSE };
  g_autofree char *sql = NULL;
  gint64 undeleted;

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    g_ptr_array_add (customers, add_customer (f->store, names[i]));

  /* 3,000 orders in creation order, then 1,500 made before all of them. */
  ord_store_set_bulk (f->store, TRUE);
  ord_store_transaction (f->store, bulk_batch, &batch, &error);
  g_assert_no_error (error);
  batch.n = 1500;
  batch.history = TRUE;
  ord_store_transaction (f->store, bulk_batch, &batch, &error);
  g_assert_no_error (error);
  ord_store_set_bulk (f->store, FALSE);

  /* 300 through the store, at times of the others (ties across chunks). */
  for (guint i = 0; i < 300; i++)
    {
      OrdCustomer *c = g_ptr_array_index (customers, g_rand_int_range (rand, 0, customers->len));
      g_autoptr(OrdOrder) o = make_order (c, NULL, "Item", (gint64) 100, (gint64) 1, NULL);

      ord_order_set_status (o, g_rand_int_range (rand, 0, ORD_N_STATUSES));
      ord_order_set_created_at (o, base + (gint64) g_rand_int_range (rand, -4000, 3000) * 60 *
                                          G_USEC_PER_SEC);
      ord_store_create_order (f->store, o, &error);
      g_assert_no_error (error);
    }

  /* Some deleted as a sync tombstone deletes them; some made again, one
   * in the first chunk made last of all. */
  g_assert_true (ord_store_exec (ord_store_get_db (f->store),
                                 "DELETE FROM orders_fts WHERE rowid % 7 = 3;"
                                 "UPDATE orders SET deleted = 1 WHERE seq % 7 = 3;"
                                 "UPDATE orders SET created_at = created_at - 90000000"
                                 "  WHERE seq % 11 = 5;"
                                 "UPDATE orders SET created_at = 1800000000000000 WHERE seq = 2;",
                                 NULL));
  /* Ties at a page's end. Newest first: chunk 0 (first, for its newest
   * order) and the last chunk (its newest orders at the tie) share a
   * creation time, where the last chunk's orders come first. Oldest
   * first: the last chunk (first, for its oldest order) and chunk 1 (its
   * oldest orders at the tie), where chunk 1's come first. */
  g_assert_true (ord_store_exec (ord_store_get_db (f->store),
                                 "UPDATE orders SET created_at = 1700180060000000"
                                 "  WHERE seq % 5 = 0 AND (seq < 1024 OR seq >= 4096);"
                                 "UPDATE orders SET created_at = 1699759940000000"
                                 "  WHERE seq % 5 = 1"
                                 "  AND (seq BETWEEN 1024 AND 2047 OR seq >= 4096);"
                                 "UPDATE orders SET created_at = 1699759880000000"
                                 "  WHERE seq = 4097;",
                                 NULL));
  /* A deleted order of Grace's in chunk 0, moved to the newest time of
   * all while deleted, then back as sync brings it back. */
  undeleted = query_int (f->store, "SELECT min (seq) FROM orders WHERE deleted = 1"
                                   " AND customer_name = 'Grace'");
  g_assert_cmpint (undeleted, <, 1024);
  sql = g_strdup_printf ("UPDATE orders SET created_at = 1900000000000000 WHERE seq = %"
                         G_GINT64_FORMAT ";"
                         "UPDATE orders SET deleted = 0 WHERE seq = %" G_GINT64_FORMAT ";"
                         "INSERT INTO orders_fts (rowid, number, customer, notes, items)"
                         "  SELECT seq, number, customer_name, notes, '' FROM orders"
                         "  WHERE seq = %" G_GINT64_FORMAT ";", undeleted, undeleted, undeleted);
  g_assert_true (ord_store_exec (ord_store_get_db (f->store), sql, NULL));

  g_assert_cmpint (query_int (f->store, "SELECT count(DISTINCT seq >> 10) FROM orders"), ==, 5);
  g_assert_cmpint (query_int (f->store, CHUNKS_MISSED), ==, 0);

  all = reference_rows (f->store);
  for (guint i = all->len; i > 0; i--)
    {
      RefRow *r = g_ptr_array_index (all, i - 1);

      if (r->seq % 7 == 3 && r->seq != undeleted)
        g_ptr_array_remove_index (all, i - 1);
    }

  for (guint threshold = 0; threshold < 2; threshold++)
    {
      ord_store_set_search_threshold (f->store, threshold == 0 ? 5 : 100000);
      for (guint m = 0; m < G_N_ELEMENTS (masks); m++)
        for (int desc = 0; desc <= 1; desc++)
          check_created_pages (f->store, all, "grace", "Grace", masks[m], desc, rand);
    }

  /* Every order has an "Item": more matches than a search with many
   * keeps of its first and last ones (4,096). */
  for (guint i = 0; i < all->len; i++)
    if (((RefRow *) g_ptr_array_index (all, i))->seq == undeleted)
      {
        /* Its search entry came back without its items (above). */
        g_ptr_array_remove_index (all, i);
        break;
      }
  g_assert_cmpuint (all->len, >, 4096);
  ord_store_set_search_threshold (f->store, 5);
  for (guint m = 0; m < G_N_ELEMENTS (masks); m++)
    for (int desc = 0; desc <= 1; desc++)
      check_created_pages (f->store, all, "item", NULL, masks[m], desc, rand);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/store/customers-products", test_customers_products);
  ADD ("/store/order-lifecycle", test_order_lifecycle);
  ADD ("/store/outbox-json", test_outbox_json);
  ADD ("/store/roles", test_roles);
  ADD ("/store/invalid-orders", test_invalid_orders);
  ADD ("/store/atomic", test_atomic);
  ADD ("/store/changed-signal", test_changed_signal);
  ADD ("/store/search", test_search);
  ADD ("/store/keyset", test_keyset);
  ADD ("/store/anchors", test_anchors);
  ADD ("/store/updated-from", test_updated_from);
  ADD ("/store/search-by-chunks", test_search_by_chunks);

  return g_test_run ();
}
