/* ord-order-print.h: one order on paper, or in a PDF file
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "ord-core.h"

G_BEGIN_DECLS

#define ORD_ORDER_PRINT_ERROR (ord_order_print_error_quark ())

typedef enum
{
  ORD_ORDER_PRINT_ERROR_FAILED,
} OrdOrderPrintError;

GQuark    ord_order_print_error_quark (void);

/* Shows the print dialog for @order and prints it. @settings (nullable)
 * gives the business name and address. Failures are shown in a dialog. */
void      ord_order_print_run         (OrdOrder   *order,
                                       GSettings  *settings,
                                       GtkWindow  *parent);
/* The operation ord_order_print_run() shows; tests export with it. */
GtkPrintOperation *ord_order_print_operation_new (OrdOrder  *order,
                                                  GSettings *settings);
/* Writes @order as a PDF on the locale's paper (A4 or Letter), with the
 * same layout as on paper. */
gboolean  ord_order_print_to_pdf      (OrdOrder   *order,
                                       GSettings  *settings,
                                       GFile      *file,
                                       GError    **error);

G_END_DECLS
