/* orderlyctl.c: Orderly on the command line
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "orderlyctl"

#include "config.h"

#include <glib/gi18n.h>
#include <gio/gunixoutputstream.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ord-core.h"
#include "ord-demo.h"
#include "ord-import.h"
#include "ord-cli-analytics.h"
#include "ord-cli-sync.h"

#define EXIT_USAGE 2

static char *opt_database;
static char *opt_role;
static char *opt_actor;

static const GOptionEntry global_entries[] = {
  { "database", 'd', 0, G_OPTION_ARG_FILENAME, &opt_database,
    N_("The database file (default: $XDG_DATA_HOME/orderly/orderly.db)"), N_("PATH") },
  { "role", 0, 0, G_OPTION_ARG_STRING, &opt_role,
    N_("Act as “owner” (default) or “customer”"), N_("ROLE") },
  { "actor", 0, 0, G_OPTION_ARG_STRING, &opt_actor,
    N_("Name written into the order timeline"), N_("NAME") },
  { NULL }
};

typedef int (*CommandFunc) (int argc, char **argv);

typedef struct
{
  const char  *name;
  CommandFunc  func;
  const char  *args;
  const char  *summary;
} Command;

static void
print_error (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);

  fprintf (stderr, "orderlyctl: %s\n", message);
}

/* Parses the options of one command; the global ones are accepted there
 * too, so "orderlyctl list --database x.db" works like the other order. */
static gboolean
parse_command (const char          *name,
               const char          *args,
               const char          *summary,
               const GOptionEntry  *entries,
               int                 *argc,
               char              ***argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  context = g_option_context_new (args);
  g_option_context_set_summary (context, summary);
  if (entries)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_add_main_entries (context, global_entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error ("%s: %s (see “orderlyctl %s --help”)", name, error->message, name);
      return FALSE;
    }

  return TRUE;
}

static OrdStore *
open_store (void)
{
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = opt_database ? g_strdup (opt_database) : ord_default_database_path ();
  OrdRole role = ORD_ROLE_OWNER;

  if (opt_role && !ord_role_from_string (opt_role, &role))
    {
      print_error (_("--role: “%s” is not a role; use “owner” or “customer”"), opt_role);
      return NULL;
    }

  store = ord_store_new (path, &error);
  if (store == NULL)
    {
      print_error ("%s", error->message);
      return NULL;
    }
  ord_store_set_actor (store, role, opt_actor);

  return g_steal_pointer (&store);
}

/* "2026-11-25", "2026-11-25 17:00", "2026-11-25T17:00:00Z": local time
 * unless the text names a zone. */
static gboolean
parse_time (const char  *option,
            const char  *text,
            gint64      *out)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  int y, m, d, hh = 0, mm = 0;
  char sep;

  dt = g_date_time_new_from_iso8601 (text, local);
  if (dt == NULL)
    {
      int n = sscanf (text, "%d-%d-%d%c%d:%d", &y, &m, &d, &sep, &hh, &mm);

      if (n == 3 || (n == 6 && (sep == ' ' || sep == 'T')))
        dt = g_date_time_new (local, y, m, d, hh, mm, 0);
    }

  if (dt == NULL)
    {
      print_error (_("%s: “%s” is not a date; write it as 2026-11-25 or 2026-11-25 17:00"),
                   option, text);
      return FALSE;
    }

  *out = g_date_time_to_unix (dt) * G_USEC_PER_SEC + g_date_time_get_microsecond (dt);
  return TRUE;
}

static char *
format_time (gint64 usec)
{
  g_autoptr(GDateTime) dt = NULL;

  if (usec == 0)
    return g_strdup ("—");
  dt = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);
  return g_date_time_format (dt, "%Y-%m-%d %H:%M");
}

static char *
format_money (gint64      amount,
              const char *currency)
{
  OrdMoney money = ord_money_init (amount, currency);

  return ord_money_format (&money);
}

static gboolean
parse_status_list (const char *text,
                   guint      *mask)
{
  g_auto(GStrv) parts = g_strsplit (text, ",", -1);

  *mask = 0;
  for (guint i = 0; parts[i]; i++)
    {
      OrdStatus s;
      g_strstrip (parts[i]);

      if (g_strcmp0 (parts[i], "open") == 0)
        {
          *mask |= (1u << ORD_STATUS_PENDING) | (1u << ORD_STATUS_CONFIRMED) |
                   (1u << ORD_STATUS_PREPARING) | (1u << ORD_STATUS_SHIPPED);
          continue;
        }
      if (!ord_status_from_string (parts[i], &s))
        {
          print_error (_("--status: “%s” is not a status; use pending, confirmed, preparing, "
                         "shipped, delivered, cancelled or open"), parts[i]);
          return FALSE;
        }
      *mask |= 1u << s;
    }

  return TRUE;
}

static gboolean
parse_sort (const char *text,
            OrdSortKey *sort)
{
  const char *names[] = { "created", "due", "total", "number", "customer" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (text, names[i]) == 0)
      {
        *sort = i;
        return TRUE;
      }

  print_error (_("--sort: “%s” is not a column; use created, due, total, number or customer"),
               text);
  return FALSE;
}

/* A number, a provisional number or an id. */
static OrdOrder *
find_order (OrdStore   *store,
            const char *ref)
{
  g_autoptr(GError) error = NULL;
  OrdOrder *order = NULL;

  if (ord_uuid_is_valid (ref))
    order = ord_store_get_order (store, ref, NULL);
  if (order == NULL)
    order = ord_store_get_order_by_number (store, ref, &error);
  if (order == NULL)
    print_error (_("No order “%s” (give its number, like T1-0001, or its id)"), ref);

  return order;
}

/* An id, or a name/email that matches exactly one customer. */
static OrdCustomer *
find_customer (OrdStore   *store,
               const char *ref,
               gboolean    quiet)
{
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GError) error = NULL;
  OrdCustomer *exact = NULL;

  if (ord_uuid_is_valid (ref))
    {
      OrdCustomer *c = ord_store_get_customer (store, ref, NULL);
      if (c)
        return c;
    }

  found = ord_store_find_customers (store, ref, 20, &error);
  if (found == NULL)
    {
      print_error ("%s", error->message);
      return NULL;
    }

  for (guint i = 0; i < found->len; i++)
    {
      OrdCustomer *c = g_ptr_array_index (found, i);

      if (g_ascii_strcasecmp (ord_customer_get_name (c), ref) == 0 ||
          g_ascii_strcasecmp (ord_customer_get_email (c) ? ord_customer_get_email (c) : "", ref) == 0)
        {
          exact = c;
          break;
        }
    }
  if (exact)
    return g_object_ref (exact);
  if (found->len == 1)
    return g_object_ref (g_ptr_array_index (found, 0));

  if (!quiet)
    {
      if (found->len == 0)
        print_error (_("No customer matches “%s”"), ref);
      else
        print_error (_("%u customers match “%s”; give the full name, email or id"), found->len, ref);
    }

  return NULL;
}

static void
progress_print (double   fraction,
                gpointer user_data)
{
  static int last = -1;
  int pct = (int) (fraction * 100);

  if (isatty (fileno (stderr)) && pct != last)
    {
      fprintf (stderr, "\r%s %3d%%", (const char *) user_data, pct);
      if (pct >= 100)
        fputc ('\n', stderr);
      last = pct;
    }
}

/* ------------------------------------------------------------------ */

static int
cmd_demo (int    argc,
          char **argv)
{
  int orders = 5000;
  gint64 seed = 1;
  g_autofree char *end = NULL;
  const GOptionEntry entries[] = {
    { "orders", 'n', 0, G_OPTION_ARG_INT, &orders, N_("How many orders (default 5000)"), "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed, N_("Random seed: same seed, same shop"), "S" },
    { "end", 0, 0, G_OPTION_ARG_STRING, &end, N_("The shop’s “today” (default: today)"), N_("DATE") },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  OrdDemoOptions options = { 0 };
  gint64 t0;

  if (!parse_command ("demo", NULL, _("Fill the database with a believable demo shop."),
                      entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error (_("demo: unexpected argument “%s”"), argv[2]);
      return EXIT_USAGE;
    }
  if (orders <= 0)
    {
      print_error (_("--orders: %d must be a positive number"), orders);
      return EXIT_USAGE;
    }
  if (seed < 0)
    {
      print_error (_("--seed: %lld must not be negative"), (long long) seed);
      return EXIT_USAGE;
    }
  options.n_orders = orders;
  options.seed = seed;
  if (end && !parse_time ("--end", end, &options.end_time))
    return EXIT_USAGE;

  if (!(store = open_store ()))
    return EXIT_FAILURE;

  t0 = g_get_monotonic_time ();
  if (!ord_demo_generate (store, &options, progress_print, (gpointer) _("Creating demo data"),
                          NULL, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE;
    }

  printf (_("Created a demo shop with %d orders in %.1f s (seed %lld).\n"),
          orders, (g_get_monotonic_time () - t0) / 1e6, (long long) seed);
  return EXIT_SUCCESS;
}

static int
cmd_import (int    argc,
            char **argv)
{
  g_autofree char *format_name = NULL;
  gboolean strict = FALSE;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_name,
      N_("orderly, online-retail or auto (default: from the header)"), N_("FORMAT") },
    { "strict", 0, 0, G_OPTION_ARG_NONE, &strict,
      N_("Exit with status 3 when any row was rejected"), NULL },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdImportReport) report = NULL;
  g_autoptr(GFile) file = NULL;
  OrdImportFormat format = ORD_IMPORT_FORMAT_AUTO;
  gint64 t0;
  double secs;

  if (!parse_command ("import", "FILE", _("Import orders from a CSV file (.csv or .csv.gz)."),
                      entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3)
    {
      print_error (_("import: give exactly one file (see “orderlyctl import --help”)"));
      return EXIT_USAGE;
    }
  if (format_name && !ord_import_format_from_string (format_name, &format))
    {
      print_error (_("--format: “%s” is not a format; use orderly, online-retail or auto"),
                   format_name);
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;

  file = g_file_new_for_commandline_arg (argv[2]);
  t0 = g_get_monotonic_time ();
  report = ord_import_file (store, file, format, progress_print, (gpointer) _("Importing"),
                            NULL, &error);
  if (report == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE;
    }
  secs = (g_get_monotonic_time () - t0) / 1e6;

  if (report->problems->len > 0)
    {
      g_autofree char *problems = ord_import_report_format_problems (report);

      fputs (problems, stderr);
      if (problems[0] && problems[strlen (problems) - 1] != '\n')
        fputc ('\n', stderr);
    }

  printf (_("Read %llu rows in %.2f s: %u orders imported, %u already present, "
            "%u rejected; %u new customers, %u new products.\n"),
          (unsigned long long) report->lines_read, secs, report->orders_imported, report->orders_skipped,
          report->orders_rejected, report->customers_created, report->products_created);

  if (strict && report->orders_rejected > 0)
    return 3;
  return EXIT_SUCCESS;
}

/* The filters that list and export share. */
static char *f_status, *f_from, *f_to, *f_customer, *f_search, *f_sort;
static gboolean f_desc, f_asc;

static const GOptionEntry filter_entries[] = {
  { "status", 0, 0, G_OPTION_ARG_STRING, &f_status,
    N_("Only these statuses, comma-separated (or “open”)"), N_("LIST") },
  { "from", 0, 0, G_OPTION_ARG_STRING, &f_from, N_("Created on or after"), N_("DATE") },
  { "to", 0, 0, G_OPTION_ARG_STRING, &f_to, N_("Created before"), N_("DATE") },
  { "customer", 'c', 0, G_OPTION_ARG_STRING, &f_customer, N_("One customer (name, email or id)"),
    N_("CUSTOMER") },
  { "search", 'q', 0, G_OPTION_ARG_STRING, &f_search,
    N_("Words in number, customer, notes or items"), N_("TEXT") },
  { "sort", 0, 0, G_OPTION_ARG_STRING, &f_sort,
    N_("created (default), due, total, number or customer"), N_("KEY") },
  { "desc", 0, 0, G_OPTION_ARG_NONE, &f_desc, N_("Descending (the default for created)"), NULL },
  { "asc", 0, 0, G_OPTION_ARG_NONE, &f_asc, N_("Ascending"), NULL },
  { NULL }
};

static gboolean
build_query (OrdStore       *store,
             OrdOrderQuery  *q,
             char          **customer_id)
{
  memset (q, 0, sizeof *q);
  q->sort = ORD_SORT_CREATED;
  q->descending = TRUE;

  if (f_status && !parse_status_list (f_status, &q->status_mask))
    return FALSE;
  if (f_sort)
    {
      if (!parse_sort (f_sort, &q->sort))
        return FALSE;
      q->descending = q->sort == ORD_SORT_CREATED || q->sort == ORD_SORT_TOTAL;
    }
  if (f_desc && f_asc)
    {
      print_error (_("--asc and --desc cannot be used together"));
      return FALSE;
    }
  if (f_desc)
    q->descending = TRUE;
  if (f_asc)
    q->descending = FALSE;
  if (f_from && !parse_time ("--from", f_from, &q->created_from))
    return FALSE;
  if (f_to && !parse_time ("--to", f_to, &q->created_to))
    return FALSE;
  if (f_customer)
    {
      g_autoptr(OrdCustomer) c = find_customer (store, f_customer, FALSE);

      if (c == NULL)
        return FALSE;
      *customer_id = g_strdup (ord_customer_get_id (c));
      q->customer_id = *customer_id;
    }
  q->text = f_search;

  return TRUE;
}

static void
add_order_json (JsonBuilder *b,
                OrdOrder    *o,
                gboolean     with_items)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, ord_order_get_id (o));
  json_builder_set_member_name (b, "number");
  json_builder_add_string_value (b, ord_order_get_number (o));
  if (ord_order_get_provisional_number (o))
    {
      json_builder_set_member_name (b, "provisional_number");
      json_builder_add_string_value (b, ord_order_get_provisional_number (o));
    }
  json_builder_set_member_name (b, "customer_id");
  json_builder_add_string_value (b, ord_order_get_customer_id (o));
  json_builder_set_member_name (b, "customer");
  json_builder_add_string_value (b, ord_order_get_customer_name (o));
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, ord_status_to_string (ord_order_get_status (o)));
  json_builder_set_member_name (b, "created_at");
  json_builder_add_int_value (b, ord_order_get_created_at (o));
  json_builder_set_member_name (b, "due_at");
  json_builder_add_int_value (b, ord_order_get_due_at (o));
  json_builder_set_member_name (b, "currency");
  json_builder_add_string_value (b, ord_order_get_currency (o));
  json_builder_set_member_name (b, "subtotal");
  json_builder_add_int_value (b, ord_order_get_subtotal (o));
  json_builder_set_member_name (b, "discount");
  json_builder_add_int_value (b, ord_order_get_discount (o));
  json_builder_set_member_name (b, "tax_rate");
  json_builder_add_int_value (b, ord_order_get_tax_rate (o));
  json_builder_set_member_name (b, "tax");
  json_builder_add_int_value (b, ord_order_get_tax (o));
  json_builder_set_member_name (b, "total");
  json_builder_add_int_value (b, ord_order_get_total (o));
  json_builder_set_member_name (b, "item_count");
  json_builder_add_int_value (b, ord_order_get_item_count (o));
  json_builder_set_member_name (b, "notes");
  json_builder_add_string_value (b, ord_order_get_notes (o) ? ord_order_get_notes (o) : "");
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, ord_order_get_version (o));

  if (with_items)
    {
      guint n = ord_order_get_n_items (o);

      json_builder_set_member_name (b, "items");
      json_builder_begin_array (b);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(OrdOrderItem) it = ord_order_get_item (o, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, ord_order_item_get_id (it));
          json_builder_set_member_name (b, "sku");
          json_builder_add_string_value (b, ord_order_item_get_sku (it));
          json_builder_set_member_name (b, "name");
          json_builder_add_string_value (b, ord_order_item_get_name (it));
          json_builder_set_member_name (b, "unit_price");
          json_builder_add_int_value (b, ord_order_item_get_unit_price (it));
          json_builder_set_member_name (b, "quantity");
          json_builder_add_int_value (b, ord_order_item_get_quantity (it));
          json_builder_set_member_name (b, "discount");
          json_builder_add_int_value (b, ord_order_item_get_discount (it));
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
    }
  json_builder_end_object (b);
}

static void
print_json (JsonBuilder *b)
{
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  g_autofree char *text = NULL;

  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  text = json_generator_to_data (gen, NULL);
  puts (text);
}

static int
cmd_list (int    argc,
          char **argv)
{
  int limit = 50;
  int offset = 0;
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "limit", 'n', 0, G_OPTION_ARG_INT, &limit, N_("At most N orders (default 50; 0 = all)"), "N" },
    { "offset", 0, 0, G_OPTION_ARG_INT, &offset, N_("Skip the first N"), "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) unused = NULL;
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *customer_id = NULL;
  g_autofree GOptionEntry *all = NULL;
  OrdOrderCursor cursor = { 0 };
  OrdOrderQuery q;
  gint64 total;
  guint printed = 0;
  gsize n_filter = G_N_ELEMENTS (filter_entries) - 1;
  gsize n_own = G_N_ELEMENTS (entries) - 1;

  all = g_new0 (GOptionEntry, n_filter + n_own + 1);
  memcpy (all, filter_entries, n_filter * sizeof (GOptionEntry));
  memcpy (all + n_filter, entries, n_own * sizeof (GOptionEntry));

  if (!parse_command ("list", NULL, _("List orders, newest first unless --sort says otherwise."),
                      all, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error (_("list: unexpected argument “%s” (to search, use --search)"), argv[2]);
      return EXIT_USAGE;
    }
  if (limit < 0 || offset < 0)
    {
      print_error (_("--limit and --offset must not be negative"));
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;
  if (!build_query (store, &q, &customer_id))
    return EXIT_USAGE;

  total = ord_store_count_orders (store, &q, &error);
  if (total < 0)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE;
    }

  if (as_json)
    {
      b = json_builder_new ();
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "total");
      json_builder_add_int_value (b, total);
      json_builder_set_member_name (b, "orders");
      json_builder_begin_array (b);
    }
  else
    printf ("%-12s  %-24s  %-16s  %-10s  %12s\n", _("Number"), _("Customer"), _("Created"),
            _("Status"), _("Total"));

  while (limit == 0 || printed < (guint) limit)
    {
      guint want = limit == 0 ? 500 : MIN (500, (guint) limit - printed);
      g_autoptr(GPtrArray) page = NULL;

      if (offset > 0)
        page = ord_store_query_orders_at (store, &q, offset + printed, want, &error);
      else
        page = ord_store_query_orders (store, &q, &cursor, want, &error);

      if (page == NULL)
        {
          print_error ("%s", error->message);
          ord_order_cursor_clear (&cursor);
          return EXIT_FAILURE;
        }
      if (page->len == 0)
        break;

      for (guint i = 0; i < page->len; i++)
        {
          OrdOrder *o = g_ptr_array_index (page, i);

          if (as_json)
            add_order_json (b, o, FALSE);
          else
            {
              const char *customer = ord_order_get_customer_name (o);
              g_autofree char *created = format_time (ord_order_get_created_at (o));
              g_autofree char *money = format_money (ord_order_get_total (o),
                                                     ord_order_get_currency (o));
              g_autofree char *name = g_utf8_substring (customer, 0,
                                                        MIN (24, g_utf8_strlen (customer, -1)));

              printf ("%-12s  %-24s  %-16s  %-10s  %12s\n", ord_order_get_number (o), name,
                      created, ord_status_to_string (ord_order_get_status (o)), money);
            }
        }
      printed += page->len;
    }
  ord_order_cursor_clear (&cursor);

  if (as_json)
    {
      json_builder_end_array (b);
      json_builder_end_object (b);
      print_json (b);
    }
  else
    printf (_("%u of %lld orders\n"), printed, (long long) total);

  return EXIT_SUCCESS;
}

static int
cmd_export (int    argc,
            char **argv)
{
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write here (default: standard output)"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autofree char *customer_id = NULL;
  g_autofree GOptionEntry *all = NULL;
  gsize n_filter = G_N_ELEMENTS (filter_entries) - 1;
  OrdOrderQuery q;

  all = g_new0 (GOptionEntry, n_filter + 2);
  memcpy (all, filter_entries, n_filter * sizeof (GOptionEntry));
  memcpy (all + n_filter, entries, sizeof (GOptionEntry));

  if (!parse_command ("export", NULL, _("Write orders as Orderly CSV, one line per item."),
                      all, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error (_("export: unexpected argument “%s” (use --output FILE)"), argv[2]);
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;
  if (!build_query (store, &q, &customer_id))
    return EXIT_USAGE;
  if (!f_sort)
    {
      q.sort = ORD_SORT_CREATED;
      q.descending = f_desc;
    }

  if (output == NULL || g_strcmp0 (output, "-") == 0)
    out = g_unix_output_stream_new (1, FALSE);
  else
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      /* Replaced atomically: a failed export never leaves half a file. */
      out = G_OUTPUT_STREAM (g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL, &error));
      if (out == NULL)
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE;
        }
    }

  if (!ord_export_orders (store, &q, out, NULL, NULL, NULL, &error) ||
      !g_output_stream_close (out, NULL, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE;
    }

  return EXIT_SUCCESS;
}

static int
cmd_show (int    argc,
          char **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdOrder) o = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  guint n;

  if (!parse_command ("show", "ORDER", _("Show one order, its lines and its timeline."),
                      entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3)
    {
      print_error (_("show: give one order number or id"));
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;
  if (!(o = find_order (store, argv[2])))
    return EXIT_FAILURE;
  events = ord_store_get_events (store, ord_order_get_id (o), &error);
  if (events == NULL)
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE;
    }

  if (as_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonBuilder) order_b = json_builder_new ();
      g_autoptr(JsonNode) order_node = NULL;

      add_order_json (order_b, o, TRUE);
      order_node = json_builder_get_root (order_b);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "order");
      json_builder_add_value (b, g_steal_pointer (&order_node));
      json_builder_set_member_name (b, "timeline");
      json_builder_begin_array (b);
      for (guint i = 0; i < events->len; i++)
        {
          OrdOrderEvent *e = g_ptr_array_index (events, i);
          g_autofree char *text = ord_order_event_describe (e);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "at");
          json_builder_add_int_value (b, ord_order_event_get_at (e));
          json_builder_set_member_name (b, "kind");
          json_builder_add_string_value (b, ord_event_kind_to_string (ord_order_event_get_kind (e)));
          json_builder_set_member_name (b, "actor");
          json_builder_add_string_value (b, ord_order_event_get_actor (e));
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, ord_order_event_get_reason (e));
          json_builder_set_member_name (b, "text");
          json_builder_add_string_value (b, text);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      print_json (b);
      return EXIT_SUCCESS;
    }

  {
    g_autofree char *created = format_time (ord_order_get_created_at (o));
    g_autofree char *due = format_time (ord_order_get_due_at (o));
    const char *cur = ord_order_get_currency (o);
    g_autofree char *subtotal = format_money (ord_order_get_subtotal (o), cur);
    g_autofree char *discount = format_money (ord_order_get_discount (o), cur);
    g_autofree char *tax = format_money (ord_order_get_tax (o), cur);
    g_autofree char *total = format_money (ord_order_get_total (o), cur);

    printf (_("Order %s"), ord_order_get_number (o));
    if (ord_order_get_provisional_number (o) &&
        g_strcmp0 (ord_order_get_provisional_number (o), ord_order_get_number (o)) != 0)
      printf (" (%s)", ord_order_get_provisional_number (o));
    printf ("  —  %s\n", ord_status_get_label (ord_order_get_status (o)));
    printf (_("Customer:  %s\n"), ord_order_get_customer_name (o));
    printf (_("Created:   %s\n"), created);
    printf (_("Due:       %s\n"), due);
    if (ord_order_get_notes (o) && ord_order_get_notes (o)[0])
      printf (_("Notes:     %s\n"), ord_order_get_notes (o));
    printf ("\n");

    n = ord_order_get_n_items (o);
    for (guint i = 0; i < n; i++)
      {
        g_autoptr(OrdOrderItem) it = ord_order_get_item (o, i);
        g_autofree char *price = format_money (ord_order_item_get_unit_price (it), cur);
        g_autofree char *line = format_money (ord_order_item_get_line_total (it), cur);

        printf ("  %4" G_GINT64_FORMAT " × %-40s %10s %12s\n", ord_order_item_get_quantity (it),
                ord_order_item_get_name (it), price, line);
      }
    printf ("\n%-48s %23s\n", _("Subtotal"), subtotal);
    if (ord_order_get_discount (o))
      printf ("%-48s %23s\n", _("Discount"), discount);
    if (ord_order_get_tax (o))
      printf ("%-48s %23s\n", _("Tax"), tax);
    printf ("%-48s %23s\n\n", _("Total"), total);

    printf (_("Timeline\n"));
    for (guint i = 0; i < events->len; i++)
      {
        OrdOrderEvent *e = g_ptr_array_index (events, i);
        g_autofree char *at = format_time (ord_order_event_get_at (e));
        g_autofree char *text = ord_order_event_describe (e);

        printf ("  %s  %s%s%s\n", at, text, ord_order_event_get_actor (e) ? " — " : "",
                ord_order_event_get_actor (e) ? ord_order_event_get_actor (e) : "");
      }
  }

  return EXIT_SUCCESS;
}

/* "SKU:QTY", "SKU" or "Name:PRICE:QTY" */
static OrdOrderItem *
parse_item (OrdStore   *store,
            const char *spec,
            const char *currency)
{
  g_auto(GStrv) parts = g_strsplit (spec, ":", 3);
  g_autoptr(OrdOrderItem) item = ord_order_item_new ();
  g_autoptr(GError) error = NULL;
  guint n = g_strv_length (parts);
  guint64 qty = 1;

  if (n == 0 || parts[0][0] == '\0')
    {
      print_error (_("--item: “%s” is empty; write SKU:QUANTITY or NAME:PRICE:QUANTITY"), spec);
      return NULL;
    }

  if (n <= 2)
    {
      g_autoptr(OrdProduct) p = ord_store_get_product_by_sku (store, parts[0], NULL);

      if (p == NULL)
        {
          print_error (_("--item: no product with SKU “%s” (or write NAME:PRICE:QUANTITY)"),
                       parts[0]);
          return NULL;
        }
      if (n == 2 && !g_ascii_string_to_unsigned (parts[1], 10, 1, G_MAXINT32, &qty, &error))
        {
          print_error (_("--item “%s”: quantity “%s” must be a whole number of at least 1"),
                       spec, parts[1]);
          return NULL;
        }
      ord_order_item_set_product_id (item, ord_product_get_id (p));
      ord_order_item_set_sku (item, ord_product_get_sku (p));
      ord_order_item_set_name (item, ord_product_get_name (p));
      ord_order_item_set_unit_price (item, ord_product_get_unit_price (p));
    }
  else
    {
      gint64 price;

      if (!ord_amount_parse (parts[1], ord_currency_get_digits (currency), &price, &error))
        {
          print_error (_("--item “%s”: price: %s"), spec, error->message);
          return NULL;
        }
      if (!g_ascii_string_to_unsigned (parts[2], 10, 1, G_MAXINT32, &qty, NULL))
        {
          print_error (_("--item “%s”: quantity “%s” must be a whole number of at least 1"),
                       spec, parts[2]);
          return NULL;
        }
      ord_order_item_set_name (item, parts[0]);
      ord_order_item_set_unit_price (item, price);
    }
  ord_order_item_set_quantity (item, (gint64) qty);

  return g_steal_pointer (&item);
}

static int
cmd_create (int    argc,
            char **argv)
{
  g_autofree char *customer = NULL;
  g_auto(GStrv) items = NULL;
  g_autofree char *notes = NULL;
  g_autofree char *due = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *discount = NULL;
  int tax_rate = 0;
  gboolean new_customer = FALSE;
  const GOptionEntry entries[] = {
    { "customer", 'c', 0, G_OPTION_ARG_STRING, &customer, N_("Customer name, email or id"),
      N_("CUSTOMER") },
    { "new-customer", 0, 0, G_OPTION_ARG_NONE, &new_customer,
      N_("Create the customer when no one matches"), NULL },
    { "item", 'i', 0, G_OPTION_ARG_STRING_ARRAY, &items,
      N_("A line: SKU[:QTY] from the catalogue, or NAME:PRICE:QTY (repeatable)"), N_("ITEM") },
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("Notes"), N_("TEXT") },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("Due date and time"), N_("DATE") },
    { "currency", 0, 0, G_OPTION_ARG_STRING, &currency, N_("ISO 4217 code (default EUR)"),
      N_("CODE") },
    { "discount", 0, 0, G_OPTION_ARG_STRING, &discount, N_("Order discount, e.g. 2.50"),
      N_("AMOUNT") },
    { "tax-rate", 0, 0, G_OPTION_ARG_INT, &tax_rate, N_("Tax in basis points (2000 = 20 %)"),
      N_("BP") },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdCustomer) c = NULL;
  g_autoptr(OrdOrder) order = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_command ("create", NULL, _("Enter a new order."), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error (_("create: unexpected argument “%s”"), argv[2]);
      return EXIT_USAGE;
    }
  if (customer == NULL || items == NULL)
    {
      print_error (_("create: --customer and at least one --item are needed"));
      return EXIT_USAGE;
    }
  if (currency == NULL)
    currency = g_strdup ("EUR");
  if (!ord_currency_is_valid (currency))
    {
      print_error (_("--currency: “%s” is not an ISO 4217 code like EUR or GBP"), currency);
      return EXIT_USAGE;
    }
  if (tax_rate < 0 || tax_rate > 10000)
    {
      print_error (_("--tax-rate: %d must be between 0 and 10000 basis points"), tax_rate);
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;

  c = find_customer (store, customer, new_customer);
  if (c == NULL && new_customer)
    {
      c = ord_customer_new ();
      ord_customer_set_name (c, customer);
      if (!ord_store_save_customer (store, c, &error))
        {
          print_error ("%s", error->message);
          return EXIT_FAILURE;
        }
    }
  if (c == NULL)
    return EXIT_FAILURE;

  order = ord_order_new ();
  ord_order_set_customer_id (order, ord_customer_get_id (c));
  ord_order_set_currency (order, currency);
  ord_order_set_notes (order, notes);
  ord_order_set_tax_rate (order, tax_rate);
  if (due)
    {
      gint64 t;
      if (!parse_time ("--due", due, &t))
        return EXIT_USAGE;
      ord_order_set_due_at (order, t);
    }
  if (discount)
    {
      gint64 d;
      if (!ord_amount_parse (discount, ord_currency_get_digits (currency), &d, &error))
        {
          print_error (_("--discount: %s"), error->message);
          return EXIT_USAGE;
        }
      ord_order_set_discount (order, d);
    }
  for (guint i = 0; items[i]; i++)
    {
      g_autoptr(OrdOrderItem) item = parse_item (store, items[i], currency);

      if (item == NULL)
        return EXIT_USAGE;
      ord_order_add_item (order, item);
    }

  if (!ord_store_create_order (store, order, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE;
    }

  {
    g_autofree char *total = format_money (ord_order_get_total (order), currency);
    printf (_("Created order %s for %s: %s\n"), ord_order_get_number (order),
            ord_customer_get_name (c), total);
  }

  return EXIT_SUCCESS;
}

static int
cmd_edit (int    argc,
          char **argv)
{
  g_autofree char *notes = NULL;
  g_autofree char *due = NULL;
  g_autofree char *discount = NULL;
  g_auto(GStrv) add = NULL;
  g_auto(GStrv) remove = NULL;
  g_auto(GStrv) set_qty = NULL;
  gboolean no_due = FALSE;
  const GOptionEntry entries[] = {
    { "notes", 0, 0, G_OPTION_ARG_STRING, &notes, N_("New notes"), N_("TEXT") },
    { "due", 0, 0, G_OPTION_ARG_STRING, &due, N_("New due date"), N_("DATE") },
    { "no-due", 0, 0, G_OPTION_ARG_NONE, &no_due, N_("Remove the due date"), NULL },
    { "discount", 0, 0, G_OPTION_ARG_STRING, &discount, N_("New order discount"), N_("AMOUNT") },
    { "add-item", 0, 0, G_OPTION_ARG_STRING_ARRAY, &add, N_("Add a line (as create --item)"),
      N_("ITEM") },
    { "remove-item", 0, 0, G_OPTION_ARG_STRING_ARRAY, &remove,
      N_("Remove the line with this SKU or name"), N_("SKU") },
    { "set-quantity", 0, 0, G_OPTION_ARG_STRING_ARRAY, &set_qty,
      N_("Change a line’s quantity: SKU=N"), N_("SKU=N") },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdOrder) o = NULL;
  g_autoptr(GError) error = NULL;
  const char *cur;

  if (!parse_command ("edit", "ORDER", _("Change an order’s lines, notes, due date or discount."),
                      entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3)
    {
      print_error (_("edit: give one order number or id"));
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;
  if (!(o = find_order (store, argv[2])))
    return EXIT_FAILURE;
  cur = ord_order_get_currency (o);

  if (notes)
    ord_order_set_notes (o, notes);
  if (no_due)
    ord_order_set_due_at (o, 0);
  if (due)
    {
      gint64 t;
      if (!parse_time ("--due", due, &t))
        return EXIT_USAGE;
      ord_order_set_due_at (o, t);
    }
  if (discount)
    {
      gint64 d;
      if (!ord_amount_parse (discount, ord_currency_get_digits (cur), &d, &error))
        {
          print_error (_("--discount: %s"), error->message);
          return EXIT_USAGE;
        }
      ord_order_set_discount (o, d);
    }
  for (guint k = 0; remove && remove[k]; k++)
    {
      gboolean found = FALSE;

      for (guint i = 0; i < ord_order_get_n_items (o); i++)
        {
          g_autoptr(OrdOrderItem) it = ord_order_get_item (o, i);

          if (g_strcmp0 (ord_order_item_get_sku (it), remove[k]) == 0 ||
              g_strcmp0 (ord_order_item_get_name (it), remove[k]) == 0)
            {
              ord_order_remove_item (o, i);
              found = TRUE;
              break;
            }
        }
      if (!found)
        {
          print_error (_("--remove-item: order %s has no line “%s”"), ord_order_get_number (o),
                       remove[k]);
          return EXIT_USAGE;
        }
    }
  for (guint k = 0; set_qty && set_qty[k]; k++)
    {
      g_auto(GStrv) kv = g_strsplit (set_qty[k], "=", 2);
      guint64 qty;
      gboolean found = FALSE;

      if (g_strv_length (kv) != 2 ||
          !g_ascii_string_to_unsigned (kv[1], 10, 1, G_MAXINT32, &qty, NULL))
        {
          print_error (_("--set-quantity: “%s” must look like SKU=3 with a quantity of at least 1"),
                       set_qty[k]);
          return EXIT_USAGE;
        }
      for (guint i = 0; i < ord_order_get_n_items (o); i++)
        {
          g_autoptr(OrdOrderItem) it = ord_order_get_item (o, i);

          if (g_strcmp0 (ord_order_item_get_sku (it), kv[0]) == 0 ||
              g_strcmp0 (ord_order_item_get_name (it), kv[0]) == 0)
            {
              ord_order_item_set_quantity (it, (gint64) qty);
              found = TRUE;
              break;
            }
        }
      if (!found)
        {
          print_error (_("--set-quantity: order %s has no line “%s”"), ord_order_get_number (o),
                       kv[0]);
          return EXIT_USAGE;
        }
    }
  for (guint k = 0; add && add[k]; k++)
    {
      g_autoptr(OrdOrderItem) item = parse_item (store, add[k], cur);

      if (item == NULL)
        return EXIT_USAGE;
      ord_order_add_item (o, item);
    }

  if (!ord_store_edit_order (store, o, &error))
    {
      print_error (_("Order %s was not changed: %s"), ord_order_get_number (o), error->message);
      return EXIT_FAILURE;
    }

  {
    g_autofree char *total = format_money (ord_order_get_total (o), cur);
    printf (_("Saved order %s: %s\n"), ord_order_get_number (o), total);
  }

  return EXIT_SUCCESS;
}

static int
cmd_cancel (int    argc,
            char **argv)
{
  g_autofree char *reason = NULL;
  const GOptionEntry entries[] = {
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, N_("Why (required)"), N_("TEXT") },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdOrder) o = NULL;
  g_autoptr(GError) error = NULL;

  if (!parse_command ("cancel", "ORDER", _("Cancel an order, saying why."), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 3)
    {
      print_error (_("cancel: give one order number or id"));
      return EXIT_USAGE;
    }
  if (reason == NULL || g_strstrip (reason)[0] == '\0')
    {
      print_error (_("cancel: say why with --reason"));
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;
  if (!(o = find_order (store, argv[2])))
    return EXIT_FAILURE;

  if (!ord_store_cancel_order (store, ord_order_get_id (o), reason, &error))
    {
      print_error (_("Order %s was not cancelled: %s"), ord_order_get_number (o), error->message);
      return EXIT_FAILURE;
    }

  printf (_("Cancelled order %s.\n"), ord_order_get_number (o));
  return EXIT_SUCCESS;
}

static int
cmd_set_status (int    argc,
                char **argv)
{
  g_autofree char *reason = NULL;
  g_autofree char *from_text = NULL;
  const GOptionEntry entries[] = {
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason, N_("Why (needed to cancel)"), N_("TEXT") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Only if the order is still in this status"), N_("STATUS") },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(OrdOrder) o = NULL;
  g_autoptr(GError) error = NULL;
  OrdStatus to, from;

  if (!parse_command ("set-status", "ORDER STATUS",
                      _("Move an order to another status (pending, confirmed, preparing, shipped, "
                        "delivered, cancelled)."), entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 4)
    {
      print_error (_("set-status: give an order and a status, e.g. “set-status T1-0001 confirmed”"));
      return EXIT_USAGE;
    }
  if (!ord_status_from_string (argv[3], &to))
    {
      print_error (_("set-status: “%s” is not a status; use pending, confirmed, preparing, "
                     "shipped, delivered or cancelled"), argv[3]);
      return EXIT_USAGE;
    }
  if (from_text && !ord_status_from_string (from_text, &from))
    {
      print_error (_("--from: “%s” is not a status"), from_text);
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;
  if (!(o = find_order (store, argv[2])))
    return EXIT_FAILURE;
  if (!from_text)
    from = ord_order_get_status (o);

  if (!ord_store_set_status (store, ord_order_get_id (o), from, to, reason, &error))
    {
      print_error (_("Order %s stays %s: %s"), ord_order_get_number (o),
                   ord_status_to_string (ord_order_get_status (o)), error->message);
      return EXIT_FAILURE;
    }

  printf (_("Order %s is now %s.\n"), ord_order_get_number (o), ord_status_to_string (to));
  return EXIT_SUCCESS;
}

static int
cmd_stats (int    argc,
           char **argv)
{
  gboolean as_json = FALSE;
  const GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &as_json, N_("Print JSON"), NULL },
    { NULL }
  };
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GError) error = NULL;
  gint64 counts[ORD_N_STATUSES];
  gint64 total = 0;
  GStatBuf st;
  gint64 size = 0;
  gint64 outbox;

  if (!parse_command ("stats", NULL, _("Counts of orders by status, and the database’s size."),
                      entries, &argc, &argv))
    return EXIT_USAGE;
  if (argc > 2)
    {
      print_error (_("stats: unexpected argument “%s”"), argv[2]);
      return EXIT_USAGE;
    }

  if (!(store = open_store ()))
    return EXIT_FAILURE;
  if (!ord_store_count_by_status (store, counts, &error))
    {
      print_error ("%s", error->message);
      return EXIT_FAILURE;
    }
  for (int s = 0; s < ORD_N_STATUSES; s++)
    total += counts[s];
  if (g_stat (ord_store_get_path (store), &st) == 0)
    size = st.st_size;
  outbox = ord_store_count_outbox (store);

  if (as_json)
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "orders");
      json_builder_add_int_value (b, total);
      json_builder_set_member_name (b, "by_status");
      json_builder_begin_object (b);
      for (int s = 0; s < ORD_N_STATUSES; s++)
        {
          json_builder_set_member_name (b, ord_status_to_string (s));
          json_builder_add_int_value (b, counts[s]);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "pending_changes");
      json_builder_add_int_value (b, outbox);
      json_builder_set_member_name (b, "database_bytes");
      json_builder_add_int_value (b, size);
      json_builder_end_object (b);
      print_json (b);
      return EXIT_SUCCESS;
    }

  printf (_("Orders: %lld\n"), (long long) total);
  for (int s = 0; s < ORD_N_STATUSES; s++)
    printf ("  %-10s %10" G_GINT64_FORMAT "\n", ord_status_to_string (s), counts[s]);
  printf (_("Changes waiting to sync: %lld\n"), (long long) outbox);
  printf (_("Database: %s (%.1f MB)\n"), ord_store_get_path (store), size / 1e6);

  return EXIT_SUCCESS;
}

static const Command commands[] = {
  { "demo", cmd_demo, NULL, N_("Fill the database with a demo shop") },
  { "import", cmd_import, "FILE", N_("Import orders from CSV (Orderly or Online Retail format)") },
  { "export", cmd_export, NULL, N_("Export orders as Orderly CSV") },
  { "list", cmd_list, NULL, N_("List orders with filters and sorting") },
  { "show", cmd_show, "ORDER", N_("Show an order with its lines and timeline") },
  { "create", cmd_create, NULL, N_("Enter a new order") },
  { "edit", cmd_edit, "ORDER", N_("Change an order") },
  { "cancel", cmd_cancel, "ORDER", N_("Cancel an order with a reason") },
  { "set-status", cmd_set_status, "ORDER STATUS", N_("Move an order to another status") },
  { "stats", cmd_stats, NULL, N_("Counts by status and database size") },
  { "sync", ord_cli_cmd_sync, NULL, N_("Sync with an orderly-server (once, or --watch)") },
  { "forecast", ord_cli_cmd_forecast, "[orders|revenue] [day|week|month]",
    N_("Forecast orders or revenue, or a series from a CSV file") },
  { "segments", ord_cli_cmd_segments, NULL, N_("Customer segments (RFM, k-means)") },
  { "risk", ord_cli_cmd_risk, NULL, N_("Open orders likely to be cancelled, and why") },
  { "anomalies", ord_cli_cmd_anomalies, "[orders|revenue] [day|week|month]",
    N_("Days, weeks or months with unusual orders or revenue") },
  { "recommend", ord_cli_cmd_recommend, NULL, N_("Products ordered together") },
};

static void
print_usage (FILE *out)
{
  fprintf (out, _("Usage: orderlyctl [--database PATH] COMMAND [OPTIONS…]\n\n"));
  fprintf (out, _("Commands:\n"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-12s %s\n", commands[i].name, _(commands[i].summary));
  fprintf (out, _("\n“orderlyctl COMMAND --help” tells more about each.\n"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) globals = g_ptr_array_new ();
  int first = 1;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  /* Global options may come before the command; they are handed to the
   * command after its name, where every command parses them itself. */
  while (first < argc && argv[first][0] == '-')
    {
      if ((g_strcmp0 (argv[first], "--database") == 0 || g_strcmp0 (argv[first], "-d") == 0 ||
           g_strcmp0 (argv[first], "--role") == 0 || g_strcmp0 (argv[first], "--actor") == 0) &&
          first + 1 < argc)
        {
          g_ptr_array_add (globals, argv[first]);
          g_ptr_array_add (globals, argv[first + 1]);
          first += 2;
        }
      else if (g_str_has_prefix (argv[first], "--database=") ||
               g_str_has_prefix (argv[first], "--role=") ||
               g_str_has_prefix (argv[first], "--actor="))
        {
          g_ptr_array_add (globals, argv[first]);
          first++;
        }
      else if (g_strcmp0 (argv[first], "--help") == 0 || g_strcmp0 (argv[first], "-h") == 0)
        {
          print_usage (stdout);
          return EXIT_SUCCESS;
        }
      else if (g_strcmp0 (argv[first], "--version") == 0)
        {
          printf ("orderlyctl %s\n", PACKAGE_VERSION);
          return EXIT_SUCCESS;
        }
      else
        {
          print_error (_("unknown option “%s”"), argv[first]);
          print_usage (stderr);
          return EXIT_USAGE;
        }
    }

  if (first >= argc)
    {
      print_usage (stderr);
      return EXIT_USAGE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_strcmp0 (argv[first], commands[i].name) == 0)
      {
        /* The command sees "orderlyctl COMMAND [GLOBAL OPTIONS] ARGS…" */
        g_autoptr(GPtrArray) sub = g_ptr_array_new ();
        int ret;

        g_ptr_array_add (sub, argv[0]);
        g_ptr_array_add (sub, argv[first]);
        for (guint k = 0; k < globals->len; k++)
          g_ptr_array_add (sub, g_ptr_array_index (globals, k));
        for (int k = first + 1; k < argc; k++)
          g_ptr_array_add (sub, argv[k]);
        g_ptr_array_add (sub, NULL);

        /* GOption's usage line then reads "orderlyctl list [OPTION…] ARGS". */
        {
          g_autofree char *prgname = g_strdup_printf ("orderlyctl %s", commands[i].name);
          g_set_prgname (prgname);
        }
        ret = commands[i].func (sub->len - 1, (char **) sub->pdata);
        g_free (opt_database);
        g_free (opt_role);
        g_free (opt_actor);
        return ret;
      }

  print_error (_("“%s” is not a command"), argv[first]);
  print_usage (stderr);
  return EXIT_USAGE;
}
