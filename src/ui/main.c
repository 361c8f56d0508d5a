/* main.c: starts Orderly
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "orderly"

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "ord-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(OrdApplication) application = NULL;

  /* Before GTK starts: --help is translated too. */
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = ord_application_new ();

  return g_application_run (G_APPLICATION (application), argc, argv);
}
