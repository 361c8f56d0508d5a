/* ord-ui-format.c: how the window writes times, money and counts
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-ui-format"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-ui-format.h"

/**
 * ord_format_order_time:
 * @usec: microseconds since the epoch
 * @now: the present, in the time zone to show
 *
 * Returns: (transfer full): the time for a list row
 */
char *
ord_format_order_time (gint64     usec,
                       GDateTime *now)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) yesterday = NULL;
  int y, m, d;
  int ly, lm, ld;

  g_return_val_if_fail (now != NULL, NULL);

  if (usec <= 0)
    return g_strdup ("");

  utc = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (utc == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (utc, g_date_time_get_timezone (now));

  g_date_time_get_ymd (local, &ly, &lm, &ld);
  g_date_time_get_ymd (now, &y, &m, &d);
  if (ly == y && lm == m && ld == d)
    /* Translators: an order made today, at a time (g_date_time_format()). */
    return g_date_time_format (local, _("Today %H:%M"));

  yesterday = g_date_time_add_days (now, -1);
  g_date_time_get_ymd (yesterday, &y, &m, &d);
  if (ly == y && lm == m && ld == d)
    /* Translators: an order made yesterday, at a time (g_date_time_format()). */
    return g_date_time_format (local, _("Yesterday %H:%M"));

  /* Translators: the date and time of an order (g_date_time_format()); %x is
   * the date as the locale writes it. */
  return g_date_time_format (local, _("%x %H:%M"));
}

char *
ord_format_order_total (gint64      amount,
                        const char *currency)
{
  OrdMoney money = ord_money_init (amount, currency != NULL ? currency : "");

  return ord_money_format (&money);
}

char *
ord_format_order_count (guint64  shown,
                        guint64  total,
                        gboolean searching)
{
  g_autofree char *total_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, total);
  g_autofree char *shown_text = NULL;

  if (!searching)
    /* Translators: the number of orders in the database; %s is the number. */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s order", "%s orders", total),
                            total_text);

  shown_text = g_strdup_printf ("%'" G_GUINT64_FORMAT, shown);
  /* Translators: orders found by a search; "12 of 5,000 orders". */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s of %s order", "%s of %s orders",
                                       total),
                          shown_text, total_text);
}

const char *
ord_status_css_class (OrdStatus status)
{
  switch (status)
    {
    case ORD_STATUS_PENDING: return "status-pending";
    case ORD_STATUS_CONFIRMED: return "status-confirmed";
    case ORD_STATUS_PREPARING: return "status-preparing";
    case ORD_STATUS_SHIPPED: return "status-shipped";
    case ORD_STATUS_DELIVERED: return "status-delivered";
    case ORD_STATUS_CANCELLED: return "status-cancelled";
    default: return "status-unknown";
    }
}
