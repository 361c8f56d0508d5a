/* ord-window.c: the main window: a view switcher over the orders, the
 * dashboard and what other pages are added
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-catalogue-page.h"
#include "ord-customers-page.h"
#include "ord-order-cells.h"
#include "ord-order-editor.h"
#include "ord-sync-indicator.h"
#include "ord-timings.h"
#include "ord-ui-format.h"
#include "ord-ui.h"
#include "ord-window-private.h"

G_DEFINE_FINAL_TYPE (OrdWindow, ord_window, ADW_TYPE_APPLICATION_WINDOW)

/* Above the Orders page's rows: the header bar and the column titles;
 * above the dashboard's, also its counters. */
#define LIST_ABOVE      80
#define DASHBOARD_ABOVE 160

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_action_enabled (OrdWindow  *self,
                    const char *name,
                    gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

static gint64
count_all_orders (OrdWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 n;

  n = ord_store_count_orders (ord_context_get_store (self->context), NULL, &error);
  if (n < 0)
    {
      g_warning ("Could not count the orders: %s", error->message);
      return 0;
    }

  return n;
}

/**
 * ord_window_update:
 * @self: an #OrdWindow
 *
 * Chooses the page (orders, empty state, no results) and the subtitle from
 * what the store holds now, and which actions make sense.
 */
void
ord_window_update (OrdWindow *self)
{
  g_autofree char *subtitle = NULL;
  const char *page;
  gboolean searching;
  gboolean busy;
  gint64 total;
  guint shown;

  g_return_if_fail (ORD_IS_WINDOW (self));

  if (self->closed)
    return;

  busy = ord_window_has_job (self);

  if (self->model == NULL)
    {
      static const char *const actions[] = {
        "import", "export", "demo", "search", "new-order", "edit-order"
      };
      g_autofree char *display = g_filename_display_name (ord_context_get_path (self->context));

      adw_view_switcher_title_set_subtitle (self->window_title, display);
      adw_view_switcher_title_set_view_switcher_enabled (self->window_title, FALSE);
      gtk_stack_set_visible_child_name (self->stack, "error");
      for (guint i = 0; i < G_N_ELEMENTS (actions); i++)
        set_action_enabled (self, actions[i], FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), FALSE);
      return;
    }

  total = count_all_orders (self);
  shown = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  searching = ord_order_list_model_get_text (self->model) != NULL;

  if (total == 0)
    page = "empty";
  else if (shown == 0)
    page = "no-results";
  else
    page = "list";
  gtk_stack_set_visible_child_name (self->stack, page);

  /* Typing starts a search where there is something to search. */
  gtk_search_bar_set_key_capture_widget (self->search_bar,
                                         total > 0 ? GTK_WIDGET (self) : NULL);
  gtk_widget_set_sensitive (GTK_WIDGET (self->search_button), total > 0 || searching);

  if (total > 0)
    subtitle = ord_format_order_count (shown, total, searching);
  adw_view_switcher_title_set_subtitle (self->window_title, subtitle);

  set_action_enabled (self, "import", !busy);
  set_action_enabled (self, "export", !busy && total > 0);
  set_action_enabled (self, "demo", !busy && total == 0);
  set_action_enabled (self, "search", total > 0 || searching);
}

const char *
ord_window_get_page (OrdWindow *self)
{
  g_return_val_if_fail (ORD_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
ord_window_show_toast (OrdWindow  *self,
                       const char *title)
{
  g_autofree char *markup = NULL;
  AdwToast *toast;

  g_return_if_fail (ORD_IS_WINDOW (self));

  /* A toast's title is Pango markup; file names may hold "&" or "<". */
  markup = g_markup_escape_text (title, -1);
  toast = adw_toast_new (markup);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
ord_window_show_error (OrdWindow  *self,
                       const char *heading,
                       const char *body)
{
  AdwMessageDialog *dialog;

  g_return_if_fail (ORD_IS_WINDOW (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), heading, body));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_present (GTK_WINDOW (dialog));
}

static GtkColumnViewColumn *
column_for_sort_key (OrdWindow  *self,
                     OrdSortKey  key)
{
  switch (key)
    {
    case ORD_SORT_NUMBER: return self->number_column;
    case ORD_SORT_CUSTOMER: return self->customer_column;
    case ORD_SORT_CREATED: return self->created_column;
    case ORD_SORT_TOTAL: return self->total_column;
    case ORD_SORT_DUE:
    default: return NULL;
    }
}

static void
on_sorter_changed (GtkSorter       *sorter,
                   GtkSorterChange  change,
                   OrdWindow       *self)
{
  GSettings *settings = ord_context_get_settings (self->context);
  guint key;
  gboolean descending;

  if (self->model == NULL)
    return;
  /* No column sorts: keep the order the list has. */
  if (!ord_column_view_sorter_get_key (sorter, &key, &descending))
    return;
  ord_row_model_begin_query (self->rows);
  ord_order_list_model_set_sort (self->model, key, descending);
  ord_row_model_end_query (self->rows);

  if (ord_settings_has_key (settings, "list-sort") &&
      ord_settings_has_key (settings, "list-sort-descending"))
    {
      g_settings_set_enum (settings, "list-sort", key);
      g_settings_set_boolean (settings, "list-sort-descending", descending);
    }
}

static void
restore_sort (OrdWindow *self)
{
  GSettings *settings = ord_context_get_settings (self->context);
  GtkColumnViewColumn *column;
  OrdSortKey key = ORD_SORT_CREATED;
  gboolean descending = TRUE;

  /* The setting's enum has the values of OrdSortKey. */
  if (ord_settings_has_key (settings, "list-sort") &&
      ord_settings_has_key (settings, "list-sort-descending"))
    {
      int value = g_settings_get_enum (settings, "list-sort");

      if (value >= 0 && value < ORD_N_SORT_KEYS)
        key = value;
      descending = g_settings_get_boolean (settings, "list-sort-descending");
    }

  ord_order_list_model_set_sort (self->model, key, descending);
  column = column_for_sort_key (self, key);
  if (column != NULL)
    gtk_column_view_sort_by_column (self->column_view, column,
                                    descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

/* Search */

static void
apply_search (OrdWindow  *self,
              const char *text)
{
  /* One search for every page of orders. */
  ord_row_model_begin_query (self->rows);
  ord_order_list_model_set_text (self->model, text);
  ord_row_model_end_query (self->rows);
  if (self->dashboard != NULL)
    ord_dashboard_page_set_search (self->dashboard, text);
}

static gboolean
apply_empty_search (gpointer data)
{
  OrdWindow *self = data;

  self->empty_search_id = 0;
  if (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))[0] == '\0')
    apply_search (self, "");

  return G_SOURCE_REMOVE;
}

static void
on_search_changed (OrdWindow      *self,
                   GtkSearchEntry *entry)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));

  if (self->model == NULL)
    return;

  /* The entry says at once that it is empty, also when it is only on the
   * way to another text (typing over a selection): every order would show
   * for a frame, and a million orders cost a query. It waits for what
   * comes in the same turn of the main loop, before the next frame. */
  g_clear_handle_id (&self->empty_search_id, g_source_remove);
  if (text[0] == '\0' && gtk_search_bar_get_search_mode (self->search_bar))
    {
      self->empty_search_id = g_idle_add_full (G_PRIORITY_DEFAULT, apply_empty_search, self, NULL);
      return;
    }

  apply_search (self, text);
}

static void
on_stop_search (OrdWindow      *self,
                GtkSearchEntry *entry)
{
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

/* Not on items-changed: the model replaces its rows in two signals, and
 * the page must not flip to the empty state in between. */
static void
on_model_notify (OrdWindow  *self,
                 GParamSpec *pspec,
                 GObject    *model)
{
  ord_window_update (self);
}

/* Actions */

static void
on_import_response (OrdWindow            *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GtkNativeDialog) owned = g_steal_pointer (&self->chooser);

  if (response == GTK_RESPONSE_ACCEPT && !self->closed)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      ord_window_import_file (self, file);
    }
}

static void
action_import (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  OrdWindow *self = user_data;
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) csv = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->chooser != NULL || ord_window_has_job (self))
    return;

  chooser = gtk_file_chooser_native_new (_("Import Orders"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN,
                                         _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (csv, _("CSV Files"));
  gtk_file_filter_add_mime_type (csv, "text/csv");
  gtk_file_filter_add_suffix (csv, "csv");
  gtk_file_filter_add_pattern (csv, "*.csv.gz");
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), csv);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_import_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
on_export_response (OrdWindow            *self,
                    int                   response,
                    GtkFileChooserNative *chooser)
{
  g_autoptr(GtkNativeDialog) owned = g_steal_pointer (&self->chooser);

  if (response == GTK_RESPONSE_ACCEPT && !self->closed)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      ord_window_export_file (self, file);
    }
}

static void
action_export (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  OrdWindow *self = user_data;
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL || ord_window_has_job (self))
    return;

  chooser = gtk_file_chooser_native_new (_("Export Orders"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_SAVE,
                                         _("_Export"), _("_Cancel"));
  /* Translators: the suggested name of an exported file. */
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), _("orders.csv"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);

  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect_object (chooser, "response", G_CALLBACK (on_export_response), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (self->chooser);
}

static void
action_demo (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  ord_window_create_demo_data (ORD_WINDOW (user_data));
}

static void
action_cancel_job (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  ord_window_cancel_job (ORD_WINDOW (user_data));
}

/* On the Products and Customers pages, Ctrl+N and Ctrl+F mean a new
 * product or customer and the page's own search: the page's action
 * "PREFIX.NAME" runs instead. Returns whether one did. */
static gboolean
activate_page_action (OrdWindow  *self,
                      const char *name)
{
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  const char *prefix = NULL;
  g_autofree char *action = NULL;
  GtkWidget *child;

  if (g_strcmp0 (page, "products") == 0)
    prefix = "catalogue";
  else if (g_strcmp0 (page, "customers") == 0)
    prefix = "customers";
  if (prefix == NULL)
    return FALSE;

  /* The page is the child of its placeholder (see ensure_page()). */
  child = adw_bin_get_child (ADW_BIN (adw_view_stack_get_visible_child (self->view_stack)));
  if (child == NULL)
    return FALSE;
  action = g_strconcat (prefix, ".", name, NULL);
  return gtk_widget_activate_action (child, action, NULL);
}

static void
action_search (GSimpleAction *action,
               GVariant      *parameter,
               gpointer       user_data)
{
  OrdWindow *self = user_data;

  if (activate_page_action (self, "search"))
    return;
  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
open_editor (OrdWindow  *self,
             const char *order_id)
{
  OrdOrderEditor *editor;

  if (self->model == NULL)
    return;
  editor = ord_order_editor_new (GTK_WINDOW (self), self->context, order_id);
  gtk_window_present (GTK_WINDOW (editor));
}

static void
action_new_order (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  OrdWindow *self = ORD_WINDOW (user_data);

  if (!activate_page_action (self, "add"))
    open_editor (self, NULL);
}

static void
action_edit_order (GSimpleAction *action,
                   GVariant      *parameter,
                   gpointer       user_data)
{
  open_editor (ORD_WINDOW (user_data), g_variant_get_string (parameter, NULL));
}

static void
on_order_activated (OrdWindow *self,
                    guint      position)
{
  g_autoptr(OrdOrder) order = NULL;

  order = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (order != NULL && ord_order_get_id (order) != NULL)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.edit-order", "s",
                                ord_order_get_id (order));
}

static void
on_help_launched (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(OrdWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_app_info_launch_default_for_uri_finish (result, &error) && !self->closed)
    {
      g_autofree char *title = g_strdup_printf (_("Could not open the help: %s"),
                                                error->message);

      ord_window_show_toast (self, title);
    }
}

static void
action_help (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  OrdWindow *self = user_data;
  g_autoptr(GAppLaunchContext) context = NULL;
  const char *page = adw_view_stack_get_visible_child_name (self->view_stack);
  g_autofree char *uri = NULL;

  /* The owner's pages have a page of their own in the help. */
  if (g_strcmp0 (page, "dashboard") == 0 || g_strcmp0 (page, "products") == 0 ||
      g_strcmp0 (page, "customers") == 0)
    uri = g_strconcat ("help:orderly/", page, NULL);
  else
    uri = g_strdup ("help:orderly");

  context = G_APP_LAUNCH_CONTEXT (gdk_display_get_app_launch_context (
                                    gtk_widget_get_display (GTK_WIDGET (self))));
  g_app_info_launch_default_for_uri_async (uri, context, NULL, on_help_launched,
                                           g_object_ref (self));
}

static void
action_show_page (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  OrdWindow *self = user_data;
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack, name);

  if (child != NULL && gtk_widget_get_visible (child))
    adw_view_stack_set_visible_child (self->view_stack, child);
}

/* The keyboard shortcuts: built when first shown, not with every window
 * (GtkApplication builds gtk/help-overlay.ui with each one). */
static void
action_show_help_overlay (GSimpleAction *action,
                          GVariant      *parameter,
                          gpointer       user_data)
{
  GtkApplicationWindow *self = GTK_APPLICATION_WINDOW (user_data);
  GtkShortcutsWindow *overlay = gtk_application_window_get_help_overlay (self);

  if (overlay == NULL)
    {
      g_autoptr(GtkBuilder) builder = NULL;

      builder = gtk_builder_new_from_resource (ORD_UI_RESOURCE_PATH "/ord-shortcuts-window.ui");
      overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
      gtk_application_window_set_help_overlay (self, overlay);
    }
  gtk_window_present (GTK_WINDOW (overlay));
}

static const GActionEntry win_entries[] = {
  { .name = "new-order", .activate = action_new_order },
  { .name = "edit-order", .activate = action_edit_order, .parameter_type = "s" },
  { .name = "import", .activate = action_import },
  { .name = "export", .activate = action_export },
  { .name = "demo", .activate = action_demo },
  { .name = "cancel-job", .activate = action_cancel_job },
  { .name = "search", .activate = action_search },
  { .name = "help", .activate = action_help },
  { .name = "show-page", .activate = action_show_page, .parameter_type = "s" },
  { .name = "show-help-overlay", .activate = action_show_help_overlay },
};

/* Window state */

/* Returns whether the window opens maximized. */
static gboolean
restore_window_state (OrdWindow *self)
{
  GSettings *settings = ord_context_get_settings (self->context);

  if (!ord_settings_has_key (settings, "window-width") ||
      !ord_settings_has_key (settings, "window-height") ||
      !ord_settings_has_key (settings, "window-maximized"))
    return FALSE;

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (settings, "window-width"),
                               g_settings_get_int (settings, "window-height"));
  if (!g_settings_get_boolean (settings, "window-maximized"))
    return FALSE;

  gtk_window_maximize (GTK_WINDOW (self));
  return TRUE;
}

static void
save_window_state (OrdWindow *self)
{
  GSettings *settings = ord_context_get_settings (self->context);
  gboolean maximized = gtk_window_is_maximized (GTK_WINDOW (self));
  int width, height;

  if (!ord_settings_has_key (settings, "window-width") ||
      !ord_settings_has_key (settings, "window-height") ||
      !ord_settings_has_key (settings, "window-maximized"))
    return;

  g_settings_set_boolean (settings, "window-maximized", maximized);
  if (!maximized)
    {
      gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
      g_settings_set_int (settings, "window-width", width);
      g_settings_set_int (settings, "window-height", height);
    }
}

static gboolean
ord_window_close_request (GtkWindow *window)
{
  OrdWindow *self = ORD_WINDOW (window);

  save_window_state (self);
  ord_window_cancel_job (self);

  return GTK_WINDOW_CLASS (ord_window_parent_class)->close_request (window);
}

/* GObject */

/* Builds the page @name into its placeholder the first time it is needed. */
static void
ensure_page (OrdWindow  *self,
             const char *name)
{
  GtkWidget *bin = adw_view_stack_get_child_by_name (self->view_stack, name);
  GtkWidget *page = NULL;

  if (!ADW_IS_BIN (bin) || adw_bin_get_child (ADW_BIN (bin)) != NULL)
    return;

  if (g_strcmp0 (name, "dashboard") == 0)
    {
      self->dashboard = g_object_new (ORD_TYPE_DASHBOARD_PAGE,
                                      "context", self->context,
                                      "first-screen-rows",
                                      ord_ui_first_screen_rows (GTK_WINDOW (self), FALSE,
                                                                DASHBOARD_ABOVE),
                                      NULL);
      ord_dashboard_page_set_search (self->dashboard,
                                     gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
      page = GTK_WIDGET (self->dashboard);
    }
  else if (g_strcmp0 (name, "products") == 0)
    page = ord_catalogue_page_new (self->context);
  else if (g_strcmp0 (name, "customers") == 0)
    page = ord_customers_page_new (self->context);

  if (page != NULL)
    adw_bin_set_child (ADW_BIN (bin), page);
}

static void
on_visible_page (OrdWindow *self)
{
  const char *name = adw_view_stack_get_visible_child_name (self->view_stack);

  if (name != NULL && !self->closed)
    ensure_page (self, name);
}


static void
ord_window_constructed (GObject *object)
{
  OrdWindow *self = ORD_WINDOW (object);
  g_autoptr(GtkSelectionModel) selection = NULL;
  OrdStore *store;
  gboolean maximized;

  G_OBJECT_CLASS (ord_window_parent_class)->constructed (object);

  g_assert (ORD_IS_CONTEXT (self->context));

  maximized = restore_window_state (self);

  store = ord_context_get_store (self->context);
  if (store == NULL)
    {
      const GError *error = ord_context_get_error (self->context);
      g_autofree char *markup = NULL;

      /* The description is Pango markup, the message names a file. */
      markup = g_markup_escape_text (error ? error->message
                                           : _("The database could not be opened."), -1);
      adw_status_page_set_description (self->error_page, markup);
      ord_window_update (self);
      return;
    }

  self->model = ord_order_list_model_new (store);
  restore_sort (self);
  /* The first frame builds the rows the window can show, not the 200 a
   * column view keeps; gtk_multi_selection_new() takes the reference. */
  self->rows = ord_row_model_new (G_LIST_MODEL (self->model), GTK_WIDGET (self->column_view),
                                  ord_ui_first_screen_rows (GTK_WINDOW (self), maximized,
                                                            LIST_ABOVE));
  selection = ord_row_model_new_selection (self->rows);
  self->selection = selection;
  gtk_column_view_set_model (self->column_view, selection);
  g_signal_connect_object (gtk_column_view_get_sorter (self->column_view), "changed",
                           G_CALLBACK (on_sorter_changed), self, 0);
  g_signal_connect_object (self->model, "notify::n-items",
                           G_CALLBACK (on_model_notify), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->model, "notify::text",
                           G_CALLBACK (on_model_notify), self, G_CONNECT_SWAPPED);

  ord_timings_mark ("orders-page");
  /* The owner's pages are built when first shown: a window on a million
   * orders opens without waiting for a second list of them. */
  ord_window_add_page (self, adw_bin_new (), "dashboard", _("Dashboard"), "view-grid-symbolic");
  ord_window_add_page (self, adw_bin_new (), "products", _("Products"),
                       "package-x-generic-symbolic");
  ord_window_add_page (self, adw_bin_new (), "customers", _("Customers"),
                       "system-users-symbolic");
  g_signal_connect_object (self->view_stack, "notify::visible-child-name",
                           G_CALLBACK (on_visible_page), self, G_CONNECT_SWAPPED);
  on_visible_page (self);

  if (ord_context_get_sync_controller (self->context) != NULL)
    ord_window_set_header_extra (self, ord_sync_indicator_new (
                                   ord_context_get_sync_controller (self->context)));

  ord_window_update (self);
}

static void
ord_window_dispose (GObject *object)
{
  OrdWindow *self = ORD_WINDOW (object);

  self->closed = TRUE;
  g_clear_handle_id (&self->empty_search_id, g_source_remove);
  ord_window_cancel_job (self);
  g_clear_handle_id (&self->job_tick_id, g_source_remove);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  self->rows = NULL;
  self->selection = NULL;
  self->dashboard = NULL;
  /* The switchers let go of the stack while its pages are still alive
   * (libadwaita 1.2 unparents their buttons otherwise after the fact). */
  if (self->switcher_bar != NULL)
    adw_view_switcher_bar_set_stack (self->switcher_bar, NULL);
  if (self->window_title != NULL)
    adw_view_switcher_title_set_stack (self->window_title, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ORD_TYPE_WINDOW);

  g_clear_object (&self->model);

  G_OBJECT_CLASS (ord_window_parent_class)->dispose (object);
}

static void
ord_window_finalize (GObject *object)
{
  OrdWindow *self = ORD_WINDOW (object);

  g_clear_object (&self->job_cancellable);
  g_clear_object (&self->context);

  G_OBJECT_CLASS (ord_window_parent_class)->finalize (object);
}

static void
ord_window_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  OrdWindow *self = ORD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_window_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  OrdWindow *self = ORD_WINDOW (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_window_class_init (OrdWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = ord_window_constructed;
  object_class->dispose = ord_window_dispose;
  object_class->finalize = ord_window_finalize;
  object_class->get_property = ord_window_get_property;
  object_class->set_property = ord_window_set_property;

  window_class->close_request = ord_window_close_request;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL,
                         ORD_TYPE_CONTEXT,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY |
                          G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The cell templates name OrdOrder before any order exists. */
  g_type_ensure (ORD_TYPE_ORDER);
  ord_ui_ensure_resources ();

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/orderly/Orderly/ord-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, header_extra);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, orders_page);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, job_revealer);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, job_label);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, job_progress);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, column_view);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, number_column);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, customer_column);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, created_column);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, status_column);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, total_column);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, empty_stack);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, empty_job_label);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, empty_job_progress);
  gtk_widget_class_bind_template_child (widget_class, OrdWindow, error_page);

  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_order_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F1, 0, "win.help", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_ALT_MASK,
                                       "win.show-page", "s", "orders");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_ALT_MASK,
                                       "win.show-page", "s", "dashboard");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_ALT_MASK,
                                       "win.show-page", "s", "products");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_4, GDK_ALT_MASK,
                                       "win.show-page", "s", "customers");
}

static void
ord_window_init (OrdWindow *self)
{
  ord_timings_mark ("window-template");
  gtk_widget_init_template (GTK_WIDGET (self));
  ord_timings_mark ("window-template-done");

  if (DEVELOPMENT_BUILD)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");

  g_action_map_add_action_entries (G_ACTION_MAP (self), win_entries, G_N_ELEMENTS (win_entries),
                                   self);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));

  ord_column_set_cells (self->number_column, ORD_ORDER_CELL_NUMBER, NULL);
  ord_column_set_cells (self->customer_column, ORD_ORDER_CELL_CUSTOMER, NULL);
  ord_column_set_cells (self->created_column, ORD_ORDER_CELL_CREATED, NULL);
  ord_column_set_cells (self->status_column, ORD_ORDER_CELL_STATUS, NULL);
  ord_column_set_cells (self->total_column, ORD_ORDER_CELL_TOTAL, NULL);

  ord_column_set_sort_key (self->number_column, ORD_SORT_NUMBER);
  ord_column_set_sort_key (self->customer_column, ORD_SORT_CUSTOMER);
  ord_column_set_sort_key (self->created_column, ORD_SORT_CREATED);
  ord_column_set_sort_key (self->total_column, ORD_SORT_TOTAL);
}

/**
 * ord_window_new:
 * @application: (nullable): the application
 * @context: the store and settings to show
 *
 * Returns: (transfer none): a new window
 */
OrdWindow *
ord_window_new (GtkApplication *application,
                OrdContext     *context)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (ORD_IS_CONTEXT (context), NULL);

  return g_object_new (ORD_TYPE_WINDOW,
                       "application", application,
                       "context", context,
                       NULL);
}

OrdContext *
ord_window_get_context (OrdWindow *self)
{
  g_return_val_if_fail (ORD_IS_WINDOW (self), NULL);

  return self->context;
}

OrdOrderListModel *
ord_window_get_model (OrdWindow *self)
{
  g_return_val_if_fail (ORD_IS_WINDOW (self), NULL);

  return self->model;
}

/**
 * ord_window_is_list_whole:
 * @self: a window
 *
 * Returns: whether the order list has been given all of its rows (the
 *   first frame gets a screenful: see OrdRowModel)
 */
gboolean
ord_window_is_list_whole (OrdWindow *self)
{
  g_return_val_if_fail (ORD_IS_WINDOW (self), FALSE);

  return self->rows != NULL && ord_row_model_is_whole (self->rows);
}

/**
 * ord_window_sort_by:
 * @self: a window
 * @key: a key with a column on the Orders page
 * @descending: the direction
 *
 * Sorts the order list as a click on the column's header does.
 */
void
ord_window_sort_by (OrdWindow  *self,
                    OrdSortKey  key,
                    gboolean    descending)
{
  GtkColumnViewColumn *column;

  g_return_if_fail (ORD_IS_WINDOW (self));

  column = column_for_sort_key (self, key);
  g_return_if_fail (column != NULL);
  gtk_column_view_sort_by_column (self->column_view, column,
                                  descending ? GTK_SORT_DESCENDING : GTK_SORT_ASCENDING);
}

OrdDashboardPage *
ord_window_get_dashboard (OrdWindow *self)
{
  g_return_val_if_fail (ORD_IS_WINDOW (self), NULL);

  return self->dashboard;
}

/**
 * ord_window_search:
 * @self: a window
 * @text: (nullable): the words, or %NULL to stop searching
 *
 * Searches the orders as typing in the search bar does, without the
 * entry's delay.
 */
void
ord_window_search (OrdWindow  *self,
                   const char *text)
{
  g_return_if_fail (ORD_IS_WINDOW (self));

  gtk_search_bar_set_search_mode (self->search_bar, text != NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  g_signal_emit_by_name (self->search_entry, "search-changed");
}

/**
 * ord_window_add_page:
 * @self: an #OrdWindow
 * @page: the page's widget
 * @name: its name in the view stack ("products")
 * @title: its title in the view switcher, translated
 * @icon_name: its icon in the narrow view switcher
 *
 * Returns: (transfer none): the new page of the view stack
 */
AdwViewStackPage *
ord_window_add_page (OrdWindow  *self,
                     GtkWidget  *page,
                     const char *name,
                     const char *title,
                     const char *icon_name)
{
  g_return_val_if_fail (ORD_IS_WINDOW (self), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return adw_view_stack_add_titled_with_icon (self->view_stack, page, name, title, icon_name);
}

/**
 * ord_window_set_header_extra:
 * @self: an #OrdWindow
 * @widget: (nullable): a small widget, or %NULL to remove it
 *
 * Shows @widget at the start of the header bar.
 */
void
ord_window_set_header_extra (OrdWindow *self,
                             GtkWidget *widget)
{
  g_return_if_fail (ORD_IS_WINDOW (self));
  g_return_if_fail (widget == NULL || GTK_IS_WIDGET (widget));

  adw_bin_set_child (self->header_extra, widget);
  gtk_widget_set_visible (GTK_WIDGET (self->header_extra), widget != NULL);
}
