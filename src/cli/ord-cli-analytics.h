/* ord-cli-analytics.h: orderlyctl forecast, segments, risk, anomalies, recommend
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each command takes argv as "orderlyctl COMMAND ARGS…" (argv[0] the
 * program, argv[1] the command), accepts --database PATH and --json, and
 * returns 0 on success, 1 on a failure, 2 on a usage error. */

/* The database used when the command line has no --database of its own
 * (orderlyctl's global option given before the command); NULL for
 * ord_default_database_path(). */
void ord_cli_analytics_set_database (const char *path);

int  ord_cli_cmd_forecast           (int    argc,
                                     char **argv);
int  ord_cli_cmd_segments           (int    argc,
                                     char **argv);
int  ord_cli_cmd_risk               (int    argc,
                                     char **argv);
int  ord_cli_cmd_anomalies          (int    argc,
                                     char **argv);
int  ord_cli_cmd_recommend          (int    argc,
                                     char **argv);

G_END_DECLS
