/* test-cell-text.c: the text cells of the order lists
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>

#include "ord-cell-text.h"
#include "ui-test-util.h"

static void
measure (GtkWidget      *widget,
         GtkOrientation  orientation,
         int            *minimum,
         int            *natural)
{
  gtk_widget_measure (widget, orientation, -1, minimum, natural, NULL, NULL);
}

/* A cell's size follows its font and its width in characters, never its
 * text: a column of them lines up, and a new text needs no new layout. */
static void
test_size (void)
{
  GtkWidget *window = gtk_window_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *narrow = ord_cell_text_new (0.f, PANGO_ELLIPSIZE_END, 6, 10, FALSE);
  GtkWidget *wide = ord_cell_text_new (1.f, PANGO_ELLIPSIZE_START, 12, 24, TRUE);
  GtkWidget *label = gtk_label_new ("T1-000123");
  int min, nat, min2, nat2, height, height2, label_min, label_nat;

  gtk_box_append (GTK_BOX (box), narrow);
  gtk_box_append (GTK_BOX (box), wide);
  gtk_box_append (GTK_BOX (box), label);
  gtk_window_set_child (GTK_WINDOW (window), box);
  gtk_window_present (GTK_WINDOW (window));
  ui_test_wait_frame (window);

  measure (narrow, GTK_ORIENTATION_HORIZONTAL, &min, &nat);
  g_assert_cmpint (min, >, 0);
  g_assert_cmpint (nat, >, min);
  measure (wide, GTK_ORIENTATION_HORIZONTAL, &min2, &nat2);
  g_assert_cmpint (min2, >=, 2 * min - 2);
  g_assert_cmpint (nat2, >=, 2 * nat - 2);

  /* One line high, as a label of the same font. */
  measure (narrow, GTK_ORIENTATION_VERTICAL, &height, NULL);
  measure (label, GTK_ORIENTATION_VERTICAL, &label_min, &label_nat);
  g_assert_cmpint (height, >, 0);
  g_assert_cmpint (ABS (height - label_nat), <=, 2);

  ord_cell_text_set_text (ORD_CELL_TEXT (narrow), "a very long customer name indeed, longer than any");
  g_assert_cmpstr (ord_cell_text_get_text (ORD_CELL_TEXT (narrow)), ==,
                   "a very long customer name indeed, longer than any");
  measure (narrow, GTK_ORIENTATION_HORIZONTAL, &min2, &nat2);
  g_assert_cmpint (min2, ==, min);
  g_assert_cmpint (nat2, ==, nat);
  measure (narrow, GTK_ORIENTATION_VERTICAL, &height2, NULL);
  g_assert_cmpint (height2, ==, height);

  /* A bigger font: bigger cells. */
  {
    g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

    gtk_css_provider_load_from_data (provider, ".big { font-size: 30px; }", -1);
    gtk_style_context_add_provider_for_display (gtk_widget_get_display (narrow),
                                                GTK_STYLE_PROVIDER (provider),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
    gtk_widget_add_css_class (narrow, "big");
    ui_test_wait_frame (window);
    measure (narrow, GTK_ORIENTATION_HORIZONTAL, &min2, &nat2);
    g_assert_cmpint (min2, >, min);
    measure (narrow, GTK_ORIENTATION_VERTICAL, &height2, NULL);
    g_assert_cmpint (height2, >, height);
    gtk_style_context_remove_provider_for_display (gtk_widget_get_display (narrow),
                                                   GTK_STYLE_PROVIDER (provider));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_message ("no display");
      return 77;
    }
  adw_init ();

  g_test_add_func ("/cell-text/size", test_size);

  return g_test_run ();
}
