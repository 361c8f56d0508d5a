/* ord-store-catalogue.h: counted, paged lists of customers and products,
 * and a customer's order totals, for the catalogue pages
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-store.h"

G_BEGIN_DECLS

/* Which rows a catalogue list shows. A deactivated customer is one with
 * the `deleted` flag: hidden from pickers and from the default list, kept
 * with its orders. */
typedef enum
{
  ORD_CATALOGUE_ACTIVE,     /* active products; customers not deactivated */
  ORD_CATALOGUE_INACTIVE,   /* inactive products; deactivated customers */
  ORD_CATALOGUE_ALL,
} OrdCatalogueFilter;

/* What a customer has ordered. Cancelled orders count in n_orders but not
 * in spend. When the orders are in more than one currency, spend holds
 * the currency with the most orders and n_currencies says how many there
 * are. */
typedef struct
{
  gint64 n_orders;
  gint64 n_cancelled;
  gint64 spend;
  char   currency[4];
  guint  n_currencies;
  gint64 first_order_at;   /* µs; 0 without orders */
  gint64 last_order_at;
} OrdCustomerTotals;

gint64      ord_store_count_customers_filtered (OrdStore            *self,
                                                const char          *text,
                                                OrdCatalogueFilter   filter,
                                                GError             **error);
GPtrArray  *ord_store_list_customers           (OrdStore            *self,
                                                const char          *text,
                                                OrdCatalogueFilter   filter,
                                                guint                offset,
                                                guint                limit,
                                                GError             **error);
gint64      ord_store_count_products_filtered  (OrdStore            *self,
                                                const char          *text,
                                                OrdCatalogueFilter   filter,
                                                GError             **error);
GPtrArray  *ord_store_list_products            (OrdStore            *self,
                                                const char          *text,
                                                OrdCatalogueFilter   filter,
                                                guint                offset,
                                                guint                limit,
                                                GError             **error);
/* For virtual lists of any length: the row keys of the whole list, in
 * list order (the same rows and order as the paged functions above), then
 * the rows of any stretch of keys. */
GArray     *ord_store_list_customer_keys       (OrdStore            *self,
                                                const char          *text,
                                                OrdCatalogueFilter   filter,
                                                GError             **error);
GPtrArray  *ord_store_get_customers_by_keys    (OrdStore            *self,
                                                const gint64        *keys,
                                                guint                n_keys,
                                                GError             **error);
GArray     *ord_store_list_product_keys        (OrdStore            *self,
                                                const char          *text,
                                                OrdCatalogueFilter   filter,
                                                GError             **error);
GPtrArray  *ord_store_get_products_by_keys     (OrdStore            *self,
                                                const gint64        *keys,
                                                guint                n_keys,
                                                GError             **error);
gboolean    ord_store_get_customer_totals      (OrdStore            *self,
                                                const char          *customer_id,
                                                OrdCustomerTotals   *totals,
                                                GError             **error);
GPtrArray  *ord_store_list_customer_orders     (OrdStore            *self,
                                                const char          *customer_id,
                                                guint                offset,
                                                guint                limit,
                                                GError             **error);

G_END_DECLS
