/* ord-cell-text.c: one line of text in a cell of a long list
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ord-cell-text"

#include "config.h"

#include <pango/pangocairo.h>

#include "ord-cell-text.h"

/*
 * Why not GtkInscription: GTK 4.8's asks Pango for its font's measures
 * (pango_context_get_metrics(), which shapes a sample text) each time it
 * is measured, in both directions. A column view of 200 rows measures
 * its cells again for every layout: a window resized by a pixel cost 2,400
 * such lookups, some 130 M instructions. Here the measures are kept for
 * each font, as long as the font map lives.
 */

struct _OrdCellText
{
  GtkWidget    parent_instance;

  char        *text;
  PangoLayout *layout;          /* NULL until drawn, and after a style change */
  float        xalign;
  PangoEllipsizeMode ellipsize;
  guint        min_chars;
  guint        nat_chars;
  gboolean     tabular_figures;
};

G_DEFINE_FINAL_TYPE (OrdCellText, ord_cell_text, GTK_TYPE_WIDGET)

/* A font's measures, in Pango units. */
typedef struct
{
  PangoFontDescription *font;
  PangoLanguage        *language;
  double                resolution;
  int                   char_width;  /* the wider of a character and a digit */
  int                   ascent;
  int                   descent;
} FontMeasures;

static void
font_measures_free (gpointer data)
{
  FontMeasures *measures = data;

  pango_font_description_free (measures->font);
  g_free (measures);
}

/* The measures of @context's font: a few fonts in a window, so a list. */
static const FontMeasures *
get_font_measures (PangoContext *context)
{
  static GPtrArray *known;
  static PangoFontMap *known_map;
  const PangoFontDescription *font = pango_context_get_font_description (context);
  PangoLanguage *language = pango_context_get_language (context);
  PangoFontMap *map = pango_context_get_font_map (context);
  double resolution = pango_cairo_context_get_resolution (context);
  PangoFontMetrics *metrics;
  FontMeasures *measures;

  /* Another font map (fonts installed, settings changed): start again. */
  if (known == NULL || map != known_map)
    {
      g_clear_pointer (&known, g_ptr_array_unref);
      known = g_ptr_array_new_with_free_func (font_measures_free);
      known_map = map;
    }

  for (guint i = 0; i < known->len; i++)
    {
      measures = g_ptr_array_index (known, i);
      if (measures->language == language && measures->resolution == resolution &&
          pango_font_description_equal (measures->font, font))
        return measures;
    }

  metrics = pango_context_get_metrics (context, font, language);
  measures = g_new0 (FontMeasures, 1);
  measures->font = pango_font_description_copy (font);
  measures->language = language;
  measures->resolution = resolution;
  measures->char_width = MAX (pango_font_metrics_get_approximate_char_width (metrics),
                              pango_font_metrics_get_approximate_digit_width (metrics));
  measures->ascent = pango_font_metrics_get_ascent (metrics);
  measures->descent = pango_font_metrics_get_descent (metrics);
  pango_font_metrics_unref (metrics);
  g_ptr_array_add (known, measures);

  return measures;
}

static PangoLayout *
ensure_layout (OrdCellText *self)
{
  PangoAlignment alignment;
  float xalign = self->xalign;

  if (self->layout != NULL)
    return self->layout;

  self->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->text);
  pango_layout_set_ellipsize (self->layout, self->ellipsize);
  pango_layout_set_single_paragraph_mode (self->layout, TRUE);
  if (gtk_widget_get_direction (GTK_WIDGET (self)) == GTK_TEXT_DIR_RTL)
    xalign = 1.f - xalign;
  alignment = xalign < 0.33f ? PANGO_ALIGN_LEFT : xalign > 0.67f ? PANGO_ALIGN_RIGHT
                                                                 : PANGO_ALIGN_CENTER;
  pango_layout_set_alignment (self->layout, alignment);
  if (self->tabular_figures)
    {
      PangoAttrList *attributes = pango_attr_list_new ();

      pango_attr_list_insert (attributes, pango_attr_font_features_new ("tnum"));
      pango_layout_set_attributes (self->layout, attributes);
      pango_attr_list_unref (attributes);
    }

  return self->layout;
}

static void
ord_cell_text_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  OrdCellText *self = ORD_CELL_TEXT (widget);
  const FontMeasures *measures = get_font_measures (gtk_widget_get_pango_context (widget));

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = PANGO_PIXELS_CEIL (self->min_chars * measures->char_width);
      *natural = PANGO_PIXELS_CEIL (MAX (self->min_chars, self->nat_chars) * measures->char_width);
    }
  else
    {
      *minimum = *natural = PANGO_PIXELS_CEIL (measures->ascent + measures->descent);
      *minimum_baseline = *natural_baseline = PANGO_PIXELS_CEIL (measures->ascent);
    }
}

static void
ord_cell_text_size_allocate (GtkWidget *widget,
                             int        width,
                             int        height,
                             int        baseline)
{
  OrdCellText *self = ORD_CELL_TEXT (widget);

  pango_layout_set_width (ensure_layout (self), width * PANGO_SCALE);
}

static void
ord_cell_text_snapshot (GtkWidget   *widget,
                        GtkSnapshot *snapshot)
{
  OrdCellText *self = ORD_CELL_TEXT (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  PangoLayout *layout;
  PangoRectangle logical;
  GdkRGBA color;
  int baseline;
  float y;

  if (self->text == NULL || self->text[0] == '\0')
    return;

  layout = ensure_layout (self);
  pango_layout_set_width (layout, width * PANGO_SCALE);
  pango_layout_get_pixel_extents (layout, NULL, &logical);
  baseline = gtk_widget_get_allocated_baseline (widget);
  if (baseline != -1)
    y = baseline - pango_layout_get_baseline (layout) / PANGO_SCALE;
  else
    y = floorf ((height - logical.height) / 2.f);

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (0, MAX (y, 0.f)));
  gtk_snapshot_append_layout (snapshot, layout, &color);
  gtk_snapshot_restore (snapshot);
  gtk_snapshot_pop (snapshot);
}

/* A new style may bring another font: the layout is made again. */
static void
ord_cell_text_css_changed (GtkWidget         *widget,
                           GtkCssStyleChange *change)
{
  OrdCellText *self = ORD_CELL_TEXT (widget);

  GTK_WIDGET_CLASS (ord_cell_text_parent_class)->css_changed (widget, change);
  g_clear_object (&self->layout);
}

static void
ord_cell_text_direction_changed (GtkWidget        *widget,
                                 GtkTextDirection  previous_direction)
{
  OrdCellText *self = ORD_CELL_TEXT (widget);

  GTK_WIDGET_CLASS (ord_cell_text_parent_class)->direction_changed (widget, previous_direction);
  g_clear_object (&self->layout);
  gtk_widget_queue_draw (widget);
}

static void
ord_cell_text_finalize (GObject *object)
{
  OrdCellText *self = ORD_CELL_TEXT (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_object (&self->layout);

  G_OBJECT_CLASS (ord_cell_text_parent_class)->finalize (object);
}

static void
ord_cell_text_class_init (OrdCellTextClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = ord_cell_text_finalize;

  widget_class->measure = ord_cell_text_measure;
  widget_class->size_allocate = ord_cell_text_size_allocate;
  widget_class->snapshot = ord_cell_text_snapshot;
  widget_class->css_changed = ord_cell_text_css_changed;
  widget_class->direction_changed = ord_cell_text_direction_changed;

  /* Styled as a label, and a label to assistive technologies. */
  gtk_widget_class_set_css_name (widget_class, "label");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_LABEL);
}

static void
ord_cell_text_init (OrdCellText *self)
{
}

/**
 * ord_cell_text_new:
 * @xalign: 0 for the start, 1 for the end
 * @ellipsize: where a text too long loses characters
 * @min_chars: how many characters wide it is at least
 * @nat_chars: how many it would like
 * @tabular_figures: digits all as wide (for columns of numbers)
 *
 * Returns: (transfer floating): a new #OrdCellText
 */
GtkWidget *
ord_cell_text_new (float               xalign,
                   PangoEllipsizeMode  ellipsize,
                   guint               min_chars,
                   guint               nat_chars,
                   gboolean            tabular_figures)
{
  OrdCellText *self = g_object_new (ORD_TYPE_CELL_TEXT, NULL);

  self->xalign = CLAMP (xalign, 0.f, 1.f);
  self->ellipsize = ellipsize;
  self->min_chars = min_chars;
  self->nat_chars = nat_chars;
  self->tabular_figures = tabular_figures;

  return GTK_WIDGET (self);
}

void
ord_cell_text_set_text (OrdCellText *self,
                        const char  *text)
{
  g_return_if_fail (ORD_IS_CELL_TEXT (self));

  if (g_strcmp0 (self->text, text) == 0)
    return;

  g_free (self->text);
  self->text = g_strdup (text);
  if (self->layout != NULL)
    pango_layout_set_text (self->layout, self->text ? self->text : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->text ? self->text : "", -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
ord_cell_text_get_text (OrdCellText *self)
{
  g_return_val_if_fail (ORD_IS_CELL_TEXT (self), NULL);

  return self->text;
}
