/* ord-uuid.h: UUIDv7 identifiers, so that ids sort by creation
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new UUIDv7 (RFC 9562) in canonical lower-case text form. Within one
 * process each id sorts after the previous one, even in the same
 * millisecond (a counter in rand_a); thread-safe. */
char     *ord_uuid_new        (void);
/* The same from a given time (ms since the epoch) and random source; for
 * deterministic demo data and tests. */
char     *ord_uuid_new_from   (gint64  unix_ms,
                               GRand  *rand);
/* Canonical 8-4-4-4-12 hex form, either case, any version. */
gboolean  ord_uuid_is_valid   (const char *text);

G_END_DECLS
