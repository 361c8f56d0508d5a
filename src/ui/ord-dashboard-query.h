/* ord-dashboard-query.h: where the dashboard's "today" begins
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gint64      ord_dashboard_day_start            (gint64          now);
gint64      ord_dashboard_next_day_start       (gint64          now);

G_END_DECLS
