/* ord-application.h: the Orderly application: command line, windows, about
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define ORD_TYPE_APPLICATION (ord_application_get_type ())
G_DECLARE_FINAL_TYPE (OrdApplication, ord_application, ORD, APPLICATION, AdwApplication)

OrdApplication *ord_application_new (void);

G_END_DECLS
