/* ord-preferences-window.c: the Preferences window: shop details and sync
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-preferences-window"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>

#include "ord-context.h"
#include "ord-money.h"
#include "ord-preferences-window.h"
#include "ord-sync-controller.h"
#include "ord-ui.h"

struct _OrdPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;

  /* template children */
  AdwEntryRow          *business_name_row;
  GtkTextView          *business_address_view;
  AdwEntryRow          *currency_row;
  GtkSpinButton        *tax_rate_spin;
  AdwEntryRow          *due_time_row;
  AdwEntryRow          *server_url_row;
  GtkLabel             *server_url_error;
  GtkSpinButton        *terminal_spin;
  AdwEntryRow          *oidc_issuer_row;
  AdwEntryRow          *oidc_client_id_row;
  AdwEntryRow          *oidc_audience_row;
};

G_DEFINE_FINAL_TYPE (OrdPreferencesWindow, ord_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

/* Every key the window binds: a stale compiled schema lacking one would
 * make g_settings_bind() abort. */
static const char *const bound_keys[] = {
  "business-name", "business-address", "currency", "tax-rate", "default-due-time",
  "server-url", "terminal-number", "oidc-issuer", "oidc-client-id", "oidc-audience",
};

/* Whether @text may be stored; may say why not in @error. */
typedef gboolean (*ValidateFunc) (const char  *text,
                                  GError     **error);

static gboolean
currency_is_valid (const char  *text,
                   GError     **error)
{
  return ord_currency_is_valid (text);
}

/* "HH:MM" on a 24-hour clock. */
static gboolean
due_time_is_valid (const char  *text,
                   GError     **error)
{
  if (strlen (text) != 5 || text[2] != ':' ||
      !g_ascii_isdigit (text[0]) || !g_ascii_isdigit (text[1]) ||
      !g_ascii_isdigit (text[3]) || !g_ascii_isdigit (text[4]))
    return FALSE;

  return (text[0] - '0') * 10 + (text[1] - '0') < 24 &&
         (text[3] - '0') * 10 + (text[4] - '0') < 60;
}

/* The sync server: the same rule the sync controller applies (https, or
 * http to this computer), with its words for what to type instead. */
static gboolean
server_url_is_valid (const char  *text,
                     GError     **error)
{
  return ord_sync_check_server_url (text, error);
}

/* Empty (no server), or an absolute http(s) address with a host. */
static gboolean
http_url_is_valid (const char  *text,
                   GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (text[0] == '\0')
    return TRUE;

  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  return (g_ascii_strcasecmp (scheme, "http") == 0 || g_ascii_strcasecmp (scheme, "https") == 0) &&
         host != NULL && host[0] != '\0';
}

/* Flags @row (and its error label, if any) when @text does not validate;
 * the row's "error" style class tells the tests and the user alike. */
static gboolean
check_row (GtkWidget  *row,
           const char *text)
{
  ValidateFunc validate = g_object_get_data (G_OBJECT (row), "ord-validate");
  GtkWidget *error_label = g_object_get_data (G_OBJECT (row), "ord-error-label");
  g_autoptr(GError) error = NULL;
  gboolean valid = validate (text != NULL ? text : "", &error);

  if (valid)
    gtk_widget_remove_css_class (row, "error");
  else
    gtk_widget_add_css_class (row, "error");
  if (error_label != NULL)
    {
      /* The validator's own words when it has some, else the label's. */
      if (error != NULL)
        {
          g_autofree char *why = g_strdup_printf (_("%s. It is not saved until it is "
                                                    "corrected."), error->message);

          gtk_label_set_label (GTK_LABEL (error_label), why);
        }
      gtk_widget_set_visible (error_label, !valid);
    }

  return valid;
}

/* From the settings: shown as it is (flagged if someone stored garbage). */
static gboolean
get_string_checked (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  const char *text = g_variant_get_string (variant, NULL);

  check_row (user_data, text);
  g_value_set_string (value, text);

  return TRUE;
}

/* To the settings: only valid text is written. */
static GVariant *
set_string_if_valid (const GValue       *value,
                     const GVariantType *expected_type,
                     gpointer            user_data)
{
  const char *text = g_value_get_string (value);

  if (!check_row (user_data, text))
    return NULL;

  return g_variant_new_string (text != NULL ? text : "");
}

static void
bind_validated (OrdPreferencesWindow *self,
                const char           *key,
                AdwEntryRow          *row,
                ValidateFunc          validate,
                GtkWidget            *error_label)
{
  g_object_set_data (G_OBJECT (row), "ord-validate", validate);
  g_object_set_data (G_OBJECT (row), "ord-error-label", error_label);
  g_settings_bind_with_mapping (self->settings, key, row, "text", G_SETTINGS_BIND_DEFAULT,
                                get_string_checked, set_string_if_valid, row, NULL);
}

/* Tax rate: the key holds basis points, the spin button shows percent. */
static gboolean
get_percent (GValue   *value,
             GVariant *variant,
             gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / 100.0);

  return TRUE;
}

static GVariant *
set_percent (const GValue       *value,
             const GVariantType *expected_type,
             gpointer            user_data)
{
  double percent = CLAMP (g_value_get_double (value), 0.0, 100.0);

  return g_variant_new_uint32 ((guint32) lround (percent * 100.0));
}

static gboolean
get_uint_as_double (GValue   *value,
                    GVariant *variant,
                    gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant));

  return TRUE;
}

static GVariant *
set_double_as_uint (const GValue       *value,
                    const GVariantType *expected_type,
                    gpointer            user_data)
{
  double number = CLAMP (g_value_get_double (value), 1.0, 999.0);

  return g_variant_new_uint32 ((guint32) lround (number));
}

static void
ord_preferences_window_dispose (GObject *object)
{
  OrdPreferencesWindow *self = ORD_PREFERENCES_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), ORD_TYPE_PREFERENCES_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ord_preferences_window_parent_class)->dispose (object);
}

static void
ord_preferences_window_class_init (OrdPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ord_preferences_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/orderly/Orderly/ord-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, business_name_row);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, business_address_view);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, currency_row);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, tax_rate_spin);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, due_time_row);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, server_url_error);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, terminal_spin);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, oidc_issuer_row);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, oidc_client_id_row);
  gtk_widget_class_bind_template_child (widget_class, OrdPreferencesWindow, oidc_audience_row);
}

static void
ord_preferences_window_init (OrdPreferencesWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/**
 * ord_preferences_window_can_edit:
 * @settings: (nullable): the application's settings
 *
 * Whether the Preferences window can edit @settings: there are settings
 * (the schema is installed) and they have every key the window shows.
 *
 * Returns: %TRUE when ord_preferences_window_new() may be called
 */
gboolean
ord_preferences_window_can_edit (GSettings *settings)
{
  for (guint i = 0; i < G_N_ELEMENTS (bound_keys); i++)
    {
      if (!ord_settings_has_key (settings, bound_keys[i]))
        return FALSE;
    }

  return TRUE;
}

/**
 * ord_preferences_window_new:
 * @settings: the application's settings; ord_preferences_window_can_edit()
 *   must be %TRUE for them
 *
 * Creates a window that edits the shop details and the sync settings in
 * @settings as the user types. Values that do not validate (a currency
 * code, a time, a server address) are flagged and not written.
 *
 * Returns: (transfer full): the new window
 */
OrdPreferencesWindow *
ord_preferences_window_new (GSettings *settings)
{
  OrdPreferencesWindow *self;

  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (ord_preferences_window_can_edit (settings), NULL);

  ord_ui_ensure_resources ();
  self = g_object_new (ORD_TYPE_PREFERENCES_WINDOW, NULL);
  self->settings = g_object_ref (settings);

  g_settings_bind (settings, "business-name", self->business_name_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "business-address",
                   gtk_text_view_get_buffer (self->business_address_view), "text",
                   G_SETTINGS_BIND_DEFAULT);
  bind_validated (self, "currency", self->currency_row, currency_is_valid, NULL);
  g_settings_bind_with_mapping (settings, "tax-rate", self->tax_rate_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, get_percent, set_percent, NULL, NULL);
  bind_validated (self, "default-due-time", self->due_time_row, due_time_is_valid, NULL);
  bind_validated (self, "server-url", self->server_url_row, server_url_is_valid,
                  GTK_WIDGET (self->server_url_error));
  g_settings_bind_with_mapping (settings, "terminal-number", self->terminal_spin, "value",
                                G_SETTINGS_BIND_DEFAULT, get_uint_as_double, set_double_as_uint,
                                NULL, NULL);
  bind_validated (self, "oidc-issuer", self->oidc_issuer_row, http_url_is_valid, NULL);
  g_settings_bind (settings, "oidc-client-id", self->oidc_client_id_row, "text",
                   G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (settings, "oidc-audience", self->oidc_audience_row, "text",
                   G_SETTINGS_BIND_DEFAULT);

  return self;
}
