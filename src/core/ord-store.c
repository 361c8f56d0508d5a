/* ord-store.c: the local SQLite store
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "ord-store-private.h"
#include "ord-uuid.h"

struct _OrdStore
{
  GObject        parent_instance;

  /* owned */
  char          *path;
  sqlite3       *db;
  GHashTable    *statements;     /* SQL text → sqlite3_stmt */
  char          *actor;
  GHashTable    *pending_changes; /* entity → id or "" for many */
  GArray        *fts_pending;     /* FtsPending, written at the outermost commit */
  /* borrowed from statements: the multi-row inserts of bulk writes, by
   * kind and number of rows */
  sqlite3_stmt  *bulk_stmts[4][65];
  gboolean       fts_hashsize_set;
  GRecMutex      lock;

  OrdStoreFlags  flags;
  gboolean       outbox_disabled;
  gboolean       bulk;           /* see ord_store_set_bulk() */
  guint          cache_kib;      /* SQLite's page cache, see ord_store_set_cache() */
  guint          search_threshold;  /* at least this many matches are "few" */
  gboolean       threshold_fixed;   /* set by ord_store_set_search_threshold() */
  guint64        commits;           /* outermost commits on this connection */
  /* The last search's plan, while no one has written since */
  char          *plan_match;
  char          *plan_ids;
  GArray        *plan_seqs;
  GArray        *plan_head;
  GArray        *plan_tail;
  gint64         plan_n;
  guint64        plan_commits;
  gint64         plan_data_version;
  OrdRole        role;
  guint          txn_depth;
  gint64         now;
};

G_DEFINE_TYPE (OrdStore, ord_store, G_TYPE_OBJECT)

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_QUARK (ord-store-error-quark, ord_store_error)

/* The columns every list query returns, in the order ord_store_order_from_row() reads. */
#define ORDER_COLUMNS ORD_STORE_ORDER_COLUMNS
#define ORDER_N_COLUMNS 21

/* ------------------------------------------------------------------ */
/* Low-level helpers                                                   */

void
ord_store_set_sqlite_error (GError     **error,
                            sqlite3     *db,
                            const char  *what)
{
  int code = db ? sqlite3_extended_errcode (db) : SQLITE_ERROR;

  if ((code & 0xff) == SQLITE_CONSTRAINT)
    g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                 "%s: %s", what, db ? sqlite3_errmsg (db) : "constraint failed");
  else
    g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE,
                 "%s: %s", what, db ? sqlite3_errmsg (db) : "unknown error");
}

gboolean
ord_store_exec (sqlite3     *db,
                const char  *sql,
                GError     **error)
{
  char *msg = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE,
                   "%s", msg ? msg : sqlite3_errmsg (db));
      sqlite3_free (msg);
      return FALSE;
    }

  return TRUE;
}

sqlite3 *
ord_store_get_db (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);

  return self->db;
}

static int
pragma_int (sqlite3    *db,
            const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  int value = -1;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);

  return value;
}

/* A cached prepared statement, reset and with its bindings cleared. */
sqlite3_stmt *
ord_store_stmt (OrdStore    *self,
          const char  *sql,
          GError     **error)
{
  sqlite3_stmt *stmt;

  stmt = g_hash_table_lookup (self->statements, sql);
  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      ord_store_set_sqlite_error (error, self->db, "prepare");
      g_debug ("could not prepare: %s", sql);
      return NULL;
    }

  g_hash_table_insert (self->statements, g_strdup (sql), stmt);

  return stmt;
}

gboolean
ord_store_stmt_done (OrdStore     *self,
           sqlite3_stmt *stmt,
           const char   *what,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      ord_store_set_sqlite_error (error, self->db, what);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

void
ord_store_bind_text (sqlite3_stmt *stmt,
           int           col,
           const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_TRANSIENT);
}

char *
ord_store_column_dup (sqlite3_stmt *stmt,
            int           col)
{
  const unsigned char *text = sqlite3_column_text (stmt, col);

  return text ? g_strdup ((const char *) text) : NULL;
}

/* For strings that outlive the statement's step (an object's own fields):
 * SQLite need not copy them. */
static void
bind_static (sqlite3_stmt *stmt,
             int           col,
             const char   *text)
{
  if (text == NULL)
    sqlite3_bind_null (stmt, col);
  else
    sqlite3_bind_text (stmt, col, text, -1, SQLITE_STATIC);
}

const char *
ord_store_column_str (sqlite3_stmt *stmt,
            int           col)
{
  return (const char *) sqlite3_column_text (stmt, col);
}

void
ord_store_note_change (OrdStore   *self,
             const char *entity,
             const char *id)
{
  const char *old = g_hash_table_lookup (self->pending_changes, entity);

  if (old == NULL)
    g_hash_table_insert (self->pending_changes, g_strdup (entity), g_strdup (id ? id : ""));
  else if (g_strcmp0 (old, id) != 0 && old[0] != '\0')
    g_hash_table_insert (self->pending_changes, g_strdup (entity), g_strdup (""));
}

static void
emit_pending_changes (OrdStore *self)
{
  g_autoptr(GHashTable) changes = NULL;
  GHashTableIter iter;
  gpointer key, value;

  if (g_hash_table_size (self->pending_changes) == 0)
    return;

  changes = g_steal_pointer (&self->pending_changes);
  self->pending_changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const char *id = value;
      g_signal_emit (self, signals[CHANGED], 0, (const char *) key, id[0] ? id : NULL);
    }
}

/* Search entries are written when the outermost transaction commits, not
 * one by one: an FTS5 table flushes its pending terms at every savepoint it
 * takes part in, and each order's write is a savepoint inside an import. */
typedef struct
{
  guint   depth;     /* the transaction depth that wrote it */
  gboolean replace;  /* the order may already have an entry */
  gint64  seq;
  char   *number;
  char   *customer;
  char   *notes;
  char   *items;
} FtsPending;

static void
fts_pending_clear (gpointer data)
{
  FtsPending *p = data;

  g_free (p->number);
  g_free (p->customer);
  g_free (p->notes);
  g_free (p->items);
}

static int
fts_pending_compare_seq (gconstpointer a,
                         gconstpointer b)
{
  const FtsPending *pa = *(const FtsPending * const *) a;
  const FtsPending *pb = *(const FtsPending * const *) b;

  return (pa->seq > pb->seq) - (pa->seq < pb->seq);
}

/* Writes the pending search entries; the last one for an order wins. They
 * go in in rowid order: FTS5 writes out what it holds in memory whenever a
 * rowid comes that is not above the last one, and an import's entries
 * written newest first made a segment of nearly every one of them. */
static gboolean
fts_flush (OrdStore  *self,
           GError   **error)
{
  g_autoptr(GHashTable) written = NULL;
  g_autoptr(GHashTable) fresh = NULL;
  g_autoptr(GPtrArray) last = NULL;
  sqlite3_stmt *del, *ins;

  if (self->fts_pending->len == 0)
    return TRUE;

  /* An order whose first pending entry is its creation has no entry in
   * the index yet: nothing to delete before writing it. */
  fresh = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < self->fts_pending->len; i++)
    {
      FtsPending *p = &g_array_index (self->fts_pending, FtsPending, i);

      if (!g_hash_table_contains (fresh, &p->seq))
        g_hash_table_insert (fresh, &p->seq, GINT_TO_POINTER (!p->replace));
    }

  written = g_hash_table_new (g_int64_hash, g_int64_equal);
  last = g_ptr_array_sized_new (self->fts_pending->len);
  for (guint i = self->fts_pending->len; i > 0; i--)
    {
      FtsPending *p = &g_array_index (self->fts_pending, FtsPending, i - 1);

      if (g_hash_table_contains (written, &p->seq))
        continue;
      g_hash_table_add (written, &p->seq);
      g_ptr_array_add (last, p);
    }
  g_ptr_array_sort (last, fts_pending_compare_seq);

  for (guint i = 0; i < last->len; i++)
    {
      FtsPending *p = g_ptr_array_index (last, i);

      if (!GPOINTER_TO_INT (g_hash_table_lookup (fresh, &p->seq)))
        {
          if (!(del = ord_store_stmt (self, "DELETE FROM orders_fts WHERE rowid = ?", error)))
            return FALSE;
          sqlite3_bind_int64 (del, 1, p->seq);
          if (!ord_store_stmt_done (self, del, "search index", error))
            return FALSE;
        }

      if (!(ins = ord_store_stmt (self,
                                  "INSERT INTO orders_fts (rowid, number, customer, notes, items)"
                                  " VALUES (?, ?, ?, ?, ?)", error)))
        return FALSE;
      sqlite3_bind_int64 (ins, 1, p->seq);
      ord_store_bind_text (ins, 2, p->number);
      ord_store_bind_text (ins, 3, p->customer);
      ord_store_bind_text (ins, 4, p->notes);
      ord_store_bind_text (ins, 5, p->items);
      if (!ord_store_stmt_done (self, ins, "search index", error))
        return FALSE;
    }

  g_array_set_size (self->fts_pending, 0);
  return TRUE;
}

/* Transactions nest through savepoints, so that a failed inner write (one
 * bad order of an import batch) rolls back only itself. */
gboolean
ord_store_txn_begin (OrdStore  *self,
           GError   **error)
{
  g_autofree char *sql = NULL;

  if (self->txn_depth == 0)
    sql = g_strdup ("BEGIN IMMEDIATE");
  else
    sql = g_strdup_printf ("SAVEPOINT s%u", self->txn_depth);

  if (!ord_store_exec (self->db, sql, error))
    return FALSE;

  self->txn_depth++;
  return TRUE;
}

gboolean
ord_store_txn_commit (OrdStore  *self,
            GError   **error)
{
  g_autofree char *sql = NULL;

  g_assert (self->txn_depth > 0);

  if (self->txn_depth == 1 && !fts_flush (self, error))
    return FALSE;

  if (self->txn_depth == 1)
    sql = g_strdup ("COMMIT");
  else
    sql = g_strdup_printf ("RELEASE s%u", self->txn_depth - 1);

  if (!ord_store_exec (self->db, sql, error))
    return FALSE;

  self->txn_depth--;
  if (self->txn_depth == 0)
    self->commits++;
  return TRUE;
}

void
ord_store_txn_rollback (OrdStore *self)
{
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;

  g_assert (self->txn_depth > 0);

  if (self->txn_depth == 1)
    sql = g_strdup ("ROLLBACK");
  else
    sql = g_strdup_printf ("ROLLBACK TO s%u; RELEASE s%u",
                           self->txn_depth - 1, self->txn_depth - 1);

  if (!ord_store_exec (self->db, sql, &error))
    g_warning ("Could not roll back: %s", error->message);

  while (self->fts_pending->len > 0 &&
         g_array_index (self->fts_pending, FtsPending,
                        self->fts_pending->len - 1).depth >= self->txn_depth)
    g_array_set_size (self->fts_pending, self->fts_pending->len - 1);

  self->txn_depth--;

  if (self->txn_depth == 0)
    g_hash_table_remove_all (self->pending_changes);
}

void
ord_store_lock (OrdStore *self)
{
  g_rec_mutex_lock (&self->lock);
}

/* Unlocks, and after the outermost commit tells the listeners. */
void
ord_store_unlock (OrdStore *self)
{
  gboolean emit = self->txn_depth == 0;

  g_rec_mutex_unlock (&self->lock);

  if (emit)
    emit_pending_changes (self);
}

gint64
ord_store_get_now (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), 0);

  return self->now != 0 ? self->now : g_get_real_time ();
}

void
ord_store_set_now (OrdStore *self,
                   gint64    now)
{
  g_return_if_fail (ORD_IS_STORE (self));

  self->now = now;
}

/**
 * ord_store_set_outbox_enabled:
 * @self: an #OrdStore
 * @enabled: whether writes queue sync mutations
 *
 * Local-only data (a demo shop) is written without outbox rows, so it is
 * never pushed to a server. Stores opened with %ORD_STORE_FLAGS_NO_OUTBOX
 * never write any.
 */
void
ord_store_set_outbox_enabled (OrdStore *self,
                              gboolean  enabled)
{
  g_return_if_fail (ORD_IS_STORE (self));

  ord_store_lock (self);
  self->outbox_disabled = !enabled;
  ord_store_unlock (self);
}

gboolean
ord_store_get_outbox_enabled (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);

  return !self->outbox_disabled && !(self->flags & ORD_STORE_FLAGS_NO_OUTBOX);
}

/* ------------------------------------------------------------------ */
/* Migrations and opening                                              */

gboolean
ord_store_migrate_to (sqlite3  *db,
                      int       target,
                      GError  **error)
{
  int version = pragma_int (db, "PRAGMA user_version");

  g_return_val_if_fail (target >= 0 && (guint) target <= ord_store_n_migrations, FALSE);

  if (version > (int) ord_store_n_migrations)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_TOO_NEW,
                   _("This database was written by a newer version of Orderly "
                     "(schema %d; this version knows up to %u). Update Orderly to open it."),
                   version, ord_store_n_migrations);
      return FALSE;
    }

  for (int v = version; v < target; v++)
    {
      g_autofree char *set_version = g_strdup_printf ("PRAGMA user_version = %d", v + 1);
      g_autoptr(GError) local_error = NULL;

      if (!ord_store_exec (db, "BEGIN IMMEDIATE", error))
        return FALSE;

      if (!ord_store_exec (db, ord_store_migrations[v].sql, &local_error) ||
          !ord_store_exec (db, set_version, &local_error))
        {
          ord_store_exec (db, "ROLLBACK", NULL);
          g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE,
                       _("Could not upgrade the database to schema %d (%s): %s"),
                       v + 1, ord_store_migrations[v].description, local_error->message);
          return FALSE;
        }

      if (!ord_store_exec (db, "COMMIT", error))
        {
          ord_store_exec (db, "ROLLBACK", NULL);
          return FALSE;
        }

      g_debug ("migrated to schema %d: %s", v + 1, ord_store_migrations[v].description);
    }

  return TRUE;
}

static void
stmt_free (gpointer data)
{
  sqlite3_finalize (data);
}

static void
ord_store_finalize (GObject *object)
{
  OrdStore *self = (OrdStore *)object;

  g_clear_pointer (&self->statements, g_hash_table_unref);
  if (self->db != NULL)
    {
      /* Leaves the WAL checkpointed and removed on a clean close. */
      sqlite3_close (self->db);
      self->db = NULL;
    }
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->actor, g_free);
  g_clear_pointer (&self->pending_changes, g_hash_table_unref);
  g_clear_pointer (&self->fts_pending, g_array_unref);
  g_clear_pointer (&self->plan_match, g_free);
  g_clear_pointer (&self->plan_ids, g_free);
  g_clear_pointer (&self->plan_seqs, g_array_unref);
  g_clear_pointer (&self->plan_head, g_array_unref);
  g_clear_pointer (&self->plan_tail, g_array_unref);
  g_rec_mutex_clear (&self->lock);

  G_OBJECT_CLASS (ord_store_parent_class)->finalize (object);
}

static void
ord_store_class_init (OrdStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ord_store_finalize;

  /* SQLite counts every allocation under a global mutex for
   * sqlite3_memory_used(), which Orderly never asks: a tenth of a bulk
   * write. Only possible before SQLite's first use in the process (else
   * refused, and nothing changes). */
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);

  /**
   * OrdStore::changed:
   * @entity: "order", "customer" or "product"
   * @id: (nullable): the record, or %NULL when many changed
   *
   * Emitted after a commit that changed @entity, on the thread that wrote.
   */
  signals[CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
ord_store_init (OrdStore *self)
{
  g_rec_mutex_init (&self->lock);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, stmt_free);
  self->pending_changes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->fts_pending = g_array_new (FALSE, FALSE, sizeof (FtsPending));
  g_array_set_clear_func (self->fts_pending, fts_pending_clear);
  self->role = ORD_ROLE_OWNER;
  self->search_threshold = 2000;
}

/**
 * ord_default_database_path:
 *
 * Returns: (transfer full): `$XDG_DATA_HOME/orderly/orderly.db`
 */
char *
ord_default_database_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "orderly", "orderly.db", NULL);
}

OrdStore *
ord_store_new (const char  *path,
               GError     **error)
{
  return ord_store_new_full (path, ORD_STORE_FLAGS_NONE, error);
}

/**
 * ord_store_new_full:
 * @path: a file, created with its folder when missing; ":memory:" works too
 * @flags: #OrdStoreFlags
 * @error: a #GError
 *
 * Opens the database, sets WAL, foreign keys and the synchronous level, and
 * runs the migrations it lacks.
 *
 * Returns: (transfer full): the store, or %NULL with @error set
 */
OrdStore *
ord_store_new_full (const char     *path,
                    OrdStoreFlags   flags,
                    GError        **error)
{
  g_autoptr(OrdStore) self = NULL;
  int open_flags;
  const char *sync_pragma;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (ORD_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->flags = flags;

  if (!(flags & ORD_STORE_FLAGS_READ_ONLY) && g_strcmp0 (path, ":memory:") != 0)
    {
      g_autofree char *dir = g_path_get_dirname (path);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int saved_errno = errno;
          g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                       _("Could not create the folder “%s”: %s"), dir, g_strerror (saved_errno));
          return NULL;
        }
    }

  open_flags = SQLITE_OPEN_NOMUTEX;
  if (flags & ORD_STORE_FLAGS_READ_ONLY)
    open_flags |= SQLITE_OPEN_READONLY;
  else
    open_flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  if (sqlite3_open_v2 (path, &self->db, open_flags, NULL) != SQLITE_OK)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE,
                   _("Could not open the database “%s”: %s"), path,
                   self->db ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }

  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_timeout (self->db, 10000);

  /* A file that is not a database fails here, with SQLite's words. */
  if (!ord_store_exec (self->db, "PRAGMA foreign_keys = ON", error))
    return NULL;
  if (pragma_int (self->db, "PRAGMA schema_version") < 0)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE,
                   _("“%s” is not an Orderly database: %s"), path, sqlite3_errmsg (self->db));
      return NULL;
    }

  if (!(flags & ORD_STORE_FLAGS_READ_ONLY))
    {
      sync_pragma = (flags & ORD_STORE_FLAGS_SYNC_FULL) ? "PRAGMA synchronous = FULL"
                                                        : "PRAGMA synchronous = NORMAL";
      if (!ord_store_exec (self->db, "PRAGMA journal_mode = WAL", error) ||
          !ord_store_exec (self->db, sync_pragma, error) ||
          !ord_store_exec (self->db, "PRAGMA temp_store = MEMORY", error) ||
          !ord_store_set_cache (self, ORD_STORE_CACHE_KIB, error))
        return NULL;

      if (!ord_store_migrate_to (self->db, ord_store_n_migrations, error))
        return NULL;
    }
  else if (pragma_int (self->db, "PRAGMA user_version") != (int) ord_store_n_migrations)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_TOO_NEW,
                   _("The database “%s” has schema %d; this version of Orderly needs %u"),
                   path, pragma_int (self->db, "PRAGMA user_version"), ord_store_n_migrations);
      return NULL;
    }

  return g_steal_pointer (&self);
}

const char *
ord_store_get_path (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);

  return self->path;
}

int
ord_store_get_schema_version (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), -1);

  return pragma_int (self->db, "PRAGMA user_version");
}

void
ord_store_set_actor (OrdStore   *self,
                     OrdRole     role,
                     const char *actor)
{
  g_return_if_fail (ORD_IS_STORE (self));

  ord_store_lock (self);
  self->role = role;
  g_free (self->actor);
  self->actor = g_strdup (actor);
  ord_store_unlock (self);
}

OrdRole
ord_store_get_role (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), ORD_ROLE_CUSTOMER);

  return self->role;
}

gboolean
ord_store_transaction (OrdStore         *self,
                       OrdStoreTxnFunc   func,
                       gpointer          user_data,
                       GError          **error)
{
  gboolean ret = FALSE;

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  ord_store_lock (self);

  /* In bulk mode an inner write takes no savepoint of its own: the caller
   * checked it beforehand, and a failure rolls the whole batch back. */
  if (self->bulk && self->txn_depth > 0)
    {
      ret = func (self, user_data, error);
      ord_store_unlock (self);
      return ret;
    }

  if (ord_store_txn_begin (self, error))
    {
      if (func (self, user_data, error) && ord_store_txn_commit (self, error))
        ret = TRUE;
      else
        ord_store_txn_rollback (self);
    }

  ord_store_unlock (self);

  return ret;
}

/* ------------------------------------------------------------------ */
/* Settings and sync state                                             */

char *
ord_store_kv_get (OrdStore   *self,
                  const char *table,
                  const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT value FROM %s WHERE key = ?", table);
  sqlite3_stmt *stmt;
  char *value = NULL;

  /* The lock is recursive: callers that hold it already may call this. */
  ord_store_lock (self);
  if ((stmt = ord_store_stmt (self, sql, NULL)))
    {
      ord_store_bind_text (stmt, 1, key);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = ord_store_column_dup (stmt, 0);
      sqlite3_reset (stmt);
    }
  ord_store_unlock (self);

  return value;
}

gboolean
ord_store_kv_set (OrdStore    *self,
                  const char  *table,
                  const char  *key,
                  const char  *value,
                  GError     **error)
{
  g_autofree char *sql =
    g_strdup_printf ("INSERT INTO %s (key, value) VALUES (?, ?)"
                     " ON CONFLICT (key) DO UPDATE SET value = excluded.value", table);
  sqlite3_stmt *stmt;
  gboolean ret = FALSE;

  ord_store_lock (self);
  if ((stmt = ord_store_stmt (self, sql, error)))
    {
      ord_store_bind_text (stmt, 1, key);
      ord_store_bind_text (stmt, 2, value);
      ret = ord_store_stmt_done (self, stmt, table, error);
    }
  ord_store_unlock (self);

  return ret;
}

char *
ord_store_get_setting (OrdStore   *self,
                       const char *key)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  return ord_store_kv_get (self, "settings", key);
}

gboolean
ord_store_set_setting (OrdStore    *self,
                       const char  *key,
                       const char  *value,
                       GError     **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return ord_store_kv_set (self, "settings", key, value, error);
}

guint
ord_store_get_terminal (OrdStore *self)
{
  g_autofree char *value = NULL;
  guint64 terminal = 1;

  g_return_val_if_fail (ORD_IS_STORE (self), 1);

  ord_store_lock (self);
  value = ord_store_kv_get (self, "sync_state", "terminal");
  ord_store_unlock (self);

  if (value != NULL && !g_ascii_string_to_unsigned (value, 10, 1, 9999, &terminal, NULL))
    terminal = 1;

  return (guint) terminal;
}

gboolean
ord_store_set_terminal (OrdStore  *self,
                        guint      terminal,
                        GError   **error)
{
  g_autofree char *text = NULL;
  gboolean ret;

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);

  if (terminal < 1 || terminal > 9999)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("Terminal number %u must be between 1 and 9999"), terminal);
      return FALSE;
    }

  text = g_strdup_printf ("%u", terminal);
  ord_store_lock (self);
  ret = ord_store_kv_set (self, "sync_state", "terminal", text, error);
  ord_store_unlock (self);

  return ret;
}

/* T<terminal>-0001: never collides between devices that have different
 * terminal numbers; the server replaces it after the first sync. */
static char *
next_provisional_number (OrdStore  *self,
                         GError   **error)
{
  g_autofree char *value = ord_store_kv_get (self, "sync_state", "next_number");
  g_autofree char *terminal = ord_store_kv_get (self, "sync_state", "terminal");
  g_autofree char *next_text = NULL;
  guint64 next = 1;

  if (value != NULL)
    g_ascii_string_to_unsigned (value, 10, 1, G_MAXINT64, &next, NULL);

  next_text = g_strdup_printf ("%" G_GUINT64_FORMAT, next + 1);
  if (!ord_store_kv_set (self, "sync_state", "next_number", next_text, error))
    return NULL;

  return g_strdup_printf ("T%s-%04" G_GUINT64_FORMAT, terminal ? terminal : "1", next);
}

/* ------------------------------------------------------------------ */
/* JSON for the outbox                                                 */

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autoptr(JsonGenerator) gen = json_generator_new ();

  json_generator_set_root (gen, root);
  return json_generator_to_data (gen, NULL);
}

static void
add_item_json (JsonBuilder  *b,
               OrdOrderItem *item)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, ord_order_item_get_id (item));
  json_builder_set_member_name (b, "product_id");
  if (ord_order_item_get_product_id (item))
    json_builder_add_string_value (b, ord_order_item_get_product_id (item));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "sku");
  if (ord_order_item_get_sku (item))
    json_builder_add_string_value (b, ord_order_item_get_sku (item));
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, ord_order_item_get_name (item));
  json_builder_set_member_name (b, "unit_price");
  json_builder_add_int_value (b, ord_order_item_get_unit_price (item));
  json_builder_set_member_name (b, "quantity");
  json_builder_add_int_value (b, ord_order_item_get_quantity (item));
  json_builder_set_member_name (b, "discount");
  json_builder_add_int_value (b, ord_order_item_get_discount (item));
  json_builder_end_object (b);
}

static void
add_string_member (JsonBuilder *b,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (b, name);
  if (value)
    json_builder_add_string_value (b, value);
  else
    json_builder_add_null_value (b);
}

static void
add_int_member (JsonBuilder *b,
                const char  *name,
                gint64       value)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, value);
}

/* Written by hand rather than with JsonBuilder: every imported or created
 * order goes through here, and the builder's node tree cost more than the
 * database writes. The output is plain JSON that json-glib reads back. */
static void
json_append_string (GString    *out,
                    const char *text)
{
  if (text == NULL)
    {
      g_string_append (out, "null");
      return;
    }

  g_string_append_c (out, '"');
  for (const unsigned char *p = (const unsigned char *) text; *p; p++)
    {
      switch (*p)
        {
        case '"': g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        default:
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, (char) *p);
        }
    }
  g_string_append_c (out, '"');
}

static void
json_append_name (GString    *out,
                  const char *name)
{
  g_string_append_c (out, '"');
  g_string_append (out, name);
  g_string_append (out, "\":");
}

static void
json_append_member (GString    *out,
                    const char *name,
                    const char *value)
{
  json_append_name (out, name);
  json_append_string (out, value);
  g_string_append_c (out, ',');
}

static void
json_append_int (GString *out,
                 gint64   value)
{
  char buf[24];
  char *p = buf + sizeof buf;
  guint64 v = value < 0 ? -(guint64) value : (guint64) value;

  *--p = '\0';
  do
    *--p = (char) ('0' + v % 10);
  while ((v /= 10) != 0);
  if (value < 0)
    *--p = '-';
  g_string_append (out, p);
}

static void
json_append_int_member (GString    *out,
                        const char *name,
                        gint64      value)
{
  json_append_name (out, name);
  json_append_int (out, value);
  g_string_append_c (out, ',');
}

char *
ord_store_order_to_json (OrdOrder *order)
{
  GString *out = g_string_sized_new (512);
  guint n = ord_order_get_n_items (order);

  g_string_append_c (out, '{');
  json_append_member (out, "id", ord_order_get_id (order));
  json_append_member (out, "provisional_number", ord_order_get_provisional_number (order));
  json_append_member (out, "number", ord_order_get_number (order));
  json_append_member (out, "customer_id", ord_order_get_customer_id (order));
  json_append_member (out, "status", ord_status_to_string (ord_order_get_status (order)));
  json_append_int_member (out, "created_at", ord_order_get_created_at (order));
  json_append_int_member (out, "due_at", ord_order_get_due_at (order));
  json_append_member (out, "notes", ord_order_get_notes (order));
  json_append_member (out, "currency", ord_order_get_currency (order));
  json_append_int_member (out, "tax_rate", ord_order_get_tax_rate (order));
  json_append_int_member (out, "discount", ord_order_get_discount (order));
  json_append_member (out, "external_ref", ord_order_get_external_ref (order));
  g_string_append (out, "\"items\":[");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '{');
      json_append_member (out, "id", ord_order_item_get_id (item));
      json_append_member (out, "product_id", ord_order_item_get_product_id (item));
      json_append_member (out, "sku", ord_order_item_get_sku (item));
      json_append_member (out, "name", ord_order_item_get_name (item));
      json_append_int_member (out, "unit_price", ord_order_item_get_unit_price (item));
      json_append_int_member (out, "quantity", ord_order_item_get_quantity (item));
      json_append_name (out, "discount");
      json_append_int (out, ord_order_item_get_discount (item));
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]}");

  return g_string_free (out, FALSE);
}

gboolean
ord_store_outbox_add (OrdStore    *self,
            const char  *name,
            const char  *entity_id,
            const char  *args,
            GError     **error)
{
  sqlite3_stmt *stmt;

  if (!ord_store_get_outbox_enabled (self))
    return TRUE;

  if (!(stmt = ord_store_stmt (self,
                         "INSERT INTO outbox (name, entity_id, args, created_at)"
                         " VALUES (?, ?, ?, ?)", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, name);
  ord_store_bind_text (stmt, 2, entity_id);
  ord_store_bind_text (stmt, 3, args);
  sqlite3_bind_int64 (stmt, 4, ord_store_get_now (self));

  return ord_store_stmt_done (self, stmt, "outbox", error);
}

static OrdOrder *order_lookup    (OrdStore    *self,
                                  const char  *where,
                                  const char  *value,
                                  gboolean     with_items,
                                  GError     **error);

/* The create_order arguments of an order as the store holds it now. */
static char *
order_json_now (OrdStore    *self,
                const char  *order_id,
                GError     **error)
{
  g_autoptr(OrdOrder) order = order_lookup (self, "o.id = ?1", order_id, TRUE, error);

  return order ? ord_store_order_to_json (order) : NULL;
}

/**
 * ord_store_outbox_pin:
 *
 * Writes out the arguments of @order_id's create_order mutation if a bulk
 * write left them empty, before the order is first changed: the mutation
 * must carry the order as it was created. Call it inside the transaction
 * that changes the order, before the change.
 */
gboolean
ord_store_outbox_pin (OrdStore    *self,
                      const char  *order_id,
                      GError     **error)
{
  g_autofree char *args = NULL;
  sqlite3_stmt *stmt;
  gint64 mutation_id = 0;

  if (!(stmt = ord_store_stmt (self, "SELECT mutation_id FROM outbox"
                                     " WHERE entity_id = ? AND args = ''", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, order_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    mutation_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  if (mutation_id == 0)
    return TRUE;

  if (!(args = order_json_now (self, order_id, error)))
    return FALSE;
  if (!(stmt = ord_store_stmt (self, "UPDATE outbox SET args = ? WHERE mutation_id = ?", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, args);
  sqlite3_bind_int64 (stmt, 2, mutation_id);

  return ord_store_stmt_done (self, stmt, "outbox", error);
}

/**
 * ord_store_outbox_args:
 *
 * The arguments of an outbox row as read: @args itself, or for a
 * create_order row a bulk write left empty, the order as stored now.
 */
char *
ord_store_outbox_args (OrdStore    *self,
                       const char  *name,
                       const char  *entity_id,
                       const char  *args,
                       GError     **error)
{
  if (args != NULL && args[0] == '\0' && entity_id != NULL &&
      g_strcmp0 (name, "create_order") == 0)
    return order_json_now (self, entity_id, error);

  return g_strdup (args);
}

/**
 * ord_store_set_bulk:
 *
 * Bulk mode, for an import's batches: writes nested in a transaction take
 * no savepoint each (the caller checks every order first with
 * ord_store_bulk_check_order() and redoes the batch one by one if one fails
 * anyway), new orders' create_order mutations are written out when pushed
 * (ord_store_outbox_args()), and the write-ahead log is copied back into
 * the database once at the end rather than every thousand pages.
 */
void
ord_store_set_bulk (OrdStore *self,
                    gboolean  bulk)
{
  g_return_if_fail (ORD_IS_STORE (self));

  ord_store_lock (self);
  if (self->bulk != !!bulk)
    {
      self->bulk = !!bulk;
      ord_store_exec (self->db, bulk ? "PRAGMA wal_autocheckpoint = 0"
                                     : "PRAGMA wal_autocheckpoint = 1000", NULL);
      if (!bulk && self->txn_depth == 0)
        ord_store_exec (self->db, "PRAGMA wal_checkpoint (PASSIVE)", NULL);
    }
  ord_store_unlock (self);
}

/**
 * ord_store_set_cache:
 * @self: an #OrdStore
 * @cache_kib: the most memory SQLite's page cache of this connection holds
 * @error: a #GError
 *
 * The desktop app keeps a store open all day, beside two lists of 200 rows
 * of widgets: ORD_STORE_CACHE_KIB holds what its queries read again (the
 * file is in the system's page cache as well). Bulk work raises it while
 * it runs: an import, a page of the change feed applied or a batch of
 * pushed mutations touch the orders, their lines and the search index all
 * over, and each page a small cache drops is read from the file again.
 *
 * Returns: %TRUE on success
 */
gboolean
ord_store_set_cache (OrdStore  *self,
                     guint      cache_kib,
                     GError   **error)
{
  g_autofree char *sql = NULL;
  gboolean ok;

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (cache_kib > 0, FALSE);

  sql = g_strdup_printf ("PRAGMA cache_size = -%u", cache_kib);
  ord_store_lock (self);
  ok = ord_store_exec (self->db, sql, error);
  if (ok)
    self->cache_kib = cache_kib;
  ord_store_unlock (self);

  return ok;
}

guint
ord_store_get_cache (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), 0);

  return self->cache_kib;
}

gboolean
ord_store_get_bulk (OrdStore *self)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);

  return self->bulk;
}

gint64
ord_store_count_outbox (OrdStore *self)
{
  gint64 n;

  g_return_val_if_fail (ORD_IS_STORE (self), -1);

  ord_store_lock (self);
  n = pragma_int (self->db, "SELECT n FROM outbox_size");
  ord_store_unlock (self);

  return n;
}

gboolean
ord_store_event_add (OrdStore      *self,
           const char    *order_id,
           gint64         at,
           const char    *actor,
           OrdEventKind   kind,
           int            from_status,
           int            to_status,
           const char    *reason,
           const char    *details,
           GError       **error)
{
  sqlite3_stmt *stmt;

  if (!(stmt = ord_store_stmt (self,
                         "INSERT INTO order_events"
                         " (order_id, at, actor, kind, from_status, to_status, reason, details)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;

  ord_store_bind_text (stmt, 1, order_id);
  sqlite3_bind_int64 (stmt, 2, at);
  ord_store_bind_text (stmt, 3, actor);
  ord_store_bind_text (stmt, 4, ord_event_kind_to_string (kind));
  if (from_status >= 0)
    sqlite3_bind_int (stmt, 5, from_status);
  if (to_status >= 0)
    sqlite3_bind_int (stmt, 6, to_status);
  ord_store_bind_text (stmt, 7, reason);
  ord_store_bind_text (stmt, 8, details);

  return ord_store_stmt_done (self, stmt, "timeline", error);
}

/* ------------------------------------------------------------------ */
/* Customers and products                                              */

/* A customer from a row of CUSTOMER_COLUMNS. */
OrdCustomer *
ord_store_customer_from_row (sqlite3_stmt *stmt)
{
  OrdCustomer *c = ord_customer_new ();

  ord_customer_set_id (c, ord_store_column_str (stmt, 0));
  ord_customer_set_name (c, ord_store_column_str (stmt, 1));
  ord_customer_set_email (c, ord_store_column_str (stmt, 2));
  ord_customer_set_phone (c, ord_store_column_str (stmt, 3));
  ord_customer_set_notes (c, ord_store_column_str (stmt, 4));
  ord_customer_set_external_ref (c, ord_store_column_str (stmt, 5));
  ord_customer_set_owner_sub (c, ord_store_column_str (stmt, 6));
  ord_customer_set_version (c, sqlite3_column_int64 (stmt, 7));
  ord_customer_set_updated_at (c, sqlite3_column_int64 (stmt, 8));
  ord_customer_set_deleted (c, sqlite3_column_int (stmt, 9));

  return c;
}

#define CUSTOMER_COLUMNS \
  "id, name, email, phone, notes, external_ref, owner_sub, version, updated_at, deleted"

static OrdCustomer *
customer_lookup (OrdStore    *self,
                 const char  *column,
                 const char  *value,
                 GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT " CUSTOMER_COLUMNS " FROM customers WHERE %s = ?",
                                          column);
  sqlite3_stmt *stmt;
  OrdCustomer *c = NULL;
  int rc;

  if (!(stmt = ord_store_stmt (self, sql, error)))
    return NULL;
  ord_store_bind_text (stmt, 1, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    c = ord_store_customer_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND,
                 _("No customer “%s”"), value);
  else
    ord_store_set_sqlite_error (error, self->db, "customer");
  sqlite3_reset (stmt);

  return c;
}

OrdCustomer *
ord_store_get_customer (OrdStore    *self,
                        const char  *id,
                        GError     **error)
{
  OrdCustomer *c;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  ord_store_lock (self);
  c = customer_lookup (self, "id", id, error);
  ord_store_unlock (self);

  return c;
}

OrdCustomer *
ord_store_get_customer_by_external_ref (OrdStore    *self,
                                        const char  *ref,
                                        GError     **error)
{
  OrdCustomer *c;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (ref != NULL, NULL);

  ord_store_lock (self);
  c = customer_lookup (self, "external_ref", ref, error);
  ord_store_unlock (self);

  return c;
}

static char *
like_pattern (const char *text)
{
  GString *s = g_string_new ("%");

  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '%');

  return g_string_free (s, FALSE);
}

GPtrArray *
ord_store_find_customers (OrdStore    *self,
                          const char  *text,
                          guint        limit,
                          GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);

  pattern = like_pattern (text ? text : "");

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self,
                         "SELECT " CUSTOMER_COLUMNS " FROM customers"
                         " WHERE deleted = 0 AND (name LIKE ?1 ESCAPE '\\'"
                         "   OR email LIKE ?1 ESCAPE '\\' OR phone LIKE ?1 ESCAPE '\\')"
                         " ORDER BY name COLLATE NOCASE, id LIMIT ?2", error)))
    {
      ord_store_unlock (self);
      return NULL;
    }
  ord_store_bind_text (stmt, 1, pattern);
  sqlite3_bind_int64 (stmt, 2, limit ? limit : G_MAXINT32);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, ord_store_customer_from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      ord_store_set_sqlite_error (error, self->db, "customers");
      sqlite3_reset (stmt);
      ord_store_unlock (self);
      return NULL;
    }
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  return g_steal_pointer (&result);
}

static char *
customer_to_json (OrdCustomer *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string_member (b, "id", ord_customer_get_id (c));
  add_string_member (b, "name", ord_customer_get_name (c));
  add_string_member (b, "email", ord_customer_get_email (c));
  add_string_member (b, "phone", ord_customer_get_phone (c));
  add_string_member (b, "notes", ord_customer_get_notes (c));
  add_string_member (b, "external_ref", ord_customer_get_external_ref (c));
  add_int_member (b, "base_version", ord_customer_get_version (c));
  /* Deactivated by the shop: every device hides the customer. */
  json_builder_set_member_name (b, "deleted");
  json_builder_add_boolean_value (b, ord_customer_get_deleted (c));
  json_builder_end_object (b);

  return builder_to_string (b);
}

static gboolean
save_customer_locked (OrdStore     *self,
                      OrdCustomer  *customer,
                      GError      **error)
{
  g_autofree char *old_name = NULL;
  g_autofree char *args = NULL;
  sqlite3_stmt *stmt;
  const char *name = ord_customer_get_name (customer);
  gint64 now = ord_store_get_now (self);
  gboolean exists = FALSE;

  if (name == NULL || name[strspn (name, " \t\n")] == '\0')
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("A customer needs a name"));
      return FALSE;
    }

  if (ord_customer_get_id (customer) == NULL)
    {
      g_autofree char *id = ord_uuid_new ();
      ord_customer_set_id (customer, id);
    }

  if (!(stmt = ord_store_stmt (self, "SELECT name FROM customers WHERE id = ?", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, ord_customer_get_id (customer));
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      exists = TRUE;
      old_name = ord_store_column_dup (stmt, 0);
    }
  sqlite3_reset (stmt);

  if (!(stmt = ord_store_stmt (self,
                         "INSERT INTO customers (" CUSTOMER_COLUMNS ")"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
                         " ON CONFLICT (id) DO UPDATE SET name = ?2, email = ?3, phone = ?4,"
                         "   notes = ?5, external_ref = ?6, owner_sub = ?7, version = ?8,"
                         "   updated_at = ?9, deleted = ?10", error)))
    return FALSE;

  ord_customer_set_updated_at (customer, now);
  ord_store_bind_text (stmt, 1, ord_customer_get_id (customer));
  ord_store_bind_text (stmt, 2, name);
  ord_store_bind_text (stmt, 3, ord_customer_get_email (customer));
  ord_store_bind_text (stmt, 4, ord_customer_get_phone (customer));
  ord_store_bind_text (stmt, 5, ord_customer_get_notes (customer));
  ord_store_bind_text (stmt, 6, ord_customer_get_external_ref (customer));
  ord_store_bind_text (stmt, 7, ord_customer_get_owner_sub (customer));
  sqlite3_bind_int64 (stmt, 8, ord_customer_get_version (customer));
  sqlite3_bind_int64 (stmt, 9, now);
  sqlite3_bind_int (stmt, 10, ord_customer_get_deleted (customer));
  if (!ord_store_stmt_done (self, stmt, _("Could not save the customer"), error))
    return FALSE;

  /* Orders carry the name for sorting and search: keep them in step. */
  if (exists && g_strcmp0 (old_name, name) != 0)
    {
      if (!fts_flush (self, error))
        return FALSE;
      if (!(stmt = ord_store_stmt (self,
                             "UPDATE orders_fts SET customer = ?1 WHERE rowid IN"
                             " (SELECT seq FROM orders WHERE customer_id = ?2)", error)))
        return FALSE;
      ord_store_bind_text (stmt, 1, name);
      ord_store_bind_text (stmt, 2, ord_customer_get_id (customer));
      if (!ord_store_stmt_done (self, stmt, "search index", error))
        return FALSE;

      if (!(stmt = ord_store_stmt (self, "UPDATE orders SET customer_name = ?1 WHERE customer_id = ?2",
                             error)))
        return FALSE;
      ord_store_bind_text (stmt, 1, name);
      ord_store_bind_text (stmt, 2, ord_customer_get_id (customer));
      if (!ord_store_stmt_done (self, stmt, "orders", error))
        return FALSE;
      ord_store_note_change (self, "order", NULL);
    }

  args = customer_to_json (customer);
  if (!ord_store_outbox_add (self, "upsert_customer", ord_customer_get_id (customer), args, error))
    return FALSE;

  ord_store_note_change (self, "customer", ord_customer_get_id (customer));

  return TRUE;
}

static gboolean
save_customer_txn (OrdStore  *self,
                   gpointer   customer,
                   GError   **error)
{
  return save_customer_locked (self, customer, error);
}

/**
 * ord_store_save_customer:
 *
 * Inserts or updates @customer (by id; a new UUIDv7 is given when unset) and
 * queues an upsert_customer mutation, in one transaction. A new name is
 * carried to the customer's orders.
 */
gboolean
ord_store_save_customer (OrdStore     *self,
                         OrdCustomer  *customer,
                         GError      **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (ORD_IS_CUSTOMER (customer), FALSE);

  return ord_store_transaction (self, save_customer_txn, customer, error);
}

#define PRODUCT_COLUMNS \
  "id, sku, name, unit_price, currency, active, version, updated_at, deleted"

/* A product from a row of PRODUCT_COLUMNS. */
OrdProduct *
ord_store_product_from_row (sqlite3_stmt *stmt)
{
  OrdProduct *p = ord_product_new ();

  ord_product_set_id (p, ord_store_column_str (stmt, 0));
  ord_product_set_sku (p, ord_store_column_str (stmt, 1));
  ord_product_set_name (p, ord_store_column_str (stmt, 2));
  ord_product_set_unit_price (p, sqlite3_column_int64 (stmt, 3));
  ord_product_set_currency (p, ord_store_column_str (stmt, 4));
  ord_product_set_active (p, sqlite3_column_int (stmt, 5));
  ord_product_set_version (p, sqlite3_column_int64 (stmt, 6));
  ord_product_set_updated_at (p, sqlite3_column_int64 (stmt, 7));
  ord_product_set_deleted (p, sqlite3_column_int (stmt, 8));

  return p;
}

static OrdProduct *
product_lookup (OrdStore    *self,
                const char  *column,
                const char  *value,
                GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT " PRODUCT_COLUMNS " FROM products WHERE %s = ?",
                                          column);
  sqlite3_stmt *stmt;
  OrdProduct *p = NULL;
  int rc;

  ord_store_lock (self);
  if ((stmt = ord_store_stmt (self, sql, error)))
    {
      ord_store_bind_text (stmt, 1, value);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        p = ord_store_product_from_row (stmt);
      else if (rc == SQLITE_DONE)
        g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND,
                     _("No product “%s”"), value);
      else
        ord_store_set_sqlite_error (error, self->db, "product");
      sqlite3_reset (stmt);
    }
  ord_store_unlock (self);

  return p;
}

OrdProduct *
ord_store_get_product (OrdStore    *self,
                       const char  *id,
                       GError     **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  return product_lookup (self, "id", id, error);
}

OrdProduct *
ord_store_get_product_by_sku (OrdStore    *self,
                              const char  *sku,
                              GError     **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (sku != NULL, NULL);

  return product_lookup (self, "sku", sku, error);
}

GPtrArray *
ord_store_find_products (OrdStore    *self,
                         const char  *text,
                         gboolean     active_only,
                         guint        limit,
                         GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *pattern = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);

  pattern = like_pattern (text ? text : "");

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self,
                         "SELECT " PRODUCT_COLUMNS " FROM products"
                         " WHERE deleted = 0 AND (?3 = 0 OR active = 1)"
                         "   AND (name LIKE ?1 ESCAPE '\\' OR sku LIKE ?1 ESCAPE '\\')"
                         " ORDER BY sku LIKE ?4 ESCAPE '\\' DESC, name COLLATE NOCASE, id"
                         " LIMIT ?2", error)))
    {
      ord_store_unlock (self);
      return NULL;
    }
  ord_store_bind_text (stmt, 1, pattern);
  sqlite3_bind_int64 (stmt, 2, limit ? limit : G_MAXINT32);
  sqlite3_bind_int (stmt, 3, active_only);
  /* An exact SKU prefix comes first. */
  ord_store_bind_text (stmt, 4, pattern + 1);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, ord_store_product_from_row (stmt));
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE, "products");
      return NULL;
    }

  return g_steal_pointer (&result);
}

static char *
product_to_json (OrdProduct *p)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  json_builder_begin_object (b);
  add_string_member (b, "id", ord_product_get_id (p));
  add_string_member (b, "sku", ord_product_get_sku (p));
  add_string_member (b, "name", ord_product_get_name (p));
  add_int_member (b, "unit_price", ord_product_get_unit_price (p));
  add_string_member (b, "currency", ord_product_get_currency (p));
  json_builder_set_member_name (b, "active");
  json_builder_add_boolean_value (b, ord_product_get_active (p));
  add_int_member (b, "base_version", ord_product_get_version (p));
  json_builder_end_object (b);

  return builder_to_string (b);
}

static gboolean
save_product_locked (OrdStore    *self,
                     OrdProduct  *product,
                     GError     **error)
{
  g_autofree char *args = NULL;
  sqlite3_stmt *stmt;
  const char *sku = ord_product_get_sku (product);
  const char *name = ord_product_get_name (product);
  const char *currency = ord_product_get_currency (product);
  gint64 now = ord_store_get_now (self);

  if (sku == NULL || sku[0] == '\0')
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID, _("A product needs a SKU"));
      return FALSE;
    }
  if (name == NULL || name[0] == '\0')
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("Product “%s” needs a name"), sku);
      return FALSE;
    }
  if (ord_product_get_unit_price (product) < 0)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("Product “%s”: the price must not be negative"), sku);
      return FALSE;
    }
  if (!ord_currency_is_valid (currency))
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("Product “%s”: “%s” is not an ISO 4217 currency code"),
                   sku, currency ? currency : "");
      return FALSE;
    }

  if (ord_product_get_id (product) == NULL)
    {
      g_autofree char *id = ord_uuid_new ();
      ord_product_set_id (product, id);
    }

  if (!(stmt = ord_store_stmt (self,
                         "INSERT INTO products (" PRODUCT_COLUMNS ")"
                         " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
                         " ON CONFLICT (id) DO UPDATE SET sku = ?2, name = ?3, unit_price = ?4,"
                         "   currency = ?5, active = ?6, version = ?7, updated_at = ?8,"
                         "   deleted = ?9", error)))
    return FALSE;

  ord_product_set_updated_at (product, now);
  ord_store_bind_text (stmt, 1, ord_product_get_id (product));
  ord_store_bind_text (stmt, 2, sku);
  ord_store_bind_text (stmt, 3, name);
  sqlite3_bind_int64 (stmt, 4, ord_product_get_unit_price (product));
  ord_store_bind_text (stmt, 5, currency);
  sqlite3_bind_int (stmt, 6, ord_product_get_active (product));
  sqlite3_bind_int64 (stmt, 7, ord_product_get_version (product));
  sqlite3_bind_int64 (stmt, 8, now);
  sqlite3_bind_int (stmt, 9, ord_product_get_deleted (product));

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                     _("Another product already has the SKU “%s”"), sku);
      else
        ord_store_set_sqlite_error (error, self->db, _("Could not save the product"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);

  args = product_to_json (product);
  if (!ord_store_outbox_add (self, "upsert_product", ord_product_get_id (product), args, error))
    return FALSE;

  ord_store_note_change (self, "product", ord_product_get_id (product));

  return TRUE;
}

static gboolean
save_product_txn (OrdStore  *self,
                  gpointer   product,
                  GError   **error)
{
  return save_product_locked (self, product, error);
}

gboolean
ord_store_save_product (OrdStore    *self,
                        OrdProduct  *product,
                        GError     **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (ORD_IS_PRODUCT (product), FALSE);

  return ord_store_transaction (self, save_product_txn, product, error);
}

/* ------------------------------------------------------------------ */
/* Orders                                                              */

OrdOrder *
ord_store_order_from_row (sqlite3_stmt *stmt,
                int           first)
{
  OrdOrder *o = ord_order_new ();
  OrdTotals totals;

  ord_order_set_id (o, ord_store_column_str (stmt, first + 0));
  ord_order_set_number (o, ord_store_column_str (stmt, first + 1));
  ord_order_set_provisional_number (o, ord_store_column_str (stmt, first + 2));
  ord_order_set_customer_id (o, ord_store_column_str (stmt, first + 3));
  ord_order_set_customer_name (o, ord_store_column_str (stmt, first + 4));
  ord_order_set_status (o, sqlite3_column_int (stmt, first + 5));
  ord_order_set_created_at (o, sqlite3_column_int64 (stmt, first + 6));
  ord_order_set_updated_at (o, sqlite3_column_int64 (stmt, first + 7));
  ord_order_set_due_at (o, sqlite3_column_int64 (stmt, first + 8));
  ord_order_set_notes (o, ord_store_column_str (stmt, first + 9));
  ord_order_set_currency (o, ord_store_column_str (stmt, first + 10));
  ord_order_set_tax_rate (o, sqlite3_column_int (stmt, first + 11));
  totals.subtotal = sqlite3_column_int64 (stmt, first + 12);
  totals.discount = sqlite3_column_int64 (stmt, first + 13);
  totals.tax = sqlite3_column_int64 (stmt, first + 14);
  totals.total = sqlite3_column_int64 (stmt, first + 15);
  ord_order_set_discount (o, totals.discount);
  ord_order_set_totals (o, &totals, sqlite3_column_int (stmt, first + 16));
  ord_order_set_version (o, sqlite3_column_int64 (stmt, first + 17));
  ord_order_set_deleted (o, sqlite3_column_int (stmt, first + 18));
  ord_order_set_external_ref (o, ord_store_column_str (stmt, first + 19));

  return o;
}

gboolean
ord_store_load_items (OrdStore  *self,
            OrdOrder  *order,
            GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = ord_store_stmt (self,
                         "SELECT id, product_id, sku, name, unit_price, quantity, discount"
                         " FROM order_items WHERE order_id = ? ORDER BY position", error)))
    return FALSE;

  ord_order_clear_items (order);
  ord_store_bind_text (stmt, 1, ord_order_get_id (order));
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(OrdOrderItem) item = ord_order_item_new ();

      ord_order_item_set_id (item, ord_store_column_str (stmt, 0));
      ord_order_item_set_product_id (item, ord_store_column_str (stmt, 1));
      ord_order_item_set_sku (item, ord_store_column_str (stmt, 2));
      ord_order_item_set_name (item, ord_store_column_str (stmt, 3));
      ord_order_item_set_unit_price (item, sqlite3_column_int64 (stmt, 4));
      ord_order_item_set_quantity (item, sqlite3_column_int64 (stmt, 5));
      ord_order_item_set_discount (item, sqlite3_column_int64 (stmt, 6));
      ord_order_add_item (order, item);
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      ord_store_set_sqlite_error (error, self->db, "items");
      return FALSE;
    }

  return TRUE;
}

static OrdOrder *
order_lookup (OrdStore    *self,
              const char  *where,
              const char  *value,
              gboolean     with_items,
              GError     **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT " ORDER_COLUMNS " FROM orders o WHERE %s"
                                          " ORDER BY o.seq LIMIT 1", where);
  g_autoptr(OrdOrder) order = NULL;
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = ord_store_stmt (self, sql, error)))
    return NULL;
  ord_store_bind_text (stmt, 1, value);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    order = ord_store_order_from_row (stmt, 0);
  sqlite3_reset (stmt);

  if (rc == SQLITE_DONE)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND,
                   _("No order “%s”"), value);
      return NULL;
    }
  else if (rc != SQLITE_ROW)
    {
      ord_store_set_sqlite_error (error, self->db, "order");
      return NULL;
    }

  if (with_items && !ord_store_load_items (self, order, error))
    return NULL;

  return g_steal_pointer (&order);
}

OrdOrder *
ord_store_get_order (OrdStore    *self,
                     const char  *id,
                     GError     **error)
{
  OrdOrder *order;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  ord_store_lock (self);
  order = order_lookup (self, "o.id = ?1", id, TRUE, error);
  ord_store_unlock (self);

  return order;
}

OrdOrder *
ord_store_get_order_by_number (OrdStore    *self,
                               const char  *number,
                               GError     **error)
{
  OrdOrder *order;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (number != NULL, NULL);

  ord_store_lock (self);
  order = order_lookup (self, "o.number = ?1 OR o.provisional_number = ?1", number, TRUE, error);
  ord_store_unlock (self);

  return order;
}

OrdOrder *
ord_store_get_order_by_external_ref (OrdStore    *self,
                                     const char  *ref,
                                     GError     **error)
{
  OrdOrder *order;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (ref != NULL, NULL);

  ord_store_lock (self);
  order = order_lookup (self, "o.external_ref = ?1", ref, TRUE, error);
  ord_store_unlock (self);

  return order;
}

/**
 * ord_store_append_item_search:
 *
 * Appends one line's words to the search text of an order's items: what
 * the store writes in the search index's "items" column.
 */
void
ord_store_append_item_search (GString    *out,
                              const char *sku,
                              const char *name)
{
  if (out->len)
    g_string_append_c (out, ' ');
  if (sku)
    {
      g_string_append (out, sku);
      g_string_append_c (out, ' ');
    }
  g_string_append (out, name);
}

/**
 * ord_store_search_number:
 *
 * The search index's "number" column: the number, and the provisional
 * number when it differs (it stays searchable after the server's).
 */
char *
ord_store_search_number (const char *number,
                         const char *provisional)
{
  if (provisional != NULL && g_strcmp0 (provisional, number) != 0)
    return g_strconcat (number, " ", provisional, NULL);
  return g_strdup (number);
}

/**
 * ord_store_search_items:
 *
 * The search index's "items" column for @order's lines.
 */
char *
ord_store_search_items (OrdOrder *order)
{
  GString *s = g_string_new (NULL);
  guint n = ord_order_get_n_items (order);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);

      ord_store_append_item_search (s, ord_order_item_get_sku (item),
                                    ord_order_item_get_name (item));
    }

  return g_string_free (s, FALSE);
}

gboolean
ord_store_fts_write (OrdStore  *self,
                     gint64     seq,
                     OrdOrder  *order,
                     gboolean   replace,
                     GError   **error)
{
  FtsPending p;

  g_assert (self->txn_depth > 0);

  p.depth = self->txn_depth;
  p.replace = replace;
  p.seq = seq;
  p.number = ord_store_search_number (ord_order_get_number (order),
                                      ord_order_get_provisional_number (order));
  p.customer = g_strdup (ord_order_get_customer_name (order));
  p.notes = g_strdup (ord_order_get_notes (order));
  p.items = ord_store_search_items (order);
  g_array_append_val (self->fts_pending, p);

  return TRUE;
}

gboolean
ord_store_insert_item (OrdStore      *self,
             const char    *order_id,
             guint          position,
             OrdOrderItem  *item,
             GError       **error)
{
  sqlite3_stmt *stmt;

  if (ord_order_item_get_id (item) == NULL)
    {
      g_autofree char *id = ord_uuid_new ();
      ord_order_item_set_id (item, id);
    }

  if (!(stmt = ord_store_stmt (self,
                         "INSERT INTO order_items"
                         " (id, order_id, position, product_id, sku, name, unit_price,"
                         "  quantity, discount) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", error)))
    return FALSE;

  bind_static (stmt, 1, ord_order_item_get_id (item));
  bind_static (stmt, 2, order_id);
  sqlite3_bind_int (stmt, 3, position);
  bind_static (stmt, 4, ord_order_item_get_product_id (item));
  bind_static (stmt, 5, ord_order_item_get_sku (item));
  bind_static (stmt, 6, ord_order_item_get_name (item));
  sqlite3_bind_int64 (stmt, 7, ord_order_item_get_unit_price (item));
  sqlite3_bind_int64 (stmt, 8, ord_order_item_get_quantity (item));
  sqlite3_bind_int64 (stmt, 9, ord_order_item_get_discount (item));

  return ord_store_stmt_done (self, stmt, _("Could not save an order line"), error);
}

/* The rules every new order meets whoever writes it (a person, the
 * importer, a pushed mutation), on its plain fields: only an owner starts
 * an order past pending. */
static gboolean
check_new_status (OrdStore   *self,
                  OrdStatus   status,
                  GError    **error)
{
  if (status != ORD_STATUS_PENDING && self->role != ORD_ROLE_OWNER)
    {
      g_set_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_FORBIDDEN,
                   _("A new order starts as pending"));
      return FALSE;
    }
  return TRUE;
}

/* A customer, a known currency, at least one line, each with a name
 * (@item_name (@items, i) for i < @n_items). */
static gboolean
check_order_fields (const char     *customer_id,
                    const char     *currency,
                    guint           n_items,
                    const char   *(*item_name) (gconstpointer items,
                                                guint         i),
                    gconstpointer   items,
                    GError        **error)
{
  if (customer_id == NULL)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("An order needs a customer"));
      return FALSE;
    }
  if (!ord_currency_is_valid (currency))
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("“%s” is not an ISO 4217 currency code"), currency ? currency : "");
      return FALSE;
    }
  if (n_items == 0)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("An order needs at least one line"));
      return FALSE;
    }
  for (guint i = 0; i < n_items; i++)
    {
      const char *name = item_name (items, i);

      if (name == NULL || name[0] == '\0')
        {
          g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                       _("Line %u needs a product name"), i + 1);
          return FALSE;
        }
    }
  return TRUE;
}

/* The order keeps its lines: the name outlives the reference. */
static const char *
order_item_name (gconstpointer items,
                 guint         i)
{
  g_autoptr(OrdOrderItem) item = ord_order_get_item ((OrdOrder *) items, i);

  return ord_order_item_get_name (item);
}

/**
 * ord_store_validate_order:
 *
 * Whether @order can be written as a new or edited order: a customer, a
 * known currency, at least one named line, totals that compute. The
 * server asks the same of a pushed order.
 */
gboolean
ord_store_validate_order (OrdStore  *self,
                          OrdOrder  *order,
                          GError   **error)
{
  if (!check_order_fields (ord_order_get_customer_id (order), ord_order_get_currency (order),
                           ord_order_get_n_items (order), order_item_name, order, error))
    return FALSE;

  if (!ord_order_compute_totals (order, error))
    return FALSE;

  return TRUE;
}

/* Fills customer-name from the customers table; fails when unknown. */
static gboolean
resolve_customer (OrdStore  *self,
                  OrdOrder  *order,
                  GError   **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = ord_store_stmt (self, "SELECT name FROM customers WHERE id = ?", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, ord_order_get_customer_id (order));
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    ord_order_set_customer_name (order, ord_store_column_str (stmt, 0));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                   _("The order’s customer “%s” does not exist"),
                   ord_order_get_customer_id (order));
      return FALSE;
    }

  return TRUE;
}

static gboolean
create_order_locked (OrdStore   *self,
                     OrdOrder   *order,
                     GPtrArray  *events,
                     GError    **error)
{
  g_autofree char *args = NULL;
  sqlite3_stmt *stmt;
  const char *actor = self->actor;
  gint64 now = ord_store_get_now (self);
  gint64 seq;
  guint n;
  OrdStatus status = ord_order_get_status (order);

  if (!check_new_status (self, status, error) ||
      !ord_store_validate_order (self, order, error) || !resolve_customer (self, order, error))
    return FALSE;

  if (ord_order_get_id (order) == NULL)
    {
      g_autofree char *id = ord_uuid_new ();
      ord_order_set_id (order, id);
    }
  if (ord_order_get_created_at (order) == 0)
    ord_order_set_created_at (order, now);
  if (ord_order_get_updated_at (order) == 0)
    ord_order_set_updated_at (order, ord_order_get_created_at (order));
  if (ord_order_get_number (order) == NULL)
    {
      g_autofree char *number = next_provisional_number (self, error);

      if (number == NULL)
        return FALSE;
      ord_order_set_number (order, number);
      ord_order_set_provisional_number (order, number);
    }

  if (!(stmt = ord_store_stmt (self,
                         "INSERT INTO orders"
                         " (id, number, provisional_number, customer_id, customer_name, status,"
                         "  created_at, updated_at, due_at, notes, currency, tax_rate, subtotal,"
                         "  discount, tax, total, item_count, version, deleted, external_ref)"
                         " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         error)))
    return FALSE;

  ord_store_bind_text (stmt, 1, ord_order_get_id (order));
  ord_store_bind_text (stmt, 2, ord_order_get_number (order));
  ord_store_bind_text (stmt, 3, ord_order_get_provisional_number (order));
  ord_store_bind_text (stmt, 4, ord_order_get_customer_id (order));
  ord_store_bind_text (stmt, 5, ord_order_get_customer_name (order));
  sqlite3_bind_int (stmt, 6, status);
  sqlite3_bind_int64 (stmt, 7, ord_order_get_created_at (order));
  sqlite3_bind_int64 (stmt, 8, ord_order_get_updated_at (order));
  sqlite3_bind_int64 (stmt, 9, ord_order_get_due_at (order));
  ord_store_bind_text (stmt, 10, ord_order_get_notes (order) ? ord_order_get_notes (order) : "");
  ord_store_bind_text (stmt, 11, ord_order_get_currency (order));
  sqlite3_bind_int (stmt, 12, ord_order_get_tax_rate (order));
  sqlite3_bind_int64 (stmt, 13, ord_order_get_subtotal (order));
  sqlite3_bind_int64 (stmt, 14, ord_order_get_discount (order));
  sqlite3_bind_int64 (stmt, 15, ord_order_get_tax (order));
  sqlite3_bind_int64 (stmt, 16, ord_order_get_total (order));
  sqlite3_bind_int (stmt, 17, ord_order_get_item_count (order));
  sqlite3_bind_int64 (stmt, 18, ord_order_get_version (order));
  sqlite3_bind_int (stmt, 19, ord_order_get_deleted (order));
  ord_store_bind_text (stmt, 20, ord_order_get_external_ref (order));

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      int code = sqlite3_extended_errcode (self->db);

      if (code == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                     _("Order “%s” already exists"), ord_order_get_external_ref (order)
                       ? ord_order_get_external_ref (order) : ord_order_get_id (order));
      else
        ord_store_set_sqlite_error (error, self->db, _("Could not save the order"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  seq = sqlite3_last_insert_rowid (self->db);

  n = ord_order_get_n_items (order);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);

      if (!ord_store_insert_item (self, ord_order_get_id (order), i, item, error))
        return FALSE;
    }

  if (!ord_store_fts_write (self, seq, order, FALSE, error))
    return FALSE;

  if (events != NULL)
    {
      for (guint i = 0; i < events->len; i++)
        {
          OrdOrderEvent *e = g_ptr_array_index (events, i);

          if (!ord_store_event_add (self, ord_order_get_id (order), ord_order_event_get_at (e),
                          ord_order_event_get_actor (e), ord_order_event_get_kind (e),
                          ord_order_event_get_from_status (e), ord_order_event_get_to_status (e),
                          ord_order_event_get_reason (e), ord_order_event_get_details (e), error))
            return FALSE;
        }
    }
  else
    {
      OrdEventKind kind = ord_order_get_external_ref (order) ? ORD_EVENT_IMPORTED
                                                             : ORD_EVENT_CREATED;

      if (!ord_store_event_add (self, ord_order_get_id (order), ord_order_get_created_at (order),
                      actor, kind, -1, ORD_STATUS_PENDING, NULL, NULL, error))
        return FALSE;

      if (status != ORD_STATUS_PENDING &&
          !ord_store_event_add (self, ord_order_get_id (order), ord_order_get_updated_at (order),
                      actor, status == ORD_STATUS_CANCELLED ? ORD_EVENT_CANCELLED
                                                            : ORD_EVENT_STATUS,
                      ORD_STATUS_PENDING, status, NULL, NULL, error))
        return FALSE;
    }

  if (ord_store_get_outbox_enabled (self))
    {
      /* A bulk write leaves the arguments empty: the order as stored,
       * written out when it is pushed or before it is first changed
       * (ord_store_outbox_pin). */
      if (!self->bulk)
        args = ord_store_order_to_json (order);
      if (!ord_store_outbox_add (self, "create_order", ord_order_get_id (order),
                                 args ? args : "", error))
        return FALSE;
    }

  ord_store_note_change (self, "order", ord_order_get_id (order));

  return TRUE;
}

typedef struct
{
  OrdOrder  *order;
  GPtrArray *events;
} CreateArgs;

static gboolean
create_order_txn (OrdStore  *self,
                  gpointer   data,
                  GError   **error)
{
  CreateArgs *args = data;

  return create_order_locked (self, args->order, args->events, error);
}

/**
 * ord_store_create_order_with_events:
 * @self: an #OrdStore
 * @order: the new order with its items; id, number and times are filled in
 *   where unset
 * @events: (nullable) (element-type OrdOrderEvent): the order's past
 * @error: a #GError
 *
 * Writes the order, its lines, its search entry, its timeline and a
 * create_order mutation in one transaction.
 */
gboolean
ord_store_create_order_with_events (OrdStore   *self,
                                    OrdOrder   *order,
                                    GPtrArray  *events,
                                    GError    **error)
{
  CreateArgs args = { order, events };

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (ORD_IS_ORDER (order), FALSE);

  return ord_store_transaction (self, create_order_txn, &args, error);
}

gboolean
ord_store_create_order (OrdStore  *self,
                        OrdOrder  *order,
                        GError   **error)
{
  return ord_store_create_order_with_events (self, order, NULL, error);
}

/* ------------------------------------------------------------------ */
/* Checkpoints beside a bulk write                                     */

struct _OrdStoreCheckpointer
{
  sqlite3 *db;
};

/**
 * ord_store_checkpointer_new:
 *
 * See ord-store-private.h.
 */
OrdStoreCheckpointer *
ord_store_checkpointer_new (OrdStore *self)
{
  OrdStoreCheckpointer *checkpointer;
  sqlite3 *db = NULL;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);

  if ((self->flags & ORD_STORE_FLAGS_READ_ONLY) || g_strcmp0 (self->path, ":memory:") == 0 ||
      self->path[0] == '\0')
    return NULL;

  if (sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK ||
      !ord_store_exec (db, "PRAGMA synchronous = NORMAL", NULL))
    {
      g_debug ("no checkpoints beside the bulk write: %s",
               db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }

  checkpointer = g_new0 (OrdStoreCheckpointer, 1);
  checkpointer->db = db;
  return checkpointer;
}

void
ord_store_checkpointer_run (OrdStoreCheckpointer *checkpointer)
{
  int log_frames = 0, done_frames = 0;

  if (checkpointer == NULL)
    return;

  /* Passive: never waits for the writer, and copies only what the
   * readers no longer need; the write-ahead log stays whole until the
   * writer starts it again from its beginning. */
  if (sqlite3_wal_checkpoint_v2 (checkpointer->db, "main", SQLITE_CHECKPOINT_PASSIVE,
                                 &log_frames, &done_frames) != SQLITE_OK)
    g_debug ("checkpoint: %s", sqlite3_errmsg (checkpointer->db));
}

void
ord_store_checkpointer_free (OrdStoreCheckpointer *checkpointer)
{
  if (checkpointer == NULL)
    return;

  sqlite3_close (checkpointer->db);
  g_free (checkpointer);
}

/* ------------------------------------------------------------------ */
/* Bulk writes                                                         */

/* A statement per row costs SQLite more than the row: each opens the
 * statement journal of every page it touches (the foreign keys and the
 * triggers ask for one). Rows are written BULK_*_ROWS to a statement. */
enum
{
  BULK_ORDERS,
  BULK_ITEMS,
  BULK_EVENTS,
  BULK_OUTBOX,
};

static const struct
{
  const char *head;
  const char *row;
  guint       max_rows;
} bulk_kinds[] = {
  [BULK_ORDERS] = {
    "INSERT INTO orders"
    " (seq, id, number, provisional_number, customer_id, customer_name, status, created_at,"
    "  updated_at, due_at, notes, currency, tax_rate, subtotal, discount, tax, total,"
    "  item_count, external_ref) VALUES ",
    "(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", 32 },
  [BULK_ITEMS] = {
    "INSERT INTO order_items"
    " (order_id, position, id, product_id, sku, name, unit_price, quantity, discount) VALUES ",
    "(?,?,?,?,?,?,?,?,?)", 64 },
  [BULK_EVENTS] = {
    "INSERT INTO order_events (order_id, at, actor, kind, from_status, to_status, reason)"
    " VALUES ",
    "(?,?,?,?,?,?,?)", 64 },
  [BULK_OUTBOX] = {
    "INSERT INTO outbox (name, entity_id, args, created_at) VALUES ",
    "('create_order',?,'',?)", 64 },
};

G_STATIC_ASSERT (G_N_ELEMENTS (bulk_kinds) == 4);

static sqlite3_stmt *
bulk_stmt (OrdStore  *self,
           guint      kind,
           guint      rows,
           GError   **error)
{
  sqlite3_stmt *stmt;

  g_assert (rows > 0 && rows <= bulk_kinds[kind].max_rows);
  g_assert (rows < G_N_ELEMENTS (self->bulk_stmts[kind]));

  stmt = self->bulk_stmts[kind][rows];
  if (stmt == NULL)
    {
      g_autoptr(GString) sql = g_string_new (bulk_kinds[kind].head);

      for (guint i = 0; i < rows; i++)
        {
          if (i > 0)
            g_string_append_c (sql, ',');
          g_string_append (sql, bulk_kinds[kind].row);
        }
      /* The store's cache owns it. */
      stmt = ord_store_stmt (self, sql->str, error);
      if (stmt == NULL)
        return NULL;
      self->bulk_stmts[kind][rows] = stmt;
    }

  return stmt;
}

static gboolean
bulk_step (OrdStore      *self,
           sqlite3_stmt  *stmt,
           const char    *what,
           GError       **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_INVALID,
                     "%s: %s", what, sqlite3_errmsg (self->db));
      else
        ord_store_set_sqlite_error (error, self->db, what);
      sqlite3_reset (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  return TRUE;
}

static const char *
bulk_item_name (gconstpointer items,
                guint         i)
{
  return ((const OrdBulkItem *) items)[i].name;
}

/**
 * ord_store_bulk_check_order:
 *
 * The checks of ord_store_create_order() that need no database, for an
 * order of a bulk write.
 */
gboolean
ord_store_bulk_check_order (OrdStore           *self,
                            const OrdBulkOrder *order,
                            GError            **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (order != NULL, FALSE);

  return check_new_status (self, order->status, error) &&
         check_order_fields (order->customer_id, order->currency, order->n_items,
                             bulk_item_name, order->items, error);
}

gboolean
ord_store_bulk_order_exists (OrdStore    *self,
                             const char  *id,
                             const char  *external_ref,
                             const char  *number,
                             gboolean    *exists,
                             GError     **error)
{
  static const char * const queries[] = {
    "SELECT 1 FROM orders WHERE id = ?1",
    "SELECT 1 FROM orders WHERE external_ref = ?1",
    "SELECT 1 FROM orders WHERE number = ?1 OR provisional_number = ?1",
  };
  const char *values[] = { id, external_ref, id == NULL && external_ref == NULL ? number : NULL };
  gboolean ok = TRUE;

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (exists != NULL, FALSE);

  *exists = FALSE;
  ord_store_lock (self);
  for (guint i = 0; i < G_N_ELEMENTS (queries) && !*exists; i++)
    {
      sqlite3_stmt *stmt;
      int rc;

      if (values[i] == NULL)
        continue;
      if (!(stmt = ord_store_stmt (self, queries[i], error)))
        {
          ok = FALSE;
          break;
        }
      bind_static (stmt, 1, values[i]);
      rc = sqlite3_step (stmt);
      *exists = rc == SQLITE_ROW;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        {
          ord_store_set_sqlite_error (error, self->db, "order");
          ok = FALSE;
          break;
        }
    }
  ord_store_unlock (self);

  return ok;
}

typedef struct
{
  const char         *order_id;
  const OrdBulkEvent *event;
  OrdBulkEvent        own;
} BulkEventRow;

static gboolean
bulk_create_orders_locked (OrdStore           *self,
                           const OrdBulkOrder *orders,
                           guint               n,
                           GError            **error)
{
  g_autoptr(GPtrArray) owned = g_ptr_array_new_with_free_func (g_free);
  g_autofree const char **ids = g_new0 (const char *, n);
  g_autofree const char **numbers = g_new0 (const char *, n);
  g_autofree const char **provisionals = g_new0 (const char *, n);
  g_autofree gint64 *created = g_new0 (gint64, n);
  g_autoptr(GArray) events = g_array_new (FALSE, FALSE, sizeof (BulkEventRow));
  g_autoptr(GString) search = g_string_new (NULL);
  gint64 now = ord_store_get_now (self);
  gint64 first_seq;
  guint n_items = 0;
  sqlite3_stmt *stmt;

  /* FTS5 writes out what it holds in memory as a segment each time it
   * holds more than this (1 MiB by default): a batch's entries are kept
   * for the one segment of its commit. The setting is the index's own. */
  if (!self->fts_hashsize_set)
    {
      if (!(stmt = ord_store_stmt (self,
                                   "INSERT INTO orders_fts (orders_fts, rank)"
                                   " VALUES ('hashsize', 8388608)", error)) ||
          !bulk_step (self, stmt, "search index", error))
        return FALSE;
      self->fts_hashsize_set = TRUE;
    }

  if (!(stmt = ord_store_stmt (self, "SELECT coalesce (max (seq), 0) FROM orders", error)))
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ord_store_set_sqlite_error (error, self->db, _("Could not save the order"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  first_seq = sqlite3_column_int64 (stmt, 0) + 1;
  sqlite3_reset (stmt);

  /* What the store fills in, as create_order_locked() does. */
  for (guint i = 0; i < n; i++)
    {
      const OrdBulkOrder *o = &orders[i];

      ids[i] = o->id;
      if (ids[i] == NULL)
        g_ptr_array_add (owned, (char *) (ids[i] = ord_uuid_new ()));
      numbers[i] = o->number;
      provisionals[i] = o->provisional_number;
      if (numbers[i] == NULL)
        {
          char *number = next_provisional_number (self, error);

          if (number == NULL)
            return FALSE;
          g_ptr_array_add (owned, number);
          numbers[i] = provisionals[i] = number;
        }
      created[i] = o->created_at != 0 ? o->created_at : now;
      n_items += o->n_items;
    }

  /* The orders, their seq assigned here so that the search entries can
   * be written without asking SQLite for each. */
  for (guint done = 0; done < n;)
    {
      guint rows = MIN (bulk_kinds[BULK_ORDERS].max_rows, n - done);

      if (!(stmt = bulk_stmt (self, BULK_ORDERS, rows, error)))
        return FALSE;
      for (guint r = 0; r < rows; r++)
        {
          guint i = done + r;
          const OrdBulkOrder *o = &orders[i];
          int c = (int) r * 19;

          sqlite3_bind_int64 (stmt, c + 1, first_seq + i);
          bind_static (stmt, c + 2, ids[i]);
          bind_static (stmt, c + 3, numbers[i]);
          bind_static (stmt, c + 4, provisionals[i]);
          bind_static (stmt, c + 5, o->customer_id);
          bind_static (stmt, c + 6, o->customer_name);
          sqlite3_bind_int (stmt, c + 7, o->status);
          sqlite3_bind_int64 (stmt, c + 8, created[i]);
          sqlite3_bind_int64 (stmt, c + 9, o->updated_at != 0 ? o->updated_at : created[i]);
          sqlite3_bind_int64 (stmt, c + 10, o->due_at);
          bind_static (stmt, c + 11, o->notes ? o->notes : "");
          bind_static (stmt, c + 12, o->currency);
          sqlite3_bind_int (stmt, c + 13, o->tax_rate);
          sqlite3_bind_int64 (stmt, c + 14, o->totals.subtotal);
          sqlite3_bind_int64 (stmt, c + 15, o->totals.discount);
          sqlite3_bind_int64 (stmt, c + 16, o->totals.tax);
          sqlite3_bind_int64 (stmt, c + 17, o->totals.total);
          sqlite3_bind_int (stmt, c + 18, o->n_items);
          bind_static (stmt, c + 19, o->external_ref);
        }
      if (!bulk_step (self, stmt, _("Could not save the order"), error))
        return FALSE;
      done += rows;
    }

  /* Their lines, in order. */
  for (guint done = 0, i = 0, j = 0; done < n_items;)
    {
      guint rows = MIN (bulk_kinds[BULK_ITEMS].max_rows, n_items - done);

      if (!(stmt = bulk_stmt (self, BULK_ITEMS, rows, error)))
        return FALSE;
      for (guint r = 0; r < rows; r++, j++)
        {
          const OrdBulkItem *item;
          int c = (int) r * 9;

          while (j >= orders[i].n_items)
            {
              i++;
              j = 0;
            }
          item = &orders[i].items[j];
          bind_static (stmt, c + 1, ids[i]);
          sqlite3_bind_int (stmt, c + 2, (int) j);
          bind_static (stmt, c + 3, item->id);
          bind_static (stmt, c + 4, item->product_id);
          bind_static (stmt, c + 5, item->sku);
          bind_static (stmt, c + 6, item->name);
          sqlite3_bind_int64 (stmt, c + 7, item->unit_price);
          sqlite3_bind_int64 (stmt, c + 8, item->quantity);
          sqlite3_bind_int64 (stmt, c + 9, item->discount);
        }
      if (!bulk_step (self, stmt, _("Could not save an order line"), error))
        return FALSE;
      done += rows;
    }

  /* Their timelines: the given one, or what create_order_locked() writes. */
  for (guint i = 0; i < n; i++)
    {
      const OrdBulkOrder *o = &orders[i];
      BulkEventRow row = { ids[i], NULL, { 0, } };

      if (o->events != NULL)
        {
          for (guint k = 0; k < o->n_events; k++)
            {
              row.event = &o->events[k];
              g_array_append_val (events, row);
            }
          continue;
        }

      row.own = (OrdBulkEvent) { created[i], self->actor,
                                 o->external_ref ? ORD_EVENT_IMPORTED : ORD_EVENT_CREATED,
                                 -1, ORD_STATUS_PENDING, NULL };
      g_array_append_val (events, row);
      if (o->status != ORD_STATUS_PENDING)
        {
          row.own = (OrdBulkEvent) { o->updated_at != 0 ? o->updated_at : created[i],
                                     self->actor,
                                     o->status == ORD_STATUS_CANCELLED ? ORD_EVENT_CANCELLED
                                                                       : ORD_EVENT_STATUS,
                                     ORD_STATUS_PENDING, o->status, NULL };
          g_array_append_val (events, row);
        }
    }
  for (guint done = 0; done < events->len;)
    {
      guint rows = MIN (bulk_kinds[BULK_EVENTS].max_rows, events->len - done);

      if (!(stmt = bulk_stmt (self, BULK_EVENTS, rows, error)))
        return FALSE;
      for (guint r = 0; r < rows; r++)
        {
          BulkEventRow *row = &g_array_index (events, BulkEventRow, done + r);
          const OrdBulkEvent *e = row->event != NULL ? row->event : &row->own;
          int c = (int) r * 7;

          bind_static (stmt, c + 1, row->order_id);
          sqlite3_bind_int64 (stmt, c + 2, e->at);
          bind_static (stmt, c + 3, e->actor);
          bind_static (stmt, c + 4, ord_event_kind_to_string (e->kind));
          if (e->from_status >= 0)
            sqlite3_bind_int (stmt, c + 5, e->from_status);
          else
            sqlite3_bind_null (stmt, c + 5);
          if (e->to_status >= 0)
            sqlite3_bind_int (stmt, c + 6, e->to_status);
          else
            sqlite3_bind_null (stmt, c + 6);
          bind_static (stmt, c + 7, e->reason);
        }
      if (!bulk_step (self, stmt, "timeline", error))
        return FALSE;
      done += rows;
    }

  /* Their create_order mutations, the arguments written out when pushed. */
  if (ord_store_get_outbox_enabled (self))
    for (guint done = 0; done < n;)
      {
        guint rows = MIN (bulk_kinds[BULK_OUTBOX].max_rows, n - done);

        if (!(stmt = bulk_stmt (self, BULK_OUTBOX, rows, error)))
          return FALSE;
        for (guint r = 0; r < rows; r++)
          {
            bind_static (stmt, (int) r * 2 + 1, ids[done + r]);
            sqlite3_bind_int64 (stmt, (int) r * 2 + 2, now);
          }
        if (!bulk_step (self, stmt, "outbox", error))
          return FALSE;
        done += rows;
      }

  /* Their search entries, last and in rowid order: FTS5 keeps them in
   * memory until the commit (a statement journal opened after them would
   * make it write them out as a segment). One a statement: a multi-row
   * insert into the index would open one itself. */
  if (!(stmt = ord_store_stmt (self,
                               "INSERT INTO orders_fts (rowid, number, customer, notes, items)"
                               " VALUES (?, ?, ?, ?, ?)", error)))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      const OrdBulkOrder *o = &orders[i];
      g_autofree char *number = ord_store_search_number (numbers[i], provisionals[i]);
      const char *items = o->search_items;

      if (items == NULL)
        {
          g_string_truncate (search, 0);
          for (guint j = 0; j < o->n_items; j++)
            ord_store_append_item_search (search, o->items[j].sku, o->items[j].name);
          items = search->str;
        }

      sqlite3_bind_int64 (stmt, 1, first_seq + i);
      bind_static (stmt, 2, number);
      bind_static (stmt, 3, o->customer_name);
      bind_static (stmt, 4, o->notes);
      bind_static (stmt, 5, items);
      if (!bulk_step (self, stmt, "search index", error))
        return FALSE;
    }

  ord_store_note_change (self, "order", n == 1 ? ids[0] : NULL);

  return TRUE;
}

/**
 * ord_store_bulk_create_orders:
 *
 * See ord-store-private.h.
 */
gboolean
ord_store_bulk_create_orders (OrdStore           *self,
                              const OrdBulkOrder *orders,
                              guint               n,
                              GError            **error)
{
  gboolean ok;

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (orders != NULL || n == 0, FALSE);

  if (n == 0)
    return TRUE;

  ord_store_lock (self);
  if (!self->bulk || self->txn_depth == 0)
    {
      ord_store_unlock (self);
      g_return_val_if_reached (FALSE);
    }
  ok = bulk_create_orders_locked (self, orders, n, error);
  ord_store_unlock (self);

  return ok;
}

static gboolean
items_equal (OrdOrderItem *a,
             OrdOrderItem *b)
{
  return g_strcmp0 (ord_order_item_get_product_id (a), ord_order_item_get_product_id (b)) == 0 &&
         g_strcmp0 (ord_order_item_get_sku (a), ord_order_item_get_sku (b)) == 0 &&
         g_strcmp0 (ord_order_item_get_name (a), ord_order_item_get_name (b)) == 0 &&
         ord_order_item_get_unit_price (a) == ord_order_item_get_unit_price (b) &&
         ord_order_item_get_quantity (a) == ord_order_item_get_quantity (b) &&
         ord_order_item_get_discount (a) == ord_order_item_get_discount (b);
}

static void
change_string (JsonBuilder *fields,
               JsonBuilder *details,
               const char  *name,
               const char  *from,
               const char  *to,
               guint       *n_changes)
{
  if (g_strcmp0 (from ? from : "", to ? to : "") == 0)
    return;

  add_string_member (fields, name, to);
  json_builder_set_member_name (details, name);
  json_builder_begin_object (details);
  add_string_member (details, "from", from);
  add_string_member (details, "to", to);
  json_builder_end_object (details);
  (*n_changes)++;
}

static void
change_int (JsonBuilder *fields,
            JsonBuilder *details,
            const char  *name,
            gint64       from,
            gint64       to,
            guint       *n_changes)
{
  if (from == to)
    return;

  add_int_member (fields, name, to);
  json_builder_set_member_name (details, name);
  json_builder_begin_object (details);
  add_int_member (details, "from", from);
  add_int_member (details, "to", to);
  json_builder_end_object (details);
  (*n_changes)++;
}

static gboolean
edit_order_locked (OrdStore  *self,
                   OrdOrder  *order,
                   GError   **error)
{
  g_autoptr(OrdOrder) old = NULL;
  g_autoptr(JsonBuilder) fields = json_builder_new ();
  g_autoptr(JsonBuilder) details = json_builder_new ();
  g_autoptr(JsonBuilder) args = json_builder_new ();
  g_autoptr(GHashTable) old_items = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) new_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) added = g_ptr_array_new ();
  g_autoptr(GPtrArray) changed = g_ptr_array_new ();
  g_autoptr(GPtrArray) removed = g_ptr_array_new ();
  g_autofree char *details_text = NULL;
  g_autofree char *args_text = NULL;
  g_autoptr(JsonNode) fields_node = NULL;
  sqlite3_stmt *stmt;
  gint64 now = ord_store_get_now (self);
  gint64 seq;
  guint n_changes = 0;
  guint n_old, n_new;

  g_return_val_if_fail (ord_order_get_id (order) != NULL, FALSE);

  if (!(old = order_lookup (self, "o.id = ?1", ord_order_get_id (order), TRUE, error)))
    return FALSE;

  if (!ord_status_check_edit (self->role, ord_order_get_status (old), error))
    return FALSE;

  if (!ord_store_outbox_pin (self, ord_order_get_id (order), error))
    return FALSE;

  if (!ord_store_validate_order (self, order, error))
    return FALSE;

  if (g_strcmp0 (ord_order_get_customer_id (old), ord_order_get_customer_id (order)) != 0 &&
      !resolve_customer (self, order, error))
    return FALSE;

  json_builder_begin_object (fields);
  json_builder_begin_object (details);
  change_string (fields, details, "customer_id", ord_order_get_customer_id (old),
                 ord_order_get_customer_id (order), &n_changes);
  change_int (fields, details, "due_at", ord_order_get_due_at (old),
              ord_order_get_due_at (order), &n_changes);
  change_string (fields, details, "notes", ord_order_get_notes (old),
                 ord_order_get_notes (order), &n_changes);
  change_string (fields, details, "currency", ord_order_get_currency (old),
                 ord_order_get_currency (order), &n_changes);
  change_int (fields, details, "discount", ord_order_get_discount (old),
              ord_order_get_discount (order), &n_changes);
  change_int (fields, details, "tax_rate", ord_order_get_tax_rate (old),
              ord_order_get_tax_rate (order), &n_changes);

  /* Item deltas, by item id. */
  n_old = ord_order_get_n_items (old);
  n_new = ord_order_get_n_items (order);
  for (guint i = 0; i < n_old; i++)
    {
      OrdOrderItem *item = g_list_model_get_item (ord_order_get_items (old), i);
      g_hash_table_insert (old_items, (gpointer) ord_order_item_get_id (item), item);
      g_object_unref (item); /* the order keeps it alive */
    }
  for (guint i = 0; i < n_new; i++)
    {
      OrdOrderItem *item = g_list_model_get_item (ord_order_get_items (order), i);
      OrdOrderItem *was = NULL;

      g_object_unref (item);
      if (ord_order_item_get_id (item) == NULL)
        {
          g_autofree char *id = ord_uuid_new ();
          ord_order_item_set_id (item, id);
        }
      g_hash_table_add (new_ids, (gpointer) ord_order_item_get_id (item));
      was = g_hash_table_lookup (old_items, ord_order_item_get_id (item));
      if (was == NULL)
        g_ptr_array_add (added, item);
      else if (!items_equal (was, item))
        g_ptr_array_add (changed, item);
    }
  for (guint i = 0; i < n_old; i++)
    {
      OrdOrderItem *item = g_list_model_get_item (ord_order_get_items (old), i);

      g_object_unref (item);
      if (!g_hash_table_contains (new_ids, ord_order_item_get_id (item)))
        g_ptr_array_add (removed, item);
    }

  /* Lines moved around without other change still count as an edit. */
  if (added->len == 0 && changed->len == 0 && removed->len == 0)
    {
      for (guint i = 0; i < n_new; i++)
        {
          g_autoptr(OrdOrderItem) a = ord_order_get_item (old, i);
          g_autoptr(OrdOrderItem) b = ord_order_get_item (order, i);

          if (g_strcmp0 (ord_order_item_get_id (a), ord_order_item_get_id (b)) != 0)
            {
              g_ptr_array_add (changed, b);
              break;
            }
        }
    }

  if (added->len || changed->len || removed->len)
    {
      json_builder_set_member_name (details, "items");
      json_builder_begin_object (details);
      add_int_member (details, "added", added->len);
      add_int_member (details, "changed", changed->len);
      add_int_member (details, "removed", removed->len);
      json_builder_end_object (details);
      n_changes++;
    }
  json_builder_end_object (fields);
  json_builder_end_object (details);

  if (n_changes == 0)
    return TRUE;

  ord_order_set_updated_at (order, now);
  ord_order_set_status (order, ord_order_get_status (old));
  ord_order_set_number (order, ord_order_get_number (old));
  ord_order_set_provisional_number (order, ord_order_get_provisional_number (old));
  ord_order_set_created_at (order, ord_order_get_created_at (old));
  ord_order_set_version (order, ord_order_get_version (old));
  if (g_strcmp0 (ord_order_get_customer_id (old), ord_order_get_customer_id (order)) == 0)
    ord_order_set_customer_name (order, ord_order_get_customer_name (old));

  if (!(stmt = ord_store_stmt (self,
                         "UPDATE orders SET customer_id = ?2, customer_name = ?3, updated_at = ?4,"
                         " due_at = ?5, notes = ?6, currency = ?7, tax_rate = ?8, subtotal = ?9,"
                         " discount = ?10, tax = ?11, total = ?12, item_count = ?13"
                         " WHERE id = ?1 RETURNING seq", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, ord_order_get_id (order));
  ord_store_bind_text (stmt, 2, ord_order_get_customer_id (order));
  ord_store_bind_text (stmt, 3, ord_order_get_customer_name (order));
  sqlite3_bind_int64 (stmt, 4, now);
  sqlite3_bind_int64 (stmt, 5, ord_order_get_due_at (order));
  ord_store_bind_text (stmt, 6, ord_order_get_notes (order) ? ord_order_get_notes (order) : "");
  ord_store_bind_text (stmt, 7, ord_order_get_currency (order));
  sqlite3_bind_int (stmt, 8, ord_order_get_tax_rate (order));
  sqlite3_bind_int64 (stmt, 9, ord_order_get_subtotal (order));
  sqlite3_bind_int64 (stmt, 10, ord_order_get_discount (order));
  sqlite3_bind_int64 (stmt, 11, ord_order_get_tax (order));
  sqlite3_bind_int64 (stmt, 12, ord_order_get_total (order));
  sqlite3_bind_int (stmt, 13, ord_order_get_item_count (order));
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ord_store_set_sqlite_error (error, self->db, _("Could not save the order"));
      sqlite3_reset (stmt);
      return FALSE;
    }
  seq = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  /* Rewrite the lines in their new order; ids are kept. */
  if (!(stmt = ord_store_stmt (self, "DELETE FROM order_items WHERE order_id = ?", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, ord_order_get_id (order));
  if (!ord_store_stmt_done (self, stmt, "items", error))
    return FALSE;
  for (guint i = 0; i < n_new; i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);

      if (!ord_store_insert_item (self, ord_order_get_id (order), i, item, error))
        return FALSE;
    }

  if (!ord_store_fts_write (self, seq, order, TRUE, error))
    return FALSE;

  details_text = builder_to_string (details);
  if (!ord_store_event_add (self, ord_order_get_id (order), now, self->actor, ORD_EVENT_EDITED,
                  -1, -1, NULL, details_text, error))
    return FALSE;

  fields_node = json_builder_get_root (fields);
  json_builder_begin_object (args);
  add_string_member (args, "order_id", ord_order_get_id (order));
  add_int_member (args, "base_version", ord_order_get_version (old));
  json_builder_set_member_name (args, "fields");
  json_builder_add_value (args, g_steal_pointer (&fields_node));
  json_builder_set_member_name (args, "items");
  json_builder_begin_object (args);
  json_builder_set_member_name (args, "add");
  json_builder_begin_array (args);
  for (guint i = 0; i < added->len; i++)
    add_item_json (args, g_ptr_array_index (added, i));
  json_builder_end_array (args);
  json_builder_set_member_name (args, "change");
  json_builder_begin_array (args);
  for (guint i = 0; i < changed->len; i++)
    add_item_json (args, g_ptr_array_index (changed, i));
  json_builder_end_array (args);
  json_builder_set_member_name (args, "remove");
  json_builder_begin_array (args);
  for (guint i = 0; i < removed->len; i++)
    json_builder_add_string_value (args, ord_order_item_get_id (g_ptr_array_index (removed, i)));
  json_builder_end_array (args);
  json_builder_set_member_name (args, "order");
  json_builder_begin_array (args);
  for (guint i = 0; i < n_new; i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (order, i);
      json_builder_add_string_value (args, ord_order_item_get_id (item));
    }
  json_builder_end_array (args);
  json_builder_end_object (args);
  json_builder_end_object (args);
  args_text = builder_to_string (args);

  if (!ord_store_outbox_add (self, "edit_order", ord_order_get_id (order), args_text, error))
    return FALSE;

  ord_store_note_change (self, "order", ord_order_get_id (order));

  return TRUE;
}

static gboolean
edit_order_txn (OrdStore  *self,
                gpointer   order,
                GError   **error)
{
  return edit_order_locked (self, order, error);
}

/**
 * ord_store_edit_order:
 * @self: an #OrdStore
 * @order: the order as the user left it (same id as a stored order)
 * @error: a #GError
 *
 * Saves what changed, if anything, as the status machine allows for the
 * store's role. Status, number and creation time are not changed here.
 */
gboolean
ord_store_edit_order (OrdStore  *self,
                      OrdOrder  *order,
                      GError   **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (ORD_IS_ORDER (order), FALSE);
  g_return_val_if_fail (ord_order_get_id (order) != NULL, FALSE);

  return ord_store_transaction (self, edit_order_txn, order, error);
}

static gboolean
set_status_locked (OrdStore    *self,
                   const char  *order_id,
                   OrdStatus    from,
                   OrdStatus    to,
                   const char  *reason,
                   GError     **error)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *args = NULL;
  g_autofree char *clean_reason = NULL;
  sqlite3_stmt *stmt;
  OrdTransition transition;
  OrdStatus current;
  OrdEventKind kind;
  gint64 now = ord_store_get_now (self);
  int rc;

  if (!(stmt = ord_store_stmt (self, "SELECT status, number FROM orders WHERE id = ?", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, order_id);
  rc = sqlite3_step (stmt);
  current = sqlite3_column_int (stmt, 0);
  if (rc == SQLITE_ROW && current != from)
    g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_CONFLICT,
                 _("Order %s is now %s, not %s"), ord_store_column_str (stmt, 1),
                 ord_status_get_label (current), ord_status_get_label (from));
  sqlite3_reset (stmt);

  if (rc != SQLITE_ROW)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_NOT_FOUND,
                   _("No order “%s”"), order_id);
      return FALSE;
    }
  if (current != from)
    return FALSE;

  if (!ord_status_check_transition (self->role, from, to, &transition, error))
    return FALSE;
  if (transition == ORD_TRANSITION_NONE)
    return TRUE;

  if (reason != NULL)
    clean_reason = g_strstrip (g_strdup (reason));
  if (transition == ORD_TRANSITION_CANCEL && (clean_reason == NULL || clean_reason[0] == '\0'))
    {
      g_set_error (error, ORD_STATUS_ERROR, ORD_STATUS_ERROR_REASON,
                   _("Say why the order is cancelled"));
      return FALSE;
    }

  if (!ord_store_outbox_pin (self, order_id, error))
    return FALSE;

  if (!(stmt = ord_store_stmt (self, "UPDATE orders SET status = ?2, updated_at = ?3 WHERE id = ?1",
                         error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, order_id);
  sqlite3_bind_int (stmt, 2, to);
  sqlite3_bind_int64 (stmt, 3, now);
  if (!ord_store_stmt_done (self, stmt, _("Could not change the status"), error))
    return FALSE;

  switch (transition)
    {
    case ORD_TRANSITION_CANCEL: kind = ORD_EVENT_CANCELLED; break;
    case ORD_TRANSITION_REOPEN: kind = ORD_EVENT_REOPENED; break;
    case ORD_TRANSITION_FORWARD:
    case ORD_TRANSITION_NONE:
    default: kind = ORD_EVENT_STATUS; break;
    }

  if (!ord_store_event_add (self, order_id, now, self->actor, kind, from, to,
                  clean_reason && clean_reason[0] ? clean_reason : NULL, NULL, error))
    return FALSE;

  json_builder_begin_object (b);
  add_string_member (b, "order_id", order_id);
  if (transition != ORD_TRANSITION_CANCEL)
    {
      add_string_member (b, "from", ord_status_to_string (from));
      add_string_member (b, "to", ord_status_to_string (to));
    }
  else
    add_string_member (b, "from", ord_status_to_string (from));
  add_string_member (b, "reason", clean_reason && clean_reason[0] ? clean_reason : NULL);
  json_builder_end_object (b);
  args = builder_to_string (b);

  if (!ord_store_outbox_add (self, transition == ORD_TRANSITION_CANCEL ? "cancel_order" : "set_status",
                   order_id, args, error))
    return FALSE;

  ord_store_note_change (self, "order", order_id);

  return TRUE;
}

typedef struct
{
  const char *order_id;
  OrdStatus   from;
  OrdStatus   to;
  const char *reason;
  gboolean    from_current;   /* cancel: from whatever status it has */
} StatusArgs;

static gboolean
set_status_txn (OrdStore  *self,
                gpointer   data,
                GError   **error)
{
  StatusArgs *args = data;
  OrdStatus from = args->from;

  if (args->from_current)
    {
      g_autoptr(OrdOrder) order = order_lookup (self, "o.id = ?1", args->order_id, FALSE, error);

      if (order == NULL)
        return FALSE;
      from = ord_order_get_status (order);
    }

  return set_status_locked (self, args->order_id, from, args->to, args->reason, error);
}

/**
 * ord_store_set_status:
 * @self: an #OrdStore
 * @order_id: the order
 * @from: the status the user saw
 * @to: the status wanted
 * @reason: (nullable): why; required to cancel
 * @error: a #GError
 *
 * A compare-and-set on @from, judged by ord_status_check_transition() for
 * the store's role; writes the timeline entry and the mutation with it.
 */
gboolean
ord_store_set_status (OrdStore    *self,
                      const char  *order_id,
                      OrdStatus    from,
                      OrdStatus    to,
                      const char  *reason,
                      GError     **error)
{
  StatusArgs args = { order_id, from, to, reason, FALSE };

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (order_id != NULL, FALSE);

  return ord_store_transaction (self, set_status_txn, &args, error);
}

gboolean
ord_store_cancel_order (OrdStore    *self,
                        const char  *order_id,
                        const char  *reason,
                        GError     **error)
{
  StatusArgs args = { order_id, 0, ORD_STATUS_CANCELLED, reason, TRUE };

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (order_id != NULL, FALSE);

  return ord_store_transaction (self, set_status_txn, &args, error);
}

GPtrArray *
ord_store_get_events (OrdStore    *self,
                      const char  *order_id,
                      GError     **error)
{
  g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (order_id != NULL, NULL);

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self,
                         "SELECT id, at, actor, kind, from_status, to_status, reason, details"
                         " FROM order_events WHERE order_id = ? ORDER BY id", error)))
    {
      ord_store_unlock (self);
      return NULL;
    }
  ord_store_bind_text (stmt, 1, order_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      OrdEventKind kind = ORD_EVENT_EDITED;

      ord_event_kind_from_string (ord_store_column_str (stmt, 3), &kind);
      g_ptr_array_add (events,
                       ord_order_event_new (sqlite3_column_int64 (stmt, 0), order_id,
                                            sqlite3_column_int64 (stmt, 1),
                                            ord_store_column_str (stmt, 2), kind,
                                            sqlite3_column_type (stmt, 4) == SQLITE_NULL
                                              ? -1 : sqlite3_column_int (stmt, 4),
                                            sqlite3_column_type (stmt, 5) == SQLITE_NULL
                                              ? -1 : sqlite3_column_int (stmt, 5),
                                            ord_store_column_str (stmt, 6), ord_store_column_str (stmt, 7)));
    }
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE, "timeline");
      return NULL;
    }

  return g_steal_pointer (&events);
}

/* ------------------------------------------------------------------ */
/* Lists                                                               */

void
ord_order_cursor_clear (OrdOrderCursor *cursor)
{
  if (cursor == NULL)
    return;
  g_clear_pointer (&cursor->skey, g_free);
  cursor->valid = FALSE;
  cursor->ikey = 0;
  cursor->rowid = 0;
}

static const char *
sort_column (OrdSortKey key)
{
  switch (key)
    {
    case ORD_SORT_DUE: return "o.due_at";
    case ORD_SORT_TOTAL: return "o.total";
    case ORD_SORT_NUMBER: return "o.number";
    case ORD_SORT_CUSTOMER: return "o.customer_name COLLATE NOCASE";
    case ORD_SORT_ITEMS: return "o.item_count";
    case ORD_SORT_CREATED:
    default: return "o.created_at";
    }
}

static gboolean
sort_is_text (OrdSortKey key)
{
  return key == ORD_SORT_NUMBER || key == ORD_SORT_CUSTOMER;
}

/* Words become prefix terms: “smi bread” finds “Smith” with “Breadsticks”. */
static char *
fts_query_from_text (const char *text)
{
  g_auto(GStrv) words = NULL;
  GString *q = g_string_new (NULL);

  words = g_strsplit_set (text, " \t\n\r,;", -1);
  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *word = g_strstrip (g_strdup (words[i]));

      if (word[0] == '\0')
        continue;
      if (q->len)
        g_string_append_c (q, ' ');
      g_string_append_c (q, '"');
      for (const char *p = word; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (q, '"');
          g_string_append_c (q, *p);
        }
      g_string_append (q, "\"*");
    }

  return g_string_free (q, FALSE);
}

/* How a search runs: few matches are fetched first and the orders looked
 * up by their rowids; with many, the sort index is walked and each row
 * tested against the set of matches, which stops once a page is full. */
typedef struct
{
  char    *match;    /* the FTS5 query; NULL: no search */
  char    *ids;      /* JSON array of the matching seqs when few; else NULL */
  GArray  *seqs;     /* the same seqs (gint64), ascending, never changed once made */
  GArray  *head;     /* many: the first PLAN_KEPT seqs, ascending */
  GArray  *tail;     /* many: the last PLAN_KEPT seqs, ascending */
  gint64   n;        /* how many (the search index holds live orders only) */
  gboolean counted;  /* counts is set (few matches and a status filter) */
  gint64   counts[ORD_N_STATUSES];  /* the store's orders of each status */
} SearchPlan;

static void
search_plan_clear (SearchPlan *plan)
{
  g_clear_pointer (&plan->match, g_free);
  g_clear_pointer (&plan->ids, g_free);
  g_clear_pointer (&plan->seqs, g_array_unref);
  g_clear_pointer (&plan->head, g_array_unref);
  g_clear_pointer (&plan->tail, g_array_unref);
}

typedef struct
{
  const SearchPlan *plan;
  GString    *sql;
  GPtrArray  *texts;      /* bound values, as text or as int (boxed) */
  GArray     *kinds;      /* 0 text, 1 int */
  GArray     *ints;
} QueryBuilder;

static void
qb_text (QueryBuilder *qb,
         const char   *value)
{
  int kind = 0;
  gint64 zero = 0;

  g_string_append (qb->sql, "?");
  g_ptr_array_add (qb->texts, g_strdup (value));
  g_array_append_val (qb->kinds, kind);
  g_array_append_val (qb->ints, zero);
}

static void
qb_int (QueryBuilder *qb,
        gint64        value)
{
  int kind = 1;

  g_string_append (qb->sql, "?");
  g_ptr_array_add (qb->texts, NULL);
  g_array_append_val (qb->kinds, kind);
  g_array_append_val (qb->ints, value);
}

static void
qb_bind (QueryBuilder *qb,
         sqlite3_stmt *stmt)
{
  for (guint i = 0; i < qb->kinds->len; i++)
    {
      if (g_array_index (qb->kinds, int, i) == 0)
        ord_store_bind_text (stmt, i + 1, g_ptr_array_index (qb->texts, i));
      else
        sqlite3_bind_int64 (stmt, i + 1, g_array_index (qb->ints, gint64, i));
    }
}

static void
qb_init (QueryBuilder *qb)
{
  qb->plan = NULL;
  qb->sql = g_string_new (NULL);
  qb->texts = g_ptr_array_new_with_free_func (g_free);
  qb->kinds = g_array_new (FALSE, FALSE, sizeof (int));
  qb->ints = g_array_new (FALSE, FALSE, sizeof (gint64));
}

static void
qb_clear (QueryBuilder *qb)
{
  g_string_free (qb->sql, TRUE);
  g_ptr_array_unref (qb->texts);
  g_array_unref (qb->kinds);
  g_array_unref (qb->ints);
}

/* Whether the rows of the statuses in @mask are better looked up by rowid
 * than found by walking the status's index: a walk reads each order of the
 * status, a lookup costs a few index steps (and with a cold file, a random
 * read) per match. */
static gboolean
qb_by_rowid (QueryBuilder        *qb,
             const OrdOrderQuery *query,
             guint                mask)
{
  gint64 n = 0;

  if (query->attention_only)
    return TRUE;
  if (qb->plan == NULL || qb->plan->match == NULL || qb->plan->ids == NULL)
    return FALSE;
  if (!qb->plan->counted)
    return TRUE;
  for (int s = 0; s < ORD_N_STATUSES; s++)
    if (mask & (1u << s))
      n += qb->plan->counts[s];
  return n > 8 * qb->plan->n;
}

/* The conditions every kind of list query shares, for one status (or
 * status < 0: the mask, or every status). */
static void
qb_where (QueryBuilder        *qb,
          const OrdOrderQuery *query,
          int                  status)
{
  g_string_append (qb->sql, " WHERE o.deleted = 0");

  /* "Needs attention" starts from its few orders (below): the unary +
   * keeps SQLite from walking a whole status instead. So does a search
   * with few matches, unless the status has fewer orders still. */
  if (status >= 0)
    {
      g_string_append (qb->sql, qb_by_rowid (qb, query, 1u << status) ? " AND +o.status = "
                                                                       : " AND o.status = ");
      qb_int (qb, status);
    }
  else if (query->status_mask != 0 &&
           (query->status_mask & ((1u << ORD_N_STATUSES) - 1)) != (1u << ORD_N_STATUSES) - 1)
    {
      gboolean first = TRUE;

      g_string_append (qb->sql, qb_by_rowid (qb, query, query->status_mask)
                                  ? " AND +o.status IN (" : " AND o.status IN (");
      for (int s = 0; s < ORD_N_STATUSES; s++)
        if (query->status_mask & (1u << s))
          {
            g_string_append (qb->sql, first ? "" : ", ");
            qb_int (qb, s);
            first = FALSE;
          }
      g_string_append (qb->sql, ")");
    }

  if (query->customer_id)
    {
      g_string_append (qb->sql, " AND o.customer_id = ");
      qb_text (qb, query->customer_id);
    }
  if (query->created_from)
    {
      g_string_append (qb->sql, " AND o.created_at >= ");
      qb_int (qb, query->created_from);
    }
  if (query->created_to)
    {
      g_string_append (qb->sql, " AND o.created_at < ");
      qb_int (qb, query->created_to);
    }
  if (query->updated_from)
    {
      g_string_append (qb->sql, " AND o.updated_at >= ");
      qb_int (qb, query->updated_from);
    }
  if (query->attention_only)
    {
      /* Few orders need attention: SQLite looks them up by their rowids
       * from the partial index and sorts them, whatever the sort key or
       * status. */
      g_string_append (qb->sql,
                       " AND o.seq IN (SELECT seq FROM orders WHERE attention > 0)");
    }
  if (qb->plan && qb->plan->match)
    {
      if (qb->plan->ids)
        {
          g_string_append (qb->sql, " AND o.seq IN (SELECT value FROM json_each (");
          qb_text (qb, qb->plan->ids);
          g_string_append (qb->sql, "))");
        }
      else
        {
          /* The unary + keeps SQLite from driving the query by the matches
           * (and sorting them all): it walks the sort index and stops once
           * the page is full, testing each row against the match set. */
          g_string_append (qb->sql,
                           " AND +o.seq IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ");
          qb_text (qb, qb->plan->match);
          g_string_append (qb->sql, ")");
        }
    }
}

/* SQLite's count of commits by other connections to this file. */
static gint64
data_version (OrdStore *self)
{
  sqlite3_stmt *stmt = ord_store_stmt (self, "PRAGMA data_version", NULL);
  gint64 version = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    version = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  return version;
}

/* Up to how many matches a search looks its orders up by rowid and sorts
 * them, rather than walking the sort index: the walk reads about
 * page × orders / matches rows, the lookup about as many as there are
 * matches, and the two meet near √(page × orders); a lookup costs a few
 * index steps. */
static guint
search_threshold (OrdStore *self)
{
  gint64 counts[ORD_N_STATUSES];
  gint64 orders = 0;

  if (self->threshold_fixed || !ord_store_count_by_status (self, counts, NULL))
    return self->search_threshold;
  for (int s = 0; s < ORD_N_STATUSES; s++)
    orders += counts[s];

  return (guint) CLAMP (sqrt (25.0 * (double) orders), (double) self->search_threshold, 20000.0);
}

/* @seqs (gint64) as a JSON array, for json_each (). */
static char *
seqs_to_json (GArray *seqs)
{
  GString *json = g_string_sized_new (8 * seqs->len + 2);

  g_string_append_c (json, '[');
  for (guint i = 0; i < seqs->len; i++)
    g_string_append_printf (json, "%s%" G_GINT64_FORMAT, i > 0 ? "," : "",
                            g_array_index (seqs, gint64, i));
  g_string_append_c (json, ']');

  return g_string_free (json, FALSE);
}

/* How many of the first and of the last matches of a search with many
 * are kept for its first pages sorted by creation time. */
#define PLAN_KEPT 4096

static gboolean
plan_matches (OrdStore            *self,
              const OrdOrderQuery *query,
              SearchPlan          *plan,
              GError             **error)
{
  g_autoptr(GArray) seqs = NULL;
  g_autoptr(GArray) tail = NULL;
  sqlite3_stmt *stmt;
  gint64 version;
  guint threshold;
  gint64 n = 0;
  int rc;

  memset (plan, 0, sizeof *plan);
  plan->n = -1;

  if (query->text == NULL || query->text[0] == '\0')
    return TRUE;

  plan->match = fts_query_from_text (query->text);
  if (plan->match[0] == '\0')
    {
      g_clear_pointer (&plan->match, g_free);
      return TRUE;
    }

  /* A list counts its rows, then reads its pages: one search for all. */
  version = data_version (self);
  if (self->plan_match != NULL && strcmp (self->plan_match, plan->match) == 0 &&
      self->plan_commits == self->commits && self->plan_data_version == version &&
      version >= 0)
    {
      plan->ids = g_strdup (self->plan_ids);
      plan->seqs = self->plan_seqs ? g_array_ref (self->plan_seqs) : NULL;
      plan->head = self->plan_head ? g_array_ref (self->plan_head) : NULL;
      plan->tail = self->plan_tail ? g_array_ref (self->plan_tail) : NULL;
      plan->n = self->plan_n;
      return TRUE;
    }

  /* Every match, in rowid order, once: their number (the count of a
   * search with no other filter), and with few, all of them; with many,
   * the first and the last PLAN_KEPT, the newest and oldest pages' matches
   * (list_page_many ()). */
  threshold = search_threshold (self);
  if (!(stmt = ord_store_stmt (self, "SELECT rowid FROM orders_fts WHERE orders_fts MATCH ?"
                                     " ORDER BY rowid", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, plan->match);

  seqs = g_array_new (FALSE, FALSE, sizeof (gint64));
  tail = g_array_sized_new (FALSE, FALSE, sizeof (gint64), PLAN_KEPT);
  g_array_set_size (tail, PLAN_KEPT);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);

      if (seqs->len <= MAX (threshold, PLAN_KEPT))
        g_array_append_val (seqs, seq);
      g_array_index (tail, gint64, n % PLAN_KEPT) = seq;
      n++;
    }
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    {
      ord_store_set_sqlite_error (error, self->db, _("Could not search the orders"));
      return FALSE;
    }

  plan->n = n;
  if (n <= (gint64) threshold)
    {
      plan->ids = seqs_to_json (seqs);
      plan->seqs = g_steal_pointer (&seqs);
    }
  else
    {
      guint kept = (guint) MIN (n, (gint64) PLAN_KEPT);

      g_array_set_size (seqs, MIN (seqs->len, kept));
      plan->head = g_steal_pointer (&seqs);
      /* The ring, unrolled: oldest first. */
      plan->tail = g_array_sized_new (FALSE, FALSE, sizeof (gint64), kept);
      for (guint i = 0; i < kept; i++)
        g_array_append_val (plan->tail,
                            g_array_index (tail, gint64, (guint) ((n - kept + i) % PLAN_KEPT)));
    }

  g_free (self->plan_match);
  self->plan_match = g_strdup (plan->match);
  g_free (self->plan_ids);
  self->plan_ids = g_strdup (plan->ids);
  g_clear_pointer (&self->plan_seqs, g_array_unref);
  self->plan_seqs = plan->seqs ? g_array_ref (plan->seqs) : NULL;
  g_clear_pointer (&self->plan_head, g_array_unref);
  self->plan_head = plan->head ? g_array_ref (plan->head) : NULL;
  g_clear_pointer (&self->plan_tail, g_array_unref);
  self->plan_tail = plan->tail ? g_array_ref (plan->tail) : NULL;
  self->plan_n = plan->n;
  self->plan_commits = self->commits;
  self->plan_data_version = version;

  return TRUE;
}

static gboolean
plan_search (OrdStore            *self,
             const OrdOrderQuery *query,
             SearchPlan          *plan,
             GError             **error)
{
  guint all = (1u << ORD_N_STATUSES) - 1;

  if (!plan_matches (self, query, plan, error))
    return FALSE;
  /* Few matches and a status filter: qb_by_rowid() weighs them. */
  if (plan->ids != NULL && (query->status_mask & all) != 0 && (query->status_mask & all) != all)
    plan->counted = ord_store_count_by_status (self, plan->counts, NULL);

  return TRUE;
}

void
ord_store_set_search_threshold (OrdStore *self,
                                guint     threshold)
{
  g_return_if_fail (ORD_IS_STORE (self));

  self->search_threshold = threshold;
  self->threshold_fixed = TRUE;
  g_clear_pointer (&self->plan_match, g_free);
}

void
ord_store_forget_search_plan (OrdStore *self)
{
  g_return_if_fail (ORD_IS_STORE (self));

  ord_store_lock (self);
  g_clear_pointer (&self->plan_match, g_free);
  ord_store_unlock (self);
}

static guint
n_statuses (guint mask)
{
  mask &= (1u << ORD_N_STATUSES) - 1;
  return (guint) __builtin_popcount (mask);
}

/* One SELECT over one status (or all): keyset condition, order, limit. */
static void
qb_select (QueryBuilder         *qb,
           const OrdOrderQuery  *query,
           int                   status,
           const OrdOrderCursor *cursor,
           gint64                limit,
           gint64                offset)
{
  const char *col = sort_column (query->sort);
  const char *dir = query->descending ? "DESC" : "ASC";

  g_string_append_printf (qb->sql, "SELECT " ORDER_COLUMNS ", %s AS sort_key FROM orders o", col);
  qb_where (qb, query, status);

  if (cursor && cursor->valid)
    {
      /* The customer's collation goes on the bound value: on the column,
       * SQLite does not seek the (customer_name COLLATE NOCASE, seq)
       * index with the row value, it walks it from the start. */
      if (query->sort == ORD_SORT_CUSTOMER)
        g_string_append_printf (qb->sql, " AND (o.customer_name, o.seq) %s (",
                                query->descending ? "<" : ">");
      else
        g_string_append_printf (qb->sql, " AND (%s, o.seq) %s (", col,
                                query->descending ? "<" : ">");
      if (sort_is_text (query->sort))
        qb_text (qb, cursor->skey ? cursor->skey : "");
      else
        qb_int (qb, cursor->ikey);
      if (query->sort == ORD_SORT_CUSTOMER)
        g_string_append (qb->sql, " COLLATE NOCASE");
      g_string_append (qb->sql, ", ");
      qb_int (qb, cursor->rowid);
      g_string_append (qb->sql, ")");
    }

  g_string_append_printf (qb->sql, " ORDER BY %s %s, o.seq %s LIMIT ", col, dir, dir);
  qb_int (qb, limit);
  if (offset > 0)
    {
      g_string_append (qb->sql, " OFFSET ");
      qb_int (qb, offset);
    }
}

/* Several statuses: each status walks its own (status, key, seq) index and
 * the pages are merged, which stays fast when one status is rare. */
static void
qb_page (QueryBuilder         *qb,
         const OrdOrderQuery  *query,
         const OrdOrderCursor *cursor,
         gint64                limit,
         gint64                offset)
{
  guint n = n_statuses (query->status_mask);

  if (n <= 1 || n == ORD_N_STATUSES)
    {
      int status = -1;

      if (n == 1)
        status = __builtin_ctz (query->status_mask);
      qb_select (qb, query, status, cursor, limit, offset);
      return;
    }

  g_string_append (qb->sql, "SELECT * FROM (");
  for (int s = 0, first = 1; s < ORD_N_STATUSES; s++)
    {
      if (!(query->status_mask & (1u << s)))
        continue;
      if (!first)
        g_string_append (qb->sql, " UNION ALL ");
      g_string_append (qb->sql, "SELECT * FROM (");
      qb_select (qb, query, s, cursor, limit + offset, 0);
      g_string_append (qb->sql, ")");
      first = 0;
    }
  g_string_append_printf (qb->sql, ") ORDER BY sort_key %s, seq %s LIMIT ",
                          query->descending ? "DESC" : "ASC",
                          query->descending ? "DESC" : "ASC");
  if (query->sort == ORD_SORT_CUSTOMER)
    {
      /* The merged column lost its collation. */
      g_string_truncate (qb->sql, qb->sql->len - strlen (" LIMIT "));
      g_string_truncate (qb->sql, qb->sql->len - strlen (query->descending
                                                           ? "sort_key DESC, seq DESC"
                                                           : "sort_key ASC, seq ASC"));
      g_string_append_printf (qb->sql, "sort_key COLLATE NOCASE %s, seq %s LIMIT ",
                              query->descending ? "DESC" : "ASC",
                              query->descending ? "DESC" : "ASC");
    }
  qb_int (qb, limit);
  if (offset > 0)
    {
      g_string_append (qb->sql, " OFFSET ");
      qb_int (qb, offset);
    }
}

/* Where a page ended: the sort key and seq of its last row. */
typedef struct
{
  gint64  ikey;
  char   *skey;     /* text sorts, when asked for */
  gint64  seq;
} PageEnd;

/* One page of @query among @plan's matches, under the lock. */
static GPtrArray *
list_page (OrdStore             *self,
           const OrdOrderQuery  *query,
           const SearchPlan     *plan,
           const OrdOrderCursor *cursor,
           guint                 limit,
           guint                 offset,
           gboolean              want_skey,
           PageEnd              *end,
           GError              **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  QueryBuilder qb;
  sqlite3_stmt *stmt;
  int rc;

  qb_init (&qb);
  qb.plan = plan;
  qb_page (&qb, query, cursor, limit, offset);

  stmt = ord_store_stmt (self, qb.sql->str, error);
  if (stmt == NULL)
    {
      qb_clear (&qb);
      return NULL;
    }
  qb_bind (&qb, stmt);
  qb_clear (&qb);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (result, ord_store_order_from_row (stmt, 0));
      end->seq = sqlite3_column_int64 (stmt, ORDER_N_COLUMNS - 1);
      if (sort_is_text (query->sort))
        {
          if (want_skey)
            {
              g_free (end->skey);
              end->skey = ord_store_column_dup (stmt, ORDER_N_COLUMNS);
            }
        }
      else
        end->ikey = sqlite3_column_int64 (stmt, ORDER_N_COLUMNS);
    }

  if (rc != SQLITE_DONE)
    {
      ord_store_set_sqlite_error (error, self->db, _("Could not list the orders"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&result);
}

/* Searches sorted by creation time: orders come mostly in creation order,
 * so the matches that make a page are in a few chunks of seq (order_chunks,
 * 1 << CHUNK_BITS seqs each), and a page is read from the matches of the
 * chunks whose creation times can put a row in it. With a cold file, each
 * match read costs a random read. */
#define CHUNK_BITS 10

typedef struct
{
  gint64  min_created;
  gint64  max_created;
  guint   first;         /* its first match in the plan's seqs */
  guint   n;             /* its matches */
} Chunk;

#define PLAN_SEQ(plan, i) g_array_index ((plan)->seqs, gint64, (i))

/* Newest first: the chunk that may hold the newest row first, the one with
 * the higher seqs when two may hold rows as new. */
static int
chunk_compare_newest (gconstpointer a,
                      gconstpointer b)
{
  const Chunk *x = a, *y = b;

  if (x->max_created != y->max_created)
    return x->max_created > y->max_created ? -1 : 1;
  return (x->first < y->first) - (x->first > y->first);
}

static int
chunk_compare_oldest (gconstpointer a,
                      gconstpointer b)
{
  const Chunk *x = a, *y = b;

  if (x->min_created != y->min_created)
    return x->min_created < y->min_created ? -1 : 1;
  return (x->first > y->first) - (x->first < y->first);
}

/* Whether @chunk may hold a row that sorts before (@created, @seq). */
static gboolean
chunk_may_precede (const Chunk      *chunk,
                   const SearchPlan *plan,
                   gboolean          descending,
                   gint64            created,
                   gint64            seq)
{
  if (descending)
    return chunk->max_created > created ||
           (chunk->max_created == created && PLAN_SEQ (plan, chunk->first + chunk->n - 1) > seq);
  return chunk->min_created < created ||
         (chunk->min_created == created && PLAN_SEQ (plan, chunk->first) < seq);
}

/* Whether every row of @chunk sorts at or before @cursor, after which a
 * keyset page starts. */
static gboolean
chunk_before_cursor (const Chunk          *chunk,
                     const SearchPlan     *plan,
                     gboolean              descending,
                     const OrdOrderCursor *cursor)
{
  if (descending)
    return chunk->min_created > cursor->ikey ||
           (chunk->min_created == cursor->ikey && PLAN_SEQ (plan, chunk->first) >= cursor->rowid);
  return chunk->max_created < cursor->ikey ||
         (chunk->max_created == cursor->ikey &&
          PLAN_SEQ (plan, chunk->first + chunk->n - 1) <= cursor->rowid);
}

/* The chunks of @plan's matches with their bounds; a chunk without bounds
 * (none is) may hold any time. */
static GArray *
load_chunks (OrdStore          *self,
             const SearchPlan  *plan,
             GError           **error)
{
  g_autoptr(GArray) chunks = g_array_new (FALSE, FALSE, sizeof (Chunk));
  sqlite3_stmt *stmt;
  guint i = 0;
  int rc;

  if (!(stmt = ord_store_stmt (self, "SELECT chunk, min_created, max_created FROM order_chunks"
                                     " WHERE chunk BETWEEN ?1 AND ?2 ORDER BY chunk", error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, PLAN_SEQ (plan, 0) >> CHUNK_BITS);
  sqlite3_bind_int64 (stmt, 2, PLAN_SEQ (plan, plan->seqs->len - 1) >> CHUNK_BITS);

  rc = sqlite3_step (stmt);
  while (i < plan->seqs->len)
    {
      gint64 id = PLAN_SEQ (plan, i) >> CHUNK_BITS;
      Chunk chunk = { G_MININT64, G_MAXINT64, i, 0 };

      while (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) < id)
        rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) == id)
        {
          chunk.min_created = sqlite3_column_int64 (stmt, 1);
          chunk.max_created = sqlite3_column_int64 (stmt, 2);
        }
      for (; i < plan->seqs->len && PLAN_SEQ (plan, i) >> CHUNK_BITS == id; i++)
        chunk.n++;
      g_array_append_val (chunks, chunk);
    }

  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ord_store_set_sqlite_error (error, self->db, _("Could not list the orders"));
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  return g_steal_pointer (&chunks);
}

/* A page of a search sorted by creation time with more matches than it
 * needs: read from the matches of the first chunks in the page's order,
 * as few as give a full page, then from those of every chunk left that
 * may still hold a row before the page's last one, and so on (one more
 * read at most: the last row can only come earlier). Matches the filters
 * drop make the page short: the next read takes four times as many. A
 * keyset page leaves out the chunks wholly before its cursor. The rows
 * are those of the whole search. */
static GPtrArray *
list_page_by_chunks (OrdStore             *self,
                     const OrdOrderQuery  *query,
                     const SearchPlan     *plan,
                     const OrdOrderCursor *cursor,
                     guint                 limit,
                     guint                 offset,
                     gboolean              want_skey,
                     PageEnd              *end,
                     GError              **error)
{
  g_autoptr(GArray) chunks = NULL;
  guint64 target = (guint64) offset + limit;
  guint64 n_taken = 0;
  guint taken = 0;
  guint n_chunks;

  if (!(chunks = load_chunks (self, plan, error)))
    return NULL;
  n_chunks = chunks->len;
  if (cursor != NULL && cursor->valid)
    for (guint c = chunks->len; c > 0; c--)
      if (chunk_before_cursor (&g_array_index (chunks, Chunk, c - 1), plan, query->descending,
                               cursor))
        g_array_remove_index_fast (chunks, c - 1);
  g_array_sort (chunks, query->descending ? chunk_compare_newest : chunk_compare_oldest);

  for (;;)
    {
      g_autoptr(GPtrArray) rows = NULL;
      g_autoptr(GString) ids = g_string_new ("[");
      SearchPlan part = { 0 };
      guint more = 0;

      while (taken < chunks->len && n_taken < target)
        n_taken += g_array_index (chunks, Chunk, taken++).n;
      if (taken == n_chunks)
        return list_page (self, query, plan, cursor, limit, offset, want_skey, end, error);

      for (guint c = 0; c < taken; c++)
        {
          const Chunk *chunk = &g_array_index (chunks, Chunk, c);

          for (guint i = chunk->first; i < chunk->first + chunk->n; i++)
            g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 1 ? "," : "",
                                    PLAN_SEQ (plan, i));
        }
      g_string_append_c (ids, ']');
      part = *plan;
      part.seqs = NULL;
      part.ids = ids->str;
      part.n = (gint64) n_taken;
      rows = list_page (self, query, &part, cursor, limit, offset, want_skey, end, error);
      if (rows == NULL)
        return NULL;

      if (rows->len < limit)
        {
          if (taken == chunks->len)
            return g_steal_pointer (&rows);
          target = n_taken * 4;
          continue;
        }
      while (taken + more < chunks->len &&
             chunk_may_precede (&g_array_index (chunks, Chunk, taken + more), plan,
                                query->descending, end->ikey, end->seq))
        more++;
      if (more == 0)
        return g_steal_pointer (&rows);
      target = n_taken;
      for (guint c = taken; c < taken + more; c++)
        target += g_array_index (chunks, Chunk, c).n;
    }
}

/* The first pages, sorted by creation time, of a search with many
 * matches: the plan keeps the first and the last PLAN_KEPT matches, all
 * the matches of the chunks they cover whole, which hold the newest (and
 * the oldest) orders that match. A page is made from them as from the
 * matches of a search with few (list_page_by_chunks ()), if no chunk
 * outside them may hold a row ahead of its last; else SQLite walks the
 * creation index and tests each order against the whole match set, which
 * it gathers first (106,397 rowids for "sourdough" on a million orders). */
static GPtrArray *
list_page_many (OrdStore             *self,
                const OrdOrderQuery  *query,
                const SearchPlan     *plan,
                const OrdOrderCursor *cursor,
                guint                 limit,
                guint                 offset,
                gboolean              want_skey,
                PageEnd              *end,
                GError              **error)
{
  const gint64 chunk_mask = (G_GINT64_CONSTANT (1) << CHUNK_BITS) - 1;
  GArray *kept = query->descending ? plan->tail : plan->head;
  g_autoptr(GArray) whole = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *ids = NULL;
  SearchPlan part = { 0 };
  sqlite3_stmt *stmt;
  gint64 first, last;
  guint from = 0, to;
  int rc;

  if (kept == NULL || kept->len == 0)
    return list_page (self, query, plan, cursor, limit, offset, want_skey, end, error);

  /* The matches of whole chunks only: the chunk at the edge of the kept
   * matches may have more. */
  to = kept->len;
  if (query->descending)
    {
      gint64 edge = g_array_index (kept, gint64, 0) >> CHUNK_BITS;

      if ((g_array_index (kept, gint64, 0) & chunk_mask) != 0)
        while (from < to && g_array_index (kept, gint64, from) >> CHUNK_BITS == edge)
          from++;
    }
  else
    {
      gint64 edge = g_array_index (kept, gint64, to - 1) >> CHUNK_BITS;

      if ((g_array_index (kept, gint64, to - 1) & chunk_mask) != chunk_mask)
        while (to > from && g_array_index (kept, gint64, to - 1) >> CHUNK_BITS == edge)
          to--;
    }
  if ((guint64) (to - from) <= (guint64) offset + limit)
    return list_page (self, query, plan, cursor, limit, offset, want_skey, end, error);

  whole = g_array_sized_new (FALSE, FALSE, sizeof (gint64), to - from);
  g_array_append_vals (whole, &g_array_index (kept, gint64, from), to - from);
  first = g_array_index (whole, gint64, 0) >> CHUNK_BITS;
  last = g_array_index (whole, gint64, whole->len - 1) >> CHUNK_BITS;

  ids = seqs_to_json (whole);
  part.match = plan->match;
  part.ids = ids;
  part.seqs = whole;
  part.n = whole->len;
  rows = list_page_by_chunks (self, query, &part, cursor, limit, offset, want_skey, end, error);
  if (rows == NULL)
    return NULL;
  /* The filters left too few of them. */
  if (rows->len < limit)
    return list_page (self, query, plan, cursor, limit, offset, want_skey, end, error);

  /* The chunks left out hold the older seqs (newest first), or the newer
   * ones: at the page's last creation time, theirs come after it. */
  if (!(stmt = ord_store_stmt (self, query->descending
                                       ? "SELECT max (max_created) FROM order_chunks WHERE chunk < ?"
                                       : "SELECT min (min_created) FROM order_chunks WHERE chunk > ?",
                               error)))
    return NULL;
  sqlite3_bind_int64 (stmt, 1, query->descending ? first : last);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
    {
      gint64 bound = sqlite3_column_int64 (stmt, 0);

      sqlite3_reset (stmt);
      if (query->descending ? bound > end->ikey : bound < end->ikey)
        {
          g_clear_pointer (&end->skey, g_free);
          return list_page (self, query, plan, cursor, limit, offset, want_skey, end, error);
        }
      return g_steal_pointer (&rows);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      ord_store_set_sqlite_error (error, self->db, _("Could not list the orders"));
      return NULL;
    }

  return g_steal_pointer (&rows);
}

GPtrArray *
ord_store_run_list_query (OrdStore             *self,
                          const OrdOrderQuery  *query,
                          OrdOrderCursor       *cursor,
                          guint                 limit,
                          guint                 offset,
                          GError              **error)
{
  g_autoptr(GPtrArray) result = NULL;
  static const OrdOrderQuery all = { 0 };
  PageEnd end = { 0 };
  SearchPlan plan;

  if (query == NULL)
    query = &all;

  ord_store_lock (self);
  if (!plan_search (self, query, &plan, error))
    {
      ord_store_unlock (self);
      search_plan_clear (&plan);
      return NULL;
    }
  if (plan.n == 0)
    {
      /* Nothing matches: no need to ask. */
      ord_store_unlock (self);
      search_plan_clear (&plan);
      return g_ptr_array_new_with_free_func (g_object_unref);
    }

  if (plan.seqs != NULL && query->sort == ORD_SORT_CREATED &&
      (guint64) plan.seqs->len > (guint64) offset + limit)
    result = list_page_by_chunks (self, query, &plan, cursor, limit, offset, cursor != NULL,
                                  &end, error);
  else if (plan.match != NULL && plan.ids == NULL && query->sort == ORD_SORT_CREATED)
    result = list_page_many (self, query, &plan, cursor, limit, offset, cursor != NULL, &end,
                             error);
  else
    result = list_page (self, query, &plan, cursor, limit, offset, cursor != NULL, &end, error);
  ord_store_unlock (self);
  search_plan_clear (&plan);

  if (result != NULL && cursor != NULL && result->len > 0)
    {
      g_clear_pointer (&cursor->skey, g_free);
      cursor->valid = TRUE;
      cursor->ikey = end.ikey;
      cursor->skey = g_steal_pointer (&end.skey);
      cursor->rowid = end.seq;
    }
  g_free (end.skey);

  return g_steal_pointer (&result);
}

/**
 * ord_store_query_orders:
 * @self: an #OrdStore
 * @query: (nullable): what to list; %NULL = all, newest first… (see
 *   #OrdOrderQuery: zeroed means created ascending)
 * @cursor: (nullable) (inout): where the previous page ended; updated to
 *   where this one ends
 * @limit: the page size
 * @error: a #GError
 *
 * One keyset page: each page costs the same however deep it is.
 *
 * Returns: (transfer container) (element-type OrdOrder): orders without
 *   their items
 */
GPtrArray *
ord_store_query_orders (OrdStore             *self,
                        const OrdOrderQuery  *query,
                        OrdOrderCursor       *cursor,
                        guint                 limit,
                        GError              **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  return ord_store_run_list_query (self, query, cursor, limit, 0, error);
}

GPtrArray *
ord_store_query_orders_at (OrdStore             *self,
                           const OrdOrderQuery  *query,
                           guint                 offset,
                           guint                 limit,
                           GError              **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (limit > 0, NULL);

  return ord_store_run_list_query (self, query, NULL, limit, offset, error);
}

gint64
ord_store_count_orders (OrdStore             *self,
                        const OrdOrderQuery  *query,
                        GError              **error)
{
  static const OrdOrderQuery all = { 0 };
  SearchPlan plan;
  QueryBuilder qb;
  sqlite3_stmt *stmt;
  gint64 n = -1;
  gboolean only_search;

  g_return_val_if_fail (ORD_IS_STORE (self), -1);

  if (query == NULL)
    query = &all;

  /* The plain status filters come from the maintained counters. */
  if (query->customer_id == NULL && query->created_from == 0 && query->created_to == 0 &&
      query->updated_from == 0 && !query->attention_only &&
      (query->text == NULL || query->text[0] == '\0'))
    {
      gint64 counts[ORD_N_STATUSES];

      if (!ord_store_count_by_status (self, counts, error))
        return -1;
      n = 0;
      for (int s = 0; s < ORD_N_STATUSES; s++)
        if (query->status_mask == 0 || (query->status_mask & (1u << s)))
          n += counts[s];
      return n;
    }

  ord_store_lock (self);
  if (!plan_search (self, query, &plan, error))
    {
      ord_store_unlock (self);
      search_plan_clear (&plan);
      return -1;
    }

  qb_init (&qb);
  qb.plan = &plan;
  only_search = plan.match && query->customer_id == NULL && query->created_from == 0 &&
                query->created_to == 0 && query->updated_from == 0 && !query->attention_only &&
                n_statuses (query->status_mask) % ORD_N_STATUSES == 0;
  if (only_search)
    {
      /* No other filter: the plan has counted the matches, and the search
       * index holds live orders only. */
      ord_store_unlock (self);
      qb_clear (&qb);
      n = plan.n;
      search_plan_clear (&plan);
      return n;
    }
  if (plan.match && plan.ids == NULL)
    {
      g_string_append (qb.sql, "SELECT count(*) FROM orders o");
      qb.plan = NULL;
      qb_where (&qb, query, -1);
      g_string_append (qb.sql, " AND o.seq IN (SELECT rowid FROM orders_fts WHERE orders_fts MATCH ");
      qb_text (&qb, plan.match);
      g_string_append (qb.sql, ")");
    }
  else
    {
      g_string_append (qb.sql, "SELECT count(*) FROM orders o");
      qb_where (&qb, query, -1);
    }

  if ((stmt = ord_store_stmt (self, qb.sql->str, error)))
    {
      qb_bind (&qb, stmt);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        ord_store_set_sqlite_error (error, self->db, _("Could not count the orders"));
      sqlite3_reset (stmt);
    }
  ord_store_unlock (self);
  qb_clear (&qb);
  search_plan_clear (&plan);

  return n;
}

gboolean
ord_store_count_by_status (OrdStore *self,
                           gint64    counts[ORD_N_STATUSES],
                           GError  **error)
{
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);

  for (int s = 0; s < ORD_N_STATUSES; s++)
    counts[s] = 0;

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self, "SELECT status, n FROM status_counts", error)))
    {
      ord_store_unlock (self);
      return FALSE;
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      int s = sqlite3_column_int (stmt, 0);

      if (s >= 0 && s < ORD_N_STATUSES)
        counts[s] = sqlite3_column_int64 (stmt, 1);
    }
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  if (rc != SQLITE_DONE)
    {
      g_set_error (error, ORD_STORE_ERROR, ORD_STORE_ERROR_SQLITE, "counts");
      return FALSE;
    }

  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Needs attention                                                     */

/**
 * ord_store_count_attention:
 * @self: an #OrdStore
 * @error: a #GError
 *
 * Counts the orders with a held or rejected change that the user has not
 * dealt with yet, for the dashboard's "Needs attention" filter.
 *
 * Returns: the number, or -1 with @error set
 */
gint64
ord_store_count_attention (OrdStore  *self,
                           GError   **error)
{
  sqlite3_stmt *stmt;
  gint64 n = -1;

  g_return_val_if_fail (ORD_IS_STORE (self), -1);

  ord_store_lock (self);
  if ((stmt = ord_store_stmt (self, "SELECT count(*) FROM orders"
                                    " WHERE attention > 0 AND deleted = 0", error)))
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        ord_store_set_sqlite_error (error, self->db, _("Could not count the orders"));
      sqlite3_reset (stmt);
    }
  ord_store_unlock (self);

  return n;
}

/**
 * ord_store_get_attention:
 * @self: an #OrdStore
 * @order_id: the order
 * @error: a #GError
 *
 * The timeline entry (kind %ORD_EVENT_SYNC_HELD or %ORD_EVENT_SYNC_REJECTED)
 * that makes the order need attention: its reason says why, its details
 * keep the user's change ("draft").
 *
 * Returns: (transfer full) (nullable): the entry, or %NULL (without an
 *   error) when the order needs no attention
 */
OrdOrderEvent *
ord_store_get_attention (OrdStore    *self,
                         const char  *order_id,
                         GError     **error)
{
  g_autoptr(GPtrArray) events = NULL;
  sqlite3_stmt *stmt;
  gint64 event_id = 0;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (order_id != NULL, NULL);

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self, "SELECT attention FROM orders WHERE id = ?", error)))
    {
      ord_store_unlock (self);
      return NULL;
    }
  ord_store_bind_text (stmt, 1, order_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    event_id = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  if (event_id <= 0 || !(events = ord_store_get_events (self, order_id, error)))
    return NULL;

  for (guint i = events->len; i > 0; i--)
    {
      OrdOrderEvent *event = g_ptr_array_index (events, i - 1);

      if (ord_order_event_get_id (event) == event_id)
        return g_object_ref (event);
    }

  return NULL;
}

static gboolean
clear_attention_locked (OrdStore  *self,
                        gpointer   user_data,
                        GError   **error)
{
  const char *order_id = user_data;
  sqlite3_stmt *stmt;

  if (!(stmt = ord_store_stmt (self, "UPDATE orders SET attention = 0"
                                     " WHERE id = ? AND attention > 0", error)))
    return FALSE;
  ord_store_bind_text (stmt, 1, order_id);
  if (!ord_store_stmt_done (self, stmt, "attention", error))
    return FALSE;
  if (sqlite3_changes (self->db) > 0)
    ord_store_note_change (self, "order", order_id);

  return TRUE;
}

/**
 * ord_store_clear_attention:
 * @self: an #OrdStore
 * @order_id: the order
 * @error: a #GError
 *
 * The user has seen the held or rejected change and dismisses it: the order
 * leaves "Needs attention"; its timeline keeps the entry. Editing the order
 * again on this device does the same on its own.
 *
 * Returns: %TRUE on success, also when the order needed no attention
 */
gboolean
ord_store_clear_attention (OrdStore    *self,
                           const char  *order_id,
                           GError     **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (order_id != NULL, FALSE);

  return ord_store_transaction (self, clear_attention_locked, (gpointer) order_id, error);
}
