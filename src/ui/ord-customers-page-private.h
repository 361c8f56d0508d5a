/* ord-customers-page-private.h: what the customers page's tests look at
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-catalogue-list-model.h"
#include "ord-customers-page.h"

G_BEGIN_DECLS

/* A customer's orders are shown this many at a time. */
#define ORD_CUSTOMERS_PAGE_HISTORY_PAGE 50

struct _OrdCustomersPage
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
  GtkEditable            *name_row;
  GtkEditable            *email_row;
  GtkEditable            *phone_row;
  GtkTextView            *notes_view;
  GtkLabel               *error_label;
  GtkButton              *deactivate_button;
  GtkWidget              *save_button;
  GtkWidget              *history_box;
  GtkLabel               *orders_value;
  GtkLabel               *orders_caption;
  GtkLabel               *spend_value;
  GtkLabel               *spend_caption;
  GtkLabel               *last_order_value;
  GtkListBox             *history_list;
  GtkWidget              *history_empty;
  GtkWidget              *show_more_button;

  /* owned */
  OrdContext             *context;
  OrdCatalogueListModel  *model;
  GtkSingleSelection     *selection;
  OrdCustomer            *customer;    /* the one in the form; no id = new */
  GListStore             *history;     /* OrdOrder, newest first */
  OrdCustomerTotals       totals;
  int                     history_refresh_queued; /* atomic */

  guint                   filling : 1; /* the form is being filled, not edited */
};

/* Shows @customer_id (NULL: a new customer) in the form, with its orders. */
void     ord_customers_page_edit            (OrdCustomersPage *self,
                                             const char       *customer_id);
/* What the confirmation of "Deactivate…" does (and "Reactivate"). */
gboolean ord_customers_page_set_deactivated (OrdCustomersPage *self,
                                             gboolean          deactivated);

G_END_DECLS
