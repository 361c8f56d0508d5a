/* ord-order-editor.h: the window that creates or edits one order
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "ord-context.h"

G_BEGIN_DECLS

#define ORD_TYPE_ORDER_EDITOR (ord_order_editor_get_type ())
G_DECLARE_FINAL_TYPE (OrdOrderEditor, ord_order_editor, ORD, ORDER_EDITOR, AdwWindow)

/* @order_id NULL: a new order. */
OrdOrderEditor *ord_order_editor_new          (GtkWindow      *parent,
                                               OrdContext     *context,
                                               const char     *order_id);
/* NULL for a new order. */
const char     *ord_order_editor_get_order_id (OrdOrderEditor *self);

G_END_DECLS
