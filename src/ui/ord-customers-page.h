/* ord-customers-page.h: the customers of the shop, searchable, with an
 * editor, their orders and totals
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ord-context.h"

G_BEGIN_DECLS

#define ORD_TYPE_CUSTOMERS_PAGE (ord_customers_page_get_type ())
G_DECLARE_FINAL_TYPE (OrdCustomersPage, ord_customers_page, ORD, CUSTOMERS_PAGE, AdwBin)

GtkWidget *ord_customers_page_new (OrdContext *context);

G_END_DECLS
