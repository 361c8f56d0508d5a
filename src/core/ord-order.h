/* ord-order.h: an order, its lines and its totals
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-money.h"
#include "ord-order-item.h"
#include "ord-status.h"

G_BEGIN_DECLS

#define ORD_TYPE_ORDER (ord_order_get_type ())
G_DECLARE_FINAL_TYPE (OrdOrder, ord_order, ORD, ORDER, GObject)

/* Properties: id, number, provisional-number, customer-id, customer-name,
 * status (OrdStatus), created-at, updated-at, due-at (int64 µs since the
 * epoch; due-at 0 = none), notes, currency, discount (order-level, minor
 * units), tax-rate (basis points: 2000 = 20 %), subtotal, tax, total,
 * item-count (read-only, computed by ord_order_compute_totals() or loaded
 * from the store), version, deleted, external-ref.
 *
 * items is a GListModel of OrdOrderItem. */
OrdOrder     *ord_order_new                    (void);
/* A deep copy: the items are copied too. */
OrdOrder     *ord_order_copy                   (OrdOrder     *self);

const char   *ord_order_get_id                 (OrdOrder *self);
void          ord_order_set_id                 (OrdOrder *self, const char *id);
const char   *ord_order_get_number             (OrdOrder *self);
void          ord_order_set_number             (OrdOrder *self, const char *number);
const char   *ord_order_get_provisional_number (OrdOrder *self);
void          ord_order_set_provisional_number (OrdOrder *self, const char *number);
const char   *ord_order_get_customer_id        (OrdOrder *self);
void          ord_order_set_customer_id        (OrdOrder *self, const char *customer_id);
const char   *ord_order_get_customer_name      (OrdOrder *self);
void          ord_order_set_customer_name      (OrdOrder *self, const char *name);
OrdStatus     ord_order_get_status             (OrdOrder *self);
void          ord_order_set_status             (OrdOrder *self, OrdStatus status);
gint64        ord_order_get_created_at         (OrdOrder *self);
void          ord_order_set_created_at         (OrdOrder *self, gint64 created_at);
gint64        ord_order_get_updated_at         (OrdOrder *self);
void          ord_order_set_updated_at         (OrdOrder *self, gint64 updated_at);
gint64        ord_order_get_due_at             (OrdOrder *self);
void          ord_order_set_due_at             (OrdOrder *self, gint64 due_at);
const char   *ord_order_get_notes              (OrdOrder *self);
void          ord_order_set_notes              (OrdOrder *self, const char *notes);
const char   *ord_order_get_currency           (OrdOrder *self);
void          ord_order_set_currency           (OrdOrder *self, const char *currency);
gint64        ord_order_get_discount           (OrdOrder *self);
void          ord_order_set_discount           (OrdOrder *self, gint64 discount);
guint         ord_order_get_tax_rate           (OrdOrder *self);
void          ord_order_set_tax_rate           (OrdOrder *self, guint basis_points);
gint64        ord_order_get_subtotal           (OrdOrder *self);
gint64        ord_order_get_tax                (OrdOrder *self);
gint64        ord_order_get_total              (OrdOrder *self);
guint         ord_order_get_item_count         (OrdOrder *self);
gint64        ord_order_get_version            (OrdOrder *self);
void          ord_order_set_version            (OrdOrder *self, gint64 version);
gboolean      ord_order_get_deleted            (OrdOrder *self);
void          ord_order_set_deleted            (OrdOrder *self, gboolean deleted);
const char   *ord_order_get_external_ref       (OrdOrder *self);
void          ord_order_set_external_ref       (OrdOrder *self, const char *ref);

GListModel   *ord_order_get_items              (OrdOrder     *self);
guint         ord_order_get_n_items            (OrdOrder     *self);
/* Transfer full: unref the item when done, as with g_list_model_get_item(). */
OrdOrderItem *ord_order_get_item               (OrdOrder     *self,
                                                guint         position);
void          ord_order_add_item               (OrdOrder     *self,
                                                OrdOrderItem *item);
void          ord_order_remove_item            (OrdOrder     *self,
                                                guint         position);
void          ord_order_clear_items            (OrdOrder     *self);

/* Recomputes subtotal, tax, total and item-count from the lines, the
 * discount and the tax rate (rules in ord_totals_compute()). Fails, leaving
 * the order unchanged, on overflow, a discount larger than the amount it
 * applies to, or a line with a non-positive quantity. */
gboolean      ord_order_compute_totals         (OrdOrder     *self,
                                                GError      **error);
/* Sets the stored totals as loaded from a database row. */
void          ord_order_set_totals             (OrdOrder        *self,
                                                const OrdTotals *totals,
                                                guint            item_count);

G_END_DECLS
