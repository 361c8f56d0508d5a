/* ord-ui.c: what the desktop application's files share
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-ui"

#include "config.h"

#include <gio/gio.h>

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
