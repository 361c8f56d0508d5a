/* ord-order-editor-private.h: what the editor's tests look at
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "ord-order-editor.h"

G_BEGIN_DECLS

/* One line of the order as the editor shows it. */
typedef struct
{
  OrdOrderEditor *editor;         /* borrowed */
  GtkWidget      *row;            /* borrowed: owned by lines_box */
  GtkEditable    *product_entry;
  GtkSpinButton  *quantity_spin;
  GtkEditable    *price_entry;
  GtkEditable    *discount_entry;
  GtkLabel       *total_label;
  GtkPopover     *popover;
  GtkListBox     *matches;
  OrdOrderItem   *item;           /* owned: the product as chosen */
  guint           updating : 1;
} OrdEditorLine;

struct _OrdOrderEditor
{
  AdwWindow        parent_instance;

  /* template widgets */
  AdwWindowTitle  *window_title;
  GtkWidget       *save_button;
  GtkWidget       *notice_box;
  GtkLabel        *notice_label;
  GtkEditable     *customer_entry;
  GtkLabel        *customer_detail;
  GtkWidget       *items_group;
  GtkListBox      *lines_box;
  GtkWidget       *add_line_button;
  GtkMenuButton   *due_button;
  GtkCalendar     *due_calendar;
  GtkEditable     *due_time_entry;
  GtkTextView     *notes_view;
  GtkEditable     *discount_entry;
  GtkLabel        *subtotal_label;
  GtkLabel        *tax_label;
  AdwActionRow    *tax_row;
  GtkLabel        *total_label;
  GtkLabel        *error_label;
  GtkWidget       *cancel_order_button;
  GtkWidget       *timeline_pane;
  GtkListBox      *timeline_list;

  /* owned */
  OrdContext      *context;
  char            *order_id;
  OrdOrder        *original;       /* NULL for a new order */
  OrdOrder        *working;        /* what Save writes */
  OrdCustomer     *customer;
  GPtrArray       *lines;          /* OrdEditorLine */
  GtkPopover      *customer_popover;
  GtkListBox      *customer_matches;

  /* borrowed */
  AdwMessageDialog *cancel_dialog; /* while it is open */
  GtkEditable      *cancel_reason_entry;
  AdwMessageDialog *discard_dialog;  /* while it is open */

  gint64           due_at;         /* µs; 0: none */
  guint            editable : 1;
  guint            valid : 1;
  guint            updating : 1;
  guint            loaded : 1;
  guint            changed : 1;     /* by the user, since loading */
};

/* Adds an empty line, as the Add Item button does. */
OrdEditorLine *ord_order_editor_add_line     (OrdOrderEditor *self);
/* The rows of a match popover (customer or product) as the user sees them. */
guint          ord_order_editor_n_matches    (GtkListBox     *matches);
void           ord_order_editor_pick_match   (GtkListBox     *matches,
                                              guint           index);

G_END_DECLS
