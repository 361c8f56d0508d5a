/* ord-ui.c: what the desktop application's files share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-ui"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-ui-resources.h"
#include "ord-ui.h"

/* The resources are registered by hand: linked from a static library, a
 * registering constructor would be dropped by the linker. */
void
ord_ui_ensure_resources (void)
{
  static gsize registered = 0;

  if (g_once_init_enter (&registered))
    {
      ord_ui_register_resource ();
      g_once_init_leave (&registered, 1);
    }
}

#define REASON_RESPONSE_DATA "ord-reason-response"

static void
on_reason_changed (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = g_strstrip (g_strdup (gtk_editable_get_text (entry)));

  adw_message_dialog_set_response_enabled (dialog,
                                           g_object_get_data (G_OBJECT (entry),
                                                              REASON_RESPONSE_DATA),
                                           reason[0] != '\0');
}

/**
 * ord_message_dialog_add_reason:
 * @dialog: a dialog that needs a reason for @response
 * @response: the response the reason is for
 *
 * Returns: (transfer none): the entry, the dialog's extra child
 */
GtkEditable *
ord_message_dialog_add_reason (AdwMessageDialog *dialog,
                               const char       *response)
{
  GtkWidget *entry = gtk_entry_new ();

  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (dialog), NULL);
  g_return_val_if_fail (response != NULL, NULL);

  gtk_entry_set_placeholder_text (GTK_ENTRY (entry), _("Reason"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Reason"), -1);
  g_object_set_data_full (G_OBJECT (entry), REASON_RESPONSE_DATA, g_strdup (response), g_free);
  g_signal_connect_object (entry, "changed", G_CALLBACK (on_reason_changed), dialog, 0);
  adw_message_dialog_set_extra_child (dialog, entry);
  adw_message_dialog_set_response_enabled (dialog, response, FALSE);

  return GTK_EDITABLE (entry);
}

guint
ord_ui_first_screen_rows (GtkWindow *window,
                          gboolean   maximized,
                          int        above)
{
  int width = 0, height = 0;

  g_return_val_if_fail (GTK_IS_WINDOW (window), 1);

  if (gtk_widget_get_realized (GTK_WIDGET (window)))
    height = gtk_widget_get_height (GTK_WIDGET (window));
  if (height <= 0 && maximized)
    {
      GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));

      /* Which monitor is not known yet: the tallest. */
      for (guint i = 0; i < g_list_model_get_n_items (monitors); i++)
        {
          g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, i);
          GdkRectangle geometry;

          gdk_monitor_get_geometry (monitor, &geometry);
          height = MAX (height, geometry.height);
        }
    }
  if (height <= 0)
    gtk_window_get_default_size (window, &width, &height);
  if (height <= 0)
    height = 1200;

  return (guint) (MAX (height - above, 0) / ORD_UI_MIN_ROW_HEIGHT + 1);
}

typedef struct
{
  GWeakRef        page;
  char           *id;      /* what to show instead; NULL = a new record */
  OrdDiscardFunc  func;
} PendingEdit;

static void
pending_edit_free (gpointer  data,
                   GClosure *closure)
{
  PendingEdit *pending = data;

  g_weak_ref_clear (&pending->page);
  g_free (pending->id);
  g_free (pending);
}

static void
on_discard_response (AdwMessageDialog *dialog,
                     const char       *response,
                     gpointer          data)
{
  PendingEdit *pending = data;
  g_autoptr(GtkWidget) page = g_weak_ref_get (&pending->page);

  if (page != NULL)
    pending->func (page, pending->id, g_strcmp0 (response, "discard") == 0);
}

void
ord_ask_discard_changes (GtkWidget      *page,
                         const char     *body,
                         const char     *id,
                         OrdDiscardFunc  func)
{
  GtkRoot *root;
  PendingEdit *pending;
  GtkWidget *dialog;

  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (func != NULL);

  root = gtk_widget_get_root (page);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                   _("Discard Changes?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  pending = g_new0 (PendingEdit, 1);
  g_weak_ref_init (&pending->page, page);
  pending->id = g_strdup (id);
  pending->func = func;
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_discard_response), pending,
                         pending_edit_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}
