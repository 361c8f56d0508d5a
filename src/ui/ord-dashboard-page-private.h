/* ord-dashboard-page-private.h: what the dashboard's tests look at
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-dashboard-page.h"
#include "ord-dashboard-query.h"
#include "ord-row-model.h"

G_BEGIN_DECLS

/* One status change of a batch, kept for its undo. */
typedef struct
{
  char      *order_id;
  OrdStatus  from;
  OrdStatus  to;
} OrdStatusChange;

struct _OrdDashboardPage
{
  AdwBin               parent_instance;

  /* template widgets */
  AdwToastOverlay     *toast_overlay;
  GtkStack            *page_stack;
  GtkLabel            *count_all;
  GtkLabel            *count_pending;
  GtkLabel            *count_confirmed;
  GtkLabel            *count_preparing;
  GtkLabel            *count_shipped;
  GtkLabel            *count_delivered_today;
  GtkLabel            *count_cancelled;
  GtkLabel            *count_attention;
  GtkWidget           *attention_counter;  /* shown while an order needs attention */
  AdwFlap             *flap;
  GtkStack            *list_stack;
  GtkScrolledWindow   *scrolled_window;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *number_column;
  GtkColumnViewColumn *customer_column;
  GtkColumnViewColumn *created_column;
  GtkColumnViewColumn *due_column;
  GtkColumnViewColumn *items_column;
  GtkColumnViewColumn *total_column;
  GtkColumnViewColumn *status_column;
  GtkStack            *detail_stack;
  AdwStatusPage       *detail_status;
  GtkBox              *detail_box;
  GtkActionBar        *action_bar;
  GtkLabel            *selection_label;
  GtkButton           *advance_button;
  GtkButton           *advance_icon_button;
  GMenuModel          *context_menu;

  /* owned */
  OrdContext          *context;
  OrdOrderListModel   *model;
  OrdRowModel         *rows;      /* the view's rows of @model (owned by @selection) */
  guint                first_screen_rows;
  GtkSelectionModel   *selection;
  GtkWidget           *popover;
  char                *filter;
  char                *detail_id;       /* the order the pane shows */
  GArray              *undo;            /* OrdStatusChange: the last batch */
  AdwToast            *undo_toast;      /* while it shows */
  gint64               counts[ORD_N_STATUSES];
  gint64               delivered_today;
  gint64               day_start;
  int                  refresh_queued;  /* atomic */
  gulong               changed_id;
  guint                new_day_id;    /* the timeout that ends "today" */

  /* borrowed */
  AdwMessageDialog    *decline_dialog;  /* "Decline…" while it asks for a reason */
  GtkEditable         *decline_reason;
};

/* Applies @to to the selected orders, as the actions do, without asking
 * (the dialogs ask first for changes that cannot be undone); @reason is
 * required to cancel. Returns how many orders changed. */
guint  ord_dashboard_page_set_selected_status (OrdDashboardPage *self,
                                               OrdStatus         to,
                                               const char       *reason);
/* Puts back the statuses of the last batch; returns how many. */
guint  ord_dashboard_page_undo                (OrdDashboardPage *self);
/* Reads the counters again now instead of at the next idle. */
void   ord_dashboard_page_update_counts       (OrdDashboardPage *self);

G_END_DECLS
