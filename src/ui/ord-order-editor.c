/* ord-order-editor.c: the window that creates or edits one order
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-order-editor"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-order-editor-private.h"
#include "ord-order-print.h"
#include "ord-ui-format.h"
#include "ord-ui.h"

#define N_MATCHES 8

G_DEFINE_FINAL_TYPE (OrdOrderEditor, ord_order_editor, ADW_TYPE_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  PROP_ORDER_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void ord_order_editor_revalidate (OrdOrderEditor *self);

static OrdStore *
get_store (OrdOrderEditor *self)
{
  return ord_context_get_store (self->context);
}

static const char *
get_currency (OrdOrderEditor *self)
{
  return ord_order_get_currency (self->working);
}

static void
set_error (OrdOrderEditor *self,
           const char     *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* Match popovers: a list under an entry, filled as the user types. The
 * popover does not take the focus, so typing goes on in the entry. */

static void
unparent_popover (GtkWidget *entry,
                  gpointer   popover)
{
  gtk_widget_unparent (GTK_WIDGET (popover));
}

/* Escape closes the list before it closes the editor. */
static gboolean
on_match_entry_key (GtkEventControllerKey *controller,
                    guint                  keyval,
                    guint                  keycode,
                    GdkModifierType        state,
                    gpointer               popover)
{
  if (keyval != GDK_KEY_Escape || !gtk_widget_get_visible (GTK_WIDGET (popover)))
    return FALSE;
  gtk_popover_popdown (GTK_POPOVER (popover));
  return TRUE;
}

/* The list belongs to its entry: it goes when the focus leaves the entry. */
static void
popdown_unless_focused (GtkPopover *popover,
                        GtkWidget  *entry,
                        GtkWidget  *focus)
{
  if (gtk_widget_get_visible (GTK_WIDGET (popover)) &&
      (focus == NULL || (focus != entry && !gtk_widget_is_ancestor (focus, entry))))
    gtk_popover_popdown (popover);
}

static void
on_focus_widget_changed (OrdOrderEditor *self)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  popdown_unless_focused (self->customer_popover, GTK_WIDGET (self->customer_entry), focus);
  for (guint i = 0; i < self->lines->len; i++)
    {
      OrdEditorLine *line = g_ptr_array_index (self->lines, i);

      popdown_unless_focused (line->popover, GTK_WIDGET (line->product_entry), focus);
    }
}

static GtkPopover *
create_match_popover (GtkWidget   *entry,
                      GtkListBox **list)
{
  GtkWidget *popover = gtk_popover_new ();
  GtkWidget *box = gtk_list_box_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (box, "navigation-sidebar");
  gtk_popover_set_child (GTK_POPOVER (popover), box);
  gtk_popover_set_autohide (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (popover), GTK_POS_BOTTOM);
  gtk_widget_set_halign (popover, GTK_ALIGN_START);
  gtk_widget_set_parent (popover, entry);
  g_signal_connect (entry, "destroy", G_CALLBACK (unparent_popover), popover);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_match_entry_key), popover);
  gtk_widget_add_controller (entry, keys);

  *list = GTK_LIST_BOX (box);
  return GTK_POPOVER (popover);
}

static void
popup_matches (GtkPopover *popover,
               GtkWidget  *entry)
{
  int width = gtk_widget_get_width (entry);

  gtk_widget_set_size_request (gtk_popover_get_child (popover), MAX (width - 12, 240), -1);
  /* The entry does not re-present its popover when the list changes: do
   * it here, or the popover keeps the size of its first, longer list. */
  if (gtk_widget_get_visible (GTK_WIDGET (popover)))
    gtk_popover_present (popover);
  else
    gtk_popover_popup (popover);
}

static void
clear_matches (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* @object (nullable): what picking the row chooses; NULL: "create". */
static void
append_match (GtkListBox *list,
              const char *title,
              const char *subtitle,
              GObject    *object)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *label = gtk_label_new (title);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_box_append (GTK_BOX (box), label);
  if (subtitle != NULL && *subtitle != '\0')
    {
      label = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), label);
    }
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  if (object != NULL)
    g_object_set_data_full (G_OBJECT (row), "ord-match", g_object_ref (object),
                            g_object_unref);
  gtk_list_box_append (list, row);
}

/**
 * ord_order_editor_n_matches:
 * @matches: a match list of the editor
 *
 * Returns: how many rows the list shows
 */
guint
ord_order_editor_n_matches (GtkListBox *matches)
{
  guint n = 0;

  g_return_val_if_fail (GTK_IS_LIST_BOX (matches), 0);

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (matches));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    n++;
  return n;
}

/**
 * ord_order_editor_pick_match:
 * @matches: a match list of the editor
 * @index: the row to pick
 *
 * Picks a row as a click on it does.
 */
void
ord_order_editor_pick_match (GtkListBox *matches,
                             guint       index)
{
  GtkListBoxRow *row;

  g_return_if_fail (GTK_IS_LIST_BOX (matches));

  row = gtk_list_box_get_row_at_index (matches, index);
  g_return_if_fail (row != NULL);
  g_signal_emit_by_name (matches, "row-activated", row);
}

/* Customer */

static void
show_customer (OrdOrderEditor *self)
{
  g_autofree char *detail = NULL;

  if (self->customer != NULL)
    {
      const char *email = ord_customer_get_email (self->customer);
      const char *phone = ord_customer_get_phone (self->customer);

      if (email != NULL && *email != '\0' && phone != NULL && *phone != '\0')
        detail = g_strdup_printf ("%s · %s", email, phone);
      else if (email != NULL && *email != '\0')
        detail = g_strdup (email);
      else if (phone != NULL && *phone != '\0')
        detail = g_strdup (phone);
    }
  gtk_label_set_text (self->customer_detail, detail ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (self->customer_detail), detail != NULL);
}

static void
choose_customer (OrdOrderEditor *self,
                 OrdCustomer    *customer)
{
  g_set_object (&self->customer, customer);
  self->updating = TRUE;
  gtk_editable_set_text (self->customer_entry, ord_customer_get_name (customer));
  gtk_editable_set_position (self->customer_entry, -1);
  self->updating = FALSE;
  gtk_popover_popdown (self->customer_popover);
  show_customer (self);
  ord_order_editor_revalidate (self);
}

static void
create_customer (OrdOrderEditor *self,
                 const char     *text)
{
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strstrip (g_strdup (text));

  /* What was typed goes where it looks like it belongs. */
  if (strchr (name, '@') != NULL)
    ord_customer_set_email (customer, name);
  ord_customer_set_name (customer, name);

  if (!ord_store_save_customer (get_store (self), customer, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not create the customer: %s"),
                                                  error->message);
      set_error (self, message);
      return;
    }
  choose_customer (self, customer);
}

static void
on_customer_match_activated (OrdOrderEditor *self,
                             GtkListBoxRow  *row)
{
  OrdCustomer *customer = g_object_get_data (G_OBJECT (row), "ord-match");

  if (customer != NULL)
    choose_customer (self, customer);
  else
    create_customer (self, gtk_editable_get_text (self->customer_entry));
}

static void
on_customer_changed (OrdOrderEditor *self)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *create = NULL;

  if (self->updating)
    return;

  /* Typing over a chosen customer un-chooses it. */
  g_clear_object (&self->customer);
  show_customer (self);

  text = g_strstrip (g_strdup (gtk_editable_get_text (self->customer_entry)));
  clear_matches (self->customer_matches);
  if (*text == '\0' || !self->editable)
    {
      gtk_popover_popdown (self->customer_popover);
      ord_order_editor_revalidate (self);
      return;
    }

  found = ord_store_find_customers (get_store (self), text, N_MATCHES, &error);
  if (found == NULL)
    g_warning ("Could not look for customers: %s", error->message);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      OrdCustomer *c = g_ptr_array_index (found, i);
      const char *email = ord_customer_get_email (c);

      append_match (self->customer_matches, ord_customer_get_name (c),
                    (email && *email) ? email : ord_customer_get_phone (c), G_OBJECT (c));
    }
  /* Translators: a row under the customer entry; %s is what was typed */
  create = g_strdup_printf (_("Create Customer “%s”"), text);
  append_match (self->customer_matches, create, NULL, NULL);

  popup_matches (self->customer_popover, GTK_WIDGET (self->customer_entry));
  ord_order_editor_revalidate (self);
}

static void
on_customer_activate (OrdOrderEditor *self)
{
  /* Enter picks the first match (or creates the customer). */
  if (self->customer == NULL && gtk_widget_get_visible (GTK_WIDGET (self->customer_popover)))
    ord_order_editor_pick_match (self->customer_matches, 0);
}

/* Lines */

static void
line_free (gpointer data)
{
  OrdEditorLine *line = data;

  g_clear_object (&line->item);
  g_free (line);
}

static void
set_amount_text (GtkEditable *editable,
                 gint64       amount,
                 guint        digits)
{
  g_autofree char *text = ord_amount_format_plain (amount, digits);

  gtk_editable_set_text (editable, text);
}

static gboolean
has_chosen_product (OrdOrderEditor *self)
{
  for (guint i = 0; i < self->lines->len; i++)
    {
      OrdEditorLine *line = g_ptr_array_index (self->lines, i);

      if (ord_order_item_get_product_id (line->item) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
choose_product (OrdEditorLine *line,
                OrdProduct    *product)
{
  OrdOrderEditor *self = line->editor;
  const char *currency = ord_product_get_currency (product);
  guint digits;

  /* A new order takes the currency of the catalogue it is made from. */
  if (self->original == NULL && currency != NULL && ord_currency_is_valid (currency) &&
      g_strcmp0 (currency, get_currency (self)) != 0 && !has_chosen_product (self))
    ord_order_set_currency (self->working, currency);
  digits = ord_currency_get_digits (get_currency (self));

  ord_order_item_set_product_id (line->item, ord_product_get_id (product));
  ord_order_item_set_sku (line->item, ord_product_get_sku (product));
  ord_order_item_set_name (line->item, ord_product_get_name (product));

  line->updating = TRUE;
  gtk_editable_set_text (line->product_entry, ord_product_get_name (product));
  gtk_editable_set_position (line->product_entry, -1);
  set_amount_text (line->price_entry, ord_product_get_unit_price (product), digits);
  line->updating = FALSE;

  gtk_popover_popdown (line->popover);
  ord_order_editor_revalidate (self);
}

static void
on_product_match_activated (GtkListBox    *list,
                            GtkListBoxRow *row,
                            OrdEditorLine *line)
{
  OrdProduct *product = g_object_get_data (G_OBJECT (row), "ord-match");

  if (product != NULL)
    choose_product (line, product);
}

static void
on_product_changed (GtkEditable   *entry,
                    OrdEditorLine *line)
{
  OrdOrderEditor *self = line->editor;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (line->updating)
    return;

  ord_order_item_set_product_id (line->item, NULL);
  ord_order_item_set_sku (line->item, NULL);
  ord_order_item_set_name (line->item, NULL);

  text = g_strstrip (g_strdup (gtk_editable_get_text (entry)));
  clear_matches (line->matches);
  if (*text != '\0')
    found = ord_store_find_products (get_store (self), text, TRUE, N_MATCHES, &error);
  if (found == NULL && error != NULL)
    g_warning ("Could not look for products: %s", error->message);
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      OrdProduct *p = g_ptr_array_index (found, i);
      const char *currency = ord_product_get_currency (p);
      OrdMoney price = ord_money_init (ord_product_get_unit_price (p),
                                       currency ? currency : get_currency (self));
      g_autofree char *formatted = ord_money_format (&price);
      /* Translators: a product match: its SKU and its price */
      g_autofree char *subtitle = g_strdup_printf (_("%s · %s"), ord_product_get_sku (p),
                                                   formatted);

      append_match (line->matches, ord_product_get_name (p), subtitle, G_OBJECT (p));
    }

  if (found != NULL && found->len > 0)
    popup_matches (line->popover, GTK_WIDGET (entry));
  else
    gtk_popover_popdown (line->popover);
  ord_order_editor_revalidate (self);
}

static void
on_product_activate (GtkEditable   *entry,
                     OrdEditorLine *line)
{
  if (ord_order_item_get_product_id (line->item) == NULL &&
      ord_order_editor_n_matches (line->matches) > 0)
    ord_order_editor_pick_match (line->matches, 0);
}

static void
on_line_input_changed (GtkWidget     *widget,
                       OrdEditorLine *line)
{
  if (!line->updating)
    ord_order_editor_revalidate (line->editor);
}

static void
on_remove_line (GtkButton     *button,
                OrdEditorLine *line)
{
  OrdOrderEditor *self = line->editor;

  gtk_list_box_remove (self->lines_box, line->row);
  g_ptr_array_remove (self->lines, line);
  ord_order_editor_revalidate (self);
}

static GtkWidget *
create_line_entry (const char *placeholder,
                   const char *accessible_label,
                   int         width_chars)
{
  GtkWidget *entry = gtk_entry_new ();

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), placeholder);
  gtk_editable_set_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_editable_set_max_width_chars (GTK_EDITABLE (entry), width_chars);
  gtk_widget_set_valign (entry, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible_label, -1);
  return entry;
}

/* A line's row is built here rather than in a template: its widgets
 * live and die with the OrdEditorLine that the signals are bound to. */
static OrdEditorLine *
add_line_for_item (OrdOrderEditor *self,
                   OrdOrderItem   *item)
{
  OrdEditorLine *line = g_new0 (OrdEditorLine, 1);
  guint digits = ord_currency_get_digits (get_currency (self));
  GtkWidget *box, *widget;

  line->editor = self;
  line->item = item ? ord_order_item_copy (item) : ord_order_item_new ();
  if (item == NULL)
    ord_order_item_set_quantity (line->item, 1);

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  widget = create_line_entry (_("Product name or SKU"), _("Product"), 14);
  gtk_widget_set_hexpand (widget, TRUE);
  line->product_entry = GTK_EDITABLE (widget);
  gtk_box_append (GTK_BOX (box), widget);
  line->popover = create_match_popover (widget, &line->matches);

  widget = gtk_spin_button_new_with_range (0, 1000000, 1);
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (widget, _("Quantity"));
  gtk_editable_set_width_chars (GTK_EDITABLE (widget), 3);
  gtk_accessible_update_property (GTK_ACCESSIBLE (widget),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Quantity"), -1);
  line->quantity_spin = GTK_SPIN_BUTTON (widget);
  gtk_box_append (GTK_BOX (box), widget);

  widget = create_line_entry (_("Price"), _("Unit price"), 6);
  gtk_entry_set_alignment (GTK_ENTRY (widget), 1);
  gtk_widget_set_tooltip_text (widget, _("Unit price"));
  line->price_entry = GTK_EDITABLE (widget);
  gtk_box_append (GTK_BOX (box), widget);

  widget = create_line_entry (_("Discount"), _("Line discount"), 6);
  gtk_entry_set_alignment (GTK_ENTRY (widget), 1);
  gtk_widget_set_tooltip_text (widget, _("Discount on this line"));
  line->discount_entry = GTK_EDITABLE (widget);
  gtk_box_append (GTK_BOX (box), widget);

  widget = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (widget), 1);
  gtk_label_set_width_chars (GTK_LABEL (widget), 8);
  gtk_widget_add_css_class (widget, "numeric");
  line->total_label = GTK_LABEL (widget);
  gtk_box_append (GTK_BOX (box), widget);

  widget = gtk_button_new_from_icon_name ("user-trash-symbolic");
  gtk_widget_set_valign (widget, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (widget, _("Remove Item"));
  gtk_widget_add_css_class (widget, "flat");
  g_signal_connect (widget, "clicked", G_CALLBACK (on_remove_line), line);
  gtk_box_append (GTK_BOX (box), widget);

  line->row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (line->row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (line->row), box);

  line->updating = TRUE;
  if (item != NULL)
    {
      gtk_editable_set_text (line->product_entry, ord_order_item_get_name (item));
      set_amount_text (line->price_entry, ord_order_item_get_unit_price (item), digits);
      if (ord_order_item_get_discount (item) != 0)
        set_amount_text (line->discount_entry, ord_order_item_get_discount (item), digits);
    }
  gtk_spin_button_set_value (line->quantity_spin, ord_order_item_get_quantity (line->item));
  line->updating = FALSE;

  g_signal_connect (line->product_entry, "changed", G_CALLBACK (on_product_changed), line);
  g_signal_connect (line->product_entry, "activate", G_CALLBACK (on_product_activate), line);
  g_signal_connect (line->matches, "row-activated",
                    G_CALLBACK (on_product_match_activated), line);
  g_signal_connect (line->quantity_spin, "value-changed",
                    G_CALLBACK (on_line_input_changed), line);
  g_signal_connect (line->price_entry, "changed", G_CALLBACK (on_line_input_changed), line);
  g_signal_connect (line->discount_entry, "changed", G_CALLBACK (on_line_input_changed), line);

  g_ptr_array_add (self->lines, line);
  gtk_list_box_append (self->lines_box, line->row);

  return line;
}

/**
 * ord_order_editor_add_line:
 * @self: an editor
 *
 * Adds an empty line and gives its product entry the focus.
 *
 * Returns: (transfer none): the line
 */
OrdEditorLine *
ord_order_editor_add_line (OrdOrderEditor *self)
{
  OrdEditorLine *line;

  g_return_val_if_fail (ORD_IS_ORDER_EDITOR (self), NULL);

  line = add_line_for_item (self, NULL);
  gtk_widget_grab_focus (GTK_WIDGET (line->product_entry));
  ord_order_editor_revalidate (self);
  return line;
}

/* Due date */

static void
show_due (OrdOrderEditor *self)
{
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *label = NULL;

  if (self->due_at == 0)
    {
      gtk_menu_button_set_label (self->due_button, _("No Due Date"));
      return;
    }
  local = g_date_time_new_from_unix_local (self->due_at / G_USEC_PER_SEC);
  /* Translators: the due date on its button: the locale's date, then hours:minutes */
  label = g_date_time_format (local, _("%x %H:%M"));
  gtk_menu_button_set_label (self->due_button, label);
}

/* "14:30" → hours and minutes */
static gboolean
parse_time (const char *text,
            int        *hour,
            int        *minute)
{
  g_auto(GStrv) parts = g_strsplit (text, ":", -1);
  guint64 h, m;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[0]), 10, 0, 23, &h, NULL) ||
      !g_ascii_string_to_unsigned (g_strstrip (parts[1]), 10, 0, 59, &m, NULL))
    return FALSE;
  *hour = (int) h;
  *minute = (int) m;
  return TRUE;
}

static void
on_due_changed (OrdOrderEditor *self)
{
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) due = NULL;
  int hour, minute;

  if (self->updating)
    return;

  if (!parse_time (gtk_editable_get_text (self->due_time_entry), &hour, &minute))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->due_time_entry), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->due_time_entry), "error");

  date = gtk_calendar_get_date (self->due_calendar);
  due = g_date_time_new_local (g_date_time_get_year (date), g_date_time_get_month (date),
                               g_date_time_get_day_of_month (date), hour, minute, 0);
  if (due == NULL)
    return;
  self->due_at = g_date_time_to_unix (due) * G_USEC_PER_SEC;
  show_due (self);
  ord_order_editor_revalidate (self);
}

static void
action_clear_due (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (widget);

  self->due_at = 0;
  show_due (self);
  gtk_menu_button_popdown (self->due_button);
  ord_order_editor_revalidate (self);
}

/* Validation and totals */

static gboolean
parse_amount (OrdOrderEditor *self,
              GtkEditable    *editable,
              gint64         *amount,
              GError        **error)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));

  if (*text == '\0')
    {
      *amount = 0;
      return TRUE;
    }
  return ord_amount_parse (text, ord_currency_get_digits (get_currency (self)), amount, error);
}

static char *
format_money (OrdOrderEditor *self,
              gint64          amount)
{
  return ord_format_order_total (amount, get_currency (self));
}

/* Fills self->working from the widgets. Returns: (nullable): what is
 * wrong, in words for the user. */
static char *
build_working_copy (OrdOrderEditor *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *first_problem = NULL;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  gint64 discount;

  ord_order_clear_items (self->working);

  for (guint i = 0; i < self->lines->len; i++)
    {
      OrdEditorLine *line = g_ptr_array_index (self->lines, i);
      g_autoptr(OrdOrderItem) item = ord_order_item_copy (line->item);
      g_autoptr(GError) line_error = NULL;
      gint64 quantity = gtk_spin_button_get_value_as_int (line->quantity_spin);
      gint64 price = 0, line_discount = 0, line_total = 0;
      char *problem = NULL;

      gtk_label_set_text (line->total_label, "");
      if (ord_order_item_get_name (item) == NULL)
        problem = g_strdup_printf (_("Line %u: choose a product from the list"), i + 1);
      else if (quantity < 1)
        problem = g_strdup_printf (_("Line %u: quantity must be at least 1"), i + 1);
      else if (!parse_amount (self, line->price_entry, &price, &line_error))
        problem = g_strdup_printf (_("Line %u: unit price: %s"), i + 1, line_error->message);
      else if (!parse_amount (self, line->discount_entry, &line_discount, &line_error))
        problem = g_strdup_printf (_("Line %u: discount: %s"), i + 1, line_error->message);
      else
        {
          ord_order_item_set_quantity (item, quantity);
          ord_order_item_set_unit_price (item, price);
          ord_order_item_set_discount (item, line_discount);
          if (!ord_order_item_compute_total (item, &line_total, &line_error))
            problem = g_strdup_printf (_("Line %u: %s"), i + 1, line_error->message);
          else if (line_total < 0)
            problem = g_strdup_printf (_("Line %u: the discount is more than the line’s "
                                         "amount"), i + 1);
        }

      if (problem == NULL)
        {
          g_autofree char *formatted = format_money (self, line_total);

          gtk_label_set_text (line->total_label, formatted);
          ord_order_add_item (self->working, item);
        }
      else if (first_problem == NULL)
        first_problem = problem;
      else
        g_free (problem);
    }

  buffer = gtk_text_view_get_buffer (self->notes_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  ord_order_set_notes (self->working, *notes ? notes : NULL);
  ord_order_set_due_at (self->working, self->due_at);

  if (self->customer != NULL)
    {
      ord_order_set_customer_id (self->working, ord_customer_get_id (self->customer));
      ord_order_set_customer_name (self->working, ord_customer_get_name (self->customer));
    }

  if (!parse_amount (self, self->discount_entry, &discount, &error))
    {
      if (first_problem == NULL)
        first_problem = g_strdup_printf (_("Order discount: %s"), error->message);
      g_clear_error (&error);
      discount = 0;
    }
  ord_order_set_discount (self->working, discount);

  if (!ord_order_compute_totals (self->working, &error) && first_problem == NULL)
    first_problem = g_strdup (error->message);

  if (first_problem != NULL)
    return g_steal_pointer (&first_problem);
  if (self->customer == NULL)
    return g_strdup (_("Choose a customer, or create one"));
  if (self->lines->len == 0)
    return g_strdup (_("Add at least one item"));
  if (ord_order_get_subtotal (self->working) < discount)
    return g_strdup (_("The order discount is more than the subtotal"));
  return NULL;
}

static gboolean
can_save (OrdOrderEditor *self)
{
  return self->editable && self->valid && (self->original == NULL || self->changed);
}

static void
ord_order_editor_revalidate (OrdOrderEditor *self)
{
  g_autofree char *problem = NULL;
  g_autofree char *subtotal = NULL;
  g_autofree char *tax = NULL;
  g_autofree char *total = NULL;
  g_autofree char *rate = NULL;
  guint bp;

  if (self->working == NULL)
    return;

  problem = build_working_copy (self);

  subtotal = format_money (self, ord_order_get_subtotal (self->working));
  tax = format_money (self, ord_order_get_tax (self->working));
  total = format_money (self, ord_order_get_total (self->working));
  gtk_label_set_text (self->subtotal_label, subtotal);
  gtk_label_set_text (self->tax_label, tax);
  gtk_label_set_text (self->total_label, total);
  bp = ord_order_get_tax_rate (self->working);
  /* Translators: the tax rate, e.g. "20.00 %" */
  rate = bp ? g_strdup_printf (_("%u.%02u %%"), bp / 100, bp % 100) : NULL;
  adw_action_row_set_subtitle (self->tax_row, rate);

  /* After loading, every revalidation comes from something the user did. */
  if (self->loaded)
    self->changed = TRUE;
  self->valid = problem == NULL;
  set_error (self, problem);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", can_save (self));
}

/* Save and cancel */

static void
action_save (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (widget);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ord_order_editor_revalidate (self);
  if (!can_save (self))
    return;

  if (self->original == NULL)
    ok = ord_store_create_order (get_store (self), self->working, &error);
  else
    ok = ord_store_edit_order (get_store (self), self->working, &error);

  if (!ok)
    {
      g_autofree char *message = g_strdup_printf (_("Could not save the order: %s"),
                                                  error->message);
      set_error (self, message);
      return;
    }

  gtk_window_destroy (GTK_WINDOW (self));
}

static void
action_add_line (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ord_order_editor_add_line (ORD_ORDER_EDITOR (widget));
}

static void
on_cancel_response (AdwMessageDialog *dialog,
                    const char       *response,
                    OrdOrderEditor   *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;

  reason = g_strstrip (g_strdup (gtk_editable_get_text (self->cancel_reason_entry)));
  self->cancel_dialog = NULL;
  self->cancel_reason_entry = NULL;

  if (g_strcmp0 (response, "cancel-order") != 0 || *reason == '\0')
    return;

  if (!ord_store_cancel_order (get_store (self), self->order_id, reason, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not cancel the order: %s"),
                                                  error->message);
      set_error (self, message);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_cancel_order_clicked (OrdOrderEditor *self)
{
  GtkWidget *dialog;
  const char *number;
  g_autofree char *heading = NULL;

  if (self->original == NULL || self->cancel_dialog != NULL)
    return;

  number = ord_order_get_number (self->original);
  if (number == NULL)
    number = ord_order_get_provisional_number (self->original);
  /* Translators: %s is an order number */
  heading = g_strdup_printf (_("Cancel Order %s?"), number ? number : "");
  dialog = adw_message_dialog_new (GTK_WINDOW (self), heading,
                                   _("The reason goes into the order’s timeline, where the "
                                     "customer and the shop can read it."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "keep", _("_Keep Order"),
                                    "cancel-order", _("_Cancel Order"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "cancel-order",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");

  self->cancel_dialog = ADW_MESSAGE_DIALOG (dialog);
  self->cancel_reason_entry = ord_message_dialog_add_reason (self->cancel_dialog, "cancel-order");
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_cancel_response), self, 0);

  gtk_window_present (GTK_WINDOW (dialog));
}

/* Print and export: the order as saved, as a customer would get it. */

static void
action_print (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (widget);

  if (self->original != NULL)
    ord_order_print_run (self->original, ord_context_get_settings (self->context),
                         GTK_WINDOW (self));
}

static void
on_export_pdf_response (GtkNativeDialog *chooser,
                        int              response,
                        OrdOrderEditor  *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  /* Drops the chooser. */
  g_object_set_data (G_OBJECT (self), "ord-export-chooser", NULL);

  if (file == NULL || self->original == NULL)
    return;
  if (!ord_order_print_to_pdf (self->original, ord_context_get_settings (self->context), file,
                               &error))
    {
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self),
                                                  _("Could Not Export the Order"),
                                                  error->message);

      adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
      gtk_window_present (GTK_WINDOW (dialog));
    }
}

static void
action_export_pdf (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (widget);
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;
  GtkFileChooserNative *chooser;
  const char *number;

  if (self->original == NULL)
    return;

  number = ord_order_get_number (self->original);
  if (number == NULL)
    number = ord_order_get_provisional_number (self->original);
  /* Translators: the suggested file name of an exported order; %s is its number */
  name = g_strdup_printf (_("Order %s.pdf"), number ? number : "");
  chooser = gtk_file_chooser_native_new (_("Export Order as PDF"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"), NULL);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_file_filter_set_name (filter, _("PDF documents"));
  gtk_file_filter_add_mime_type (filter, "application/pdf");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  /* The editor holds the chooser while it is open. */
  g_object_set_data_full (G_OBJECT (self), "ord-export-chooser", chooser, g_object_unref);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_pdf_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Closing: nothing typed is lost without asking. */

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     OrdOrderEditor   *self)
{
  self->discard_dialog = NULL;
  if (g_strcmp0 (response, "discard") == 0)
    gtk_window_destroy (GTK_WINDOW (self));
}

static gboolean
ord_order_editor_close_request (GtkWindow *window)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (window);
  GtkWidget *dialog;

  if (!self->changed || !self->editable)
    return GTK_WINDOW_CLASS (ord_order_editor_parent_class)->close_request (window);

  if (self->discard_dialog == NULL)
    {
      dialog = adw_message_dialog_new (window, _("Discard Changes?"),
                                       self->original == NULL
                                       ? _("The new order has not been saved.")
                                       : _("The changes to this order have not been saved."));
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                        "keep", _("_Keep Editing"),
                                        "discard", _("_Discard"),
                                        NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                                  ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
      self->discard_dialog = ADW_MESSAGE_DIALOG (dialog);
      g_signal_connect_object (dialog, "response", G_CALLBACK (on_discard_response), self, 0);
    }
  gtk_window_present (GTK_WINDOW (self->discard_dialog));

  return TRUE;
}

/* Loading */

static void
load_timeline (OrdOrderEditor *self)
{
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  events = ord_store_get_events (get_store (self), self->order_id, &error);
  if (events == NULL)
    {
      g_warning ("Could not read the timeline of %s: %s", self->order_id, error->message);
      return;
    }

  /* Newest first. */
  for (guint i = events->len; i > 0; i--)
    {
      OrdOrderEvent *event = g_ptr_array_index (events, i - 1);
      g_autofree char *text = ord_order_event_describe (event);
      g_autofree char *when = ord_format_order_time (ord_order_event_get_at (event), now);
      const char *actor = ord_order_event_get_actor (event);
      g_autofree char *subtitle = NULL;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      GtkWidget *label;

      if (actor != NULL && *actor != '\0')
        /* Translators: a timeline entry's time, then who did it */
        subtitle = g_strdup_printf (_("%s · %s"), when, actor);
      else
        subtitle = g_strdup (when);

      label = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
      gtk_box_append (GTK_BOX (box), label);
      label = gtk_label_new (subtitle);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_box_append (GTK_BOX (box), label);
      gtk_widget_set_margin_top (box, 3);
      gtk_widget_set_margin_bottom (box, 3);
      gtk_list_box_append (self->timeline_list, box);
    }
  gtk_widget_set_visible (self->timeline_pane, TRUE);
}

static void
set_editable (OrdOrderEditor *self,
              gboolean        editable,
              const char     *reason)
{
  self->editable = editable;
  gtk_widget_set_sensitive (GTK_WIDGET (self->customer_entry), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->lines_box), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->due_button), editable);
  gtk_widget_set_sensitive (GTK_WIDGET (self->discount_entry), editable);
  gtk_text_view_set_editable (self->notes_view, editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.add-line", editable);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.save", can_save (self));
  gtk_label_set_text (self->notice_label, reason ? reason : "");
  gtk_widget_set_visible (self->notice_box, reason != NULL);
}

static void
load_order (OrdOrderEditor *self)
{
  OrdStore *store = get_store (self);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) edit_error = NULL;
  g_autoptr(GError) cancel_error = NULL;
  g_autoptr(OrdCustomer) customer = NULL;
  g_autofree char *title = NULL;
  const char *number;
  OrdRole role = ord_store_get_role (store);
  OrdStatus status;
  guint digits;

  self->original = ord_store_get_order (store, self->order_id, &error);
  if (self->original == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not open the order: %s"),
                                                  error->message);
      self->working = ord_order_new ();
      set_editable (self, FALSE, message);
      return;
    }
  self->working = ord_order_copy (self->original);
  status = ord_order_get_status (self->original);
  digits = ord_currency_get_digits (get_currency (self));

  number = ord_order_get_number (self->original);
  if (number == NULL)
    number = ord_order_get_provisional_number (self->original);
  /* Translators: the editor's title; %s is an order number */
  title = g_strdup_printf (_("Order %s"), number ? number : "");
  gtk_window_set_title (GTK_WINDOW (self), title);
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, ord_status_get_label (status));

  self->updating = TRUE;
  if (ord_order_get_customer_id (self->original) != NULL)
    customer = ord_store_get_customer (store, ord_order_get_customer_id (self->original), NULL);
  if (customer == NULL)
    {
      /* Keep the order's customer even when its record is gone. */
      customer = ord_customer_new ();
      ord_customer_set_id (customer, ord_order_get_customer_id (self->original));
      ord_customer_set_name (customer, ord_order_get_customer_name (self->original));
    }
  g_set_object (&self->customer, customer);
  gtk_editable_set_text (self->customer_entry, ord_customer_get_name (customer));
  for (guint i = 0; i < ord_order_get_n_items (self->original); i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_get_item (self->original, i);

      add_line_for_item (self, item);
    }
  if (ord_order_get_notes (self->original) != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view),
                              ord_order_get_notes (self->original), -1);
  if (ord_order_get_discount (self->original) != 0)
    set_amount_text (self->discount_entry, ord_order_get_discount (self->original), digits);
  self->due_at = ord_order_get_due_at (self->original);
  if (self->due_at != 0)
    {
      g_autoptr(GDateTime) due = g_date_time_new_from_unix_local (self->due_at / G_USEC_PER_SEC);
      g_autofree char *hhmm = g_date_time_format (due, "%H:%M");

      gtk_calendar_select_day (self->due_calendar, due);
      gtk_editable_set_text (self->due_time_entry, hhmm);
    }
  self->updating = FALSE;
  show_customer (self);
  show_due (self);

  ord_status_check_edit (role, status, &edit_error);
  set_editable (self, edit_error == NULL, edit_error ? edit_error->message : NULL);

  gtk_widget_set_visible (self->cancel_order_button, TRUE);
  if (!ord_status_check_transition (role, status, ORD_STATUS_CANCELLED, NULL, &cancel_error))
    {
      gtk_widget_set_sensitive (self->cancel_order_button, FALSE);
      gtk_widget_set_tooltip_text (self->cancel_order_button, cancel_error->message);
    }

  load_timeline (self);
}

static void
setup_new_order (OrdOrderEditor *self)
{
  GSettings *settings = ord_context_get_settings (self->context);

  self->working = ord_order_new ();
  if (ord_settings_has_key (settings, "currency"))
    {
      g_autofree char *currency = g_settings_get_string (settings, "currency");

      if (ord_currency_is_valid (currency))
        ord_order_set_currency (self->working, currency);
    }
  if (ord_settings_has_key (settings, "tax-rate"))
    ord_order_set_tax_rate (self->working, g_settings_get_uint (settings, "tax-rate"));
  set_editable (self, TRUE, NULL);
}

/* GObject */

static void
ord_order_editor_constructed (GObject *object)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (object);

  G_OBJECT_CLASS (ord_order_editor_parent_class)->constructed (object);

  g_assert (ORD_IS_CONTEXT (self->context));
  g_assert (get_store (self) != NULL);

  if (self->order_id != NULL)
    load_order (self);
  else
    setup_new_order (self);

  ord_order_editor_revalidate (self);
  self->loaded = TRUE;
  /* Only a saved order can be printed. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.print", self->original != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.export-pdf", self->original != NULL);
  /* A new order starts with the customer; nothing is wrong yet. */
  if (self->original == NULL)
    {
      set_error (self, NULL);
      gtk_widget_grab_focus (GTK_WIDGET (self->customer_entry));
    }
}

static void
ord_order_editor_dispose (GObject *object)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (object);

  if (self->cancel_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->cancel_dialog));
  self->cancel_dialog = NULL;
  if (self->discard_dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->discard_dialog));
  self->discard_dialog = NULL;
  self->cancel_reason_entry = NULL;

  /* The popovers go with their entries, before the focus last moves. */
  g_signal_handlers_disconnect_by_func (self, on_focus_widget_changed, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ORD_TYPE_ORDER_EDITOR);
  self->customer_popover = NULL;
  self->customer_matches = NULL;

  G_OBJECT_CLASS (ord_order_editor_parent_class)->dispose (object);
}

static void
ord_order_editor_finalize (GObject *object)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (object);

  g_clear_pointer (&self->lines, g_ptr_array_unref);
  g_clear_object (&self->context);
  g_clear_object (&self->original);
  g_clear_object (&self->working);
  g_clear_object (&self->customer);
  g_clear_pointer (&self->order_id, g_free);

  G_OBJECT_CLASS (ord_order_editor_parent_class)->finalize (object);
}

static void
ord_order_editor_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    case PROP_ORDER_ID:
      g_value_set_string (value, self->order_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_editor_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  OrdOrderEditor *self = ORD_ORDER_EDITOR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    case PROP_ORDER_ID:
      self->order_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_order_editor_class_init (OrdOrderEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ord_order_editor_constructed;
  object_class->dispose = ord_order_editor_dispose;
  object_class->finalize = ord_order_editor_finalize;
  object_class->get_property = ord_order_editor_get_property;
  object_class->set_property = ord_order_editor_set_property;

  window_class->close_request = ord_order_editor_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ORD_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));
  properties[PROP_ORDER_ID] =
    g_param_spec_string ("order-id", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  ord_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               ORD_UI_RESOURCE_PATH "/ord-order-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, window_title);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, save_button);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, notice_box);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, notice_label);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, customer_entry);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, customer_detail);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, items_group);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, lines_box);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, add_line_button);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, due_button);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, due_calendar);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, due_time_entry);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, notes_view);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, discount_entry);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, subtotal_label);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, tax_label);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, tax_row);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, total_label);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, cancel_order_button);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, timeline_pane);
  gtk_widget_class_bind_template_child (widget_class, OrdOrderEditor, timeline_list);

  gtk_widget_class_bind_template_callback (widget_class, on_customer_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_customer_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_due_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_cancel_order_clicked);
  gtk_widget_class_bind_template_callback (widget_class, ord_order_editor_revalidate);

  gtk_widget_class_install_action (widget_class, "editor.save", NULL, action_save);
  gtk_widget_class_install_action (widget_class, "editor.add-line", NULL, action_add_line);
  gtk_widget_class_install_action (widget_class, "editor.clear-due", NULL, action_clear_due);
  gtk_widget_class_install_action (widget_class, "editor.print", NULL, action_print);
  gtk_widget_class_install_action (widget_class, "editor.export-pdf", NULL, action_export_pdf);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "editor.print", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "editor.export-pdf", NULL);
}

static void
ord_order_editor_init (OrdOrderEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->lines = g_ptr_array_new_with_free_func (line_free);
  self->customer_popover = create_match_popover (GTK_WIDGET (self->customer_entry),
                                                 &self->customer_matches);
  g_signal_connect_object (self->customer_matches, "row-activated",
                           G_CALLBACK (on_customer_match_activated), self, G_CONNECT_SWAPPED);
  g_signal_connect (self, "notify::focus-widget", G_CALLBACK (on_focus_widget_changed), NULL);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed",
                           G_CALLBACK (ord_order_editor_revalidate), self, G_CONNECT_SWAPPED);
}

/**
 * ord_order_editor_new:
 * @parent: (nullable): the window the editor belongs to
 * @context: the store and settings
 * @order_id: (nullable): the order to edit, or %NULL for a new order
 *
 * Returns: (transfer none): a new editor, not shown yet
 */
OrdOrderEditor *
ord_order_editor_new (GtkWindow  *parent,
                      OrdContext *context,
                      const char *order_id)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (ORD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ord_context_get_store (context) != NULL, NULL);

  return g_object_new (ORD_TYPE_ORDER_EDITOR,
                       "transient-for", parent,
                       "context", context,
                       "order-id", order_id,
                       NULL);
}

const char *
ord_order_editor_get_order_id (OrdOrderEditor *self)
{
  g_return_val_if_fail (ORD_IS_ORDER_EDITOR (self), NULL);

  return self->order_id;
}
