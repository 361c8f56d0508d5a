/* ord-catalogue-page.h: the products of the shop, searchable, with an editor
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ord-context.h"

G_BEGIN_DECLS

#define ORD_TYPE_CATALOGUE_PAGE (ord_catalogue_page_get_type ())
G_DECLARE_FINAL_TYPE (OrdCataloguePage, ord_catalogue_page, ORD, CATALOGUE_PAGE, AdwBin)

GtkWidget *ord_catalogue_page_new (OrdContext *context);

G_END_DECLS
