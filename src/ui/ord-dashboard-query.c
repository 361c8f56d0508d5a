/* ord-dashboard-query.c: where the dashboard's "today" begins
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-dashboard-query"

#include "config.h"

#include "ord-dashboard-query.h"

/**
 * ord_dashboard_day_start:
 * @now: µs since the epoch
 *
 * "Delivered today" is the orders delivered and last changed at or after
 * this moment (#OrdOrderQuery.updated_from).
 *
 * Returns: the local midnight that began the day of @now, in µs
 */
gint64
ord_dashboard_day_start (gint64 now)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (now / G_USEC_PER_SEC);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) midnight = NULL;
  int y, m, d;

  if (utc == NULL)
    return 0;
  local = g_date_time_to_local (utc);
  g_date_time_get_ymd (local, &y, &m, &d);
  midnight = g_date_time_new_local (y, m, d, 0, 0, 0);

  return g_date_time_to_unix (midnight) * G_USEC_PER_SEC;
}

/**
 * ord_dashboard_next_day_start:
 * @now: µs since the epoch
 *
 * Returns: the local midnight that ends the day of @now, in µs (a day may
 *   be 23 or 25 hours long)
 */
gint64
ord_dashboard_next_day_start (gint64 now)
{
  g_autoptr(GDateTime) midnight = NULL;
  g_autoptr(GDateTime) next = NULL;
  int y, m, d;

  midnight = g_date_time_new_from_unix_local (ord_dashboard_day_start (now) / G_USEC_PER_SEC);
  if (midnight == NULL)
    return G_MAXINT64;
  next = g_date_time_add_days (midnight, 1);
  if (next == NULL)
    return G_MAXINT64;
  g_date_time_get_ymd (next, &y, &m, &d);
  g_clear_pointer (&next, g_date_time_unref);
  next = g_date_time_new_local (y, m, d, 0, 0, 0);

  return g_date_time_to_unix (next) * G_USEC_PER_SEC;
}
