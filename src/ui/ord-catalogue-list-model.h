/* ord-catalogue-list-model.h: a virtual list of the store's products or
 * customers
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "ord-core.h"

G_BEGIN_DECLS

/* Rows fetched from the store at once, and how many such pages are kept. */
#define ORD_CATALOGUE_LIST_MODEL_PAGE_SIZE 100
#define ORD_CATALOGUE_LIST_MODEL_N_PAGES   8

typedef enum
{
  ORD_CATALOGUE_KIND_PRODUCTS,
  ORD_CATALOGUE_KIND_CUSTOMERS,
} OrdCatalogueKind;

#define ORD_TYPE_CATALOGUE_LIST_MODEL (ord_catalogue_list_model_get_type ())
G_DECLARE_FINAL_TYPE (OrdCatalogueListModel, ord_catalogue_list_model,
                      ORD, CATALOGUE_LIST_MODEL, GObject)

/* Items are OrdProduct or OrdCustomer, by name; the store filters and
 * sorts, a page of rows at a time. Follows the store's "changed". */
OrdCatalogueListModel *ord_catalogue_list_model_new        (OrdStore              *store,
                                                            OrdCatalogueKind       kind);
void                   ord_catalogue_list_model_set_text   (OrdCatalogueListModel *self,
                                                            const char            *text);
const char            *ord_catalogue_list_model_get_text   (OrdCatalogueListModel *self);
void                   ord_catalogue_list_model_set_filter (OrdCatalogueListModel *self,
                                                            OrdCatalogueFilter     filter);
OrdCatalogueFilter     ord_catalogue_list_model_get_filter (OrdCatalogueListModel *self);
/* The position of the item with @id among the loaded pages, or
 * GTK_INVALID_LIST_POSITION (G_MAXUINT). */
guint                  ord_catalogue_list_model_find       (OrdCatalogueListModel *self,
                                                            const char            *id);
void                   ord_catalogue_list_model_refresh    (OrdCatalogueListModel *self);

void                   ord_catalogue_list_model_load      (OrdCatalogueListModel *self);
gboolean               ord_catalogue_list_model_is_loaded (OrdCatalogueListModel *self);

G_END_DECLS
