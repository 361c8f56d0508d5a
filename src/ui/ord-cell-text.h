/* ord-cell-text.h: one line of text in a cell of a long list
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define ORD_TYPE_CELL_TEXT (ord_cell_text_get_type ())
G_DECLARE_FINAL_TYPE (OrdCellText, ord_cell_text, ORD, CELL_TEXT, GtkWidget)

/* Like a GtkInscription of one line: its size depends on its font, not on
 * its text (@min_chars and @nat_chars wide, one line high), and the font's
 * measures are looked up once for every cell that uses the same font. */
GtkWidget  *ord_cell_text_new      (float               xalign,
                                    PangoEllipsizeMode  ellipsize,
                                    guint               min_chars,
                                    guint               nat_chars,
                                    gboolean            tabular_figures);
void        ord_cell_text_set_text (OrdCellText        *self,
                                    const char         *text);
const char *ord_cell_text_get_text (OrdCellText        *self);

G_END_DECLS
