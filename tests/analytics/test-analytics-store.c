/* test-analytics-store.c: series, closed days, RFM, risk features, baskets and the
 * stored risk model, read from a small shop whose numbers are worked out by hand
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "ord-analytics-store.h"
#include "ord-core.h"

/* ------------------------------------------------------------------ */
/* The shop                                                           */

/* Seven orders over two weeks, from Monday 2024-01-01 to Sunday 2024-01-14,
 * all times UTC (the tests read the store in UTC):
 *
 *   o1 Ann  Mon 01-01 10:00  delivered  P1 2 × 5.00                    = 10.00
 *   o2 Ann  Wed 01-03 15:00  cancelled (at Tue 01-09 12:00)  P3 1 × 20.00 = 20.00
 *   o3 Bob  Wed 01-03 09:00  delivered  P2 1 × 7.50, due 01-10 09:00   =  7.50
 *   o4 Ann  Mon 01-08 20:00  pending    P1 2 × 5.00 + P3 1 × 20.00     = 30.00, edited once
 *   o5 Walk Tue 01-09 11:00  delivered  "Coffee" (no product) 1 × 4.00 =  4.00
 *   o7 Ann  Wed 01-10 08:00  delivered  P1 5 × 5.00                    = 25.00
 *   o6 Bob  Sun 01-14 12:00  delivered  P2 1 × 7.00 + P1 1 × 2.50 + P1 1 × 2.50 = 12.00
 *
 * Walk is the walk-in customer an import makes (external ref "…:walk-in").
 */
typedef struct
{
  OrdStore   *store;
  GTimeZone  *utc;
  char       *ann;
  char       *bob;
  char       *walk_in;
  char       *p1;
  char       *p2;
  char       *p3;
  char       *o4;
  char       *o4_number;
} Shop;

static gint64
at (int month,
    int day,
    int hour,
    int minute)
{
  g_autoptr(GDateTime) dt = g_date_time_new_utc (2024, month, day, hour, minute, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static guint32
julian (int year,
        int month,
        int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return g_date_get_julian (&date);
}

static char *
add_customer (OrdStore   *store,
              const char *name,
              const char *external_ref)
{
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(GError) error = NULL;

  ord_customer_set_name (customer, name);
  ord_customer_set_external_ref (customer, external_ref);
  ord_store_save_customer (store, customer, &error);
  g_assert_no_error (error);
  return g_strdup (ord_customer_get_id (customer));
}

static char *
add_product (OrdStore   *store,
             const char *sku,
             const char *name,
             gint64      price)
{
  g_autoptr(OrdProduct) product = ord_product_new ();
  g_autoptr(GError) error = NULL;

  ord_product_set_sku (product, sku);
  ord_product_set_name (product, name);
  ord_product_set_unit_price (product, price);
  ord_product_set_currency (product, "EUR");
  ord_store_save_product (store, product, &error);
  g_assert_no_error (error);
  return g_strdup (ord_product_get_id (product));
}

/* Lines: (product id or NULL, sku or NULL, name, price, quantity)…, NULL name */
static OrdOrder *
add_order (Shop       *shop,
           const char *customer,
           const char *customer_name,
           gint64      created,
           gint64      updated,
           gint64      due,
           OrdStatus   status,
           ...)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  ord_order_set_customer_id (order, customer);
  ord_order_set_customer_name (order, customer_name);
  ord_order_set_currency (order, "EUR");
  ord_order_set_created_at (order, created);
  ord_order_set_updated_at (order, updated);
  ord_order_set_due_at (order, due);
  ord_order_set_status (order, status);

  va_start (ap, status);
  for (;;)
    {
      const char *product = va_arg (ap, const char *);
      const char *sku = va_arg (ap, const char *);
      const char *name = va_arg (ap, const char *);
      gint64 price, quantity;
      g_autoptr(OrdOrderItem) item = NULL;

      if (name == NULL)
        break;
      price = va_arg (ap, gint64);
      quantity = va_arg (ap, gint64);
      item = ord_order_item_new ();
      ord_order_item_set_product_id (item, product);
      ord_order_item_set_sku (item, sku);
      ord_order_item_set_name (item, name);
      ord_order_item_set_unit_price (item, price);
      ord_order_item_set_quantity (item, quantity);
      ord_order_add_item (order, item);
    }
  va_end (ap);

  ord_store_create_order_with_events (shop->store, order, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&order);
}

#define END NULL, NULL, NULL

static void
shop_setup (Shop          *shop,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) o1 = NULL, o2 = NULL, o3 = NULL, o4 = NULL, o5 = NULL, o6 = NULL;
  g_autoptr(OrdOrder) o7 = NULL, edited = NULL;

  shop->store = ord_store_new (":memory:", &error);
  g_assert_no_error (error);
  shop->utc = g_time_zone_new_utc ();

  shop->ann = add_customer (shop->store, "Ann Arbor", NULL);
  shop->bob = add_customer (shop->store, "Bob Baker", NULL);
  shop->walk_in = add_customer (shop->store, "Walk-in", "online-retail:walk-in");
  shop->p1 = add_product (shop->store, "P1", "Bread", 500);
  shop->p2 = add_product (shop->store, "P2", "Cake", 750);
  shop->p3 = add_product (shop->store, "P3", "Hamper", 2000);

  o1 = add_order (shop, shop->ann, "Ann Arbor", at (1, 1, 10, 0), at (1, 2, 10, 0), 0,
                  ORD_STATUS_DELIVERED, shop->p1, "P1", "Bread", (gint64) 500, (gint64) 2, END);
  o2 = add_order (shop, shop->ann, "Ann Arbor", at (1, 3, 15, 0), at (1, 9, 12, 0), 0,
                  ORD_STATUS_CANCELLED, shop->p3, "P3", "Hamper", (gint64) 2000, (gint64) 1,
                  END);
  o3 = add_order (shop, shop->bob, "Bob Baker", at (1, 3, 9, 0), at (1, 10, 9, 0),
                  at (1, 10, 9, 0), ORD_STATUS_DELIVERED,
                  shop->p2, "P2", "Cake", (gint64) 750, (gint64) 1, END);

  ord_store_set_now (shop->store, at (1, 8, 20, 0));
  o4 = add_order (shop, shop->ann, "Ann Arbor", at (1, 8, 20, 0), at (1, 8, 20, 0), 0,
                  ORD_STATUS_PENDING,
                  shop->p1, "P1", "Bread", (gint64) 500, (gint64) 2,
                  shop->p3, "P3", "Hamper", (gint64) 2000, (gint64) 1, END);
  ord_store_set_now (shop->store, at (1, 8, 21, 0));
  edited = ord_order_copy (o4);
  ord_order_set_notes (edited, "Ring twice");
  ord_store_edit_order (shop->store, edited, &error);
  g_assert_no_error (error);
  ord_store_set_now (shop->store, 0);
  shop->o4 = g_strdup (ord_order_get_id (o4));
  shop->o4_number = g_strdup (ord_order_get_number (o4));

  o5 = add_order (shop, shop->walk_in, "Walk-in", at (1, 9, 11, 0), at (1, 9, 11, 0), 0,
                  ORD_STATUS_DELIVERED, NULL, NULL, "Coffee", (gint64) 400, (gint64) 1, END);
  o7 = add_order (shop, shop->ann, "Ann Arbor", at (1, 10, 8, 0), at (1, 11, 8, 0), 0,
                  ORD_STATUS_DELIVERED, shop->p1, "P1", "Bread", (gint64) 500, (gint64) 5, END);
  o6 = add_order (shop, shop->bob, "Bob Baker", at (1, 14, 12, 0), at (1, 14, 18, 0), 0,
                  ORD_STATUS_DELIVERED,
                  shop->p2, "P2", "Cake", (gint64) 700, (gint64) 1,
                  shop->p1, "P1", "Bread", (gint64) 250, (gint64) 1,
                  shop->p1, "P1", "Bread", (gint64) 250, (gint64) 1, END);

  g_assert_cmpint (ord_order_get_total (o4), ==, 3000);
  g_assert_cmpint (ord_order_get_total (o6), ==, 1200);
}

static void
shop_teardown (Shop          *shop,
               gconstpointer  data)
{
  g_clear_object (&shop->store);
  g_clear_pointer (&shop->utc, g_time_zone_unref);
  g_free (shop->ann);
  g_free (shop->bob);
  g_free (shop->walk_in);
  g_free (shop->p1);
  g_free (shop->p2);
  g_free (shop->p3);
  g_free (shop->o4);
  g_free (shop->o4_number);
}

/* ------------------------------------------------------------------ */
/* Closed days (pure)                                                 */

static void
test_closed_weekday (void)
{
  /* Four weeks from Monday 2024-01-01: five orders Monday to Saturday,
   * none on Sundays: 5 a day × 4 Sundays = 20 expected ≥ 8, so closed. */
  double counts[28];
  gboolean closed[28];
  guint weekdays = 0;

  for (guint i = 0; i < 28; i++)
    counts[i] = i % 7 == 6 ? 0 : 5;
  ord_detect_closed_days (counts, 28, julian (2024, 1, 1), closed, &weekdays);
  g_assert_cmpuint (weekdays, ==, 1u << G_DATE_SUNDAY);
  for (guint i = 0; i < 28; i++)
    g_assert_cmpint (closed[i], ==, i % 7 == 6);

  /* One order a day: 4 Sundays make 4 expected, too few to tell */
  for (guint i = 0; i < 28; i++)
    counts[i] = i % 7 == 6 ? 0 : 1;
  ord_detect_closed_days (counts, 28, julian (2024, 1, 1), closed, &weekdays);
  g_assert_cmpuint (weekdays, ==, 0);
  for (guint i = 0; i < 28; i++)
    g_assert_false (closed[i]);

  /* Only two Sundays: never called closed, however busy the shop */
  for (guint i = 0; i < 14; i++)
    counts[i] = i % 7 == 6 ? 0 : 50;
  ord_detect_closed_days (counts, 14, julian (2024, 1, 1), closed, &weekdays);
  g_assert_cmpuint (weekdays, ==, 0);
}

static void
test_closed_gaps (void)
{
  double counts[42];
  gboolean closed[42];
  guint weekdays = 0;

  /* Ten a day, one empty Wednesday (day 16): 10 expected, closed (a holiday) */
  for (guint i = 0; i < 42; i++)
    counts[i] = 10;
  counts[16] = 0;
  ord_detect_closed_days (counts, 42, julian (2024, 1, 1), closed, &weekdays);
  g_assert_cmpuint (weekdays, ==, 0);
  for (guint i = 0; i < 42; i++)
    g_assert_cmpint (closed[i], ==, i == 16);

  /* Two a day: three empty days make 6 expected (quiet, not closed), five
   * empty days make 10 (closed) */
  for (guint i = 0; i < 42; i++)
    counts[i] = 2;
  counts[10] = counts[11] = counts[12] = 0;
  for (guint i = 25; i < 30; i++)
    counts[i] = 0;
  ord_detect_closed_days (counts, 42, julian (2024, 1, 1), closed, &weekdays);
  for (guint i = 0; i < 42; i++)
    g_assert_cmpint (closed[i], ==, i >= 25 && i < 30);

  /* A gap across closed Sundays counts the open days only: Sundays closed,
   * six a day otherwise, Saturday-Sunday-Monday empty at days 12–14: two
   * open days, 12 expected, closed; a lone empty Tuesday (day 29): 6, not */
  for (guint i = 0; i < 42; i++)
    counts[i] = i % 7 == 6 ? 0 : 6;
  counts[12] = counts[14] = 0;
  counts[29] = 0;
  ord_detect_closed_days (counts, 42, julian (2024, 1, 1), closed, &weekdays);
  g_assert_cmpuint (weekdays, ==, 1u << G_DATE_SUNDAY);
  g_assert_true (closed[12] && closed[13] && closed[14]);
  g_assert_false (closed[11] || closed[15]);
  g_assert_false (closed[29]);
}

static void
test_open_days (void)
{
  double y[21], open[21];
  gsize index[21];
  gboolean closed[21];
  guint period = 0;
  gsize n;

  for (guint i = 0; i < 21; i++)
    {
      y[i] = i;
      closed[i] = i % 7 == 5;  /* Saturdays of a series starting on a Monday */
    }
  closed[9] = TRUE;            /* and a holiday */
  n = ord_open_days (y, 21, 7, closed, open, index, &period);
  g_assert_cmpuint (n, ==, 17);
  g_assert_cmpuint (period, ==, 6);  /* weeks of 6, 5 and 6 open days: 6 is the mode */
  g_assert_cmpfloat (open[4], ==, 4);
  g_assert_cmpfloat (open[5], ==, 6);
  g_assert_cmpuint (index[5], ==, 6);
  g_assert_cmpuint (index[8], ==, 10);

  n = ord_open_days (y, 21, 7, NULL, open, NULL, &period);
  g_assert_cmpuint (n, ==, 21);
  g_assert_cmpuint (period, ==, 7);
}

/* ------------------------------------------------------------------ */
/* Series from the store                                              */

static void
test_daily_series (Shop          *shop,
                   gconstpointer  data)
{
  g_autoptr(OrdSeries) orders = NULL;
  g_autoptr(OrdSeries) revenue = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *ahead = NULL;
  /* Not cancelled, per day from Monday 01-01 */
  const double expected_orders[14] = { 1, 0, 1, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0, 1 };
  const double expected_revenue[14] = { 1000, 0, 750, 0, 0, 0, 0, 3000, 400, 2500, 0, 0, 0,
                                        1200 };

  orders = ord_series_from_store (shop->store, ORD_MEASURE_ORDERS, ORD_INTERVAL_DAY, shop->utc,
                                  &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orders->n, ==, 14);
  g_assert_cmpuint (orders->first, ==, julian (2024, 1, 1));
  g_assert_cmpuint (orders->last_day, ==, julian (2024, 1, 14));
  g_assert_cmpuint (orders->period, ==, 7);
  g_assert_cmpuint (orders->n_orders, ==, 6);
  for (guint i = 0; i < 14; i++)
    g_assert_cmpfloat (orders->values[i], ==, expected_orders[i]);
  /* Seven orders in fourteen days: too few to call any day closed */
  g_assert_nonnull (orders->closed);
  g_assert_cmpuint (orders->n_closed, ==, 0);
  g_assert_cmpuint (orders->closed_weekdays, ==, 0);
  g_assert_cmpuint (ord_series_step_start (orders, 20), ==, julian (2024, 1, 21));

  ahead = ord_series_closed_ahead (orders, 3);
  for (guint i = 0; i < 17; i++)
    g_assert_false (ahead[i]);

  revenue = ord_series_from_store (shop->store, ORD_MEASURE_REVENUE, ORD_INTERVAL_DAY,
                                   shop->utc, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (revenue->currency, ==, "EUR");
  for (guint i = 0; i < 14; i++)
    g_assert_cmpfloat (revenue->values[i], ==, expected_revenue[i]);

  /* In UTC−11 o1 (10:00 UTC on 01-01) falls on Sunday 2023-12-31, and o6
   * (12:00 UTC on 01-14) on 01-14 still. */
  {
    g_autoptr(GTimeZone) west = g_time_zone_new_offset (-11 * 3600);
    g_autoptr(OrdSeries) shifted = ord_series_from_store (shop->store, ORD_MEASURE_ORDERS,
                                                          ORD_INTERVAL_DAY, west, &error);

    g_assert_no_error (error);
    g_assert_cmpuint (shifted->first, ==, julian (2023, 12, 31));
    g_assert_cmpuint (shifted->n, ==, 15);
    g_assert_cmpfloat (shifted->values[0], ==, 1);
  }
}

static void
test_weekly_monthly_series (Shop          *shop,
                            gconstpointer  data)
{
  g_autoptr(OrdSeries) weeks = NULL;
  g_autoptr(OrdSeries) revenue = NULL;
  g_autoptr(OrdSeries) months = NULL;
  g_autoptr(GError) error = NULL;

  /* Both weeks are whole: the data starts on a Monday and ends on a Sunday */
  weeks = ord_series_from_store (shop->store, ORD_MEASURE_ORDERS, ORD_INTERVAL_WEEK, shop->utc,
                                 &error);
  g_assert_no_error (error);
  g_assert_cmpuint (weeks->n, ==, 2);
  g_assert_cmpfloat (weeks->values[0], ==, 2);
  g_assert_cmpfloat (weeks->values[1], ==, 4);
  g_assert_null (weeks->closed);
  g_assert_cmpuint (weeks->period, ==, 52);
  g_assert_cmpuint (ord_series_step_start (weeks, 2), ==, julian (2024, 1, 15));

  revenue = ord_series_from_store (shop->store, ORD_MEASURE_REVENUE, ORD_INTERVAL_WEEK,
                                   shop->utc, &error);
  g_assert_no_error (error);
  g_assert_cmpfloat (revenue->values[0], ==, 1750);
  g_assert_cmpfloat (revenue->values[1], ==, 7100);

  /* January is not over in the data: no whole month */
  months = ord_series_from_store (shop->store, ORD_MEASURE_ORDERS, ORD_INTERVAL_MONTH,
                                  shop->utc, &error);
  g_assert_null (months);
  g_assert_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA);
  g_assert_nonnull (strstr (error->message, "2024-01-01 to 2024-01-14"));
}

static void
test_empty_store (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (":memory:", &error);
  g_autoptr(OrdSeries) series = NULL;
  g_autoptr(OrdRfmTable) rfm = NULL;
  g_autoptr(OrdRiskRows) history = NULL;
  g_autoptr(OrdRiskRows) open = NULL;
  g_autoptr(OrdBaskets) baskets = NULL;

  g_assert_no_error (error);
  series = ord_series_from_store (store, ORD_MEASURE_ORDERS, ORD_INTERVAL_DAY, NULL, &error);
  g_assert_null (series);
  g_assert_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA);
  g_clear_error (&error);

  rfm = ord_rfm_from_store (store, NULL, &error);
  g_assert_null (rfm);
  g_assert_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA);
  g_clear_error (&error);

  g_assert_true (ord_risk_rows_from_store (store, NULL, &history, &open, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (history->n, ==, 0);
  g_assert_cmpuint (open->n, ==, 0);

  baskets = ord_baskets_from_store (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (baskets->n_baskets, ==, 0);
  g_assert_cmpuint (baskets->basket_ptr[0], ==, 0);
}

/* ------------------------------------------------------------------ */
/* RFM                                                                */

static void
test_rfm (Shop          *shop,
          gconstpointer  data)
{
  g_autoptr(OrdRfmTable) rfm = NULL;
  g_autoptr(GError) error = NULL;
  int a, b;

  rfm = ord_rfm_from_store (shop->store, shop->utc, &error);
  g_assert_no_error (error);
  /* The walk-in customer is left out; o2 (cancelled) does not count */
  g_assert_cmpuint (rfm->n, ==, 2);
  g_assert_cmpuint (rfm->n_left_out, ==, 1);
  g_assert_cmpstr (rfm->currency, ==, "EUR");
  g_assert_cmpuint (rfm->last_day, ==, julian (2024, 1, 14));

  a = g_strcmp0 (rfm->customer_ids[0], shop->ann) == 0 ? 0 : 1;
  b = 1 - a;
  g_assert_cmpstr (rfm->customer_ids[a], ==, shop->ann);
  g_assert_cmpstr (rfm->names[a], ==, "Ann Arbor");
  g_assert_cmpstr (rfm->customer_ids[b], ==, shop->bob);
  g_assert_null (rfm->customer_ids[2]);

  /* Ann: o1, o4, o7; last on 01-10, four days before o6 on 01-14 */
  g_assert_cmpfloat (rfm->recency[a], ==, 4);
  g_assert_cmpfloat (rfm->frequency[a], ==, 3);
  g_assert_cmpfloat (rfm->monetary[a], ==, 1000 + 3000 + 2500);
  /* Bob: o3, o6 */
  g_assert_cmpfloat (rfm->recency[b], ==, 0);
  g_assert_cmpfloat (rfm->frequency[b], ==, 2);
  g_assert_cmpfloat (rfm->monetary[b], ==, 750 + 1200);
}

/* ------------------------------------------------------------------ */
/* Risk features                                                      */

static void
assert_weekday_daypart (const double *row,
                        guint         weekday_feature,
                        guint         daypart_feature)
{
  for (guint j = ORD_RISK_MONDAY; j <= ORD_RISK_SUNDAY; j++)
    g_assert_cmpfloat (row[j], ==, j == weekday_feature ? 1 : 0);
  for (guint j = ORD_RISK_NIGHT; j <= ORD_RISK_EVENING; j++)
    g_assert_cmpfloat (row[j], ==, j == daypart_feature ? 1 : 0);
}

static void
test_risk_rows (Shop          *shop,
                gconstpointer  data)
{
  g_autoptr(OrdRiskRows) history = NULL;
  g_autoptr(OrdRiskRows) open = NULL;
  g_autoptr(GError) error = NULL;
  const double expected_y[6] = { 0, 0, 1, 0, 0, 0 };
  const double *row;

  g_assert_true (ord_risk_rows_from_store (shop->store, shop->utc, &history, &open, &error));
  g_assert_no_error (error);

  /* Finished, oldest first: o1, o3, o2, o5, o7, o6 */
  g_assert_cmpuint (history->n, ==, 6);
  g_assert_cmpuint (history->p, ==, ORD_RISK_N_FEATURES);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpfloat (history->y[i], ==, expected_y[i]);
  for (guint i = 1; i < 6; i++)
    g_assert_cmpint (history->created_at[i - 1], <, history->created_at[i]);
  g_assert_cmpint (history->created_at[1], ==, at (1, 3, 9, 0));
  g_assert_cmpint (history->statuses[2], ==, ORD_STATUS_CANCELLED);
  g_assert_cmpstr (history->customer_names[3], ==, "Walk-in");
  g_assert_cmpint (history->totals[5], ==, 1200);

  /* o1: Ann's first order, Monday 10:00, no due date, 10.00 on one line */
  row = history->x;
  g_assert_cmpfloat (row[ORD_RISK_LEAD_DAYS], ==, 0);
  g_assert_cmpfloat (row[ORD_RISK_NO_DUE_DATE], ==, 1);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LOG_VALUE], log1p (10.0), 1e-12);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LOG_ITEMS], log1p (1.0), 1e-12);
  g_assert_cmpfloat (row[ORD_RISK_PAST_ORDERS], ==, 0);
  g_assert_cmpfloat (row[ORD_RISK_PAST_CANCELLATIONS], ==, 0);
  g_assert_cmpfloat (row[ORD_RISK_PAST_CANCEL_RATE], ==, 0);
  g_assert_cmpfloat (row[ORD_RISK_EDITS], ==, 0);
  assert_weekday_daypart (row, ORD_RISK_MONDAY, ORD_RISK_MORNING);

  /* o3: Bob, due seven days after it was placed, Wednesday 09:00 */
  row = history->x + 1 * history->p;
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LEAD_DAYS], 7.0, 1e-12);
  g_assert_cmpfloat (row[ORD_RISK_NO_DUE_DATE], ==, 0);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LOG_VALUE], log1p (7.5), 1e-12);
  assert_weekday_daypart (row, ORD_RISK_WEDNESDAY, ORD_RISK_MORNING);

  /* o2: Ann's second order (one before it), Wednesday 15:00 */
  row = history->x + 2 * history->p;
  g_assert_cmpfloat (row[ORD_RISK_PAST_ORDERS], ==, 1);
  g_assert_cmpfloat (row[ORD_RISK_PAST_CANCELLATIONS], ==, 0);
  assert_weekday_daypart (row, ORD_RISK_WEDNESDAY, ORD_RISK_AFTERNOON);

  /* o7: three orders before it (o1, o2, o4); o2 was cancelled on 01-09,
   * before o7 was placed on 01-10 */
  row = history->x + 4 * history->p;
  g_assert_cmpfloat (row[ORD_RISK_PAST_ORDERS], ==, 3);
  g_assert_cmpfloat (row[ORD_RISK_PAST_CANCELLATIONS], ==, 1);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_PAST_CANCEL_RATE], 1.0 / 3, 1e-12);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LOG_VALUE], log1p (25.0), 1e-12);
  assert_weekday_daypart (row, ORD_RISK_WEDNESDAY, ORD_RISK_MORNING);

  /* o6: Bob's second order, three lines, Sunday 12:00 */
  row = history->x + 5 * history->p;
  g_assert_cmpfloat (row[ORD_RISK_PAST_ORDERS], ==, 1);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LOG_ITEMS], log1p (3.0), 1e-12);
  assert_weekday_daypart (row, ORD_RISK_SUNDAY, ORD_RISK_AFTERNOON);

  /* Open: o4 only. Placed on 01-08 at 20:00, before o2's cancellation
   * (01-09): the row must not know about it. Edited once. */
  g_assert_cmpuint (open->n, ==, 1);
  g_assert_null (open->y);
  g_assert_cmpstr (open->order_ids[0], ==, shop->o4);
  g_assert_cmpstr (open->numbers[0], ==, shop->o4_number);
  g_assert_cmpint (open->statuses[0], ==, ORD_STATUS_PENDING);
  row = open->x;
  g_assert_cmpfloat (row[ORD_RISK_PAST_ORDERS], ==, 2);
  g_assert_cmpfloat (row[ORD_RISK_PAST_CANCELLATIONS], ==, 0);
  g_assert_cmpfloat (row[ORD_RISK_EDITS], ==, 1);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LOG_VALUE], log1p (30.0), 1e-12);
  g_assert_cmpfloat_with_epsilon (row[ORD_RISK_LOG_ITEMS], log1p (2.0), 1e-12);
  assert_weekday_daypart (row, ORD_RISK_MONDAY, ORD_RISK_EVENING);

  /* Too little history for a model */
  {
    g_autoptr(OrdRiskModel) model = ord_risk_model_train (history, 0, 0, &error);

    g_assert_null (model);
    g_assert_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA);
    g_assert_nonnull (strstr (error->message, "there are 6 (1 cancelled)"));
  }
}

/* ------------------------------------------------------------------ */
/* Baskets                                                            */

static void
test_baskets (Shop          *shop,
              gconstpointer  data)
{
  g_autoptr(OrdBaskets) baskets = NULL;
  g_autoptr(GError) error = NULL;
  /* o1 {P1}, o3 {P2}, o4 {P1, P3}, o7 {P1}, o6 {P2, P1 (twice: once)};
   * o2 is cancelled, o5 has no product. Items by first appearance. */
  const gsize expected_ptr[6] = { 0, 1, 2, 4, 5, 7 };
  const guint expected_items[7] = { 0, 1, 0, 2, 0, 1, 0 };
  const guint expected_customer[5] = { 0, 1, 0, 0, 1 };

  baskets = ord_baskets_from_store (shop->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (baskets->n_baskets, ==, 5);
  g_assert_cmpuint (baskets->n_items, ==, 3);
  g_assert_cmpuint (baskets->n_customers, ==, 2);
  for (guint i = 0; i < 6; i++)
    g_assert_cmpuint (baskets->basket_ptr[i], ==, expected_ptr[i]);
  for (guint i = 0; i < 7; i++)
    g_assert_cmpuint (baskets->items[i], ==, expected_items[i]);
  for (guint i = 0; i < 5; i++)
    g_assert_cmpuint (baskets->basket_customer[i], ==, expected_customer[i]);
  g_assert_cmpstr (baskets->item_ids[0], ==, shop->p1);
  g_assert_cmpstr (baskets->item_skus[1], ==, "P2");
  g_assert_cmpstr (baskets->item_names[2], ==, "Hamper");
  g_assert_cmpstr (baskets->customer_ids[0], ==, shop->ann);
  g_assert_cmpstr (baskets->customer_names[1], ==, "Bob Baker");
  g_assert_cmpstr (baskets->basket_order_ids[2], ==, shop->o4);
}

/* ------------------------------------------------------------------ */
/* The risk model: training, storage, staleness, explanations         */

/* @n orders whose cancellation depends on the lead time only: orders due
 * more than 20 days ahead are cancelled, with a few exceptions each way. */
static OrdRiskRows *
synthetic_history (gsize n)
{
  OrdRiskRows *rows = g_new0 (OrdRiskRows, 1);
  GRand *rand = g_rand_new_with_seed (42);

  rows->n = n;
  rows->p = ORD_RISK_N_FEATURES;
  rows->x = g_new0 (double, n * ORD_RISK_N_FEATURES);
  rows->y = g_new0 (double, n);
  rows->created_at = g_new0 (gint64, n);
  rows->order_ids = g_new0 (char *, n + 1);
  rows->numbers = g_new0 (char *, n + 1);
  rows->customer_names = g_new0 (char *, n + 1);
  rows->totals = g_new0 (gint64, n);
  rows->currencies = g_new0 (char *, n + 1);
  rows->statuses = g_new0 (OrdStatus, n);
  for (gsize i = 0; i < n; i++)
    {
      double *x = rows->x + i * ORD_RISK_N_FEATURES;
      double lead = g_rand_double_range (rand, 0, 40);

      x[ORD_RISK_LEAD_DAYS] = lead;
      x[ORD_RISK_LOG_VALUE] = g_rand_double_range (rand, 1, 5);
      x[ORD_RISK_LOG_ITEMS] = log1p (g_rand_int_range (rand, 1, 6));
      x[ORD_RISK_PAST_ORDERS] = g_rand_int_range (rand, 0, 10);
      x[ORD_RISK_MONDAY + g_rand_int_range (rand, 0, 7)] = 1;
      x[ORD_RISK_NIGHT + g_rand_int_range (rand, 0, 4)] = 1;
      rows->y[i] = (lead > 20) != (g_rand_double (rand) < 0.05);
      rows->created_at[i] = (gint64) i * G_USEC_PER_SEC;
    }
  g_rand_free (rand);
  return rows;
}

static void
test_risk_model (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = ord_store_new (":memory:", &error);
  g_autoptr(OrdRiskRows) history = synthetic_history (400);
  g_autoptr(OrdRiskRows) grown = synthetic_history (440);
  g_autoptr(OrdRiskModel) model = NULL;
  g_autoptr(OrdRiskModel) loaded = NULL;
  g_autoptr(OrdRiskModel) again = NULL;
  double row[ORD_RISK_N_FEATURES] = { 0 };
  OrdRiskReason reasons[4];
  gboolean retrained = TRUE;
  double z, logit;
  guint n;

  g_assert_no_error (error);

  /* Nothing stored yet */
  loaded = ord_risk_model_load (store, &error);
  g_assert_no_error (error);
  g_assert_null (loaded);

  model = ord_risk_model_train (history, 0, 1234567, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (model->n_history, ==, 400);
  g_assert_cmpuint (model->n_test, ==, 80);
  g_assert_cmpuint (model->n_train, ==, 320);
  /* The lead time decides: the hold-out is ranked nearly perfectly */
  g_assert_cmpfloat (model->auc, >, 0.85);
  g_assert_cmpfloat (model->auc, <=, 1.0);
  g_assert_cmpfloat (model->brier, <, 0.15);
  g_assert_cmpuint (model->n_bins, ==, 10);
  g_assert_cmpfloat (model->model->coef[ORD_RISK_LEAD_DAYS], >, 1.0);
  g_assert_cmpfloat (fabs (model->model->coef[ORD_RISK_LOG_VALUE]), <,
                     model->model->coef[ORD_RISK_LEAD_DAYS] / 5);

  /* Saved and read back: the same numbers */
  g_assert_true (ord_risk_model_save (store, model, &error));
  g_assert_no_error (error);
  loaded = ord_risk_model_load (store, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (loaded->trained_at, ==, 1234567);
  g_assert_cmpuint (loaded->n_history, ==, 400);
  g_assert_cmpuint (loaded->n_cancelled, ==, model->n_cancelled);
  g_assert_cmpfloat (loaded->auc, ==, model->auc);
  g_assert_cmpfloat (loaded->brier, ==, model->brier);
  g_assert_cmpfloat (loaded->model->intercept, ==, model->model->intercept);
  for (guint j = 0; j < ORD_RISK_N_FEATURES; j++)
    {
      g_assert_cmpfloat (loaded->model->coef[j], ==, model->model->coef[j]);
      g_assert_cmpfloat (loaded->scaler->mean[j], ==, model->scaler->mean[j]);
      g_assert_cmpfloat (loaded->scaler->scale[j], ==, model->scaler->scale[j]);
    }
  g_assert_cmpuint (loaded->n_bins, ==, model->n_bins);
  for (guint k = 0; k < model->n_bins; k++)
    {
      g_assert_cmpuint (loaded->calibration[k].n, ==, model->calibration[k].n);
      g_assert_cmpfloat (loaded->calibration[k].observed_rate, ==,
                         model->calibration[k].observed_rate);
    }

  /* The score is the logistic of the standardised features */
  row[ORD_RISK_LEAD_DAYS] = 30;
  row[ORD_RISK_LOG_VALUE] = 2;
  row[ORD_RISK_PAST_ORDERS] = 3;
  row[ORD_RISK_FRIDAY] = 1;
  row[ORD_RISK_EVENING] = 1;
  logit = loaded->model->intercept;
  for (guint j = 0; j < ORD_RISK_N_FEATURES; j++)
    {
      z = (row[j] - loaded->scaler->mean[j]) / loaded->scaler->scale[j];
      logit += loaded->model->coef[j] * z;
    }
  g_assert_cmpfloat_with_epsilon (ord_risk_model_score (loaded, row), 1 / (1 + exp (-logit)),
                                  1e-12);
  g_assert_cmpfloat (ord_risk_model_score (loaded, row), >, 0.8);

  /* The lead time explains it best, and raises the risk */
  n = ord_risk_model_explain (loaded, row, G_N_ELEMENTS (reasons), reasons);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpint (reasons[0].feature, ==, ORD_RISK_LEAD_DAYS);
  g_assert_cmpfloat (reasons[0].contribution, >, 0);
  for (guint k = 1; k < n; k++)
    g_assert_cmpfloat (fabs (reasons[k - 1].contribution), >=, fabs (reasons[k].contribution));
  {
    g_autofree char *text = ord_risk_reason_describe (&reasons[0], row, "EUR");

    g_assert_cmpstr (text, ==, "due in 30 days");
  }
  {
    OrdRiskReason weekday = { ORD_RISK_MONDAY, 0.1 };
    OrdRiskReason value = { ORD_RISK_LOG_VALUE, 0.1 };
    OrdRiskReason cancels = { ORD_RISK_PAST_CANCEL_RATE, 0.1 };
    g_autofree char *w = ord_risk_reason_describe (&weekday, row, "EUR");
    g_autofree char *v = ord_risk_reason_describe (&value, row, "EUR");
    g_autofree char *c = NULL;

    g_assert_cmpstr (w, ==, "placed on a Friday");
    /* e² − 1 = 6.389… */
    g_assert_cmpstr (v, ==, "order value €6.39");
    row[ORD_RISK_PAST_CANCELLATIONS] = 2;
    c = ord_risk_reason_describe (&cancels, row, "EUR");
    g_assert_cmpstr (c, ==, "customer cancelled 2 of 3 earlier orders");
  }

  /* ensure: the stored model while the history has not grown by a tenth */
  again = ord_risk_model_ensure (store, history, FALSE, &retrained, &error);
  g_assert_no_error (error);
  g_assert_false (retrained);
  g_assert_cmpint (again->trained_at, ==, 1234567);
  g_clear_pointer (&again, ord_risk_model_free);

  g_assert_false (ord_risk_model_is_stale (loaded, 439));
  g_assert_true (ord_risk_model_is_stale (loaded, 440));
  ord_store_set_now (store, 7654321);
  again = ord_risk_model_ensure (store, grown, FALSE, &retrained, &error);
  g_assert_no_error (error);
  g_assert_true (retrained);
  g_assert_cmpuint (again->n_history, ==, 440);
  g_clear_pointer (&again, ord_risk_model_free);

  /* … and the new one replaced the old in the database */
  again = ord_risk_model_load (store, &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->trained_at, ==, 7654321);
  g_assert_cmpuint (again->n_history, ==, 440);
  g_clear_pointer (&again, ord_risk_model_free);

  /* --retrain */
  ord_store_set_now (store, 9999999);
  again = ord_risk_model_ensure (store, grown, TRUE, &retrained, &error);
  g_assert_no_error (error);
  g_assert_true (retrained);
  g_assert_cmpint (again->trained_at, ==, 9999999);
}

/* ------------------------------------------------------------------ */
/* Forecast with its model                                            */

static void
test_series_forecast (void)
{
  /* 16 weeks of a shop closed on Saturdays, starting on a Monday, with a
   * weekly pattern and some noise; 14 days ahead */
  const double pattern[7] = { 100, 120, 130, 125, 150, 0, 60 };
  double y[112];
  gboolean closed[112 + 14];
  const double levels[2] = { 80, 95 };
  g_autoptr(OrdSeriesForecast) sf = NULL;
  g_autoptr(OrdForecast) refit = NULL;
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (7);
  guint h, j = 0;

  for (guint i = 0; i < 112 + 14; i++)
    {
      closed[i] = i % 7 == 5;
      if (i < 112)
        y[i] = closed[i] ? 0 : pattern[i % 7] + g_rand_double_range (rand, -10, 10);
    }
  g_rand_free (rand);

  sf = ord_series_forecast (y, 112, 7, closed, 14, levels, 2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sf->n_used, ==, 96);
  g_assert_cmpuint (sf->period_used, ==, 6);
  g_assert_true (g_str_has_prefix (sf->forecast->method, "ETS("));
  g_assert_nonnull (sf->model);
  g_assert_cmpuint (sf->model->n, ==, 96);
  g_assert_true (isfinite (sf->model->aicc));

  /* The model reported is the one that made the forecast: its own point
   * forecasts on the open days are the forecast's */
  g_assert_true (ord_ets_forecast (sf->model, 12, NULL, 0, &refit, &error));
  g_assert_no_error (error);
  for (h = 0; h < 14; h++)
    {
      if (closed[112 + h])
        {
          g_assert_true (sf->forecast->closed[h]);
          g_assert_cmpfloat (sf->forecast->mean[h], ==, 0);
          continue;
        }
      g_assert_false (sf->forecast->closed[h]);
      g_assert_cmpfloat_with_epsilon (sf->forecast->mean[h], refit->mean[j], 1e-9);
      /* Near the weekly pattern */
      g_assert_cmpfloat (fabs (sf->forecast->mean[h] - pattern[(112 + h) % 7]), <, 25);
      g_assert_cmpfloat (sf->forecast->lower[h], <, sf->forecast->mean[h]);
      g_assert_cmpfloat (sf->forecast->upper[14 + h], >, sf->forecast->upper[h]);
      j++;
    }
  g_assert_cmpuint (j, ==, 12);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/analytics-store/closed/weekday", test_closed_weekday);
  g_test_add_func ("/analytics-store/closed/gaps", test_closed_gaps);
  g_test_add_func ("/analytics-store/closed/open-days", test_open_days);
  g_test_add ("/analytics-store/series/daily", Shop, NULL, shop_setup, test_daily_series,
              shop_teardown);
  g_test_add ("/analytics-store/series/weekly-monthly", Shop, NULL, shop_setup,
              test_weekly_monthly_series, shop_teardown);
  g_test_add_func ("/analytics-store/empty", test_empty_store);
  g_test_add ("/analytics-store/rfm", Shop, NULL, shop_setup, test_rfm, shop_teardown);
  g_test_add ("/analytics-store/risk/rows", Shop, NULL, shop_setup, test_risk_rows,
              shop_teardown);
  g_test_add ("/analytics-store/baskets", Shop, NULL, shop_setup, test_baskets, shop_teardown);
  g_test_add_func ("/analytics-store/risk/model", test_risk_model);
  g_test_add_func ("/analytics-store/forecast", test_series_forecast);

  return g_test_run ();
}
