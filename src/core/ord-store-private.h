/* ord-store-private.h: what the store's own files share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <sqlite3.h>

#include "ord-store.h"

G_BEGIN_DECLS

/* A migration moves the schema from version (index) to (index + 1). */
typedef struct
{
  const char *description;
  const char *sql;
} OrdMigration;

extern const OrdMigration ord_store_migrations[];
extern const guint        ord_store_n_migrations;

/* Runs the migrations from the file's PRAGMA user_version up to @target,
 * each in its own transaction. Exposed for the migration tests. */
gboolean      ord_store_migrate_to     (sqlite3     *db,
                                        int          target,
                                        GError     **error);
gboolean      ord_store_exec           (sqlite3     *db,
                                        const char  *sql,
                                        GError     **error);
void          ord_store_set_sqlite_error (GError   **error,
                                          sqlite3   *db,
                                          const char *what);
sqlite3      *ord_store_get_db         (OrdStore    *self);

G_END_DECLS
