/* bench-store.c: list, search and count speed over a 1,000,000-order shop
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * bench-store [DATABASE] [--orders N] [--runs N] [--fresh] [--cold]
 *
 * Uses DATABASE when it already holds the orders (so the shop is made only
 * once), otherwise fills it with ord_demo_generate() and reports how long
 * that took. Budgets (DESIGN §8): first page of any sort ≤ 50 ms, search
 * ≤ 50 ms. --cold measures only searches as the order list makes them
 * (count, then its first page), each on a new connection with the file
 * dropped from the page cache first.
 */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench-util.h"
#include "ord-core.h"
#include "ord-store-private.h"
#include "ord-demo.h"

#define BUDGET_MS 50.0
#define PAGE      50
/* The rows the order list asks for at once (ORD_ORDER_LIST_MODEL_PAGE_SIZE). */
#define LIST_PAGE 200

static guint n_runs = 7;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
median (double *v,
        guint   n)
{
  qsort (v, n, sizeof *v, compare_double);
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
progress_cb (double   fraction,
             gpointer user_data)
{
  int *last = user_data;
  int percent = (int) (fraction * 100);

  if (percent / 5 != *last / 5)
    {
      g_printerr ("\r  generating… %3d %%", percent);
      *last = percent;
    }
}

static gint64
shop_end_time (void)
{
  g_autoptr(GDateTime) dt = g_date_time_new_local (2026, 3, 20, 18, 0, 0);

  return g_date_time_to_unix (dt) * G_USEC_PER_SEC;
}

static double
file_mb (const char *path)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0)
    return 0;
  return st.st_size / (1024.0 * 1024.0);
}

typedef enum
{
  KIND_PAGE,       /* ord_store_query_orders: one keyset page */
  KIND_AT,         /* ord_store_query_orders_at: a page at an offset */
  KIND_COUNT,      /* ord_store_count_orders */
} Kind;

/* Runs one query n_runs + 1 times; prints the first run and the median of
 * the others. Returns the median in ms. */
static double
measure (OrdStore            *store,
         const char          *label,
         Kind                 kind,
         const OrdOrderQuery *query,
         guint                offset,
         guint               *n_rows)
{
  g_autofree double *times = g_new (double, n_runs);
  double first = 0, med;

  for (guint run = 0; run <= n_runs; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) rows = NULL;
      OrdOrderCursor cursor = { 0 };
      gint64 start, count = 0;
      double ms;

      /* Each run a search as the first of its text: the store keeps the
       * plan of the last one until a write. */
      ord_store_forget_search_plan (store);
      start = g_get_monotonic_time ();

      switch (kind)
        {
        case KIND_PAGE:
          rows = ord_store_query_orders (store, query, &cursor, PAGE, &error);
          break;
        case KIND_AT:
          rows = ord_store_query_orders_at (store, query, offset, PAGE, &error);
          break;
        case KIND_COUNT:
        default:
          count = ord_store_count_orders (store, query, &error);
          break;
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      ord_order_cursor_clear (&cursor);
      if (error != NULL)
        g_error ("%s: %s", label, error->message);
      if (n_rows)
        *n_rows = rows ? rows->len : (guint) count;
      if (run == 0)
        first = ms;
      else
        times[run - 1] = ms;
    }

  med = median (times, n_runs);
  g_print ("  %-44s %8.2f ms  (first %8.2f ms)%s", label, med, first,
           med > BUDGET_MS ? "  OVER BUDGET" : "");
  return med;
}

/* This process's bytes read from storage so far (/proc/self/io), -1 when
 * the kernel does not say. */
static gint64
read_bytes (void)
{
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/io", &text, NULL, NULL) ||
      (line = strstr (text, "\nread_bytes: ")) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen ("\nread_bytes: "), NULL, 10);
}

/* A search as the order list makes it, n_runs times cold: a new
 * connection, the file dropped from the page cache, then the count and
 * the first LIST_PAGE rows. Prints the median and the slowest, and the
 * median of what was read from storage. Returns the slowest in ms. */
static double
measure_cold (const char          *path,
              const char          *label,
              const OrdOrderQuery *query)
{
  g_autofree double *times = g_new (double, n_runs);
  g_autofree double *count_times = g_new (double, n_runs);
  g_autofree double *megabytes = g_new (double, n_runs);
  gint64 count = -1;
  guint n_rows = 0;
  double worst = 0;

  for (guint run = 0; run < n_runs; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(OrdStore) store = ord_store_new (path, &error);
      g_autoptr(GPtrArray) rows = NULL;
      gint64 start, counted, bytes;

      if (store == NULL)
        g_error ("%s", error->message);
      bench_evict (path);
      bytes = read_bytes ();
      start = g_get_monotonic_time ();
      count = ord_store_count_orders (store, query, &error);
      counted = g_get_monotonic_time ();
      if (count >= 0)
        rows = ord_store_query_orders_at (store, query, 0, LIST_PAGE, &error);
      times[run] = (g_get_monotonic_time () - start) / 1000.0;
      count_times[run] = (counted - start) / 1000.0;
      megabytes[run] = (read_bytes () - bytes) / (1024.0 * 1024.0);
      if (error != NULL)
        g_error ("%s: %s", label, error->message);
      n_rows = rows->len;
      worst = MAX (worst, times[run]);
    }

  g_print ("  %-36s %8.2f ms, max %8.2f ms (count %6.2f ms), read %6.2f MB  %" G_GINT64_FORMAT
           " orders, %u rows%s\n", label, median (times, n_runs), worst,
           median (count_times, n_runs), median (megabytes, n_runs), count, n_rows,
           worst > BUDGET_MS ? "  OVER BUDGET" : "");
  return worst;
}

static void
bench_cold (const char *path)
{
  const char *texts[] = {
    "Meyer", "sourdough", "Schmidt", "anna müller", "T1-999975", "birthday",
    "croissant jam", "hamper", "T1-12",
  };
  double worst = 0;

  g_print ("Search cold, as the order list makes it (count, then the first %d rows), newest "
           "first;\n%u runs each on a new connection, the file dropped from the page cache "
           "first:\n", LIST_PAGE, n_runs);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      OrdOrderQuery query = { 0 };
      g_autofree char *label = g_strdup_printf ("“%s”", texts[i]);
      double ms;

      query.descending = TRUE;
      query.text = texts[i];
      ms = measure_cold (path, label, &query);
      worst = MAX (worst, ms);
    }

  g_print ("Other orders and filters (not in the budget's worst case):\n");
  {
    OrdOrderQuery query = { 0 };

    query.text = "anna müller";
    measure_cold (path, "“anna müller”, created asc", &query);
    query.descending = TRUE;
    query.status_mask = 1u << ORD_STATUS_PENDING;
    measure_cold (path, "“anna müller”, pending", &query);
    query.status_mask = (1u << ORD_STATUS_DELIVERED) | (1u << ORD_STATUS_CANCELLED);
    measure_cold (path, "“anna müller”, delivered+cancelled", &query);
    query.status_mask = 0;
    query.sort = ORD_SORT_DUE;
    measure_cold (path, "“anna müller”, due desc", &query);
  }

  g_print ("\nSummary: slowest cold search %.2f ms (budget %.0f ms)\n", worst, BUDGET_MS);
}

static const char *
sort_name (OrdSortKey key)
{
  switch (key)
    {
    case ORD_SORT_CREATED: return "created";
    case ORD_SORT_DUE: return "due";
    case ORD_SORT_TOTAL: return "total";
    case ORD_SORT_NUMBER: return "number";
    case ORD_SORT_CUSTOMER: return "customer";
    default: return "?";
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(OrdStore) store = NULL;
  g_autoptr(GPtrArray) newest = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *number = NULL;
  g_autofree char *surname = NULL;
  gint64 counts[ORD_N_STATUSES];
  gint64 have = 0;
  int n_orders = 1000000;
  int runs = 7;
  gboolean fresh = FALSE;
  gboolean cold = FALSE;
  guint n_over = 0, n_rows = 0;
  double worst_page = 0, worst_search = 0;
  GOptionEntry entries[] = {
    { "orders", 'n', 0, G_OPTION_ARG_INT, &n_orders, "Orders in the demo shop", "N" },
    { "runs", 'r', 0, G_OPTION_ARG_INT, &runs, "Timed runs per query (after a first one)", "N" },
    { "fresh", 'f', 0, G_OPTION_ARG_NONE, &fresh, "Make the shop again even if it exists", NULL },
    { "cold", 'c', 0, G_OPTION_ARG_NONE, &cold,
      "Only searches as the list makes them, cold (database dropped from the page cache)", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");

  context = g_option_context_new ("[DATABASE] — list, search and count speed");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (n_orders <= 0 || runs <= 0)
    {
      g_printerr ("--orders and --runs must be positive\n");
      return 2;
    }
  n_runs = runs;

  path = argc > 1 ? g_strdup (argv[1])
                  : g_build_filename (g_get_tmp_dir (), "orderly-bench-store.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);

  if (!fresh && g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_autoptr(OrdStore) existing = ord_store_new (path, &error);

      if (existing == NULL)
        g_error ("%s", error->message);
      have = ord_store_count_orders (existing, NULL, NULL);
    }

  g_print ("bench-store: %s\n", path);
  if (have >= n_orders)
    {
      g_print ("  reusing the shop in it: %" G_GINT64_FORMAT " orders\n", have);
    }
  else
    {
      OrdDemoOptions options = { 0 };
      g_autofree char *shm = g_strconcat (path, "-shm", NULL);
      int last = -5;
      gint64 start;
      double seconds;

      g_unlink (path);
      g_unlink (wal);
      g_unlink (shm);
      store = ord_store_new (path, &error);
      if (store == NULL)
        g_error ("%s", error->message);

      options.n_orders = n_orders;
      options.seed = 1;
      options.end_time = shop_end_time ();
      start = g_get_monotonic_time ();
      if (!ord_demo_generate (store, &options, progress_cb, &last, NULL, &error))
        g_error ("%s", error->message);
      seconds = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
      g_printerr ("\n");
      g_print ("  generation: %d orders in %.1f s = %.0f orders/s"
               " (%.1f MB, WAL %.1f MB before closing)\n",
               n_orders, seconds, n_orders / seconds, file_mb (path), file_mb (wal));
      g_clear_object (&store);
    }

  if (cold)
    {
      bench_cold (path);
      return 0;
    }

  /* A new connection: no statement prepared yet, SQLite's cache empty (the
   * operating system's file cache may still hold the file). */
  store = ord_store_new (path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  g_print ("  database: %.1f MB (WAL %.1f MB)\n", file_mb (path), file_mb (wal));
  g_print ("  %u runs per query after a first one; median, budget %.0f ms\n\n",
           n_runs, BUDGET_MS);

  g_print ("First page (%d rows), ord_store_query_orders:\n", PAGE);
  for (int pending = 0; pending <= 1; pending++)
    for (int key = 0; key < ORD_N_SORT_KEYS; key++)
      for (int desc = 0; desc <= 1; desc++)
        {
          OrdOrderQuery query = { 0 };
          g_autofree char *label = NULL;
          double ms;

          query.sort = key;
          query.descending = desc;
          query.status_mask = pending ? 1u << ORD_STATUS_PENDING : 0;
          label = g_strdup_printf ("%s, %s %s", pending ? "pending" : "all",
                                   sort_name (key), desc ? "desc" : "asc");
          ms = measure (store, label, KIND_PAGE, &query, 0, &n_rows);
          g_print ("  %u rows\n", n_rows);
          worst_page = MAX (worst_page, ms);
          n_over += ms > BUDGET_MS;
        }

  g_print ("\nOpen orders (pending, confirmed, preparing), ord_store_query_orders:\n");
  for (int key = 0; key < ORD_N_SORT_KEYS; key++)
    {
      OrdOrderQuery query = { 0 };
      g_autofree char *label = NULL;
      double ms;

      query.sort = key;
      query.descending = TRUE;
      query.status_mask = (1u << ORD_STATUS_PENDING) | (1u << ORD_STATUS_CONFIRMED) |
                          (1u << ORD_STATUS_PREPARING);
      label = g_strdup_printf ("open, %s desc", sort_name (key));
      ms = measure (store, label, KIND_PAGE, &query, 0, &n_rows);
      g_print ("  %u rows\n", n_rows);
      worst_page = MAX (worst_page, ms);
      n_over += ms > BUDGET_MS;
    }

  g_print ("\nA page deep in the list, ord_store_query_orders_at:\n");
  {
    OrdOrderQuery query = { 0 };
    guint offsets[] = { 1000, 100000, (guint) n_orders / 2 };

    query.descending = TRUE;
    for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
      {
        g_autofree char *label = g_strdup_printf ("all, created desc, offset %u", offsets[i]);

        measure (store, label, KIND_AT, &query, offsets[i], &n_rows);
        g_print ("  %u rows\n", n_rows);
      }
    query.sort = ORD_SORT_CUSTOMER;
    {
      g_autofree char *label = g_strdup_printf ("all, customer desc, offset %u", offsets[2]);

      measure (store, label, KIND_AT, &query, offsets[2], &n_rows);
      g_print ("  %u rows\n", n_rows);
    }
  }

  /* Words a person would type: taken from the data, so they exist. */
  {
    OrdOrderQuery query = { 0 };
    OrdOrder *o;
    const char *name;

    query.descending = TRUE;
    newest = ord_store_query_orders (store, &query, NULL, PAGE, &error);
    if (newest == NULL || newest->len == 0)
      g_error ("no orders: %s", error ? error->message : "empty");
    o = g_ptr_array_index (newest, newest->len / 2);
    number = g_strdup (ord_order_get_number (o));
    name = ord_order_get_customer_name (o);
    surname = g_strdup (strrchr (name, ' ') ? strrchr (name, ' ') + 1 : name);
  }

  g_print ("\nSearch (OrdOrderQuery.text), first page, newest first, and the count:\n");
  {
    const char *texts[] = {
      surname, "Schmidt", "sourdough", number, "anna müller", "birthday", "croissant jam",
      "hamper", "T1-12",
    };

    for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
      {
        OrdOrderQuery query = { 0 };
        g_autofree char *label = g_strdup_printf ("“%s”", texts[i]);
        g_autofree char *count_label = g_strdup_printf ("“%s”, count", texts[i]);
        double ms;

        query.descending = TRUE;
        query.text = texts[i];
        ms = measure (store, label, KIND_PAGE, &query, 0, &n_rows);
        g_print ("  %u rows\n", n_rows);
        worst_search = MAX (worst_search, ms);
        n_over += ms > BUDGET_MS;
        measure (store, count_label, KIND_COUNT, &query, 0, &n_rows);
        g_print ("  %u orders\n", n_rows);
      }

    {
      OrdOrderQuery query = { 0 };
      double ms;

      query.text = "Schmidt";
      query.status_mask = 1u << ORD_STATUS_PENDING;
      query.sort = ORD_SORT_DUE;
      ms = measure (store, "“Schmidt”, pending, due asc", KIND_PAGE, &query, 0, &n_rows);
      g_print ("  %u rows\n", n_rows);
      worst_search = MAX (worst_search, ms);
      n_over += ms > BUDGET_MS;
    }
  }

  g_print ("\nCounts:\n");
  {
    g_autofree double *times = g_new (double, n_runs);
    OrdOrderQuery query = { 0 };

    for (guint run = 0; run < n_runs; run++)
      {
        gint64 start = g_get_monotonic_time ();

        if (!ord_store_count_by_status (store, counts, &error))
          g_error ("%s", error->message);
        times[run] = (g_get_monotonic_time () - start) / 1000.0;
      }
    g_print ("  %-44s %8.3f ms\n", "ord_store_count_by_status", median (times, n_runs));
    g_print ("   ");
    for (int s = 0; s < ORD_N_STATUSES; s++)
      g_print (" %s %" G_GINT64_FORMAT, ord_status_to_string (s), counts[s]);
    g_print ("\n");

    query.created_from = shop_end_time () - 30 * 24 * G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC;
    measure (store, "count, created in the last 30 days", KIND_COUNT, &query, 0, &n_rows);
    g_print ("  %u orders\n", n_rows);
  }

  g_print ("\nSummary: slowest first page %.2f ms, slowest search %.2f ms (budget %.0f ms);"
           " %u over budget; database %.1f MB\n",
           worst_page, worst_search, BUDGET_MS, n_over, file_mb (path) + file_mb (wal));

  return 0;
}
