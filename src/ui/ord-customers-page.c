/* ord-customers-page.c: the customers of the shop, searchable, with an
 * editor, their orders and totals
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-customers-page"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ord-customers-page-private.h"
#include "ord-order-editor.h"
#include "ord-ui.h"
#include "ord-ui-format.h"

/*
 * Deactivating a customer sets the customer's `deleted` flag: the schema
 * has no other. ord_store_find_customers() (the order editor's picker)
 * already leaves such customers out; their orders stay, and the customer
 * can be reactivated here.
 */

G_DEFINE_FINAL_TYPE (OrdCustomersPage, ord_customers_page, ADW_TYPE_BIN)

static char *
trimmed (GtkEditable *editable)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (editable)));
}

static char *
get_notes (OrdCustomersPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->notes_view);
  GtkTextIter start, end;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);

  return g_strstrip (text);
}

static void
set_row_error (GtkEditable *row,
               gboolean     error)
{
  if (error)
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

static void
show_error (OrdCustomersPage *self,
            const char       *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

/* An address needs something on both sides of one "@" and no blanks. */
static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && at[1] != '\0' && strchr (at + 1, '@') == NULL &&
         strpbrk (text, " \t\n") == NULL;
}

/* What is wrong with the form, or NULL; @strict also names an empty name. */
static char *
validate (OrdCustomersPage *self,
          gboolean          strict)
{
  g_autofree char *name = trimmed (self->name_row);
  g_autofree char *email = trimmed (self->email_row);
  gboolean bad_email = email[0] != '\0' && !looks_like_email (email);

  set_row_error (self->email_row, bad_email);
  set_row_error (self->name_row, strict && name[0] == '\0');

  if (bad_email)
    /* Translators: %s is what was typed as an email address. */
    return g_strdup_printf (_("“%s” is not an email address"), email);
  if (strict && name[0] == '\0')
    return g_strdup (_("Enter the customer’s name"));

  return NULL;
}

static gboolean
is_changed (OrdCustomersPage *self)
{
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *notes = NULL;

  if (self->customer == NULL)
    return FALSE;

  name = trimmed (self->name_row);
  email = trimmed (self->email_row);
  phone = trimmed (self->phone_row);
  notes = get_notes (self);
  /* A new customer: as soon as anything is typed. */
  if (ord_customer_get_id (self->customer) == NULL)
    return name[0] != '\0' || email[0] != '\0' || phone[0] != '\0' || notes[0] != '\0';

  return g_strcmp0 (name, ord_customer_get_name (self->customer)) != 0 ||
         g_strcmp0 (email, ord_customer_get_email (self->customer) ?: "") != 0 ||
         g_strcmp0 (phone, ord_customer_get_phone (self->customer) ?: "") != 0 ||
         g_strcmp0 (notes, ord_customer_get_notes (self->customer) ?: "") != 0;
}

static void
update_actions (OrdCustomersPage *self)
{
  gboolean changed = is_changed (self);
  gboolean stored = self->customer != NULL && ord_customer_get_id (self->customer) != NULL;
  gboolean more;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.save", changed);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.revert", changed && stored);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.toggle-active", stored);
  more = stored && g_list_model_get_n_items (G_LIST_MODEL (self->history))
                   < (guint64) self->totals.n_orders;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "customers.show-more", more);
  gtk_widget_set_visible (self->show_more_button, more);
}

static void
on_form_changed (OrdCustomersPage *self)
{
  g_autofree char *message = NULL;

  if (self->filling)
    return;

  message = validate (self, FALSE);
  show_error (self, message);
  update_actions (self);
}

/* One order of the history: number and date, status and total. */
static GtkWidget *
create_history_row (gpointer item,
                    gpointer user_data)
{
  OrdOrder *order = item;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *when = ord_format_order_time (ord_order_get_created_at (order), now);
  g_autofree char *total = ord_format_order_total (ord_order_get_total (order),
                                                   ord_order_get_currency (order));
  const char *number = ord_order_get_number (order);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *status = gtk_label_new (ord_status_get_label (ord_order_get_status (order)));
  GtkWidget *amount = gtk_label_new (total);

  if (number == NULL || number[0] == '\0')
    number = ord_order_get_provisional_number (order);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), number ? number : "");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "order-id", g_strdup (ord_order_get_id (order)),
                          g_free);

  gtk_widget_set_valign (status, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (status, "status-pill");
  gtk_widget_add_css_class (status, ord_status_css_class (ord_order_get_status (order)));
  gtk_widget_add_css_class (amount, "numeric");
  gtk_label_set_xalign (GTK_LABEL (amount), 1);
  gtk_label_set_width_chars (GTK_LABEL (amount), 10);
  if (ord_order_get_status (order) == ORD_STATUS_CANCELLED)
    gtk_widget_add_css_class (amount, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), amount);

  return row;
}

static void
load_history_page (OrdCustomersPage *self)
{
  g_autoptr(GPtrArray) orders = NULL;
  g_autoptr(GError) error = NULL;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->history));

  orders = ord_store_list_customer_orders (ord_context_get_store (self->context),
                                           ord_customer_get_id (self->customer), n,
                                           ORD_CUSTOMERS_PAGE_HISTORY_PAGE, &error);
  if (orders == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }
  g_list_store_splice (self->history, n, 0, orders->pdata, orders->len);
}

static void
fill_totals (OrdCustomersPage *self)
{
  const OrdCustomerTotals *t = &self->totals;
  g_autofree char *count = g_strdup_printf ("%'" G_GINT64_FORMAT, t->n_orders);
  g_autofree char *spend = NULL;
  g_autofree char *caption = NULL;

  gtk_label_set_text (self->orders_value, count);
  if (t->n_cancelled > 0)
    {
      g_autofree char *cancelled = g_strdup_printf ("%'" G_GINT64_FORMAT, t->n_cancelled);

      /* Translators: under the number of a customer's orders, two short
       * lines; %s is a number. */
      caption = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "orders\n%s cancelled",
                                              "orders\n%s cancelled", t->n_cancelled),
                                 cancelled);
    }
  else
    caption = g_strdup (g_dngettext (GETTEXT_PACKAGE, "order", "orders", t->n_orders));
  gtk_label_set_text (self->orders_caption, caption);

  if (t->n_orders > 0)
    spend = ord_format_order_total (t->spend, t->currency);
  gtk_label_set_text (self->spend_value, spend ? spend : "—");
  if (t->n_currencies > 1)
    {
      g_autofree char *tip = g_strdup_printf (_("Orders in %s only: this customer also has "
                                                "orders in other currencies"), t->currency);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self->spend_value), tip);
    }
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->spend_value),
                                 _("What all orders cost together, cancelled ones left out"));

  if (t->last_order_at > 0)
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (t->last_order_at
                                                                / G_USEC_PER_SEC);
      g_autoptr(GDateTime) local = utc ? g_date_time_to_local (utc) : NULL;
      /* Translators: the date of a customer's last order (g_date_time_format()). */
      g_autofree char *date = local ? g_date_time_format (local, _("%e %b %Y")) : NULL;

      gtk_label_set_text (self->last_order_value, date ? g_strstrip (date) : "");
    }
  else
    gtk_label_set_text (self->last_order_value, "—");

  gtk_widget_set_visible (self->history_empty, t->n_orders == 0);
  gtk_widget_set_visible (GTK_WIDGET (self->history_list), t->n_orders > 0);
}

static void
load_history (OrdCustomersPage *self)
{
  g_autoptr(GError) error = NULL;

  g_list_store_remove_all (self->history);
  memset (&self->totals, 0, sizeof self->totals);
  gtk_widget_set_visible (self->history_box, ord_customer_get_id (self->customer) != NULL);
  if (ord_customer_get_id (self->customer) == NULL)
    return;

  if (!ord_store_get_customer_totals (ord_context_get_store (self->context),
                                      ord_customer_get_id (self->customer), &self->totals,
                                      &error))
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
  fill_totals (self);
  if (self->totals.n_orders > 0)
    load_history_page (self);
}

static void
fill_form (OrdCustomersPage *self)
{
  OrdCustomer *c = self->customer;
  gboolean is_new = ord_customer_get_id (c) == NULL;
  const char *email = ord_customer_get_email (c);
  const char *phone = ord_customer_get_phone (c);
  const char *notes = ord_customer_get_notes (c);

  self->filling = TRUE;
  gtk_editable_set_text (self->name_row, ord_customer_get_name (c) ?: "");
  gtk_editable_set_text (self->email_row, email ?: "");
  gtk_editable_set_text (self->phone_row, phone ?: "");
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->notes_view), notes ?: "", -1);
  self->filling = FALSE;

  if (is_new)
    {
      gtk_label_set_text (self->title_label, _("New Customer"));
      gtk_label_set_text (self->subtitle_label, _("Only the name is needed"));
    }
  else
    {
      gtk_label_set_text (self->title_label, ord_customer_get_name (c));
      if (ord_customer_get_deleted (c))
        gtk_label_set_text (self->subtitle_label,
                            _("Deactivated: not offered when entering orders"));
      else if (email != NULL && email[0] != '\0')
        gtk_label_set_text (self->subtitle_label, email);
      else
        gtk_label_set_text (self->subtitle_label, phone ?: "");
    }
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label),
                          gtk_label_get_text (self->subtitle_label)[0] != '\0');

  gtk_button_set_label (self->deactivate_button,
                        ord_customer_get_deleted (c) ? _("_Reactivate") : _("_Deactivate…"));
  gtk_widget_set_visible (GTK_WIDGET (self->deactivate_button), !is_new);

  set_row_error (self->name_row, FALSE);
  set_row_error (self->email_row, FALSE);
  show_error (self, NULL);
  gtk_stack_set_visible_child_name (self->detail_stack, "form");
  load_history (self);
  update_actions (self);
}

/**
 * ord_customers_page_edit:
 * @self: the page
 * @customer_id: (nullable): the customer to show, NULL for a new one
 *
 * Fills the form from the store, with the customer's totals and latest
 * orders, and shows it (on a narrow window, in place of the list).
 */
void
ord_customers_page_edit (OrdCustomersPage *self,
                         const char       *customer_id)
{
  g_autoptr(OrdCustomer) customer = NULL;

  g_return_if_fail (ORD_IS_CUSTOMERS_PAGE (self));

  if (customer_id != NULL)
    {
      g_autoptr(GError) error = NULL;

      customer = ord_store_get_customer (ord_context_get_store (self->context), customer_id,
                                         &error);
      if (customer == NULL)
        {
          adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
          return;
        }
    }
  else
    customer = ord_customer_new ();

  g_set_object (&self->customer, customer);
  fill_form (self);
  adw_leaflet_set_visible_child_name (self->leaflet, "detail");
}

/* Shows @id (NULL: a new one), the form's first field first for a new one. */
static void
show_record (OrdCustomersPage *self,
             const char       *id)
{
  ord_customers_page_edit (self, id);
  if (id == NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->name_row));
}

static void
on_discard_answer (GtkWidget  *page,
                   const char *id,
                   gboolean    discard)
{
  OrdCustomersPage *self = (OrdCustomersPage *) page;

  if (discard)
    show_record (self, id);
  else
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

/* Shows another record (NULL: a new one), after asking when the form
 * has changes that would be lost. */
static void
edit_or_ask (OrdCustomersPage *self,
             const char       *id)
{
  if (!is_changed (self))
    show_record (self, id);
  else
    ord_ask_discard_changes (GTK_WIDGET (self), _("The changes to this customer have not been saved."), id, on_discard_answer);
}

static void
update_list_state (OrdCustomersPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  const char *text = ord_catalogue_list_model_get_text (self->model);
  OrdCatalogueFilter filter = ord_catalogue_list_model_get_filter (self->model);
  g_autofree char *count = g_strdup_printf ("%'u", n);
  g_autofree char *label = NULL;

  /* Not read yet (the page has not been shown): nothing to count. */
  if (n > 0 || !ord_catalogue_list_model_is_loaded (self->model))
    gtk_stack_set_visible_child_name (self->list_stack, "list");
  else if (text == NULL &&
           ord_store_count_customers_filtered (ord_context_get_store (self->context), NULL,
                                               ORD_CATALOGUE_ALL, NULL) == 0)
    gtk_stack_set_visible_child_name (self->list_stack, "empty");
  else
    gtk_stack_set_visible_child_name (self->list_stack, "no-results");

  if (filter == ORD_CATALOGUE_INACTIVE)
    /* Translators: %s is a number. */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s deactivated customer",
                                          "%s deactivated customers", n), count);
  else
    /* Translators: %s is a number. */
    label = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s customer", "%s customers", n),
                             count);
  gtk_label_set_text (self->count_label, label);
}

static void
save (OrdCustomersPage *self)
{
  g_autoptr(OrdCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *notes = NULL;
  const char *id;
  gboolean is_new;

  g_assert (self->customer != NULL);

  message = validate (self, TRUE);
  if (message != NULL)
    {
      show_error (self, message);
      return;
    }

  /* Start from what the store has now: the fields this form does not show
   * (external reference, owner, version, deactivation) stay as they are. */
  id = ord_customer_get_id (self->customer);
  is_new = id == NULL;
  if (!is_new)
    customer = ord_store_get_customer (ord_context_get_store (self->context), id, &error);
  else
    customer = ord_customer_new ();
  if (customer == NULL)
    {
      show_error (self, error->message);
      return;
    }

  name = trimmed (self->name_row);
  email = trimmed (self->email_row);
  phone = trimmed (self->phone_row);
  notes = get_notes (self);
  ord_customer_set_name (customer, name);
  ord_customer_set_email (customer, email[0] ? email : NULL);
  ord_customer_set_phone (customer, phone[0] ? phone : NULL);
  ord_customer_set_notes (customer, notes[0] ? notes : NULL);

  if (!ord_store_save_customer (ord_context_get_store (self->context), customer, &error))
    {
      show_error (self, error->message);
      return;
    }

  g_set_object (&self->customer, customer);
  fill_form (self);
  ord_catalogue_list_model_refresh (self->model);
  update_list_state (self);

  adw_toast_overlay_add_toast (self->toast_overlay,
                               adw_toast_new (is_new ? _("Customer added")
                                                     : _("Customer saved")));
}

/**
 * ord_customers_page_set_deactivated:
 * @self: the page
 * @deactivated: whether the customer in the form is to be deactivated
 *
 * Deactivates (or reactivates) the customer in the form, keeping their
 * orders; a deactivation's toast offers to undo it.
 *
 * Returns: whether the store took the change
 */
gboolean
ord_customers_page_set_deactivated (OrdCustomersPage *self,
                                    gboolean          deactivated)
{
  g_autoptr(OrdCustomer) customer = NULL;
  g_autoptr(GError) error = NULL;
  OrdStore *store;
  AdwToast *toast;

  g_return_val_if_fail (ORD_IS_CUSTOMERS_PAGE (self), FALSE);
  g_return_val_if_fail (self->customer != NULL, FALSE);
  g_return_val_if_fail (ord_customer_get_id (self->customer) != NULL, FALSE);

  store = ord_context_get_store (self->context);
  customer = ord_store_get_customer (store, ord_customer_get_id (self->customer), &error);
  if (customer != NULL)
    {
      ord_customer_set_deleted (customer, deactivated);
      ord_store_save_customer (store, customer, &error);
    }
  if (error != NULL)
    {
      show_error (self, error->message);
      return FALSE;
    }

  g_set_object (&self->customer, customer);
  fill_form (self);
  ord_catalogue_list_model_refresh (self->model);
  update_list_state (self);

  if (deactivated)
    {
      g_autofree char *title = g_strdup_printf (_("“%s” deactivated"),
                                                ord_customer_get_name (customer));

      toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, _("_Undo"));
      adw_toast_set_action_name (toast, "customers.reactivate");
      adw_toast_set_action_target_value (toast,
                                         g_variant_new_string (ord_customer_get_id (customer)));
    }
  else
    toast = adw_toast_new (_("Customer reactivated"));
  adw_toast_overlay_add_toast (self->toast_overlay, toast);

  return TRUE;
}

static void
on_deactivate_response (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          data)
{
  g_autoptr(OrdCustomersPage) self = g_weak_ref_get (data);

  if (self != NULL && g_strcmp0 (response, "deactivate") == 0)
    ord_customers_page_set_deactivated (self, TRUE);
}

static void
weak_ref_free (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

static void
toggle_active_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  OrdCustomersPage *self = ORD_CUSTOMERS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkWidget *dialog;
  GWeakRef *weak;

  if (self->customer == NULL || ord_customer_get_id (self->customer) == NULL)
    return;
  if (ord_customer_get_deleted (self->customer))
    {
      ord_customers_page_set_deactivated (self, FALSE);
      return;
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, NULL, NULL);
  adw_message_dialog_format_heading (ADW_MESSAGE_DIALOG (dialog), _("Deactivate “%s”?"),
                                     ord_customer_get_name (self->customer));
  adw_message_dialog_set_body (ADW_MESSAGE_DIALOG (dialog),
                               _("The customer will no longer be offered when entering "
                                 "orders. Their orders stay, and you can reactivate them "
                                 "at any time."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Cancel"),
                                    "deactivate", _("_Deactivate"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "deactivate",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_deactivate_response), weak,
                         (GClosureNotify) (void (*) (void)) weak_ref_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
reactivate_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  OrdCustomersPage *self = ORD_CUSTOMERS_PAGE (widget);
  const char *id = g_variant_get_string (parameter, NULL);

  if (self->customer == NULL || g_strcmp0 (ord_customer_get_id (self->customer), id) != 0)
    ord_customers_page_edit (self, id);
  if (self->customer != NULL && g_strcmp0 (ord_customer_get_id (self->customer), id) == 0)
    ord_customers_page_set_deactivated (self, FALSE);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  save (ORD_CUSTOMERS_PAGE (widget));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  OrdCustomersPage *self = ORD_CUSTOMERS_PAGE (widget);

  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  edit_or_ask (self, NULL);
}

static void
revert_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OrdCustomersPage *self = ORD_CUSTOMERS_PAGE (widget);

  if (self->customer != NULL)
    fill_form (self);
}

static void
show_more_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  OrdCustomersPage *self = ORD_CUSTOMERS_PAGE (widget);

  load_history_page (self);
  update_actions (self);
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  adw_leaflet_set_visible_child_name (ORD_CUSTOMERS_PAGE (widget)->leaflet, "list");
}

static void
search_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  OrdCustomersPage *self = ORD_CUSTOMERS_PAGE (widget);

  adw_leaflet_set_visible_child_name (self->leaflet, "list");
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
on_entry_activated (OrdCustomersPage *self)
{
  if (is_changed (self))
    save (self);
}

static void
on_search_changed (OrdCustomersPage *self)
{
  ord_catalogue_list_model_set_text (self->model, gtk_editable_get_text (self->search_entry));
  update_list_state (self);
}

static void
on_filter_toggled (OrdCustomersPage *self,
                   GtkToggleButton  *button)
{
  OrdCatalogueFilter filter;

  if (!gtk_toggle_button_get_active (button))
    return;

  if (button == self->filter_inactive)
    filter = ORD_CATALOGUE_INACTIVE;
  else if (button == self->filter_all)
    filter = ORD_CATALOGUE_ALL;
  else
    filter = ORD_CATALOGUE_ACTIVE;

  if (self->model != NULL)
    {
      ord_catalogue_list_model_set_filter (self->model, filter);
      update_list_state (self);
    }
}

static void
on_history_row_activated (OrdCustomersPage *self,
                          GtkListBoxRow    *row)
{
  const char *order_id = g_object_get_data (G_OBJECT (row), "order-id");
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  OrdOrderEditor *editor;

  if (order_id == NULL)
    return;
  editor = ord_order_editor_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                 self->context, order_id);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
on_selected_item (OrdCustomersPage *self)
{
  OrdCustomer *customer = gtk_single_selection_get_selected_item (self->selection);

  /* A refresh of the list drops the selection: the form stays. */
  if (customer != NULL)
    edit_or_ask (self, ord_customer_get_id (customer));
}

static void
on_items_changed (OrdCustomersPage *self)
{
  update_list_state (self);
}

static gboolean
history_refresh_cb (gpointer data)
{
  g_autoptr(OrdCustomersPage) self = g_weak_ref_get (data);

  if (self != NULL)
    {
      g_atomic_int_set (&self->history_refresh_queued, FALSE);
      /* Not under the hands of someone typing in the form. */
      if (self->customer != NULL && ord_customer_get_id (self->customer) != NULL &&
          !is_changed (self))
        {
          load_history (self);
          update_actions (self);
        }
    }

  return G_SOURCE_REMOVE;
}

static void
on_store_changed (OrdStore         *store,
                  const char       *entity,
                  const char       *id,
                  OrdCustomersPage *self)
{
  GWeakRef *weak;

  /* New or changed orders: the customer on show may have them. The store
   * may say so from another thread: look again from the page's own. */
  if (g_strcmp0 (entity, "order") != 0 ||
      !g_atomic_int_compare_and_exchange (&self->history_refresh_queued, FALSE, TRUE))
    return;

  weak = g_new0 (GWeakRef, 1);
  g_weak_ref_init (weak, self);
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, history_refresh_cb, weak, weak_ref_free);
}

/* A row: the name, then the email (or phone), a "Deactivated" tag. */
static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *detail = gtk_label_new (NULL);
  GtkWidget *tag = gtk_label_new (C_("customers", "Deactivated"));

  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_set_valign (tag, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (tag, "status-pill");
  gtk_widget_add_css_class (tag, "status-cancelled");
  gtk_box_append (GTK_BOX (text), name);
  gtk_box_append (GTK_BOX (text), detail);
  gtk_box_append (GTK_BOX (box), text);
  gtk_box_append (GTK_BOX (box), tag);
  gtk_list_item_set_child (item, box);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  OrdCustomer *customer = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *text = gtk_widget_get_first_child (box);
  GtkWidget *name = gtk_widget_get_first_child (text);
  GtkWidget *detail = gtk_widget_get_last_child (text);
  GtkWidget *tag = gtk_widget_get_last_child (box);
  const char *line;

  if (customer == NULL)
    return;

  line = ord_customer_get_email (customer);
  if (line == NULL || line[0] == '\0')
    line = ord_customer_get_phone (customer);
  gtk_label_set_text (GTK_LABEL (name), ord_customer_get_name (customer));
  gtk_label_set_text (GTK_LABEL (detail), line ? line : "");
  gtk_widget_set_visible (tag, ord_customer_get_deleted (customer));
  if (ord_customer_get_deleted (customer))
    gtk_widget_add_css_class (text, "dim-label");
  else
    gtk_widget_remove_css_class (text, "dim-label");
}

static void
ord_customers_page_dispose (GObject *object)
{
  OrdCustomersPage *self = ORD_CUSTOMERS_PAGE (object);

  if (self->context != NULL && ord_context_get_store (self->context) != NULL)
    g_signal_handlers_disconnect_by_func (ord_context_get_store (self->context),
                                          on_store_changed, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (self->list_view, NULL);
  /* AdwBin would unparent its child again after the template did. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ORD_TYPE_CUSTOMERS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->model);
  g_clear_object (&self->history);
  g_clear_object (&self->customer);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (ord_customers_page_parent_class)->dispose (object);
}

static void
ord_customers_page_class_init (OrdCustomersPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ord_customers_page_dispose;

  ord_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/orderly/Orderly/ord-customers-page.ui");
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, leaflet);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, filter_active);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, filter_inactive);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, filter_all);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, detail_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, name_row);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, notes_view);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, deactivate_button);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, save_button);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, history_box);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, orders_value);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, orders_caption);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, spend_value);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, spend_caption);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, last_order_value);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, history_list);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, history_empty);
  gtk_widget_class_bind_template_child (widget_class, OrdCustomersPage, show_more_button);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_form_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_history_row_activated);

  gtk_widget_class_install_action (widget_class, "customers.add", NULL, add_action);
  gtk_widget_class_install_action (widget_class, "customers.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "customers.revert", NULL, revert_action);
  gtk_widget_class_install_action (widget_class, "customers.toggle-active", NULL,
                                   toggle_active_action);
  gtk_widget_class_install_action (widget_class, "customers.reactivate", "s",
                                   reactivate_action);
  gtk_widget_class_install_action (widget_class, "customers.show-more", NULL,
                                   show_more_action);
  gtk_widget_class_install_action (widget_class, "customers.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "customers.search", NULL, search_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "customers.add", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "customers.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK,
                                       "customers.search", NULL);
}

static void
ord_customers_page_init (OrdCustomersPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->history = g_list_store_new (ORD_TYPE_ORDER);
  gtk_list_box_bind_model (self->history_list, G_LIST_MODEL (self->history),
                           create_history_row, NULL, NULL);
  g_signal_connect_swapped (gtk_text_view_get_buffer (self->notes_view), "changed",
                            G_CALLBACK (on_form_changed), self);
}

/* The list is read when the page is first shown, not when the window is
 * built: start-up does not wait for a list nobody has opened yet. */
static void
on_first_map (OrdCustomersPage *self)
{
  g_signal_handlers_disconnect_by_func (self, on_first_map, NULL);
  ord_catalogue_list_model_load (self->model);
  update_list_state (self);
  update_actions (self);
}

/**
 * ord_customers_page_new:
 * @context: the store and settings to work with
 *
 * Returns: (transfer floating): the page: the customers, a search, a form
 *   to add and change them, and each one's orders and totals
 */
GtkWidget *
ord_customers_page_new (OrdContext *context)
{
  OrdCustomersPage *self;
  GtkListItemFactory *factory;

  g_return_val_if_fail (ORD_IS_CONTEXT (context), NULL);
  g_return_val_if_fail (ord_context_get_store (context) != NULL, NULL);

  self = g_object_new (ORD_TYPE_CUSTOMERS_PAGE, NULL);
  self->context = g_object_ref (context);
  self->model = ord_catalogue_list_model_new (ord_context_get_store (context),
                                              ORD_CATALOGUE_KIND_CUSTOMERS);
  /* Nothing chosen at first: autoselect off before the model is in. */
  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  g_signal_connect_swapped (self->selection, "notify::selected-item",
                            G_CALLBACK (on_selected_item), self);
  g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
  g_signal_connect (ord_context_get_store (context), "changed",
                    G_CALLBACK (on_store_changed), self);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), NULL);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));

  update_list_state (self);
  update_actions (self);
  g_signal_connect (self, "map", G_CALLBACK (on_first_map), NULL);

  return GTK_WIDGET (self);
}
