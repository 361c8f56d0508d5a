/* bench-app-floor.c: the least a window costs on this machine
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A libadwaita window with a header bar and a label, linked with the same
 * libraries as `orderly` and timed by the same code (ord-timings.c,
 * ORDERLY_TIMINGS=1): bench-app starts it beside `orderly` so that the
 * part of the first frame that is Orderly's own can be told from what
 * GTK, libadwaita, the display and the machine cost any app. Its arguments
 * are ignored.
 */
#include "config.h"

#include <adwaita.h>

#include "ord-timings.h"

static void
on_activate (GtkApplication *application)
{
  GtkWidget *window = adw_application_window_new (application);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *label = gtk_label_new ("Orders");

  gtk_widget_set_vexpand (label, TRUE);
  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), label);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 700);
  gtk_window_present (GTK_WINDOW (window));
  ord_timings_watch_window (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(AdwApplication) application = NULL;
  char *args[] = { argv[0], NULL };

  application = adw_application_new ("io.github.orderly.BenchFloor", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), NULL);

  return g_application_run (G_APPLICATION (application), 1, args);
}
