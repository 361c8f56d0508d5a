/* test-order-print.c: an order with many lines, printed to PDF and read back
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PDF is read back with poppler's pdftotext and pdfinfo
 * (build-aux/deps.sh installs poppler-utils).
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>

#include "ord-context.h"
#include "ord-order-editor-private.h"
#include "ord-order-print.h"
#include "ord-ui-format.h"
#include "ui-test-util.h"

#define N_LINES       150
#define BUSINESS      "Backstube Morgenrot GmbH"
#define ADDRESS       "Lindenstraße 12\n10969 Berlin"
#define CUSTOMER      "Zoë Fairbanks-Lindqvist"
#define NUMBER        "2026-004217"

static const char *adjectives[] = {
  "Rye", "Spelt", "Seeded", "Müsli", "Honey", "Walnut", "Buttermilk",
};
static const char *nouns[] = {
  "sourdough loaf", "rolls", "baguette", "croissant", "pretzel", "cake slice",
  "bagel", "focaccia", "brioche", "scone", "cookie tin",
};

static char *
line_name (guint i)
{
  return g_strdup_printf ("%s %s no. %03u", adjectives[i % G_N_ELEMENTS (adjectives)],
                          nouns[i % G_N_ELEMENTS (nouns)], i + 1);
}

/* 150 lines, a line discount on every seventh, an order discount and 7 %
 * tax. Returns the total worked out here from the lines. */
static OrdOrder *
make_order (gint64 *expected_total)
{
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(GError) error = NULL;
  gint64 subtotal = 0, tax_base, tax;

  ord_order_set_number (order, NUMBER);
  ord_order_set_customer_name (order, CUSTOMER);
  ord_order_set_currency (order, "EUR");
  ord_order_set_status (order, ORD_STATUS_CONFIRMED);
  ord_order_set_created_at (order, (gint64) 1774000000 * G_USEC_PER_SEC);
  ord_order_set_due_at (order, (gint64) 1774200000 * G_USEC_PER_SEC);
  ord_order_set_notes (order, "Deliver to the back door, before 7:00.\n"
                       "The café’s name is on the bell. Please ring twice and wait: the "
                       "kitchen is at the back of the building and it takes a moment to "
                       "get to the door, especially on Saturday mornings.");
  ord_order_set_discount (order, 500);
  ord_order_set_tax_rate (order, 700);

  for (guint i = 0; i < N_LINES; i++)
    {
      g_autoptr(OrdOrderItem) item = ord_order_item_new ();
      g_autofree char *name = line_name (i);
      g_autofree char *sku = g_strdup_printf ("BK-%04u", 100 + i);
      gint64 price = 95 + (i * 37) % 2400, quantity = 1 + i % 9;
      gint64 discount = i % 7 == 0 ? price / 4 : 0;

      ord_order_item_set_sku (item, sku);
      ord_order_item_set_name (item, name);
      ord_order_item_set_unit_price (item, price);
      ord_order_item_set_quantity (item, quantity);
      ord_order_item_set_discount (item, discount);
      ord_order_add_item (order, item);
      subtotal += price * quantity - discount;
    }
  ord_order_compute_totals (order, &error);
  g_assert_no_error (error);

  /* DESIGN §3: tax once per order on (subtotal − discount), to the
   * nearest cent, halves away from zero (all positive here). */
  tax_base = subtotal - 500;
  tax = (tax_base * 700 + 5000) / 10000;
  *expected_total = tax_base + tax;

  return g_steal_pointer (&order);
}

static GSettings *
business_settings (void)
{
  GSettings *settings = ord_settings_new_if_installed ();

  if (settings != NULL)
    {
      g_settings_set_string (settings, "business-name", BUSINESS);
      g_settings_set_string (settings, "business-address", ADDRESS);
    }
  return settings;
}

static char *
run_tool (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                &status, &error);
  g_assert_no_error (error);
  g_spawn_check_wait_status (status, &error);
  g_assert_no_error (error);
  return out;
}

/* The text of @path with every run of blanks and newlines made one space,
 * so that a name the layout wrapped still reads as one. */
static char *
pdf_text (const char *path)
{
  const char *argv[] = { "pdftotext", "-raw", "-enc", "UTF-8", path, "-", NULL };
  g_autofree char *raw = run_tool (argv);
  g_auto(GStrv) words = g_strsplit_set (raw, " \n\t\f", -1);
  GString *text = g_string_new (" ");

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      {
        g_string_append (text, words[i]);
        g_string_append_c (text, ' ');
      }
  return g_string_free (text, FALSE);
}

static guint
pdf_pages (const char *path)
{
  const char *argv[] = { "pdfinfo", path, NULL };
  g_autofree char *info = run_tool (argv);
  const char *pages = strstr (info, "\nPages:");

  g_assert_nonnull (pages);
  return (guint) g_ascii_strtoull (pages + strlen ("\nPages:"), NULL, 10);
}

static guint
count_occurrences (const char *haystack,
                   const char *needle)
{
  guint n = 0;

  for (const char *p = strstr (haystack, needle); p != NULL; p = strstr (p + 1, needle))
    n++;
  return n;
}

static void
assert_contains (const char *text,
                 const char *needle)
{
  if (strstr (text, needle) == NULL)
    g_error ("“%s” is not in the PDF", needle);
}

/* What a person reading the PDF must find, whichever way it was made. */
static void
check_pdf (const char *path,
           OrdOrder   *order,
           gboolean    with_business,
           gint64      expected_total)
{
  g_autofree char *text = pdf_text (path);
  g_autofree char *total = ord_format_order_total (expected_total, "EUR");
  g_autofree char *first_page = NULL;
  g_autofree char *last_page = NULL;
  guint n_pages = pdf_pages (path);

  g_assert_cmpint (ord_order_get_total (order), ==, expected_total);

  g_assert_cmpuint (n_pages, >, 1);
  if (with_business)
    {
      assert_contains (text, BUSINESS);
      assert_contains (text, "Lindenstraße 12");
    }
  assert_contains (text, NUMBER);
  assert_contains (text, CUSTOMER);
  assert_contains (text, total);
  assert_contains (text, "Deliver to the back door, before 7:00.");
  assert_contains (text, "especially on Saturday mornings.");
  for (guint i = 0; i < N_LINES; i++)
    {
      g_autofree char *name = line_name (i);
      g_autofree char *sku = g_strdup_printf ("BK-%04u", 100 + i);

      assert_contains (text, name);
      assert_contains (text, sku);
    }

  /* Every page has the table header and its number out of the total. */
  first_page = g_strdup_printf ("Page 1 of %u", n_pages);
  last_page = g_strdup_printf ("Page %u of %u", n_pages, n_pages);
  assert_contains (text, first_page);
  assert_contains (text, last_page);
  g_assert_cmpuint (count_occurrences (text, "Unit price"), ==, n_pages);
}

static gboolean
have_poppler (void)
{
  g_autofree char *pdftotext = g_find_program_in_path ("pdftotext");
  g_autofree char *pdfinfo = g_find_program_in_path ("pdfinfo");

  if (pdftotext == NULL || pdfinfo == NULL)
    g_test_skip ("pdftotext and pdfinfo are missing (apt-get install poppler-utils)");
  return pdftotext != NULL && pdfinfo != NULL;
}

static void
test_pdf (void)
{
  g_autoptr(GSettings) settings = business_settings ();
  g_autofree char *dir = g_dir_make_tmp ("order-print-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "order.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) order = NULL;
  gint64 expected_total;

  if (!have_poppler ())
    return;

  order = make_order (&expected_total);
  g_assert_true (ord_order_print_to_pdf (order, settings, file, &error));
  g_assert_no_error (error);
  check_pdf (path, order, settings != NULL, expected_total);

  /* Exporting again replaces the file. */
  g_assert_true (ord_order_print_to_pdf (order, settings, file, &error));
  g_assert_no_error (error);
  check_pdf (path, order, settings != NULL, expected_total);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The print dialog's way: the same drawing through GtkPrintOperation. */
static void
test_print_operation (void)
{
  g_autoptr(GSettings) settings = business_settings ();
  g_autofree char *dir = g_dir_make_tmp ("order-print-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "printed.pdf", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(GtkPrintOperation) operation = NULL;
  GtkPrintOperationResult result;
  gint64 expected_total;

  if (!have_poppler ())
    return;

  order = make_order (&expected_total);
  operation = ord_order_print_operation_new (order, settings);
  gtk_print_operation_set_export_filename (operation, path);
  result = gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_EXPORT, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (result, ==, GTK_PRINT_OPERATION_RESULT_APPLY);
  check_pdf (path, order, settings != NULL, expected_total);

  g_assert_cmpint (g_unlink (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_bad_path (void)
{
  g_autofree char *dir = g_dir_make_tmp ("order-print-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "no such folder", "order.pdf", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdOrder) order = NULL;
  gint64 expected_total;

  order = make_order (&expected_total);
  g_assert_false (ord_order_print_to_pdf (order, NULL, file, &error));
  g_assert_nonnull (error);
  /* The message says which file could not be written. */
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, path));
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

/* The editor's Export as PDF: only for a saved order; what the chooser
 * accepts is written. */
static void
test_editor_export (void)
{
  g_autoptr(GSettings) settings = business_settings ();
  g_autoptr(OrdContext) context = NULL;
  g_autoptr(OrdCustomer) customer = ord_customer_new ();
  g_autoptr(OrdOrder) order = ord_order_new ();
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GFile) folder = NULL;
  g_autofree char *expected_name = NULL;
  OrdOrderEditor *editor;
  GtkFileChooser *chooser;
  GFile *chosen;
  gint64 deadline;
  UiTestDb db;

  if (!have_poppler ())
    return;

  ui_test_db_init (&db);
  context = ord_context_new (db.store, settings);
  ord_customer_set_name (customer, CUSTOMER);
  ord_store_save_customer (db.store, customer, &error);
  g_assert_no_error (error);
  ord_order_set_customer_id (order, ord_customer_get_id (customer));
  ord_order_set_currency (order, "EUR");
  ord_order_item_set_name (item, "Rye sourdough loaf");
  ord_order_item_set_unit_price (item, 540);
  ord_order_item_set_quantity (item, 3);
  ord_order_add_item (order, item);
  ord_store_create_order (db.store, order, &error);
  g_assert_no_error (error);

  /* A new order has nothing to print yet. */
  editor = ord_order_editor_new (NULL, context, NULL);
  gtk_window_present (GTK_WINDOW (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.export-pdf", NULL);
  g_assert_null (g_object_get_data (G_OBJECT (editor), "ord-export-chooser"));
  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_finalize_object (editor);

  editor = ord_order_editor_new (NULL, context, ord_order_get_id (order));
  gtk_window_present (GTK_WINDOW (editor));
  gtk_widget_activate_action (GTK_WIDGET (editor), "editor.export-pdf", NULL);
  g_assert_true (GTK_IS_FILE_CHOOSER (g_object_get_data (G_OBJECT (editor),
                                                         "ord-export-chooser")));
  expected_name = g_strdup_printf ("Order %s.pdf", ord_order_get_provisional_number (order));

  /* The user picks the folder and keeps the suggested name; the chooser
   * takes a moment to show the folder. */
  chooser = g_object_get_data (G_OBJECT (editor), "ord-export-chooser");
  g_assert_cmpstr (gtk_file_chooser_get_current_name (chooser), ==, expected_name);
  folder = g_file_new_for_path (db.dir);
  gtk_file_chooser_set_current_folder (chooser, folder, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while ((chosen = gtk_file_chooser_get_file (chooser)) == NULL &&
         g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_nonnull (chosen);
  g_clear_object (&chosen);
  /* Export, as the chooser's button does (it hides, then answers). */
  gtk_native_dialog_hide (GTK_NATIVE_DIALOG (chooser));
  g_signal_emit_by_name (chooser, "response", GTK_RESPONSE_ACCEPT);
  g_assert_null (g_object_get_data (G_OBJECT (editor), "ord-export-chooser"));

  path = g_build_filename (db.dir, expected_name, NULL);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  text = pdf_text (path);
  assert_contains (text, CUSTOMER);
  assert_contains (text, "Rye sourdough loaf");
  assert_contains (text, "€16.20");
  g_assert_cmpint (g_unlink (path), ==, 0);

  g_object_ref (editor);
  gtk_window_destroy (GTK_WINDOW (editor));
  g_assert_finalize_object (editor);
  g_clear_object (&context);
  ui_test_db_clear (&db);
}

static void
test_no_display (void)
{
  g_test_skip ("no display: run under xvfb-run");
}

int
main (int   argc,
      char *argv[])
{
  /* The PDF is checked as the C locale writes it. */
  gtk_disable_setlocale ();
  g_test_init (&argc, &argv, NULL);
  if (!gtk_init_check ())
    {
      g_test_add_func ("/order-print/no-display", test_no_display);
      return g_test_run ();
    }
  adw_init ();

  g_test_add_func ("/order-print/pdf", test_pdf);
  g_test_add_func ("/order-print/print-operation", test_print_operation);
  g_test_add_func ("/order-print/bad-path", test_bad_path);
  g_test_add_func ("/order-print/editor-export", test_editor_export);

  return g_test_run ();
}
