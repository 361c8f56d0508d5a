/* ord-customer.h: a shop's customer
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define ORD_TYPE_CUSTOMER (ord_customer_get_type ())
G_DECLARE_FINAL_TYPE (OrdCustomer, ord_customer, ORD, CUSTOMER, GObject)

/* Properties: id, name, email, phone, notes, external-ref, owner-sub,
 * version (int64), updated-at (int64 µs since the epoch), deleted. */
OrdCustomer *ord_customer_new              (void);
const char  *ord_customer_get_id           (OrdCustomer *self);
void         ord_customer_set_id           (OrdCustomer *self, const char *id);
const char  *ord_customer_get_name         (OrdCustomer *self);
void         ord_customer_set_name         (OrdCustomer *self, const char *name);
const char  *ord_customer_get_email        (OrdCustomer *self);
void         ord_customer_set_email        (OrdCustomer *self, const char *email);
const char  *ord_customer_get_phone        (OrdCustomer *self);
void         ord_customer_set_phone        (OrdCustomer *self, const char *phone);
const char  *ord_customer_get_notes        (OrdCustomer *self);
void         ord_customer_set_notes        (OrdCustomer *self, const char *notes);
/* An id in a source system (an import), unique; NULL for none. */
const char  *ord_customer_get_external_ref (OrdCustomer *self);
void         ord_customer_set_external_ref (OrdCustomer *self, const char *ref);
/* The account (token `sub`) that owns this customer record; NULL for none. */
const char  *ord_customer_get_owner_sub    (OrdCustomer *self);
void         ord_customer_set_owner_sub    (OrdCustomer *self, const char *sub);
gint64       ord_customer_get_version      (OrdCustomer *self);
void         ord_customer_set_version      (OrdCustomer *self, gint64 version);
gint64       ord_customer_get_updated_at   (OrdCustomer *self);
void         ord_customer_set_updated_at   (OrdCustomer *self, gint64 updated_at);
gboolean     ord_customer_get_deleted      (OrdCustomer *self);
void         ord_customer_set_deleted      (OrdCustomer *self, gboolean deleted);

G_END_DECLS
