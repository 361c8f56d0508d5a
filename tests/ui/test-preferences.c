/* test-preferences.c: the Preferences window writes what the user sets, and
 * only what is valid
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "ord-application.h"
#include "ord-context.h"
#include "ord-preferences-window.h"

static gpointer
child (OrdPreferencesWindow *window,
       const char           *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (window),
                                                   ORD_TYPE_PREFERENCES_WINDOW, name);

  g_assert_nonnull (object);
  return object;
}

static void
assert_setting (GSettings  *settings,
                const char *key,
                const char *expected)
{
  g_autofree char *value = g_settings_get_string (settings, key);

  g_assert_cmpstr (value, ==, expected);
}

static void
wait_idle (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static const char *const touched_keys[] = {
  "tax-rate", "terminal-number", "server-url", "business-name", "currency", "default-due-time",
};

static void
test_edit (void)
{
  g_autoptr(GSettings) settings = ord_settings_new_if_installed ();
  OrdPreferencesWindow *window;
  GtkSpinButton *tax;
  GtkSpinButton *terminal;
  GtkWidget *server;
  GtkWidget *server_error;
  GtkWidget *name;
  GtkWidget *currency;
  GtkWidget *due_time;

  if (settings == NULL)
    {
      g_test_skip ("the schema is not compiled: set GSETTINGS_SCHEMA_DIR (meson test does)");
      return;
    }
  g_assert_true (ord_preferences_window_can_edit (settings));

  g_settings_set_uint (settings, "tax-rate", 2000);
  g_settings_set_string (settings, "business-name", "Corner Bakery");
  g_settings_set_string (settings, "server-url", "");

  window = ord_preferences_window_new (settings);
  gtk_window_present (GTK_WINDOW (window));
  wait_idle ();

  tax = child (window, "tax_rate_spin");
  terminal = child (window, "terminal_spin");
  server = child (window, "server_url_row");
  server_error = child (window, "server_url_error");
  name = child (window, "business_name_row");
  currency = child (window, "currency_row");
  due_time = child (window, "due_time_row");

  /* Tax rate: percent on screen, basis points in the settings. */
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (tax), 20.0, 1e-9);
  gtk_spin_button_set_value (tax, 7.5);
  g_assert_cmpuint (g_settings_get_uint (settings, "tax-rate"), ==, 750);
  gtk_spin_button_set_value (tax, 19.99);
  g_assert_cmpuint (g_settings_get_uint (settings, "tax-rate"), ==, 1999);
  g_settings_set_uint (settings, "tax-rate", 1250);
  g_assert_cmpfloat_with_epsilon (gtk_spin_button_get_value (tax), 12.5, 1e-9);

  /* Terminal number */
  gtk_spin_button_set_value (terminal, 42);
  g_assert_cmpuint (g_settings_get_uint (settings, "terminal-number"), ==, 42);

  /* Server address: a valid one is stored, others are flagged and not. */
  g_assert_false (gtk_widget_has_css_class (server, "error"));
  g_assert_false (gtk_widget_get_visible (server_error));
  gtk_editable_set_text (GTK_EDITABLE (server), "https://orders.example.com");
  assert_setting (settings, "server-url", "https://orders.example.com");
  g_assert_false (gtk_widget_has_css_class (server, "error"));

  gtk_editable_set_text (GTK_EDITABLE (server), "ftp://orders.example.com");
  g_assert_true (gtk_widget_has_css_class (server, "error"));
  g_assert_true (gtk_widget_get_visible (server_error));
  assert_setting (settings, "server-url", "https://orders.example.com");

  gtk_editable_set_text (GTK_EDITABLE (server), "orders.example.com");
  g_assert_true (gtk_widget_has_css_class (server, "error"));
  assert_setting (settings, "server-url", "https://orders.example.com");

  /* Plain http only to this computer: elsewhere the orders (and, with
   * sign-in, the token) would cross the network unencrypted. */
  gtk_editable_set_text (GTK_EDITABLE (server), "http://10.0.0.5:8080");
  g_assert_true (gtk_widget_has_css_class (server, "error"));
  g_assert_true (gtk_widget_get_visible (server_error));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (server_error)), "https://"));
  assert_setting (settings, "server-url", "https://orders.example.com");

  gtk_editable_set_text (GTK_EDITABLE (server), "http://127.0.0.1:8080");
  g_assert_false (gtk_widget_has_css_class (server, "error"));
  g_assert_false (gtk_widget_get_visible (server_error));
  assert_setting (settings, "server-url", "http://127.0.0.1:8080");

  gtk_editable_set_text (GTK_EDITABLE (server), "http://[::1]:8080");
  assert_setting (settings, "server-url", "http://[::1]:8080");
  gtk_editable_set_text (GTK_EDITABLE (server), "http://localhost:8080");
  assert_setting (settings, "server-url", "http://localhost:8080");

  /* A valid address set elsewhere replaces the flagged text and the flag. */
  gtk_editable_set_text (GTK_EDITABLE (server), "mailto:someone@example.com");
  g_assert_true (gtk_widget_has_css_class (server, "error"));
  g_settings_set_string (settings, "server-url", "https://sync.example.org");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (server)), ==, "https://sync.example.org");
  g_assert_false (gtk_widget_has_css_class (server, "error"));
  g_assert_false (gtk_widget_get_visible (server_error));

  /* Empty means no sync, and is valid. */
  gtk_editable_set_text (GTK_EDITABLE (server), "");
  g_assert_false (gtk_widget_has_css_class (server, "error"));
  assert_setting (settings, "server-url", "");

  /* Business name, both ways. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Corner Bakery");
  gtk_editable_set_text (GTK_EDITABLE (name), "Café Lumière");
  assert_setting (settings, "business-name", "Café Lumière");
  g_settings_set_string (settings, "business-name", "Harbour Books");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name)), ==, "Harbour Books");

  /* Currency and due time are validated too. */
  gtk_editable_set_text (GTK_EDITABLE (currency), "GBP");
  assert_setting (settings, "currency", "GBP");
  gtk_editable_set_text (GTK_EDITABLE (currency), "POUNDS");
  g_assert_true (gtk_widget_has_css_class (currency, "error"));
  assert_setting (settings, "currency", "GBP");

  gtk_editable_set_text (GTK_EDITABLE (due_time), "09:30");
  assert_setting (settings, "default-due-time", "09:30");
  gtk_editable_set_text (GTK_EDITABLE (due_time), "24:00");
  g_assert_true (gtk_widget_has_css_class (due_time, "error"));
  gtk_editable_set_text (GTK_EDITABLE (due_time), "9:30");
  g_assert_true (gtk_widget_has_css_class (due_time, "error"));
  assert_setting (settings, "default-due-time", "09:30");

  g_object_ref (window);
  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_finalize_object (window);

  for (guint i = 0; i < G_N_ELEMENTS (touched_keys); i++)
    g_settings_reset (settings, touched_keys[i]);
}

/* The application offers Preferences only when the schema is there. */
static void
test_action_enabled (void)
{
  g_autoptr(OrdApplication) app = ord_application_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettings) settings = ord_settings_new_if_installed ();

  g_application_set_flags (G_APPLICATION (app),
                           g_application_get_flags (G_APPLICATION (app)) |
                           G_APPLICATION_NON_UNIQUE);
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);

  g_assert_true (g_action_group_has_action (G_ACTION_GROUP (app), "preferences"));
  g_assert_cmpint (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"), ==,
                   settings != NULL);
  if (settings != NULL)
    {
      g_auto(GStrv) accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app),
                                                                    "app.preferences");

      g_assert_cmpstr (accels[0], ==, "<Control>comma");
    }
}

/* Without the schema the action is there but disabled, and activating it
 * anyway opens nothing. Runs in a subprocess whose main() hides the schema
 * before anything looks it up. */
static void
test_action_without_schema (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(OrdApplication) app = ord_application_new ();
      g_autoptr(GError) error = NULL;

      g_assert_null (ord_settings_new_if_installed ());
      g_application_set_flags (G_APPLICATION (app),
                               g_application_get_flags (G_APPLICATION (app)) |
                               G_APPLICATION_NON_UNIQUE);
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
      g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (app), "preferences"));
      g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
      g_assert_null (gtk_application_get_windows (GTK_APPLICATION (app)));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_no_display (void)
{
  g_test_skip ("no display: run the UI tests under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* The one subprocess runs without the compiled schema. */
  if (g_test_subprocess ())
    g_unsetenv ("GSETTINGS_SCHEMA_DIR");
  if (!gtk_init_check ())
    {
      g_test_add_func ("/preferences/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/preferences/edit", test_edit);
  g_test_add_func ("/preferences/action", test_action_enabled);
  g_test_add_func ("/preferences/action-without-schema", test_action_without_schema);

  return g_test_run ();
}
