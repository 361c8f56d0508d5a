/* ord-product.h: an item of the catalogue
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ORD_TYPE_PRODUCT (ord_product_get_type ())
G_DECLARE_FINAL_TYPE (OrdProduct, ord_product, ORD, PRODUCT, GObject)

/* Properties: id, sku, name, unit-price (int64 minor units), currency,
 * active, version, updated-at, deleted. */
OrdProduct  *ord_product_new               (void);
const char  *ord_product_get_id            (OrdProduct *self);
void         ord_product_set_id            (OrdProduct *self, const char *id);
const char  *ord_product_get_sku           (OrdProduct *self);
void         ord_product_set_sku           (OrdProduct *self, const char *sku);
const char  *ord_product_get_name          (OrdProduct *self);
void         ord_product_set_name          (OrdProduct *self, const char *name);
gint64       ord_product_get_unit_price    (OrdProduct *self);
void         ord_product_set_unit_price    (OrdProduct *self, gint64 unit_price);
const char  *ord_product_get_currency      (OrdProduct *self);
void         ord_product_set_currency      (OrdProduct *self, const char *currency);
gboolean     ord_product_get_active        (OrdProduct *self);
void         ord_product_set_active        (OrdProduct *self, gboolean active);
gint64       ord_product_get_version       (OrdProduct *self);
void         ord_product_set_version       (OrdProduct *self, gint64 version);
gint64       ord_product_get_updated_at    (OrdProduct *self);
void         ord_product_set_updated_at    (OrdProduct *self, gint64 updated_at);
gboolean     ord_product_get_deleted       (OrdProduct *self);
void         ord_product_set_deleted       (OrdProduct *self, gboolean deleted);

G_END_DECLS
