/* ord-catalogue-page-private.h: what the catalogue page's tests look at
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-catalogue-list-model.h"
#include "ord-catalogue-page.h"

G_BEGIN_DECLS

struct _OrdCataloguePage
{
  AdwBin                  parent_instance;

  /* template widgets */
  AdwToastOverlay        *toast_overlay;
  AdwLeaflet             *leaflet;
  GtkEditable            *search_entry;
  GtkToggleButton        *filter_active;
  GtkToggleButton        *filter_inactive;
  GtkToggleButton        *filter_all;
  GtkStack               *list_stack;
  GtkListView            *list_view;
  GtkLabel               *count_label;
  GtkStack               *detail_stack;
  GtkLabel               *title_label;
  GtkLabel               *subtitle_label;
  GtkEditable            *sku_row;
  GtkEditable            *name_row;
  GtkEditable            *price_row;
  GtkLabel               *currency_label;
  GtkSwitch              *active_switch;
  GtkLabel               *error_label;
  GtkWidget              *save_button;

  /* owned */
  OrdContext             *context;
  OrdCatalogueListModel  *model;
  GtkSingleSelection     *selection;
  OrdProduct             *product;     /* the one in the form; no id = new */

  guint                   filling : 1; /* the form is being filled, not edited */
};

/* Shows @product_id (NULL: a new product) in the form. */
void ord_catalogue_page_edit (OrdCataloguePage *self,
                              const char       *product_id);

G_END_DECLS
