/* ord-store.h: the local SQLite store: orders, customers, products,
 * timeline, outbox
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-customer.h"
#include "ord-order.h"
#include "ord-order-event.h"
#include "ord-product.h"
#include "ord-status.h"

G_BEGIN_DECLS

#define ORD_STORE_ERROR (ord_store_error_quark ())

typedef enum
{
  ORD_STORE_ERROR_SQLITE,      /* the database said no; message has its words */
  ORD_STORE_ERROR_NOT_FOUND,
  ORD_STORE_ERROR_INVALID,     /* a value a person must correct */
  ORD_STORE_ERROR_CONFLICT,    /* a status compare-and-set lost */
  ORD_STORE_ERROR_TOO_NEW,     /* the file was written by a newer Orderly */
  ORD_STORE_ERROR_CANCELLED,
} OrdStoreError;

typedef enum
{
  ORD_STORE_FLAGS_NONE         = 0,
  ORD_STORE_FLAGS_SYNC_FULL    = 1 << 0,  /* synchronous=FULL (server) */
  ORD_STORE_FLAGS_READ_ONLY    = 1 << 1,
  ORD_STORE_FLAGS_NO_OUTBOX    = 1 << 2,  /* server side: no outbox rows */
} OrdStoreFlags;

typedef enum
{
  ORD_SORT_CREATED,
  ORD_SORT_DUE,
  ORD_SORT_TOTAL,
  ORD_SORT_NUMBER,
  ORD_SORT_CUSTOMER,
  ORD_SORT_ITEMS,
} OrdSortKey;

#define ORD_N_SORT_KEYS 6

/* What a list of orders shows. Zeroed means: every status, newest first. */
typedef struct
{
  guint        status_mask;    /* bit (1 << OrdStatus); 0 = all */
  OrdSortKey   sort;
  gboolean     descending;
  const char  *customer_id;    /* NULL = any */
  gint64       created_from;   /* µs, inclusive; 0 = unbounded */
  gint64       created_to;     /* µs, exclusive; 0 = unbounded */
  const char  *text;           /* words to find (number, customer, notes,
                                  item names); NULL or "" = no search */
  gboolean     attention_only; /* only orders with a held or rejected change */
  gint64       updated_from;   /* µs, inclusive: last changed then or later;
                                  0 = unbounded */
} OrdOrderQuery;

/* Where a keyset page ended; pass it back to get the next page. */
typedef struct
{
  gboolean  valid;
  gint64    ikey;
  char     *skey;
  gint64    rowid;
} OrdOrderCursor;

void      ord_order_cursor_clear (OrdOrderCursor *cursor);

/* Long work reports how far it is, 0.0 to 1.0. */
typedef void (*OrdProgressFunc) (double   fraction,
                                 gpointer user_data);

#define ORD_SCHEMA_VERSION 8

#define ORD_TYPE_STORE (ord_store_get_type ())
G_DECLARE_FINAL_TYPE (OrdStore, ord_store, ORD, STORE, GObject)

GQuark        ord_store_error_quark         (void);

/* Opens (creating if needed) and migrates the database at @path. */
OrdStore     *ord_store_new                 (const char     *path,
                                             GError        **error);
OrdStore     *ord_store_new_full            (const char     *path,
                                             OrdStoreFlags   flags,
                                             GError        **error);
const char   *ord_store_get_path            (OrdStore       *self);
int           ord_store_get_schema_version  (OrdStore       *self);
char         *ord_default_database_path     (void);

/* Who is writing: goes into the timeline, and the role is what the status
 * machine judges. Default: owner, actor NULL ("this device"). */
void          ord_store_set_actor           (OrdStore       *self,
                                             OrdRole         role,
                                             const char     *actor);
OrdRole       ord_store_get_role            (OrdStore       *self);
/* Pins the store's clock (µs since the epoch) for tests and generated
 * history; 0 returns to the real clock. */
void          ord_store_set_now             (OrdStore       *self,
                                             gint64          now);
gint64        ord_store_get_now             (OrdStore       *self);
/* Local-only data (demo data) is written without sync mutations. */
void          ord_store_set_outbox_enabled  (OrdStore       *self,
                                             gboolean        enabled);
gboolean      ord_store_get_outbox_enabled  (OrdStore       *self);

/* This device's terminal number for provisional order numbers (T<n>-0001). */
guint         ord_store_get_terminal        (OrdStore       *self);
gboolean      ord_store_set_terminal        (OrdStore       *self,
                                             guint           terminal,
                                             GError        **error);
char         *ord_store_get_setting         (OrdStore       *self,
                                             const char     *key);
gboolean      ord_store_set_setting         (OrdStore       *self,
                                             const char     *key,
                                             const char     *value,
                                             GError        **error);

/* Customers and products: insert or update by id (a new id is given when
 * unset), with an upsert_* outbox row. */
gboolean      ord_store_save_customer       (OrdStore       *self,
                                             OrdCustomer    *customer,
                                             GError        **error);
OrdCustomer  *ord_store_get_customer        (OrdStore       *self,
                                             const char     *id,
                                             GError        **error);
GPtrArray    *ord_store_find_customers      (OrdStore       *self,
                                             const char     *text,
                                             guint           limit,
                                             GError        **error);
gboolean      ord_store_save_product        (OrdStore       *self,
                                             OrdProduct     *product,
                                             GError        **error);
OrdProduct   *ord_store_get_product         (OrdStore       *self,
                                             const char     *id,
                                             GError        **error);
OrdProduct   *ord_store_get_product_by_sku  (OrdStore       *self,
                                             const char     *sku,
                                             GError        **error);
GPtrArray    *ord_store_find_products       (OrdStore       *self,
                                             const char     *text,
                                             gboolean        active_only,
                                             guint           limit,
                                             GError        **error);

/* Orders. create: gives id, provisional number and times where unset,
 * computes totals, writes items, a "created" event and a create_order
 * outbox row in one transaction. edit: compares with the stored order,
 * checks the status machine, writes the changed fields and item deltas
 * (edit_order, with base_version) and an "edited" event. */
gboolean      ord_store_create_order        (OrdStore       *self,
                                             OrdOrder       *order,
                                             GError        **error);
gboolean      ord_store_edit_order          (OrdStore       *self,
                                             OrdOrder       *order,
                                             GError        **error);
/* Compare-and-set: fails with ORD_STORE_ERROR_CONFLICT when the order is
 * not in @from any more. */
gboolean      ord_store_set_status          (OrdStore       *self,
                                             const char     *order_id,
                                             OrdStatus       from,
                                             OrdStatus       to,
                                             const char     *reason,
                                             GError        **error);
gboolean      ord_store_cancel_order        (OrdStore       *self,
                                             const char     *order_id,
                                             const char     *reason,
                                             GError        **error);
/* Like create, for orders that come with their past: an import or demo
 * data. @events (OrdOrderEvent, their order-id ignored) replace the
 * default "created" entry of the timeline; NULL = the default: "created"
 * (or "imported" when the order has an external-ref) at created-at, plus a
 * status change at updated-at when the order is not pending. Only an owner
 * may create an order that is not pending. */
gboolean      ord_store_create_order_with_events (OrdStore  *self,
                                                  OrdOrder  *order,
                                                  GPtrArray *events,
                                                  GError   **error);
/* With its items. */
OrdOrder     *ord_store_get_order           (OrdStore       *self,
                                             const char     *id,
                                             GError        **error);
/* By number or provisional number. */
OrdOrder     *ord_store_get_order_by_number (OrdStore       *self,
                                             const char     *number,
                                             GError        **error);
/* OrdOrderEvent, oldest first. */
GPtrArray    *ord_store_get_events          (OrdStore       *self,
                                             const char     *order_id,
                                             GError        **error);

/* Lists: OrdOrder without items (item-count set), one keyset page. */
GPtrArray    *ord_store_query_orders        (OrdStore            *self,
                                             const OrdOrderQuery *query,
                                             OrdOrderCursor      *cursor,
                                             guint                limit,
                                             GError             **error);
/* Random access for virtual lists. */
GPtrArray    *ord_store_query_orders_at     (OrdStore            *self,
                                             const OrdOrderQuery *query,
                                             guint                offset,
                                             guint                limit,
                                             GError             **error);
gint64        ord_store_count_orders        (OrdStore            *self,
                                             const OrdOrderQuery *query,
                                             GError             **error);
gboolean      ord_store_count_by_status     (OrdStore            *self,
                                             gint64               counts[ORD_N_STATUSES],
                                             GError             **error);

/* "Needs attention": orders whose change the server held or rejected (the
 * timeline entry says why and keeps the user's draft), until the order is
 * edited again on this device or the user dismisses it. */
gint64        ord_store_count_attention     (OrdStore            *self,
                                             GError             **error);
/* The held or rejected entry of the order's timeline that needs attention;
 * NULL without an error when there is none. */
OrdOrderEvent *ord_store_get_attention      (OrdStore            *self,
                                             const char          *order_id,
                                             GError             **error);
gboolean      ord_store_clear_attention     (OrdStore            *self,
                                             const char          *order_id,
                                             GError             **error);

OrdOrder     *ord_store_get_order_by_external_ref    (OrdStore   *self,
                                                      const char *ref,
                                                      GError    **error);
OrdCustomer  *ord_store_get_customer_by_external_ref (OrdStore   *self,
                                                      const char *ref,
                                                      GError    **error);

/* The outbox, oldest first: rows of (mutation_id, name, args JSON). */
gint64        ord_store_count_outbox        (OrdStore       *self);

/* SQLite's page cache of the store's connection, in KiB: small by
 * default (the desktop app keeps it open all day), larger for bulk work
 * (an import; a sync run's or the server's own connection). */
#define ORD_STORE_CACHE_KIB      4096
#define ORD_STORE_BULK_CACHE_KIB 16384
gboolean      ord_store_set_cache           (OrdStore       *self,
                                             guint           cache_kib,
                                             GError        **error);
guint         ord_store_get_cache           (OrdStore       *self);

/* Run @func inside one IMMEDIATE transaction; rolled back if it fails.
 * Store calls made inside do not open their own. */
typedef gboolean (*OrdStoreTxnFunc) (OrdStore *store,
                                     gpointer  user_data,
                                     GError  **error);
gboolean      ord_store_transaction         (OrdStore        *self,
                                             OrdStoreTxnFunc  func,
                                             gpointer         user_data,
                                             GError         **error);

/* Signal "changed" (const char *entity, const char *id): after a commit that
 * touched @entity ("order", "customer", "product"); id NULL = many. */

G_END_DECLS
