/* test-sync-app.c: the app syncs with a real orderly-server: a customer's
 * order arrives within a second, a rejected change needs attention, a
 * stopped server shows as offline, in the header bar's indicator
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include "ord-context.h"
#include "ord-sync-controller.h"
#include "ord-sync-indicator.h"

/* The promise: a customer's order is on the owner's dashboard within a
 * second of its push. Under the sanitizers everything runs several times
 * slower (the customer's own sync run most of all), so they get more. */
#if defined(__SANITIZE_ADDRESS__)
#define LIVE_BUDGET_MS 3000
#else
#define LIVE_BUDGET_MS 1000
#endif

static char *test_dir;

static char *
temp_path (const char *name)
{
  static guint counter;

  return g_strdup_printf ("%s/%u-%s", test_dir, ++counter, name);
}

/* ------------------------------------------------------------------ */
/* The server, as tests/sync/test-sync-e2e.c runs it                   */

typedef struct
{
  GSubprocess *proc;
  char        *db;
  char        *url;
} Server;

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
  /* libsoup 3.2 keeps a GSocket per accepted connection until exit: not
   * the server's leak (see test-sync-e2e.c). */
  if (g_getenv ("ASAN_OPTIONS") != NULL)
    {
      g_autofree char *asan = g_strconcat (g_getenv ("ASAN_OPTIONS"), ":detect_leaks=0", NULL);
      g_subprocess_launcher_setenv (launcher, "ASAN_OPTIONS", asan, TRUE);
    }
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
server_stop (Server *s)
{
  g_autoptr(GError) error = NULL;

  if (s->proc == NULL)
    return;
  g_subprocess_send_signal (s->proc, SIGTERM);
  g_subprocess_wait (s->proc, NULL, &error);
  g_assert_no_error (error);
  g_clear_object (&s->proc);
}

static void
server_clear (Server *s)
{
  server_stop (s);
  g_clear_pointer (&s->db, g_free);
  g_clear_pointer (&s->url, g_free);
}

/* ------------------------------------------------------------------ */
/* Another device: a customer at home, or the shop's other computer    */

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
device_sync (Device *d)
{
  g_autoptr(GError) error = NULL;

  ord_sync_client_sync_once (d->client, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
device_close (Device *d)
{
  g_clear_object (&d->client);
  g_clear_object (&d->store);
  g_clear_pointer (&d->path, g_free);
}

static char *
add_order (OrdStore   *store,
           const char *customer_name,
           const char *notes)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(OrdOrder) order = ord_order_new ();

  ord_customer_set_name (customer, customer_name);
  ord_store_save_customer (store, customer, &error);
  g_assert_no_error (error);

  ord_order_set_customer_id (order, ord_customer_get_id (customer));
  ord_order_set_currency (order, "EUR");
  ord_order_set_notes (order, notes);
  ord_order_item_set_name (item, "Sourdough");
  ord_order_item_set_sku (item, "SD-1");
  ord_order_item_set_unit_price (item, 450);
  ord_order_item_set_quantity (item, 2);
  ord_order_add_item (order, item);
  ord_store_create_order (store, order, &error);
  g_assert_no_error (error);

  return g_strdup (ord_order_get_id (order));
}

static void
synced_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(GError) error = NULL;

  ord_sync_client_sync_finish (ORD_SYNC_CLIENT (object), result, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("the customer's sync (push and pull) ended at %" G_GINT64_FORMAT " µs",
                  g_get_monotonic_time ());
  *(gboolean *) data = TRUE;
}

static gboolean
has_order (OrdStore   *store,
           const char *id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) order = ord_store_get_order (store, id, &error);

  return order != NULL;
}

/* ------------------------------------------------------------------ */
/* The app: a context on its own database, its indicator in a window   */

typedef struct
{
  GSettings         *settings;
  OrdContext        *context;
  OrdSyncController *controller;
  GtkWidget         *window;
  GtkWidget         *indicator;
  char              *path;
} App;

static void
app_open (App        *app,
          const char *server_url)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *header;

  app->settings = ord_settings_new_if_installed ();
  g_assert_nonnull (app->settings);
  g_settings_set_string (app->settings, "server-url", server_url);
  g_settings_set_uint (app->settings, "terminal-number", 3);

  app->path = temp_path ("app.db");
  app->context = ord_context_open (app->path, app->settings);
  g_assert_null (ord_context_get_error (app->context));
  app->controller = ord_context_get_sync_controller (app->context);
  g_assert_nonnull (app->controller);

  /* Where the main window puts it: at the end of the header bar. */
  app->window = gtk_window_new ();
  header = adw_header_bar_new ();
  app->indicator = ord_sync_indicator_new (app->controller);
  g_object_ref (app->indicator);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), app->indicator);
  gtk_window_set_titlebar (GTK_WINDOW (app->window), header);
  gtk_window_set_child (GTK_WINDOW (app->window), gtk_label_new ("Orders"));
  gtk_window_set_default_size (GTK_WINDOW (app->window), 900, 600);
  gtk_window_present (GTK_WINDOW (app->window));
}

/* Closing: the window and the context go, the client's last run ends, and
 * nothing is left (no callbacks into freed objects: ASan would tell). */
static void
app_close (App *app)
{
  OrdSyncClient *client = ord_sync_controller_get_client (app->controller);
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  if (client != NULL)
    g_object_add_weak_pointer (G_OBJECT (client), (gpointer *) &client);

  gtk_window_destroy (GTK_WINDOW (app->window));
  g_assert_finalize_object (app->indicator);
  g_assert_finalize_object (app->context);
  ord_sync_controller_drain (10000);
  while (client != NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_null (client);

  g_settings_reset (app->settings, "server-url");
  g_settings_reset (app->settings, "terminal-number");
  g_clear_object (&app->settings);
  g_clear_pointer (&app->path, g_free);
}

static const char *
indicator_text (App        *app,
                const char *name)
{
  GObject *label = gtk_widget_get_template_child (app->indicator, ORD_TYPE_SYNC_INDICATOR, name);

  g_assert_true (GTK_IS_LABEL (label));
  return gtk_label_get_label (GTK_LABEL (label));
}

static gboolean
indicator_shows (App        *app,
                 const char *name)
{
  GObject *widget = gtk_widget_get_template_child (app->indicator, ORD_TYPE_SYNC_INDICATOR, name);

  return gtk_widget_get_visible (GTK_WIDGET (widget));
}

/* Runs the main loop until @pred holds; fails after @timeout_ms. Returns
 * the milliseconds it took. */
typedef gboolean (*Predicate) (App *app, gconstpointer data);

static gint64
wait_until (App           *app,
            Predicate      pred,
            gconstpointer  data,
            guint          timeout_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) timeout_ms * 1000;

  while (!pred (app, data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("waited %u ms in vain (state %s, pending %" G_GINT64_FORMAT ", error %s)",
                 timeout_ms, ord_sync_state_to_string (ord_sync_controller_get_state (app->controller)),
                 ord_sync_controller_get_pending_count (app->controller),
                 ord_sync_controller_get_last_error (app->controller));
      g_main_context_iteration (NULL, FALSE);
      g_usleep (500);
    }

  return (g_get_monotonic_time () - start) / 1000;
}

static gboolean
is_synced (App           *app,
           gconstpointer  data)
{
  return ord_sync_controller_get_configured (app->controller) &&
         ord_sync_controller_get_state (app->controller) == ORD_SYNC_STATE_SYNCED &&
         ord_sync_controller_get_last_success (app->controller) > 0 &&
         ord_sync_controller_get_pending_count (app->controller) == 0;
}

static gboolean
has_app_order (App           *app,
               gconstpointer  id)
{
  return has_order (ord_context_get_store (app->context), id);
}

static gboolean
is_true (App           *app,
         gconstpointer  flag)
{
  return *(const gboolean *) flag;
}

static gboolean
is_off (App           *app,
        gconstpointer  data)
{
  return !ord_sync_controller_get_configured (app->controller) &&
         ord_sync_controller_get_client (app->controller) == NULL;
}

static gboolean
has_one_pending (App           *app,
                 gconstpointer  data)
{
  return ord_sync_controller_get_pending_count (app->controller) == 1;
}

static gboolean
has_terminal_5 (App           *app,
                gconstpointer  data)
{
  return ord_store_get_terminal (ord_context_get_store (app->context)) == 5;
}

static gboolean
has_attention (App           *app,
               gconstpointer  data)
{
  return ord_store_count_attention (ord_context_get_store (app->context), NULL) == 1 &&
         is_synced (app, NULL);
}

static gboolean
is_unreachable (App           *app,
                gconstpointer  data)
{
  OrdSyncState state = ord_sync_controller_get_state (app->controller);

  return (state == ORD_SYNC_STATE_OFFLINE || state == ORD_SYNC_STATE_ERROR) &&
         ord_sync_controller_get_last_error (app->controller) != NULL;
}

static void
save_png (GtkWidget  *widget,
          const char *dir,
          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  graphene_rect_t bounds;

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  if (node == NULL)
    return;
  /* The node's own bounds: a popover draws its arrow and shadow outside
   * its allocation. */
  gsk_render_node_get_bounds (node, &bounds);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                         node, &bounds);
  file = g_build_filename (dir, name, NULL);
  gdk_texture_save_to_png (texture, file);
  g_test_message ("saved %s", file);
}

/* With ORDERLY_TEST_SCREENSHOTS=DIR, the header bar and the popover as
 * PNGs, for people to look at. */
static void
screenshot (App        *app,
            const char *name)
{
  const char *dir = g_getenv ("ORDERLY_TEST_SCREENSHOTS");
  g_autofree char *window_name = NULL;
  GtkPopover *popover;
  gint64 deadline;

  if (dir == NULL)
    return;

  window_name = g_strconcat ("header-", name, NULL);
  popover = GTK_POPOVER (gtk_widget_get_template_child (app->indicator, ORD_TYPE_SYNC_INDICATOR,
                                                        "popover"));
  for (guint i = 0; i < 2; i++)
    {
      /* The second time: the popover has its size from the first. */
      gtk_popover_popdown (popover);
      gtk_popover_popup (popover);
      deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 4;
      while (g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
    }
  save_png (gtk_window_get_titlebar (GTK_WINDOW (app->window)), dir, window_name);
  save_png (GTK_WIDGET (popover), dir, name);
  gtk_popover_popdown (popover);
}

/* ------------------------------------------------------------------ */
/* Tests                                                               */

static void
test_live (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  Server s = { 0, };
  Device customer = { 0, };
  App app = { 0, };
  gint64 start, elapsed_ms;
  gboolean customer_done = FALSE;

  server_start (&s, db);
  app_open (&app, s.url);

  /* Settings reach the store and the client. */
  g_assert_cmpuint (ord_store_get_terminal (ord_context_get_store (app.context)), ==, 3);
  g_assert_true (ord_sync_controller_get_configured (app.controller));
  g_assert_nonnull (ord_sync_controller_get_client (app.controller));
  g_settings_set_uint (app.settings, "terminal-number", 5);
  wait_until (&app, has_terminal_5, NULL, 5000);
  wait_until (&app, is_synced, NULL, 10000);
  g_assert_cmpstr (indicator_text (&app, "state_label"), ==, "Up to date");
  g_assert_cmpstr (indicator_text (&app, "pending_label"), ==, "None");
  g_assert_cmpstr (indicator_text (&app, "last_sync_label"), ==, "Just now");
  g_assert_cmpstr (indicator_text (&app, "server_label"), ==, s.url);
  g_assert_false (indicator_shows (&app, "error_label"));
  g_assert_false (indicator_shows (&app, "preferences_button"));
  screenshot (&app, "sync-popover-synced.png");

  /* A customer's new order is on the owner's dashboard within a second of
   * its push: the live channel tells the app, which pulls it. Measured
   * from the start of the customer's sync, push and pull included. */
  device_open (&customer, &s, 7, ORD_ROLE_CUSTOMER, "alice");
  id = add_order (customer.store, "Alice", "two loaves, sliced");
  start = g_get_monotonic_time ();
  g_test_message ("the customer's sync started at %" G_GINT64_FORMAT " µs", start);
  ord_sync_client_sync_async (customer.client, NULL, synced_cb, &customer_done);
  wait_until (&app, has_app_order, id, 5000);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_test_message ("the customer's order reached the app in %" G_GINT64_FORMAT " ms", elapsed_ms);
  g_assert_cmpint (elapsed_ms, <, LIVE_BUDGET_MS);
  {
    OrdOrderQuery q = { 0 };

    q.status_mask = 1u << ORD_STATUS_PENDING;
    g_assert_cmpint (ord_store_count_orders (ord_context_get_store (app.context), &q, &error),
                     ==, 1);
    g_assert_no_error (error);
  }
  wait_until (&app, is_synced, NULL, 10000);
  wait_until (&app, is_true, &customer_done, 10000);
  g_assert_cmpint (ord_sync_client_get_state (customer.client), ==, ORD_SYNC_STATE_SYNCED);

  device_close (&customer);
  app_close (&app);
  server_clear (&s);
}

static void
test_rejected_needs_attention (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(OrdOrderEvent) event = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GPtrArray) events = NULL;
  Server s = { 0, };
  Device customer = { 0, }, other = { 0, };
  App app = { 0, };
  OrdStore *store;
  OrdOrderQuery q = { 0 };
  gboolean in_timeline = FALSE;

  server_start (&s, db);
  app_open (&app, s.url);
  store = ord_context_get_store (app.context);
  wait_until (&app, is_synced, NULL, 10000);

  device_open (&customer, &s, 7, ORD_ROLE_CUSTOMER, "alice");
  id = add_order (customer.store, "Alice", "two loaves");
  device_sync (&customer);
  wait_until (&app, has_app_order, id, 5000);
  wait_until (&app, is_synced, NULL, 10000);

  /* Sync off: emptying the address stops the client. */
  g_settings_set_string (app.settings, "server-url", "");
  wait_until (&app, is_off, NULL, 5000);
  g_assert_cmpstr (indicator_text (&app, "state_label"), ==, "Sync is off");
  g_assert_true (indicator_shows (&app, "preferences_button"));
  g_assert_false (gtk_widget_is_sensitive (GTK_WIDGET (gtk_widget_get_template_child (
    app.indicator, ORD_TYPE_SYNC_INDICATOR, "sync_now_button"))));

  /* Meanwhile the shop's other computer cancels the order, and this one,
   * not knowing, edits it. */
  device_open (&other, &s, 2, ORD_ROLE_OWNER, "shop");
  device_sync (&other);
  ord_store_cancel_order (other.store, id, "the customer called", &error);
  g_assert_no_error (error);
  device_sync (&other);

  order = ord_store_get_order (store, id, &error);
  g_assert_no_error (error);
  ord_order_set_notes (order, "two loaves, and a rye");
  ord_store_edit_order (store, order, &error);
  g_assert_no_error (error);
  g_clear_object (&order);
  wait_until (&app, has_one_pending, NULL, 5000);
  g_assert_cmpstr (indicator_text (&app, "pending_label"), ==, "1 change");

  /* Sync on again: the server rejects the edit; the order needs
   * attention, says why, and keeps what the user typed. */
  g_settings_set_string (app.settings, "server-url", s.url);
  wait_until (&app, has_attention, NULL, 10000);
  g_assert_cmpstr (indicator_text (&app, "state_label"), ==, "Up to date");
  g_assert_cmpstr (indicator_text (&app, "pending_label"), ==, "None");

  q.attention_only = TRUE;
  rows = ord_store_query_orders (store, &q, NULL, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (ord_order_get_id (g_ptr_array_index (rows, 0)), ==, id);
  /* The server's record: cancelled. */
  g_assert_cmpint (ord_order_get_status (g_ptr_array_index (rows, 0)), ==, ORD_STATUS_CANCELLED);

  event = ord_store_get_attention (store, id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpint (ord_order_event_get_kind (event), ==, ORD_EVENT_SYNC_REJECTED);
  g_test_message ("the reason: %s", ord_order_event_get_reason (event));
  g_assert_nonnull (ord_order_event_get_reason (event));
  g_assert_cmpstr (ord_order_event_get_reason (event), !=, "");
  g_assert_nonnull (strstr (ord_order_event_get_details (event), "order_locked"));
  g_assert_nonnull (strstr (ord_order_event_get_details (event), "two loaves, and a rye"));

  events = ord_store_get_events (store, id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    {
      OrdOrderEvent *e = g_ptr_array_index (events, i);

      if (ord_order_event_get_id (e) == ord_order_event_get_id (event))
        {
          g_autofree char *words = ord_order_event_describe (e);

          g_test_message ("the timeline says: %s", words);
          g_assert_nonnull (strstr (words, ord_order_event_get_reason (event)));
          in_timeline = TRUE;
        }
    }
  g_assert_true (in_timeline);

  /* Dismissed, it leaves the filter. */
  ord_store_clear_attention (store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_count_attention (store, &error), ==, 0);

  device_close (&customer);
  device_close (&other);
  app_close (&app);
  server_clear (&s);
}

static void
test_offline (void)
{
  g_autofree char *db = temp_path ("server.db");
  g_autofree char *id = NULL;
  const char *tooltip;
  Server s = { 0, };
  App app = { 0, };
  GtkWidget *button;

  server_start (&s, db);
  app_open (&app, s.url);
  wait_until (&app, is_synced, NULL, 10000);

  /* The server stops; changes made now (a customer and an order) cannot
   * go up. */
  server_stop (&s);
  id = add_order (ord_context_get_store (app.context), "Bob", "walk-in");
  wait_until (&app, is_unreachable, NULL, 10000);
  g_test_message ("state %s: %s",
                  ord_sync_state_to_string (ord_sync_controller_get_state (app.controller)),
                  ord_sync_controller_get_last_error (app.controller));
  g_assert_cmpint (ord_sync_controller_get_state (app.controller), ==, ORD_SYNC_STATE_OFFLINE);
  g_assert_cmpstr (indicator_text (&app, "state_label"), ==, "Offline");
  g_assert_true (indicator_shows (&app, "error_label"));
  g_assert_cmpstr (indicator_text (&app, "error_label"), ==,
                   ord_sync_controller_get_last_error (app.controller));
  g_assert_cmpstr (indicator_text (&app, "pending_label"), ==, "2 changes");
  button = GTK_WIDGET (gtk_widget_get_template_child (app.indicator, ORD_TYPE_SYNC_INDICATOR,
                                                      "button"));
  tooltip = gtk_widget_get_tooltip_text (button);
  g_assert_cmpstr (tooltip, ==, "Offline (2 changes waiting)");
  screenshot (&app, "sync-popover-offline.png");

  /* "Sync Now" tries again at once, and says the same. */
  g_assert_true (gtk_widget_activate_action (app.indicator, "sync.now", NULL));
  wait_until (&app, is_unreachable, NULL, 10000);

  /* The server comes back at another port: the new address is used and
   * the waiting changes go up. */
  server_start (&s, db);
  g_settings_set_string (app.settings, "server-url", s.url);
  wait_until (&app, is_synced, NULL, 10000);
  g_assert_cmpstr (indicator_text (&app, "state_label"), ==, "Up to date");
  g_assert_false (indicator_shows (&app, "error_label"));

  app_close (&app);
  server_clear (&s);
}

/* An address Orderly must not use: nothing is sent, and the indicator
 * says why and leads to Preferences. */
static void
test_bad_address (void)
{
  App app = { 0, };
  GError *error = NULL;

  app_open (&app, "http://orders.example.com");
  g_assert_false (ord_sync_controller_get_configured (app.controller));
  g_assert_null (ord_sync_controller_get_client (app.controller));
  g_assert_cmpint (ord_sync_controller_get_state (app.controller), ==, ORD_SYNC_STATE_ERROR);
  g_assert_cmpstr (indicator_text (&app, "state_label"), ==, "Server address not valid");
  g_assert_true (indicator_shows (&app, "error_label"));
  g_assert_nonnull (strstr (indicator_text (&app, "error_label"), "https://"));
  g_assert_true (indicator_shows (&app, "preferences_button"));
  screenshot (&app, "sync-popover-bad-address.png");
  app_close (&app);

  g_assert_true (ord_sync_check_server_url ("", &error));
  g_assert_true (ord_sync_check_server_url ("https://orders.example.com", &error));
  g_assert_true (ord_sync_check_server_url ("http://127.0.0.1:8080", &error));
  g_assert_true (ord_sync_check_server_url ("http://[::1]:8080/", &error));
  g_assert_true (ord_sync_check_server_url ("http://localhost:8080", &error));
  g_assert_no_error (error);
  g_assert_false (ord_sync_check_server_url ("http://10.0.0.5:8080", &error));
  g_assert_error (error, ORD_SYNC_CONTROLLER_ERROR, ORD_SYNC_CONTROLLER_ERROR_INSECURE_URL);
  g_clear_error (&error);
  g_assert_false (ord_sync_check_server_url ("ftp://orders.example.com", &error));
  g_assert_error (error, ORD_SYNC_CONTROLLER_ERROR, ORD_SYNC_CONTROLLER_ERROR_INVALID_URL);
  g_clear_error (&error);
  g_assert_false (ord_sync_check_server_url ("https://me:secret@orders.example.com", &error));
  g_clear_error (&error);
}

static void
test_last_success_words (void)
{
  gint64 now = g_get_real_time ();
  struct { gint64 ago_s; const char *words; } cases[] = {
    { 5, "Just now" },
    { 59, "Just now" },
    { 60, "1 minute ago" },
    { 125, "2 minutes ago" },
    { 3 * 3600 + 10, "3 hours ago" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = ord_sync_format_last_success (now - cases[i].ago_s * G_USEC_PER_SEC,
                                                             now);
      g_assert_cmpstr (words, ==, cases[i].words);
    }
  {
    g_autofree char *never = ord_sync_format_last_success (0, now);
    g_autofree char *days = ord_sync_format_last_success (now - G_GINT64_CONSTANT (3) * 86400 * G_USEC_PER_SEC,
                                                          now);

    g_assert_cmpstr (never, ==, "Never");
    g_assert_nonnull (strstr (days, " at "));
  }
}

static void
test_no_display (void)
{
  g_test_skip ("no display: run the UI tests under xvfb-run");
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
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = NULL;
  int ret;

  /* The words the tests compare are the untranslated ones. */
  g_setenv ("LANGUAGE", "C", TRUE);
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/sync-app/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/sync-app/last-success-words", test_last_success_words);
  settings = ord_settings_new_if_installed ();
  if (settings == NULL || g_getenv ("ORDERLY_SERVER") == NULL)
    {
      g_test_message ("the schema or orderly-server is missing: run under meson test");
      return g_test_run ();
    }

  test_dir = g_dir_make_tmp ("orderly-sync-app-XXXXXX", &error);
  g_assert_no_error (error);

  g_test_add_func ("/sync-app/live", test_live);
  g_test_add_func ("/sync-app/rejected-needs-attention", test_rejected_needs_attention);
  g_test_add_func ("/sync-app/offline", test_offline);
  g_test_add_func ("/sync-app/bad-address", test_bad_address);

  ret = g_test_run ();
  remove_tree (test_dir);
  g_free (test_dir);

  return ret;
}
