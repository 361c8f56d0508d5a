/* ui-test-util.c: databases with known orders for the UI tests
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ui-test-util.h"

static const char *const first_names[] = {
  "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "Ken",
  "Margaret", "Niklaus",
};
static const char *const last_names[] = {
  "Abbott", "Baker", "Carter", "Dawson", "Ellis", "Fischer", "Garcia",
};
static const char *const products[] = {
  "Sourdough loaf", "Butter", "Oat milk", "Espresso beans", "Olive oil", "Honey",
};

void
ui_test_db_init (UiTestDb *db)
{
  g_autoptr(GError) error = NULL;

  memset (db, 0, sizeof *db);
  db->dir = g_dir_make_tmp ("orderly-ui-XXXXXX", &error);
  g_assert_no_error (error);
  db->path = g_build_filename (db->dir, "orders.db", NULL);
  db->store = ord_store_new (db->path, &error);
  g_assert_no_error (error);
}

typedef struct
{
  UiTestDb *db;
  guint     n_orders;
} FillData;

static OrdCustomer *
save_customer (OrdStore   *store,
               const char *name)
{
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(GError) error = NULL;

  ord_customer_set_name (customer, name);
  ord_store_save_customer (store, customer, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&customer);
}

static gboolean
fill_txn (OrdStore  *store,
          gpointer   user_data,
          GError   **error)
{
  FillData *data = user_data;
  UiTestDb *db = data->db;
  g_autoptr(GPtrArray) customers = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(OrdCustomer) rare = save_customer (store, UI_TEST_RARE_CUSTOMER);
  g_autoptr(GRand) rand = g_rand_new_with_seed (4242 + db->n_orders);
  /* Minutes since 2024-01-01 00:00 UTC: equal times happen, and must not
   * make the virtual list repeat or skip an order. */
  const gint64 base = G_GINT64_CONSTANT (1704067200) * G_USEC_PER_SEC;

  for (guint f = 0; f < G_N_ELEMENTS (first_names); f++)
    for (guint l = 0; l < G_N_ELEMENTS (last_names); l++)
      {
        g_autofree char *name = g_strdup_printf ("%s %s", first_names[f], last_names[l]);

        g_ptr_array_add (customers, save_customer (store, name));
      }

  for (guint i = 0; i < data->n_orders; i++)
    {
      g_autoptr(OrdOrder) order = ord_order_new ();
      gboolean is_rare = (db->n_orders + i) % UI_TEST_RARE_EVERY == 0;
      OrdCustomer *customer;
      OrdStatus status;
      guint n_lines;
      gint64 created;

      customer = is_rare ? rare
                         : g_ptr_array_index (customers,
                                              g_rand_int_range (rand, 0, customers->len));
      status = g_rand_int_range (rand, 0, ORD_N_STATUSES);
      created = base + (gint64) g_rand_int_range (rand, 0, 60 * 24 * 365) * 60 * G_USEC_PER_SEC;

      ord_order_set_customer_id (order, ord_customer_get_id (customer));
      ord_order_set_currency (order, "EUR");
      ord_order_set_status (order, status);
      ord_order_set_created_at (order, created);
      ord_order_set_updated_at (order, created + (gint64) 3600 * G_USEC_PER_SEC);
      n_lines = g_rand_int_range (rand, 1, 4);
      for (guint k = 0; k < n_lines; k++)
        {
          g_autoptr(OrdOrderItem) item = ord_order_item_new ();

          ord_order_item_set_name (item,
                                   products[g_rand_int_range (rand, 0, G_N_ELEMENTS (products))]);
          ord_order_item_set_unit_price (item, g_rand_int_range (rand, 50, 10000));
          ord_order_item_set_quantity (item, g_rand_int_range (rand, 1, 6));
          ord_order_add_item (order, item);
        }

      if (!ord_store_create_order (store, order, error))
        return FALSE;

      db->per_status[status]++;
      if (is_rare)
        db->n_rare++;
    }

  return TRUE;
}

void
ui_test_db_fill (UiTestDb *db,
                 guint     n_orders)
{
  g_autoptr(GError) error = NULL;
  FillData data = { db, n_orders };

  ord_store_transaction (db->store, fill_txn, &data, &error);
  g_assert_no_error (error);
  db->n_orders += n_orders;
}

void
ui_test_db_clear (UiTestDb *db)
{
  g_autofree char *wal = g_strconcat (db->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db->path, "-shm", NULL);

  if (db->store != NULL)
    g_assert_finalize_object (db->store);
  g_unlink (db->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (db->dir);
  g_free (db->path);
  g_free (db->dir);
  memset (db, 0, sizeof *db);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *timed_out = data;

  *timed_out = TRUE;

  return G_SOURCE_REMOVE;
}

void
ui_test_wait_for (const gboolean *flag,
                  guint           timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*flag && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  g_assert_true (*flag);
}

static void
on_after_paint (GdkFrameClock *clock,
                gboolean      *painted)
{
  *painted = TRUE;
}

void
ui_test_wait_frame (GtkWidget *widget)
{
  GdkFrameClock *clock;
  gboolean painted = FALSE;
  gulong handler;

  /* Realized once its window is presented. */
  for (guint i = 0; i < 100 && gtk_widget_get_frame_clock (widget) == NULL; i++)
    g_main_context_iteration (NULL, FALSE);
  clock = gtk_widget_get_frame_clock (widget);
  g_assert_nonnull (clock);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  gtk_widget_queue_draw (widget);
  ui_test_wait_for (&painted, 5000);
  g_signal_handler_disconnect (clock, handler);
}
