/* test-ui-format.c: how the window writes times, money and counts
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ord-dashboard-query.h"
#include "ord-ui-format.h"

static gint64
usec_at (GDateTime *t)
{
  return g_date_time_to_unix (t) * G_USEC_PER_SEC;
}

static void
test_order_time (void)
{
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GDateTime) now = g_date_time_new (tz, 2024, 3, 15, 10, 30, 0);
  g_autoptr(GDateTime) morning = g_date_time_new (tz, 2024, 3, 15, 0, 5, 0);
  g_autoptr(GDateTime) late = g_date_time_new (tz, 2024, 3, 14, 23, 59, 0);
  g_autoptr(GDateTime) before = g_date_time_new (tz, 2024, 3, 13, 23, 59, 0);
  g_autofree char *a = ord_format_order_time (usec_at (morning), now);
  g_autofree char *b = ord_format_order_time (usec_at (late), now);
  g_autofree char *c = ord_format_order_time (usec_at (before), now);
  g_autofree char *none = ord_format_order_time (0, now);

  g_assert_cmpstr (a, ==, "Today 00:05");
  g_assert_cmpstr (b, ==, "Yesterday 23:59");
  /* Older: the C locale's date. */
  g_assert_cmpstr (c, ==, "03/13/24 23:59");
  g_assert_cmpstr (none, ==, "");
}

/* The day is the viewer's: 23:30 UTC is "today" an hour east of it only
 * when the clock there has passed midnight. */
static void
test_order_time_zone (void)
{
  g_autoptr(GTimeZone) east = g_time_zone_new_identifier ("+01:00");
  g_autoptr(GDateTime) now = g_date_time_new (east, 2024, 3, 16, 9, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_new_utc (2024, 3, 15, 23, 30, 0);
  g_autofree char *text = ord_format_order_time (usec_at (utc), now);

  g_assert_cmpstr (text, ==, "Today 00:30");
}

static void
test_total (void)
{
  g_autofree char *eur = ord_format_order_total (123456, "EUR");
  g_autofree char *jpy = ord_format_order_total (1500, "JPY");

  g_assert_cmpstr (eur, ==, "€1,234.56");
  g_assert_cmpstr (jpy, ==, "¥1,500");
}

static void
test_count (void)
{
  g_autofree char *one = ord_format_order_count (1, 1, FALSE);
  g_autofree char *many = ord_format_order_count (12, 5000, FALSE);
  g_autofree char *found = ord_format_order_count (12, 5000, TRUE);

  g_assert_cmpstr (one, ==, "1 order");
  g_assert_cmpstr (many, ==, "5000 orders");
  g_assert_cmpstr (found, ==, "12 of 5000 orders");
}

/* "Today" runs from local midnight to local midnight: 23 hours on the day
 * the clocks go forward, 25 on the day they go back. */
static void
test_day_bounds (void)
{
  static const struct
  {
    int    month, day;
    gint64 hours;
  } days[] = {
    { 3, 28, 24 }, { 3, 29, 23 }, { 10, 25, 25 }, { 12, 31, 24 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (days); i++)
    {
      g_autoptr(GDateTime) noon = g_date_time_new_local (2026, days[i].month, days[i].day,
                                                         12, 0, 0);
      g_autoptr(GDateTime) midnight = g_date_time_new_local (2026, days[i].month, days[i].day,
                                                             0, 0, 0);
      gint64 now = usec_at (noon);
      gint64 start = ord_dashboard_day_start (now);
      gint64 end = ord_dashboard_next_day_start (now);

      g_assert_cmpint (start, ==, usec_at (midnight));
      g_assert_cmpint (end - start, ==, days[i].hours * G_TIME_SPAN_HOUR);
      /* The last moment of a day belongs to it; its end begins the next. */
      g_assert_cmpint (ord_dashboard_day_start (end - 1), ==, start);
      g_assert_cmpint (ord_dashboard_day_start (end), ==, end);
    }
}

int
main (int   argc,
      char *argv[])
{
  /* A zone with summer time, whatever the machine's. */
  g_setenv ("TZ", "Europe/Berlin", TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/ui-format/order-time", test_order_time);
  g_test_add_func ("/ui-format/order-time-zone", test_order_time_zone);
  g_test_add_func ("/ui-format/total", test_total);
  g_test_add_func ("/ui-format/count", test_count);
  g_test_add_func ("/ui-format/day-bounds", test_day_bounds);

  return g_test_run ();
}
