/* ord-analytics-store.c: what the analytics read from the store: series, RFM, risk
 * features, baskets, and the stored cancellation-risk model
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "ord-analytics"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "ord-analytics-store.h"
#include "ord-money.h"
#include "ord-store-private.h"

G_DEFINE_QUARK (ord-analytics-error-quark, ord_analytics_error)

/* A run of days without orders, or a weekday without any, counts as
 * "closed" when at least this many orders were expected in it: a Poisson
 * count with that mean is zero with probability e⁻⁸ ≈ 0.03 %. */
#define CLOSED_MIN_EXPECTED 8.0
/* Days on each side of a gap whose mean is the expected daily rate. */
#define GAP_RATE_WINDOW     28
/* A weekday must have occurred this often before it can be called closed. */
#define CLOSED_MIN_WEEKS    3

/* The hold-out is the most recent fifth of the finished orders. */
#define RISK_DEFAULT_HOLDOUT 0.2
#define RISK_MIN_HISTORY     20

static const char *const measure_names[] = { "orders", "revenue" };
static const char *const interval_names[] = { "day", "week", "month" };

static const char *const risk_feature_names[ORD_RISK_N_FEATURES] = {
  [ORD_RISK_LEAD_DAYS] = "lead_days",
  [ORD_RISK_NO_DUE_DATE] = "no_due_date",
  [ORD_RISK_LOG_VALUE] = "log_value",
  [ORD_RISK_LOG_ITEMS] = "log_items",
  [ORD_RISK_PAST_ORDERS] = "past_orders",
  [ORD_RISK_PAST_CANCELLATIONS] = "past_cancellations",
  [ORD_RISK_PAST_CANCEL_RATE] = "past_cancel_rate",
  [ORD_RISK_EDITS] = "edits",
  [ORD_RISK_MONDAY] = "monday",
  [ORD_RISK_TUESDAY] = "tuesday",
  [ORD_RISK_WEDNESDAY] = "wednesday",
  [ORD_RISK_THURSDAY] = "thursday",
  [ORD_RISK_FRIDAY] = "friday",
  [ORD_RISK_SATURDAY] = "saturday",
  [ORD_RISK_SUNDAY] = "sunday",
  [ORD_RISK_NIGHT] = "night",
  [ORD_RISK_MORNING] = "morning",
  [ORD_RISK_AFTERNOON] = "afternoon",
  [ORD_RISK_EVENING] = "evening",
};

/* ------------------------------------------------------------------ */
/* Names                                                              */

/**
 * ord_measure_to_string:
 * @measure: a measure
 *
 * Returns: "orders" or "revenue"
 */
const char *
ord_measure_to_string (OrdMeasure measure)
{
  g_return_val_if_fail ((guint) measure < G_N_ELEMENTS (measure_names), NULL);

  return measure_names[measure];
}

/**
 * ord_measure_from_string:
 * @text: (nullable): "orders" or "revenue"
 * @measure: (out): the measure
 *
 * Returns: %TRUE when @text names a measure
 */
gboolean
ord_measure_from_string (const char *text,
                         OrdMeasure *measure)
{
  g_return_val_if_fail (measure != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (measure_names); i++)
    if (g_ascii_strcasecmp (text, measure_names[i]) == 0)
      {
        *measure = (OrdMeasure) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * ord_interval_to_string:
 * @interval: an interval
 *
 * Returns: "day", "week" or "month"
 */
const char *
ord_interval_to_string (OrdInterval interval)
{
  g_return_val_if_fail ((guint) interval < G_N_ELEMENTS (interval_names), NULL);

  return interval_names[interval];
}

/**
 * ord_interval_from_string:
 * @text: (nullable): "day", "week" or "month" (also "daily", "weekly", "monthly")
 * @interval: (out): the interval
 *
 * Returns: %TRUE when @text names an interval
 */
gboolean
ord_interval_from_string (const char  *text,
                          OrdInterval *interval)
{
  static const char *const adjectives[] = { "daily", "weekly", "monthly" };

  g_return_val_if_fail (interval != NULL, FALSE);

  for (guint i = 0; text != NULL && i < G_N_ELEMENTS (interval_names); i++)
    if (g_ascii_strcasecmp (text, interval_names[i]) == 0 ||
        g_ascii_strcasecmp (text, adjectives[i]) == 0)
      {
        *interval = (OrdInterval) i;
        return TRUE;
      }

  return FALSE;
}

/**
 * ord_risk_feature_name:
 * @feature: a feature
 *
 * Returns: the feature's stable name, as stored with a model ("lead_days")
 */
const char *
ord_risk_feature_name (OrdRiskFeature feature)
{
  g_return_val_if_fail ((guint) feature < ORD_RISK_N_FEATURES, NULL);

  return risk_feature_names[feature];
}

/* ------------------------------------------------------------------ */
/* Days                                                               */

static gint64
floor_div (gint64 a,
           gint64 b)
{
  gint64 q = a / b;

  if (a % b != 0 && ((a < 0) != (b < 0)))
    q--;
  return q;
}

/* GDate's Julian day of 1 January 1970 (day 1 is 1 January of year 1). */
#define EPOCH_JULIAN 719163

/* GDate's day 1 (1 January of year 1) was a Monday. */
static inline GDateWeekday
julian_weekday (guint32 julian)
{
  return (GDateWeekday) ((julian - 1) % 7 + 1);
}

/* Local seconds of the day and Julian day of @usec in @tz. */
static guint32
local_julian (GTimeZone *tz,
              gint64     usec,
              gint      *seconds_of_day)
{
  gint64 secs = floor_div (usec, G_USEC_PER_SEC);
  int interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, secs);
  gint64 local = secs + (interval >= 0 ? g_time_zone_get_offset (tz, interval) : 0);

  if (seconds_of_day != NULL)
    *seconds_of_day = (gint) (local - floor_div (local, 86400) * 86400);
  return (guint32) (EPOCH_JULIAN + floor_div (local, 86400));
}

/**
 * ord_detect_closed_days:
 * @counts: (array length=n): orders of each day (every status)
 * @n: number of days
 * @first: Julian day (#GDate) of `counts[0]`
 * @closed: (out caller-allocates) (array length=n): %TRUE on closed days
 * @closed_weekdays: (out) (optional): bit `1 << GDateWeekday` for each
 *   weekday on which the shop is closed
 *
 * Tells closed days from quiet ones. A weekday is closed when it never
 * had an order although, at the average daily rate of the other days, at
 * least 8 were expected over its occurrences (and it occurred three times
 * or more): Saturdays in the Online Retail data. Then a run of days
 * without orders (closed weekdays inside it skipped) is closed when the
 * mean of the 28 open days on either side of it made 8 or more orders
 * expected in it: a Christmas break, a bank holiday in a busy shop. A
 * Poisson count with mean 8 is zero once in three thousand times.
 */
void
ord_detect_closed_days (const double *counts,
                        gsize         n,
                        guint32       first,
                        gboolean     *closed,
                        guint        *closed_weekdays)
{
  gsize occurrences[8] = { 0 };
  double totals[8] = { 0 };
  double total = 0;
  gsize open_days = 0, i;
  guint mask = 0, w;

  g_return_if_fail (counts != NULL || n == 0);
  g_return_if_fail (closed != NULL || n == 0);
  g_return_if_fail (first >= 1);

  for (i = 0; i < n; i++)
    {
      GDateWeekday wd = julian_weekday (first + i);

      occurrences[wd]++;
      totals[wd] += counts[i];
      total += counts[i];
    }
  for (w = G_DATE_MONDAY; w <= G_DATE_SUNDAY; w++)
    if (totals[w] > 0)
      open_days += occurrences[w];

  if (open_days > 0)
    {
      double rate = total / open_days;

      for (w = G_DATE_MONDAY; w <= G_DATE_SUNDAY; w++)
        if (totals[w] == 0 && occurrences[w] >= CLOSED_MIN_WEEKS &&
            rate * occurrences[w] >= CLOSED_MIN_EXPECTED)
          mask |= 1u << w;
    }

  for (i = 0; i < n; i++)
    closed[i] = (mask & (1u << julian_weekday (first + i))) != 0;

  /* Gaps: maximal runs of empty days, closed weekdays inside not counted */
  i = 0;
  while (i < n)
    {
      gsize start, end, length = 0, seen = 0, k;
      double sum = 0;

      if (closed[i] || counts[i] > 0)
        {
          i++;
          continue;
        }
      start = i;
      end = i;
      while (end < n && (closed[end] || counts[end] <= 0))
        {
          if (!closed[end])
            length++;
          end++;
        }

      for (k = start; k > 0 && seen < GAP_RATE_WINDOW; k--)
        if (!closed[k - 1])
          {
            sum += counts[k - 1];
            seen++;
          }
      {
        gsize seen_after = 0;

        for (k = end; k < n && seen_after < GAP_RATE_WINDOW; k++)
          if (!closed[k])
            {
              sum += counts[k];
              seen_after++;
            }
        seen += seen_after;
      }

      if (seen > 0 && sum / seen * length >= CLOSED_MIN_EXPECTED)
        for (k = start; k < end; k++)
          closed[k] = TRUE;

      i = end;
    }

  if (closed_weekdays != NULL)
    *closed_weekdays = mask;
}

/**
 * ord_open_days:
 * @y: (array length=n): a series
 * @n: its length
 * @period: its seasonal period
 * @closed: (array length=n) (nullable): closed flags
 * @open: (out caller-allocates) (array length=n): the values of the open days
 * @index: (out caller-allocates) (array length=n) (optional): the position
 *   in @y of each value of @open
 * @open_period: (out) (optional): the season length of the open days: the
 *   most common number of open days in the whole seasons of @y (6 for a shop
 *   closed one day a week); @period when @closed is %NULL
 *
 * Takes the closed days out of a series, as ord_forecast_auto() does
 * before it fits a model.
 *
 * Returns: the number of open days
 */
gsize
ord_open_days (const double   *y,
               gsize           n,
               guint           period,
               const gboolean *closed,
               double         *open,
               gsize          *index,
               guint          *open_period)
{
  gsize n_open = 0, i;
  guint result = period;

  g_return_val_if_fail (y != NULL || n == 0, 0);
  g_return_val_if_fail (open != NULL || n == 0, 0);

  for (i = 0; i < n; i++)
    if (closed == NULL || !closed[i])
      {
        if (index != NULL)
          index[n_open] = i;
        open[n_open++] = y[i];
      }

  if (closed != NULL && period > 1 && n >= period)
    {
      g_autofree guint *counts = g_new0 (guint, period + 1);
      guint best = 0, k;

      for (i = 0; i + period <= n; i += period)
        {
          guint c = 0;

          for (k = 0; k < period; k++)
            c += !closed[i + k];
          counts[c]++;
        }
      for (k = 0; k <= period; k++)
        if (counts[k] > counts[best])
          best = k;
      result = MAX (best, 1);
    }

  if (open_period != NULL)
    *open_period = result;
  return n_open;
}

/* ------------------------------------------------------------------ */
/* Reading                                                            */

static sqlite3_stmt *
prepare (sqlite3     *db,
         const char  *sql,
         const char  *what,
         GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_SQLITE,
                   _("Could not read %s from the database: %s"), what, sqlite3_errmsg (db));
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

static gboolean
step_failed (sqlite3     *db,
             int          rc,
             const char  *what,
             GError     **error)
{
  if (rc == SQLITE_DONE)
    return FALSE;
  g_set_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_SQLITE,
               _("Could not read %s from the database: %s"), what, sqlite3_errmsg (db));
  return TRUE;
}

static const char *
column_text (sqlite3_stmt *stmt,
             int           col)
{
  const char *text = (const char *) sqlite3_column_text (stmt, col);

  return text != NULL ? text : "";
}

/* The currency most of @counts' keys were seen with. */
static void
main_currency (GHashTable *counts,
               char        out[4])
{
  GHashTableIter iter;
  gpointer key, value;
  gsize best = 0;

  memset (out, 0, 4);
  g_hash_table_iter_init (&iter, counts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gsize c = GPOINTER_TO_SIZE (value);

      if (c > best || (c == best && strcmp (key, out) < 0))
        {
          best = c;
          g_strlcpy (out, key, 4);
        }
    }
}

static void
count_key (GHashTable *counts,
           const char *key)
{
  gpointer value = g_hash_table_lookup (counts, key);

  g_hash_table_insert (counts, g_strdup (key),
                       GSIZE_TO_POINTER (GPOINTER_TO_SIZE (value) + 1));
}

/* ------------------------------------------------------------------ */
/* Series                                                             */

typedef struct
{
  guint32  day;
  gint64   total;
  char     currency[4];
  gboolean cancelled;
} SeriesRow;

static guint32
bucket_start (OrdInterval interval,
              guint32     day)
{
  GDate date;

  switch (interval)
    {
    case ORD_INTERVAL_DAY:
      return day;
    case ORD_INTERVAL_WEEK:
      return day - (julian_weekday (day) - 1);
    case ORD_INTERVAL_MONTH:
    default:
      g_date_clear (&date, 1);
      g_date_set_julian (&date, day);
      g_date_set_day (&date, 1);
      return g_date_get_julian (&date);
    }
}

static guint32
bucket_next (OrdInterval interval,
             guint32     start)
{
  GDate date;

  switch (interval)
    {
    case ORD_INTERVAL_DAY:
      return start + 1;
    case ORD_INTERVAL_WEEK:
      return start + 7;
    case ORD_INTERVAL_MONTH:
    default:
      g_date_clear (&date, 1);
      g_date_set_julian (&date, start);
      g_date_add_months (&date, 1);
      return g_date_get_julian (&date);
    }
}

/* Whether the bucket [start, next) is whole: its days outside the data's
 * [first, last] are all closed weekdays. */
static gboolean
bucket_whole (OrdInterval interval,
              guint32     start,
              guint32     first,
              guint32     last,
              guint       closed_weekdays)
{
  guint32 next = bucket_next (interval, start);

  for (guint32 d = start; d < next; d++)
    if ((d < first || d > last) && !(closed_weekdays & (1u << julian_weekday (d))))
      return FALSE;
  return TRUE;
}

/**
 * ord_series_from_store:
 * @store: a store
 * @measure: what to count
 * @interval: days, weeks or months
 * @tz: (nullable): the time zone whose calendar days count; %NULL for local time
 * @error: return location for a #GError
 *
 * The orders (or revenue) of each day, week or month, from the first order
 * to the last: cancelled and deleted orders are not counted, and revenue
 * sums the orders of the currency most orders use. Daily series say which
 * days the shop was closed (ord_detect_closed_days() on all orders, the
 * cancelled ones too); weekly and monthly series leave out a first or last
 * week or month that the data covers only in part.
 *
 * Returns: (transfer full): the series, or %NULL with @error set
 */
OrdSeries *
ord_series_from_store (OrdStore    *store,
                       OrdMeasure   measure,
                       OrdInterval  interval,
                       GTimeZone   *tz,
                       GError     **error)
{
  g_autoptr(GTimeZone) local_tz = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GHashTable) currencies = NULL;
  g_autofree double *all_counts = NULL;
  g_autofree double *day_values = NULL;
  g_autofree gboolean *day_closed = NULL;
  OrdSeries *series;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint32 min_day = G_MAXUINT32, max_day = 0, start, end, b;
  gsize n_days, i, n_orders = 0, n_other = 0;
  guint closed_weekdays = 0;
  char currency[4];
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail ((guint) measure <= ORD_MEASURE_REVENUE, NULL);
  g_return_val_if_fail ((guint) interval <= ORD_INTERVAL_MONTH, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (tz == NULL)
    tz = local_tz = g_time_zone_new_local ();

  rows = g_array_new (FALSE, FALSE, sizeof (SeriesRow));
  currencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  ord_store_lock (store);
  db = ord_store_get_db (store);
  stmt = prepare (db,
                  "SELECT created_at, total, currency, status FROM orders WHERE deleted = 0",
                  _("the orders"), error);
  if (stmt == NULL)
    {
      ord_store_unlock (store);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SeriesRow row = { 0, };

      row.day = local_julian (tz, sqlite3_column_int64 (stmt, 0), NULL);
      row.total = sqlite3_column_int64 (stmt, 1);
      g_strlcpy (row.currency, column_text (stmt, 2), sizeof row.currency);
      row.cancelled = sqlite3_column_int (stmt, 3) == ORD_STATUS_CANCELLED;
      min_day = MIN (min_day, row.day);
      max_day = MAX (max_day, row.day);
      if (!row.cancelled)
        count_key (currencies, row.currency);
      g_array_append_val (rows, row);
    }
  if (step_failed (db, rc, _("the orders"), error))
    {
      sqlite3_finalize (stmt);
      ord_store_unlock (store);
      return NULL;
    }
  sqlite3_finalize (stmt);
  ord_store_unlock (store);

  if (rows->len == 0)
    {
      g_set_error_literal (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA,
                           _("There are no orders yet: a series needs at least one order"));
      return NULL;
    }

  main_currency (currencies, currency);
  n_days = (gsize) (max_day - min_day) + 1;
  all_counts = g_new0 (double, n_days);
  day_values = g_new0 (double, n_days);
  day_closed = g_new0 (gboolean, n_days);
  for (i = 0; i < rows->len; i++)
    {
      const SeriesRow *row = &g_array_index (rows, SeriesRow, i);
      gsize d = row->day - min_day;

      all_counts[d] += 1;
      if (row->cancelled)
        continue;
      if (measure == ORD_MEASURE_ORDERS)
        {
          day_values[d] += 1;
          n_orders++;
        }
      else if (strcmp (row->currency, currency) == 0)
        {
          day_values[d] += row->total;
          n_orders++;
        }
      else
        n_other++;
    }
  ord_detect_closed_days (all_counts, n_days, min_day, day_closed, &closed_weekdays);

  /* Whole buckets only (a day is always whole) */
  start = bucket_start (interval, min_day);
  if (!bucket_whole (interval, start, min_day, max_day, closed_weekdays))
    start = bucket_next (interval, start);
  end = bucket_start (interval, max_day);
  if (bucket_whole (interval, end, min_day, max_day, closed_weekdays))
    end = bucket_next (interval, end);
  if (end <= start)
    {
      g_autofree char *from = NULL, *to = NULL;
      GDate date;
      char buf[32];

      g_date_clear (&date, 1);
      g_date_set_julian (&date, min_day);
      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);
      from = g_strdup (buf);
      g_date_set_julian (&date, max_day);
      g_date_strftime (buf, sizeof buf, "%Y-%m-%d", &date);
      to = g_strdup (buf);
      g_set_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA,
                   interval == ORD_INTERVAL_WEEK
                     ? _("The orders (%s to %s) do not cover one whole week; use daily steps")
                     : _("The orders (%s to %s) do not cover one whole month; use daily or "
                         "weekly steps"),
                   from, to);
      return NULL;
    }

  series = g_new0 (OrdSeries, 1);
  series->measure = measure;
  series->interval = interval;
  series->first = start;
  series->closed_weekdays = closed_weekdays;
  series->last_day = max_day;
  series->n_other_currency = n_other;
  if (measure == ORD_MEASURE_REVENUE)
    memcpy (series->currency, currency, 4);
  switch (interval)
    {
    case ORD_INTERVAL_DAY:
      series->period = 7;
      break;
    case ORD_INTERVAL_WEEK:
      series->period = 52;
      break;
    case ORD_INTERVAL_MONTH:
    default:
      series->period = 12;
      break;
    }

  for (b = start; b < end; b = bucket_next (interval, b))
    series->n++;
  series->values = g_new0 (double, series->n);
  if (interval == ORD_INTERVAL_DAY)
    {
      series->closed = g_memdup2 (day_closed, sizeof (gboolean) * n_days);
      memcpy (series->values, day_values, sizeof (double) * n_days);
      for (i = 0; i < n_days; i++)
        series->n_closed += day_closed[i] ? 1 : 0;
      series->n_orders = n_orders;
    }
  else
    {
      gsize k = 0;

      for (b = start; b < end; b = bucket_next (interval, b), k++)
        {
          guint32 next = bucket_next (interval, b);

          for (guint32 d = MAX (b, min_day); d < next && d <= max_day; d++)
            {
              series->values[k] += day_values[d - min_day];
              if (measure == ORD_MEASURE_ORDERS)
                series->n_orders += (gsize) day_values[d - min_day];
            }
        }
      if (measure == ORD_MEASURE_REVENUE)
        {
          /* Orders counted: those whose day falls in a whole bucket */
          for (i = 0; i < rows->len; i++)
            {
              const SeriesRow *row = &g_array_index (rows, SeriesRow, i);

              if (!row->cancelled && row->day >= start && row->day < end &&
                  strcmp (row->currency, currency) == 0)
                series->n_orders++;
            }
        }
    }

  return series;
}

/**
 * ord_series_step_start:
 * @series: a series
 * @i: a step, possibly beyond the end (a forecast's)
 *
 * Returns: the Julian day (#GDate) on which step @i starts
 */
guint32
ord_series_step_start (const OrdSeries *series,
                       gsize            i)
{
  GDate date;

  g_return_val_if_fail (series != NULL, 0);

  switch (series->interval)
    {
    case ORD_INTERVAL_DAY:
      return series->first + (guint32) i;
    case ORD_INTERVAL_WEEK:
      return series->first + 7 * (guint32) i;
    case ORD_INTERVAL_MONTH:
    default:
      g_date_clear (&date, 1);
      g_date_set_julian (&date, series->first);
      g_date_add_months (&date, (guint) i);
      return g_date_get_julian (&date);
    }
}

/**
 * ord_series_closed_ahead:
 * @series: a daily series
 * @horizon: days to forecast
 *
 * The closed flags ord_forecast_auto() takes: the history's, then for each
 * day ahead whether it falls on a closed weekday.
 *
 * Returns: (transfer full) (nullable): `n + horizon` flags, or %NULL for
 *   weekly and monthly series
 */
gboolean *
ord_series_closed_ahead (const OrdSeries *series,
                         guint            horizon)
{
  gboolean *closed;

  g_return_val_if_fail (series != NULL, NULL);

  if (series->closed == NULL)
    return NULL;

  closed = g_new0 (gboolean, series->n + horizon);
  memcpy (closed, series->closed, sizeof (gboolean) * series->n);
  for (guint h = 0; h < horizon; h++)
    closed[series->n + h] =
      (series->closed_weekdays & (1u << julian_weekday (series->first + series->n + h))) != 0;

  return closed;
}

/**
 * ord_series_free:
 * @series: (nullable): a series
 */
void
ord_series_free (OrdSeries *series)
{
  if (series == NULL)
    return;
  g_free (series->values);
  g_free (series->closed);
  g_free (series);
}

/* ------------------------------------------------------------------ */
/* Forecast with its model                                            */

/**
 * ord_series_forecast:
 * @y: (array length=n): the series, oldest first
 * @n: its length
 * @period: its seasonal period
 * @closed: (array) (nullable): `n + horizon` closed flags, as
 *   ord_forecast_auto() takes them
 * @horizon: steps ahead
 * @levels: (array length=n_levels) (nullable): interval levels in percent
 * @n_levels: their number
 * @error: return location for a #GError
 *
 * ord_forecast_auto(), and for people who want to know how: the ETS model
 * it chose, fitted again with the same form on the same (open-day) data,
 * so that its parameters and AICc can be shown.
 *
 * Returns: (transfer full): the forecast and its model, or %NULL
 */
OrdSeriesForecast *
ord_series_forecast (const double   *y,
                     gsize           n,
                     guint           period,
                     const gboolean *closed,
                     guint           horizon,
                     const double   *levels,
                     guint           n_levels,
                     GError        **error)
{
  g_autoptr(OrdForecast) fc = NULL;
  g_autofree double *open = NULL;
  g_autoptr(GError) local = NULL;
  OrdSeriesForecast *result;
  OrdEtsSpec spec;
  const char *method;
  gboolean constant = TRUE;
  gsize n_open, i;
  guint open_period;

  g_return_val_if_fail (y != NULL || n == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!ord_forecast_auto (y, n, period, closed, horizon, levels, n_levels, &fc, error))
    return NULL;

  open = g_new (double, MAX (n, 1));
  n_open = ord_open_days (y, n, period, closed, open, NULL, &open_period);
  for (i = 1; i < n_open; i++)
    if (open[i] != open[0])
      constant = FALSE;

  result = g_new0 (OrdSeriesForecast, 1);
  result->n_used = n_open;
  result->period_used = open_period;

  method = fc->method != NULL ? fc->method : "";
  if (g_str_has_prefix (method, "STL + ") && ord_ets_spec_parse (method + 6, &spec))
    {
      g_autoptr(OrdStl) stl = NULL;

      if (ord_stl_decompose (open, n_open, open_period, NULL, &stl, &local))
        {
          g_autofree double *adjusted = g_new (double, n_open);

          for (i = 0; i < n_open; i++)
            adjusted[i] = open[i] - stl->seasonal[i];
          ord_ets_fit (adjusted, n_open, 1, &spec, &result->model, &local);
        }
    }
  else if (g_str_has_prefix (method, "ETS(") && ord_ets_spec_parse (method, &spec) && !constant)
    {
      ord_ets_fit (open, n_open, open_period > 24 ? 1 : open_period, &spec, &result->model,
                   &local);
    }
  if (local != NULL)
    g_debug ("Could not refit %s for its parameters: %s", method, local->message);

  result->forecast = g_steal_pointer (&fc);
  return result;
}

/**
 * ord_series_forecast_free:
 * @forecast: (nullable): a forecast
 */
void
ord_series_forecast_free (OrdSeriesForecast *forecast)
{
  if (forecast == NULL)
    return;
  ord_forecast_free (forecast->forecast);
  ord_ets_model_free (forecast->model);
  g_free (forecast);
}

/* ------------------------------------------------------------------ */
/* RFM                                                                */

/**
 * ord_rfm_from_store:
 * @store: a store
 * @tz: (nullable): the time zone whose calendar days count; %NULL for local time
 * @error: return location for a #GError
 *
 * Recency (whole days from a customer's last order to the last order of
 * anyone), frequency (orders) and monetary value (sum of totals in the
 * main currency) of every customer, from the orders that were neither
 * cancelled nor deleted. The "walk-in" customer an import makes for lines
 * without a customer (external reference ending in “:walk-in”) is left
 * out: its orders are many people's.
 *
 * Returns: (transfer full): the table, or %NULL with @error set
 */
OrdRfmTable *
ord_rfm_from_store (OrdStore   *store,
                    GTimeZone  *tz,
                    GError    **error)
{
  g_autoptr(GTimeZone) local_tz = NULL;
  g_autoptr(GHashTable) currencies = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GArray) last_days = NULL;
  g_autoptr(GArray) frequency = NULL;
  g_autoptr(GArray) monetary = NULL;
  g_autoptr(GArray) order_customer = NULL;
  g_autoptr(GArray) order_total = NULL;
  g_autoptr(GPtrArray) order_currency = NULL;
  g_autoptr(GHashTable) left_out = NULL;
  OrdRfmTable *table;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  guint32 last_day = 0;
  char currency[4];
  int rc;
  guint i;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (tz == NULL)
    tz = local_tz = g_time_zone_new_local ();

  currencies = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  ids = g_ptr_array_new_with_free_func (g_free);
  names = g_ptr_array_new_with_free_func (g_free);
  last_days = g_array_new (FALSE, TRUE, sizeof (guint32));
  frequency = g_array_new (FALSE, TRUE, sizeof (double));
  order_customer = g_array_new (FALSE, FALSE, sizeof (guint));
  order_total = g_array_new (FALSE, FALSE, sizeof (gint64));
  order_currency = g_ptr_array_new_with_free_func (g_free);
  left_out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  ord_store_lock (store);
  db = ord_store_get_db (store);
  stmt = prepare (db,
                  "SELECT o.customer_id, coalesce (c.name, o.customer_name),"
                  "       coalesce (c.external_ref, ''), o.created_at, o.total, o.currency"
                  "  FROM orders o LEFT JOIN customers c ON c.id = o.customer_id"
                  " WHERE o.deleted = 0 AND o.status != 5"
                  " ORDER BY o.customer_id",
                  _("the customers’ orders"), error);
  if (stmt == NULL)
    {
      ord_store_unlock (store);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *id = column_text (stmt, 0);
      guint32 day = local_julian (tz, sqlite3_column_int64 (stmt, 3), NULL);
      gint64 total = sqlite3_column_int64 (stmt, 4);
      guint c;

      if (g_str_has_suffix (column_text (stmt, 2), ":walk-in"))
        {
          g_hash_table_add (left_out, g_strdup (id));
          continue;
        }
      if (ids->len == 0 || strcmp (g_ptr_array_index (ids, ids->len - 1), id) != 0)
        {
          guint32 zero = 0;
          double none = 0;

          g_ptr_array_add (ids, g_strdup (id));
          g_ptr_array_add (names, g_strdup (column_text (stmt, 1)));
          g_array_append_val (last_days, zero);
          g_array_append_val (frequency, none);
        }
      c = ids->len - 1;
      g_array_index (last_days, guint32, c) = MAX (g_array_index (last_days, guint32, c), day);
      g_array_index (frequency, double, c) += 1;
      last_day = MAX (last_day, day);
      count_key (currencies, column_text (stmt, 5));
      g_array_append_val (order_customer, c);
      g_array_append_val (order_total, total);
      g_ptr_array_add (order_currency, g_strdup (column_text (stmt, 5)));
    }
  if (step_failed (db, rc, _("the customers’ orders"), error))
    {
      sqlite3_finalize (stmt);
      ord_store_unlock (store);
      return NULL;
    }
  sqlite3_finalize (stmt);
  ord_store_unlock (store);

  if (ids->len == 0)
    {
      g_set_error_literal (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA,
                           _("No customer has an order that was not cancelled yet"));
      return NULL;
    }

  main_currency (currencies, currency);
  monetary = g_array_new (FALSE, TRUE, sizeof (double));
  g_array_set_size (monetary, ids->len);
  for (i = 0; i < order_customer->len; i++)
    if (strcmp (g_ptr_array_index (order_currency, i), currency) == 0)
      g_array_index (monetary, double, g_array_index (order_customer, guint, i)) +=
        (double) MAX (g_array_index (order_total, gint64, i), 0);

  table = g_new0 (OrdRfmTable, 1);
  table->n = ids->len;
  table->last_day = last_day;
  table->n_left_out = g_hash_table_size (left_out);
  memcpy (table->currency, currency, 4);
  table->recency = g_new (double, table->n);
  for (i = 0; i < table->n; i++)
    table->recency[i] = (double) (last_day - g_array_index (last_days, guint32, i));
  table->frequency = g_memdup2 (frequency->data, sizeof (double) * table->n);
  table->monetary = g_memdup2 (monetary->data, sizeof (double) * table->n);
  g_ptr_array_add (ids, NULL);
  g_ptr_array_add (names, NULL);
  table->customer_ids = (char **) g_ptr_array_free (g_steal_pointer (&ids), FALSE);
  table->names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);

  return table;
}

/**
 * ord_rfm_table_free:
 * @table: (nullable): a table
 */
void
ord_rfm_table_free (OrdRfmTable *table)
{
  if (table == NULL)
    return;
  g_strfreev (table->customer_ids);
  g_strfreev (table->names);
  g_free (table->recency);
  g_free (table->frequency);
  g_free (table->monetary);
  g_free (table);
}

/* ------------------------------------------------------------------ */
/* Risk features                                                      */

typedef struct
{
  gint64     seq;
  gint64     created_at;
  double     x[ORD_RISK_N_FEATURES];
  char      *id;
  char      *number;
  char      *customer;
  gint64     total;
  char      *currency;
  OrdStatus  status;
} RiskRow;

static void
risk_row_clear (gpointer data)
{
  RiskRow *row = data;

  g_free (row->id);
  g_free (row->number);
  g_free (row->customer);
  g_free (row->currency);
}

static int
compare_risk_rows (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  const RiskRow *ra = *(RiskRow * const *) a, *rb = *(RiskRow * const *) b;

  if (ra->created_at != rb->created_at)
    return ra->created_at < rb->created_at ? -1 : 1;
  return (ra->seq > rb->seq) - (ra->seq < rb->seq);
}

static OrdRiskRows *
risk_rows_new (GPtrArray *rows,
               gboolean   labelled)
{
  OrdRiskRows *out = g_new0 (OrdRiskRows, 1);
  gsize n = rows->len, i;

  out->n = n;
  out->p = ORD_RISK_N_FEATURES;
  out->x = g_new (double, MAX (n, 1) * ORD_RISK_N_FEATURES);
  out->y = labelled ? g_new (double, MAX (n, 1)) : NULL;
  out->created_at = g_new (gint64, MAX (n, 1));
  out->order_ids = g_new0 (char *, n + 1);
  out->numbers = g_new0 (char *, n + 1);
  out->customer_names = g_new0 (char *, n + 1);
  out->totals = g_new (gint64, MAX (n, 1));
  out->currencies = g_new0 (char *, n + 1);
  out->statuses = g_new (OrdStatus, MAX (n, 1));

  for (i = 0; i < n; i++)
    {
      RiskRow *row = g_ptr_array_index (rows, i);

      memcpy (out->x + i * ORD_RISK_N_FEATURES, row->x, sizeof row->x);
      if (labelled)
        out->y[i] = row->status == ORD_STATUS_CANCELLED ? 1.0 : 0.0;
      out->created_at[i] = row->created_at;
      out->order_ids[i] = g_strdup (row->id);
      out->numbers[i] = g_strdup (row->number);
      out->customer_names[i] = g_strdup (row->customer);
      out->totals[i] = row->total;
      out->currencies[i] = g_strdup (row->currency);
      out->statuses[i] = row->status;
    }

  return out;
}

/**
 * ord_risk_rows_from_store:
 * @store: a store
 * @tz: (nullable): the time zone of weekdays and hours; %NULL for local time
 * @history: (out) (optional) (transfer full): finished orders (delivered
 *   or cancelled), oldest first, with their labels
 * @open: (out) (optional) (transfer full): orders that can still be
 *   cancelled (pending, confirmed, preparing), oldest first
 * @error: return location for a #GError
 *
 * The risk features of every order that is not deleted (see
 * #OrdRiskFeature). A customer's past cancellations are those cancelled
 * before the order was placed (the time of the "cancelled" entry of their
 * timeline), so that no row knows its future.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_risk_rows_from_store (OrdStore     *store,
                          GTimeZone    *tz,
                          OrdRiskRows **history,
                          OrdRiskRows **open,
                          GError      **error)
{
  g_autoptr(GTimeZone) local_tz = NULL;
  g_autoptr(GArray) rows = NULL;
  g_autoptr(GArray) cancel_times = NULL;
  g_autoptr(GPtrArray) finished = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *customer = NULL;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gsize past = 0;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (store), FALSE);
  g_return_val_if_fail (history == NULL || *history == NULL, FALSE);
  g_return_val_if_fail (open == NULL || *open == NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (tz == NULL)
    tz = local_tz = g_time_zone_new_local ();

  rows = g_array_new (FALSE, TRUE, sizeof (RiskRow));
  g_array_set_clear_func (rows, risk_row_clear);
  cancel_times = g_array_new (FALSE, FALSE, sizeof (gint64));

  ord_store_lock (store);
  db = ord_store_get_db (store);
  stmt = prepare (db,
                  "SELECT o.seq, o.id, o.number, o.customer_id, o.customer_name, o.status,"
                  "       o.created_at, o.due_at, o.total, o.currency, o.item_count,"
                  "       (SELECT count(*) FROM order_events e"
                  "         WHERE e.order_id = o.id AND e.kind = 'edited'),"
                  "       (SELECT min (e.at) FROM order_events e"
                  "         WHERE e.order_id = o.id AND e.kind = 'cancelled'),"
                  "       o.updated_at"
                  "  FROM orders o WHERE o.deleted = 0"
                  " ORDER BY o.customer_id, o.created_at, o.seq",
                  _("the orders"), error);
  if (stmt == NULL)
    {
      ord_store_unlock (store);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      RiskRow row = { 0, };
      const char *customer_id = column_text (stmt, 3);
      gint64 due = sqlite3_column_int64 (stmt, 7);
      gint64 edits = sqlite3_column_int64 (stmt, 11);
      const char *currency = column_text (stmt, 9);
      guint digits = ord_currency_is_valid (currency) ? ord_currency_get_digits (currency) : 2;
      gsize cancelled_before = 0, k;
      gint seconds;
      GDateWeekday weekday;
      double *x = row.x;

      row.seq = sqlite3_column_int64 (stmt, 0);
      row.id = g_strdup (column_text (stmt, 1));
      row.number = g_strdup (column_text (stmt, 2));
      row.customer = g_strdup (column_text (stmt, 4));
      row.status = (OrdStatus) CLAMP (sqlite3_column_int (stmt, 5), 0, ORD_N_STATUSES - 1);
      row.created_at = sqlite3_column_int64 (stmt, 6);
      row.total = sqlite3_column_int64 (stmt, 8);
      row.currency = g_strdup (currency);

      if (customer == NULL || strcmp (customer, customer_id) != 0)
        {
          g_free (customer);
          customer = g_strdup (customer_id);
          past = 0;
          g_array_set_size (cancel_times, 0);
        }
      for (k = 0; k < cancel_times->len; k++)
        if (g_array_index (cancel_times, gint64, k) < row.created_at)
          cancelled_before++;

      x[ORD_RISK_LEAD_DAYS] = due > 0 ? MAX (0.0, (double) (due - row.created_at) /
                                                  (86400.0 * G_USEC_PER_SEC))
                                      : 0.0;
      x[ORD_RISK_NO_DUE_DATE] = due > 0 ? 0.0 : 1.0;
      x[ORD_RISK_LOG_VALUE] = log1p ((double) MAX (row.total, 0) / pow (10, digits));
      x[ORD_RISK_LOG_ITEMS] = log1p ((double) MAX (sqlite3_column_int64 (stmt, 10), 0));
      x[ORD_RISK_PAST_ORDERS] = (double) past;
      x[ORD_RISK_PAST_CANCELLATIONS] = (double) cancelled_before;
      x[ORD_RISK_PAST_CANCEL_RATE] = past > 0 ? (double) cancelled_before / past : 0.0;
      x[ORD_RISK_EDITS] = (double) edits;
      weekday = julian_weekday (local_julian (tz, row.created_at, &seconds));
      x[ORD_RISK_MONDAY + (weekday - G_DATE_MONDAY)] = 1.0;
      x[ORD_RISK_NIGHT + MIN (seconds / (6 * 3600), 3)] = 1.0;

      if (row.status == ORD_STATUS_CANCELLED)
        {
          gint64 at = sqlite3_column_type (stmt, 12) == SQLITE_NULL
                        ? sqlite3_column_int64 (stmt, 13)
                        : sqlite3_column_int64 (stmt, 12);

          g_array_append_val (cancel_times, at);
        }
      past++;
      g_array_append_val (rows, row);
    }
  if (step_failed (db, rc, _("the orders"), error))
    {
      sqlite3_finalize (stmt);
      ord_store_unlock (store);
      return FALSE;
    }
  sqlite3_finalize (stmt);
  ord_store_unlock (store);

  finished = g_ptr_array_new ();
  pending = g_ptr_array_new ();
  for (guint i = 0; i < rows->len; i++)
    {
      RiskRow *row = &g_array_index (rows, RiskRow, i);

      if (row->status == ORD_STATUS_DELIVERED || row->status == ORD_STATUS_CANCELLED)
        g_ptr_array_add (finished, row);
      else if (row->status != ORD_STATUS_SHIPPED)
        g_ptr_array_add (pending, row);
    }
  g_ptr_array_sort_with_data (finished, compare_risk_rows, NULL);
  g_ptr_array_sort_with_data (pending, compare_risk_rows, NULL);

  if (history != NULL)
    *history = risk_rows_new (finished, TRUE);
  if (open != NULL)
    *open = risk_rows_new (pending, FALSE);

  return TRUE;
}

/**
 * ord_risk_rows_free:
 * @rows: (nullable): rows
 */
void
ord_risk_rows_free (OrdRiskRows *rows)
{
  if (rows == NULL)
    return;
  g_free (rows->x);
  g_free (rows->y);
  g_free (rows->created_at);
  g_strfreev (rows->order_ids);
  g_strfreev (rows->numbers);
  g_strfreev (rows->customer_names);
  g_free (rows->totals);
  g_strfreev (rows->currencies);
  g_free (rows->statuses);
  g_free (rows);
}

/* ------------------------------------------------------------------ */
/* Risk model                                                         */

static OrdLogReg *
fit_standardised (const double     *x,
                  const double     *y,
                  gsize             n,
                  OrdStandardizer **scaler,
                  GError          **error)
{
  g_autofree double *z = g_new (double, MAX (n, 1) * ORD_RISK_N_FEATURES);
  OrdLogRegOptions options;

  *scaler = ord_standardizer_fit (x, n, ORD_RISK_N_FEATURES);
  ord_standardizer_transform (*scaler, x, n, z);
  ord_logreg_options_init (&options);

  return ord_logreg_fit (z, y, NULL, n, ORD_RISK_N_FEATURES, &options, error);
}

static gboolean
has_both_classes (const double *y,
                  gsize         n)
{
  gboolean zero = FALSE, one = FALSE;

  for (gsize i = 0; i < n; i++)
    {
      if (y[i] > 0.5)
        one = TRUE;
      else
        zero = TRUE;
    }
  return zero && one;
}

/**
 * ord_risk_model_train:
 * @history: finished orders, oldest first (ord_risk_rows_from_store())
 * @holdout: share of the most recent orders kept out to measure the model
 *   (0 < @holdout < 1; 0 for the default, 0.2)
 * @now: the training time to record (µs since the epoch)
 * @error: return location for a #GError
 *
 * Fits the L2-regularised logistic regression (scikit-learn's defaults,
 * C = 1, on standardised features) on the older orders, measures it on
 * the most recent ones (ROC AUC, Brier score, a calibration table by
 * deciles), then fits it again on all the orders: that last model is the
 * one kept, the hold-out figures say how well the method does on orders
 * it has not seen.
 *
 * Returns: (transfer full): the model, or %NULL when there are fewer than
 *   20 finished orders or only one outcome
 */
OrdRiskModel *
ord_risk_model_train (const OrdRiskRows *history,
                      double             holdout,
                      gint64             now,
                      GError           **error)
{
  g_autoptr(OrdRiskModel) model = NULL;
  g_autoptr(OrdLogReg) train_model = NULL;
  g_autoptr(OrdStandardizer) train_scaler = NULL;
  gsize n, n_test, n_train, n_cancelled = 0, i;

  g_return_val_if_fail (history != NULL, NULL);
  g_return_val_if_fail (history->y != NULL, NULL);
  g_return_val_if_fail (history->p == ORD_RISK_N_FEATURES, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (holdout <= 0 || holdout >= 1)
    holdout = RISK_DEFAULT_HOLDOUT;

  n = history->n;
  for (i = 0; i < n; i++)
    n_cancelled += history->y[i] > 0.5;
  if (n < RISK_MIN_HISTORY || n_cancelled == 0 || n_cancelled == n)
    {
      g_set_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_NO_DATA,
                   _("Cancellation risk learns from finished orders: it needs at least %d, "
                     "some delivered and some cancelled, and there are %" G_GSIZE_FORMAT
                     " (%" G_GSIZE_FORMAT " cancelled)"),
                   RISK_MIN_HISTORY, n, n_cancelled);
      return NULL;
    }

  n_test = (gsize) floor (n * holdout);
  n_train = n - n_test;
  if (!has_both_classes (history->y, n_train))
    {
      /* The older part alone cannot be fitted: no hold-out figures */
      n_train = n;
      n_test = 0;
    }

  model = g_new0 (OrdRiskModel, 1);
  model->trained_at = now;
  model->n_history = n;
  model->n_cancelled = n_cancelled;
  model->n_train = n_train;
  model->n_test = n_test;
  model->auc = NAN;
  model->brier = NAN;

  if (n_test > 0)
    {
      g_autofree double *z = g_new (double, n_test * ORD_RISK_N_FEATURES);
      g_autofree double *proba = g_new (double, n_test);
      const double *x_test = history->x + n_train * ORD_RISK_N_FEATURES;
      const double *y_test = history->y + n_train;

      train_model = fit_standardised (history->x, history->y, n_train, &train_scaler, error);
      if (train_model == NULL)
        return NULL;
      ord_standardizer_transform (train_scaler, x_test, n_test, z);
      ord_logreg_predict_proba_many (train_model, z, n_test, proba);
      model->auc = ord_roc_auc (proba, y_test, n_test);
      model->brier = ord_brier_score (proba, y_test, n_test);
      model->n_bins = ord_calibration_table (proba, y_test, n_test,
                                             G_N_ELEMENTS (model->calibration),
                                             model->calibration);
    }

  model->model = fit_standardised (history->x, history->y, n, &model->scaler, error);
  if (model->model == NULL)
    return NULL;

  return g_steal_pointer (&model);
}

/**
 * ord_risk_model_is_stale:
 * @model: a stored model
 * @n_history: finished orders in the store now
 *
 * Returns: %TRUE when the history has grown enough since @model was
 *   trained that it should be trained again: by a tenth, and at least 20
 *   orders
 */
gboolean
ord_risk_model_is_stale (const OrdRiskModel *model,
                         gsize               n_history)
{
  g_return_val_if_fail (model != NULL, TRUE);

  return n_history >= model->n_history + MAX ((gsize) RISK_MIN_HISTORY, model->n_history / 10);
}

static gboolean
bind_real_or_null (sqlite3_stmt *stmt,
                   int           col,
                   double        value)
{
  if (isfinite (value))
    return sqlite3_bind_double (stmt, col, value) == SQLITE_OK;
  return sqlite3_bind_null (stmt, col) == SQLITE_OK;
}

static gboolean
save_in_transaction (OrdStore  *store,
                     gpointer   user_data,
                     GError   **error)
{
  const OrdRiskModel *model = user_data;
  sqlite3 *db = ord_store_get_db (store);
  sqlite3_stmt *stmt = NULL;
  gint64 id;
  guint j;

  if (!ord_store_exec (db,
                       "DELETE FROM risk_model_calibration;"
                       "DELETE FROM risk_model_features;"
                       "DELETE FROM risk_models;",
                       error))
    return FALSE;

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO risk_models (trained_at, n_history, n_cancelled, n_train,"
                          "  n_test, auc, brier, intercept) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, model->trained_at);
  sqlite3_bind_int64 (stmt, 2, (gint64) model->n_history);
  sqlite3_bind_int64 (stmt, 3, (gint64) model->n_cancelled);
  sqlite3_bind_int64 (stmt, 4, (gint64) model->n_train);
  sqlite3_bind_int64 (stmt, 5, (gint64) model->n_test);
  bind_real_or_null (stmt, 6, model->auc);
  bind_real_or_null (stmt, 7, model->brier);
  sqlite3_bind_double (stmt, 8, model->model->intercept);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    goto failed;
  sqlite3_finalize (stmt);
  stmt = NULL;
  id = sqlite3_last_insert_rowid (db);

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO risk_model_features (model_id, position, name, coef,"
                          "  mean, scale) VALUES (?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  for (j = 0; j < ORD_RISK_N_FEATURES; j++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, (int) j);
      sqlite3_bind_text (stmt, 3, risk_feature_names[j], -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 4, model->model->coef[j]);
      sqlite3_bind_double (stmt, 5, model->scaler->mean[j]);
      sqlite3_bind_double (stmt, 6, model->scaler->scale[j]);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto failed;
    }
  sqlite3_finalize (stmt);
  stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "INSERT INTO risk_model_calibration (model_id, bin, n, min_predicted,"
                          "  max_predicted, mean_predicted, observed_rate)"
                          "  VALUES (?, ?, ?, ?, ?, ?, ?)",
                          -1, &stmt, NULL) != SQLITE_OK)
    goto failed;
  for (j = 0; j < model->n_bins; j++)
    {
      const OrdCalibrationBin *bin = &model->calibration[j];

      sqlite3_reset (stmt);
      sqlite3_bind_int64 (stmt, 1, id);
      sqlite3_bind_int (stmt, 2, (int) j);
      sqlite3_bind_int64 (stmt, 3, (gint64) bin->n);
      sqlite3_bind_double (stmt, 4, bin->min_predicted);
      sqlite3_bind_double (stmt, 5, bin->max_predicted);
      sqlite3_bind_double (stmt, 6, bin->mean_predicted);
      sqlite3_bind_double (stmt, 7, bin->observed_rate);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        goto failed;
    }
  sqlite3_finalize (stmt);

  return TRUE;

failed:
  g_set_error (error, ORD_ANALYTICS_ERROR, ORD_ANALYTICS_ERROR_SQLITE,
               _("Could not save the cancellation-risk model: %s"), sqlite3_errmsg (db));
  sqlite3_finalize (stmt);
  return FALSE;
}

/**
 * ord_risk_model_save:
 * @store: a store
 * @model: a trained model
 * @error: return location for a #GError
 *
 * Replaces the stored model with @model (its numbers: coefficients,
 * feature means and scales, hold-out figures), in one transaction.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_risk_model_save (OrdStore           *store,
                     const OrdRiskModel *model,
                     GError            **error)
{
  g_return_val_if_fail (ORD_IS_STORE (store), FALSE);
  g_return_val_if_fail (model != NULL && model->model != NULL && model->scaler != NULL, FALSE);
  g_return_val_if_fail (model->model->n_features == ORD_RISK_N_FEATURES, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ord_store_transaction (store, save_in_transaction, (gpointer) model, error);
}

static double
column_real_or_nan (sqlite3_stmt *stmt,
                    int           col)
{
  if (sqlite3_column_type (stmt, col) == SQLITE_NULL)
    return NAN;
  return sqlite3_column_double (stmt, col);
}

/**
 * ord_risk_model_load:
 * @store: a store
 * @error: return location for a #GError
 *
 * Reads the stored model. A model stored for other features (by another
 * version of Orderly) counts as none.
 *
 * Returns: (transfer full) (nullable): the model, or %NULL without one
 *   (@error unset) or on a database error (@error set)
 */
OrdRiskModel *
ord_risk_model_load (OrdStore  *store,
                     GError   **error)
{
  g_autoptr(OrdRiskModel) model = NULL;
  double coef[ORD_RISK_N_FEATURES], mean[ORD_RISK_N_FEATURES], scale[ORD_RISK_N_FEATURES];
  guint seen = 0;
  double intercept;
  gint64 id;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  ord_store_lock (store);
  db = ord_store_get_db (store);
  stmt = prepare (db,
                  "SELECT id, trained_at, n_history, n_cancelled, n_train, n_test, auc, brier,"
                  "       intercept FROM risk_models ORDER BY id DESC LIMIT 1",
                  _("the cancellation-risk model"), error);
  if (stmt == NULL)
    goto out;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      step_failed (db, rc, _("the cancellation-risk model"), error);
      goto out;
    }
  model = g_new0 (OrdRiskModel, 1);
  id = sqlite3_column_int64 (stmt, 0);
  model->trained_at = sqlite3_column_int64 (stmt, 1);
  model->n_history = (gsize) sqlite3_column_int64 (stmt, 2);
  model->n_cancelled = (gsize) sqlite3_column_int64 (stmt, 3);
  model->n_train = (gsize) sqlite3_column_int64 (stmt, 4);
  model->n_test = (gsize) sqlite3_column_int64 (stmt, 5);
  model->auc = column_real_or_nan (stmt, 6);
  model->brier = column_real_or_nan (stmt, 7);
  intercept = sqlite3_column_double (stmt, 8);
  sqlite3_finalize (stmt);

  stmt = prepare (db,
                  "SELECT position, name, coef, mean, scale FROM risk_model_features"
                  " WHERE model_id = ? ORDER BY position",
                  _("the cancellation-risk model"), error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int position = sqlite3_column_int (stmt, 0);

      if (position != (int) seen || seen >= ORD_RISK_N_FEATURES ||
          g_strcmp0 (column_text (stmt, 1), risk_feature_names[seen]) != 0)
        {
          g_debug ("The stored risk model has other features; it is ignored");
          goto failed;
        }
      coef[seen] = sqlite3_column_double (stmt, 2);
      mean[seen] = sqlite3_column_double (stmt, 3);
      scale[seen] = sqlite3_column_double (stmt, 4);
      seen++;
    }
  if (step_failed (db, rc, _("the cancellation-risk model"), error) ||
      seen != ORD_RISK_N_FEATURES)
    goto failed;
  sqlite3_finalize (stmt);

  model->model = ord_logreg_new (ORD_RISK_N_FEATURES, coef, intercept);
  model->model->converged = TRUE;
  model->scaler = g_new0 (OrdStandardizer, 1);
  model->scaler->n_features = ORD_RISK_N_FEATURES;
  model->scaler->mean = g_memdup2 (mean, sizeof mean);
  model->scaler->scale = g_memdup2 (scale, sizeof scale);

  stmt = prepare (db,
                  "SELECT n, min_predicted, max_predicted, mean_predicted, observed_rate"
                  "  FROM risk_model_calibration WHERE model_id = ? ORDER BY bin",
                  _("the cancellation-risk model"), error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_int64 (stmt, 1, id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW &&
         model->n_bins < G_N_ELEMENTS (model->calibration))
    {
      OrdCalibrationBin *bin = &model->calibration[model->n_bins++];

      bin->n = (gsize) sqlite3_column_int64 (stmt, 0);
      bin->min_predicted = sqlite3_column_double (stmt, 1);
      bin->max_predicted = sqlite3_column_double (stmt, 2);
      bin->mean_predicted = sqlite3_column_double (stmt, 3);
      bin->observed_rate = sqlite3_column_double (stmt, 4);
    }
  if (rc != SQLITE_ROW && step_failed (db, rc, _("the cancellation-risk model"), error))
    goto failed;
  sqlite3_finalize (stmt);
  ord_store_unlock (store);

  return g_steal_pointer (&model);

failed:
  g_clear_pointer (&model, ord_risk_model_free);
out:
  sqlite3_finalize (stmt);
  ord_store_unlock (store);
  return NULL;
}

/**
 * ord_risk_model_ensure:
 * @store: a store
 * @history: the finished orders now (ord_risk_rows_from_store())
 * @force: train a new model even when the stored one is fresh
 * @retrained: (out) (optional): whether a new model was trained (and saved)
 * @error: return location for a #GError
 *
 * The stored model, or a new one, trained and saved, when there is none,
 * when @force is set, or when the history has grown since
 * (ord_risk_model_is_stale()).
 *
 * Returns: (transfer full): the model, or %NULL with @error set
 */
OrdRiskModel *
ord_risk_model_ensure (OrdStore          *store,
                       const OrdRiskRows *history,
                       gboolean           force,
                       gboolean          *retrained,
                       GError           **error)
{
  g_autoptr(OrdRiskModel) model = NULL;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (history != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (retrained != NULL)
    *retrained = FALSE;

  if (!force)
    {
      GError *local = NULL;

      model = ord_risk_model_load (store, &local);
      if (local != NULL)
        {
          g_propagate_error (error, local);
          return NULL;
        }
      if (model != NULL && !ord_risk_model_is_stale (model, history->n))
        return g_steal_pointer (&model);
      g_clear_pointer (&model, ord_risk_model_free);
    }

  model = ord_risk_model_train (history, 0, ord_store_get_now (store), error);
  if (model == NULL || !ord_risk_model_save (store, model, error))
    return NULL;
  if (retrained != NULL)
    *retrained = TRUE;

  return g_steal_pointer (&model);
}

/**
 * ord_risk_model_score:
 * @model: a model
 * @row: (array): an order's features (#OrdRiskFeature order, not standardised)
 *
 * Returns: the probability that the order will be cancelled
 */
double
ord_risk_model_score (const OrdRiskModel *model,
                      const double       *row)
{
  double z[ORD_RISK_N_FEATURES];

  g_return_val_if_fail (model != NULL && row != NULL, NAN);

  ord_standardizer_transform (model->scaler, row, 1, z);
  return ord_logreg_predict_proba (model->model, z);
}

static int
compare_reasons (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const OrdRiskReason *ra = a, *rb = b;
  double fa = fabs (ra->contribution), fb = fabs (rb->contribution);

  if (fa != fb)
    return fa > fb ? -1 : 1;
  return (ra->feature > rb->feature) - (ra->feature < rb->feature);
}

/**
 * ord_risk_model_explain:
 * @model: a model
 * @row: (array): an order's features, not standardised
 * @n_top: how many reasons to return at most
 * @out: (out caller-allocates) (array length=n_top): the reasons
 *
 * Why an order scores as it does: each feature's term `coef × z` of the
 * log-odds, largest in absolute value first. Features that say one thing
 * are summed: the lead time with whether there is a due date, the past
 * cancellations with their rate, the weekday and the time of day over
 * their one-hot groups.
 *
 * Returns: the number of reasons written
 */
guint
ord_risk_model_explain (const OrdRiskModel *model,
                        const double       *row,
                        guint               n_top,
                        OrdRiskReason      *out)
{
  double z[ORD_RISK_N_FEATURES];
  OrdRiskReason all[ORD_RISK_N_FEATURES];
  guint n = 0, j;

  g_return_val_if_fail (model != NULL && row != NULL, 0);
  g_return_val_if_fail (out != NULL || n_top == 0, 0);

  ord_standardizer_transform (model->scaler, row, 1, z);
  for (j = 0; j < ORD_RISK_N_FEATURES; j++)
    {
      double term = model->model->coef[j] * z[j];
      OrdRiskFeature group = (OrdRiskFeature) j;

      if (j == ORD_RISK_NO_DUE_DATE)
        group = ORD_RISK_LEAD_DAYS;
      else if (j == ORD_RISK_PAST_CANCEL_RATE)
        group = ORD_RISK_PAST_CANCELLATIONS;
      else if (j >= ORD_RISK_MONDAY && j <= ORD_RISK_SUNDAY)
        group = ORD_RISK_MONDAY;
      else if (j >= ORD_RISK_NIGHT)
        group = ORD_RISK_NIGHT;

      if (n > 0 && all[n - 1].feature == group)
        all[n - 1].contribution += term;
      else
        {
          all[n].feature = group;
          all[n].contribution = term;
          n++;
        }
    }
  g_qsort_with_data (all, (gint) n, sizeof (OrdRiskReason), compare_reasons, NULL);

  n = MIN (n, n_top);
  memcpy (out, all, sizeof (OrdRiskReason) * n);
  return n;
}

/**
 * ord_risk_reason_describe:
 * @reason: a reason from ord_risk_model_explain()
 * @row: (array): the order's features, not standardised
 * @currency: (nullable): the order's currency, for its value
 *
 * Says the order's value of the feature in words: “due in 45 days”,
 * “customer cancelled 2 of 3 earlier orders”, “placed on a Sunday”.
 *
 * Returns: (transfer full): the text
 */
char *
ord_risk_reason_describe (const OrdRiskReason *reason,
                          const double        *row,
                          const char          *currency)
{
  static const char *const weekdays[] = {
    N_("placed on a Monday"), N_("placed on a Tuesday"), N_("placed on a Wednesday"),
    N_("placed on a Thursday"), N_("placed on a Friday"), N_("placed on a Saturday"),
    N_("placed on a Sunday"),
  };
  static const char *const dayparts[] = {
    N_("placed at night (0–6 h)"), N_("placed in the morning (6–12 h)"),
    N_("placed in the afternoon (12–18 h)"), N_("placed in the evening (18–24 h)"),
  };
  double past = row[ORD_RISK_PAST_ORDERS];
  gulong k;

  g_return_val_if_fail (reason != NULL && row != NULL, NULL);

  switch (reason->feature)
    {
    case ORD_RISK_LEAD_DAYS:
    case ORD_RISK_NO_DUE_DATE:
      if (row[ORD_RISK_NO_DUE_DATE] > 0.5)
        return g_strdup (_("no due date"));
      if (row[ORD_RISK_LEAD_DAYS] < 1)
        return g_strdup (_("due within a day"));
      k = (gulong) floor (row[ORD_RISK_LEAD_DAYS] + 0.5);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "due in %lu day", "due in %lu days",
                                           k), k);

    case ORD_RISK_LOG_VALUE:
      {
        const char *code = currency != NULL && ord_currency_is_valid (currency) ? currency
                                                                               : "EUR";
        double major = expm1 (row[ORD_RISK_LOG_VALUE]);
        OrdMoney money = ord_money_init ((gint64) floor (major *
                                                         pow (10, ord_currency_get_digits (code))
                                                         + 0.5),
                                         code);
        g_autofree char *text = ord_money_format (&money);

        return g_strdup_printf (_("order value %s"), text);
      }

    case ORD_RISK_LOG_ITEMS:
      k = (gulong) floor (expm1 (row[ORD_RISK_LOG_ITEMS]) + 0.5);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lu line", "%lu lines", k), k);

    case ORD_RISK_PAST_ORDERS:
      if (past < 0.5)
        return g_strdup (_("first order from this customer"));
      k = (gulong) past;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "customer ordered %lu time before",
                                           "customer ordered %lu times before", k), k);

    case ORD_RISK_PAST_CANCELLATIONS:
    case ORD_RISK_PAST_CANCEL_RATE:
      if (past < 0.5)
        return g_strdup (_("no earlier orders to go by"));
      if (row[ORD_RISK_PAST_CANCELLATIONS] < 0.5)
        return g_strdup (_("customer never cancelled before"));
      k = (gulong) past;
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "customer cancelled %lu of %lu earlier order",
                                           "customer cancelled %lu of %lu earlier orders", k),
                              (gulong) row[ORD_RISK_PAST_CANCELLATIONS], k);

    case ORD_RISK_EDITS:
      if (row[ORD_RISK_EDITS] < 0.5)
        return g_strdup (_("never edited"));
      k = (gulong) row[ORD_RISK_EDITS];
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "edited %lu time",
                                           "edited %lu times", k), k);

    case ORD_RISK_MONDAY:
    case ORD_RISK_TUESDAY:
    case ORD_RISK_WEDNESDAY:
    case ORD_RISK_THURSDAY:
    case ORD_RISK_FRIDAY:
    case ORD_RISK_SATURDAY:
    case ORD_RISK_SUNDAY:
      for (guint d = 0; d < 7; d++)
        if (row[ORD_RISK_MONDAY + d] > 0.5)
          return g_strdup (_(weekdays[d]));
      return g_strdup (_("placed on an unknown day"));

    case ORD_RISK_NIGHT:
    case ORD_RISK_MORNING:
    case ORD_RISK_AFTERNOON:
    case ORD_RISK_EVENING:
      for (guint d = 0; d < 4; d++)
        if (row[ORD_RISK_NIGHT + d] > 0.5)
          return g_strdup (_(dayparts[d]));
      return g_strdup (_("placed at an unknown time"));

    case ORD_RISK_N_FEATURES:
    default:
      g_return_val_if_reached (NULL);
    }
}

/**
 * ord_risk_model_free:
 * @model: (nullable): a model
 */
void
ord_risk_model_free (OrdRiskModel *model)
{
  if (model == NULL)
    return;
  ord_logreg_free (model->model);
  ord_standardizer_free (model->scaler);
  g_free (model);
}

/* ------------------------------------------------------------------ */
/* Baskets                                                            */

static guint
intern_index (GHashTable *index,
              GPtrArray  *keys,
              const char *key,
              gboolean   *added)
{
  gpointer value;

  if (g_hash_table_lookup_extended (index, key, NULL, &value))
    {
      *added = FALSE;
      return GPOINTER_TO_UINT (value);
    }
  g_ptr_array_add (keys, g_strdup (key));
  g_hash_table_insert (index, g_strdup (key), GUINT_TO_POINTER (keys->len - 1));
  *added = TRUE;
  return keys->len - 1;
}

static char **
steal_strv (GPtrArray **array)
{
  g_ptr_array_add (*array, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (array), FALSE);
}

/**
 * ord_baskets_from_store:
 * @store: a store
 * @error: return location for a #GError
 *
 * The products of each order that was neither cancelled nor deleted, oldest
 * order first, each product once per basket. A line without a product is
 * known by its SKU; a line with neither is left out.
 *
 * Returns: (transfer full): the baskets, or %NULL with @error set
 */
OrdBaskets *
ord_baskets_from_store (OrdStore  *store,
                        GError   **error)
{
  g_autoptr(GHashTable) item_index = NULL;
  g_autoptr(GHashTable) customer_index = NULL;
  g_autoptr(GPtrArray) item_ids = NULL;
  g_autoptr(GPtrArray) item_skus = NULL;
  g_autoptr(GPtrArray) item_names = NULL;
  g_autoptr(GPtrArray) customer_ids = NULL;
  g_autoptr(GPtrArray) customer_names = NULL;
  g_autoptr(GPtrArray) order_ids = NULL;
  g_autoptr(GArray) basket_ptr = NULL;
  g_autoptr(GArray) items = NULL;
  g_autoptr(GArray) basket_customer = NULL;
  g_autoptr(GArray) last_basket = NULL;
  g_autofree char *order = NULL;
  OrdBaskets *baskets;
  sqlite3 *db;
  sqlite3_stmt *stmt;
  gsize zero = 0;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  item_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  customer_index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  item_ids = g_ptr_array_new_with_free_func (g_free);
  item_skus = g_ptr_array_new_with_free_func (g_free);
  item_names = g_ptr_array_new_with_free_func (g_free);
  customer_ids = g_ptr_array_new_with_free_func (g_free);
  customer_names = g_ptr_array_new_with_free_func (g_free);
  order_ids = g_ptr_array_new_with_free_func (g_free);
  basket_ptr = g_array_new (FALSE, FALSE, sizeof (gsize));
  items = g_array_new (FALSE, FALSE, sizeof (guint));
  basket_customer = g_array_new (FALSE, FALSE, sizeof (guint));
  last_basket = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_array_append_val (basket_ptr, zero);

  ord_store_lock (store);
  db = ord_store_get_db (store);
  stmt = prepare (db,
                  "SELECT o.id, o.customer_id, coalesce (c.name, o.customer_name),"
                  "       coalesce (i.product_id, 'sku:' || i.sku),"
                  "       coalesce (p.sku, i.sku, ''), coalesce (p.name, i.name)"
                  "  FROM orders o"
                  "  JOIN order_items i ON i.order_id = o.id"
                  "  LEFT JOIN products p ON p.id = i.product_id"
                  "  LEFT JOIN customers c ON c.id = o.customer_id"
                  " WHERE o.deleted = 0 AND o.status != 5"
                  "   AND (i.product_id IS NOT NULL OR coalesce (i.sku, '') != '')"
                  " ORDER BY o.created_at, o.seq, i.position",
                  _("the ordered products"), error);
  if (stmt == NULL)
    {
      ord_store_unlock (store);
      return NULL;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *order_id = column_text (stmt, 0);
      gboolean added;
      guint item;
      gsize basket;

      if (order == NULL || strcmp (order, order_id) != 0)
        {
          guint c = intern_index (customer_index, customer_ids, column_text (stmt, 1), &added);

          if (added)
            g_ptr_array_add (customer_names, g_strdup (column_text (stmt, 2)));
          if (order != NULL)
            {
              gsize end = items->len;

              g_array_append_val (basket_ptr, end);
            }
          g_free (order);
          order = g_strdup (order_id);
          g_ptr_array_add (order_ids, g_strdup (order_id));
          g_array_append_val (basket_customer, c);
        }
      basket = basket_customer->len;  /* 1-based: 0 in last_basket means never */
      item = intern_index (item_index, item_ids, column_text (stmt, 3), &added);
      if (added)
        {
          gsize never = 0;

          g_ptr_array_add (item_skus, g_strdup (column_text (stmt, 4)));
          g_ptr_array_add (item_names, g_strdup (column_text (stmt, 5)));
          g_array_append_val (last_basket, never);
        }
      if (g_array_index (last_basket, gsize, item) == basket)
        continue;
      g_array_index (last_basket, gsize, item) = basket;
      g_array_append_val (items, item);
    }
  if (step_failed (db, rc, _("the ordered products"), error))
    {
      sqlite3_finalize (stmt);
      ord_store_unlock (store);
      return NULL;
    }
  sqlite3_finalize (stmt);
  ord_store_unlock (store);

  if (order != NULL)
    {
      gsize end = items->len;

      g_array_append_val (basket_ptr, end);
    }

  baskets = g_new0 (OrdBaskets, 1);
  baskets->n_baskets = basket_customer->len;
  baskets->n_items = item_ids->len;
  baskets->n_customers = customer_ids->len;
  baskets->basket_ptr = (gsize *) g_array_free (g_steal_pointer (&basket_ptr), FALSE);
  baskets->items = (guint *) g_array_free (g_steal_pointer (&items), FALSE);
  baskets->basket_customer = (guint *) g_array_free (g_steal_pointer (&basket_customer), FALSE);
  baskets->basket_order_ids = steal_strv (&order_ids);
  baskets->item_ids = steal_strv (&item_ids);
  baskets->item_skus = steal_strv (&item_skus);
  baskets->item_names = steal_strv (&item_names);
  baskets->customer_ids = steal_strv (&customer_ids);
  baskets->customer_names = steal_strv (&customer_names);

  return baskets;
}

/**
 * ord_baskets_free:
 * @baskets: (nullable): baskets
 */
void
ord_baskets_free (OrdBaskets *baskets)
{
  if (baskets == NULL)
    return;
  g_free (baskets->basket_ptr);
  g_free (baskets->items);
  g_free (baskets->basket_customer);
  g_strfreev (baskets->basket_order_ids);
  g_strfreev (baskets->item_ids);
  g_strfreev (baskets->item_skus);
  g_strfreev (baskets->item_names);
  g_strfreev (baskets->customer_ids);
  g_strfreev (baskets->customer_names);
  g_free (baskets);
}
