/* ord-window-private.h: what the window's files (and its tests) share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-dashboard-page.h"
#include "ord-window.h"
#include "ord-row-model.h"

G_BEGIN_DECLS

typedef struct _OrdJob OrdJob;

struct _OrdWindow
{
  AdwApplicationWindow  parent_instance;

  /* template widgets */
  AdwViewSwitcherTitle *window_title;
  AdwBin               *header_extra;
  AdwViewStack         *view_stack;
  AdwViewStackPage     *orders_page;
  AdwViewSwitcherBar   *switcher_bar;
  GtkToggleButton      *search_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkRevealer          *job_revealer;
  GtkLabel             *job_label;
  GtkProgressBar       *job_progress;
  AdwToastOverlay      *toast_overlay;
  GtkStack             *stack;
  GtkColumnView        *column_view;
  GtkColumnViewColumn  *number_column;
  GtkColumnViewColumn  *customer_column;
  GtkColumnViewColumn  *created_column;
  GtkColumnViewColumn  *status_column;
  GtkColumnViewColumn  *total_column;
  AdwStatusPage        *empty_page;
  GtkStack             *empty_stack;
  GtkLabel             *empty_job_label;
  GtkProgressBar       *empty_job_progress;
  AdwStatusPage        *error_page;

  /* owned */
  OrdContext           *context;
  OrdOrderListModel    *model;
  OrdRowModel          *rows;          /* the view's rows of it (owned by the view) */
  GtkSelectionModel    *selection;     /* of @rows (owned by the view) */
  guint                 empty_search_id;
  GCancellable         *job_cancellable;
  GtkNativeDialog      *chooser;
  guint                 job_tick_id;

  /* borrowed: the running job belongs to its GTask; the dashboard to the
   * view stack (NULL without a store) */
  OrdJob               *job;
  OrdDashboardPage     *dashboard;

  guint                 closed : 1;
};

/* The page the stack shows: "list", "empty", "no-results" or "error". */
const char *ord_window_get_page          (OrdWindow  *self);
/* Shows the orders (or the empty state) again after a job or a search. */
void        ord_window_update            (OrdWindow  *self);
void        ord_window_show_toast        (OrdWindow  *self,
                                          const char *title);
void        ord_window_show_error        (OrdWindow  *self,
                                          const char *heading,
                                          const char *body);

/* ord-window-jobs.c: import, export and demo data, each in a thread with
 * its own connection to the database. */
gboolean    ord_window_has_job           (OrdWindow  *self);
void        ord_window_cancel_job        (OrdWindow  *self);
void        ord_window_import_file       (OrdWindow  *self,
                                          GFile      *file);
void        ord_window_export_file       (OrdWindow  *self,
                                          GFile      *file);
void        ord_window_create_demo_data  (OrdWindow  *self);

G_END_DECLS
