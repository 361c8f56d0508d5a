/* ord-order-print.c: one order on paper, or in a PDF file
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One layout serves the printer and the PDF file: the page is measured in
 * points, the lines flow onto as many pages as they need, each page after
 * the first repeats the table header, and every page says "Page n of m".
 */
#define G_LOG_DOMAIN "ord-order-print"

#include "config.h"

#include <adwaita.h>
#include <cairo-pdf.h>
#include <glib/gi18n.h>
#include <pango/pangocairo.h>
#include <string.h>

#include "ord-context.h"
#include "ord-order-print.h"
#include "ord-ui-format.h"

/* Geometry, in points. */
#define MARGIN_X       50.0
#define MARGIN_TOP     46.0
#define MARGIN_BOTTOM  40.0
#define FOOTER_HEIGHT  22.0
#define CELL_PAD_X      5.0
#define CELL_PAD_Y      4.5
#define TOTALS_WIDTH  230.0

/* Columns of the table: SKU and name wrap, figures never do. */
enum { COL_SKU, COL_NAME, COL_QTY, COL_PRICE, COL_DISCOUNT, COL_TOTAL, N_COLUMNS };

#define SKU_MAX_WIDTH 96.0
#define NAME_MIN_WIDTH 120.0

G_DEFINE_QUARK (ord-order-print-error-quark, ord_order_print_error)

/* A label and its value, as in "Due   27 November 2026". */
typedef struct
{
  const char *label;
  const char *value;
} Fact;

typedef enum
{
  BLOCK_HEADER,      /* first page only: business, order number, customer, dates */
  BLOCK_ROW,         /* one line of the order */
  BLOCK_TOTALS,
  BLOCK_NOTES_TITLE,
  BLOCK_NOTES_LINE,  /* one line of the notes, so that long notes can break */
} BlockKind;

typedef struct
{
  BlockKind kind;
  guint     index;          /* the order line, or the line of the notes */
  double    height;
  double    baseline;       /* notes lines: from the top of the line */
  guint     page;
  double    y;
  gboolean  header_before;  /* the table header goes right above this row */
} Block;

typedef struct
{
  OrdOrder             *order;
  char                 *business_name;
  char                 *business_address;
  char                 *number;
  char                 *notes;

  PangoContext         *pango;
  PangoFontDescription *body;
  PangoFontDescription *body_bold;
  PangoFontDescription *small;
  PangoFontDescription *small_bold;
  PangoFontDescription *large;
  PangoFontDescription *title;
  PangoFontDescription *business;

  double                page_width;
  double                page_height;
  double                col_x[N_COLUMNS];
  double                col_width[N_COLUMNS];
  double                table_header_height;
  double                continued_height;
  GArray               *blocks;
  guint                 n_pages;

  GtkWindow            *parent;  /* weak */
} PrintJob;

static void
print_job_free (PrintJob *job)
{
  g_clear_object (&job->order);
  g_clear_pointer (&job->business_name, g_free);
  g_clear_pointer (&job->business_address, g_free);
  g_clear_pointer (&job->number, g_free);
  g_clear_pointer (&job->notes, g_free);
  g_clear_object (&job->pango);
  g_clear_pointer (&job->body, pango_font_description_free);
  g_clear_pointer (&job->body_bold, pango_font_description_free);
  g_clear_pointer (&job->small, pango_font_description_free);
  g_clear_pointer (&job->small_bold, pango_font_description_free);
  g_clear_pointer (&job->large, pango_font_description_free);
  g_clear_pointer (&job->title, pango_font_description_free);
  g_clear_pointer (&job->business, pango_font_description_free);
  g_clear_pointer (&job->blocks, g_array_unref);
  g_clear_weak_pointer (&job->parent);
  g_free (job);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PrintJob, print_job_free)

static char *
get_setting (GSettings  *settings,
             const char *key)
{
  g_autofree char *value = NULL;

  if (!ord_settings_has_key (settings, key))
    return NULL;
  value = g_strstrip (g_settings_get_string (settings, key));
  return *value != '\0' ? g_steal_pointer (&value) : NULL;
}

static PrintJob *
print_job_new (OrdOrder  *order,
               GSettings *settings)
{
  PrintJob *job = g_new0 (PrintJob, 1);
  const char *number = ord_order_get_number (order);
  const char *notes = ord_order_get_notes (order);

  job->order = g_object_ref (order);
  job->business_name = get_setting (settings, "business-name");
  job->business_address = get_setting (settings, "business-address");
  if (number == NULL || *number == '\0')
    number = ord_order_get_provisional_number (order);
  job->number = g_strdup (number != NULL ? number : "");
  if (notes != NULL)
    {
      job->notes = g_strstrip (g_strdup (notes));
      if (*job->notes == '\0')
        g_clear_pointer (&job->notes, g_free);
    }

  job->body = pango_font_description_from_string ("Sans 9");
  job->body_bold = pango_font_description_from_string ("Sans Bold 9");
  job->small = pango_font_description_from_string ("Sans 7.5");
  job->small_bold = pango_font_description_from_string ("Sans Bold 7.5");
  job->large = pango_font_description_from_string ("Sans Bold 11.5");
  job->title = pango_font_description_from_string ("Sans Light 22");
  job->business = pango_font_description_from_string ("Sans Bold 16");
  job->blocks = g_array_new (FALSE, TRUE, sizeof (Block));

  return job;
}

/* Text */

static double
content_width (PrintJob *job)
{
  return job->page_width - 2 * MARGIN_X;
}

static double
content_bottom (PrintJob *job)
{
  return job->page_height - MARGIN_BOTTOM - FOOTER_HEIGHT;
}

/* @width ≤ 0: one line, as wide as the text. */
static PangoLayout *
new_layout (PrintJob                   *job,
            const PangoFontDescription *font,
            const char                 *text,
            double                      width,
            PangoAlignment              alignment)
{
  PangoLayout *layout = pango_layout_new (job->pango);

  pango_layout_set_font_description (layout, font);
  if (width > 0)
    {
      pango_layout_set_width (layout, pango_units_from_double (width));
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_alignment (layout, alignment);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);
  return layout;
}

/* Figures line up in columns. */
static void
use_tabular_figures (PangoLayout *layout)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_font_features_new ("tnum 1"));
  pango_layout_set_attributes (layout, attrs);
}

static double
layout_height (PangoLayout *layout)
{
  int height;

  pango_layout_get_size (layout, NULL, &height);
  return pango_units_to_double (height);
}

static double
layout_width (PangoLayout *layout)
{
  int width;

  pango_layout_get_size (layout, &width, NULL);
  return pango_units_to_double (width);
}

/* Draws @layout at (@x, @y) in grey @gray when @cr is not NULL; returns
 * its height either way, so that one function both measures and draws. */
static double
show (cairo_t     *cr,
      PangoLayout *layout,
      double       x,
      double       y,
      double       gray)
{
  if (cr != NULL)
    {
      cairo_set_source_rgb (cr, gray, gray, gray);
      cairo_move_to (cr, x, y);
      pango_cairo_show_layout (cr, layout);
    }
  return layout_height (layout);
}

static void
hline (cairo_t *cr,
       double   x0,
       double   x1,
       double   y,
       double   width,
       double   gray)
{
  cairo_set_source_rgb (cr, gray, gray, gray);
  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y);
  cairo_line_to (cr, x1, y);
  cairo_stroke (cr);
}

static char *
format_money (PrintJob *job,
              gint64    amount)
{
  return ord_format_order_total (amount, ord_order_get_currency (job->order));
}

static char *
format_date (gint64      usec,
             const char *format)
{
  g_autoptr(GDateTime) dt = NULL;

  if (usec <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  return dt != NULL ? g_date_time_format (dt, format) : NULL;
}

/* The first page's head: business on the left, the order on the right,
 * then the customer and the order's dates and status. */
static double
draw_header (PrintJob *job,
             cairo_t  *cr,
             double    y0)
{
  double x = MARGIN_X, width = content_width (job);
  double left_width = width * 0.58, right_x = x + left_width, right_width = width - left_width;
  double left_y = y0, right_y = y0, y;
  g_autoptr(PangoLayout) title = NULL;
  g_autoptr(PangoLayout) number = NULL;
  g_autofree char *created = NULL;
  g_autofree char *due = NULL;
  const char *customer = ord_order_get_customer_name (job->order);
  Fact facts[3];
  guint n_facts = 0;
  double label_width = 0;
  const char *status;

  if (job->business_name != NULL)
    {
      g_autoptr(PangoLayout) name = new_layout (job, job->business, job->business_name,
                                                left_width - 12, PANGO_ALIGN_LEFT);

      left_y += show (cr, name, x, left_y, 0.1) + 4;
    }
  if (job->business_address != NULL)
    {
      g_autoptr(PangoLayout) address = new_layout (job, job->body, job->business_address,
                                                   left_width - 12, PANGO_ALIGN_LEFT);

      pango_layout_set_spacing (address, pango_units_from_double (1.5));
      left_y += show (cr, address, x, left_y, 0.35);
    }

  /* Translators: the big heading of a printed order */
  title = new_layout (job, job->title, C_("printed order", "Order"), right_width,
                      PANGO_ALIGN_RIGHT);
  right_y += show (cr, title, right_x, right_y - 4, 0.2) - 2;
  number = new_layout (job, job->large, job->number, right_width, PANGO_ALIGN_RIGHT);
  right_y += show (cr, number, right_x, right_y, 0.1);

  y = MAX (left_y, right_y) + 22;
  if (cr != NULL)
    hline (cr, x, x + width, y - 10, 0.6, 0.8);

  /* Customer, left. */
  {
    /* Translators: the heading above the customer's name on a printed order */
    g_autoptr(PangoLayout) label = new_layout (job, job->small_bold, _("CUSTOMER"), left_width,
                                               PANGO_ALIGN_LEFT);
    g_autoptr(PangoLayout) name = new_layout (job, job->large,
                                              customer != NULL && *customer != '\0'
                                              ? customer : _("No customer"),
                                              left_width - 12, PANGO_ALIGN_LEFT);

    left_y = y + show (cr, label, x, y, 0.45) + 3;
    left_y += show (cr, name, x, left_y, 0.1);
  }

  /* Dates and status, right: labels in one column, values in another. */
  /* Translators: the date format of a printed order (g_date_time_format()) */
  created = format_date (ord_order_get_created_at (job->order), _("%-d %B %Y"));
  /* Translators: the due date and time on a printed order (g_date_time_format()) */
  due = format_date (ord_order_get_due_at (job->order), _("%-d %B %Y, %H:%M"));
  if (created != NULL)
    facts[n_facts++] = (Fact) { _("Order date"), created };
  if (due != NULL)
    facts[n_facts++] = (Fact) { _("Due"), due };
  status = ord_status_get_label (ord_order_get_status (job->order));
  facts[n_facts++] = (Fact) { _("Status"), status };

  for (guint i = 0; i < n_facts; i++)
    {
      g_autoptr(PangoLayout) label = new_layout (job, job->body, facts[i].label, -1,
                                                 PANGO_ALIGN_LEFT);

      label_width = MAX (label_width, layout_width (label));
    }
  right_y = y;
  for (guint i = 0; i < n_facts; i++)
    {
      double value_width = right_width - label_width - 12;
      g_autoptr(PangoLayout) label = new_layout (job, job->body, facts[i].label, -1,
                                                 PANGO_ALIGN_LEFT);
      g_autoptr(PangoLayout) value = new_layout (job, job->body_bold, facts[i].value,
                                                 value_width, PANGO_ALIGN_RIGHT);
      double h = show (cr, value, right_x + right_width - value_width, right_y, 0.1);

      show (cr, label, right_x, right_y, 0.45);
      right_y += h + 3;
    }

  return MAX (left_y, right_y) - y0 + 20;
}

/* The table */

static const char *const *
header_texts (void)
{
  static const char *texts[N_COLUMNS];

  /* Translators: column headings of the lines on a printed order */
  texts[COL_SKU] = C_("printed order", "SKU");
  texts[COL_NAME] = C_("printed order", "Item");
  texts[COL_QTY] = C_("printed order", "Qty");
  texts[COL_PRICE] = C_("printed order", "Unit price");
  texts[COL_DISCOUNT] = C_("printed order", "Discount");
  texts[COL_TOTAL] = C_("printed order", "Amount");
  return texts;
}

/* The cells of line @index, in column order. */
static GStrv
item_texts (PrintJob *job,
            guint     index)
{
  g_autoptr(OrdOrderItem) item = ord_order_get_item (job->order, index);
  GStrv texts = g_new0 (char *, N_COLUMNS + 1);
  const char *sku = ord_order_item_get_sku (item);
  const char *name = ord_order_item_get_name (item);

  texts[COL_SKU] = g_strdup (sku != NULL ? sku : "");
  texts[COL_NAME] = g_strdup (name != NULL ? name : "");
  texts[COL_QTY] = g_strdup_printf ("%'" G_GINT64_FORMAT, ord_order_item_get_quantity (item));
  texts[COL_PRICE] = format_money (job, ord_order_item_get_unit_price (item));
  if (ord_order_item_get_discount (item) != 0)
    texts[COL_DISCOUNT] = format_money (job, -ord_order_item_get_discount (item));
  else
    texts[COL_DISCOUNT] = g_strdup ("—");
  texts[COL_TOTAL] = format_money (job, ord_order_item_get_line_total (item));
  return texts;
}

static double
cell_width (PrintJob                   *job,
            const PangoFontDescription *font,
            const char                 *text,
            gboolean                    figures)
{
  g_autoptr(PangoLayout) layout = new_layout (job, font, text, -1, PANGO_ALIGN_LEFT);

  if (figures)
    use_tabular_figures (layout);
  return layout_width (layout) + 2 * CELL_PAD_X;
}

/* Figures get the width of their widest cell, the SKU up to a limit, and
 * the item name what is left. */
static void
compute_columns (PrintJob *job)
{
  static const double min_widths[N_COLUMNS] = { 48, 0, 30, 56, 52, 60 };
  const char *const *header = header_texts ();
  guint n_items = ord_order_get_n_items (job->order);
  double fixed = 0, x = MARGIN_X;

  for (guint c = 0; c < N_COLUMNS; c++)
    job->col_width[c] = MAX (min_widths[c], cell_width (job, job->small_bold, header[c], FALSE));
  for (guint i = 0; i < n_items; i++)
    {
      g_auto(GStrv) texts = item_texts (job, i);

      for (guint c = 0; c < N_COLUMNS; c++)
        if (c != COL_NAME)
          job->col_width[c] = MAX (job->col_width[c],
                                   cell_width (job, job->body, texts[c], c != COL_SKU));
    }
  job->col_width[COL_SKU] = MIN (job->col_width[COL_SKU], SKU_MAX_WIDTH);

  for (guint c = 0; c < N_COLUMNS; c++)
    if (c != COL_NAME)
      fixed += job->col_width[c];
  job->col_width[COL_NAME] = content_width (job) - fixed;
  /* Huge figures: the SKU gives way to the name first. */
  if (job->col_width[COL_NAME] < NAME_MIN_WIDTH)
    {
      double give = MIN (NAME_MIN_WIDTH - job->col_width[COL_NAME],
                         job->col_width[COL_SKU] - min_widths[COL_SKU]);

      job->col_width[COL_SKU] -= give;
      job->col_width[COL_NAME] += give;
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      job->col_x[c] = x;
      x += job->col_width[c];
    }
}

static double
draw_row_cells (PrintJob                   *job,
                cairo_t                    *cr,
                double                      y,
                const char *const          *texts,
                const PangoFontDescription *font,
                double                      gray)
{
  double height = 0;

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      g_autoptr(PangoLayout) cell = NULL;
      double x, cell_height;

      if (c == COL_SKU || c == COL_NAME)
        {
          cell = new_layout (job, font, texts[c], job->col_width[c] - 2 * CELL_PAD_X,
                             PANGO_ALIGN_LEFT);
          x = job->col_x[c] + CELL_PAD_X;
        }
      else
        {
          cell = new_layout (job, font, texts[c], -1, PANGO_ALIGN_LEFT);
          use_tabular_figures (cell);
          x = job->col_x[c] + job->col_width[c] - CELL_PAD_X - layout_width (cell);
        }
      cell_height = show (cr, cell, x, y + CELL_PAD_Y, gray);
      height = MAX (height, cell_height);
    }
  return height + 2 * CELL_PAD_Y;
}

static double
draw_table_header (PrintJob *job,
                   cairo_t  *cr,
                   double    y)
{
  const char *const *texts = header_texts ();
  double height = draw_row_cells (job, NULL, y, texts, job->small_bold, 0);

  if (cr != NULL)
    {
      cairo_set_source_rgb (cr, 0.94, 0.945, 0.95);
      cairo_rectangle (cr, MARGIN_X, y, content_width (job), height);
      cairo_fill (cr);
      draw_row_cells (job, cr, y, texts, job->small_bold, 0.3);
      hline (cr, MARGIN_X, MARGIN_X + content_width (job), y + height, 0.8, 0.55);
    }
  return height;
}

static double
draw_item_row (PrintJob *job,
               cairo_t  *cr,
               double    y,
               guint     index)
{
  g_auto(GStrv) texts = item_texts (job, index);
  double height = draw_row_cells (job, cr, y, (const char *const *) texts, job->body, 0.1);

  if (cr != NULL)
    hline (cr, MARGIN_X, MARGIN_X + content_width (job), y + height, 0.5, 0.86);
  return height;
}

static double
draw_totals (PrintJob *job,
             cairo_t  *cr,
             double    y0)
{
  double x = MARGIN_X + content_width (job) - TOTALS_WIDTH, y = y0 + 10;
  guint bp = ord_order_get_tax_rate (job->order);
  gint64 discount = ord_order_get_discount (job->order);
  gint64 tax = ord_order_get_tax (job->order);
  g_autofree char *subtotal_text = format_money (job, ord_order_get_subtotal (job->order));
  g_autofree char *discount_text = format_money (job, -discount);
  g_autofree char *tax_text = format_money (job, tax);
  g_autofree char *total_text = format_money (job, ord_order_get_total (job->order));
  g_autofree char *tax_label = NULL;
  Fact rows[3];
  guint n_rows = 0;

  if (bp != 0)
    /* Translators: the tax line of a printed order, with its rate: "Tax (20.00 %)" */
    tax_label = g_strdup_printf (_("Tax (%u.%02u %%)"), bp / 100, bp % 100);
  else
    tax_label = g_strdup (_("Tax"));

  rows[n_rows++] = (Fact) { _("Subtotal"), subtotal_text };
  if (discount != 0)
    rows[n_rows++] = (Fact) { _("Order discount"), discount_text };
  if (bp != 0 || tax != 0)
    rows[n_rows++] = (Fact) { tax_label, tax_text };

  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr(PangoLayout) label = new_layout (job, job->body, rows[i].label,
                                                 TOTALS_WIDTH / 2, PANGO_ALIGN_LEFT);
      g_autoptr(PangoLayout) value = new_layout (job, job->body, rows[i].value,
                                                 TOTALS_WIDTH / 2 - CELL_PAD_X,
                                                 PANGO_ALIGN_RIGHT);

      use_tabular_figures (value);
      show (cr, label, x + CELL_PAD_X, y, 0.35);
      y += show (cr, value, x + TOTALS_WIDTH / 2, y, 0.1) + 5;
    }

  y += 3;
  if (cr != NULL)
    hline (cr, x, x + TOTALS_WIDTH, y, 1.0, 0.2);
  y += 7;
  {
    g_autoptr(PangoLayout) label = new_layout (job, job->large, _("Total"), TOTALS_WIDTH / 2,
                                               PANGO_ALIGN_LEFT);
    g_autoptr(PangoLayout) value = new_layout (job, job->large, total_text,
                                               TOTALS_WIDTH / 2 - CELL_PAD_X,
                                               PANGO_ALIGN_RIGHT);

    use_tabular_figures (value);
    show (cr, label, x + CELL_PAD_X, y, 0.1);
    y += show (cr, value, x + TOTALS_WIDTH / 2, y, 0.1);
  }

  return y - y0 + 6;
}

static double
draw_notes_title (PrintJob *job,
                  cairo_t  *cr,
                  double    y)
{
  /* Translators: the heading above an order's notes on paper */
  g_autoptr(PangoLayout) title = new_layout (job, job->small_bold, _("NOTES"),
                                             content_width (job), PANGO_ALIGN_LEFT);

  return show (cr, title, MARGIN_X, y + 16, 0.45) + 16 + 4;
}

static PangoLayout *
new_notes_layout (PrintJob *job)
{
  PangoLayout *layout = new_layout (job, job->body, job->notes, content_width (job),
                                    PANGO_ALIGN_LEFT);

  pango_layout_set_spacing (layout, pango_units_from_double (1.5));
  return layout;
}

/* Pages after the first say whose order they continue. */
static double
draw_continued (PrintJob *job,
                cairo_t  *cr,
                double    y)
{
  /* Translators: at the top of the second and later pages of a printed
   * order; %s is the order number */
  g_autofree char *text = g_strdup_printf (_("Order %s (continued)"), job->number);
  g_autoptr(PangoLayout) left = new_layout (job, job->body_bold,
                                            job->business_name ? job->business_name : "",
                                            content_width (job) / 2, PANGO_ALIGN_LEFT);
  g_autoptr(PangoLayout) right = new_layout (job, job->body, text, content_width (job) / 2,
                                             PANGO_ALIGN_RIGHT);
  double left_height = show (cr, left, MARGIN_X, y, 0.1);
  double right_height = show (cr, right, MARGIN_X + content_width (job) / 2, y, 0.35);
  double height = MAX (left_height, right_height);

  if (cr != NULL)
    hline (cr, MARGIN_X, MARGIN_X + content_width (job), y + height + 6, 0.6, 0.8);
  return height + 18;
}

static void
draw_footer (PrintJob *job,
             cairo_t  *cr,
             guint     page)
{
  double y = job->page_height - MARGIN_BOTTOM - 10;
  /* Translators: the footer of each printed page */
  g_autofree char *text = g_strdup_printf (_("Page %u of %u"), page + 1, job->n_pages);
  g_autofree char *left_text = NULL;
  g_autoptr(PangoLayout) left = NULL;
  g_autoptr(PangoLayout) right = NULL;

  if (job->business_name != NULL)
    /* Translators: the footer of a printed order: the business, then the order number */
    left_text = g_strdup_printf (_("%s · Order %s"), job->business_name, job->number);
  else
    /* Translators: the footer of a printed order; %s is the order number */
    left_text = g_strdup_printf (_("Order %s"), job->number);

  left = new_layout (job, job->small, left_text, content_width (job) * 0.7, PANGO_ALIGN_LEFT);
  pango_layout_set_ellipsize (left, PANGO_ELLIPSIZE_END);
  right = new_layout (job, job->small, text, content_width (job) * 0.3, PANGO_ALIGN_RIGHT);
  hline (cr, MARGIN_X, MARGIN_X + content_width (job), y - 5, 0.5, 0.85);
  show (cr, left, MARGIN_X, y, 0.45);
  show (cr, right, MARGIN_X + content_width (job) * 0.7, y, 0.45);
}

/* Pagination */

static void
prepare_pango (PrintJob *job,
               cairo_t  *cr)
{
  cairo_font_options_t *options = cairo_font_options_create ();

  g_clear_object (&job->pango);
  job->pango = pango_cairo_create_context (cr);
  /* Points, and the same text widths on screen, printer and PDF. */
  pango_cairo_context_set_resolution (job->pango, 72);
  cairo_font_options_set_hint_metrics (options, CAIRO_HINT_METRICS_OFF);
  cairo_font_options_set_hint_style (options, CAIRO_HINT_STYLE_NONE);
  pango_cairo_context_set_font_options (job->pango, options);
  cairo_font_options_destroy (options);
}

static void
add_block (PrintJob  *job,
           BlockKind  kind,
           guint      index,
           double     height,
           double     baseline)
{
  Block block = { .kind = kind, .index = index, .height = height, .baseline = baseline };

  g_array_append_val (job->blocks, block);
}

static void
paginate (PrintJob *job,
          cairo_t  *cr,
          double    page_width,
          double    page_height)
{
  guint n_items = ord_order_get_n_items (job->order);
  double top = MARGIN_TOP, bottom, y;
  gboolean need_header = TRUE;
  guint page = 0;

  job->page_width = page_width;
  job->page_height = page_height;
  prepare_pango (job, cr);
  g_array_set_size (job->blocks, 0);
  bottom = content_bottom (job);
  compute_columns (job);

  /* Measure every block. */
  add_block (job, BLOCK_HEADER, 0, draw_header (job, NULL, top), 0);
  for (guint i = 0; i < n_items; i++)
    add_block (job, BLOCK_ROW, i, draw_item_row (job, NULL, 0, i), 0);
  add_block (job, BLOCK_TOTALS, 0, draw_totals (job, NULL, 0), 0);
  if (job->notes != NULL)
    {
      g_autoptr(PangoLayout) notes = new_notes_layout (job);
      PangoLayoutIter *iter = pango_layout_get_iter (notes);
      guint line = 0;

      add_block (job, BLOCK_NOTES_TITLE, 0, draw_notes_title (job, NULL, 0), 0);
      do
        {
          int y0, y1;

          pango_layout_iter_get_line_yrange (iter, &y0, &y1);
          add_block (job, BLOCK_NOTES_LINE, line++, pango_units_to_double (y1 - y0),
                     pango_units_to_double (pango_layout_iter_get_baseline (iter) - y0));
        }
      while (pango_layout_iter_next_line (iter));
      pango_layout_iter_free (iter);
    }
  job->table_header_height = draw_table_header (job, NULL, 0);
  job->continued_height = draw_continued (job, NULL, 0);

  /* Flow them onto pages. A block that does not fit starts a page, unless
   * it is already at the top of one (then it is cut at the bottom rather
   * than pushing empty pages forever). */
  y = top;
  for (guint i = 0; i < job->blocks->len; i++)
    {
      Block *block = &g_array_index (job->blocks, Block, i);
      double need = block->height;

      if (block->kind == BLOCK_ROW && need_header)
        need += job->table_header_height;
      /* The notes' heading stays with their first line. */
      if (block->kind == BLOCK_NOTES_TITLE && i + 1 < job->blocks->len)
        need += g_array_index (job->blocks, Block, i + 1).height;

      if (y + need > bottom && y > top + job->continued_height + 0.5 &&
          block->kind != BLOCK_HEADER)
        {
          page++;
          y = top + job->continued_height;
          need_header = TRUE;
        }
      if (block->kind == BLOCK_ROW && need_header)
        {
          block->header_before = TRUE;
          y += job->table_header_height;
          need_header = FALSE;
        }
      block->page = page;
      block->y = y;
      y += block->height;
    }
  job->n_pages = page + 1;
}

static void
draw_page (PrintJob *job,
           cairo_t  *cr,
           guint     page)
{
  g_autoptr(PangoLayout) notes = NULL;

  pango_cairo_update_context (cr, job->pango);

  if (page > 0)
    draw_continued (job, cr, MARGIN_TOP);
  draw_footer (job, cr, page);

  for (guint i = 0; i < job->blocks->len; i++)
    {
      Block *block = &g_array_index (job->blocks, Block, i);

      if (block->page != page)
        continue;

      switch (block->kind)
        {
        case BLOCK_HEADER:
          draw_header (job, cr, block->y);
          break;
        case BLOCK_ROW:
          if (block->header_before)
            draw_table_header (job, cr, block->y - job->table_header_height);
          draw_item_row (job, cr, block->y, block->index);
          break;
        case BLOCK_TOTALS:
          draw_totals (job, cr, block->y);
          break;
        case BLOCK_NOTES_TITLE:
          draw_notes_title (job, cr, block->y);
          break;
        case BLOCK_NOTES_LINE:
          if (notes == NULL)
            notes = new_notes_layout (job);
          cairo_set_source_rgb (cr, 0.15, 0.15, 0.15);
          cairo_move_to (cr, MARGIN_X, block->y + block->baseline);
          pango_cairo_show_layout_line (cr, pango_layout_get_line_readonly (notes,
                                                                            block->index));
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

/* PDF */

typedef struct
{
  GOutputStream *stream;
  GError        *error;
} PdfWriter;

static cairo_status_t
write_pdf (void                *closure,
           const unsigned char *data,
           unsigned int         length)
{
  PdfWriter *writer = closure;

  if (writer->error != NULL)
    return CAIRO_STATUS_WRITE_ERROR;
  if (!g_output_stream_write_all (writer->stream, data, length, NULL, NULL, &writer->error))
    return CAIRO_STATUS_WRITE_ERROR;
  return CAIRO_STATUS_SUCCESS;
}

/* "Could not save “/path/order.pdf”: …", unless GIO's message already
 * names the file. */
static void
propagate_save_error (GError    **dest,
                      GError     *src,
                      const char *name)
{
  if (strstr (src->message, name) != NULL)
    g_propagate_error (dest, src);
  else
    g_propagate_prefixed_error (dest, src, _("Could not save “%s”: "), name);
}

/**
 * ord_order_print_to_pdf:
 * @order: the order
 * @settings: (nullable): where the business name and address come from
 * @file: the PDF file to write; replaced only once it is complete
 * @error: return location for an error naming @file
 *
 * Returns: %TRUE when @file holds the order
 */
gboolean
ord_order_print_to_pdf (OrdOrder   *order,
                        GSettings  *settings,
                        GFile      *file,
                        GError    **error)
{
  g_autoptr(PrintJob) job = NULL;
  g_autoptr(GtkPaperSize) paper = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  g_autofree char *name = NULL;
  g_autofree char *title = NULL;
  PdfWriter writer = { NULL, NULL };
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double width, height;

  g_return_val_if_fail (ORD_IS_ORDER (order), FALSE);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  name = g_file_get_parse_name (file);
  stream = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                           &writer.error);
  if (stream == NULL)
    {
      propagate_save_error (error, writer.error, name);
      return FALSE;
    }
  writer.stream = G_OUTPUT_STREAM (stream);

  /* The locale's paper: A4 in most of the world, Letter in North America. */
  paper = gtk_paper_size_new (NULL);
  width = gtk_paper_size_get_width (paper, GTK_UNIT_POINTS);
  height = gtk_paper_size_get_height (paper, GTK_UNIT_POINTS);

  job = print_job_new (order, settings);
  surface = cairo_pdf_surface_create_for_stream (write_pdf, &writer, width, height);
  /* Translators: the title of an exported order's PDF; %s is the order number */
  title = g_strdup_printf (_("Order %s"), job->number);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);
  if (job->business_name != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_AUTHOR, job->business_name);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);

  cr = cairo_create (surface);
  paginate (job, cr, width, height);
  for (guint page = 0; page < job->n_pages; page++)
    {
      cairo_save (cr);
      draw_page (job, cr, page);
      cairo_restore (cr);
      cairo_show_page (cr);
    }
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (writer.error == NULL && status != CAIRO_STATUS_SUCCESS)
    g_set_error_literal (&writer.error, ORD_ORDER_PRINT_ERROR, ORD_ORDER_PRINT_ERROR_FAILED,
                         cairo_status_to_string (status));

  if (writer.error != NULL)
    {
      /* A cancelled close leaves the old file (or none) in place. */
      abandon = g_cancellable_new ();
      g_cancellable_cancel (abandon);
      g_output_stream_close (writer.stream, abandon, NULL);
      propagate_save_error (error, writer.error, name);
      return FALSE;
    }

  if (!g_output_stream_close (writer.stream, NULL, &writer.error))
    {
      propagate_save_error (error, writer.error, name);
      return FALSE;
    }

  return TRUE;
}

/* Printing */

static void
on_begin_print (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                PrintJob          *job)
{
  paginate (job, gtk_print_context_get_cairo_context (context),
            gtk_print_context_get_width (context), gtk_print_context_get_height (context));
  gtk_print_operation_set_n_pages (operation, job->n_pages);
}

static void
on_draw_page (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page_nr,
              PrintJob          *job)
{
  draw_page (job, gtk_print_context_get_cairo_context (context), page_nr);
}

static void
show_print_error (GtkWindow    *parent,
                  const GError *error)
{
  GtkWidget *dialog = adw_message_dialog_new (parent, _("Could Not Print the Order"),
                                              error->message);

  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_done (GtkPrintOperation       *operation,
         GtkPrintOperationResult  result,
         PrintJob                *job)
{
  if (result == GTK_PRINT_OPERATION_RESULT_ERROR)
    {
      g_autoptr(GError) error = NULL;

      gtk_print_operation_get_error (operation, &error);
      if (error != NULL)
        show_print_error (job->parent, error);
    }
  /* The reference taken when the dialog went up. */
  g_object_unref (operation);
}

/**
 * ord_order_print_operation_new:
 * @order: the order
 * @settings: (nullable): where the business name and address come from
 *
 * A print operation that lays out @order; ord_order_print_run() shows it
 * with the print dialog, tests export it.
 *
 * Returns: (transfer full): the operation
 */
GtkPrintOperation *
ord_order_print_operation_new (OrdOrder  *order,
                               GSettings *settings)
{
  GtkPrintOperation *operation;
  PrintJob *job;
  g_autofree char *title = NULL;

  g_return_val_if_fail (ORD_IS_ORDER (order), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  job = print_job_new (order, settings);
  operation = gtk_print_operation_new ();
  /* Translators: the name of a print job; %s is the order number */
  title = g_strdup_printf (_("Order %s"), job->number);
  gtk_print_operation_set_job_name (operation, title);
  /* The layout is in points from the paper's corner, as in the PDF. */
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_use_full_page (operation, TRUE);
  gtk_print_operation_set_embed_page_setup (operation, TRUE);
  g_signal_connect (operation, "begin-print", G_CALLBACK (on_begin_print), job);
  g_signal_connect (operation, "draw-page", G_CALLBACK (on_draw_page), job);
  g_object_set_data_full (G_OBJECT (operation), "ord-print-job", job,
                          (GDestroyNotify) print_job_free);
  return operation;
}

/**
 * ord_order_print_run:
 * @order: the order
 * @settings: (nullable): where the business name and address come from
 * @parent: (nullable): the window the print dialog belongs to
 *
 * Shows the print dialog and prints @order. Errors are shown in a dialog.
 */
void
ord_order_print_run (OrdOrder  *order,
                     GSettings *settings,
                     GtkWindow *parent)
{
  g_autoptr(GError) error = NULL;
  GtkPrintOperation *operation;
  GtkPrintOperationResult result;
  PrintJob *job;

  g_return_if_fail (ORD_IS_ORDER (order));
  g_return_if_fail (settings == NULL || G_IS_SETTINGS (settings));
  g_return_if_fail (parent == NULL || GTK_IS_WINDOW (parent));

  operation = ord_order_print_operation_new (order, settings);
  job = g_object_get_data (G_OBJECT (operation), "ord-print-job");
  g_set_weak_pointer (&job->parent, parent);
  gtk_print_operation_set_allow_async (operation, TRUE);

  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG,
                                    parent, &error);
  if (result == GTK_PRINT_OPERATION_RESULT_IN_PROGRESS)
    {
      /* on_done() drops the operation once the dialog and the job are over. */
      g_signal_connect (operation, "done", G_CALLBACK (on_done), job);
      return;
    }

  if (result == GTK_PRINT_OPERATION_RESULT_ERROR && error != NULL)
    show_print_error (parent, error);
  g_object_unref (operation);
}
