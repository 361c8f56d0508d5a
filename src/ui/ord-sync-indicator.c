/* ord-sync-indicator.c: the header bar's sync status, with a popover
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-sync-indicator"

#include "config.h"

#include <glib/gi18n.h>

#include "ord-sync-indicator.h"
#include "ord-ui.h"

/* How often the popover rewrites "5 minutes ago" while it is open. */
#define TICK_SECONDS 20

struct _OrdSyncIndicator
{
  AdwBin             parent_instance;

  /* template widgets */
  GtkMenuButton     *button;
  GtkPopover        *popover;
  GtkImage          *state_image;
  GtkLabel          *state_label;
  GtkLabel          *summary_label;
  GtkLabel          *pending_label;
  GtkLabel          *last_sync_label;
  GtkLabel          *server_label;
  GtkLabel          *error_label;
  GtkWidget         *preferences_button;
  GtkWidget         *sync_now_button;

  /* owned */
  OrdSyncController *controller;

  guint              tick_id;
};

G_DEFINE_FINAL_TYPE (OrdSyncIndicator, ord_sync_indicator, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTROLLER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
ord_sync_format_last_success (gint64 when,
                              gint64 now)
{
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) today = NULL;
  gint64 seconds;

  if (when <= 0)
    return g_strdup (C_("last sync", "Never"));

  seconds = MAX (0, (now - when) / G_USEC_PER_SEC);
  if (seconds < 60)
    return g_strdup (C_("last sync", "Just now"));
  if (seconds < 3600)
    {
      int minutes = (int) (seconds / 60);

      return g_strdup_printf (ngettext ("%d minute ago", "%d minutes ago", minutes), minutes);
    }
  if (seconds < 6 * 3600)
    {
      int hours = (int) (seconds / 3600);

      return g_strdup_printf (ngettext ("%d hour ago", "%d hours ago", hours), hours);
    }

  then = g_date_time_new_from_unix_local (when / G_USEC_PER_SEC);
  today = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
  if (then == NULL || today == NULL)
    return g_strdup (C_("last sync", "Never"));
  if (g_date_time_get_year (then) == g_date_time_get_year (today) &&
      g_date_time_get_day_of_year (then) == g_date_time_get_day_of_year (today))
    /* Translators: the time of the last sync today, in g_date_time_format() codes */
    return g_date_time_format (then, _("Today at %H:%M"));

  /* Translators: the date and time of the last sync, in g_date_time_format() codes */
  return g_date_time_format (then, _("%e %B at %H:%M"));
}

static void
set_label (GtkLabel   *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

static void
update_last_sync (OrdSyncIndicator *self)
{
  g_autofree char *text = ord_sync_format_last_success (
    ord_sync_controller_get_last_success (self->controller), g_get_real_time ());

  set_label (self->last_sync_label, text);
}

static void
update (OrdSyncIndicator *self)
{
  OrdSyncController *c = self->controller;
  OrdSyncState state = ord_sync_controller_get_state (c);
  gboolean configured = ord_sync_controller_get_configured (c);
  const char *error = ord_sync_controller_get_last_error (c);
  const char *url = ord_sync_controller_get_server_url (c);
  gint64 pending = ord_sync_controller_get_pending_count (c);
  g_autofree char *pending_text = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon;
  const char *title;
  const char *summary;
  gboolean show_error = FALSE;
  gboolean broken = FALSE;

  if (!configured && error != NULL)
    {
      icon = "dialog-warning-symbolic";
      title = _("Server address not valid");
      summary = _("Orders stay on this computer until the address is corrected in "
                  "Preferences.");
      show_error = broken = TRUE;
    }
  else if (!configured)
    {
      icon = "emblem-synchronizing-symbolic";
      title = _("Sync is off");
      summary = _("Orders stay on this computer. Set a server address to share them with "
                  "the shop’s other computers.");
    }
  else
    switch (state)
      {
      case ORD_SYNC_STATE_SYNCING:
        icon = "emblem-synchronizing-symbolic";
        title = _("Syncing…");
        summary = _("Sending this computer’s changes and receiving everyone else’s.");
        break;
      case ORD_SYNC_STATE_OFFLINE:
        icon = "network-offline-symbolic";
        title = _("Offline");
        summary = _("The server cannot be reached. Your changes are kept on this computer "
                    "and sent when it answers again.");
        show_error = TRUE;
        break;
      case ORD_SYNC_STATE_ERROR:
        icon = "dialog-warning-symbolic";
        title = _("Sync failed");
        summary = _("Nothing is lost: your changes stay on this computer and are sent once "
                    "this is fixed. Orderly keeps trying.");
        show_error = broken = TRUE;
        break;
      case ORD_SYNC_STATE_SYNCED:
      default:
        icon = "emblem-ok-symbolic";
        title = _("Up to date");
        summary = _("Changes are sent as they are made, and other computers’ changes "
                    "arrive as they happen.");
        break;
      }

  if (pending <= 0)
    pending_text = g_strdup (C_("changes waiting", "None"));
  else
    {
      int n = (int) MIN (pending, G_MAXINT);

      pending_text = g_strdup_printf (ngettext ("%d change", "%d changes", n), n);
    }

  gtk_menu_button_set_icon_name (self->button, icon);
  gtk_image_set_from_icon_name (self->state_image, icon);
  if (!configured && error == NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->button), "dim-label");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->button), "dim-label");
  if (broken)
    gtk_widget_add_css_class (GTK_WIDGET (self->state_image), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->state_image), "error");

  set_label (self->state_label, title);
  set_label (self->summary_label, summary);
  set_label (self->pending_label, pending_text);
  set_label (self->server_label, url != NULL && url[0] != '\0' ? url : C_("server", "None"));
  set_label (self->error_label, show_error && error != NULL ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), show_error && error != NULL);
  update_last_sync (self);

  if (pending > 0)
    /* Translators: the sync button's tooltip: the state, then "3 changes" */
    tooltip = g_strdup_printf (_("%s (%s waiting)"), title, pending_text);
  else
    tooltip = g_strdup (title);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);

  gtk_widget_set_visible (self->preferences_button, !configured || broken);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync.now", configured);
  gtk_widget_set_visible (self->sync_now_button, configured);
}

static gboolean
tick_cb (gpointer data)
{
  update_last_sync (data);

  return G_SOURCE_CONTINUE;
}

static void
on_popover_visible (OrdSyncIndicator *self)
{
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (gtk_widget_get_visible (GTK_WIDGET (self->popover)))
    {
      update_last_sync (self);
      self->tick_id = g_timeout_add_seconds (TICK_SECONDS, tick_cb, self);
    }
}

static void
sync_now_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  OrdSyncIndicator *self = ORD_SYNC_INDICATOR (widget);

  ord_sync_controller_sync_now (self->controller);
}

static void
ord_sync_indicator_dispose (GObject *object)
{
  OrdSyncIndicator *self = ORD_SYNC_INDICATOR (object);

  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->controller != NULL)
    g_signal_handlers_disconnect_by_data (self->controller, self);
  /* The bin lets go of its child first, or it would unparent it again. */
  adw_bin_set_child (ADW_BIN (self), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), ORD_TYPE_SYNC_INDICATOR);
  g_clear_object (&self->controller);

  G_OBJECT_CLASS (ord_sync_indicator_parent_class)->dispose (object);
}

static void
ord_sync_indicator_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  OrdSyncIndicator *self = ORD_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      g_value_set_object (value, self->controller);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_sync_indicator_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  OrdSyncIndicator *self = ORD_SYNC_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_CONTROLLER:
      self->controller = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ord_sync_indicator_constructed (GObject *object)
{
  OrdSyncIndicator *self = ORD_SYNC_INDICATOR (object);

  G_OBJECT_CLASS (ord_sync_indicator_parent_class)->constructed (object);

  g_assert (ORD_IS_SYNC_CONTROLLER (self->controller));
  /* The controller notifies on the main thread only. */
  g_signal_connect_swapped (self->controller, "notify", G_CALLBACK (update), self);
  update (self);
}

static void
ord_sync_indicator_class_init (OrdSyncIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = ord_sync_indicator_constructed;
  object_class->dispose = ord_sync_indicator_dispose;
  object_class->get_property = ord_sync_indicator_get_property;
  object_class->set_property = ord_sync_indicator_set_property;

  properties[PROP_CONTROLLER] =
    g_param_spec_object ("controller", NULL, NULL, ORD_TYPE_SYNC_CONTROLLER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               ORD_UI_RESOURCE_PATH "/ord-sync-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, button);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, popover);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, state_image);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, state_label);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, summary_label);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, pending_label);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, server_label);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, error_label);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, preferences_button);
  gtk_widget_class_bind_template_child (widget_class, OrdSyncIndicator, sync_now_button);
  gtk_widget_class_bind_template_callback (widget_class, on_popover_visible);

  gtk_widget_class_install_action (widget_class, "sync.now", NULL, sync_now_action);
}

static void
ord_sync_indicator_init (OrdSyncIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ord_sync_indicator_new:
 * @controller: the controller whose status to show
 *
 * Returns: (transfer floating): the indicator, for the window's header bar
 */
GtkWidget *
ord_sync_indicator_new (OrdSyncController *controller)
{
  g_return_val_if_fail (ORD_IS_SYNC_CONTROLLER (controller), NULL);

  ord_ui_ensure_resources ();

  return g_object_new (ORD_TYPE_SYNC_INDICATOR, "controller", controller, NULL);
}

/**
 * ord_sync_indicator_get_controller:
 * @self: an #OrdSyncIndicator
 *
 * Returns: (transfer none): the controller it shows
 */
OrdSyncController *
ord_sync_indicator_get_controller (OrdSyncIndicator *self)
{
  g_return_val_if_fail (ORD_IS_SYNC_INDICATOR (self), NULL);

  return self->controller;
}
