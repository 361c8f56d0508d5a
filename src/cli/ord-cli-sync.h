/* ord-cli-sync.h: orderlyctl sync
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "orderlyctl sync --server URL [--watch] [--database PATH] [--role ROLE]
 * [--subject SUB]": argv[0] the program, argv[1] "sync". One push and pull,
 * or with --watch: stays in sync until interrupted. Returns 0 on success,
 * 1 on a failure, 2 on a usage error. */
int ord_cli_cmd_sync (int    argc,
                      char **argv);

G_END_DECLS
