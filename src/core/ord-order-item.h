/* ord-order-item.h: one line of an order
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ORD_TYPE_ORDER_ITEM (ord_order_item_get_type ())
G_DECLARE_FINAL_TYPE (OrdOrderItem, ord_order_item, ORD, ORDER_ITEM, GObject)

/* Properties: id, product-id, sku, name (copied at order time),
 * unit-price (copied at order time, minor units), quantity (> 0),
 * discount (line discount, minor units, 0 ≤ discount ≤ price × quantity),
 * line-total (read-only: unit-price × quantity − discount).
 * The setters accept any value (an editor may hold a line being typed);
 * ord_totals_compute() is what refuses a bad line, naming it. */
OrdOrderItem *ord_order_item_new             (void);
OrdOrderItem *ord_order_item_copy            (OrdOrderItem *self);
const char   *ord_order_item_get_id          (OrdOrderItem *self);
void          ord_order_item_set_id          (OrdOrderItem *self, const char *id);
const char   *ord_order_item_get_product_id  (OrdOrderItem *self);
void          ord_order_item_set_product_id  (OrdOrderItem *self, const char *product_id);
const char   *ord_order_item_get_sku         (OrdOrderItem *self);
void          ord_order_item_set_sku         (OrdOrderItem *self, const char *sku);
const char   *ord_order_item_get_name        (OrdOrderItem *self);
void          ord_order_item_set_name        (OrdOrderItem *self, const char *name);
gint64        ord_order_item_get_unit_price  (OrdOrderItem *self);
void          ord_order_item_set_unit_price  (OrdOrderItem *self, gint64 unit_price);
gint64        ord_order_item_get_quantity    (OrdOrderItem *self);
void          ord_order_item_set_quantity    (OrdOrderItem *self, gint64 quantity);
gint64        ord_order_item_get_discount    (OrdOrderItem *self);
void          ord_order_item_set_discount    (OrdOrderItem *self, gint64 discount);
/* unit price × quantity − discount; FALSE with an error on overflow */
gboolean      ord_order_item_compute_total   (OrdOrderItem *self,
                                              gint64       *total,
                                              GError      **error);
gint64        ord_order_item_get_line_total  (OrdOrderItem *self);

G_END_DECLS
