/* ord-store-catalogue.c: counted, paged lists of customers and products,
 * and a customer's order totals, for the catalogue pages
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-store"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "ord-store-catalogue.h"
#include "ord-store-private.h"

/* The totals query writes the cancelled status as a number. */
G_STATIC_ASSERT (ORD_STATUS_CANCELLED == 5);

/*
 * Every query here walks an index in the order it returns rows:
 * customers_by_name and products_by_name (name COLLATE NOCASE, then the
 * rowid as tie-breaker), and orders_by_customer (customer_id, created_at,
 * then seq, the rowid) for one customer's orders and totals. A list page is
 * an OFFSET along the index: customers and products number in the
 * thousands, not millions, so the walk is short.
 */

#define CUSTOMER_COLUMNS \
  "c.id, c.name, c.email, c.phone, c.notes, c.external_ref, c.owner_sub, c.version," \
  " c.updated_at, c.deleted"

#define PRODUCT_COLUMNS \
  "p.id, p.sku, p.name, p.unit_price, p.currency, p.active, p.version, p.updated_at," \
  " p.deleted"

/* ?1 is the LIKE pattern (NULL: no search), ?2 the filter. */
#define CUSTOMER_WHERE \
  " WHERE (?2 = 2 OR c.deleted = ?2)" \
  "   AND (?1 IS NULL OR c.name LIKE ?1 ESCAPE '\\' OR c.email LIKE ?1 ESCAPE '\\'" \
  "        OR c.phone LIKE ?1 ESCAPE '\\')"

/* Deleted products are gone from the catalogue; active is the filter. */
#define PRODUCT_WHERE \
  " WHERE p.deleted = 0 AND (?2 = 2 OR p.active = (?2 = 0))" \
  "   AND (?1 IS NULL OR p.name LIKE ?1 ESCAPE '\\' OR p.sku LIKE ?1 ESCAPE '\\')"

/* "%text%" with LIKE's own characters escaped; NULL for no search. */
static char *
like_pattern (const char *text)
{
  GString *s;

  if (text == NULL)
    return NULL;
  text += strspn (text, " \t\n");
  if (*text == '\0')
    return NULL;

  s = g_string_new ("%");
  for (const char *p = text; *p; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (s, '\\');
      g_string_append_c (s, *p);
    }
  /* Trailing blanks of a search entry are not part of what is looked for. */
  while (s->len > 1 && strchr (" \t\n", s->str[s->len - 1]) != NULL &&
         s->str[s->len - 2] != '\\')
    g_string_truncate (s, s->len - 1);
  g_string_append_c (s, '%');

  return g_string_free (s, FALSE);
}

static gint64
count_rows (OrdStore            *self,
            const char          *sql,
            const char          *text,
            OrdCatalogueFilter   filter,
            const char          *what,
            GError             **error)
{
  g_autofree char *pattern = like_pattern (text);
  sqlite3_stmt *stmt;
  gint64 n = -1;

  ord_store_lock (self);
  if ((stmt = ord_store_stmt (self, sql, error)))
    {
      ord_store_bind_text (stmt, 1, pattern);
      sqlite3_bind_int (stmt, 2, filter);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int64 (stmt, 0);
      else
        ord_store_set_sqlite_error (error, ord_store_get_db (self), what);
      sqlite3_reset (stmt);
    }
  ord_store_unlock (self);

  return n;
}

typedef gpointer (*RowFunc) (sqlite3_stmt *stmt);

static GPtrArray *
list_rows (OrdStore            *self,
           const char          *sql,
           const char          *text,
           OrdCatalogueFilter   filter,
           guint                offset,
           guint                limit,
           RowFunc              from_row,
           const char          *what,
           GError             **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *pattern = like_pattern (text);
  sqlite3_stmt *stmt;
  int rc;

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self, sql, error)))
    {
      ord_store_unlock (self);
      return NULL;
    }
  ord_store_bind_text (stmt, 1, pattern);
  sqlite3_bind_int (stmt, 2, filter);
  sqlite3_bind_int64 (stmt, 3, limit ? limit : G_MAXINT32);
  sqlite3_bind_int64 (stmt, 4, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, from_row (stmt));
  if (rc != SQLITE_DONE)
    ord_store_set_sqlite_error (error, ord_store_get_db (self), what);
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&result);
}

/**
 * ord_store_count_customers_filtered:
 * @self: a store
 * @text: (nullable): words a customer's name, email or phone contains
 * @filter: active (not deactivated), deactivated or all customers
 * @error: where a database failure goes
 *
 * Returns: how many customers ord_store_list_customers() lists for the
 *   same arguments, or -1 with @error set
 */
gint64
ord_store_count_customers_filtered (OrdStore            *self,
                                    const char          *text,
                                    OrdCatalogueFilter   filter,
                                    GError             **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), -1);
  g_return_val_if_fail (filter <= ORD_CATALOGUE_ALL, -1);

  return count_rows (self, "SELECT count(*) FROM customers c" CUSTOMER_WHERE,
                     text, filter, "customers", error);
}

/**
 * ord_store_list_customers:
 * @self: a store
 * @text: (nullable): words a customer's name, email or phone contains
 * @filter: active (not deactivated), deactivated or all customers
 * @offset: the first row to return
 * @limit: how many rows at most; 0 = all
 * @error: where a database failure goes
 *
 * One page of customers by name (case-insensitive), read along the name
 * index.
 *
 * Returns: (transfer container) (element-type OrdCustomer): the customers,
 *   or NULL with @error set
 */
GPtrArray *
ord_store_list_customers (OrdStore            *self,
                          const char          *text,
                          OrdCatalogueFilter   filter,
                          guint                offset,
                          guint                limit,
                          GError             **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (filter <= ORD_CATALOGUE_ALL, NULL);

  return list_rows (self,
                    "SELECT " CUSTOMER_COLUMNS " FROM customers c INDEXED BY customers_by_name"
                    CUSTOMER_WHERE
                    " ORDER BY c.name COLLATE NOCASE, c.rowid LIMIT ?3 OFFSET ?4",
                    text, filter, offset, limit, (RowFunc) ord_store_customer_from_row,
                    "customers", error);
}

/**
 * ord_store_count_products_filtered:
 * @self: a store
 * @text: (nullable): words a product's name or SKU contains
 * @filter: active, inactive or all products (deleted ones never)
 * @error: where a database failure goes
 *
 * Returns: how many products ord_store_list_products() lists for the same
 *   arguments, or -1 with @error set
 */
gint64
ord_store_count_products_filtered (OrdStore            *self,
                                   const char          *text,
                                   OrdCatalogueFilter   filter,
                                   GError             **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), -1);
  g_return_val_if_fail (filter <= ORD_CATALOGUE_ALL, -1);

  return count_rows (self, "SELECT count(*) FROM products p" PRODUCT_WHERE,
                     text, filter, "products", error);
}

/**
 * ord_store_list_products:
 * @self: a store
 * @text: (nullable): words a product's name or SKU contains
 * @filter: active, inactive or all products (deleted ones never)
 * @offset: the first row to return
 * @limit: how many rows at most; 0 = all
 * @error: where a database failure goes
 *
 * One page of products by name (case-insensitive), read along the name
 * index.
 *
 * Returns: (transfer container) (element-type OrdProduct): the products,
 *   or NULL with @error set
 */
GPtrArray *
ord_store_list_products (OrdStore            *self,
                         const char          *text,
                         OrdCatalogueFilter   filter,
                         guint                offset,
                         guint                limit,
                         GError             **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (filter <= ORD_CATALOGUE_ALL, NULL);

  return list_rows (self,
                    "SELECT " PRODUCT_COLUMNS " FROM products p INDEXED BY products_by_name"
                    PRODUCT_WHERE
                    " ORDER BY p.name COLLATE NOCASE, p.rowid LIMIT ?3 OFFSET ?4",
                    text, filter, offset, limit, (RowFunc) ord_store_product_from_row,
                    "products", error);
}

/* ------------------------------------------------------------------ */
/* Key lists                                                           */

/*
 * An OFFSET deep into a list walks the name index and looks every skipped
 * row up in the table (to test `deleted`): 120,000 customers in, most of a
 * second. A virtual list therefore takes the keys (rowids) of its whole
 * list once, and then reads any page by key.
 */

/* The first column of every row of @sql; with @set, only the rows in it
 * (@keep) or not in it. */
static GArray *
collect_keys (OrdStore    *self,
              const char  *sql,
              const char  *pattern,
              int          filter,
              GHashTable  *set,
              gboolean     keep,
              const char  *what,
              GError     **error)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  int rc;

  if (!(stmt = ord_store_stmt (self, sql, error)))
    return NULL;
  if (sqlite3_bind_parameter_count (stmt) >= 1)
    ord_store_bind_text (stmt, 1, pattern);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int (stmt, 2, filter);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 key = sqlite3_column_int64 (stmt, 0);

      if (set == NULL || g_hash_table_contains (set, &key) == keep)
        g_array_append_val (keys, key);
    }
  if (rc != SQLITE_DONE)
    ord_store_set_sqlite_error (error, ord_store_get_db (self), what);
  sqlite3_reset (stmt);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&keys);
}

static GHashTable *
collect_set (OrdStore    *self,
             const char  *sql,
             const char  *pattern,
             int          filter,
             const char  *what,
             GError     **error)
{
  g_autoptr(GArray) keys = collect_keys (self, sql, pattern, filter, NULL, FALSE, what, error);
  GHashTable *set;

  if (keys == NULL)
    return NULL;
  set = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  for (guint i = 0; i < keys->len; i++)
    g_hash_table_add (set, g_memdup2 (&g_array_index (keys, gint64, i), sizeof (gint64)));

  return set;
}

/*
 * Two passes, each cheap with any number of rows: a scan of the table finds
 * the rows a search or filter selects (or, without a search, the few it
 * leaves out), then a walk of the name index, which holds name and rowid
 * (a covering scan: no table lookups), puts them in order. Sorting the
 * matches instead costs half a second when a one-letter search matches
 * 120,000 customers.
 */
static GArray *
list_keys (OrdStore            *self,
           const char          *text,
           OrdCatalogueFilter   filter,
           const char          *index_sql,
           const char          *skip_sql,
           const char          *match_sql,
           const char          *what,
           GError             **error)
{
  g_autofree char *pattern = like_pattern (text);
  g_autoptr(GHashTable) set = NULL;
  gboolean keep = pattern != NULL || filter == ORD_CATALOGUE_INACTIVE;
  GArray *keys = NULL;

  ord_store_lock (self);
  if (keep)
    set = collect_set (self, match_sql, pattern, filter, what, error);
  else
    set = collect_set (self, skip_sql, NULL, filter, what, error);
  if (set != NULL)
    keys = collect_keys (self, index_sql, NULL, filter,
                         keep || g_hash_table_size (set) > 0 ? set : NULL, keep, what, error);
  ord_store_unlock (self);

  return keys;
}

/**
 * ord_store_list_customer_keys:
 * @self: a store
 * @text: (nullable): words a customer's name, email or phone contains
 * @filter: active (not deactivated), deactivated or all customers
 * @error: where a database failure goes
 *
 * The keys of every customer ord_store_list_customers() lists for the same
 * @text and @filter, in the same order, for ord_store_get_customers_by_keys().
 *
 * Returns: (transfer full) (element-type gint64): the keys, or NULL with
 *   @error set
 */
GArray *
ord_store_list_customer_keys (OrdStore            *self,
                              const char          *text,
                              OrdCatalogueFilter   filter,
                              GError             **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (filter <= ORD_CATALOGUE_ALL, NULL);

  return list_keys (self, text, filter,
                    "SELECT c.rowid FROM customers c INDEXED BY customers_by_name"
                    " ORDER BY c.name COLLATE NOCASE, c.rowid",
                    "SELECT c.rowid FROM customers c NOT INDEXED"
                    " WHERE ?2 = 0 AND c.deleted <> 0",
                    "SELECT c.rowid FROM customers c NOT INDEXED" CUSTOMER_WHERE,
                    "customers", error);
}

/**
 * ord_store_list_product_keys:
 * @self: a store
 * @text: (nullable): words a product's name or SKU contains
 * @filter: active, inactive or all products (deleted ones never)
 * @error: where a database failure goes
 *
 * The keys of every product ord_store_list_products() lists for the same
 * @text and @filter, in the same order, for ord_store_get_products_by_keys().
 *
 * Returns: (transfer full) (element-type gint64): the keys, or NULL with
 *   @error set
 */
GArray *
ord_store_list_product_keys (OrdStore            *self,
                             const char          *text,
                             OrdCatalogueFilter   filter,
                             GError             **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (filter <= ORD_CATALOGUE_ALL, NULL);

  return list_keys (self, text, filter,
                    "SELECT p.rowid FROM products p INDEXED BY products_by_name"
                    " ORDER BY p.name COLLATE NOCASE, p.rowid",
                    "SELECT p.rowid FROM products p NOT INDEXED"
                    " WHERE p.deleted <> 0 OR (?2 = 0 AND p.active = 0)",
                    "SELECT p.rowid FROM products p NOT INDEXED" PRODUCT_WHERE,
                    "products", error);
}

static GPtrArray *
rows_by_keys (OrdStore      *self,
              const char    *sql,
              const gint64  *keys,
              guint          n_keys,
              RowFunc        from_row,
              const char    *what,
              GError       **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;

  ord_store_lock (self);
  for (guint i = 0; i < n_keys; i++)
    {
      int rc;

      if (!(stmt = ord_store_stmt (self, sql, error)))
        {
          ord_store_unlock (self);
          return NULL;
        }
      sqlite3_bind_int64 (stmt, 1, keys[i]);
      rc = sqlite3_step (stmt);
      /* A row removed since the keys were taken is left out. */
      if (rc == SQLITE_ROW)
        g_ptr_array_add (result, from_row (stmt));
      else if (rc != SQLITE_DONE)
        {
          ord_store_set_sqlite_error (error, ord_store_get_db (self), what);
          sqlite3_reset (stmt);
          ord_store_unlock (self);
          return NULL;
        }
      sqlite3_reset (stmt);
    }
  ord_store_unlock (self);

  return g_steal_pointer (&result);
}

/**
 * ord_store_get_customers_by_keys:
 * @self: a store
 * @keys: (array length=n_keys): keys from ord_store_list_customer_keys()
 * @n_keys: how many
 * @error: where a database failure goes
 *
 * Returns: (transfer container) (element-type OrdCustomer): the customers
 *   in the order of @keys (those gone since left out), or NULL with @error
 *   set
 */
GPtrArray *
ord_store_get_customers_by_keys (OrdStore      *self,
                                 const gint64  *keys,
                                 guint          n_keys,
                                 GError       **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);

  return rows_by_keys (self, "SELECT " CUSTOMER_COLUMNS " FROM customers c WHERE c.rowid = ?1",
                       keys, n_keys, (RowFunc) ord_store_customer_from_row, "customers", error);
}

/**
 * ord_store_get_products_by_keys:
 * @self: a store
 * @keys: (array length=n_keys): keys from ord_store_list_product_keys()
 * @n_keys: how many
 * @error: where a database failure goes
 *
 * Returns: (transfer container) (element-type OrdProduct): the products in
 *   the order of @keys (those gone since left out), or NULL with @error set
 */
GPtrArray *
ord_store_get_products_by_keys (OrdStore      *self,
                                const gint64  *keys,
                                guint          n_keys,
                                GError       **error)
{
  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (keys != NULL || n_keys == 0, NULL);

  return rows_by_keys (self, "SELECT " PRODUCT_COLUMNS " FROM products p WHERE p.rowid = ?1",
                       keys, n_keys, (RowFunc) ord_store_product_from_row, "products", error);
}

/**
 * ord_store_get_customer_totals:
 * @self: a store
 * @customer_id: the customer
 * @totals: (out caller-allocates): filled in
 * @error: where a database failure goes
 *
 * Counts a customer's orders (deleted ones not), cancelled ones apart, and
 * adds up what the others cost, through the orders_by_customer index: the
 * work grows with the customer's orders, not with the database.
 *
 * Returns: TRUE, or FALSE with @error set
 */
gboolean
ord_store_get_customer_totals (OrdStore           *self,
                               const char         *customer_id,
                               OrdCustomerTotals  *totals,
                               GError            **error)
{
  sqlite3_stmt *stmt;
  gint64 best_count = -1;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (self), FALSE);
  g_return_val_if_fail (customer_id != NULL, FALSE);
  g_return_val_if_fail (totals != NULL, FALSE);

  memset (totals, 0, sizeof *totals);

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self,
                               "SELECT o.currency, count(*),"
                               "       sum (o.status = 5),"
                               "       sum (CASE WHEN o.status = 5 THEN 0 ELSE o.total END),"
                               "       min (o.created_at), max (o.created_at)"
                               " FROM orders o INDEXED BY orders_by_customer"
                               " WHERE o.customer_id = ?1 AND o.deleted = 0"
                               " GROUP BY o.currency", error)))
    {
      ord_store_unlock (self);
      return FALSE;
    }
  ord_store_bind_text (stmt, 1, customer_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (stmt, 1);
      gint64 first = sqlite3_column_int64 (stmt, 4);
      gint64 last = sqlite3_column_int64 (stmt, 5);

      totals->n_currencies++;
      totals->n_orders += n;
      totals->n_cancelled += sqlite3_column_int64 (stmt, 2);
      if (totals->first_order_at == 0 || first < totals->first_order_at)
        totals->first_order_at = first;
      totals->last_order_at = MAX (totals->last_order_at, last);
      if (n > best_count)
        {
          const char *currency = ord_store_column_str (stmt, 0);

          best_count = n;
          totals->spend = sqlite3_column_int64 (stmt, 3);
          g_strlcpy (totals->currency, currency ? currency : "", sizeof totals->currency);
        }
    }
  if (rc != SQLITE_DONE)
    ord_store_set_sqlite_error (error, ord_store_get_db (self), _("customer totals"));
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  return rc == SQLITE_DONE;
}

/**
 * ord_store_list_customer_orders:
 * @self: a store
 * @customer_id: the customer
 * @offset: the first row to return
 * @limit: how many rows at most; 0 = all
 * @error: where a database failure goes
 *
 * One page of a customer's orders, newest first, without items (their
 * item-count set), read backwards along orders_by_customer.
 *
 * Returns: (transfer container) (element-type OrdOrder): the orders, or
 *   NULL with @error set
 */
GPtrArray *
ord_store_list_customer_orders (OrdStore    *self,
                                const char  *customer_id,
                                guint        offset,
                                guint        limit,
                                GError     **error)
{
  g_autoptr(GPtrArray) result = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (ORD_IS_STORE (self), NULL);
  g_return_val_if_fail (customer_id != NULL, NULL);

  ord_store_lock (self);
  if (!(stmt = ord_store_stmt (self,
                               "SELECT " ORD_STORE_ORDER_COLUMNS
                               " FROM orders o INDEXED BY orders_by_customer"
                               " WHERE o.customer_id = ?1 AND o.deleted = 0"
                               " ORDER BY o.created_at DESC, o.seq DESC"
                               " LIMIT ?2 OFFSET ?3", error)))
    {
      ord_store_unlock (self);
      return NULL;
    }
  ord_store_bind_text (stmt, 1, customer_id);
  sqlite3_bind_int64 (stmt, 2, limit ? limit : G_MAXINT32);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (result, ord_store_order_from_row (stmt, 0));
  if (rc != SQLITE_DONE)
    ord_store_set_sqlite_error (error, ord_store_get_db (self), _("customer orders"));
  sqlite3_reset (stmt);
  ord_store_unlock (self);

  if (rc != SQLITE_DONE)
    return NULL;

  return g_steal_pointer (&result);
}
