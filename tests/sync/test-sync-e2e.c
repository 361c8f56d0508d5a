/* test-sync-e2e.c: the real orderly-server on 127.0.0.1 with devices that
 * work offline, conflict, crash, and converge
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <glib-unix.h>
#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "ord-core.h"
#include "ord-store-catalogue.h"
#include "ord-store-private.h"
#include "ord-store-sync.h"
#include "ord-sync-client.h"
#include "ord-sync-codec.h"

/* ------------------------------------------------------------------ */
/* The server                                                          */

typedef struct
{
  GSubprocess *proc;
  char        *db;
  char        *url;
} Server;

static char *test_dir;

static char *
temp_path (const char *name)
{
  static guint counter;

  return g_strdup_printf ("%s/%u-%s", test_dir, ++counter, name);
}

static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
server_start (Server     *s,
              const char *db)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autofree char *line = NULL;
  const char *exe = g_getenv ("ORDERLY_SERVER");

  g_assert_nonnull (exe);
  if (s->db == NULL)
    s->db = g_strdup (db);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* In the sanitizer build LeakSanitizer reports, at the server's exit,
   * the GSocket libsoup 3.2 keeps for each accepted connection (the stack
   * is libsoup's alone); the server's other errors still fail the test. */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0", NULL);
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
    }
  /* A failed test must not leave its server behind. */
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  s->proc = g_subprocess_launcher_spawn (launcher, &error, exe, "--listen", "127.0.0.1:0",
                                         "--database", s->db, "--no-auth", NULL);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "listening on http://127.0.0.1:"));
  g_free (s->url);
  s->url = g_strdup (line + strlen ("listening on "));
}

static void
server_kill (Server *s,
             int     signum)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_send_signal (s->proc, signum);
  g_subprocess_wait (s->proc, NULL, &error);
  g_assert_no_error (error);
  if (signum == SIGTERM)
    g_assert_true (g_subprocess_get_if_exited (s->proc) &&
                   g_subprocess_get_exit_status (s->proc) == 0);
  g_clear_object (&s->proc);
}

static void
server_clear (Server *s)
{
  if (s->proc)
    server_kill (s, SIGTERM);
  g_clear_pointer (&s->db, g_free);
  g_clear_pointer (&s->url, g_free);
}

/* A raw request, as a misbehaving client would send it. */
static GBytes *
http (const char  *url,
      const char  *method,
      const char  *path,
      const char  *role,
      const char  *subject,
      GBytes      *body,
      guint       *status)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *full = g_strconcat (url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, full);
  g_autoptr(GError) error = NULL;
  GBytes *reply;

  if (role)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Orderly-Role", role);
  if (subject)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Orderly-Subject",
                                  subject);
  if (body)
    soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);

  return reply;
}

static GBytes *
http_text (const char *url,
           const char *path,
           const char *text,
           guint      *status)
{
  g_autoptr(GBytes) body = g_bytes_new (text, strlen (text));

  return http (url, "POST", path, NULL, NULL, body, status);
}

static gint64
server_cursor (Server *s)
{
  guint status;
  g_autoptr(GBytes) reply = http (s->url, "GET", "/healthz", NULL, NULL, NULL, &status);
  g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  g_autoptr(JsonNode) node = json_from_string (text, NULL);

  g_assert_cmpuint (status, ==, 200);
  return json_object_get_int_member (json_node_get_object (node), "cursor");
}

/* ------------------------------------------------------------------ */
/* Devices                                                             */

typedef struct
{
  char          *path;
  OrdStore      *store;
  OrdSyncClient *client;
} Device;

static void
device_open (Device     *d,
             Server     *s,
             guint       terminal,
             OrdRole     role,
             const char *subject)
{
  g_autoptr(GError) error = NULL;

  d->path = temp_path ("device.db");
  d->store = ord_store_new (d->path, &error);
  g_assert_no_error (error);
  ord_store_set_terminal (d->store, terminal, &error);
  g_assert_no_error (error);
  ord_store_set_actor (d->store, role, subject);
  d->client = ord_sync_client_new (d->store, s->url);
  ord_sync_client_set_identity (d->client, role, subject);
}

static void
device_close (Device *d)
{
  g_clear_object (&d->client);
  g_clear_object (&d->store);
  g_clear_pointer (&d->path, g_free);
}

static OrdSyncStats
device_sync (Device *d)
{
  g_autoptr(GError) error = NULL;
  OrdSyncStats stats;

  ord_sync_client_sync_once (d->client, NULL, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_sync_client_get_state (d->client), ==, ORD_SYNC_STATE_SYNCED);
  g_assert_cmpint (ord_sync_client_get_pending_count (d->client), ==, 0);

  return stats;
}

static OrdCustomer *
add_customer (Device     *d,
              const char *name)
{
  g_autoptr(GError) error = NULL;
  OrdCustomer *c = ord_customer_new ();

  ord_customer_set_name (c, name);
  ord_store_save_customer (d->store, c, &error);
  g_assert_no_error (error);

  return c;
}

static OrdOrder *
add_order (Device      *d,
           OrdCustomer *customer,
           const char  *notes,
           gint64       qty)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  OrdOrder *o = ord_order_new ();

  ord_order_set_customer_id (o, ord_customer_get_id (customer));
  ord_order_set_currency (o, "EUR");
  ord_order_set_notes (o, notes);
  ord_order_item_set_name (item, "Sourdough");
  ord_order_item_set_sku (item, "SD-1");
  ord_order_item_set_unit_price (item, 450);
  ord_order_item_set_quantity (item, qty);
  ord_order_add_item (o, item);
  ord_store_create_order (d->store, o, &error);
  g_assert_no_error (error);

  return o;
}

static OrdOrder *
get_order (Device     *d,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  OrdOrder *o = ord_store_get_order (d->store, id, &error);

  g_assert_no_error (error);
  return o;
}

static void
edit_notes (Device     *d,
            const char *id,
            const char *notes)
{
  g_autoptr(OrdOrder) o = get_order (d, id);
  g_autoptr(GError) error = NULL;

  ord_order_set_notes (o, notes);
  ord_store_edit_order (d->store, o, &error);
  g_assert_no_error (error);
}

static void
set_status (Device     *d,
            const char *id,
            OrdStatus   from,
            OrdStatus   to)
{
  g_autoptr(GError) error = NULL;

  ord_store_set_status (d->store, id, from, to, to == ORD_STATUS_CANCELLED ? "test" : NULL,
                        &error);
  g_assert_no_error (error);
}

/* orders, lines, customers and products as text, in a fixed order. */
static char *
dump (OrdStore *store)
{
  static const char *queries[] = {
    "SELECT id, number, provisional_number, customer_id, customer_name, status, created_at,"
    " updated_at, due_at, notes, currency, tax_rate, subtotal, discount, tax, total, item_count,"
    " version, deleted FROM orders ORDER BY id",
    "SELECT order_id, position, id, product_id, sku, name, unit_price, quantity, discount"
    " FROM order_items ORDER BY order_id, position",
    "SELECT id, name, email, phone, notes, external_ref, version, deleted FROM customers"
    " ORDER BY id",
    "SELECT id, sku, name, unit_price, currency, active, version, deleted FROM products"
    " ORDER BY id",
  };
  GString *s = g_string_new (NULL);
  sqlite3 *db = ord_store_get_db (store);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      sqlite3_stmt *stmt = NULL;

      g_assert_cmpint (sqlite3_prepare_v2 (db, queries[q], -1, &stmt, NULL), ==, SQLITE_OK);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          for (int c = 0; c < sqlite3_column_count (stmt); c++)
            {
              const char *v = (const char *) sqlite3_column_text (stmt, c);
              g_string_append_printf (s, "%s|", v ? v : "∅");
            }
          g_string_append_c (s, '\n');
        }
      sqlite3_finalize (stmt);
      g_string_append (s, "--\n");
    }

  return g_string_free (s, FALSE);
}

static gint64
count (OrdStore   *store,
       const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (ord_store_get_db (store), sql, -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);

  return n;
}

static OrdOrderEvent *
last_event (Device     *d,
            const char *order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = ord_store_get_events (d->store, order_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >, 0);
  return g_object_ref (g_ptr_array_index (events, events->len - 1));
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

/* Three terminals work offline, then converge to the same database. */
static void
test_converge (void)
{
  g_autofree char *db = temp_path ("server.db");
  Server s = { 0, };
  Device a = { 0, }, b = { 0, }, c = { 0, };
  g_autoptr(OrdCustomer) grace = NULL;
  g_autoptr(OrdCustomer) alan = NULL;
  g_autoptr(OrdCustomer) zoe = NULL;
  g_autoptr(OrdOrder) o1 = NULL, o2 = NULL, o3 = NULL, o4 = NULL, o5 = NULL;
  g_autofree char *da = NULL, *db_ = NULL, *dc = NULL;
  /* Text that JSON must escape, written by the server's pull writer. */
  const char *tricky_name = "Zo\u00eb \"Q\" O\\Brien\t";
  const char *tricky_notes = "line 1\nline 2 \"quoted\" back\\slash \x01 \u20ac/";
  g_autoptr(OrdOrder) by_prov = NULL;
  g_autoptr(GError) error = NULL;

  server_start (&s, db);
  device_open (&a, &s, 1, ORD_ROLE_OWNER, "shop");
  device_open (&b, &s, 2, ORD_ROLE_OWNER, "shop");
  device_open (&c, &s, 3, ORD_ROLE_OWNER, "shop");

  /* Offline: each terminal takes orders with provisional numbers. */
  grace = add_customer (&a, "Grace Hopper");
  o1 = add_order (&a, grace, "first", 1);
  o2 = add_order (&a, grace, "second", 2);
  alan = add_customer (&b, "Alan Turing");
  o3 = add_order (&b, alan, "third", 3);
  zoe = add_customer (&a, tricky_name);
  o5 = add_order (&a, zoe, tricky_notes, 5);
  g_assert_cmpstr (ord_order_get_number (o1), ==, "T1-0001");
  g_assert_cmpstr (ord_order_get_number (o3), ==, "T2-0001");

  device_sync (&a);
  device_sync (&b);
  device_sync (&c);
  device_sync (&a);

  /* The server numbered them; the provisional number still finds the order. */
  by_prov = ord_store_get_order_by_number (a.store, "T1-0001", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ord_order_get_id (by_prov), ==, ord_order_get_id (o1));
  g_assert_true (g_str_has_prefix (ord_order_get_number (by_prov), "1000"));
  {
    OrdOrderQuery q = { 0 };
    q.text = "T2";
    g_assert_cmpint (ord_store_count_orders (c.store, &q, &error), ==, 1);
  }

  /* Offline again: edits and status changes on different terminals. */
  edit_notes (&a, ord_order_get_id (o3), "ring twice");
  set_status (&b, ord_order_get_id (o1), ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED);
  set_status (&c, ord_order_get_id (o2), ORD_STATUS_PENDING, ORD_STATUS_CANCELLED);
  o4 = add_order (&c, alan, "fourth", 4);

  device_sync (&a);
  device_sync (&b);
  device_sync (&c);
  device_sync (&a);
  device_sync (&b);

  da = dump (a.store);
  db_ = dump (b.store);
  dc = dump (c.store);
  g_assert_cmpstr (da, ==, db_);
  g_assert_cmpstr (db_, ==, dc);
  g_assert_cmpint (count (a.store, "SELECT count(*) FROM orders"), ==, 5);
  g_assert_cmpint (count (a.store, "SELECT count(DISTINCT number) FROM orders"), ==, 5);
  g_assert_cmpint (count (c.store, "SELECT n FROM status_counts WHERE status = 5"), ==, 1);
  g_assert_cmpint (count (c.store, "SELECT n FROM status_counts WHERE status = 1"), ==, 1);
  /* What sync applied keeps each chunk's creation times (order_chunks),
   * which searches sorted by creation time rely on. */
  g_assert_cmpint (count (c.store, "SELECT count(*) FROM orders o"
                                   " LEFT JOIN order_chunks k ON k.chunk = o.seq >> 10"
                                   " WHERE o.deleted = 0 AND (k.chunk IS NULL"
                                   " OR o.created_at NOT BETWEEN k.min_created AND k.max_created)"),
                   ==, 0);

  {
    g_autoptr(OrdOrder) o = get_order (&b, ord_order_get_id (o3));
    g_assert_cmpstr (ord_order_get_notes (o), ==, "ring twice");
  }
  {
    /* Search follows what sync wrote: the edited notes are found on the
     * other devices and the old ones no longer are; an order that only
     * changed status is still found; one entry per order. */
    OrdOrderQuery q = { 0 };

    q.text = "ring";
    g_assert_cmpint (ord_store_count_orders (b.store, &q, &error), ==, 1);
    g_assert_cmpint (ord_store_count_orders (c.store, &q, &error), ==, 1);
    q.text = "third";
    g_assert_cmpint (ord_store_count_orders (b.store, &q, &error), ==, 0);
    q.text = "first";
    g_assert_cmpint (ord_store_count_orders (c.store, &q, &error), ==, 1);
    g_assert_no_error (error);
    g_assert_cmpint (count (a.store, "SELECT count(*) FROM orders_fts"), ==, 5);
    g_assert_cmpint (count (b.store, "SELECT count(*) FROM orders_fts"), ==, 5);
    g_assert_cmpint (count (c.store, "SELECT count(*) FROM orders_fts"), ==, 5);
  }
  {
    /* C never had it but from the server's change feed. */
    g_autoptr(OrdOrder) o = get_order (&c, ord_order_get_id (o5));
    g_assert_cmpstr (ord_order_get_notes (o), ==, tricky_notes);
    g_assert_cmpstr (ord_order_get_customer_name (o), ==, tricky_name);
  }

  device_close (&a);
  device_close (&b);
  device_close (&c);
  server_clear (&s);
}

static char *
push_body (const char *client_id,
           gint64      first_id,
           guint       n)
{
  GString *s = g_string_new (NULL);

  g_string_append_printf (s, "{\"client_id\":\"%s\",\"mutations\":[", client_id);
  g_string_append_printf (s, "{\"mutation_id\":%" G_GINT64_FORMAT ",\"name\":\"upsert_customer\","
                             "\"args\":{\"id\":\"0190c0de-0000-7000-8000-00000000c001\","
                             "\"name\":\"Ada\",\"email\":null,\"phone\":null,\"notes\":null,"
                             "\"external_ref\":null,\"base_version\":0}}", first_id);
  for (guint i = 1; i < n; i++)
    g_string_append_printf (s, ",{\"mutation_id\":%" G_GINT64_FORMAT ",\"name\":\"create_order\","
                               "\"args\":{\"id\":\"0190c0de-0000-7000-8000-0000000a%04u\","
                               "\"provisional_number\":\"T9-%04u\",\"number\":\"T9-%04u\","
                               "\"customer_id\":\"0190c0de-0000-7000-8000-00000000c001\","
                               "\"status\":\"pending\",\"created_at\":1,\"due_at\":0,\"notes\":\"\","
                               "\"currency\":\"EUR\",\"tax_rate\":0,\"discount\":0,"
                               "\"external_ref\":null,\"items\":[{\"id\":\"it-%u\","
                               "\"product_id\":null,\"sku\":null,\"name\":\"Rye\","
                               "\"unit_price\":300,\"quantity\":1,\"discount\":0}]}}",
                            first_id + i, i, i, i, i);
  g_string_append (s, "]}");

  return g_string_free (s, FALSE);
}

static gint64
count_active_customers (Device *d)
{
  g_autoptr(GError) error = NULL;
  gint64 n = ord_store_count_customers_filtered (d->store, NULL, ORD_CATALOGUE_ACTIVE, &error);

  g_assert_no_error (error);
  return n;
}

static gboolean
customer_deactivated (Device     *d,
                      const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdCustomer) c = ord_store_get_customer (d->store, id, &error);

  g_assert_no_error (error);
  return ord_customer_get_deleted (c);
}

static void
set_customer_deactivated (Device     *d,
                          const char *id,
                          gboolean    deactivated)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdCustomer) c = ord_store_get_customer (d->store, id, &error);

  g_assert_no_error (error);
  ord_customer_set_deleted (c, deactivated);
  ord_store_save_customer (d->store, c, &error);
  g_assert_no_error (error);
}

/* A customer the shop deactivates on one terminal is deactivated on the
 * others, stays so when another terminal edits the customer, comes back
 * when restored; a customer's own device may not deactivate itself. */
static void
test_customer_deactivated (void)
{
  g_autofree char *db = temp_path ("server.db");
  Server s = { 0, };
  Device a = { 0, }, b = { 0, };
  g_autoptr(OrdCustomer) ada = NULL;
  g_autoptr(OrdCustomer) alan = NULL;
  const char *id;

  server_start (&s, db);
  device_open (&a, &s, 1, ORD_ROLE_OWNER, "shop");
  device_open (&b, &s, 2, ORD_ROLE_OWNER, "shop");

  ada = add_customer (&a, "Ada Lovelace");
  alan = add_customer (&a, "Alan Turing");
  id = ord_customer_get_id (ada);
  device_sync (&a);
  device_sync (&b);
  g_assert_cmpint (count_active_customers (&b), ==, 2);

  set_customer_deactivated (&a, id, TRUE);
  g_assert_cmpint (count_active_customers (&a), ==, 1);
  device_sync (&a);
  device_sync (&b);
  g_assert_true (customer_deactivated (&b, id));
  g_assert_cmpint (count_active_customers (&b), ==, 1);

  /* Terminal B edits her notes, not knowing: still deactivated. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(OrdCustomer) c = ord_store_get_customer (b.store, id, &error);

    ord_customer_set_notes (c, "prefers rye");
    ord_store_save_customer (b.store, c, &error);
    g_assert_no_error (error);
  }
  device_sync (&b);
  device_sync (&a);
  g_assert_true (customer_deactivated (&a, id));
  g_assert_true (customer_deactivated (&b, id));

  set_customer_deactivated (&b, id, FALSE);
  device_sync (&b);
  device_sync (&a);
  g_assert_false (customer_deactivated (&a, id));
  g_assert_cmpint (count_active_customers (&a), ==, 2);

  /* A customer's own device may edit its record, not deactivate it. */
  {
    Device alice = { 0, };
    g_autoptr(OrdCustomer) own = NULL;
    OrdSyncStats stats;

    device_open (&alice, &s, 7, ORD_ROLE_CUSTOMER, "alice");
    own = add_customer (&alice, "Alice Liddell");
    stats = device_sync (&alice);
    g_assert_cmpuint (stats.rejected, ==, 0);
    set_customer_deactivated (&alice, ord_customer_get_id (own), TRUE);
    stats = device_sync (&alice);
    g_assert_cmpuint (stats.rejected, ==, 1);
    device_sync (&a);
    g_assert_false (customer_deactivated (&a, ord_customer_get_id (own)));
    device_close (&alice);
  }

  device_close (&a);
  device_close (&b);
  server_clear (&s);
}

/* The same batch pushed three times creates nothing twice. */
static void
test_replay (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *body = push_body ("replayer", 1, 20);
  g_autofree char *gap = push_body ("replayer", 40, 2);
  g_autofree char *first = NULL;
  Server s = { 0, };
  guint status;
  gint64 cursor = 0;

  server_start (&s, db);

  for (int round = 0; round < 3; round++)
    {
      g_autoptr(GBytes) reply = http_text (s.url, "/v1/sync/push", body, &status);
      g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

      g_assert_cmpuint (status, ==, 200);
      if (round == 0)
        {
          first = g_steal_pointer (&text);
          cursor = server_cursor (&s);
          g_assert_cmpint (cursor, ==, 20);
        }
      else
        {
          /* The stored results, word for word; nothing new in the feed. */
          g_assert_cmpstr (text, ==, first);
          g_assert_cmpint (server_cursor (&s), ==, cursor);
        }
    }

  {
    g_autoptr(GBytes) reply = http_text (s.url, "/v1/sync/push", gap, &status);
    g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

    g_assert_cmpuint (status, ==, 409);
    g_assert_nonnull (strstr (text, "\"expected\":21"));
    g_assert_cmpint (server_cursor (&s), ==, cursor);
  }

  /* A device pulling the whole feed sees each order once. */
  {
    Device d = { 0, };

    device_open (&d, &s, 5, ORD_ROLE_OWNER, "shop");
    device_sync (&d);
    g_assert_cmpint (count (d.store, "SELECT count(*) FROM orders"), ==, 19);
    g_assert_cmpint (count (d.store, "SELECT count(DISTINCT number) FROM orders"), ==, 19);
    device_close (&d);
  }

  server_clear (&s);
}

/* Every conflict rule, end to end. */
static void
test_conflicts (void)
{
  g_autofree char *db = temp_path ("server.db");
  Server s = { 0, };
  Device shop = { 0, }, shop2 = { 0, }, alice = { 0, };
  g_autoptr(OrdCustomer) me = NULL;
  g_autoptr(OrdOrder) o = NULL;
  g_autoptr(OrdOrder) o2 = NULL;
  g_autoptr(OrdOrderEvent) e = NULL;
  OrdSyncStats stats;
  const char *id;

  server_start (&s, db);
  device_open (&shop, &s, 1, ORD_ROLE_OWNER, "shop");
  device_open (&shop2, &s, 2, ORD_ROLE_OWNER, "shop");
  device_open (&alice, &s, 7, ORD_ROLE_CUSTOMER, "alice");

  me = add_customer (&alice, "Alice");
  o = add_order (&alice, me, "no nuts", 1);
  id = ord_order_get_id (o);
  device_sync (&alice);
  device_sync (&shop);
  device_sync (&shop2);

  /* Pending: both change notes; the later arriving write wins (merged). */
  edit_notes (&shop, id, "shop note");
  edit_notes (&alice, id, "alice note");
  device_sync (&shop);
  stats = device_sync (&alice);
  g_assert_cmpuint (stats.rejected, ==, 0);
  device_sync (&shop);
  {
    g_autoptr(OrdOrder) x = get_order (&shop, id);
    g_assert_cmpstr (ord_order_get_notes (x), ==, "alice note");
  }

  /* Status compare-and-set: one terminal prepares, the other, stale,
   * confirms: never backwards, rejected with the reason. */
  set_status (&shop, id, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED);
  set_status (&shop2, id, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED);
  device_sync (&shop);
  stats = device_sync (&shop2);
  g_assert_cmpuint (stats.rejected, ==, 0);   /* already at to: success */

  /* Confirmed meanwhile: the customer's edit, made while her copy was
   * still pending, is held for the owner; the draft stays. */
  edit_notes (&alice, id, "please add candles");
  stats = device_sync (&alice);
  g_assert_cmpuint (stats.held, ==, 1);
  e = last_event (&alice, id);
  g_assert_cmpint (ord_order_event_get_kind (e), ==, ORD_EVENT_SYNC_HELD);
  g_assert_nonnull (strstr (ord_order_event_get_details (e), "please add candles"));
  g_clear_object (&e);
  {
    g_autoptr(OrdOrder) x = get_order (&alice, id);
    g_assert_cmpstr (ord_order_get_notes (x), ==, "alice note");   /* the server's */
  }

  /* Preparing: a customer's edit is rejected, order_locked; the owner's
   * stale step back is rejected too. */
  set_status (&shop, id, ORD_STATUS_CONFIRMED, ORD_STATUS_PREPARING);
  device_sync (&shop);
  device_sync (&shop2);
  set_status (&shop2, id, ORD_STATUS_PREPARING, ORD_STATUS_CONFIRMED);  /* reopen */
  set_status (&shop, id, ORD_STATUS_PREPARING, ORD_STATUS_SHIPPED);
  device_sync (&shop);
  stats = device_sync (&shop2);
  g_assert_cmpuint (stats.rejected, ==, 1);
  e = last_event (&shop2, id);
  g_assert_cmpint (ord_order_event_get_kind (e), ==, ORD_EVENT_SYNC_REJECTED);
  /* Shipped meanwhile: nothing reopens a shipped order. */
  g_assert_nonnull (strstr (ord_order_event_get_details (e), "\"order_locked\""));
  g_clear_object (&e);
  {
    g_autoptr(OrdOrder) x = get_order (&shop2, id);
    g_assert_cmpint (ord_order_get_status (x), ==, ORD_STATUS_SHIPPED);
  }

  /* A second pending order of alice: owner confirms+prepares, alice edits
   * offline meanwhile → rejected order_locked, kept in the timeline. */
  o2 = add_order (&alice, me, "second", 2);
  device_sync (&alice);
  device_sync (&shop);
  set_status (&shop, ord_order_get_id (o2), ORD_STATUS_PENDING, ORD_STATUS_PREPARING);
  edit_notes (&alice, ord_order_get_id (o2), "too late");
  device_sync (&shop);
  stats = device_sync (&alice);
  g_assert_cmpuint (stats.rejected, ==, 1);
  e = last_event (&alice, ord_order_get_id (o2));
  g_assert_cmpint (ord_order_event_get_kind (e), ==, ORD_EVENT_SYNC_REJECTED);
  g_assert_nonnull (strstr (ord_order_event_get_details (e), "order_locked"));
  g_assert_nonnull (strstr (ord_order_event_get_details (e), "too late"));
  g_clear_object (&e);

  /* Customers see and change only their own orders. */
  {
    g_autofree char *body = g_strdup_printf (
      "{\"client_id\":\"mallory-1\",\"mutations\":[{\"mutation_id\":1,\"name\":\"cancel_order\","
      "\"args\":{\"order_id\":\"%s\",\"from\":\"preparing\",\"reason\":\"mine now\"}}]}",
      ord_order_get_id (o2));
    g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
    g_autoptr(GBytes) reply = NULL;
    g_autoptr(GBytes) pull = NULL;
    g_autofree char *text = NULL;
    guint status;

    reply = http (s.url, "POST", "/v1/sync/push", "customer", "mallory", req, &status);
    text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (strstr (text, "\"forbidden\""));
    g_clear_pointer (&text, g_free);

    pull = http (s.url, "GET", "/v1/sync/pull?since=0", "customer", "mallory", NULL, &status);
    text = g_strndup (g_bytes_get_data (pull, NULL), g_bytes_get_size (pull));
    g_assert_cmpuint (status, ==, 200);
    g_assert_null (strstr (text, ord_order_get_id (o2)));
    g_assert_null (strstr (text, "Alice"));
  }

  device_close (&shop);
  device_close (&shop2);
  device_close (&alice);
  server_clear (&s);
}

/* The one held amendment of @order_id on @d; NULL when none. */
static OrdHeldAmendment *
only_held (Device     *d,
           const char *order_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) list = ord_store_list_held (d->store, order_id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (list->len, <=, 1);
  return list->len ? g_ptr_array_steal_index (list, 0) : NULL;
}

/* An order's field as the server's own database has it. */
static gint64
server_count (Server     *s,
              const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 n = -1;

  g_assert_cmpint (sqlite3_open_v2 (s->db, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return n;
}

static char *
push_resolve (Server     *s,
              const char *role,
              const char *subject,
              const char *client_id,
              gint64      mutation_id,
              const char *held_id,
              const char *decision)
{
  g_autofree char *body = g_strdup_printf (
    "{\"client_id\":\"%s\",\"mutations\":[{\"mutation_id\":%" G_GINT64_FORMAT ","
    "\"name\":\"resolve_held\",\"args\":{\"held_id\":\"%s\",\"decision\":\"%s\","
    "\"reason\":\"not today\"}}]}", client_id, mutation_id, held_id, decision);
  g_autoptr(GBytes) req = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) reply = NULL;
  guint status;

  reply = http (s->url, "POST", "/v1/sync/push", role, subject, req, &status);
  g_assert_cmpuint (status, ==, 200);
  return g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
}

static void
customer_edit (Device     *d,
               const char *id,
               const char *notes,
               const char *new_line)
{
  g_autoptr(OrdOrder) o = get_order (d, id);
  g_autoptr(GError) error = NULL;

  ord_order_set_notes (o, notes);
  if (new_line != NULL)
    {
      g_autoptr(OrdOrderItem) item = ord_order_item_new ();

      ord_order_item_set_name (item, new_line);
      ord_order_item_set_unit_price (item, 200);
      ord_order_item_set_quantity (item, 3);
      ord_order_add_item (o, item);
    }
  ord_store_edit_order (d->store, o, &error);
  g_assert_no_error (error);
}

static void
assert_last_event (Device       *d,
                   const char   *order_id,
                   OrdEventKind  kind,
                   const char   *reason)
{
  g_autoptr(OrdOrderEvent) e = last_event (d, order_id);

  g_assert_cmpstr (ord_event_kind_to_string (ord_order_event_get_kind (e)), ==,
                   ord_event_kind_to_string (kind));
  g_assert_cmpstr (ord_order_event_get_reason (e), ==, reason);
}

/* A customer's change of a confirmed order waits for the shop, which
 * approves or declines it; both devices converge and say so. */
static void
test_held (void)
{
  g_autofree char *db = temp_path ("server.db");
  Server s = { 0, };
  Device shop = { 0, }, shop2 = { 0, }, alice = { 0, }, bob = { 0, };
  g_autoptr(OrdCustomer) me = NULL;
  g_autoptr(OrdCustomer) him = NULL;
  g_autoptr(OrdOrder) o1 = NULL, o2 = NULL, o3 = NULL, o4 = NULL;
  g_autoptr(OrdHeldAmendment) held = NULL;
  g_autoptr(GError) error = NULL;
  OrdSyncStats stats;
  const char *id, *id2, *id3, *id4;

  server_start (&s, db);
  device_open (&shop, &s, 1, ORD_ROLE_OWNER, "shop");
  device_open (&shop2, &s, 2, ORD_ROLE_OWNER, "shop");
  device_open (&alice, &s, 7, ORD_ROLE_CUSTOMER, "alice");
  device_open (&bob, &s, 8, ORD_ROLE_CUSTOMER, "bob");

  me = add_customer (&alice, "Alice");
  o1 = add_order (&alice, me, "no nuts", 2);
  o2 = add_order (&alice, me, "two", 1);
  o3 = add_order (&alice, me, "three", 1);
  o4 = add_order (&alice, me, "four", 1);
  id = ord_order_get_id (o1);
  id2 = ord_order_get_id (o2);
  id3 = ord_order_get_id (o3);
  id4 = ord_order_get_id (o4);
  him = add_customer (&bob, "Bob");
  device_sync (&alice);
  device_sync (&bob);
  device_sync (&shop);
  set_status (&shop, id, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED);
  set_status (&shop, id2, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED);
  set_status (&shop, id3, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED);
  set_status (&shop, id4, ORD_STATUS_PENDING, ORD_STATUS_CONFIRMED);
  device_sync (&shop);

  /* Offline, her copies still pending, the customer changes the orders
   * the shop has confirmed meanwhile: held. */
  customer_edit (&alice, id, "add candles", "Candles");
  customer_edit (&alice, id2, "gold leaf please", NULL);
  customer_edit (&alice, id3, "silver", NULL);
  customer_edit (&alice, id4, "ribbons", NULL);
  stats = device_sync (&alice);
  g_assert_cmpuint (stats.held, ==, 4);
  g_assert_cmpint (ord_store_count_attention (alice.store, NULL), ==, 4);

  /* The shop sees them, in "Needs attention", with what they change. */
  device_sync (&shop);
  device_sync (&shop2);
  g_assert_cmpint (ord_store_count_attention (shop.store, NULL), ==, 4);
  {
    g_autoptr(OrdOrderEvent) e = ord_store_get_attention (shop.store, id, &error);

    g_assert_no_error (error);
    g_assert_nonnull (e);
    g_assert_cmpint (ord_order_event_get_kind (e), ==, ORD_EVENT_SYNC_HELD);
    g_assert_nonnull (strstr (ord_order_event_get_reason (e), "Alice"));
  }
  held = only_held (&shop, id);
  g_assert_nonnull (held);
  g_assert_cmpstr (held->customer_name, ==, "Alice");
  g_assert_cmpstr (held->subject, ==, "alice");
  g_assert_null (held->decision);
  g_assert_cmpuint (held->changes->len, ==, 2);
  {
    OrdHeldChange *c0 = g_ptr_array_index (held->changes, 0);
    OrdHeldChange *c1 = g_ptr_array_index (held->changes, 1);

    g_assert_cmpint (c0->kind, ==, ORD_HELD_CHANGE_FIELD);
    g_assert_cmpstr (c0->field, ==, "notes");
    g_assert_cmpstr (c0->before, ==, "no nuts");
    g_assert_cmpstr (c0->after, ==, "add candles");
    g_assert_cmpint (c1->kind, ==, ORD_HELD_CHANGE_LINE_ADDED);
    g_assert_null (c1->before);
    g_assert_cmpstr (c1->after, ==, "3 × Candles");
  }

  /* Another customer's devices never hear of them. */
  device_sync (&bob);
  g_assert_cmpint (count (bob.store, "SELECT count(*) FROM held_amendments"), ==, 0);
  {
    guint status;
    g_autoptr(GBytes) pull = http (s.url, "GET", "/v1/sync/pull?since=0", "customer", "bob",
                                   NULL, &status);
    g_autofree char *text = g_strndup (g_bytes_get_data (pull, NULL), g_bytes_get_size (pull));

    g_assert_cmpuint (status, ==, 200);
    g_assert_null (strstr (text, "\"held\""));
    g_assert_null (strstr (text, "candles"));
  }

  /* A customer cannot decide, on the device or on the server. */
  g_assert_false (ord_store_resolve_held (alice.store, held->id, TRUE, NULL, &error));
  g_assert_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_FORBIDDEN);
  g_clear_error (&error);
  {
    g_autofree char *text = push_resolve (&s, "customer", "alice", "alice-raw", 1, held->id,
                                          "approve");
    g_assert_nonnull (strstr (text, "\"forbidden\""));
    g_assert_cmpint (server_count (&s, "SELECT count(*) FROM held_mutations"), ==, 4);
  }

  /* The shop approves: at once on its device, then everywhere. */
  g_assert_true (ord_store_resolve_held (shop.store, held->id, TRUE, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_count_attention (shop.store, NULL), ==, 3);
  {
    g_autoptr(OrdOrder) x = get_order (&shop, id);
    g_autoptr(OrdHeldAmendment) h = only_held (&shop, id);

    g_assert_cmpstr (ord_order_get_notes (x), ==, "add candles");
    g_assert_cmpstr (h->decision, ==, "approved");
  }
  g_assert_false (ord_store_resolve_held (shop.store, held->id, FALSE, "no", &error));
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_CONFLICT);
  g_clear_error (&error);

  stats = device_sync (&shop);
  g_assert_cmpuint (stats.rejected, ==, 0);
  device_sync (&alice);
  device_sync (&shop2);
  g_assert_null (only_held (&shop, id));
  g_assert_null (only_held (&alice, id));
  g_assert_null (only_held (&shop2, id));
  g_assert_cmpint (ord_store_count_attention (shop.store, NULL), ==, 3);
  g_assert_cmpint (ord_store_count_attention (alice.store, NULL), ==, 3);
  g_assert_cmpint (ord_store_count_attention (shop2.store, NULL), ==, 3);
  assert_last_event (&shop, id, ORD_EVENT_HELD_APPROVED, NULL);
  assert_last_event (&alice, id, ORD_EVENT_HELD_APPROVED, NULL);
  assert_last_event (&shop2, id, ORD_EVENT_HELD_APPROVED, NULL);
  {
    g_autoptr(OrdOrder) a = get_order (&alice, id);
    g_autoptr(OrdOrder) b = get_order (&shop, id);
    g_autoptr(OrdOrder) c = get_order (&shop2, id);

    g_assert_cmpstr (ord_order_get_notes (a), ==, "add candles");
    g_assert_cmpuint (ord_order_get_n_items (a), ==, 2);
    g_assert_cmpint (ord_order_get_total (a), ==, 2 * 450 + 3 * 200);
    g_assert_cmpint (ord_order_get_version (a), ==, ord_order_get_version (b));
    g_assert_cmpint (ord_order_get_total (b), ==, ord_order_get_total (a));
    g_assert_cmpstr (ord_order_get_notes (c), ==, "add candles");
  }
  /* The server's timeline says who decided; three wait still. */
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM order_events WHERE"
                                     " kind = 'held-approved' AND actor = 'shop'"), ==, 1);
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM held_mutations"), ==, 3);
  g_clear_pointer (&held, ord_held_amendment_free);

  /* Declined with a reason: the order stays, the customer's change stays
   * in her timeline with the reason. */
  held = only_held (&shop, id2);
  g_assert_nonnull (held);
  g_assert_true (ord_store_resolve_held (shop.store, held->id, FALSE, "  Out of gold leaf ",
                                         &error));
  g_assert_no_error (error);
  device_sync (&shop);
  device_sync (&alice);
  assert_last_event (&alice, id2, ORD_EVENT_HELD_DECLINED, "Out of gold leaf");
  assert_last_event (&shop, id2, ORD_EVENT_HELD_DECLINED, "Out of gold leaf");
  {
    g_autoptr(OrdOrderEvent) e = last_event (&alice, id2);
    g_autoptr(OrdOrder) x = get_order (&alice, id2);
    g_autofree char *text = ord_order_event_describe (e);

    g_assert_nonnull (strstr (ord_order_event_get_details (e), "gold leaf please"));
    g_assert_cmpstr (text, ==, "Change declined by the shop: Out of gold leaf");
    g_assert_cmpstr (ord_order_get_notes (x), ==, "two");
  }
  g_assert_cmpint (ord_store_count_attention (alice.store, NULL), ==, 2);
  g_assert_cmpint (ord_store_count_attention (shop.store, NULL), ==, 2);
  g_clear_pointer (&held, ord_held_amendment_free);

  /* A replayed decision returns the stored result and applies nothing
   * twice; deciding again, or an unknown id, is refused by name. */
  held = only_held (&shop, id3);
  {
    g_autofree char *first = push_resolve (&s, "owner", NULL, "shop-raw", 1, held->id, "decline");
    gint64 cursor = server_cursor (&s);
    g_autofree char *again = push_resolve (&s, "owner", NULL, "shop-raw", 1, held->id, "decline");
    g_autofree char *twice = push_resolve (&s, "owner", NULL, "shop-raw", 2, held->id, "approve");
    g_autofree char *unknown = push_resolve (&s, "owner", NULL, "shop-raw", 3, "999", "approve");

    g_assert_nonnull (strstr (first, "\"applied\""));
    g_assert_cmpstr (again, ==, first);
    g_assert_nonnull (strstr (twice, "\"already_resolved\""));
    g_assert_nonnull (strstr (unknown, "\"not_found\""));
    g_assert_cmpint (server_cursor (&s), ==, cursor);
    g_assert_cmpint (server_count (&s, "SELECT count(*) FROM order_events"
                                       " WHERE kind = 'held-declined'"), ==, 2);
  }
  device_sync (&shop);
  g_assert_null (only_held (&shop, id3));
  assert_last_event (&shop, id3, ORD_EVENT_HELD_DECLINED, "not today");
  g_clear_pointer (&held, ord_held_amendment_free);

  /* Approved on one terminal after another shipped the order: declined
   * with order_locked, on every device. */
  set_status (&shop2, id4, ORD_STATUS_CONFIRMED, ORD_STATUS_SHIPPED);
  device_sync (&shop2);
  held = only_held (&shop, id4);
  g_assert_true (ord_store_resolve_held (shop.store, held->id, TRUE, NULL, &error));
  g_assert_no_error (error);
  stats = device_sync (&shop);
  g_assert_cmpuint (stats.rejected, ==, 1);
  g_assert_null (only_held (&shop, id4));
  {
    g_autoptr(OrdOrder) x = get_order (&shop, id4);
    g_autoptr(OrdOrderEvent) e = last_event (&shop, id4);
    g_autoptr(OrdOrderEvent) why = ord_store_get_attention (shop.store, id4, &error);

    g_assert_cmpint (ord_order_get_status (x), ==, ORD_STATUS_SHIPPED);
    g_assert_cmpstr (ord_order_get_notes (x), ==, "four");
    g_assert_cmpint (ord_order_event_get_kind (e), ==, ORD_EVENT_HELD_DECLINED);
    /* The shop hears its approval was refused, and why. */
    g_assert_nonnull (why);
    g_assert_cmpint (ord_order_event_get_kind (why), ==, ORD_EVENT_SYNC_REJECTED);
    g_assert_nonnull (strstr (ord_order_event_get_details (why), "\"order_locked\""));
  }
  device_sync (&alice);
  {
    g_autoptr(OrdOrderEvent) e = last_event (&alice, id4);
    g_autoptr(OrdOrder) x = get_order (&alice, id4);

    g_assert_cmpint (ord_order_event_get_kind (e), ==, ORD_EVENT_HELD_DECLINED);
    g_assert_nonnull (ord_order_event_get_reason (e));
    g_assert_nonnull (strstr (ord_order_event_get_details (e), "ribbons"));
    g_assert_cmpstr (ord_order_get_notes (x), ==, "four");
    g_assert_cmpint (ord_order_get_status (x), ==, ORD_STATUS_SHIPPED);
  }
  g_assert_cmpint (ord_store_count_attention (alice.store, NULL), ==, 0);
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM held_decisions"
                                     " WHERE decision = 'declined'"), ==, 3);
  g_assert_cmpint (server_count (&s, "SELECT count(*) FROM held_mutations"), ==, 0);

  /* A device that syncs from scratch sees no amendment waiting. */
  {
    Device fresh = { 0, };

    device_open (&fresh, &s, 9, ORD_ROLE_OWNER, "shop");
    device_sync (&fresh);
    g_assert_cmpint (count (fresh.store, "SELECT count(*) FROM held_amendments"), ==, 0);
    g_assert_cmpint (ord_store_count_attention (fresh.store, NULL), ==, 0);
    device_close (&fresh);
  }

  device_close (&shop);
  device_close (&shop2);
  device_close (&alice);
  device_close (&bob);
  server_clear (&s);
}

/* Bad requests get a 4xx with a message, and store nothing. */
static void
test_bad_requests (void)
{
  static const struct { const char *body; guint status; const char *message; } rows[] = {
    { "{\"client_id\":\"x\",\"mutations\":[", 400, "not valid JSON" },
    { "{\"client_id\":7,\"mutations\":[]}", 400, "client_id: expected a string" },
    { "{\"client_id\":\"x\",\"mutations\":[],\"admin\":true}", 400, "admin: unknown field" },
    { "{\"client_id\":\"x\"}", 400, "mutations: missing" },
  };
  g_autofree char *db = temp_path ("server.db");
  Server s = { 0, };
  gint64 cursor;

  server_start (&s, db);
  cursor = server_cursor (&s);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      guint status;
      g_autoptr(GBytes) reply = http_text (s.url, "/v1/sync/push", rows[i].body, &status);
      g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

      g_assert_cmpuint (status, ==, rows[i].status);
      if (strstr (text, rows[i].message) == NULL)
        g_error ("“%s” does not say “%s”", text, rows[i].message);
    }

  /* Over 8 MiB. */
  {
    gsize size = ORD_SYNC_MAX_BODY + 1024;
    char *big = g_malloc (size);
    g_autoptr(GBytes) body = NULL;
    g_autoptr(GBytes) reply = NULL;
    guint status;

    memset (big, ' ', size);
    body = g_bytes_new_take (big, size);
    reply = http (s.url, "POST", "/v1/sync/push", NULL, NULL, body, &status);
    g_assert_cmpuint (status, ==, 413);
  }

  /* Truncated: the client promises more than it sends and hangs up. */
  {
    g_autoptr(GSocketClient) sc = g_socket_client_new ();
    g_autoptr(GSocketConnection) conn = NULL;
    g_autoptr(GError) error = NULL;
    g_autoptr(GUri) uri = g_uri_parse (s.url, G_URI_FLAGS_NONE, NULL);
    const char *req = "POST /v1/sync/push HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      "Content-Length: 500\r\n\r\n{\"client_id\":\"x\",\"mutati";

    conn = g_socket_client_connect_to_host (sc, "127.0.0.1", g_uri_get_port (uri), NULL, &error);
    g_assert_no_error (error);
    g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (conn)), req,
                               strlen (req), NULL, NULL, &error);
    g_assert_no_error (error);
    g_io_stream_close (G_IO_STREAM (conn), NULL, NULL);
  }

  /* Unknown routes, wrong methods, bad query values. */
  {
    guint status;
    g_autoptr(GBytes) r1 = http (s.url, "GET", "/v1/sync/push", NULL, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 405);
    g_clear_pointer (&r1, g_bytes_unref);
    r1 = http (s.url, "GET", "/v1/sync/pull?since=-4", NULL, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 400);
    g_clear_pointer (&r1, g_bytes_unref);
    r1 = http (s.url, "GET", "/v1/sync/pull?limit=999999", NULL, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 400);
    g_clear_pointer (&r1, g_bytes_unref);
    r1 = http (s.url, "GET", "/v2/nothing", NULL, NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 404);
    g_clear_pointer (&r1, g_bytes_unref);
    r1 = http (s.url, "GET", "/v1/sync/pull", "emperor", NULL, NULL, &status);
    g_assert_cmpuint (status, ==, 401);
  }

  /* Still alive, and nothing was stored. */
  g_assert_cmpint (server_cursor (&s), ==, cursor);

  /* The metrics counted it all. */
  {
    guint status;
    g_autoptr(GBytes) reply = http (s.url, "GET", "/metrics", NULL, NULL, NULL, &status);
    g_autofree char *text = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));

    g_assert_cmpuint (status, ==, 200);
    g_assert_nonnull (strstr (text, "orderly_http_requests_total{route=\"/v1/sync/push\","
                                    "status=\"400\"} 4"));
    g_assert_nonnull (strstr (text, "status=\"413\"} 1"));
    g_assert_nonnull (strstr (text, "orderly_database_size_bytes "));
  }

  server_clear (&s);
}

static void
add_many (Device      *d,
          OrdCustomer *c,
          guint        n)
{
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrder) o = add_order (d, c, "bulk", 1 + i % 5);
    }
}

static gpointer
sync_thread (gpointer data)
{
  Device *d = data;
  g_autoptr(GError) error = NULL;

  /* Fails when the server dies under it; that is the point. */
  ord_sync_client_sync_once (d->client, NULL, NULL, &error);
  return GINT_TO_POINTER (error == NULL);
}

/* The server is killed in the middle of a push; after a restart the
 * device converges, with nothing lost or doubled. */
static void
test_kill_server_during_push (void)
{
  g_autofree char *db = temp_path ("server.db");
  Server s = { 0, };
  Device a = { 0, }, b = { 0, };
  g_autoptr(OrdCustomer) c = NULL;
  g_autofree char *da = NULL, *db_ = NULL;
  GThread *thread;
  guint n = 3000;

  server_start (&s, db);
  device_open (&a, &s, 1, ORD_ROLE_OWNER, "shop");
  ord_sync_client_set_batch_size (a.client, 100);
  c = add_customer (&a, "Bulk Buyer");
  add_many (&a, c, n);

  thread = g_thread_new ("sync", sync_thread, &a);
  /* Kill once the server has taken part of the outbox. */
  while (server_cursor (&s) < 300)
    g_usleep (2000);
  server_kill (&s, SIGKILL);
  g_assert_false (GPOINTER_TO_INT (g_thread_join (thread)));
  g_assert_cmpint (ord_store_count_outbox (a.store), >, 0);

  server_start (&s, NULL);
  g_object_set (a.client, "server-url", s.url, NULL);
  device_sync (&a);
  g_assert_cmpint (ord_store_count_outbox (a.store), ==, 0);

  device_open (&b, &s, 2, ORD_ROLE_OWNER, "shop");
  device_sync (&b);
  g_assert_cmpint (count (b.store, "SELECT count(*) FROM orders"), ==, n);
  g_assert_cmpint (count (b.store, "SELECT count(DISTINCT number) FROM orders"), ==, n);
  da = dump (a.store);
  db_ = dump (b.store);
  g_assert_cmpstr (da, ==, db_);

  device_close (&a);
  device_close (&b);
  server_clear (&s);
}

/* A device is killed in the middle of a pull; it picks up where its
 * committed cursor is. */
static void
test_kill_client_during_pull (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  Server s = { 0, };
  Device a = { 0, }, b = { 0, };
  g_autoptr(OrdCustomer) c = NULL;
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *da = NULL, *db_ = NULL;
  g_autofree char *b_path = temp_path ("victim.db");
  guint n = 4000;

  server_start (&s, db);
  device_open (&a, &s, 1, ORD_ROLE_OWNER, "shop");
  c = add_customer (&a, "Bulk Buyer");
  add_many (&a, c, n);
  device_sync (&a);

  /* The victim syncs in its own process, pages of 1000. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  child = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--sync-child", b_path,
                                       s.url, NULL);
  g_assert_no_error (error);
  for (int i = 0; i < 5000; i++)
    {
      g_autoptr(OrdStore) peek = NULL;
      gint64 cursor = 0;

      g_usleep (1000);
      if (!g_file_test (b_path, G_FILE_TEST_EXISTS))
        continue;
      peek = ord_store_new (b_path, NULL);
      if (peek != NULL)
        cursor = ord_store_sync_get_cursor (peek);
      if (cursor > 0)
        break;
    }
  g_subprocess_force_exit (child);
  g_subprocess_wait (child, NULL, NULL);

  b.path = g_steal_pointer (&b_path);
  b.store = ord_store_new (b.path, &error);
  g_assert_no_error (error);
  b.client = ord_sync_client_new (b.store, s.url);
  ord_sync_client_set_identity (b.client, ORD_ROLE_OWNER, "shop");
  g_test_message ("killed at cursor %" G_GINT64_FORMAT " of %" G_GINT64_FORMAT,
                  ord_store_sync_get_cursor (b.store), server_cursor (&s));
  device_sync (&b);

  g_assert_cmpint (count (b.store, "SELECT count(*) FROM orders"), ==, n);
  da = dump (a.store);
  db_ = dump (b.store);
  g_assert_cmpstr (da, ==, db_);

  device_close (&a);
  device_close (&b);
  server_clear (&s);
}

/* A server whose change feed goes bad after its first page: the real
 * server's pages of ten, passed on, the later ones damaged. It runs as a
 * child process (this program with --bad-feed), as the real server does:
 * LeakSanitizer reports at exit the GSocket libsoup 3.2 keeps for each
 * accepted connection. */
typedef enum
{
  DAMAGE_TRUNCATE,      /* the connection dropped half-way */
  DAMAGE_NOT_JSON,      /* a proxy's error page */
  DAMAGE_BAD_ORDER,     /* valid JSON, one order in the middle wrong */
} Damage;

typedef struct
{
  const char *upstream;
  Damage      damage;
  guint       served;
} BadFeed;

static void
bad_feed_cb (SoupServer        *server,
             SoupServerMessage *msg,
             const char        *path,
             GHashTable        *query,
             gpointer           user_data)
{
  BadFeed *feed = user_data;
  SoupMessageHeaders *in = soup_server_message_get_request_headers (msg);
  const char *since = query ? g_hash_table_lookup (query, "since") : NULL;
  g_autofree char *upstream_path = g_strdup_printf ("/v1/sync/pull?since=%s&limit=10",
                                                    since ? since : "0");
  guint status;
  g_autoptr(GBytes) page = http (feed->upstream, "GET", upstream_path,
                                 soup_message_headers_get_one (in, "X-Orderly-Role"),
                                 soup_message_headers_get_one (in, "X-Orderly-Subject"), NULL,
                                 &status);
  g_autoptr(GString) text = g_string_new_len (g_bytes_get_data (page, NULL),
                                              g_bytes_get_size (page));

  if (feed->served++ > 0)
    switch (feed->damage)
      {
      case DAMAGE_TRUNCATE:
        g_string_truncate (text, text->len / 2);
        break;
      case DAMAGE_NOT_JSON:
        g_string_assign (text, "<html><body>502 Bad Gateway</body></html>");
        break;
      case DAMAGE_BAD_ORDER:
        {
          /* The sixth order of the page sells -2 of its line. */
          const char *at = text->str;

          for (int i = 0; i < 6 && at != NULL; i++)
            at = strstr (at + 1, "\"quantity\":");
          if (at != NULL)
            g_string_insert (text, at - text->str + strlen ("\"quantity\":"), "-");
        }
        break;
      }

  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, text->str,
                                    text->len);
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* The child: serves until SIGTERM. */
static int
bad_feed_main (const char *upstream,
               Damage      damage)
{
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  BadFeed feed = { upstream, damage, 0 };
  GSList *uris;

  soup_server_add_handler (server, "/v1/sync/pull", bad_feed_cb, &feed, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  uris = soup_server_get_uris (server);
  url = g_uri_to_string (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  while (g_str_has_suffix (url, "/"))
    url[strlen (url) - 1] = '\0';
  g_print ("listening on %s\n", url);
  fflush (stdout);

  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);

  return 0;
}

/* A damaged page of the change feed fails the sync with an error that
 * says what is wrong, and stores nothing of that page: the page before
 * it and its cursor stay, and the next sync goes on from there. */
static void
test_bad_page (void)
{
  static const struct { Damage damage; int code; const char *message; } rows[] = {
    { DAMAGE_TRUNCATE, ORD_SYNC_ERROR_MALFORMED, "not valid JSON: line 1, column" },
    { DAMAGE_NOT_JSON, ORD_SYNC_ERROR_MALFORMED, "“<” where a value should be" },
    { DAMAGE_BAD_ORDER, ORD_SYNC_ERROR_INVALID,
      "changes[5].data.items[0].quantity: -2 must be positive" },
  };
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", NULL);
  Server s = { 0, };
  Device a = { 0, };
  g_autoptr(OrdCustomer) c = NULL;
  g_autofree char *da = NULL;
  gint64 first_cursor;

  server_start (&s, db);
  device_open (&a, &s, 1, ORD_ROLE_OWNER, "shop");
  c = add_customer (&a, "Bulk Buyer");
  for (guint i = 0; i < 30; i++)
    {
      /* Quantities of 2 everywhere, so the damage makes -2. */
      g_autoptr(OrdOrder) o = add_order (&a, c, "bulk", 2);
    }
  device_sync (&a);
  da = dump (a.store);

  /* Where the first page of ten ends. */
  {
    guint status;
    g_autoptr(GBytes) page = http (s.url, "GET", "/v1/sync/pull?since=0&limit=10", "owner",
                                   "shop", NULL, &status);
    g_autofree char *text = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
    g_autoptr(JsonNode) node = json_from_string (text, NULL);

    g_assert_cmpuint (status, ==, 200);
    first_cursor = json_object_get_int_member (json_node_get_object (node), "cursor");
  }

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    {
      g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (
        G_SUBPROCESS_FLAGS_STDOUT_PIPE);
      g_autoptr(GSubprocess) feed = NULL;
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *damage = g_strdup_printf ("%d", rows[i].damage);
      g_autofree char *line = NULL;
      Device b = { 0, };
      g_autofree char *db_ = NULL;

      if (g_getenv ("ASAN_OPTIONS") != NULL)
        {
          g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0",
                                               NULL);
          g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
        }
      g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
      feed = g_subprocess_launcher_spawn (launcher, &error, self_exe, "--bad-feed", s.url,
                                          damage, NULL);
      g_assert_no_error (error);
      out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (feed));
      line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_true (line != NULL && g_str_has_prefix (line, "listening on http://127.0.0.1:"));

      device_open (&b, &s, 2, ORD_ROLE_OWNER, "shop");
      g_object_set (b.client, "server-url", line + strlen ("listening on "), NULL);
      g_assert_false (ord_sync_client_sync_once (b.client, NULL, NULL, &error));

      g_assert_error (error, ORD_SYNC_ERROR, rows[i].code);
      g_assert_true (g_str_has_prefix (error->message, "The server’s change feed: "));
      if (strstr (error->message, rows[i].message) == NULL)
        g_error ("“%s” does not say “%s”", error->message, rows[i].message);
      g_assert_cmpint (ord_sync_client_get_state (b.client), ==, ORD_SYNC_STATE_ERROR);
      g_clear_error (&error);

      /* The first page (the customer and nine orders) and its cursor. */
      g_assert_cmpint (ord_store_sync_get_cursor (b.store), ==, first_cursor);
      g_assert_cmpint (count (b.store, "SELECT count(*) FROM orders"), ==, 9);
      g_assert_cmpint (count (b.store, "SELECT count(*) FROM order_items"), ==, 9);
      g_assert_cmpint (count (b.store, "SELECT count(*) FROM orders_fts"), ==, 9);

      /* Against the real feed it goes on from there and converges. */
      g_object_set (b.client, "server-url", s.url, NULL);
      device_sync (&b);
      db_ = dump (b.store);
      g_assert_cmpstr (da, ==, db_);
      g_assert_cmpint (count (b.store, "SELECT count(*) FROM orders_fts"), ==, 30);
      g_assert_cmpint (count (b.store, "SELECT count(*) FROM pragma_foreign_key_check"), ==, 0);
      device_close (&b);

      g_subprocess_send_signal (feed, SIGTERM);
      g_subprocess_wait_check (feed, NULL, &error);
      g_assert_no_error (error);
    }

  device_close (&a);
  server_clear (&s);
}

/* The automatic mode hears of a change on the live channel. */
static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_live (void)
{
  g_autofree char *db = temp_path ("server.db");
  Server s = { 0, };
  Device a = { 0, }, b = { 0, };
  g_autoptr(OrdCustomer) c = NULL;
  g_autoptr(OrdOrder) o = NULL;
  gboolean timed_out = FALSE;
  guint source;

  server_start (&s, db);
  device_open (&a, &s, 1, ORD_ROLE_CUSTOMER, "alice");
  device_open (&b, &s, 2, ORD_ROLE_OWNER, "shop");

  ord_sync_client_start (b.client);
  c = add_customer (&a, "Alice");
  o = add_order (&a, c, "live", 1);
  device_sync (&a);

  /* The owner sees the customer's order within a second or so. */
  source = g_timeout_add (10000, timeout_cb, &timed_out);
  while (!timed_out && count (b.store, "SELECT count(*) FROM orders") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (source);
  /* Let the run finish before stopping. */
  while (ord_sync_client_get_state (b.client) == ORD_SYNC_STATE_SYNCING)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (ord_sync_client_get_state (b.client), ==, ORD_SYNC_STATE_SYNCED);
  g_assert_cmpint (ord_sync_client_get_last_success (b.client), >, 0);
  ord_sync_client_stop (b.client);

  device_close (&a);
  device_close (&b);
  server_clear (&s);
}

static void
test_backoff (void)
{
  /* Doubles, capped, scaled by the jitter: two devices never retry in step. */
  g_assert_cmpuint (ord_sync_backoff_ms (0, 0.5), ==, 1000);
  g_assert_cmpuint (ord_sync_backoff_ms (1, 0.5), ==, 2000);
  g_assert_cmpuint (ord_sync_backoff_ms (3, 0.5), ==, 8000);
  g_assert_cmpuint (ord_sync_backoff_ms (30, 0.5), ==, 60000);
  g_assert_cmpuint (ord_sync_backoff_ms (2, 0.0), ==, 2000);
  g_assert_cmpuint (ord_sync_backoff_ms (2, 0.99), >, 5900);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GError) error = NULL;
  int ret;

  if (argc == 4 && strcmp (argv[1], "--bad-feed") == 0)
    return bad_feed_main (argv[2], (Damage) g_ascii_strtoll (argv[3], NULL, 10));
  if (argc == 4 && strcmp (argv[1], "--sync-child") == 0)
    {
      g_autoptr(OrdStore) store = ord_store_new (argv[2], &error);
      g_autoptr(OrdSyncClient) client = NULL;

      if (store == NULL)
        return 2;
      client = ord_sync_client_new (store, argv[3]);
      ord_sync_client_set_identity (client, ORD_ROLE_OWNER, "shop");
      return ord_sync_client_sync_once (client, NULL, NULL, &error) ? 0 : 1;
    }

  g_test_init (&argc, &argv, NULL);

  test_dir = g_dir_make_tmp ("orderly-sync-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/sync/e2e/converge", test_converge);
  g_test_add_func ("/sync/e2e/customer-deactivated", test_customer_deactivated);
  g_test_add_func ("/sync/e2e/replay", test_replay);
  g_test_add_func ("/sync/e2e/conflicts", test_conflicts);
  g_test_add_func ("/sync/e2e/held", test_held);
  g_test_add_func ("/sync/e2e/bad-requests", test_bad_requests);
  g_test_add_func ("/sync/e2e/kill-server-during-push", test_kill_server_during_push);
  g_test_add_func ("/sync/e2e/kill-client-during-pull", test_kill_client_during_pull);
  g_test_add_func ("/sync/e2e/bad-page", test_bad_page);
  g_test_add_func ("/sync/e2e/live", test_live);
  g_test_add_func ("/sync/e2e/backoff", test_backoff);

  ret = g_test_run ();
  remove_tree (test_dir);
  g_free (test_dir);

  return ret;
}
