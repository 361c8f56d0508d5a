/* test-demo.c: the demo shop is deterministic, believable and consistent
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <math.h>

#include "ord-core.h"
#include "ord-demo.h"

#define HOUR_US (G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC)
#define DAY_US  (24 * HOUR_US)

/* The shop's "now" in these tests: a Friday evening, local time. */
static gint64
test_end_time (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (2026, 3, 20, 18, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static OrdStore *
make_shop_in_batches (guint   n_orders,
                      guint64 seed,
                      guint   tax_rate,
                      guint   batch_size)
{
  OrdDemoOptions options = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (":memory:", &error);

  g_assert_no_error (error);
  options.n_orders = n_orders;
  options.seed = seed;
  options.end_time = test_end_time ();
  options.tax_rate = tax_rate;
  options.batch_size = batch_size;
  g_assert_true (ord_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  return g_steal_pointer (&store);
}

static OrdStore *
make_shop (guint   n_orders,
           guint64 seed,
           guint   tax_rate)
{
  return make_shop_in_batches (n_orders, seed, tax_rate, 0);
}

/* Every order, oldest first, as the list shows them. */
static GPtrArray *
all_orders (OrdStore *store)
{
  OrdOrderQuery query = { 0 };
  OrdOrderCursor cursor = { 0 };
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  query.sort = ORD_SORT_CREATED;
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) page = ord_store_query_orders (store, &query, &cursor, 500, &error);

      g_assert_no_error (error);
      if (page->len == 0)
        break;
      for (guint i = 0; i < page->len; i++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (page, i)));
    }
  ord_order_cursor_clear (&cursor);

  return all;
}

static void
checksum_printf (GChecksum  *sum,
                 const char *format,
                 ...) G_GNUC_PRINTF (2, 3);

static void
checksum_printf (GChecksum  *sum,
                 const char *format,
                 ...)
{
  g_autofree char *text = NULL;
  va_list args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  g_checksum_update (sum, (const guchar *) text, -1);
  g_checksum_update (sum, (const guchar *) "\n", 1);
}

/* A digest of what a user can see: orders with their lines and timelines,
 * customers, products. */
static char *
shop_digest (OrdStore *store)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  g_autoptr(GPtrArray) orders = all_orders (store);
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < orders->len; i++)
    {
      OrdOrder *o = g_ptr_array_index (orders, i);
      g_autoptr(OrdOrder) full = ord_store_get_order (store, ord_order_get_id (o), &error);
      g_autoptr(GPtrArray) events = ord_store_get_events (store, ord_order_get_id (o), &error);

      g_assert_no_error (error);
      checksum_printf (sum, "%s|%s|%s|%s|%d|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                       "|%" G_GINT64_FORMAT "|%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                       "|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT "|%u",
                       ord_order_get_id (o), ord_order_get_number (o),
                       ord_order_get_customer_id (o), ord_order_get_customer_name (o),
                       ord_order_get_status (o), ord_order_get_created_at (o),
                       ord_order_get_updated_at (o), ord_order_get_due_at (o),
                       ord_order_get_notes (o), ord_order_get_currency (o),
                       ord_order_get_subtotal (o), ord_order_get_discount (o),
                       ord_order_get_tax (o), ord_order_get_total (o),
                       ord_order_get_item_count (o));
      for (guint k = 0; k < ord_order_get_n_items (full); k++)
        {
          g_autoptr(OrdOrderItem) item = ord_order_get_item (full, k);

          checksum_printf (sum, " %s|%s|%s|%s|%" G_GINT64_FORMAT "|%" G_GINT64_FORMAT
                           "|%" G_GINT64_FORMAT,
                           ord_order_item_get_id (item), ord_order_item_get_product_id (item),
                           ord_order_item_get_sku (item), ord_order_item_get_name (item),
                           ord_order_item_get_unit_price (item),
                           ord_order_item_get_quantity (item),
                           ord_order_item_get_discount (item));
        }
      for (guint k = 0; k < events->len; k++)
        {
          OrdOrderEvent *e = g_ptr_array_index (events, k);

          checksum_printf (sum, " %" G_GINT64_FORMAT "|%s|%d|%d|%d|%s",
                           ord_order_event_get_at (e), ord_order_event_get_actor (e),
                           ord_order_event_get_kind (e), ord_order_event_get_from_status (e),
                           ord_order_event_get_to_status (e), ord_order_event_get_reason (e));
        }
    }

  customers = ord_store_find_customers (store, "", 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < customers->len; i++)
    {
      OrdCustomer *c = g_ptr_array_index (customers, i);

      checksum_printf (sum, "%s|%s|%s|%s|%s|%" G_GINT64_FORMAT, ord_customer_get_id (c),
                       ord_customer_get_name (c), ord_customer_get_email (c),
                       ord_customer_get_phone (c), ord_customer_get_notes (c),
                       ord_customer_get_updated_at (c));
    }

  products = ord_store_find_products (store, "", FALSE, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < products->len; i++)
    {
      OrdProduct *p = g_ptr_array_index (products, i);

      checksum_printf (sum, "%s|%s|%s|%" G_GINT64_FORMAT "|%s", ord_product_get_id (p),
                       ord_product_get_sku (p), ord_product_get_name (p),
                       ord_product_get_unit_price (p), ord_product_get_currency (p));
    }

  return g_strdup (g_checksum_get_string (sum));
}

static void
test_demo_deterministic (void)
{
  g_autoptr(OrdStore) a = make_shop (1500, 42, 0);
  /* Smaller batches, same shop. */
  g_autoptr(OrdStore) b = make_shop_in_batches (1500, 42, 0, 64);
  g_autoptr(OrdStore) c = make_shop (1500, 43, 0);
  g_autofree char *digest_a = shop_digest (a);
  g_autofree char *digest_b = shop_digest (b);
  g_autofree char *digest_c = shop_digest (c);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (ord_store_count_orders (a, NULL, &error), ==, 1500);
  g_assert_no_error (error);
  g_assert_cmpint (ord_store_count_orders (c, NULL, &error), ==, 1500);
  g_assert_cmpstr (digest_a, ==, digest_b);
  g_assert_cmpstr (digest_a, !=, digest_c);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  guint n;
  guint cancelled;
} Tally;

static double
rate (const Tally *t)
{
  return t->n ? (double) t->cancelled / t->n : 0.0;
}

static void
tally (Tally    *t,
       gboolean  cancelled)
{
  t->n++;
  if (cancelled)
    t->cancelled++;
}

static int
local_weekday (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);

  return g_date_time_get_day_of_week (dt);
}

static int
local_month (gint64 t)
{
  g_autoptr(GDateTime) dt = g_date_time_new_from_unix_local (t / G_USEC_PER_SEC);

  return g_date_time_get_month (dt);
}

static gboolean
same_local_day (gint64 a,
                gint64 b)
{
  g_autoptr(GDateTime) da = g_date_time_new_from_unix_local (a / G_USEC_PER_SEC);
  g_autoptr(GDateTime) db = g_date_time_new_from_unix_local (b / G_USEC_PER_SEC);

  return g_date_time_get_year (da) == g_date_time_get_year (db) &&
         g_date_time_get_day_of_year (da) == g_date_time_get_day_of_year (db);
}

/* The timeline tells how the order got where it is, in order, by allowed
 * steps, all before the shop's "now". */
static void
check_timeline (OrdStore *store,
                OrdOrder *order,
                gint64    end)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = ord_store_get_events (store, ord_order_get_id (order), &error);
  OrdOrderEvent *first, *last;
  gint64 at;

  g_assert_no_error (error);
  g_assert_cmpuint (events->len, >=, 1);
  first = g_ptr_array_index (events, 0);
  last = g_ptr_array_index (events, events->len - 1);
  g_assert_cmpint (ord_order_event_get_kind (first), ==, ORD_EVENT_CREATED);
  g_assert_cmpint (ord_order_event_get_to_status (first), ==, ORD_STATUS_PENDING);
  g_assert_cmpint (ord_order_event_get_at (first), ==, ord_order_get_created_at (order));
  g_assert_cmpint (ord_order_event_get_to_status (last), ==, ord_order_get_status (order));
  g_assert_cmpint (ord_order_event_get_at (last), ==, ord_order_get_updated_at (order));
  g_assert_cmpint (ord_order_event_get_at (last), <=, end);

  at = ord_order_event_get_at (first);
  for (guint i = 1; i < events->len; i++)
    {
      OrdOrderEvent *prev = g_ptr_array_index (events, i - 1);
      OrdOrderEvent *e = g_ptr_array_index (events, i);
      OrdTransition transition;

      g_assert_cmpint (ord_order_event_get_at (e), >, at);
      at = ord_order_event_get_at (e);
      g_assert_cmpint (ord_order_event_get_from_status (e), ==,
                       ord_order_event_get_to_status (prev));
      g_assert_true (ord_status_check_transition (ORD_ROLE_OWNER,
                                                  ord_order_event_get_from_status (e),
                                                  ord_order_event_get_to_status (e),
                                                  &transition, &error));
      g_assert_no_error (error);
      if (ord_order_event_get_to_status (e) == ORD_STATUS_CANCELLED)
        {
          g_assert_cmpint (transition, ==, ORD_TRANSITION_CANCEL);
          g_assert_cmpint (ord_order_event_get_kind (e), ==, ORD_EVENT_CANCELLED);
          g_assert_nonnull (ord_order_event_get_reason (e));
          g_assert_cmpstr (ord_order_event_get_reason (e), !=, "");
        }
      else
        {
          g_assert_cmpint (transition, ==, ORD_TRANSITION_FORWARD);
          /* One step at a time, as a shop works. */
          g_assert_cmpint (ord_order_event_get_to_status (e), ==,
                           ord_order_event_get_from_status (e) + 1);
        }
    }
}

/* The stored totals are the lines' sums, worked out here on their own. */
static void
check_totals (OrdOrder *full,
              guint     tax_rate)
{
  gint64 subtotal = 0, net, tax;

  for (guint k = 0; k < ord_order_get_n_items (full); k++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (full, k);

      g_assert_cmpint (ord_order_item_get_quantity (item), >, 0);
      g_assert_cmpint (ord_order_item_get_discount (item), >=, 0);
      g_assert_cmpint (ord_order_item_get_discount (item), <=,
                       ord_order_item_get_unit_price (item) * ord_order_item_get_quantity (item));
      subtotal += ord_order_item_get_unit_price (item) * ord_order_item_get_quantity (item)
                  - ord_order_item_get_discount (item);
    }
  net = subtotal - ord_order_get_discount (full);
  g_assert_cmpint (net, >=, 0);
  tax = (net * tax_rate + 5000) / 10000;  /* halves up: net is not negative */

  g_assert_cmpint (ord_order_get_subtotal (full), ==, subtotal);
  g_assert_cmpint (ord_order_get_tax (full), ==, tax);
  g_assert_cmpint (ord_order_get_total (full), ==, net + tax);
}

static void
test_demo_shape (void)
{
  const guint n_orders = 12000;
  const guint tax_rate = 700;
  g_autoptr(OrdStore) store = make_shop (n_orders, 7, tax_rate);
  g_autoptr(GPtrArray) orders = all_orders (store);
  g_autoptr(GHashTable) history = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(GDateTime) end_dt = NULL;
  g_autoptr(GDateTime) start_dt = NULL;
  g_autoptr(GError) error = NULL;
  gint64 end = test_end_time ();
  gint64 start;
  guint weekday[8] = { 0 };
  guint month_orders[13] = { 0 };
  guint month_days[13] = { 0 };
  guint n_days = 0;
  guint n_cancelled = 0;
  guint n_with_a = 0, n_with_b = 0, n_with_both = 0;
  Tally same_day = { 0 }, far_ahead = { 0 };
  Tally after_cancel = { 0 }, after_clean = { 0 };
  double december, overall, lift;

  end_dt = g_date_time_new_from_unix_local (end / G_USEC_PER_SEC);
  start_dt = g_date_time_add_years (end_dt, -2);
  start = g_date_time_to_unix (start_dt) * G_USEC_PER_SEC - DAY_US;
  for (g_autoptr(GDateTime) d = g_date_time_ref (start_dt); g_date_time_compare (d, end_dt) <= 0;)
    {
      GDateTime *next = g_date_time_add_days (d, 1);

      month_days[g_date_time_get_month (d)]++;
      n_days++;
      g_date_time_unref (d);
      d = next;
    }

  g_assert_cmpuint (orders->len, ==, n_orders);

  for (guint i = 0; i < orders->len; i++)
    {
      OrdOrder *o = g_ptr_array_index (orders, i);
      OrdStatus status = ord_order_get_status (o);
      gint64 created = ord_order_get_created_at (o);
      gint64 due = ord_order_get_due_at (o);
      gboolean cancelled = status == ORD_STATUS_CANCELLED;
      Tally *past = g_hash_table_lookup (history, ord_order_get_customer_id (o));

      /* Two years up to the shop's "now", nothing after it. */
      g_assert_cmpint (created, >=, start);
      g_assert_cmpint (created, <, end);
      g_assert_cmpint (ord_order_get_updated_at (o), <=, end);
      g_assert_cmpint (due, >, created);

      /* The status fits the order's age. */
      switch (status)
        {
        case ORD_STATUS_PENDING:
          /* Confirmed within hours, or days before it is due when it
           * waits for a deposit. */
          g_assert_cmpint (created, >, end - 31 * DAY_US);
          g_assert_cmpint (due, >, end);
          if (due < end + 12 * HOUR_US)
            g_assert_cmpint (created, >, end - 4 * DAY_US);
          break;
        case ORD_STATUS_CONFIRMED:
          g_assert_cmpint (due, >, end);
          break;
        case ORD_STATUS_PREPARING:
          g_assert_cmpint (due, >, end - HOUR_US);
          break;
        case ORD_STATUS_SHIPPED:
          g_assert_cmpint (due, >, end - 6 * HOUR_US);
          break;
        case ORD_STATUS_DELIVERED:
          g_assert_cmpint (due, <=, end);
          break;
        case ORD_STATUS_CANCELLED:
        default:
          break;
        }
      if (due < end - DAY_US)
        g_assert_true (status == ORD_STATUS_DELIVERED || cancelled);

      if (cancelled)
        n_cancelled++;
      weekday[local_weekday (created)]++;
      month_orders[local_month (created)]++;

      if (same_local_day (created, due))
        tally (&same_day, cancelled);
      else if (due - created >= 7 * DAY_US)
        tally (&far_ahead, cancelled);

      /* Customers who cancelled before, against those who never did. */
      if (past == NULL)
        {
          past = g_new0 (Tally, 1);
          g_hash_table_insert (history, (gpointer) ord_order_get_customer_id (o), past);
        }
      else if (past->cancelled > 0)
        tally (&after_cancel, cancelled);
      else
        tally (&after_clean, cancelled);
      tally (past, cancelled);

      /* Lines, totals and the timeline of every fifth order. */
      if (i % 5 == 0)
        {
          g_autoptr(OrdOrder) full = ord_store_get_order (store, ord_order_get_id (o), &error);
          gboolean has_a = FALSE, has_b = FALSE;

          g_assert_no_error (error);
          g_assert_cmpuint (ord_order_get_n_items (full), >=, 1);
          g_assert_cmpuint (ord_order_get_n_items (full), <=, 6);
          g_assert_cmpuint (ord_order_get_item_count (o), ==, ord_order_get_n_items (full));
          check_totals (full, tax_rate);
          check_timeline (store, o, end);

          for (guint k = 0; k < ord_order_get_n_items (full); k++)
            {
              g_autoptr(OrdOrderItem) item = ord_order_get_item (full, k);

              has_a |= g_strcmp0 (ord_order_item_get_sku (item), "PAS-001") == 0;
              has_b |= g_strcmp0 (ord_order_item_get_sku (item), "PAS-002") == 0;
            }
          n_with_a += has_a;
          n_with_b += has_b;
          n_with_both += has_a && has_b;
        }
    }

  g_test_message ("cancelled %.1f %%; same day %.1f %% of %u, a week or more ahead %.1f %% of %u;"
                  " after a cancellation %.1f %% of %u, without %.1f %% of %u",
                  100.0 * n_cancelled / n_orders, 100 * rate (&same_day), same_day.n,
                  100 * rate (&far_ahead), far_ahead.n, 100 * rate (&after_cancel),
                  after_cancel.n, 100 * rate (&after_clean), after_clean.n);
  {
    gint64 counts[ORD_N_STATUSES];

    g_assert_true (ord_store_count_by_status (store, counts, &error));
    g_test_message ("pending %" G_GINT64_FORMAT ", confirmed %" G_GINT64_FORMAT
                    ", preparing %" G_GINT64_FORMAT ", shipped %" G_GINT64_FORMAT
                    ", delivered %" G_GINT64_FORMAT ", cancelled %" G_GINT64_FORMAT,
                    counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]);
    g_assert_cmpint (counts[ORD_STATUS_CANCELLED], ==, n_cancelled);
  }
  g_test_message ("Mon..Sun: %u %u %u %u %u %u %u", weekday[1], weekday[2], weekday[3],
                  weekday[4], weekday[5], weekday[6], weekday[7]);

  /* 5–10 % cancelled. */
  g_assert_cmpfloat ((double) n_cancelled / n_orders, >=, 0.05);
  g_assert_cmpfloat ((double) n_cancelled / n_orders, <=, 0.10);

  /* Saturday is the busiest day, Sunday (mornings only) the quietest. */
  for (int d = 1; d <= 5; d++)
    {
      g_assert_cmpuint (weekday[6], >, weekday[d]);
      g_assert_cmpuint (weekday[7], <, weekday[d]);
    }

  /* December sells more per day than the year on average. */
  december = (double) month_orders[12] / month_days[12];
  overall = (double) n_orders / n_days;
  g_test_message ("December %.1f orders a day, the whole time %.1f", december, overall);
  g_assert_cmpfloat (december, >, 1.15 * overall);

  /* Signal for the risk model: orders placed far ahead and by customers
   * who cancelled before are cancelled more often. */
  g_assert_cmpuint (same_day.n, >, 1000);
  g_assert_cmpuint (far_ahead.n, >, 300);
  g_assert_cmpfloat (rate (&far_ahead), >, 2 * rate (&same_day));
  g_assert_cmpuint (after_cancel.n, >, 200);
  g_assert_cmpfloat (rate (&after_cancel), >, 1.5 * rate (&after_clean));

  /* Signal for recommendations: croissants and pains au chocolat go
   * together far more often than chance. */
  lift = (double) n_with_both * (n_orders / 5) / ((double) n_with_a * n_with_b);
  g_test_message ("croissant %u, pain au chocolat %u, both %u: lift %.2f",
                  n_with_a, n_with_b, n_with_both, lift);
  g_assert_cmpfloat (lift, >, 2.0);
}

/* ------------------------------------------------------------------ */

typedef struct
{
  OrdStore     *store;
  GCancellable *cancellable;
  guint         calls;
  double        last;
} ProgressData;

static void
cancel_on_orders (double   fraction,
                  gpointer user_data)
{
  ProgressData *data = user_data;

  g_assert_cmpfloat (fraction, >=, data->last);
  g_assert_cmpfloat (fraction, <=, 1.0);
  data->last = fraction;
  data->calls++;
  /* Between batches the store keeps the real time, for whoever else
   * writes meanwhile (the window, while the demo is made in a thread). */
  g_assert_cmpint (ord_store_get_now (data->store), >=, g_get_real_time () - 60 * G_USEC_PER_SEC);
  /* Past customers and products: the first batch of orders is in. */
  if (fraction > 0.05)
    g_cancellable_cancel (data->cancellable);
}

static void
test_demo_cancel (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (":memory:", &error);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  OrdDemoOptions options = { 0 };
  ProgressData data = { store, cancellable, 0, 0.0 };
  gint64 n;

  g_assert_no_error (error);
  options.n_orders = 5000;
  options.batch_size = 400;
  options.end_time = test_end_time ();
  g_assert_false (ord_demo_generate (store, &options, cancel_on_orders, &data, cancellable,
                                     &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* Whole batches only, and not all of them. */
  n = ord_store_count_orders (store, NULL, NULL);
  g_assert_cmpint (n, >, 0);
  g_assert_cmpint (n, <, 5000);
  g_assert_cmpint (n % 400, ==, 0);
  g_assert_cmpuint (data.calls, >, 1);
}

static void
test_demo_options (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (":memory:", &error);
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(GPtrArray) customers = NULL;
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GHashTable) skus = g_hash_table_new (g_str_hash, g_str_equal);
  OrdDemoOptions options = { 0 };

  g_assert_no_error (error);
  options.n_orders = 300;
  options.n_products = 200;
  options.n_customers = 40;
  options.currency = "GBP";
  options.end_time = test_end_time ();
  g_assert_true (ord_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  products = ord_store_find_products (store, "", FALSE, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 200);
  for (guint i = 0; i < products->len; i++)
    {
      OrdProduct *p = g_ptr_array_index (products, i);

      g_assert_cmpstr (ord_product_get_currency (p), ==, "GBP");
      g_assert_cmpint (ord_product_get_unit_price (p), >, 0);
      g_assert_true (g_hash_table_add (skus, (gpointer) ord_product_get_sku (p)));
    }

  customers = ord_store_find_customers (store, "", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (customers->len, ==, 40);

  orders = all_orders (store);
  g_assert_cmpuint (orders->len, ==, 300);
  for (guint i = 0; i < orders->len; i++)
    g_assert_cmpstr (ord_order_get_currency (g_ptr_array_index (orders, i)), ==, "GBP");

  /* Mistakes a person can correct. */
  options.currency = "EURO";
  g_assert_false (ord_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, ORD_MONEY_ERROR, ORD_MONEY_ERROR_INVALID_CURRENCY);
  g_clear_error (&error);

  options.currency = NULL;
  ord_store_set_actor (store, ORD_ROLE_CUSTOMER, "someone");
  g_assert_false (ord_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID);
  g_assert_cmpint (ord_store_count_orders (store, NULL, NULL), ==, 300);
}

/* With no end time the shop's history ends now: nothing in the future. */
static void
test_demo_default_end (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (":memory:", &error);
  g_autoptr(GPtrArray) orders = NULL;
  OrdDemoOptions options = { 0 };
  gint64 end;

  g_assert_no_error (error);
  end = g_get_real_time ();
  options.n_orders = 200;
  g_assert_true (ord_demo_generate (store, &options, NULL, NULL, NULL, &error));
  g_assert_no_error (error);

  orders = all_orders (store);
  g_assert_cmpuint (orders->len, ==, 200);
  g_assert_cmpint (ord_order_get_created_at (g_ptr_array_index (orders, orders->len - 1)),
                   <=, g_get_real_time ());
  g_assert_cmpint (ord_order_get_created_at (g_ptr_array_index (orders, 0)),
                   >, end - (2 * 366 + 1) * DAY_US);
  /* Demo data is local: nothing waits to be synced, and later writes are. */
  g_assert_cmpint (ord_store_count_outbox (store), ==, 0);
  g_assert_true (ord_store_get_outbox_enabled (store));
  /* And the clock is the real one again. */
  g_assert_cmpint (ord_store_get_now (store), >=, g_get_real_time () - 60 * G_USEC_PER_SEC);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo/deterministic", test_demo_deterministic);
  g_test_add_func ("/demo/shape", test_demo_shape);
  g_test_add_func ("/demo/cancel", test_demo_cancel);
  g_test_add_func ("/demo/options", test_demo_options);
  g_test_add_func ("/demo/default-end", test_demo_default_end);

  return g_test_run ();
}
