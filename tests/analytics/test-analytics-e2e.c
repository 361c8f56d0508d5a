/* test-analytics-e2e.c: the Online Retail file imported, then its daily orders
 * forecast, its customers segmented and its cancellations modelled
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "ord-analytics-store.h"
#include "ord-core.h"
#include "ord-import.h"
#include "ord-segments.h"

typedef struct
{
  OrdStore  *store;
  GTimeZone *utc;   /* the file's times are UK times, imported as UTC */
} Retail;

static Retail *retail;

static gboolean
import_retail (void)
{
  const char *dir = g_getenv ("ORDERLY_DATA_DIR");
  g_autofree char *path = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(OrdImportReport) report = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (retail != NULL)
    return TRUE;
  path = g_build_filename (dir != NULL ? dir : ".", "online-retail.csv.gz", NULL);
  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return FALSE;

  retail = g_new0 (Retail, 1);
  retail->utc = g_time_zone_new_utc ();
  retail->store = ord_store_new (":memory:", &error);
  g_assert_no_error (error);

  start = g_get_monotonic_time ();
  file = g_file_new_for_path (path);
  report = ord_import_file (retail->store, file, ORD_IMPORT_FORMAT_AUTO, NULL, NULL, NULL,
                            &error);
  g_assert_no_error (error);
  g_test_message ("imported %u orders in %.1f s", report->orders_imported,
                  (g_get_monotonic_time () - start) / 1e6);
  /* 25,900 invoices, some rejected for bad lines */
  g_assert_cmpuint (report->orders_imported, >, 20000);
  return TRUE;
}

#define REQUIRE_RETAIL()                                                            \
  G_STMT_START {                                                                    \
    if (!import_retail ())                                                          \
      {                                                                             \
        g_test_skip ("ORDERLY_DATA_DIR/online-retail.csv.gz is absent; put the "    \
                     "Online Retail file there to run this test");                  \
        return;                                                                     \
      }                                                                             \
  } G_STMT_END

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

static void
test_daily_forecast (void)
{
  g_autoptr(OrdSeries) series = NULL;
  g_autoptr(OrdSeriesForecast) sf = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *closed = NULL;
  const double levels[2] = { 80, 95 };
  const guint horizon = 14;
  guint n_open = 0;

  REQUIRE_RETAIL ();

  series = ord_series_from_store (retail->store, ORD_MEASURE_ORDERS, ORD_INTERVAL_DAY,
                                  retail->utc, &error);
  g_assert_no_error (error);
  /* 2010-12-01 to 2011-12-09 */
  g_assert_cmpuint (series->first, ==, julian (2010, 12, 1));
  g_assert_cmpuint (series->last_day, ==, julian (2011, 12, 9));
  g_assert_cmpuint (series->n, ==, 374);

  /* No Saturdays: closed. The Christmas break too, not the days around it. */
  g_assert_cmpuint (series->closed_weekdays, ==, 1u << G_DATE_SATURDAY);
  g_assert_true (series->closed[julian (2010, 12, 27) - series->first]);
  g_assert_true (series->closed[julian (2011, 1, 3) - series->first]);
  g_assert_false (series->closed[julian (2010, 12, 22) - series->first]);
  g_assert_false (series->closed[julian (2011, 1, 4) - series->first]);
  for (gsize i = 0; i < series->n; i++)
    if (series->closed[i])
      g_assert_cmpfloat (series->values[i], ==, 0);
  g_test_message ("%" G_GSIZE_FORMAT " closed days, %" G_GSIZE_FORMAT " orders",
                  series->n_closed, series->n_orders);

  closed = ord_series_closed_ahead (series, horizon);
  sf = ord_series_forecast (series->values, series->n, series->period, closed, horizon,
                            levels, 2, &error);
  g_assert_no_error (error);
  g_test_message ("%s, AICc %.1f", sf->forecast->method,
                  sf->model != NULL ? sf->model->aicc : NAN);
  g_assert_cmpuint (sf->period_used, ==, 6);
  g_assert_nonnull (sf->model);
  g_assert_true (isfinite (sf->model->aicc));

  /* 2011-12-10 is a Saturday: closed, then six open days, and so on */
  g_assert_nonnull (sf->forecast->closed);
  for (guint h = 0; h < horizon; h++)
    {
      const OrdForecast *fc = sf->forecast;
      GDate day;
      gboolean saturday;

      g_date_clear (&day, 1);
      g_date_set_julian (&day, series->first + series->n + h);
      saturday = g_date_get_weekday (&day) == G_DATE_SATURDAY;

      g_assert_cmpint (fc->closed[h], ==, saturday);
      if (saturday)
        continue;
      n_open++;
      g_assert_true (isfinite (fc->mean[h]));
      /* Between 20 and 250 orders a day: what the shop did that autumn */
      g_assert_cmpfloat (fc->mean[h], >, 20);
      g_assert_cmpfloat (fc->mean[h], <, 250);
      g_assert_cmpfloat (fc->lower[h], <, fc->mean[h]);
      g_assert_cmpfloat (fc->upper[h], >, fc->mean[h]);
      g_assert_cmpfloat (fc->lower[horizon + h], <, fc->lower[h]);
      g_assert_cmpfloat (fc->upper[horizon + h], >, fc->upper[h]);
    }
  g_assert_cmpuint (n_open, ==, 12);
}

static void
test_segments (void)
{
  g_autoptr(OrdRfmTable) rfm = NULL;
  g_autoptr(OrdSegmentation) seg = NULL;
  g_autoptr(GError) error = NULL;
  OrdSegmentsOptions options;
  gsize total = 0;

  REQUIRE_RETAIL ();

  rfm = ord_rfm_from_store (retail->store, retail->utc, &error);
  g_assert_no_error (error);
  /* 4,372 customer ids, less those with cancellations only; the walk-in
   * customer (lines without an id) left out */
  g_assert_cmpuint (rfm->n, >, 4000);
  g_assert_cmpuint (rfm->n, <, 4372);
  g_assert_cmpuint (rfm->n_left_out, ==, 1);
  g_assert_cmpstr (rfm->currency, ==, "GBP");
  g_assert_cmpuint (rfm->last_day, ==, julian (2011, 12, 9));

  ord_segments_options_init (&options);
  seg = ord_segments_compute (rfm->recency, rfm->frequency, rfm->monetary, rfm->n, &options,
                              &error);
  g_assert_no_error (error);
  g_assert_cmpuint (seg->k, >=, 3);
  g_assert_cmpuint (seg->k, <=, 8);
  for (guint k = 0; k < seg->k; k++)
    {
      const OrdSegment *s = &seg->segments[k];
      double share = (double) s->size / rfm->n;

      g_test_message ("%s: %" G_GSIZE_FORMAT " customers (%.1f %%), %.0f days, %.1f orders, "
                      "GBP %.0f", ord_rfm_segment_name (s->name), s->size, 100 * share,
                      s->mean_recency, s->mean_frequency, s->mean_monetary / 100);
      g_assert_cmpint (s->name, <, ORD_RFM_N_SEGMENTS);
      g_assert_nonnull (ord_rfm_segment_name (s->name));
      g_assert_cmpfloat (share, >=, 0.01);
      g_assert_cmpfloat (share, <=, 0.80);
      total += s->size;
    }
  g_assert_cmpuint (total, ==, rfm->n);
  /* The best segment orders more and more recently than the worst */
  g_assert_cmpfloat (seg->segments[0].mean_frequency, >,
                     seg->segments[seg->k - 1].mean_frequency);
  g_assert_cmpfloat (seg->segments[0].mean_recency, <,
                     seg->segments[seg->k - 1].mean_recency);
}

static void
test_risk (void)
{
  g_autoptr(OrdRiskRows) history = NULL;
  g_autoptr(OrdRiskRows) open = NULL;
  g_autoptr(OrdRiskModel) model = NULL;
  g_autoptr(GError) error = NULL;

  REQUIRE_RETAIL ();

  g_assert_true (ord_risk_rows_from_store (retail->store, retail->utc, &history, &open,
                                           &error));
  g_assert_no_error (error);
  /* Every invoice is finished: delivered, or a cancellation (3,836 of them) */
  g_assert_cmpuint (open->n, ==, 0);
  g_assert_cmpuint (history->n, >, 20000);

  model = ord_risk_model_ensure (retail->store, history, FALSE, NULL, &error);
  g_assert_no_error (error);
  g_test_message ("risk: %" G_GSIZE_FORMAT " orders, %" G_GSIZE_FORMAT " cancelled, hold-out "
                  "AUC %.3f", model->n_history, model->n_cancelled, model->auc);
  g_assert_cmpuint (model->n_cancelled, >, 3000);
  /* Cancellations follow customers who cancelled before: far better than chance */
  g_assert_cmpfloat (model->auc, >, 0.7);
}

int
main (int   argc,
      char *argv[])
{
  int ret;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/analytics-e2e/online-retail/daily-forecast", test_daily_forecast);
  g_test_add_func ("/analytics-e2e/online-retail/segments", test_segments);
  g_test_add_func ("/analytics-e2e/online-retail/risk", test_risk);

  ret = g_test_run ();

  if (retail != NULL)
    {
      g_clear_object (&retail->store);
      g_time_zone_unref (retail->utc);
      g_free (retail);
    }
  return ret;
}
