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

/* For the store's own files (sync apply, server side): the same building
 * blocks the public functions use. Call them between ord_store_lock() and
 * ord_store_unlock(), inside ord_store_txn_begin()/…_commit() for writes. */
void          ord_store_lock           (OrdStore    *self);
void          ord_store_unlock         (OrdStore    *self);
gboolean      ord_store_txn_begin      (OrdStore    *self,
                                        GError     **error);
gboolean      ord_store_txn_commit     (OrdStore    *self,
                                        GError     **error);
void          ord_store_txn_rollback   (OrdStore    *self);
/* A cached prepared statement, reset, bindings cleared. */
sqlite3_stmt *ord_store_stmt           (OrdStore    *self,
                                        const char  *sql,
                                        GError     **error);
gboolean      ord_store_stmt_done      (OrdStore     *self,
                                        sqlite3_stmt *stmt,
                                        const char   *what,
                                        GError      **error);
void          ord_store_bind_text      (sqlite3_stmt *stmt,
                                        int           col,
                                        const char   *text);
const char   *ord_store_column_str     (sqlite3_stmt *stmt,
                                        int           col);
char         *ord_store_column_dup     (sqlite3_stmt *stmt,
                                        int           col);
/* A value of a key/value table ("settings", "sync_state"), under the lock. */
char         *ord_store_kv_get         (OrdStore    *self,
                                        const char  *table,
                                        const char  *key);
gboolean      ord_store_kv_set         (OrdStore    *self,
                                        const char  *table,
                                        const char  *key,
                                        const char  *value,
                                        GError     **error);
/* Queues a "changed" emission for after the outermost commit. */
void          ord_store_note_change    (OrdStore    *self,
                                        const char  *entity,
                                        const char  *id);
/* Reads ORDER_COLUMNS starting at column @first. */
OrdOrder     *ord_store_order_from_row (sqlite3_stmt *stmt,
                                        int           first);
gboolean      ord_store_load_items     (OrdStore    *self,
                                        OrdOrder    *order,
                                        GError     **error);
gboolean      ord_store_insert_item    (OrdStore      *self,
                                        const char    *order_id,
                                        guint          position,
                                        OrdOrderItem  *item,
                                        GError       **error);
gboolean      ord_store_fts_write      (OrdStore    *self,
                                        gint64       seq,
                                        OrdOrder    *order,
                                        gboolean     replace,
                                        GError     **error);
gboolean      ord_store_event_add      (OrdStore      *self,
                                        const char    *order_id,
                                        gint64         at,
                                        const char    *actor,
                                        OrdEventKind   kind,
                                        int            from_status,
                                        int            to_status,
                                        const char    *reason,
                                        const char    *details,
                                        GError       **error);
gboolean      ord_store_outbox_add     (OrdStore    *self,
                                        const char  *name,
                                        const char  *entity_id,
                                        const char  *args,
                                        GError     **error);
gboolean      ord_store_outbox_pin     (OrdStore    *self,
                                        const char  *order_id,
                                        GError     **error);
char         *ord_store_outbox_args    (OrdStore    *self,
                                        const char  *name,
                                        const char  *entity_id,
                                        const char  *args,
                                        GError     **error);
void          ord_store_set_bulk       (OrdStore    *self,
                                        gboolean     bulk);
gboolean      ord_store_get_bulk       (OrdStore    *self);

OrdCustomer  *ord_store_customer_from_row (sqlite3_stmt *stmt);
OrdProduct   *ord_store_product_from_row  (sqlite3_stmt *stmt);
gboolean      ord_store_validate_order (OrdStore    *self,
                                        OrdOrder    *order,
                                        GError     **error);
/* The create_order arguments: the whole order with its items, as JSON. */
char         *ord_store_order_to_json  (OrdOrder    *order);

/* Bulk writes: an import's batch of new orders as plain data, written
 * without building objects. The strings are borrowed for the call. */
typedef struct
{
  const char   *id;            /* a UUID */
  const char   *product_id;    /* nullable */
  const char   *sku;           /* nullable */
  const char   *name;
  gint64        unit_price;
  gint64        quantity;
  gint64        discount;
} OrdBulkItem;

typedef struct
{
  gint64        at;
  const char   *actor;         /* nullable */
  OrdEventKind  kind;
  int           from_status;   /* -1: none */
  int           to_status;     /* -1: none */
  const char   *reason;        /* nullable */
} OrdBulkEvent;

typedef struct
{
  const char         *id;                  /* NULL: a new UUID */
  const char         *number;              /* NULL: the next provisional number */
  const char         *provisional_number;  /* nullable */
  const char         *customer_id;
  const char         *customer_name;       /* as the customers table has it */
  OrdStatus           status;
  gint64              created_at;          /* 0: now */
  gint64              updated_at;          /* 0: created_at */
  gint64              due_at;
  const char         *notes;               /* nullable */
  const char         *currency;
  guint               tax_rate;
  OrdTotals           totals;              /* as ord_totals_compute() gives them */
  const char         *external_ref;        /* nullable */
  const OrdBulkItem  *items;
  guint               n_items;
  const OrdBulkEvent *events;              /* NULL: the default timeline */
  guint               n_events;
  const char         *search_items;        /* nullable: the search text of the items */
} OrdBulkOrder;

/* Writes @n new orders, already checked (ord_store_bulk_check_order()),
 * with their lines, timeline, search entries and create_order mutations
 * (arguments left to ord_store_outbox_args()), in a few multi-row
 * statements. In bulk mode only, inside a transaction: on failure the
 * caller rolls the whole transaction back. */
gboolean      ord_store_bulk_create_orders (OrdStore           *self,
                                            const OrdBulkOrder *orders,
                                            guint               n,
                                            GError            **error);
/* What ord_store_create_order() would refuse in @order, other than its
 * customer not existing: the same errors. */
gboolean      ord_store_bulk_check_order   (OrdStore           *self,
                                            const OrdBulkOrder *order,
                                            GError            **error);
/* Whether an order with this id, else this external reference, else (with
 * neither) this number or provisional number is in the database. */
gboolean      ord_store_bulk_order_exists  (OrdStore           *self,
                                            const char         *id,
                                            const char         *external_ref,
                                            const char         *number,
                                            gboolean           *exists,
                                            GError            **error);
/* The items' search text as the store writes it: "sku name sku name …". */
char         *ord_store_search_number      (const char         *number,
                                            const char         *provisional);
char         *ord_store_search_items       (OrdOrder           *order);
void          ord_store_append_item_search (GString            *out,
                                            const char         *sku,
                                            const char         *name);

/* A second connection to the store's file that copies the write-ahead
 * log back into the database (a passive checkpoint) on another thread
 * while the store goes on writing, so that a bulk write does not end with
 * all of it. NULL for a database in memory or read-only. */
typedef struct _OrdStoreCheckpointer OrdStoreCheckpointer;

OrdStoreCheckpointer *ord_store_checkpointer_new  (OrdStore             *self);
/* From one thread at a time; does nothing when there is nothing new. */
void                  ord_store_checkpointer_run  (OrdStoreCheckpointer *checkpointer);
void                  ord_store_checkpointer_free (OrdStoreCheckpointer *checkpointer);

/* Searches with at most @threshold matches look the orders up by rowid;
 * more are probed along the sort index. Tests lower it to cover both. */
void          ord_store_set_search_threshold (OrdStore *self,
                                              guint     threshold);
/* The next search is planned again, as the first of its text (benchmarks:
 * a list counts and reads a search with one plan, kept until a write). */
void          ord_store_forget_search_plan   (OrdStore *self);
/* One page of a list: from @cursor (when valid; updated to where the page
 * ends), skipping @offset rows. */
GPtrArray    *ord_store_run_list_query (OrdStore            *self,
                                        const OrdOrderQuery *query,
                                        OrdOrderCursor      *cursor,
                                        guint                limit,
                                        guint                offset,
                                        GError             **error);

/* The columns ord_store_order_from_row() reads, as "o.…" of orders o. */
#define ORD_STORE_ORDER_COLUMNS \
  "o.id, o.number, o.provisional_number, o.customer_id, o.customer_name, o.status," \
  " o.created_at, o.updated_at, o.due_at, o.notes, o.currency, o.tax_rate," \
  " o.subtotal, o.discount, o.tax, o.total, o.item_count, o.version, o.deleted," \
  " o.external_ref, o.seq"

G_END_DECLS
