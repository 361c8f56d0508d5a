/* ord-ui-format.h: how the window writes times, money and counts
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-core.h"

G_BEGIN_DECLS

/* "Today 14:05", "Yesterday 09:12", else the locale's date and the time. */
char       *ord_format_order_time   (gint64      usec,
                                     GDateTime  *now);
char       *ord_format_order_total  (gint64      amount,
                                     const char *currency);
/* "5,000 orders", or "12 of 5,000 orders" when a search shows @shown. */
char       *ord_format_order_count  (guint64     shown,
                                     guint64     total,
                                     gboolean    searching);
/* The CSS class of a status pill: "status-pending", … */
const char *ord_status_css_class    (OrdStatus   status);

G_END_DECLS
